"""cron-too-frequent: a schedule that fires more often than the configured interval."""

from __future__ import annotations

import re
from typing import Iterator

from .. import cron
from ..finding import Edit, Finding, Fix, Safety
from ..stake import stake
from ..workflow import Workflow
from ..yamledit import requote, scalar_inner_span
from ..yamlnode import span
from ..intent import Mismatch, fixed_cron, schedule_index
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
    if wf.schedules and KEEP_AWAKE.search(f"{wf.path}\n{wf.text}"):
        return
    for schedule in wf.schedules:
        if not schedule.cron:
            continue
        try:
            gap = cron.min_interval(schedule.cron, schedule.timezone)
            if gap is None or gap >= threshold:
                continue
            runs = cron.monthly_runs([(schedule.cron, schedule.timezone)])
        except cron.CronError:
            continue  # reported by invalid-cron
        effective = max(gap, cron.GITHUB_FLOOR)
        message = f"Schedule `{schedule.shown}` fires {cron.describe_interval(gap)}"
        if gap < cron.GITHUB_FLOOR:
            message += f" (GitHub runs it at most {cron.describe_interval(cron.GITHUB_FLOOR)})"
        message += f": {runs:,} runs a month, more often than the {threshold}-minute minimum."
        fix = _fix(wf, schedule, threshold)
        properties = {"monthly_runs": runs, "interval_minutes": effective}
        if fix is not None and runs - fix[1] < runs * MIN_SAVED_SHARE:
            continue  # e.g. `*/14`: one gap of 4 minutes an hour, a run or two a month
        after = fix[1] if fix is not None else runs * effective / max(threshold, effective)
        properties["stake"] = stake("share", events=["schedule"], share=_share(wf, runs, after))
        if fix is not None:
            from ..cost.matrix import jobs_per_run_floor  # only when there is a saving to price

            properties["monthly_runs_saved"] = runs - fix[1]
            # Floor: each job of each run bills at least one minute.
            properties["monthly_minutes_saved"] = (runs - fix[1]) * jobs_per_run_floor(wf.jobs)
            message += f" Every {threshold} minutes or less often would be {fix[1]:,} runs a month."
        yield Finding(span=span(schedule.node), message=message, fix=fix[0] if fix else None, properties=properties)


def _share(wf: Workflow, runs: float, after: float) -> float:
    """Share of the workflow's scheduled runs the change removes (1 - runs after / runs before)."""
    try:
        total = cron.monthly_runs([(s.cron, s.timezone) for s in wf.schedules if s.cron])
    except cron.CronError:
        total = runs
    return (runs - after) / total if total else 0.0


def _fix(wf: Workflow, schedule, threshold: int):
    if id(schedule.node) in wf.shared:
        return None  # an alias repeats this string elsewhere
    inner = scalar_inner_span(wf.source, schedule.node)
    if inner is None:
        return None
    try:
        fields = cron.relax(schedule.cron, threshold, schedule.timezone)
    except cron.CronError:
        return None
    if fields is None:
        return None
    start, _ = inner
    tokens = list(re.finditer(r"\S+", schedule.cron))
    edits = tuple(
        Edit(start + tok.start(), start + tok.end(), new)
        for tok, new in zip(tokens[:2], fields)
        if tok.group(0) != new
    )
    if not edits:
        return None
    new_expr = " ".join(list(fields) + [t.group(0) for t in tokens[2:]])
    edits = requote(wf, schedule, new_expr) or edits
    after = cron.monthly_runs([(new_expr, schedule.timezone)])
    return Fix(title=f"Change the schedule to `{new_expr}`", edits=edits, safety=Safety.UNSAFE), after


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
