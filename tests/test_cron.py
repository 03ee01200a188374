"""Cron arithmetic: firing counts, shortest gaps, time zones, relaxing a schedule."""

import datetime as dt

import pytest
from croniter import croniter

from wflint import cron


def weekdays_in_reference_month():
    start = cron.REFERENCE_START.date()
    return sum(1 for i in range(cron.MONTH_DAYS) if (start + dt.timedelta(days=i)).weekday() < 5)


@pytest.mark.parametrize(
    "expr, runs",
    [
        ("*/5 * * * *", 8_640),
        ("* * * * *", 8_640),  # GitHub's 5-minute floor
        ("*/15 * * * *", 2_880),
        ("0 * * * *", 720),
        ("0 0 * * *", 30),
    ],
)
def test_monthly_runs(expr, runs):
    assert cron.monthly_runs([(expr, None)]) == runs


def test_weekday_schedule_counts_weekdays():
    assert cron.monthly_runs([("0 9 * * 1-5", None)]) == weekdays_in_reference_month()


def test_several_crons_are_unioned():
    # The hourly firings are all part of the quarter-hourly ones.
    assert cron.monthly_runs([("*/15 * * * *", None), ("0 * * * *", None)]) == 2_880


@pytest.mark.parametrize(
    "expr, gap",
    [
        ("*/5 * * * *", 5),
        ("0,5,10 * * * *", 5),
        ("*/10 9-17 * * 1-5", 10),
        ("* * * * *", 1),
        ("*/14 * * * *", 4),  # :56 then :00
        ("0 */2 * * *", 120),
        ("30 23 * * *", 1440),
        ("0,50 23 * * *", 50),  # 23:00, 23:50, then 23:00 the next day
        ("55 23 * * *", 1440),
    ],
)
def test_min_interval(expr, gap):
    assert cron.min_interval(expr) == gap


def test_min_interval_matches_croniter_iteration():
    # Cross-check against croniter's own iteration over two days.
    for expr in ["*/7 * * * *", "5,40 */3 * * *", "*/20 22-23,0-1 * * *", "55 23 * * *", "0 0 * * 1,2"]:
        it = croniter(expr, dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))
        times = [it.get_next(dt.datetime) for _ in range(400)]
        gaps = [(b - a).total_seconds() / 60 for a, b in zip(times, times[1:])]
        assert cron.min_interval(expr) == min(gaps), expr


