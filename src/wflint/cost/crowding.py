"""Schedule crowding: workflows that fire in the same minute, and at minute 0 of an hour.

GitHub delays scheduled runs under load (the start of every hour is the busiest time)
and may drop queued ones, so the report suggests a staggered minute for each schedule
that fires at minute 0.  The suggested minute is stable: it comes from a hash of the
repository and workflow path, so re-running the report suggests the same minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from .. import cron

Item = Tuple[str, str, Sequence[Tuple[str, Optional[str]]]]  # (repo, path, schedules)


@dataclass
class Suggestion:
    repo: str
    path: str
    cron: str
    suggested: str


@dataclass
class Crowding:
    scheduled_workflows: int = 0
    max_same_minute: int = 0  # most workflows starting in one minute of the month
    top_of_hour: int = 0  # workflows with a firing at minute 0
    busiest: List[Tuple[str, int]] = field(default_factory=list)  # ("HH:MM", workflows) UTC
    suggestions: List[Suggestion] = field(default_factory=list)


def stable_minute(repo: str, path: str, modulo: int = 60) -> int:
    """A pseudo-random minute in 1..modulo-1 fixed by the repository and path."""
    digest = hashlib.sha256(f"{repo}\0{path}".encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:4], "big") % (modulo - 1)


_STEP = re.compile(r"^(?:\*|0|0-59)/(\d+)$")


def stagger(expr: str, repo: str, path: str) -> Optional[str]:
    """``expr`` with its minute field moved off minute 0, or None when it cannot be."""
    fields = expr.split()
    if len(fields) != 5:
        return None
    minute = fields[0]
    if minute.isdigit() and int(minute) == 0:
        fields[0] = str(stable_minute(repo, path))
    else:
        step = _STEP.match(minute)
        if not step or not 1 < int(step.group(1)) < 60:
            return None
        n = int(step.group(1))
        fields[0] = f"{stable_minute(repo, path, n)}-59/{n}"
    return " ".join(fields)


def analyse(items: Sequence[Item]) -> Crowding:
    start = cron.REFERENCE_START
    end = start + dt.timedelta(days=cron.MONTH_DAYS)
    per_instant: Counter = Counter()
    per_time_of_day: Counter = Counter()
    out = Crowding()
    for repo, path, schedules in items:
        times = set()
        for expr, tz in schedules:
            try:
                times.update(cron.firing_times(cron.parse(expr), tz, start, end))
            except cron.CronError:
                continue
        if not times:
            continue
        runs = cron.apply_floor(sorted(times))
        out.scheduled_workflows += 1
        per_instant.update(runs)
        per_time_of_day.update({t % 1440 for t in runs})
        if any(t % 60 == 0 for t in runs):
            out.top_of_hour += 1
            for expr, tz in schedules:
                try:
                    fires_at_zero = 0 in cron.parse(expr).minutes
                except cron.CronError:
                    continue
                new = stagger(expr, repo, path) if fires_at_zero and not tz else None
                if new:
                    out.suggestions.append(Suggestion(repo, path, expr, new))
    out.max_same_minute = max(per_instant.values(), default=0)
    busiest = [(m, n) for m, n in per_time_of_day.items() if n > 1]
    busiest.sort(key=lambda mn: (-mn[1], mn[0]))
    out.busiest = [(f"{m // 60:02d}:{m % 60:02d}", n) for m, n in busiest[:5]]
    return out
