"""cron-too-frequent: a schedule that fires more often than the configured interval."""

from __future__ import annotations

import re
from typing import Iterator, Tuple

from .. import cron, stagger
from ..finding import Edit, Finding, Fix, Safety
from ..workflow import Workflow
from ..yamledit import requote, scalar_inner_span
from ..stake import stake
from ..textscan import folded, may_contain
from ..intent import Mismatch, fixed_cron, schedule_index
from ..yamlnode import span
from .base import Context, Rule


# A schedule that keeps a free-tier service from sleeping (Render sleeps after 15 idle minutes):
# its interval is its purpose, and a less frequent one lets the service sleep.
KEEP_AWAKE = re.compile(
    r"keep[-_ ]?alive|\bkeep\b[^\n]{0,40}\b(alive|awake|warm)\b|\bawake\b|wake[-_ ]?up|stay[-_ ]?alive|"
    r"prevent[^\n]{0,20}\b(sleep|idle|spin)|spin[-_ ]?down|cold[-_ ]?start|onrender\.com",
    re.IGNORECASE,
)
# A fix that removes less than this share of the runs saves nothing worth a change (`*/14`).
MIN_SAVED_SHARE = 0.1


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    threshold = int(ctx.options.get("min-interval", 15))
    if wf.schedules and _keeps_awake(wf):
        return
    key = None
    for schedule in wf.schedules:
        if not schedule.cron:
            continue
        try:
            gap = cron.min_interval(schedule.cron, schedule.timezone)
            if gap is None or gap >= threshold:
                continue
            runs = cron.monthly_runs([(schedule.cron, schedule.timezone)])
            typical = cron.typical_interval(schedule.cron, schedule.timezone)
        except cron.CronError:
            continue  # reported by invalid-cron
        if key is None:
            key = stagger.workflow_key(wf.path, ctx.repo_root)
        message = f"Schedule `{schedule.shown}` {_how_often(typical, gap)}"
        if (typical or gap) < cron.GITHUB_FLOOR:
            message += f" (GitHub runs it at most {cron.describe_interval(cron.GITHUB_FLOOR)})"
        message += f": {runs:,} runs a month, more often than the {threshold}-minute minimum."
        fix = _fix(wf, schedule, threshold, key, runs)
        effective = max(typical or gap, cron.GITHUB_FLOOR)
        properties = {"monthly_runs": runs, "interval_minutes": effective}
        if fix is not None and runs - fix[1] < runs * MIN_SAVED_SHARE:
            continue  # a run or two a month: not worth a change
        after = fix[1] if fix is not None else runs * effective / max(threshold, effective)
        properties["stake"] = stake("share", events=["schedule"], share=_share(wf, runs, after))
        if fix is not None:
            from ..cost.matrix import jobs_per_run_floor  # only when there is a saving to price

            properties["monthly_runs_saved"] = runs - fix[1]
            # Floor: each job of each run bills at least one minute.
            properties["monthly_minutes_saved"] = (runs - fix[1]) * jobs_per_run_floor(wf.jobs)
            message += f" `{fix[2]}` would run {fix[1]:,} times a month."
        yield Finding(span=span(schedule.node), message=message, fix=fix[0] if fix else None, properties=properties)


def _keeps_awake(wf: Workflow) -> bool:
    # every branch of KEEP_AWAKE holds one of these words (`awake` and `wake-up` hold `wake`)
    # and stays on one line: only the lines holding a word are searched
    words = ("keep", "wake", "alive", "prevent", "spin", "cold", "onrender")
    for text in (wf.path, wf.text):
        if not may_contain(text, *words):
            continue
        low = folded(text)
        if len(low) == len(text):  # (ASCII, and most texts) each character folded in place
            if any(KEEP_AWAKE.search(text, start, end) for start, end in _lines_holding(low, words)):
                return True
            continue
        # folding changes letters, never line breaks: the folded lines are the text's lines
        for line, low_line in zip(text.split("\n"), low.split("\n")):
            if any(word in low_line for word in words) and KEEP_AWAKE.search(line):
                return True
    return False


def _lines_holding(text: str, words) -> Iterator[Tuple[int, int]]:
    """(start, end) of each line of ``text`` that holds one of ``words``, once each."""
    seen = set()
    for word in words:
        at = text.find(word)
        while at != -1:
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            end = len(text) if end == -1 else end
            if start not in seen:
                seen.add(start)
                yield start, end
            at = text.find(word, end)


def _share(wf: Workflow, runs: float, after: float) -> float:
    """Share of the workflow's scheduled runs the change removes (1 - runs after / runs before)."""
    try:
        total = cron.monthly_runs([(s.cron, s.timezone) for s in wf.schedules if s.cron])
    except cron.CronError:
        total = runs
    return (runs - after) / total if total else 0.0


def _how_often(typical, gap: int) -> str:
    """``fires every 14 minutes (4 minutes apart at the shortest)``: the usual gap first."""
    if typical == gap:
        return f"fires {cron.describe_interval(gap)}"
    if typical is not None:
        return f"fires {cron.describe_interval(typical)} ({cron.describe_duration(gap)} apart at the shortest)"
    return f"fires as little as {cron.describe_duration(gap)} apart"


def _fix(wf: Workflow, schedule, threshold: int, key, before: int):
    """(the fix, runs a month after it, the new cron), or None; ``before``: the runs a month now."""
    if id(schedule.node) in wf.shared:
        return None  # an alias repeats this string elsewhere
    inner = scalar_inner_span(wf.source, schedule.node)
    if inner is None:
        return None
    new_expr = stagger.suggest(schedule.cron, schedule.timezone, key, threshold)
    if new_expr is None:
        return None
    fields = new_expr.split()
    try:
        gap = cron.min_interval(new_expr, schedule.timezone)
        after = cron.monthly_runs([(new_expr, schedule.timezone)])
    except cron.CronError:
        return None
    if (gap is not None and gap < threshold) or after >= before:
        return None  # the suggestion only staggered: schedule-top-of-hour's business
    start, _ = inner
    tokens = list(re.finditer(r"\S+", schedule.cron))
    edits = tuple(
        Edit(start + tok.start(), start + tok.end(), new)
        for tok, new in zip(tokens[:2], fields[:2])
        if tok.group(0) != new
    )
    if not edits:
        return None
    edits = requote(wf, schedule, new_expr) or edits
    return Fix(title=f"Change the schedule to `{new_expr}`", edits=edits, safety=Safety.UNSAFE), after, new_expr


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged cron changes its minute and hour fields only, to fire no more often than allowed."""
    index = schedule_index(wf, finding)
    schedule = wf.schedules[index]
    new = fixed_cron(fixed, index)
    old_fields, new_fields = (schedule.cron or "").split(), new.split()
    if new == schedule.cron or old_fields[2:] != new_fields[2:] or len(old_fields) != len(new_fields):
        raise Mismatch(f"cron `{schedule.cron}` became `{new}`: only minute and hour may change")
    try:
        gap = cron.min_interval(new, schedule.timezone)
    except cron.CronError:
        raise Mismatch(f"cron `{new}` is not valid") from None
    if gap is not None and gap < int(options["min-interval"]):
        raise Mismatch(f"cron `{new}` still fires every {gap} minutes")
    data["on"]["schedule"][index]["cron"] = new


RULE = Rule(
    code="WFL002",
    slug="cron-too-frequent",
    summary="Scheduled workflow fires more often than the minimum interval",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"min-interval": 15},
    options_schema={"min-interval": {"type": "integer", "minimum": 5}},
    tags=("cost", "schedule"),
)
