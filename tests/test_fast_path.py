"""The check path's shortcuts change nothing: same tags as ruamel's own loader, same graph checks."""

import gc

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode

from wflint import yamlnode
from wflint.yamlnode import YAMLLoadError, compose, walk

SCALARS = """\
a: yes
b: true
c: False
d: ~
e: null
f:
g: 0o17
h: 017
i: 0x1F
j: 1_000
k: 1.5e3
l: .inf
m: -.NaN
n: 2026-01-01
o: '1'
p: "true"
q: !!str 3
r: !!int "4"
<<: {s: 1}
t: [1, on, Off, '', "", -1, +2, 0.]
? [complex, key]
: value
"""


def stock(node) -> str:
    """The ruamel.yaml node class ``node`` is (compose builds lean subclasses of them)."""
    return next(c.__name__ for c in type(node).__mro__ if c.__module__ == "ruamel.yaml.nodes")


def shape(node):
    return [(stock(n), n.tag, n.start_mark.index, n.end_mark.index, getattr(n, "style", None),
             getattr(n, "flow_style", None), n.anchor, n.comment) for n in walk(node)]


def test_tags_and_marks_match_ruamels_own_c_loader():
    expected = YAML(typ="safe", pure=False).compose(SCALARS)
    assert shape(compose(SCALARS)) == shape(expected)


GRAPHS = [
    SCALARS,
    "base: &b {x: 1, y: [1, 2]}\njobs:\n  a:\n    <<: *b\n    z: {q: 1}\n  b: *b\n  c: [{k: v}, *b]\n",
    "? {complex: key}\n: {value: 1}\nlist:\n  - &m {a: 1}\n  - <<: [*m, {b: 2}]\n",
]


@pytest.mark.parametrize("text", GRAPHS)
def test_composed_mappings_are_what_the_walk_finds_in_the_same_order(text):
    root = compose(text)
    made = yamlnode.composed_mappings(root)
    if not yamlnode.c_parser_available():  # pragma: no cover - the pure parser keeps ruamel's classes
        assert made is None
        return
    assert made is not None
    walked = [n for n in walk(root) if isinstance(n, MappingNode)]
    assert [id(n) for n in made] == [id(n) for n in walked]
    assert [id(n) for n in yamlnode.mappings(root)] == [id(n) for n in walked]
    # another graph composed since: the list no longer answers for this one (the walk does)
    compose("a: 1\n")
    assert yamlnode.composed_mappings(root) is None
    assert [id(n) for n in yamlnode.mappings(root)] == [id(n) for n in walked]


def test_ruamels_own_loaders_keep_their_node_classes():
    compose(SCALARS)
    with pytest.raises(YAMLLoadError):
        compose("a: [1\n")  # an error while composing restores them too
    node = YAML(typ="safe", pure=False).compose("a: [1, {b: 2}]\n")
    assert {type(n).__module__ for n in walk(node)} == {"ruamel.yaml.nodes"}


def test_composing_leaves_no_cycles_for_the_garbage_collector():
    gc.collect()
    compose(SCALARS)
    assert gc.collect() == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: &a [*a]\n", "cycle"),
        ('{"a":&x [1], "b":[*x,*x]}\n', None),  # JSON-like key: an anchor right after the colon
        ("a: &a\n  - *a\n", "cycle"),
        ("x: &x [" + ",".join(["y"] * 40) + "]\n" + "".join(f"x{i}: &x{i} [" + ",".join([f"*x{i - 1 if i else ''}"] * 40) + "]\n" for i in range(4)), "alias bomb"),
    ],
)
def test_graphs_with_aliases_are_still_checked(text, message):
    if message is None:
        assert compose(text) is not None
        return
    with pytest.raises(YAMLLoadError, match=message):
        compose(text)


