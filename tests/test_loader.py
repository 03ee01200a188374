"""The loader: positions, trigger forms, anchors, merge keys, encodings, bad documents."""

import pytest

from wflint import yamlnode as yn
from wflint.engine import lint_source, settings_for
from wflint.source import DecodeError, Source
from wflint.workflow import WorkflowError, load


def wf(text):
    return load(Source(path="w.yml", text=text))


def test_string_trigger():
    w = wf("on: push\njobs: {}\n")
    assert list(w.triggers) == ["push"]
    assert w.on_form == "scalar"
    assert w.triggers["push"].config is None


def test_list_trigger_keeps_order_and_positions():
    text = "on: [push, pull_request]\njobs: {}\n"
    w = wf(text)
    assert list(w.triggers) == ["push", "pull_request"]
    key = w.triggers["pull_request"].key
    assert text[key.start_mark.index:key.end_mark.index] == "pull_request"
    assert w.source.linecol(key.start_mark.index) == (1, 12)


def test_block_list_trigger():
    w = wf("on:\n  - push\n  - workflow_dispatch\njobs: {}\n")
    assert w.on_form == "list"
    assert list(w.triggers) == ["push", "workflow_dispatch"]


def test_mapping_trigger_with_null_and_filters():
    w = wf("on:\n  push:\n    branches: [main]\n  pull_request:\njobs: {}\n")
    assert w.on_form == "map"
    assert w.triggers["push"].has_filter("branches")
    assert yn.is_null(w.triggers["pull_request"].config)


def test_quoted_on_key():
    w = wf('"on": push\njobs: {}\n')
    assert "push" in w.triggers


def test_schedules_and_timezone():
    w = wf("on:\n  schedule:\n    - cron: '*/5 * * * *'\n    - cron: 0 9 * * 1\n      timezone: Europe/Berlin\njobs: {}\n")
    assert [s.cron for s in w.schedules] == ["*/5 * * * *", "0 9 * * 1"]
    assert w.schedules[1].timezone == "Europe/Berlin"


def test_jobs_and_steps():
    w = wf("on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/setup-node@v4\n        with: {cache: npm}\n  b:\n    uses: ./.github/workflows/r.yml\n")
    a, b = w.jobs
    assert a.id == "a" and not a.calls_reusable_workflow
    assert a.steps[0].action == "actions/setup-node"
    assert yn.scalar(a.steps[0].with_("cache")) == "npm"
    assert b.calls_reusable_workflow


def test_anchors_aliases_and_merge_keys():
    text = (
        "on: push\n"
        "x-defaults: &defaults\n  runs-on: ubuntu-latest\n  timeout-minutes: 10\n"
        "jobs:\n  a:\n    <<: *defaults\n    steps: []\n  b: *defaults\n"
    )
    w = wf(text)
    a, b = w.jobs
    assert yn.scalar(a.get("runs-on")) == "ubuntu-latest"
    assert yn.scalar(a.get("timeout-minutes")) == "10"
    assert yn.scalar(b.get("timeout-minutes")) == "10"
    assert yn.to_data(w.root)["jobs"]["a"] == {"steps": [], "runs-on": "ubuntu-latest", "timeout-minutes": "10"}


def test_explicit_key_wins_over_merge():
    w = wf("on: push\nd: &d {runs-on: a}\njobs:\n  j:\n    <<: *d\n    runs-on: b\n")
    assert yn.scalar(w.jobs[0].get("runs-on")) == "b"


def test_crlf_positions():
    text = "on: push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n"
    w = wf(text)
    key = w.jobs[0].key
    assert w.source.linecol(key.start_mark.index) == (3, 3)


def test_utf8_bom_is_kept_out_of_text_and_written_back():
    data = b"\xef\xbb\xbfon: push\njobs: {}\n"
    source = Source.from_bytes("w.yml", data)
    assert source.text.startswith("on:")
    assert source.encode() == data
    assert "push" in load(source).triggers


