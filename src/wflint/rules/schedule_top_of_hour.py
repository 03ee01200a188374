"""schedule-top-of-hour: a cron at minute 0, the busiest (and most often delayed or dropped) minute."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from typing import Iterator, Optional

from .. import cron
from ..finding import Edit, Finding, Fix, Safety
from ..gitrepo import origin_name
from ..workflow import Workflow
from ..yamledit import requote, scalar_inner_span
from ..yamlnode import span
from ..intent import Mismatch, fixed_cron, schedule_index
from .base import Context, Rule

def stable_minute(repository: str, path: str) -> int:
    """A minute in 1..59 from a SHA-256 hash of repository and file path (the same on every run).

    The same formula as the cost report's stagger suggestion (``wflint.cost.crowding``), so
    the report and the fix propose the same minute for a workflow.
    """
    digest = hashlib.sha256(f"{repository}\0{path}".encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:4], "big") % 59


def workflow_key(wf: Workflow, ctx: Context):
    """(``owner/name`` of the origin remote or ``""``, path relative to the repository root with ``/``).

    Neither depends on the folder the repository is checked out in.
    """
    path = wf.path
    root = os.path.abspath(ctx.repo_root) if ctx.repo_root else None
    if root and path not in ("", "-"):
        absolute = os.path.abspath(path)
        if absolute.startswith(root + os.sep):
            path = os.path.relpath(absolute, root)
    return origin_name(root), path.replace(os.sep, "/")


def _whole_hour_zone(name: Optional[str]) -> bool:
    """False for zones such as Asia/Kolkata whose minute 0 is not minute 0 in UTC."""
    if not name:
        return True
    try:
        tz = cron.zone(name)
    except cron.CronError:
        return True
    for month in (1, 7):
        offset = dt.datetime(2026, month, 1, 12, tzinfo=tz).utcoffset()
        if offset is not None and offset.total_seconds() % 3600:
            return False
    return True


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    minute = None
    for schedule in wf.schedules:
        fields = (schedule.cron or "").split()
        if len(fields) != 5 or fields[0] not in ("0", "00"):
            continue
        try:
            cron.parse(schedule.cron)
        except cron.CronError:
            continue  # reported by invalid-cron
        if not _whole_hour_zone(schedule.timezone):
            continue
        if minute is None:
            minute = stable_minute(*workflow_key(wf, ctx))
        yield Finding(
            span=span(schedule.node),
            message=(
                f"Schedule `{schedule.shown}` fires at minute 0, when GitHub's schedule queue is busiest: "
                "runs start late and may be dropped under load. Pick another minute of the hour."
            ),
            fix=_fix(wf, schedule, minute),
        )


def _fix(wf: Workflow, schedule, minute: int) -> Optional[Fix]:
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
    # Opt-in: a strict review found 29 of 30 findings on housekeeping schedules (bots, scans,
    # scheduled tests) where a late or dropped run costs nothing (rules/schedule-top-of-hour.md).
    default=False,
    tags=("reliability", "schedule"),
)