def test_alias_free_text_skips_the_graph_walk(monkeypatch):
    calls = []
    monkeypatch.setattr(yamlnode, "_check_graph", lambda node: calls.append(node))
    compose("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: ls *.txt\n")
    compose("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make && make test\n")
    assert calls == []  # what looks like an alias, or an anchor, but not both
    compose("a: &x 1\nb: *x\n")
    assert len(calls) == 1


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n",
        "a: &x 1\nb: *x\n",
        "[&x 1, *x]",
        "a: 'it is *not* an alias & not an anchor'\n",
        "a: 'x\u2028\u2029\x85y'\n",  # characters Python breaks lines at and YAML does not
    ],
)
def test_tree_shortcut_is_only_taken_without_an_alias(text):
    node = compose(text)
    seen = set()
    reached_twice = False
    for n in _every_reference(node):
        reached_twice |= id(n) in seen
        seen.add(id(n))
    if yamlnode._plainly_a_tree(text, yamlnode._max_line_length(text)):
        assert not reached_twice


def _every_reference(node):
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current.value, list):
            for child in current.value:
                stack.extend(child if isinstance(child, tuple) else (child,))


def test_pure_parser_fallback_gives_the_same_graph(monkeypatch):
    def plain(node):  # the pure parser says None where the C one says '' for a plain scalar
        return [row[:4] + (row[4] or None,) + row[5:] for row in shape(node)]

    # (and marks an empty value one character later: that line is left out)
    text = SCALARS.replace("f:\n", "")
    expected = plain(compose(text))
    monkeypatch.setattr(yamlnode, "c_parser_available", lambda: False)
    assert plain(compose(text)) == expected


def _imported_after(code, tmp_path):
    from helpers import run_code

    script = f"import sys\n{code}\nprint('MODULES', *sorted(m for m in sys.modules if m.split('.')[0] in ('ruamel', 'jsonschema', 'croniter', 'wflint')))"
    result = run_code(script, tmp_path)
    modules = result.stdout.splitlines()[-1].split()
    assert modules[0] == "MODULES", result.stderr
    return set(modules[1:])


def test_version_imports_no_yaml_schema_or_cron_code(tmp_path):
    loaded = _imported_after("from wflint.cli import main\nmain(['--version'])", tmp_path)
    assert loaded and loaded <= {"wflint", "wflint.cli", "wflint.checkcmd"}


def test_linting_a_file_without_schedules_imports_neither_jsonschema_nor_croniter(tmp_path):
    (tmp_path / "ci.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n")
    loaded = _imported_after("from wflint.cli import main\nmain(['--no-cache', 'ci.yml'])", tmp_path)
    assert "wflint.engine" in loaded
    assert not {m for m in loaded if m.split(".")[0] in ("jsonschema", "croniter")}
    assert not {"wflint.cache", "wflint.report.json", "wflint.docs"} & loaded


@pytest.mark.parametrize("schedule, croniter", [("*/5 * * * 1-5", False), ("0 0 * * MON", False), ("0 0 L * *", True)])
def test_croniter_is_imported_only_for_a_schedule_wflint_does_not_expand_itself(tmp_path, schedule, croniter):
    (tmp_path / "ci.yml").write_text(f"on:\n  schedule:\n    - cron: '{schedule}'\njobs:\n  a:\n    runs-on: x\n")
    loaded = _imported_after("from wflint.cli import main\nmain(['--no-cache', 'ci.yml'])", tmp_path)
    assert "wflint.cron" in loaded
    assert ("croniter" in loaded) is croniter


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",
    "&x a: 1\nb: *x\n",  # an anchored key
    "a: !!str &x v\nb: *x\n",  # after a tag
    "l:\n  - &x v\n  - *x\n",
    "l: [a, &x b, *x]\n",
    "m: {a: &x 1, b: *x}\n",
    "l: [a,\n  &x b, *x]\n",  # a flow continued on the next line
    "? &x k\n: v\nb: *x\n",
    "--- &x\n- a\n- *x\n",
    "- &x a\n- *x\n",
    "a:\r  &x 1\rb: *x\r",  # old Mac line breaks
    "a:\u2028&x 1\nb: *x\n",
    '{"a":&x [1], "b":[*x]}\n',
    "x: [!!str &a v]\ny: [*a]\n",  # a tag right after a flow's bracket
    "x: {? !t &a k : v}\ny: *a\n",
])
def test_a_text_with_an_alias_is_never_taken_for_a_tree(text):
    assert not yamlnode.plainly_a_tree(text)


