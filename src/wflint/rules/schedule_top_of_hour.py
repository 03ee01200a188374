"""schedule-top-of-hour: a cron at minute 0, the busiest (and most often delayed or dropped) minute."""

from __future__ import annotations

import re
from typing import Iterator, Optional

from .. import cron, stagger
from ..finding import Edit, Finding, Fix, Safety
from ..stagger import stable_minute  # noqa: F401  (re-exported: the minute the fix writes)
from ..workflow import Workflow
from ..yamledit import requote, scalar_inner_span
from ..intent import Mismatch, fixed_cron, schedule_index
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
    if id(schedule.node) in wf.shared:
        return None  # an alias repeats this string elsewhere
    inner = scalar_inner_span(wf.source, schedule.node)
    if inner is None:
        return None
    token = re.search(r"\S+", wf.text[inner[0] : inner[1]])
    if token is None:
        return None
    start = inner[0] + token.start()
    new_expr = wf.text[inner[0] : start] + str(minute) + wf.text[inner[0] + token.end() : inner[1]]
    edits = requote(wf, schedule, new_expr) or (Edit(start, inner[0] + token.end(), str(minute)),)
    return Fix(f"Run at minute {minute} instead", edits, Safety.UNSAFE)


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged cron changes its minute field only, to a plain number."""
    index = schedule_index(wf, finding)
    new_expr = fixed_cron(fixed, index)
    old, new = (wf.schedules[index].cron or "").split(), new_expr.split()
    if len(old) != len(new) or old[1:] != new[1:] or old[0] == new[0] or not new[0].isdigit():
        raise Mismatch(f"cron `{' '.join(old)}` became `{' '.join(new)}`: only the minute may change")
    data["on"]["schedule"][index]["cron"] = new_expr


RULE = Rule(
    code="WFL012",
    slug="schedule-top-of-hour",
    summary="Cron fires at minute 0, when GitHub delays and drops the most scheduled runs",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    tags=("reliability", "schedule"),
    # Opt-in: a strict review found 29 of 30 findings on housekeeping schedules (bots, scans,
    # scheduled tests) where a late or dropped run costs nothing (rules/schedule-top-of-hour.md).
    default=False,
)
