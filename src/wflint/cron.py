"""Cron arithmetic for GitHub Actions schedules.

Each expression is expanded by wflint itself when it uses the common syntax (numbers,
``*``, ranges, steps, lists, a month or weekday name), else by croniter; the firing times
are then laid out day by day, which is exact and fast even for ``* * * * *``.  GitHub runs a
schedule at most once every 5 minutes (``GITHUB_FLOOR``), evaluates crons in UTC
unless the entry names an IANA ``timezone``, and takes exactly five fields.

Counts come from the real firing times.  GitHub documents only that it runs a schedule at
most once every 5 minutes; wflint models that as at most one run in each 5-minute slot of
the clock (:00-:04, :05-:09, ...): ``* * * * *`` starts 12 runs an hour, while ``*/14``
keeps all five of its firings (:00 :14 :28 :42 :56), the 4-minute gap from :56 to :00
included.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import FrozenSet, Iterable, List, Optional, Sequence, Tuple

from .records import record

GITHUB_FLOOR = 5  # minutes
MONTH_DAYS = 30
# The reference month for "runs a month": 30 days from a Monday, in UTC.
REFERENCE_START = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)

_UTC = dt.timezone.utc
_EPOCH_DAY = dt.date(1970, 1, 1).toordinal()


def _month_days(year: int, month: int) -> int:
    """The number of days in a month (``calendar.monthrange``, without loading locale support)."""
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day


class CronError(ValueError):
    """An expression or timezone GitHub would not accept (or that never fires)."""


@record(frozen=True)
class Cron:
    """A cron expression expanded: the minutes, hours, days, months and weekdays it fires on."""

    expr: str
    minutes: Tuple[int, ...]
    hours: Tuple[int, ...]
    days: Optional[FrozenSet[int]]  # None: every day of the month
    last_day: bool
    months: FrozenSet[int]
    weekdays: Optional[FrozenSet[int]]  # 0 = Sunday; None: every day of the week

    @property
    def day_minutes(self) -> Tuple[int, ...]:
        """Minutes after midnight at which the schedule fires on a firing day."""
        return tuple(sorted(h * 60 + m for h in self.hours for m in self.minutes))

    def fires_on(self, day: dt.date) -> bool:
        if day.month not in self.months:
            return False
        dom_ok = self.days is None or day.day in self.days
        if self.last_day:
            is_last = day.day == _month_days(day.year, day.month)
            dom_ok = is_last or (self.days is not None and day.day in self.days)
        dom_any = self.days is None and not self.last_day
        dow_ok = self.weekdays is None or (day.weekday() + 1) % 7 in self.weekdays
        if not dom_any and self.weekdays is not None:
            return dom_ok or dow_ok  # both restricted: either matches (Vixie cron)
        return dom_ok and dow_ok


# The fields' bounds (minute, hour, day of the month, month, weekday), and how many values
# make a field "every value" (croniter's ``RANGES`` and ``LEN_MEANS_ALL``).
_BOUNDS = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
_ALL = (60, 24, 31, 12, 7)
_PLAIN_ITEM = re.compile(r"(?:(\*)|(\d+)-(\d+)|(\d+))(?:/(\d+))?", re.ASCII)
# A month or weekday named alone (`MON`, `jan`); a range of names is croniter's to read.
_NAMES = {3: {name: n for n, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)},
          4: {name: n for n, name in enumerate("sun mon tue wed thu fri sat".split())}}


def _plain_expansion(fields: List[str]) -> Optional[List[list]]:
    """``croniter.expand(expr)[0]`` for the common spelling (lists of ``N``, ``*``, ``*/S``,
    ``N/S``, ``N-M`` and ``N-M/S`` with N < M, every value in its field's bounds, a month or weekday
    name), without importing croniter (tens of milliseconds, a subprocess included); None for
    anything else: ranges of names, ``L``, ``#``, ``?``, equal or wrapping ranges, weekday 7,
    a value out of bounds."""
    if not all(map(str.isascii, fields)):
        return None
    expanded: List[list] = []
    for index, field in enumerate(fields):
        if field == "*":
            expanded.append(["*"])
            continue
        low, high = _BOUNDS[index]
        values = set()
        for item in field.split(","):
            match = _PLAIN_ITEM.fullmatch(item)
            if match is None:
                named = _NAMES.get(index, {}).get(item.lower())
                if named is None:
                    return None
                values.add(named)
                continue
            star, first, last, single, step = match.groups()
            if single is not None:
                value = int(single)
                if not low <= value <= high:
                    return None
                if step is None:
                    values.add(value)
                    continue
                start, stop = value, high  # `N/S`: from N to the field's end
                if value == high:
                    stop = value  # croniter: the start alone, not an equal range's whole field
            elif first is not None:
                start, stop = int(first), int(last)
                if not low <= start < stop <= high:
                    return None
            elif step is None:
                return None  # a bare `*` among other items
            else:
                start, stop = low, high
            by = 1 if step is None else int(step)
            if by == 0:
                return None
            values.update(range(start, stop + 1, by))
        # croniter's "every value", except a full day-of-month or weekday list beside a
        # restricted other one (both then restrict: either day matches)
        other = {2: 4, 4: 2}.get(index)
        if len(values) == _ALL[index] and (other is None or "*" in fields[other]):
            expanded.append(["*"])
        else:
            expanded.append(sorted(values))
    return expanded


@lru_cache(maxsize=1024)
def parse(expr: str) -> Cron:
    fields = expr.split()
    if len(fields) != 5:
        raise CronError(f"GitHub's cron takes exactly 5 fields (minute hour day month weekday), found {len(fields)}")
    # (``split`` breaks at any Unicode space, croniter at ASCII ones only: then croniter reads it)
    expanded, nth = _plain_expansion(fields) if expr.isascii() else None, None
    if expanded is None:  # names, `L`, `#`, `?`, errors...: croniter's reading, and its messages
        try:
            from croniter import croniter
        except ImportError as exc:  # pragma: no cover - croniter is a dependency
            raise CronError(f"croniter is not installed: {exc}") from None
        try:
            expanded, nth = croniter.expand(expr)
        except Exception as exc:  # croniter raises several unrelated types
            raise CronError(str(exc) or type(exc).__name__) from None
    if nth:
        raise CronError("`#` (nth weekday of the month) is not supported by GitHub's cron")
    # `*` in a list (`*,5`) is every value: the list is the whole field
    minutes, hours, doms, months, dows = (["*"] if "*" in field else field for field in expanded)

    def values(field: List, low: int, high: int) -> Optional[FrozenSet[int]]:
        if field == ["*"]:
            return None
        return frozenset(int(v) for v in field if v != "l" and low <= int(v) <= high)

    last_day = "l" in doms
    cron = Cron(
        expr=expr,
        minutes=tuple(range(60)) if minutes == ["*"] else tuple(sorted(int(v) for v in minutes)),
        hours=tuple(range(24)) if hours == ["*"] else tuple(sorted(int(v) for v in hours)),
        days=values(doms, 1, 31) if not (last_day and len(doms) == 1) else frozenset(),
        last_day=last_day,
        months=values(months, 1, 12) or frozenset(range(1, 13)),
        weekdays=None if dows == ["*"] else frozenset(int(v) % 7 for v in dows),
    )
    if cron.days is not None and not cron.last_day and cron.weekdays is None:
        longest = max(_month_days(2024, m) for m in cron.months)  # 2024: leap year
        if min(cron.days) > longest:
            raise CronError(f"`{expr}` never fires: no selected month has day {min(cron.days)}")
    return cron


@lru_cache(maxsize=256)
def zone(name: Optional[str]):
    if not name:
        return _UTC
    try:
        from zoneinfo import ZoneInfo
    except ImportError:  # pragma: no cover - Python 3.8
        raise CronError("time zones need Python 3.9+") from None
    try:
        return ZoneInfo(name)
    except Exception:
        raise CronError(f"unknown time zone `{name}` (expected an IANA name such as Europe/Berlin)") from None


def firing_times(cron: Cron, tz: Optional[str], start: dt.datetime, end: dt.datetime) -> List[int]:
    """Firing times in ``[start, end)`` as whole UTC minutes since the epoch, sorted."""
    tzinfo = zone(tz)
    start_min = int(start.timestamp()) // 60
    end_min = int(end.timestamp()) // 60
    out = []
    day = (start - dt.timedelta(days=1)).date()
    last = (end + dt.timedelta(days=1)).date()
    minutes = cron.day_minutes
    while day <= last:
        if cron.fires_on(day):
            if tzinfo is _UTC:
                base = (day.toordinal() - _EPOCH_DAY) * 1440  # UTC midnight, minutes since the epoch
                out.extend(base + m for m in minutes)
            else:
                for m in minutes:
                    local = dt.datetime(day.year, day.month, day.day, m // 60, m % 60, tzinfo=tzinfo)
                    out.append(int(local.timestamp()) // 60)
        day += dt.timedelta(days=1)
    return sorted({t for t in out if start_min <= t < end_min})


def apply_floor(times: Sequence[int], floor: int = GITHUB_FLOOR) -> List[int]:
    """The runs GitHub starts (sorted ``times``): the first firing in each ``floor``-minute slot of the clock."""
    kept: List[int] = []
    for t in times:
        if not kept or t // floor != kept[-1] // floor:
            kept.append(t)
    return kept


def month_window() -> Tuple[dt.datetime, dt.datetime]:
    """The reference month: ``MONTH_DAYS`` days from ``REFERENCE_START``."""
    return REFERENCE_START, REFERENCE_START + dt.timedelta(days=MONTH_DAYS)


def monthly_runs(schedules: Iterable[Tuple[str, Optional[str]]], floor: int = GITHUB_FLOOR) -> int:
    """Runs started in a 30-day month by the union of ``(cron, timezone)`` schedules."""
    return _monthly_runs(tuple(schedules), floor)


@lru_cache(maxsize=1024)  # asked for each schedule, each job without a timeout, each priced finding
def _monthly_runs(schedules: Tuple[Tuple[str, Optional[str]], ...], floor: int) -> int:
    start, end = month_window()
    crons = []
    utc = True
    for expr, tz in schedules:  # parse, then the zone, schedule by schedule: as firing_times would fail
        crons.append(parse(expr))
        utc = zone(tz) is _UTC and utc
    if utc and 1440 % floor == 0 and int(start.timestamp()) % 86400 == 0:
        return _utc_monthly_runs(crons, start.date(), floor)
    return _laid_out_runs(schedules, start, end, floor)


def _laid_out_runs(schedules: Sequence[Tuple[str, Optional[str]]], start: dt.datetime, end: dt.datetime, floor: int) -> int:
    """Runs started in ``[start, end)``: every firing time laid out, then the floor applied."""
    times = set()
    for expr, tz in schedules:
        times.update(firing_times(parse(expr), tz, start, end))
    return len(apply_floor(sorted(times), floor))


def _utc_monthly_runs(crons: Sequence[Cron], first_day: dt.date, floor: int) -> int:
    """``_laid_out_runs`` of UTC schedules over ``MONTH_DAYS`` whole days, without laying the
    times out: a day is a whole number of ``floor``-minute slots, so the runs are, day by day,
    the slots that the schedules firing that day fire in."""
    slots = [frozenset(m // floor for m in cron.day_minutes) for cron in crons]
    total = 0
    day = first_day
    for _ in range(MONTH_DAYS):
        firing = [cron_slots for cron, cron_slots in zip(crons, slots) if cron.fires_on(day)]
        if len(firing) == 1:
            total += len(firing[0])
        elif firing:
            total += len(frozenset().union(*firing))
        day += dt.timedelta(days=1)
    return total


@lru_cache(maxsize=1024)
def typical_interval(expr: str, tz: Optional[str] = None) -> Optional[int]:
    """The gap, in minutes, between most pairs of consecutive firings in the reference month.

    ``*/14 * * * *`` gives 14 (four gaps of 14 minutes an hour, one of 4).  None when no
    single gap covers at least two thirds of them (``0,10 3 * * *``: 10 minutes, then 1,430),
    or when the schedule fires fewer than twice in the month.
    """
    start, end = month_window()
    times = firing_times(parse(expr), tz, start, end)
    gaps = [b - a for a, b in zip(times, times[1:])]
    if not gaps:
        return None
    counts: dict = {}
    for gap in gaps:
        counts[gap] = counts.get(gap, 0) + 1
    gap, count = max(counts.items(), key=lambda gc: (gc[1], -gc[0]))
    return gap if 3 * count >= 2 * len(gaps) else None


@lru_cache(maxsize=1024)
def min_interval(expr: str, tz: Optional[str] = None) -> Optional[int]:
    """The shortest gap, in real minutes, between two firings anywhere in a year.

    None when the schedule fires at most once.  Gaps inside a day come from the
    day's firing minutes, gaps across midnight from pairs of consecutive firing
    days, and, with a time zone, the days around each daylight-saving change are
    laid out in UTC so a shortened gap is seen.
    """
    cron = parse(expr)
    tzinfo = zone(tz)
    minutes = cron.day_minutes
    best: Optional[int] = None
    for a, b in zip(minutes, minutes[1:]):
        if best is None or b - a < best:
            best = b - a
    days = _laid_out_year()
    every_day = cron.days is None and not cron.last_day and cron.weekdays is None
    # weekdays only: every month has each weekday, so the schedule fires in every month it names
    weekdays_only = cron.days is None and not cron.last_day and cron.weekdays is not None
    # whether it fires in the laid-out year, when known without laying it out (None: not yet)
    firing: Optional[List[bool]] = [True] if every_day else [bool(cron.weekdays)] if weekdays_only else None
    wrap = minutes[0] + 1440 - minutes[-1] if minutes else None
    if wrap is not None and (best is None or wrap < best):  # only then do consecutive days matter
        if every_day:
            consecutive = True  # every day of its months
        elif weekdays_only:
            consecutive = any((day + 1) % 7 in cron.weekdays for day in cron.weekdays)  # neighbours meet
        else:
            firing = [cron.fires_on(d) for d in days]
            consecutive = any(firing[i] and firing[i + 1] for i in range(len(days) - 1))
        if consecutive:
            best = wrap
    if tzinfo is not _UTC:
        for i in range(len(days) - 1):
            noon = dt.datetime(days[i].year, days[i].month, days[i].day, 12, tzinfo=tzinfo)
            after = noon + dt.timedelta(days=1)
            if noon.utcoffset() != after.utcoffset():
                start = dt.datetime(days[i].year, days[i].month, days[i].day, tzinfo=_UTC) - dt.timedelta(days=1)
                times = firing_times(cron, tz, start, start + dt.timedelta(days=4))
                for a, b in zip(times, times[1:]):
                    if best is None or b - a < best:
                        best = b - a
    if best is None and firing is None:
        firing = [cron.fires_on(d) for d in days]
    if best is None and not any(firing) and not any(cron.fires_on(dt.date(y, 2, 29)) for y in range(2028, 2057, 4)):
        raise CronError(f"`{expr}` never fires")  # the laid-out year has no 29 February: leap years checked
    return best


@lru_cache(maxsize=1)
def _laid_out_year() -> Tuple[dt.date, ...]:
    """The days ``min_interval`` lays out: the reference year and a week into the next."""
    start = dt.date(REFERENCE_START.year, 1, 1)
    return tuple(start + dt.timedelta(days=i) for i in range(366 + 7))


def _divisor_at_least(value: int, total: int) -> int:
    return next(d for d in range(max(1, value), total + 1) if total % d == 0)


def _step(field: str) -> int:
    """The step of a ``*/n`` or ``a-b/n`` field (1 without one)."""
    _, _, step = field.partition("/")
    return int(step) if step.isdigit() else 1


def _step_field(values: Sequence[int], step: int, size: int) -> str:
    start = min(values) % step
    if step >= size:
        return str(min(values))
    return f"*/{step}" if start == 0 else f"{start}-{size - 1}/{step}"


def _spaced(values: Sequence[int], spacing: int, size: int) -> List[int]:
    kept: List[int] = []
    for v in sorted(values):
        if not kept or v - kept[-1] >= spacing:
            kept.append(v)
    while len(kept) > 1 and kept[0] + size - kept[-1] < spacing:
        kept.pop()
    return kept


def relax(expr: str, threshold: int, tz: Optional[str] = None) -> Optional[Tuple[str, str]]:
    """New minute and hour fields so that no gap is under ``threshold`` minutes.

    The day, month and weekday fields are kept as written.  None when no such
    rewrite is found.
    """
    cron = parse(expr)
    fields = expr.split()
    if threshold <= 60:
        if "/" in fields[0] or fields[0] == "*":
            # never a smaller step than written: */25 becomes */30, not */15 (more runs)
            fields[0] = _step_field(cron.minutes, _divisor_at_least(max(threshold, _step(fields[0])), 60), 60)
        else:
            fields[0] = ",".join(map(str, _spaced(cron.minutes, threshold, 60)))
    else:
        fields[0] = str(cron.minutes[0])
        hour_step = -(-threshold // 60)
        if "/" in fields[1] or fields[1] == "*":
            fields[1] = _step_field(cron.hours, _divisor_at_least(max(hour_step, _step(fields[1])), 24), 24)
        else:
            fields[1] = ",".join(map(str, _spaced(cron.hours, hour_step, 24)))
    candidate = " ".join(fields)
    try:
        gap = min_interval(candidate, tz)
    except CronError:
        return None
    if gap is not None and gap < threshold:
        return None
    return fields[0], fields[1]


def describe_duration(minutes: int) -> str:
    """``4 minutes``, ``1 hour``, ``2 days``."""
    for size, unit in ((1440, "day"), (60, "hour")):
        if minutes % size == 0:
            n = minutes // size
            return f"{n} {unit}" + ("s" if n != 1 else "")
    return f"{minutes} minute" + ("s" if minutes != 1 else "")


def describe_interval(minutes: int) -> str:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return "every day" if days == 1 else f"every {days} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "every hour" if hours == 1 else f"every {hours} hours"
    return "every minute" if minutes == 1 else f"every {minutes} minutes"
