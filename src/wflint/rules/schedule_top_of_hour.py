"""schedule-top-of-hour: a cron at minute 0, the busiest (and most often delayed or dropped) minute."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from typing import Iterator, Optional

from .. import cron
from ..finding import Edit, Finding, Fix, Safety
from ..gitrepo import repository_name
from ..workflow import Workflow
from ..yamledit import scalar_inner_span
from ..yamlnode import span
from .base import Context, Rule

# Minutes the fix may pick: none on a multiple of 5, where people (and load) cluster.
CANDIDATES = [m for m in range(1, 60) if m % 5]


def stable_minute(repository: str, path: str) -> int:
    """A minute in ``CANDIDATES`` from a hash of repository and file path (the same on every run)."""
    digest = hashlib.sha256(f"{repository}\n{path}".encode("utf-8")).digest()
    return CANDIDATES[int.from_bytes(digest[:4], "big") % len(CANDIDATES)]


def workflow_key(wf: Workflow, ctx: Context):
    """(repository, path relative to the repository root with ``/``) identifying the workflow."""
    path = wf.path
    if ctx.repo_root and path not in ("", "-"):
        absolute = os.path.abspath(path)
        root = os.path.abspath(ctx.repo_root)
        if absolute.startswith(root + os.sep):
            path = os.path.relpath(absolute, root)
    return repository_name(ctx.repo_root), path.replace(os.sep, "/")


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
                f"Schedule `{schedule.cron}` fires at minute 0, when GitHub's schedule queue is busiest: "
                "runs start late and may be dropped under load. Pick another minute of the hour."
            ),
            fix=_fix(wf, schedule, minute),
        )


def _fix(wf: Workflow, schedule, minute: int) -> Optional[Fix]:
    inner = scalar_inner_span(wf.source, schedule.node)
    if inner is None:
        return None
    token = re.search(r"\S+", wf.text[inner[0] : inner[1]])
    if token is None:
        return None
    start = inner[0] + token.start()
    return Fix(f"Run at minute {minute} instead", (Edit(start, inner[0] + token.end(), str(minute)),), Safety.UNSAFE)


RULE = Rule(
    code="WFL012",
    slug="schedule-top-of-hour",
    summary="Cron fires at minute 0, when GitHub delays and drops the most scheduled runs",
    check=check,
    fix=Safety.UNSAFE,
    tags=("reliability", "schedule"),
)
