"""schedule-top-of-hour: a cron at minute 0, the busiest (and most often delayed or dropped) minute."""

from __future__ import annotations

import re
from typing import Iterator, Optional

from .. import cron, stagger
from ..finding import Edit, Finding, Fix, Safety
from ..stagger import stable_minute  # noqa: F401  (re-exported: the minute the fix writes)
from ..workflow import Workflow
from ..yamledit import scalar_inner_span
from ..yamlnode import span
from .base import Context, Rule

def workflow_key(wf: Workflow, ctx: Context):
    """See ``wflint.stagger.workflow_key``."""
    return stagger.workflow_key(wf.path, ctx.repo_root)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    key = None
    for schedule in wf.schedules:
        fields = (schedule.cron or "").split()
        if len(fields) != 5 or fields[0] not in ("0", "00"):
            continue
        try:
            cron.parse(schedule.cron)
        except cron.CronError:
            continue  # reported by invalid-cron
        if not stagger.whole_hour_zone(schedule.timezone):
            continue
        if key is None:
            key = workflow_key(wf, ctx)
        yield Finding(
            span=span(schedule.node),
            message=(
                f"Schedule `{schedule.shown}` fires at minute 0, when GitHub's schedule queue is busiest: "
                "runs start late and may be dropped under load. Pick another minute of the hour."
            ),
            fix=_fix(wf, schedule, stagger.stagger_minute(fields[0], key)),
        )


def _fix(wf: Workflow, schedule, minute: Optional[str]) -> Optional[Fix]:
    if minute is None:
        return None
    inner = scalar_inner_span(wf.source, schedule.node)
    if inner is None:
        return None
    token = re.search(r"\S+", wf.text[inner[0] : inner[1]])
    if token is None:
        return None
    start = inner[0] + token.start()
    return Fix(f"Run at minute {minute} instead", (Edit(start, inner[0] + token.end(), minute),), Safety.UNSAFE)


RULE = Rule(
    code="WFL012",
    slug="schedule-top-of-hour",
    summary="Cron fires at minute 0, when GitHub delays and drops the most scheduled runs",
    check=check,
    fix=Safety.UNSAFE,
    tags=("reliability", "schedule"),
)