_ANCHORS = ["&a ", "&a\t", "&a\n  ", "!!str &a ", "!t &a ", "&a !!map\n  ", "!<tag:x,2000:y> &a ", "!!str\t&a "]
_PLACES = [
    "x: {A}v\ny: *a\n", "x:\n  - {A}v\n  - *a\n", "x: [1, {A}v, *a]\n", "x: {k: {A}v, j: *a}\n",
    "x: [1,\n   {A}v,\n   *a]\n", "? {A}k\n: v\ny: *a\n", "--- {A}\n- v\n- *a\n", "x:\n  {A}\n  k: v\ny: *a\n",
    "x: # c\n  {A}v\ny: *a\n", "- - {A}v\n  - *a\n", "x: !!seq\n- {A}v\n- *a\n", "x: [{A}v]\ny: [*a]\n",
    "x: {? {A}k : v}\ny: *a\n", "x: {{A}k: v, j: *a}\n", "x: [[{A}v]]\ny: *a\n", "x: {a: [{A}v]}\ny: *a\n",
    "x:\t{A}v\ny: *a\n", "x:\n  -   {A}v\ny: *a\n",
]


@pytest.mark.parametrize("place", _PLACES)
def test_an_anchor_anywhere_a_node_starts_is_seen(place):
    # every property order and separator, in every node position: a graph with a node used
    # twice is never taken for a tree by the text test (texts that do not load are skipped)
    for anchor in _ANCHORS:
        for text in (place.replace("{A}", anchor), place.replace("{A}", anchor).replace("\n", "\r\n")):
            try:
                root = compose(text)
            except YAMLLoadError:
                continue
            if root is not None and not yamlnode._is_tree(root):
                assert not yamlnode.plainly_a_tree(text), text


@pytest.mark.parametrize("text", [
    "on: push\njobs:\n  a:\n    steps:\n      - run: make && rm -f *.o\n",
    "on: push\njobs:\n  a:\n    steps:\n      - run: |\n          make && cp *.txt out\n",
    "x: 'a && *b'\n# &c and *d in a comment\n",
])
def test_shell_ands_and_globs_are_not_anchors_and_aliases(text):
    assert yamlnode.plainly_a_tree(text)
    root = compose(text)
    assert yamlnode._is_tree(root)


def test_plain_scalar_tags_match_ruamels_own_c_loader_for_every_first_character():
    values = ["ubuntu-latest", "Yes", "NULL", "Null", "~", "é", "=", "<<", "TRUE", "nan", ".5", "+1", "-.inf",
              "0x1F", "2026-01-01", "2026-01-01T10:00:00Z", "on", "off", "y", "n", "1:20", "!", "&", "*"]
    text = "".join(f"k{i}: [{v!s}]\n" if v in "!&*" else f"k{i}: {v}\n" for i, v in enumerate(values))
    text = text.replace("[!]", "'!'").replace("[&]", "'&'").replace("[*]", "'*'")
    expected = YAML(typ="safe", pure=False).compose(text)
    assert [n.tag for n in walk(compose(text))] == [n.tag for n in walk(expected)]


def _slots(node):
    names = [n for cls in type(node).__mro__ for n in getattr(cls, "__slots__", ())]
    return {n: getattr(node, n) for n in names}


