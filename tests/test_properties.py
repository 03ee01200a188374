"""Property-based tests: generated workflows in many styles lint without error and fix cleanly.

Workflows vary in trigger form (scalar, list, mapping; block or flow), jobs and
steps (block or flow, reusable calls), comments, quoting, indentation (2 or 4,
sequences indented or not), blank lines, CRLF, byte-order mark and final newline.
For each one, with every fix on:

* linting raises nothing and no rule fails (no ``internal-error``);
* every fix pass changes the data exactly as intended and no line it does not
  edit (``scripts/semantic_check.py``), the result loads, and fixing again
  changes nothing;
* the encoding, byte-order mark, line endings and final newline are kept;
* what was fixed is not reported again.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys

from hypothesis import given
from hypothesis import strategies as st

from wflint.engine import lint_source
from wflint.fixer import fix_source
from wflint.source import Source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load_script():
    spec = importlib.util.spec_from_file_location("wflint_semantic_check", os.path.join(ROOT, "scripts", "semantic_check.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


sc = _load_script()
SETTINGS = sc.all_fixes_settings()

EVENTS = ["push", "pull_request", "pull_request_target", "merge_group", "workflow_dispatch", "release", "workflow_call"]
CRONS = ["*/5 * * * *", "0 * * * *", "*/10 1-5 * * 1-5", "30 2 * * *", "0,30 * * * 0", "*/1 * * * *"]


@st.composite
def workflows(draw):
    unit = draw(st.sampled_from([2, 4]))
    dash = draw(st.sampled_from([0, unit]))  # where `-` sits under its key
    comments = draw(st.booleans())

    def pad(level: int) -> str:
        return " " * (unit * level)

    def quote(value: str, plain: bool = True) -> str:
        style = draw(st.sampled_from(["plain", "single", "double"] if plain else ["single", "double"]))
        if style == "single":
            return "'" + value.replace("'", "''") + "'"
        if style == "double":
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return value

    def note() -> str:
        return draw(st.sampled_from(["", "  # note", " # key: value", "    #"])) if comments else ""

    def blank() -> list:
        return [""] if draw(st.integers(0, 3)) == 0 else []

    def seq(items: list, level: int, flow: bool) -> list:
        """Lines of a sequence of plain strings under a key at ``level`` (the key line excluded)."""
        return [" " * (unit * level + dash) + f"- {quote(item)}" + note() for item in items]

    # -- on: --------------------------------------------------------------------------
    events = draw(st.lists(st.sampled_from(EVENTS), min_size=1, max_size=4, unique=True))
    cron = draw(st.none() | st.sampled_from(CRONS))
    form = draw(st.sampled_from(["scalar", "flow-list", "block-list", "block-map", "flow-map"]))
    if cron is not None and form not in ("block-map", "flow-map"):
        form = "block-map"
    on_key = draw(st.sampled_from(["on", "'on'", '"on"']))
    on_lines = []
    if form == "scalar":
        on_lines.append(f"{on_key}: {quote(events[0])}" + note())
    elif form == "flow-list":
        on_lines.append(f"{on_key}: [" + ", ".join(quote(e) for e in events) + "]" + note())
    elif form == "block-list":
        on_lines.append(f"{on_key}:" + note())
        on_lines.extend(seq(events, 0, False))
    elif form == "flow-map":
        parts = []
        for event in events:
            config = draw(st.sampled_from(["null", "{}", "{branches: [main]}", "{paths: ['src/**']}", "{types: [opened]}"]))
            parts.append(f"{event}: {config}" if config != "null" else (f"{event}: null" if draw(st.booleans()) else event))
        if cron is not None:
            parts.append(f"schedule: [{{cron: {quote(cron, plain=False)}}}]")
        on_lines.append(f"{on_key}: {{" + ", ".join(parts) + "}" + note())
    else:
        on_lines.append(f"{on_key}:" + note())
        for event in events:
            config = draw(st.sampled_from(["none", "tilde", "empty-flow", "branches-flow", "branches-block", "paths", "tags"]))
            if config == "none":
                on_lines.append(f"{pad(1)}{event}:" + note())
            elif config == "tilde":
                on_lines.append(f"{pad(1)}{event}: ~" + note())
            elif config == "empty-flow":
                on_lines.append(f"{pad(1)}{event}: {{}}" + note())
            elif config == "branches-flow":
                on_lines.append(f"{pad(1)}{event}:")
                on_lines.append(f"{pad(2)}branches: [main, {quote('release/**')}]" + note())
            elif config == "branches-block":
                on_lines.append(f"{pad(1)}{event}:")
                on_lines.append(f"{pad(2)}branches:" + note())
                on_lines.extend(seq(["main", "dev"], 2, False))
            elif config == "paths":
                on_lines.append(f"{pad(1)}{event}:")
                on_lines.append(f"{pad(2)}paths-ignore: ['docs/**']")
            else:
                on_lines.append(f"{pad(1)}{event}:")
                on_lines.append(f"{pad(2)}tags: ['v*']")
            on_lines.extend(blank())
        if cron is not None:
            on_lines.append(f"{pad(1)}schedule:" + note())
            on_lines.append(" " * (unit + dash) + f"- cron: {quote(cron, plain=False)}" + note())

    # -- jobs: ------------------------------------------------------------------------
    job_lines = ["jobs:" + note()]
    ids = draw(st.lists(st.sampled_from(["build", "test", "lint", "deploy", "docs", "e2e"]), min_size=0, max_size=3, unique=True))
    if not ids:
        job_lines = ["jobs: {}" + note()]
    for job in ids:
        kind = draw(st.sampled_from(["block", "block", "flow", "reusable"]))
        timeout = draw(st.booleans())
        if kind == "flow":
            extra = ", timeout-minutes: 15" if timeout else ""
            job_lines.append(f"{pad(1)}{job}: {{runs-on: ubuntu-latest{extra}, steps: [{{run: make}}]}}" + note())
            continue
        job_lines.append(f"{pad(1)}{job}:" + note())
        if kind == "reusable":
            job_lines.append(f"{pad(2)}uses: ./.github/workflows/called.yml")
            continue
        job_lines.append(f"{pad(2)}runs-on: {quote('ubuntu-latest')}" + note())
        if timeout:
            job_lines.append(f"{pad(2)}timeout-minutes: 20")
        job_lines.append(f"{pad(2)}steps:" + note())
        step_pad = " " * (unit * 2 + dash)
        for step in draw(st.lists(st.sampled_from(["uses", "run", "block-run", "named", "flow"]), min_size=1, max_size=3)):
            if step == "uses":
                job_lines.append(f"{step_pad}- uses: {quote('actions/checkout@v4')}" + note())
            elif step == "run":
                job_lines.append(f"{step_pad}- run: {quote('make test')}" + note())
            elif step == "block-run":
                job_lines.append(f"{step_pad}- run: |" + note())
                job_lines.append(f"{step_pad}    echo one")
                job_lines.append(f"{step_pad}    echo two")
            elif step == "named":
                job_lines.append(f"{step_pad}- name: {quote('Build it')}")
                job_lines.append(f"{step_pad}  run: >-")
                job_lines.append(f"{step_pad}    make all")
            else:
                job_lines.append(f"{step_pad}- {{name: x, run: 'echo x'}}" + note())
        job_lines.extend(blank())

    sections = [on_lines, job_lines]
    if draw(st.booleans()):
        sections.reverse()
    if draw(st.integers(0, 4)) == 0:
        sections.insert(0, ["concurrency: ci-${{ github.ref }}"])
    if draw(st.booleans()):
        sections.insert(0, [f"name: {quote('CI build')}" + note()])
    if comments:
        sections.insert(0, ["# generated workflow", ""])
    lines = []
    for section in sections:
        lines.extend(section)
        lines.extend(blank())
    while lines and lines[-1] == "":
        lines.pop()
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(encoding)


@given(workflows())
def test_generated_workflows_lint_and_fix_cleanly(data):
    source = Source.from_bytes("wf.yml", data)
    result = lint_source(source, SETTINGS)
    assert not result.load_error, result.findings
    assert not result.internal_error, [f.message for f in result.findings if f.slug == "internal-error"]

    outcome = sc.check_text(source, SETTINGS)
    assert (outcome.kind, outcome.problems) == ("", [])

    fixed = fix_source(source, SETTINGS, unsafe=True, first=result)
    assert fixed.error is None
    new = source.encode(fixed.text)
    assert new[: len(source.bom)] == source.bom
    assert Source.from_bytes("wf.yml", new).text == fixed.text
    assert fixed.text.endswith(("\n", "\r")) == source.text.endswith(("\n", "\r"))
    if source.newline == "\r\n":
        assert not re.search(r"(?<!\r)\n", fixed.text)
    remaining = {(f.slug, f.message) for f in fixed.result.findings}
    assert not remaining & {(f.slug, f.message) for f in fixed.fixed}
    assert not [f for f in fixed.result.findings if f.fix is not None]  # every fixable finding was fixed