def test_firing_times_match_croniter():
    start = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
    end = start + dt.timedelta(days=10)
    for expr in ["*/10 9-17 * * 1-5", "0 0 1,15 * *", "0 12 * * 0", "0 0 1 * 1"]:
        mine = cron.firing_times(cron.parse(expr), None, start, end)
        it = croniter(expr, start - dt.timedelta(minutes=1))
        theirs = []
        while True:
            t = it.get_next(dt.datetime)
            if t >= end:
                break
            theirs.append(int(t.timestamp()) // 60)
        assert mine == theirs, expr


def test_timezone_dst_shortens_a_gap():
    # 01:50 CET, then the clock jumps from 02:00 to 03:00: 03:05 CEST is 15 real minutes later.
    assert cron.min_interval("5,50 1,3 * * *") == 45
    assert cron.min_interval("5,50 1,3 * * *", "Europe/Berlin") == 15


@pytest.mark.parametrize(
    "expr",
    ["* * * *", "* * * * * *", "60 * * * *", "*/0 * * * *", "0 0 31 2 *", "0 0 * * 1#2", "nonsense here x y z"],
)
def test_invalid_expressions(expr):
    with pytest.raises(cron.CronError):
        cron.min_interval(expr)


def test_invalid_zone():
    with pytest.raises(cron.CronError):
        cron.zone("Mars/Olympus")


@pytest.mark.parametrize(
    "expr, threshold, fields",
    [
        ("*/5 * * * *", 15, ("*/15", "*")),
        ("*/14 * * * *", 15, ("*/15", "*")),
        ("0,5,10 * * * *", 15, ("0", "*")),
        ("*/10 9-17 * * 1-5", 15, ("*/15", "9-17")),
        ("*/30 * * * *", 60, ("0", "*")),
        ("*/5 * * * *", 120, ("0", "*/2")),
        ("3-59/5 * * * *", 15, ("3-59/15", "*")),
    ],
)
def test_relax(expr, threshold, fields):
    assert cron.relax(expr, threshold) == fields
    new = " ".join(list(fields) + expr.split()[2:])
    assert cron.min_interval(new) >= threshold


# -- counts from the real firing times (issue 15) -------------------------------------------


def croniter_count(expr, tz=None):
    """Firings in the reference month by croniter's own iteration, at most one per 5-minute slot."""
    start, end = cron.month_window()
    it = croniter(expr, start - dt.timedelta(seconds=1))
    slots = set()
    while True:
        t = it.get_next(dt.datetime)
        if t >= end:
            return len(slots)
        slots.add(int(t.timestamp()) // 300)


@pytest.mark.parametrize(
    "expr, runs",
    [
        ("*/14 * * * *", 3_600),  # :00 :14 :28 :42 :56, the 4-minute gap to :00 included
        ("*/8 * * * *", 5_760),
        ("*/7 * * * *", 6_480),
        ("*/25 * * * *", 2_160),  # :00 :25 :50
        ("0,20,40 * * * *", 2_160),
        ("0 9-17 * * *", 270),
        ("10-40/15 */2 * * *", 3 * 12 * 30),  # :10 :25 :40 every other hour
        ("0 0 1,15 * *", 2),  # June 2026: the 1st and the 15th
        ("0 0 * * 1", 5),  # Mondays from Monday June 1st: 1, 8, 15, 22, 29
        ("0 0 13 * 5", 5),  # day of month OR day of week: the 13th, plus 4 Fridays
        ("0 0 */10 * *", 3),  # days 1, 11, 21
    ],
)
def test_counts_from_real_firing_times(expr, runs):
    assert cron.monthly_runs([(expr, None)]) == runs == croniter_count(expr)


@pytest.mark.parametrize(
    "expr, typical, shortest",
    [("*/14 * * * *", 14, 4), ("*/8 * * * *", 8, 4), ("*/7 * * * *", 7, 4), ("*/25 * * * *", 25, 10),
     ("*/5 * * * *", 5, 5), ("0,10 3 * * *", None, 10), ("0 9-17 * * *", 60, 60)],
)
def test_typical_and_shortest_interval(expr, typical, shortest):
    assert cron.typical_interval(expr) == typical
    assert cron.min_interval(expr) == shortest


@pytest.mark.parametrize("expr", ["*/7 * * * *", "*/8 * * * *", "*/14 * * * *", "*/25 * * * *", "*/5 */2 * * *", "0,5,10 * * * *"])
def test_relax_always_saves_runs(expr):
    fields = cron.relax(expr, 15)
    new = " ".join([*fields, *expr.split()[2:]])
    assert cron.min_interval(new) >= 15
    assert cron.monthly_runs([(new, None)]) < cron.monthly_runs([(expr, None)])


@pytest.mark.parametrize("expr", [
    "0 0 * * 0,6",  # Saturday then Sunday: neighbours across the week's end
    "0 0 * * 1,3,5", "30 9 * * 1", "0 12 * * 2-3", "*/30 9-17 * * 1-5", "0 0 * 2 1", "45 23 * 1,7 0,1",
    "0 0 1,2 * *", "0 0 31 * *", "0 0 L * *", "0 0 1 * 1", "15 3 * * *", "0 0 29 2 *",
])
def test_min_interval_matches_a_years_firings(expr):
    # Every firing of the laid-out year (and a week after), in UTC: the shortest gap between two
    # firings on the same or neighbouring days (None: the schedule never fires two days running).
    start = dt.datetime(cron.REFERENCE_START.year, 1, 1, tzinfo=dt.timezone.utc)
    times = cron.firing_times(cron.parse(expr), None, start, start + dt.timedelta(days=373))
    gaps = [b - a for a, b in zip(times, times[1:]) if b // 1440 - a // 1440 <= 1]
    assert cron.min_interval(expr) == (min(gaps) if gaps else None)


# -- the expansion that needs no croniter ----------------------------------------------

_USUAL = [  # per field: minute, hour, day of the month, month, weekday
    ["*", "*/1", "*/5", "*/7", "*/15", "0", "5", "30", "59", "05", "0-30/5", "10-50/15", "0,30", "0-59", "2-4/1",
     "3/5", "0/15", "59/15", "58/1"],
    ["*", "*/2", "*/1", "0", "12", "23", "0-23/2", "1-5", "9-17", "0,12", "0-23", "2/2", "23/4", "0/6"],
    ["*", "*/2", "*/1", "1", "15", "31", "1-7", "1-31", "1,15", "2-30/7", "2/2", "1/7", "31/2"],
    ["*", "*/3", "1", "12", "1-12", "jan", "DEC", "Jun", "6,12", "1-6", "1/3", "12/2"],
    ["*", "*/2", "0", "6", "1-5", "0-6", "MON", "sun", "Sat", "mon,wed", "6,0", "1-5,0", "0-6/2", "1/2", "6/3"],
]
_ODD = ["*/0", "*/60", "7", "60", "5-5", "5-1", "0-7", "1-7", "1-5/0", "3/0", "0/5", "60/5", "7/2", "L", "mon-fri", "jan-mar", "1#2",
        "?", "", "-1", "*,5", "*/5,1", "32", "13", "24", "0", "monday", "xyz", "mon/2", "MON", "jan", "31"]


def _random_expression(rng):
    fields = []
    for usual in _USUAL:
        count = rng.choice((1, 1, 1, 2, 3))
        fields.append(",".join(rng.choice(usual if rng.random() < 0.9 else _ODD) for _ in range(count)))
    return " ".join(fields)


def test_plain_expansion_is_croniters_wherever_it_answers():
    import random

    rng = random.Random(7)
    answered = 0
    for _ in range(10_000):
        expr = _random_expression(rng)
        if len(expr.split()) != 5:  # parse refuses it before expanding
            continue
        mine = cron._plain_expansion(expr.split())
        if mine is None:
            continue
        answered += 1
        assert mine == croniter.expand(expr)[0], expr
    assert answered > 2_000  # the comparison ran on many expressions, not on none


@pytest.mark.parametrize("expr", [
    "0 0 * * *", "*/5 * * * *", "30 2 * * 1-5", "0 */6 * * *", "0 0 1 * *", "15 3 * * 0", "0 0,12 * * *",
    "0 9 * * 1,3,5", "0 0 1-7 * 1", "*/1 * * * *", "0 0 * * 0-6", "0 0 1-31 * 1", "0 0 1-31 * *", "0 0 * 1-12 *",
    "0 0 * * MON", "00 15 * * sun", "0 0 1 JAN *", "0 0 * * mon,FRI", "47 11 2/2 * *", "59/15 * * * *",
])
def test_common_expressions_need_no_croniter_and_parse_as_croniter_reads_them(expr, monkeypatch):
    expanded = cron._plain_expansion(expr.split())
    assert expanded == croniter.expand(expr)[0]
    plain = cron.parse.__wrapped__(expr)
    monkeypatch.setattr(cron, "_plain_expansion", lambda fields: None)  # croniter's reading
    assert vars(plain) == vars(cron.parse.__wrapped__(expr))


@pytest.mark.parametrize("expr", ["0 0 * * MON-FRI", "0 0 L * *", "0 0 * * 1#2", "5-5 * * * *", "0 0 * * 7", "0 0 0/5 * *",
                                  "0 0 ? * *", "60 * * * *", "0\u00a00 * * *  *"])
def test_other_spellings_are_left_to_croniter(expr):
    assert cron._plain_expansion(expr.split()) is None or not expr.isascii()


def test_utc_month_counted_by_day_equals_every_firing_laid_out():
    import random

    rng = random.Random(11)
    start, end = cron.month_window()
    checked = 0
    while checked < 100:
        exprs = [_random_expression(rng) for _ in range(rng.choice((1, 1, 2, 3)))]
        try:
            crons = [cron.parse(expr) for expr in exprs]
        except cron.CronError:
            continue
        checked += 1
        schedules = [(expr, rng.choice((None, "UTC", "Etc/UTC"))) for expr in exprs]
        expected = cron._laid_out_runs(schedules, start, end, cron.GITHUB_FLOOR)
        assert cron._utc_monthly_runs(crons, start.date(), cron.GITHUB_FLOOR) == expected, exprs
        assert cron._monthly_runs.__wrapped__(tuple(schedules), cron.GITHUB_FLOOR) == expected


def test_a_schedule_in_another_zone_is_laid_out(monkeypatch):
    monkeypatch.setattr(cron, "_utc_monthly_runs", None)  # never taken for Europe/Berlin
    assert cron._monthly_runs.__wrapped__((("30 2 * * *", "Europe/Berlin"),), cron.GITHUB_FLOOR) == 30


@pytest.mark.parametrize("expr, same_as", [("*,5 * * * *", "* * * * *"), ("0 0 *,1 * *", "0 0 * * *"),
                                           ("0 0 * * *,1", "0 0 * * *")])
def test_a_star_in_a_list_is_the_whole_field(expr, same_as):
    assert cron.monthly_runs([(expr, None)]) == cron.monthly_runs([(same_as, None)])
    assert cron.min_interval(expr, None) == cron.min_interval(same_as, None)
