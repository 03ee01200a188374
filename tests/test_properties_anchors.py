"""Property: every fix (unsafe ones too) keeps what a workflow means, whatever YAML it is written in.

Generated workflows put anchors and aliases at every place a fix reads or writes (events and
their filters, jobs, ``runs-on``, steps, ``uses``, ``with``, crons, concurrency), merge keys
(``<<: *x``, often as the last entry), block scalars with every chomping indicator, trailing
whitespace lines and anchors or tags on their own line, explicit keys (``? key``), flow and
block styles, and indents of 1 to 8 spaces.  For each one that loads:

* every fix pass, applied without the fixer's guard, changes the data exactly as the applied
  fixes' intents say and no line it does not edit (``scripts/semantic_check.py``): the edit
  helpers place every edit right, so the guard has nothing to catch;
* ``fix_source`` (with its guard) gives text that loads, names no key twice, and a second
  run changes nothing.

The default profile is small (a few seconds); ``--hypothesis-profile=ci`` runs many more.
"""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from wflint import yamlnode as yn
from wflint.engine import Settings
from wflint.fixer import fix_source
from wflint.source import Source

from test_properties import sc

SETTINGS = Settings(
    rules=list(sc.all_fixes_settings().rules),
    options={"duplicate-triggers": {"default-branch": "main"}},
)
CRONS = ["*/5 * * * *", "0 * * * *", "0/5 * * * *", "0,10 1 * * *", "*/1 * * * 1-5", "0 3 * * *"]
ACTIONS = ["actions/upload-artifact@v4", "actions/setup-node@v4", "actions/setup-python@v5", "actions/checkout@v4"]
SCRIPTS = ["npm ci", "pip install -r requirements.txt", "make test", "echo hi"]


@st.composite
def block_scalar(draw, indent: int):
    """`|`/`>` with a chomping indicator, maybe an anchor (with `-`) or tag on its own line,
    and trailing blank or whitespace-only lines, some deeper than the content."""
    head = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+", "|2"]))
    prefix = draw(st.sampled_from(["", "&blk-x ", "!!str ", "&linux-runner "]))
    own_line = prefix and draw(st.booleans())
    pad = " " * indent
    if own_line:
        text = prefix.strip() + "\n" + pad + head
    else:
        text = prefix + head
    body_pad = pad + ("  " if head == "|2" else "")
    lines = [body_pad + draw(st.sampled_from(SCRIPTS)) for _ in range(draw(st.integers(1, 2)))]
    tail = draw(st.lists(st.sampled_from(["", " ", body_pad, body_pad + "   "]), max_size=3))
    return text + "\n" + "\n".join(lines + tail)


