"""cron-too-frequent: a schedule that fires more often than the configured interval."""

from __future__ import annotations

import re
from typing import Iterator

from .. import cron, stagger
from ..finding import Edit, Finding, Fix, Safety
from ..workflow import Workflow
from ..yamledit import scalar_inner_span
from ..yamlnode import span
from .base import Context, Rule


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    threshold = int(ctx.options.get("min-interval", 15))
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
        fix = _fix(wf, schedule, threshold, key)
        properties = {"monthly_runs": runs, "interval_minutes": max(typical or gap, cron.GITHUB_FLOOR)}
        if fix is not None:
            from ..cost.matrix import jobs_per_run_floor  # only when there is a saving to price

            properties["monthly_runs_saved"] = runs - fix[1]
            # Floor: each job of each run bills at least one minute.
            properties["monthly_minutes_saved"] = (runs - fix[1]) * jobs_per_run_floor(wf.jobs)
            message += f" `{fix[2]}` would run {fix[1]:,} times a month."
        yield Finding(span=span(schedule.node), message=message, fix=fix[0] if fix else None, properties=properties)


def _how_often(typical, gap: int) -> str:
    """``fires every 14 minutes (4 minutes apart at the shortest)``: the usual gap first."""
    if typical == gap:
        return f"fires {cron.describe_interval(gap)}"
    if typical is not None:
        return f"fires {cron.describe_interval(typical)} ({cron.describe_duration(gap)} apart at the shortest)"
    return f"fires as little as {cron.describe_duration(gap)} apart"


def _fix(wf: Workflow, schedule, threshold: int, key):
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
        before = cron.monthly_runs([(schedule.cron, schedule.timezone)])
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
    return Fix(title=f"Change the schedule to `{new_expr}`", edits=edits, safety=Safety.UNSAFE), after, new_expr


RULE = Rule(
    code="WFL002",
    slug="cron-too-frequent",
    summary="Scheduled workflow fires more often than the minimum interval",
    check=check,
    fix=Safety.UNSAFE,
    options={"min-interval": 15},
    options_schema={"min-interval": {"type": "integer", "minimum": 5}},
    tags=("cost", "schedule"),
)
