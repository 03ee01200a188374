"""concurrency-group-too-broad: one concurrency group for every pull request of a workflow."""

from __future__ import annotations

from typing import Iterator

from .. import yamlnode as yn
from ..expressions import references
from ..finding import Finding
from ..stake import stake
from ..workflow import PR_EVENTS, Workflow
from .base import Context, Rule

# Context properties that differ between pull requests (or between runs).
SPECIFIC = (
    "github.ref", "github.head_ref", "github.ref_name", "github.sha", "github.run_id", "github.run_number",
    "github.run_attempt", "github.event.number", "github.event.pull_request", "github.event.after",
    "github.event.issue", "github.event.workflow_run", "github.event.inputs", "github.event.client_payload",
    "github.actor", "github.triggering_actor",
)
# Contexts rules cannot judge (inputs, matrix values, variables...): trusted to be specific.
OPAQUE = ("inputs", "matrix", "vars", "needs", "env", "steps", "strategy", "secrets", "runner", "job")


def is_too_broad(group: str) -> bool:
    for name in references(group):
        root = name.split(".", 1)[0].split("[", 1)[0]
        if root in OPAQUE or name.startswith(SPECIFIC):
            return False
        if root == "github" and name.startswith("github.event") and not name.startswith(("github.event_name", "github.event.repository")):
            return False  # some other event payload field: cannot tell
    return True


def _skips_pull_requests(job) -> bool:
    condition = yn.scalar(job.get("if")) or ""
    squeezed = condition.replace(" ", "").replace('"', "'")
    return "event_name=='push'" in squeezed or "event_name!='pull_request'" in squeezed or "refs/heads/" in squeezed or "refs/tags/" in squeezed


def _may_cancel(concurrency) -> bool:
    """``cancel-in-progress`` is true or an expression (a group without it only queues)."""
    value = yn.get_value(concurrency, "cancel-in-progress")
    text = (yn.scalar(value) or "").strip().lower()
    return value is not None and text not in ("false", "", "${{ false }}", "${{false}}")


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    events = [name for name in PR_EVENTS if name in wf.triggers]
    if not events:
        return
    for concurrency in wf.concurrency():
        node = concurrency.group
        group = yn.scalar(node)
        if group is None or not is_too_broad(group) or not _may_cancel(concurrency.node):
            continue
        if concurrency.job is not None and _skips_pull_requests(concurrency.job):
            continue
        yield Finding(
            span=yn.span(node),
            message=(
                f"Concurrency group `{group}` of the {concurrency.where} is the same for every pull request ({', '.join(events)}): "
                "a new run for one pull request cancels the running ones of unrelated pull requests. "
                "Add `github.event.pull_request.number || github.ref` to the group."
            ),
            # runs cancelled by other pull requests and started again (rules/concurrency-group-too-broad.md)
            properties={"stake": stake("share", jobs=[] if concurrency.job is None else [concurrency.job.id],
                                       events=events, share=0.1)},
        )


RULE = Rule(
    code="WFL010",
    slug="concurrency-group-too-broad",
    summary="Concurrency group shared by every pull request, so unrelated pull requests cancel each other",
    check=check,
    tags=("cost", "concurrency"),
)
