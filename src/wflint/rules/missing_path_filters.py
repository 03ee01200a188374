"""missing-path-filters: push / pull_request runs on every change, docs-only ones included."""

from __future__ import annotations

import os
import re
from typing import Iterator, List, Optional

from ruamel.yaml.nodes import ScalarNode

from .. import yamlnode as yn
from ..finding import Edit, Finding, Fix, Safety
from ..workflow import Workflow
from ..yamledit import Style, add_entry, detect_style, render_block, set_null_value
from .base import Context, Rule

EVENTS = ("push", "pull_request")
DEFAULT_PATHS_IGNORE = ["**.md", "docs/**"]
# Workflows whose file name or `name:` says they are about documentation (or that
# must run whatever changed) are left alone: ignoring docs there would break them.
EXEMPT_WORDS = frozenset(
    "doc docs documentation pages site website mkdocs sphinx markdown md spell spelling spellcheck "
    "typo typos link links linkcheck lychee readme changelog label labels labeler stale greet greetings "
    "welcome release releases".split()
)


def _exempt(wf: Workflow) -> bool:
    name = yn.scalar(wf.get("name")) or ""
    stem = os.path.splitext(os.path.basename(wf.path))[0]
    words = re.split(r"[^a-z0-9]+", f"{stem} {name}".lower())
    return any(word in EXEMPT_WORDS for word in words)


def _needs_filter(trigger) -> bool:
    if trigger.has_filter("paths") or trigger.has_filter("paths-ignore"):
        return False
    if trigger.name == "push" and trigger.has_filter("tags") and not trigger.has_filter("branches") and not trigger.has_filter("branches-ignore"):
        return False  # a tag-only push: path filters are not evaluated for tags
    return True


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    if wf.on_key is None or _exempt(wf):
        return
    flagged = [wf.triggers[name] for name in EVENTS if name in wf.triggers and _needs_filter(wf.triggers[name])]
    if not flagged:
        return
    paths = list(ctx.options.get("paths-ignore", DEFAULT_PATHS_IGNORE))
    for trigger in flagged:
        edits = _edits(wf, [t.name for t in flagged], trigger.name, paths)
        if trigger.has_filter("tags") or trigger.has_filter("tags-ignore"):
            edits = None  # tag pushes ignore path filters: adding one would be a tag-push-ignores-paths finding
        fix = None
        if edits:
            fix = Fix(f"Add `paths-ignore: {paths}` to `{trigger.name}`", tuple(edits), Safety.UNSAFE)
        yield Finding(
            span=yn.span(trigger.key),
            message=(
                f"`{trigger.name}` has no `paths` or `paths-ignore` filter. "
                "Every change starts a full run, documentation-only changes included."
            ),
            fix=fix,
        )


def _edits(wf: Workflow, flagged: List[str], name: str, paths: List[str]) -> Optional[List[Edit]]:
    style = detect_style(wf.root)
    value = {"paths-ignore": paths}
    form = wf.on_form
    if form == "map":
        trigger = wf.triggers[name]
        config = trigger.config
        if yn.is_null(config):
            return set_null_value(wf.source, trigger.key, config, value, style, flow=bool(wf.on_value.flow_style))
        if yn.is_map(config):
            edit = add_entry(wf.source, config, "paths-ignore", paths, style)
            return [edit] if edit else None
        return None
    if form not in ("scalar", "list"):
        return None
    events = [name] if form == "scalar" else [yn.scalar(item) for item in wf.on_value.value]
    if any(e is None for e in events):
        return None
    mapping = {e: (dict(value) if e in flagged else None) for e in events}
    if wf.root.flow_style:
        from ..yamledit import render_flow

        return [Edit(wf.on_value.start_mark.index, wf.on_value.end_mark.index, render_flow(mapping, inside=True))]
    return _to_block_mapping(wf, mapping, style)


def _to_block_mapping(wf: Workflow, mapping: dict, style: Style) -> Optional[List[Edit]]:
    src = wf.source
    node = wf.on_value
    indent = wf.on_key.start_mark.column + style.unit
    if isinstance(node, ScalarNode) or node.flow_style:
        start, end = node.start_mark.index, node.end_mark.index
        if node.start_mark.line != node.end_mark.line or node.start_mark.line != wf.on_key.start_mark.line:
            return None
        while start > 0 and src.text[start - 1] in " \t":
            start -= 1
        lines = render_block(mapping, indent, style)
        at = src.next_line_start(end)
        edits = [Edit(start, end, "")]
        if at is None:
            edits.append(Edit.insert(len(src.text), "\n" + "\n".join(lines)))
        else:
            edits.append(Edit.insert(at, "\n".join(lines) + "\n"))
        return edits
    # A block sequence: turn each `- event` into `event:` in place, keeping comments between items.
    edits = []
    for item in node.value:
        dash = item.start_mark.index - 1
        while dash >= 0 and src.text[dash] == " ":
            dash -= 1
        if dash < 0 or src.text[dash] != "-" or item.start_mark.line != item.end_mark.line:
            return None
        name = item.value
        edits.append(Edit(dash, item.end_mark.index, f"{name}:"))
        if mapping[name]:
            dash_col = src.linecol(dash)[1] - 1
            lines = render_block(mapping[name], dash_col + style.unit, style)
            at = src.next_line_start(item.end_mark.index)
            if at is None:
                edits.append(Edit.insert(len(src.text), "\n" + "\n".join(lines)))
            else:
                edits.append(Edit.insert(at, "\n".join(lines) + "\n"))
    return edits


RULE = Rule(
    code="WFL004",
    slug="missing-path-filters",
    summary="push or pull_request trigger has no paths or paths-ignore filter",
    check=check,
    fix=Safety.UNSAFE,
    options={"paths-ignore": DEFAULT_PATHS_IGNORE},
    options_schema={"paths-ignore": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    tags=("cost", "triggers"),
    precision="medium",
)
