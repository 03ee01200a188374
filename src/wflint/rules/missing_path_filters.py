"""missing-path-filters: push / pull_request runs on every change, docs-only ones included."""

from __future__ import annotations

import os
import re
from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..workflow import Workflow
from ..triggeredit import add_to_trigger
from ..intent import event_config, plain
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
        also = {t.name: {"paths-ignore": paths} for t in flagged}
        edits = add_to_trigger(wf, trigger.name, "paths-ignore", paths, also=also)
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


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged event gains `paths-ignore` with the configured paths."""
    event_config(data, wf, finding)["paths-ignore"] = [plain(p) for p in options["paths-ignore"]]


RULE = Rule(
    code="WFL004",
    slug="missing-path-filters",
    summary="push or pull_request trigger has no paths or paths-ignore filter",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"paths-ignore": DEFAULT_PATHS_IGNORE},
    options_schema={"paths-ignore": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    tags=("cost", "triggers"),
    precision="medium",
)
