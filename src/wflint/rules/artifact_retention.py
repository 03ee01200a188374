"""artifact-retention: ``actions/upload-artifact`` keeps its artifact for the repository default."""

from __future__ import annotations

from typing import Iterator, Optional

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..workflow import Step, Workflow
from ..yamledit import add_step_input
from ..intent import plain, step_with
from .base import Context, Rule

ACTION = "actions/upload-artifact"


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    days = int(ctx.options.get("days", 7))
    for job in wf.jobs:
        for step in job.steps:
            if step.action != ACTION or step.with_("retention-days") is not None:
                continue
            if not yn.is_map(step.node):
                continue
            yield Finding(
                span=yn.entry_span(step.node, "uses"),
                message=(
                    f"`{step.uses}` in job `{job.id}` has no `retention-days`. The artifact is kept for the "
                    "repository's retention setting (90 days unless changed) and counts against storage all that time."
                ),
                fix=_fix(wf, step, days),
            )


def _fix(wf: Workflow, step: Step, days: int) -> Optional[Fix]:
    edit = add_step_input(wf.source, step.node, "retention-days", days, wf.style, wf.shared)
    if edit is None:
        return None
    return Fix(f"Add `retention-days: {days}`", (edit,), Safety.UNSAFE)


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged step's `with:` gains `retention-days`."""
    step_with(data, wf, finding, fixed)[0]["retention-days"] = plain(options["days"])


RULE = Rule(
    code="WFL008",
    slug="artifact-retention",
    summary="upload-artifact without retention-days keeps artifacts for the repository default (90 days)",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"days": 7},
    options_schema={"days": {"type": "integer", "minimum": 1, "maximum": 400}},
    tags=("cost", "storage"),
)
