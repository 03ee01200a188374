"""missing-concurrency: a push/PR-triggered workflow without a ``concurrency`` group."""

from __future__ import annotations

from typing import Iterator, Optional

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..workflow import Workflow
from ..yamledit import add_entry, next_line_is_blank, render_flow
from ..intent import plain
from .base import Context, Rule

TRIGGERS = ("push", "pull_request", "pull_request_target", "merge_group")

DEFAULT_GROUP = "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}"
DEFAULT_CANCEL = "${{ github.event_name == 'pull_request' }}"


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    if wf.entry("concurrency") is not None or wf.on_key is None:
        return
    events = [name for name in TRIGGERS if name in wf.triggers]
    if not events:
        return
    runnable = [job for job in wf.jobs if yn.is_map(job.node)]
    if runnable and all(job.entry("concurrency") is not None for job in runnable):
        return
    if any(name in wf.triggers for name in ("pull_request", "pull_request_target")):
        waste = "every push to a pull request starts a new run while the superseded one keeps running"
    else:
        waste = "runs for superseded commits on the same ref all queue and run to the end"
    message = f"Workflow runs on {', '.join(events)} with no `concurrency` group: {waste}."
    if "workflow_call" in wf.triggers:
        message += " No automatic fix: as a reusable workflow it would share its caller's group."
    fix = None
    # A callee (workflow_call) would share the caller's `github.workflow`: no automatic group.
    if "workflow_call" not in wf.triggers:
        fix = _fix(wf, ctx)
    yield Finding(span=yn.span(wf.on_key), message=message, fix=fix)


def _fix(wf: Workflow, ctx: Context) -> Optional[Fix]:
    group = ctx.options.get("group", DEFAULT_GROUP)
    cancel = ctx.options.get("cancel-in-progress", DEFAULT_CANCEL)
    value = {"group": group, "cancel-in-progress": cancel}
    root = wf.root
    blank = not root.flow_style and next_line_is_blank(wf.source, wf.on_value)
    edit = add_entry(wf.source, root, "concurrency", value, wf.style, after=wf.on_value, blank_before=blank)
    if edit is None:
        return None
    return Fix(
        title=f"Add `concurrency: {render_flow(value)}`",
        edits=(edit,),
        safety=Safety.SAFE,
    )


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The workflow gains `concurrency` with the configured group and cancel-in-progress."""
    data["concurrency"] = {"group": plain(options["group"]), "cancel-in-progress": plain(options["cancel-in-progress"])}


RULE = Rule(
    code="WFL001",
    slug="missing-concurrency",
    summary="Workflow triggered by pushes or pull requests has no concurrency group",
    check=check,
    intent=intent,
    fix=Safety.SAFE,
    options={"group": DEFAULT_GROUP, "cancel-in-progress": DEFAULT_CANCEL},
    options_schema={
        "group": {"type": "string", "minLength": 1},
        "cancel-in-progress": {"type": ["string", "boolean"]},
    },
    tags=("cost", "concurrency"),
)