@st.composite
def workflows(draw):
    unit = draw(st.integers(1, 8))
    dash = draw(st.sampled_from([0, unit])) if unit >= 2 else unit

    def pad(level: int) -> str:
        return " " * (unit * level)

    anchors = []  # names defined so far, usable by later aliases

    def anchor(name: str) -> str:
        if draw(st.integers(0, 3)) == 0:
            anchors.append(name)
            return f"&{name} "
        return ""

    lines = []
    # -- on: ------------------------------------------------------------------------------
    events = draw(st.lists(st.sampled_from(["push", "pull_request", "pull_request_target", "workflow_dispatch", "schedule", "release"]), min_size=1, max_size=4, unique=True))
    form = draw(st.sampled_from(["block", "flow", "list", "blocklist"]))
    if form == "list":
        names = [e for e in events if e != "schedule"] or ["push"]
        lines.append("on: [" + ", ".join(names) + "]")
    elif form == "blocklist":
        names = [e for e in events if e != "schedule"] or ["push"]
        lines.append("on:")
        lines.extend(" " * dash + f"- {name}" for name in names)
    elif form == "flow":
        parts = []
        for name in events:
            if name == "schedule":
                parts.append("schedule: [{cron: " + draw(st.sampled_from(CRONS)) + "}]")
            else:
                parts.append(name + draw(st.sampled_from(["", ": null", ": {branches: [main]}", ": {paths: [src]}"])))
        lines.append("on: {" + ", ".join(parts) + "}")
    else:
        lines.append("on:")
        event_anchors = []
        for name in events:
            if name == "schedule":
                lines.append(pad(1) + "schedule:")
                for i in range(draw(st.integers(1, 2))):
                    cron = draw(st.sampled_from(CRONS))
                    quoted = draw(st.sampled_from(["'{}'", '"{}"', "{}"]))
                    if quoted == "{}" and cron.startswith("*"):
                        quoted = "'{}'"
                    style = draw(st.sampled_from(["block", "flow", "anchored"]))
                    if style == "flow":
                        lines.append(pad(1) + " " * dash + "- {cron: " + quoted.format(cron) + "}")
                    elif style == "anchored":
                        name_a = f"cr{i}"
                        anchors.append(name_a)
                        lines.append(pad(1) + " " * dash + f"- &{name_a}")
                        lines.append(pad(1) + " " * dash + "  cron: " + quoted.format(cron))
                    else:
                        lines.append(pad(1) + " " * dash + "- cron: " + quoted.format(cron))
                continue
            choice = draw(st.sampled_from(["null", "filters", "alias", "merge", "explicit", "flow"]))
            if choice == "alias" and event_anchors:
                lines.append(pad(1) + f"{name}: *{draw(st.sampled_from(event_anchors))}")
            elif choice == "merge" and event_anchors:
                lines.append(pad(1) + f"{name}:")
                if draw(st.booleans()):
                    lines.append(pad(2) + "types: [opened]" if name.startswith("pull") else pad(2) + "tags: ['v*']")
                lines.append(pad(2) + f"<<: *{draw(st.sampled_from(event_anchors))}")
            elif choice == "filters":
                a = anchor(f"ev{len(event_anchors)}")
                if a:
                    event_anchors.append(a[1:-1])
                lines.append(pad(1) + f"{name}: {a}".rstrip())
                branches = draw(st.sampled_from(["[main]", "&br [main, dev]", "['**']"]))
                if branches.startswith("&br") and "br" in anchors:
                    branches = "*br"
                elif branches.startswith("&br"):
                    anchors.append("br")
                lines.append(pad(2) + "branches: " + branches)
            elif choice == "explicit":
                lines.append(pad(1) + f"{name}:")
                lines.append(pad(2) + "? required")
            elif choice == "flow":
                a = anchor(f"ev{len(event_anchors)}")
                if a:
                    event_anchors.append(a[1:-1])
                lines.append(pad(1) + f"{name}: {a}{{branches: [main]}}")
            else:
                lines.append(pad(1) + f"{name}:" + draw(st.sampled_from(["", " ~", " null", "  # c"])))
    # -- concurrency ---------------------------------------------------------------------
    if draw(st.integers(0, 3)) == 0:
        cancel = draw(st.sampled_from(["true", "false"]))
        if draw(st.booleans()):
            anchors.append("conc")
            lines.append(f"concurrency: &conc {{group: deploy, cancel-in-progress: {cancel}}}")
        else:
            lines.append("concurrency:")
            lines.append(pad(1) + "group: ${{ github.ref }}")
            lines.append(pad(1) + f"cancel-in-progress: {cancel}")
    # -- env -----------------------------------------------------------------------------
    reusable = [a for a in anchors if a.startswith("cr")]
    if reusable and draw(st.booleans()):
        lines.append(f"env: *{draw(st.sampled_from(reusable))}")
    # -- jobs ----------------------------------------------------------------------------
    lines.append("jobs:")
    job_anchors = []
    runs_anchor = None
    for j in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["block", "block", "alias", "merge", "flow"]))
        if kind == "alias" and job_anchors:
            lines.append(pad(1) + f"j{j}: *{draw(st.sampled_from(job_anchors))}")
            continue
        if kind == "flow":
            lines.append(pad(1) + f"j{j}: {{runs-on: ubuntu-latest, steps: [{{uses: {draw(st.sampled_from(ACTIONS))}}}, {{run: {draw(st.sampled_from(SCRIPTS))}}}]}}")
            continue
        a = ""
        if draw(st.integers(0, 3)) == 0:
            a = f"&job{j} "
            job_anchors.append(f"job{j}")
        lines.append(pad(1) + f"j{j}: {a}".rstrip())
        if runs_anchor and draw(st.booleans()):
            lines.append(pad(2) + f"runs-on: *{runs_anchor}" + draw(st.sampled_from(["", "  # same"])))
        elif draw(st.integers(0, 2)) == 0:
            runs_anchor = f"os{j}"
            lines.append(pad(2) + f"runs-on: &{runs_anchor} " + draw(st.sampled_from(["ubuntu-latest", "[self-hosted, linux]"])))
        else:
            lines.append(pad(2) + "runs-on: ubuntu-latest")
        if "conc" in anchors and draw(st.integers(0, 2)) == 0:
            lines.append(pad(2) + "concurrency:")
            lines.append(pad(3) + "<<: *conc")
        lines.append(pad(2) + "steps:")
        step_anchors = []
        with_anchors = []
        for s in range(draw(st.integers(1, 3))):
            item = pad(2) + " " * dash + "- "
            inner = pad(2) + " " * dash + "  "
            style = draw(st.sampled_from(["uses", "uses", "run", "alias"]))
            if style == "alias" and step_anchors:
                lines.append(item + f"*{draw(st.sampled_from(step_anchors))}")
                continue
            if style == "run" or style == "alias":
                lines.append(item + "run: " + draw(block_scalar(len(inner) + 2)))
                continue
            sa = ""
            if draw(st.integers(0, 4)) == 0:
                sa = f"&st{j}{s} "
                step_anchors.append(f"st{j}{s}")
            action = draw(st.sampled_from(ACTIONS))
            if sa:
                lines.append(item + sa.strip())
                lines.append(inner + "uses: " + action)
            else:
                uses_anchor = draw(st.integers(0, 4)) == 0
                lines.append(item + ("uses: &u" + f"{j}{s} " if uses_anchor else "uses: ") + action)
            shape = draw(st.sampled_from(["none", "block", "flow", "alias", "merge", "scalar-last", "explicit-last"]))
            if shape == "none":
                continue
            if shape == "alias" and with_anchors:
                lines.append(inner + f"with: *{draw(st.sampled_from(with_anchors))}")
                continue
            if shape == "flow":
                wa = f"&w{j}{s} " if draw(st.booleans()) else ""
                if wa:
                    with_anchors.append(wa[1:-1])
                lines.append(inner + f"with: {wa}{{name: a, path: dist}}")
                continue
            wa = f"&w{j}{s}" if draw(st.integers(0, 2)) == 0 else ""
            if wa:
                with_anchors.append(wa[1:])
            lines.append(inner + "with:" + (" " + wa if wa else ""))
            lines.append(inner + pad(1) + "name: a")
            if shape == "merge" and with_anchors:
                lines.append(inner + pad(1) + f"<<: *{draw(st.sampled_from(with_anchors))}")
            elif shape == "scalar-last":
                lines.append(inner + pad(1) + "path: " + draw(block_scalar(len(inner) + unit + 2)))
            elif shape == "explicit-last":
                lines.append(inner + pad(1) + "? path")
            else:
                lines.append(inner + pad(1) + "path: dist")
        if job_anchors and kind == "merge" and f"job{j}" not in job_anchors:
            lines.append(pad(2) + f"<<: *{draw(st.sampled_from(job_anchors))}")
    text = "\n".join(lines)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    final = draw(st.sampled_from(["\n", ""]))
    return text.replace("\n", newline) + (newline if final else "")


def _loads(text: str) -> bool:
    try:
        root = yn.compose(text)
    except yn.YAMLLoadError:
        return False
    return yn.is_map(root) and not list(yn.duplicate_keys(root))


@given(workflows())
def test_fixes_keep_meaning_with_anchors_aliases_merges_and_block_scalars(text):
    assume(_loads(text))
    source = Source.from_bytes("ci.yml", text.encode("utf-8"))
    checked = sc.check_text(source, SETTINGS)
    assert (checked.kind, checked.problems) == ("", []), f"{checked.kind}: {checked.problems}\n{text}"
    outcome = fix_source(source, SETTINGS, unsafe=True)
    assert outcome.withheld == {}, outcome.withheld
    assert _loads(outcome.text)
    again = fix_source(Source(path="ci.yml", text=outcome.text, bom=source.bom, encoding=source.encoding), SETTINGS, unsafe=True)
    assert not again.changed