@pytest.mark.parametrize("args, kwargs", [
    (("tag:yaml.org,2002:str", "v"), {}),
    (("tag:yaml.org,2002:str", "v", "start", "end"), {}),
    (("tag:yaml.org,2002:str", "v", "start", "end", "'"), {}),
    (("!custom", "v"), {"start_mark": "s", "end_mark": "e", "comment": ["c"], "anchor": "a"}),
])
def test_lean_initialisers_build_what_ruamels_own_build(args, kwargs):
    from ruamel.yaml import nodes
    from ruamel.yaml.tag import Tag

    compose("a: 1\n")  # installs them
    if not yamlnode._stock_inits:  # pragma: no cover - a ruamel.yaml they do not fit
        pytest.skip("the lean initialisers are not installed for this ruamel.yaml")
    for cls in (nodes.ScalarNode, nodes.SequenceNode, nodes.MappingNode):
        call_kwargs = dict(kwargs)
        call_args = args
        if cls is not nodes.ScalarNode and len(args) == 5:  # the fifth is flow_style for collections
            call_args = args[:4] + (True,)
        lean, stock = object.__new__(cls), object.__new__(cls)
        cls.__init__(lean, *call_args, **call_kwargs)
        yamlnode._stock_inits[cls](stock, *call_args, **call_kwargs)
        assert {k: str(v) if isinstance(v, Tag) else v for k, v in _slots(lean).items()} == \
            {k: str(v) if isinstance(v, Tag) else v for k, v in _slots(stock).items()}, cls


def test_only_the_composing_thread_lists_its_mappings():
    import threading

    from ruamel.yaml import nodes

    compose("a: 1\n")
    mine: list = []
    yamlnode._lean_state[:] = [mine, threading.get_ident() + 1]  # another thread's compose
    try:
        nodes.MappingNode("tag:yaml.org,2002:map", [])
    finally:
        yamlnode._lean_state[:] = [None, None]
    assert mine == []


def test_a_compose_in_another_thread_meanwhile_keeps_both_graphs_right():
    import threading

    texts = ["a: {b: {c: 1}}\nd: [ {e: 2} ]\n", "x: {y: 1}\nz: {w: {v: 2}}\n"]
    failures = []

    def work(text):
        for _ in range(200):
            root = compose(text)
            walked = [id(n) for n in walk(root) if isinstance(n, MappingNode)]
            made = yamlnode.composed_mappings(root)
            if made is not None and [id(n) for n in made] != walked:
                failures.append(text)
            own = YAML(typ="safe", pure=False).compose(text)  # ruamel's own loader, same process
            if [n.tag for n in walk(own)] != [n.tag for n in walk(root)]:
                failures.append(text)

    threads = [threading.Thread(target=work, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.skipif(not __import__("helpers").CORPUS.is_dir(), reason="../shared/corpus is not available")
def test_on_real_workflows_the_composed_list_and_the_alias_test_hold():
    # A quarter of the corpus: the composer's mapping list is the walk's, and a file whose text
    # passes for alias-free has no node used twice.
    import os

    from helpers import CORPUS

    paths = sorted(os.path.join(root, name) for root, _, names in os.walk(CORPUS) for name in names
                   if name.endswith((".yml", ".yaml")))[::4]
    checked = 0
    for path in paths:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace").lstrip("\ufeff")
        try:
            root = compose(text)
        except YAMLLoadError:
            continue
        if root is None:
            continue
        walked = [id(n) for n in walk(root) if isinstance(n, MappingNode)]
        assert [id(n) for n in yamlnode.composed_mappings(root) or []] == walked or not yamlnode.c_parser_available()
        if yamlnode.plainly_a_tree(text):
            assert yamlnode._is_tree(root), path
        checked += 1
    assert checked > 500


def test_pricing_leaves_no_reference_cycle_holding_the_graph():
    # run_minutes' recursive helper referred to itself through its closure, and to the model:
    # every priced workflow's graph stayed alive until a garbage collection
    import gc

    from wflint import yamlnode
    from wflint.cost.model import WorkflowCost
    from wflint.source import Source
    from wflint.stake import stake
    from wflint.workflow import build

    text = ("on: [push, pull_request]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
            "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: y}]\n")
    import weakref

    gc.disable()
    try:
        model = WorkflowCost(build(Source(path="ci.yml", text=text), yamlnode.compose(text)))
        assert model.price(stake("superseded"))["minutes_per_month"] > 0  # run_minutes is asked
        gone = weakref.ref(model)
        del model
        assert gone() is None  # freed by its reference count, no collection needed
    finally:
        gc.enable()
