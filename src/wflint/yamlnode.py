"""Parsing YAML into a position-carrying node graph, and small helpers over its nodes.

The node graph comes from ruamel.yaml's *compose* step: no Python objects are
constructed, every node keeps its start and end marks, and an alias is the very
node object its anchor names (so graphs are walked with a ``seen`` set, never
expanded).  The C parser is used where ``ruamel.yaml.clib`` is installed.

Hostile input stays cheap: both composers recurse once per nesting level (the C
one in C, where too deep a file crashes the process), so a file whose nesting
*may* exceed ``MAX_DEPTH`` (a bound from line lengths and brackets) is first
scanned as an event stream, which does not recurse and stops at the first level
too deep.  The composed graph is then checked for cycles and for aliases that
would expand to too many nodes or too deep a tree (a "billion laughs" bomb); it
is never expanded to find out.
"""

from __future__ import annotations

import operator as _operator
import re
import sys
from _thread import allocate_lock as _allocate_lock
from _thread import get_ident as _get_ident
from functools import lru_cache
from typing import Iterator, List, Optional, Tuple

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .finding import Span

# Limits that keep hostile files cheap.  Real workflows nest fewer than 30 levels
# and aliases add a few hundred nodes at most.
MAX_DEPTH = 1000
MAX_ALIAS_EXPANSION = 200_000  # nodes that expanding every alias would add

Entry = Tuple[ScalarNode, Node]