def test_utf16_with_bom():
    data = "on: push\njobs: {}\n".encode("utf-16")
    source = Source.from_bytes("w.yml", data)
    assert source.encode() == data
    assert "push" in load(source).triggers


def test_tabs_inside_strings():
    w = wf("on: push\nname: \"a\\tb\"\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: \"echo\tx\"\n")
    assert yn.scalar(w.jobs[0].steps[0].get("run")) == "echo\tx"


def test_invalid_utf8_and_binary():
    with pytest.raises(DecodeError):
        Source.from_bytes("w.yml", b"on: \xff\xfe push\n")
    with pytest.raises(DecodeError):
        Source.from_bytes("w.yml", b"\x00\x01\x02binary")


@pytest.mark.parametrize(
    "text, slug, line, col",
    [
        ("on: [push\njobs: {}\n", "invalid-yaml", 2, 5),
        ("on: 'unclosed\njobs: {}\n", "invalid-yaml", 3, 1),
        ("", "invalid-workflow", 1, 1),
        ("# only a comment\n", "invalid-workflow", 1, 1),
        ("- a\n- b\n", "invalid-workflow", 1, 1),
        ("just a string\n", "invalid-workflow", 1, 1),
        ("on: push\n---\njobs: {}\n", "invalid-yaml", 2, 1),
    ],
)
def test_bad_documents_are_findings_with_positions(text, slug, line, col):
    result = lint_source(Source(path="w.yml", text=text), settings_for())
    assert result.load_error
    [finding] = result.findings
    assert (finding.slug, finding.line, finding.col) == (slug, line, col)


def test_non_mapping_raises_workflow_error():
    with pytest.raises(WorkflowError):
        wf("[1, 2]\n")


def test_duplicate_keys_are_reported():
    findings = lint_source(Source(path="w.yml", text="on: push\njobs: {}\non: pull_request\n"), settings_for()).findings
    dup = [f for f in findings if f.slug == "duplicate-key"]
    assert len(dup) == 1 and dup[0].line == 3 and "line 1" in dup[0].message


def test_alias_bomb_is_reported_not_expanded():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    result = lint_source(Source(path="w.yml", text="\n".join(lines) + "\n"), settings_for())
    assert result.load_error
    assert "alias bomb" in result.findings[0].message


def test_deep_flow_nesting_is_reported():
    depth = 10_000
    text = "on: " + "[" * depth + "]" * depth + "\n"
    result = lint_source(Source(path="w.yml", text=text), settings_for())
    assert result.load_error
    assert "nesting deeper" in result.findings[0].message.lower()


def test_positions_without_the_line_table_are_the_tables():
    import random

    from wflint.source import Source

    rng = random.Random(3)
    for _ in range(500):
        text = "".join(rng.choice("ab\n\n x\r") for _ in range(rng.randint(0, 60)))
        counted, tabled = Source(path="x", text=text), Source(path="x", text=text)
        assert tabled.line_starts is not None  # laid out before asking
        for offset in range(len(text) + 1):
            assert counted.linecol(offset) == tabled.linecol(offset), (text, offset)


def test_the_quick_nesting_check_answers_as_the_bound_does():
    import random

    from wflint import yamlnode

    rng = random.Random(5)
    for _ in range(300):
        lines = []
        for _ in range(rng.randint(0, 12)):
            width = rng.choice((0, 3, 80, 248, 249, 250, 497, 498, 600, 990, 1200))
            lines.append("".join(rng.choice("ab [{]} ") if rng.random() < 0.3 else "a" for _ in range(width)))
        if rng.random() < 0.3:
            lines.append("[" * rng.randint(0, 900))
        text = "\n".join(lines)
        assert yamlnode.may_nest_too_deep(text) == (yamlnode.depth_bound(text) > yamlnode.MAX_DEPTH), text[:80]
