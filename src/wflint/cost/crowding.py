"""Schedule crowding: workflows that fire in the same minute, and at minute 0 of an hour.

GitHub delays scheduled runs under load (the start of every hour is the busiest time)
and may drop queued ones, so the report suggests a staggered minute for each schedule
that fires at minute 0.  The suggestion comes from ``wflint.stagger``, the engine the
schedule-top-of-hour and cron-too-frequent fixes use: the same cron for the same schedule,
stable from run to run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from .. import cron
from .. import stagger as _stagger
from ..stagger import stable_minute  # noqa: F401  (the minute the fixes write)

# (repository, path as shown, schedules[, key]): the optional key is the workflow's
# ``wflint.stagger.workflow_key`` (default: repository and path), which decides the suggestion.
Item = Tuple  # (str, str, Sequence[Tuple[str, Optional[str]]]) or with a 4th item Tuple[str, str]


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


def stagger(expr: str, repo: str, path: str, tz: Optional[str] = None, min_interval: Optional[int] = None) -> Optional[str]:
    """The suggested cron for ``expr`` (see ``wflint.stagger.suggest``), or None."""
    return _stagger.suggest(expr, tz, (repo, path), min_interval)


def analyse(items: Sequence[Item], min_interval: Optional[int] = None) -> Crowding:
    """Crowding over ``items``; ``min_interval`` (cron-too-frequent's option) makes the
    suggestions also relax too-frequent schedules, as that rule's fix does."""
    start, end = cron.month_window()
    per_instant: Counter = Counter()
    per_time_of_day: Counter = Counter()
    out = Crowding()
    for item in items:
        repo, path, schedules = item[:3]
        key = item[3] if len(item) > 3 else (repo, path)
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
                new = stagger(expr, *key, tz, min_interval)
                if new:
                    out.suggestions.append(Suggestion(repo, path, expr, new))
    out.max_same_minute = max(per_instant.values(), default=0)
    busiest = [(m, n) for m, n in per_time_of_day.items() if n > 1]
    busiest.sort(key=lambda mn: (-mn[1], mn[0]))
    out.busiest = [(f"{m // 60:02d}:{m % 60:02d}", n) for m, n in busiest[:5]]
    return out