class YAMLLoadError(Exception):
    """Text that is not one YAML document wflint can use. ``offset`` points at the problem."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


# An indicator followed by a name character: what could be an alias (``*name``)
# or an anchor (``&name``) if it starts a token.  Searched from the literal
# indicator (fast), then the character before it is checked.
_ALIAS_LIKE = re.compile(r"\*[^\s,\[\]{}]")
_ANCHOR_LIKE = re.compile(r"&[^\s,\[\]{}]")


def _token_starts(pattern, text: str) -> bool:
    """True if ``pattern`` matches where a YAML token can start (shell globs and ``&&`` count too)."""
    for match in pattern.finditer(text):
        at = match.start()
        if at == 0 or text[at - 1].isspace() or text[at - 1] in "[{,:":
            return True
    return False


_parsers = {}


def _yaml(pure: bool):
    if pure not in _parsers:
        from ruamel.yaml import YAML

        _parsers[pure] = YAML(typ="safe", pure=pure)
    return _parsers[pure]


_c_loader = None


def _compose_c(text: str) -> Optional[Node]:
    """Compose with the C parser through a loader class built once.

    ``YAML(typ="safe").compose`` would build a class per call and resolve tags
    with ``VersionedResolver``, which looks the YAML version up, through two
    caught exceptions, three times per scalar; the plain YAML 1.2 ``Resolver``
    gives the same tags (the C parser does not pass ``%YAML`` directives on).
    """
    global _c_loader
    if _c_loader is None:
        from ruamel.yaml.cyaml import CParser
        from ruamel.yaml.resolver import Resolver

        from ruamel.yaml.nodes import MappingNode as _Mapping
        from ruamel.yaml.nodes import ScalarNode as _Scalar

        resolved: dict = {}  # plain scalar text -> its tag (one Tag object shared by equal texts)
        scalar_tag, mapping_tag = Resolver.DEFAULT_SCALAR_TAG, Resolver.DEFAULT_MAPPING_TAG
        sequence_tag = Resolver.DEFAULT_SEQUENCE_TAG
        # The first characters the implicit resolvers (bool, int, float, null, merge...) are
        # filed under: a plain scalar starting otherwise is a string without trying them.
        implicit_firsts = frozenset(Resolver.yaml_implicit_resolvers)
        if None in implicit_firsts:  # a resolver for any first character: always try them
            implicit_firsts = None

        class Loader(CParser, Resolver):
            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                # No ``loadumper``: it would be the loader itself, a cycle that
                # keeps every composed graph alive until a full garbage collection.
                Resolver.__init__(self)

            def resolve(self, kind, value, implicit):
                # Without path resolvers a tag depends on the node's kind and, for a plain
                # scalar, its text: what Resolver.resolve returns, without its lookups.  The
                # same texts (`true`, `ubuntu-latest`, `3.12`) come back in every file.
                if kind is not _Scalar:
                    return mapping_tag if kind is _Mapping else sequence_tag
                if not implicit[0]:
                    return scalar_tag  # quoted, or a block scalar
                if implicit_firsts is not None and value[:1] not in implicit_firsts:
                    return scalar_tag  # what Resolver.resolve returns when no resolver is filed there
                if len(value) > 40:
                    return Resolver.resolve(self, kind, value, implicit)
                found = resolved.get(value)
                if found is None:
                    if len(resolved) >= 10_000:  # a small table: it stays in memory
                        resolved.clear()
                    found = resolved[value] = Resolver.resolve(self, kind, value, implicit)
                return found

            # Without path resolvers, entering and leaving a node changes nothing: C callables
            # that do nothing with the composer's arguments (a builtin is not bound to the
            # loader, so ``self.descend_resolver(node, index)`` is ``is_(node, index)``).
            descend_resolver = _operator.is_
            ascend_resolver = tuple

        if _lean_installed():  # nodes keep their tag in ``ctag``
            _STR_TAG[0] = scalar_tag  # strings share it: a key with it is not a merge key unless `<<`
        if Resolver.yaml_path_resolvers:  # someone registered one: resolve (and build nodes) as ruamel does
            del Loader.resolve, Loader.descend_resolver, Loader.ascend_resolver
        _c_loader = Loader
    if not _lean_installed():
        loader = _c_loader(text)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    made: List[MappingNode] = []
    with _LEAN_LOCK:  # one wflint compose at a time lists its mappings
        _lean_state[:] = [made, _get_ident()]
        loader = _c_loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
            _lean_state[:] = [None, None]
    # every mapping the composer made, in document order (outer before inner), for the walks
    # that look at each mapping once
    _composed[0] = (root, made)  # one store: another thread reads both or neither
    return root


# -- lean node initialisers for the C composer --------------------------------------
#
# ruamel.yaml.clib's composer builds each node by calling ruamel's ``ScalarNode`` /
# ``SequenceNode`` / ``MappingNode``; their ``__init__`` calls ``Node.__init__`` with keywords
# and converts the tag.  The first compose gives the three classes initialisers that take the
# same arguments and set the same slots directly (a quarter of composing a workflow), for the
# rest of the process: every node, whoever builds it, is the one ruamel's would be.  (Swapping
# them per compose instead costs more: each change of a class resets the interpreter's
# attribute caches for its instances.)  They are installed only over the exact slot layout
# they fill (ruamel.yaml 0.18 and 0.19); the mapping one also lists the mappings of wflint's
# own compose, in the thread that runs it.


def _lean_scalar_init(self, tag, value, start_mark=None, end_mark=None, style=None, comment=None, anchor=None):
    self.ctag = tag if type(tag) is _Tag else _as_tag(tag)
    self.value = value
    self.start_mark = start_mark
    self.end_mark = end_mark
    self.comment = comment
    self.anchor = anchor
    self.style = style


def _lean_sequence_init(self, tag, value, start_mark=None, end_mark=None, flow_style=None, comment=None, anchor=None):
    self.ctag = tag if type(tag) is _Tag else _as_tag(tag)
    self.value = value
    self.start_mark = start_mark
    self.end_mark = end_mark
    self.comment = comment
    self.anchor = anchor
    self.flow_style = flow_style


def _lean_mapping_init(self, tag, value, start_mark=None, end_mark=None, flow_style=None, comment=None, anchor=None):
    # the sequence's lines again, not a call to it: a Python call per mapping costs 0.5% of a lint
    self.ctag = tag if type(tag) is _Tag else _as_tag(tag)
    self.value = value
    self.start_mark = start_mark
    self.end_mark = end_mark
    self.comment = comment
    self.anchor = anchor
    self.flow_style = flow_style
    self.merge = None
    made, owner = _lean_state
    if made is not None and _get_ident() == owner:
        made.append(self)


_Tag = None
_LEAN_LOCK = _allocate_lock()
_lean_state: list = [None, None]  # [the mappings of wflint's compose, the thread composing]
_installed: list = []  # [whether the lean initialisers are in place]: decided once
_stock_inits: dict = {}  # class -> ruamel's own initialiser (for the tests' comparison)
_composed: list = [(None, None)]  # [(the graph last composed with the lean initialisers, its mappings)]

# The slots each class's initialiser fills, as the lean ones fill them.
_LAYOUT = {"Node": ("ctag", "value", "start_mark", "end_mark", "comment", "anchor"),
           "ScalarNode": ("style",), "CollectionNode": ("flow_style",), "SequenceNode": (), "MappingNode": ("merge",)}


def _as_tag(tag):
    return tag if isinstance(tag, _Tag) else _Tag(suffix=tag)


def _lean_installed() -> bool:
    """Install the lean initialisers once, when ruamel.yaml's node classes have the slot layout
    they fill; whether they are in place."""
    global _Tag
    if not _installed:
        ok = False
        try:
            import ruamel.yaml.nodes as nodes
            from ruamel.yaml.tag import Tag

            ok = all(tuple(getattr(getattr(nodes, name), "__slots__", ())) == tuple(slots) for name, slots in _LAYOUT.items())
            if ok:
                _Tag = Tag
                for cls in (nodes.ScalarNode, nodes.SequenceNode, nodes.MappingNode):
                    _stock_inits[cls] = cls.__init__  # ruamel's own (an inherited one for sequences)
                nodes.ScalarNode.__init__ = _lean_scalar_init
                nodes.SequenceNode.__init__ = _lean_sequence_init
                nodes.MappingNode.__init__ = _lean_mapping_init
        except (ImportError, AttributeError):  # pragma: no cover - another ruamel.yaml
            ok = False
        _installed.append(ok)
    return _installed[0]


def composed_mappings(root: Node) -> Optional[List[MappingNode]]:
    """Every distinct mapping of ``root``'s graph in document order, when ``root`` is the graph
    ``compose`` made last with the lean initialisers (None: walk it)."""
    last, made = _composed[0]
    return made if last is root and root is not None else None


@lru_cache(maxsize=None)
def c_parser_available() -> bool:
    try:
        from ruamel.yaml.cyaml import CParser  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the platform
        return False
    return True


def depth_bound(text: str) -> int:
    """An upper bound of the nesting depth, cheap to compute.

    A block level needs at least one more column (a sequence under a key two
    levels per two columns), so block depth is at most the longest line plus 2;
    a flow level needs an opening bracket.  Lines are split at ``\n`` only,
    which YAML also breaks at, so no line is counted shorter than YAML sees it.
    """
    longest = _max_line_length(text)
    flow = 0
    if text.count("[") + text.count("{") > MAX_DEPTH - longest:
        depth = 0
        for bracket in re.sub(r"[^\[\]{}]+", "", text):
            if bracket in "[{":
                depth += 1
                flow = max(flow, depth)
            elif depth:
                depth -= 1
    return longest + 2 + flow


# Lines are measured only when one may be long: a line of 2 * _BLOCK characters or more holds
# a whole aligned block of _BLOCK characters with no line break in it.
_BLOCK = (MAX_DEPTH - 2) // 4


def may_nest_too_deep(text: str) -> bool:
    """``depth_bound(text) > MAX_DEPTH``, without splitting the text into lines when it has no
    long line and few brackets (nearly every file): then every line is shorter than
    ``2 * _BLOCK`` and the bound cannot pass the limit."""
    find = text.find
    if any(find("\n", start, start + _BLOCK) < 0 for start in range(0, len(text) - _BLOCK + 1, _BLOCK)):
        return depth_bound(text) > MAX_DEPTH  # a long line: measure
    shortest_room = MAX_DEPTH - (2 * _BLOCK - 1) - 2  # the brackets a bound past the limit needs, at least
    if len(text) <= shortest_room or text.count("[") + text.count("{") <= shortest_room:
        return False
    return depth_bound(text) > MAX_DEPTH


def _check_depth(text: str, pure: bool) -> None:
    """Scan the event stream (no recursion) and stop at the first level deeper than MAX_DEPTH."""
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    depth = 0
    for event in _yaml(pure).parse(text):
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YAMLLoadError(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark.index)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _compose(text: str, pure: bool) -> Optional[Node]:
    if not pure:
        return _compose_c(text)
    # The pure composer takes two Python frames per level: make room for MAX_DEPTH.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, limit + 3 * MAX_DEPTH))
    try:
        return _yaml(True).compose(text)
    finally:
        sys.setrecursionlimit(limit)


def _max_line_length(text: str) -> int:
    # Split at ``\n`` only: ``splitlines`` also breaks at characters YAML does not.
    return max(map(len, text.split("\n")), default=0)


def _anchor_starts(text: str) -> bool:
    """True if an ``&name`` may start a node: an anchor.

    A node starts a line's content, follows ``- ``, ``? ``, ``: `` or a tag, or follows
    ``[``, ``{`` or ``,`` in a flow; the ``&&`` of ``run: make && make test`` follows a word
    and is part of its scalar.  Anything that may be a node start counts (conservative).
    """
    if any(c in text for c in "\r\x85\u2028\u2029"):  # line breaks other than \n: any token start
        return _token_starts(_ANCHOR_LIKE, text)
    for match in _ANCHOR_LIKE.finditer(text):
        at = match.start()
        if at == 0:
            return True
        previous = text[at - 1]
        if previous in "[{,:":
            return True
        if not previous.isspace():
            continue
        before = text[text.rfind("\n", 0, at) + 1 : at].rstrip()
        if not before or before[-1] in "-?:[{,|>":
            return True
        # after a tag (``!!str &a``, ``[!t &a``): the last word, past any flow indicator, is one
        if re.split(r"[\[{,]", before.split()[-1])[-1].startswith("!"):
            return True
    return False


def _plainly_a_tree(text: str, longest_line: int = 0) -> bool:
    """True when the text alone shows the graph has no alias (there is none without an anchor)."""
    return not (_token_starts(_ALIAS_LIKE, text) and _anchor_starts(text))


def compose(text: str) -> Optional[Node]:
    """Compose ``text`` (without BOM) into a node graph; None for an empty stream."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    pure = not c_parser_available()
    try:
        if may_nest_too_deep(text):
            _check_depth(text, pure)
        node = _compose(text, pure)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.problem and "expected a single document" in exc.context:
            problem = "several YAML documents in one file; a workflow is one document"
        elif exc.context:
            problem = f"{exc.context}: {problem}"
        elif problem.startswith("found undefined alias") and mark is not None:
            name = re.match(r"\*([^\s,\[\]{}]+)", text[mark.index :])
            if name:
                problem = f"found undefined alias `*{name.group(1)}`"
        raise YAMLLoadError(problem, mark.index if mark is not None else 0) from None
    except RecursionError:  # pragma: no cover - the depth scan prevents it
        raise YAMLLoadError(f"nesting deeper than the parser allows (limit {MAX_DEPTH} levels)", 0) from None
    except YAMLError as exc:
        raise YAMLLoadError(str(exc).strip() or "invalid YAML", 0) from None
    if node is not None and not _plainly_a_tree(text):
        _check_graph(node)
    return node


def _check_graph(root: Node) -> None:
    """Reject a graph with a cycle, or whose aliases would expand too far or too deep.

    A graph without aliases is a tree: nothing to expand, and its depth was bounded
    before composing.  Otherwise one post-order walk over the distinct nodes
    computes, for each, the size and height its subtree would have with every
    alias expanded.
    """
    if _is_tree(root):
        _known_tree[0] = root
        return
    size = {}
    height = {}
    on_path = set()
    distinct = 0
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            distinct += 1
            if size[key] - distinct > MAX_ALIAS_EXPANSION:
                raise YAMLLoadError(
                    f"aliases would expand to more than {MAX_ALIAS_EXPANSION:,} extra nodes (an alias bomb); not expanded",
                    node.start_mark.index,
                )
            if height[key] > MAX_DEPTH:
                raise YAMLLoadError(f"aliases nest deeper than {MAX_DEPTH} levels when expanded", node.start_mark.index)
            continue
        if key in size:
            continue
        if key in on_path:
            raise YAMLLoadError("an alias refers to a node that contains it (a cycle)", node.start_mark.index)
        on_path.add(key)
        stack.append((node, True))
        stack.extend((kid, False) for kid in _children(node) if id(kid) not in size)


_known_tree: List[Optional[Node]] = [None]  # the last graph ``_check_graph`` found to be a tree


def known_tree(root: Node) -> bool:
    """True when ``compose`` already walked this graph and found no node reached twice (the
    text had what looked like an alias and an anchor: a shell glob, a ``&&``)."""
    return _known_tree[0] is root


def _is_tree(root: Node) -> bool:
    """True when no node is reached twice (no alias, no cycle)."""
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return False
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return True


def _children(node: Node) -> List[Node]:
    if isinstance(node, MappingNode):
        out = []
        for k, v in node.value:
            out.append(k)
            out.append(v)
        return out
    if isinstance(node, SequenceNode):
        return node.value
    return []


# -- helpers over nodes -----------------------------------------------------------


def tag(node: Node) -> str:
    """``node.tag`` without its four Python calls in the usual case.

    ruamel's ``Tag`` keeps the text ``node.tag`` gives once it has been asked for it
    (``_trval``); otherwise ``node.tag`` computes (and keeps) it.
    """
    try:
        found = node.ctag._trval
    except AttributeError:
        return node.tag
    return found if found is not None else node.tag


def is_map(node: Optional[Node]) -> bool:
    return isinstance(node, MappingNode)


def is_seq(node: Optional[Node]) -> bool:
    return isinstance(node, SequenceNode)


def is_scalar(node: Optional[Node]) -> bool:
    return isinstance(node, ScalarNode)


def is_null(node: Optional[Node]) -> bool:
    return node is None or (isinstance(node, ScalarNode) and tag(node).endswith(":null"))


def scalar(node: Optional[Node]) -> Optional[str]:
    """The text of a non-null scalar, else None."""
    if isinstance(node, ScalarNode) and not tag(node).endswith(":null"):
        return node.value
    return None


def is_true(node: Optional[Node]) -> bool:
    return isinstance(node, ScalarNode) and tag(node).endswith(":bool") and node.value.lower() == "true"


def _is_merge(key: ScalarNode, tag: str) -> bool:
    return tag.endswith(":merge") or (key.value == "<<" and not key.style)


_STR_TAG: list = [None]  # the Tag object the C loader gives every string (set when it is built)


def _scalar_is_merge(key: ScalarNode) -> bool:
    """``_is_merge`` of a scalar key; a key with the loader's string tag is a merge only as a plain ``<<``."""
    str_tag = _STR_TAG[0]
    if str_tag is not None and key.ctag is str_tag:
        return key.value == "<<" and not key.style
    return _is_merge(key, tag(key))


def _is_merge_key(key: Node) -> bool:
    return isinstance(key, ScalarNode) and _scalar_is_merge(key)


def entries(node: Optional[Node]) -> List[Entry]:
    """Key/value pairs of a mapping, merge keys (``<<``) resolved; [] for a non-mapping.

    Explicit keys win over merged ones, as YAML's merge rules say.
    """
    if not isinstance(node, MappingNode):
        return []
    own: List[Entry] = []
    merged: List[Entry] = []
    for key, value in node.value:
        if _is_merge_key(key):
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for src in sources:
                if isinstance(src, MappingNode) and src is not node:
                    merged.extend((k, v) for k, v in src.value if not _is_merge_key(k))
        else:
            own.append((key, value))
    if not merged:
        return own
    seen = {k.value for k, _ in own if isinstance(k, ScalarNode)}
    for key, value in merged:
        if isinstance(key, ScalarNode) and key.value not in seen:
            seen.add(key.value)
            own.append((key, value))
    return own


# Each mapping's entries by key text, built on the first ``get``: (the mapping, its index),
# by id (nodes have no room for attributes; holding the node keeps its id from being reused).
_INDEX: dict = {}
_INDEX_LIMIT = 100_000  # mappings indexed before the table starts over (a long-lived process)


def _index(node: MappingNode) -> dict:
    """``{key text: entry}`` as ``entries`` orders them, the first entry of each text kept."""
    found = _INDEX.get(id(node))
    if found is not None and found[0] is node:
        return found[1]
    index: dict = {}
    merges = False
    for k, v in node.value:
        if isinstance(k, ScalarNode):
            if _scalar_is_merge(k):
                merges = True
            elif k.value not in index:
                index[k.value] = (k, v)
    if merges:
        for k, v in entries(node):
            if isinstance(k, ScalarNode) and k.value not in index:
                index[k.value] = (k, v)
    if len(_INDEX) >= _INDEX_LIMIT:
        _INDEX.clear()
    _INDEX[id(node)] = (node, index)
    return index


def forget() -> None:
    """Drop the mappings' indexes and memos (a lint calls it when it is done with its graph)."""
    _INDEX.clear()
    _MEMO.clear()


_MEMO: dict = {}  # (id(node), what) -> (node, value), as _INDEX


def memo(node: Node, what: str, compute):
    """``compute(node)``, computed once per node until ``forget`` (the next file's lint):
    for what several rules derive from the same node (a job's matrix)."""
    key = (id(node), what)
    found = _MEMO.get(key)
    if found is not None and found[0] is node:
        return found[1]
    value = compute(node)
    if len(_MEMO) >= _INDEX_LIMIT:
        _MEMO.clear()
    _MEMO[key] = (node, value)
    return value


def get(node: Optional[Node], key: str) -> Optional[Entry]:
    """The entry named ``key``, as ``entries`` would find it, without building the list."""
    if not isinstance(node, MappingNode):
        return None
    found = _INDEX.get(id(node))
    if found is not None and found[0] is node:
        return found[1].get(key)
    return _index(node).get(key)


def get_value(node: Optional[Node], key: str) -> Optional[Node]:
    entry = get(node, key)
    return entry[1] if entry else None


def keys(node: Optional[Node]) -> List[str]:
    return [k.value for k, _ in entries(node) if isinstance(k, ScalarNode)]


def items(node: Optional[Node]) -> List[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def strings(node: Optional[Node]) -> List[str]:
    """The non-empty strings of a scalar or a list of scalars (``branches: main`` or ``[a, b]``)."""
    return [p for p in ([scalar(item) for item in items(node)] or [scalar(node)]) if p]


def span(node: Node) -> Span:
    return Span(node.start_mark.index, node.end_mark.index)


def entry_span(node: Optional[Node], key: str) -> Optional[Span]:
    """Where the value of ``key`` is written in ``node``: the value's span, or the key's when
    the value is an alias (an alias carries its anchor's marks, somewhere else)."""
    entry = get(node, key)
    if entry is None:
        return None
    k, v = entry
    return span(v) if v.start_mark.index >= k.end_mark.index else span(k)


def walk(node: Optional[Node]) -> Iterator[Node]:
    """Every distinct node reachable from ``node`` (aliases visited once)."""
    if node is None:
        return
    seen = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        stack.extend(reversed(_children(current)))


def plainly_a_tree(text: str) -> bool:
    """True when the text alone shows its graph has no alias: every node is used once."""
    return _plainly_a_tree(text)


class UsedOnce(dict):
    """``alias_uses``'s counts for a tree (no alias): every node asked about is used once."""

    def get(self, key, default=None):
        return 1


def alias_uses(root: Node) -> Tuple[dict, set]:
    """How many times each node is used (ids to counts), and the ids of the nodes used more
    than once through aliases together with every node inside them."""
    uses = {}
    nodes = {}
    for node in walk(root):
        nodes[id(node)] = node
        for child in _children(node):
            uses[id(child)] = uses.get(id(child), 0) + 1
    shared = set()
    stack = [nodes[key] for key, count in uses.items() if count > 1]
    while stack:
        node = stack.pop()
        if id(node) not in shared:
            shared.add(id(node))
            stack.extend(_children(node))
    return uses, shared


def mappings(node: Optional[Node]) -> Iterator[MappingNode]:
    """Every distinct mapping reachable from ``node``, outer before inner (aliases visited once).

    Scalars, most of a workflow's nodes, are never stacked.
    """
    if node is None:
        return
    made = composed_mappings(node)
    if made is not None:
        yield from made
        return
    seen = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, MappingNode):
            yield current
            children = [child for pair in current.value for child in pair]
        elif isinstance(current, SequenceNode):
            children = current.value
        else:
            continue
        stack.extend(child for child in reversed(children) if not isinstance(child, ScalarNode))


def duplicate_keys(root: Node) -> Iterator[Tuple[ScalarNode, ScalarNode]]:
    """(duplicate, first) key pairs in every mapping of the graph: same tag, same text.

    Keys are grouped by text first; tags are compared only when texts collide.
    """
    for node in mappings(root):
        pairs = node.value
        if len(pairs) < 2:
            continue
        try:
            if len({key.value for key, _ in pairs}) == len(pairs):
                continue  # every key text once: nothing to compare (most mappings)
        except TypeError:  # a collection as a key (its value is a list): compare the scalar keys
            pass
        by_text: dict = {}
        for key, _ in node.value:
            if not isinstance(key, ScalarNode):
                continue
            earlier = by_text.setdefault(key.value, [])
            if earlier and not _is_merge_key(key):
                key_tag = tag(key)
                first = next((k for k in earlier if tag(k) == key_tag and not _is_merge_key(k)), None)
                if first is not None:
                    yield key, first
                    continue
            earlier.append(key)


def to_data(node: Optional[Node]):
    """Plain Python data for a node (strings for scalars, merges resolved), for comparisons."""
    if node is None:
        return None
    if isinstance(node, ScalarNode):
        return None if tag(node).endswith(":null") else node.value
    if isinstance(node, SequenceNode):
        return [to_data(v) for v in node.value]
    out = {}
    for k, v in entries(node):
        out[to_data(k) if isinstance(k, ScalarNode) else repr(to_data(k))] = to_data(v)
    return out
