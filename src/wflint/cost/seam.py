"""The one question ``cost --base`` and the action ask the cost model: what does this
workflow cost a month?

:func:`workflow_month` takes a workflow's path and text (and the repository root) and
returns runs, billed minutes and dollars a month, each with a ``basis`` (``history`` or
``estimate``), and the per-job breakdown.  It is the seam between the comparison
(``delta``) and the cost model: when the cost model gives point figures per job itself,
only this module changes.

Today it is built on ``estimate.estimate_text`` (jobs per run, runner SKUs, prices) and,
when a run-history file is given, on ``usage`` (runs a month and run durations):

- runs a month per trigger: ``schedule`` from its crons (``cron.monthly_runs``); other
  triggers from the history's runs of the workflow for that event when there are any,
  otherwise the documented estimate :data:`EVENT_RUNS` (a ``push`` filtered to tags only
  counts as a rare event; ``workflow_call`` runs as part of its caller: 0);
- billed minutes per job run: the median run duration of the workflow in the history,
  rounded up to a whole minute, otherwise the billing floor of 1 minute
  (:data:`JOB_MINUTES`), so figures without history are lower bounds on minutes;
- dollars: jobs per run x minutes per job x the runner's price; jobs whose runner has no
  price (unknown labels, reusable workflows, vendors) count in minutes, not in dollars.
"""

from __future__ import annotations

import math
import os
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional

from .estimate import WorkflowEstimate, estimate_text
from .pricing import PriceTable

HISTORY, ESTIMATE = "history", "estimate"
# Runs a month assumed for a trigger when no history says otherwise: about one a day for the
# events that follow development, one a month for the others.
EVENT_RUNS = {"push": 30.0, "pull_request": 30.0, "pull_request_target": 30.0, "merge_group": 30.0}
OTHER_EVENT_RUNS = 1.0
NO_RUNS = ("workflow_call",)  # billed as part of the calling workflow
JOB_MINUTES = 1  # billed minutes per job run without history: the floor
MONTH_DAYS = 30
ASSUMPTIONS = (
    "Runs a month: schedules counted from their crons; other triggers from run history when given "
    f"(--history), otherwise estimated at {EVENT_RUNS['push']:.0f} a month for push, pull_request, "
    f"pull_request_target and merge_group and {OTHER_EVENT_RUNS:.0f} for other events (and tag-only pushes); "
    "path and branch filters change these only through history. Minutes: each job "
    "bills the workflow's median run duration in the history, otherwise the 1-minute floor (a lower bound)."
)


@dataclass
class JobMonth:
    id: str
    jobs_per_run: Optional[int]  # matrix size; None when unknown (counted as 1)
    runners: Dict[str, int]  # runner SKU (or kind:label when unpriced) -> jobs per run
    minutes_per_job: float  # billed minutes of one job run
    minutes_per_run: float
    usd_per_run: float
    unpriced: int  # jobs per run without a price
    timeout: Optional[int]  # timeout-minutes when set
    minutes_per_month: float = 0.0
    usd_per_month: float = 0.0


@dataclass
class WorkflowMonth:
    path: str
    name: str
    triggers: List[str] = field(default_factory=list)
    schedules: List[str] = field(default_factory=list)
    runs_by_trigger: Dict[str, float] = field(default_factory=dict)
    runs_basis: str = ESTIMATE
    minutes_basis: str = ESTIMATE
    jobs: List[JobMonth] = field(default_factory=list)
    error: Optional[str] = None

    @property
    def runs_per_month(self) -> float:
        return sum(self.runs_by_trigger.values())

    @property
    def minutes_per_run(self) -> float:
        return sum(j.minutes_per_run for j in self.jobs)

    @property
    def usd_per_run(self) -> float:
        return sum(j.usd_per_run for j in self.jobs)

    @property
    def minutes_per_month(self) -> float:
        return sum(j.minutes_per_month for j in self.jobs)

    @property
    def usd_per_month(self) -> float:
        return sum(j.usd_per_month for j in self.jobs)

    @property
    def unpriced(self) -> int:
        return sum(j.unpriced for j in self.jobs)

    @property
    def basis(self) -> str:
        """``history`` when both the runs and the minutes come from history."""
        return HISTORY if self.runs_basis == HISTORY and self.minutes_basis == HISTORY else ESTIMATE


@dataclass
class WorkflowHistory:
    runs_by_event: Dict[str, float]  # runs a month per event
    median_minutes: Optional[float]


class History:
    """Run history (``usage.load_file``) grouped by workflow name or path."""

    def __init__(self, runs: Iterable) -> None:
        runs = list(runs)
        self._by_name: Dict[str, WorkflowHistory] = {}
        if not runs:
            return
        first, last = min(r.created for r in runs), max(r.created for r in runs)
        scale = MONTH_DAYS / max(1.0, (last - first).total_seconds() / 86400)
        groups: Dict[str, list] = defaultdict(list)
        for run in runs:
            groups[run.workflow].append(run)
        for name, group in groups.items():
            events: Dict[str, float] = defaultdict(float)
            for run in group:
                events[run.event] += scale
            minutes = [r.minutes for r in group if r.completed and r.minutes > 0]
            self._by_name[name] = WorkflowHistory(dict(events), statistics.median(minutes) if minutes else None)

    def find(self, path: str, name: str) -> Optional[WorkflowHistory]:
        """The history of a workflow: runs list it by its ``name:`` (gh) or its path (REST)."""
        return self._by_name.get(name) or self._by_name.get(path) or self._by_name.get(os.path.basename(path))


def _tag_only_push(path: str, text: str) -> bool:
    """``push`` filtered to tags only: it runs on releases, not on every commit."""
    from .. import yamlnode as yn
    from ..engine import load
    from ..source import Source

    wf, _ = load(Source(path=path, text=text))
    push = wf.triggers.get("push") if wf is not None else None
    if push is None:
        return False
    return push.has_filter("tags") and not push.has_filter("branches") and not push.has_filter("branches-ignore") \
        and yn.is_map(push.config)


def _runs(est: WorkflowEstimate, past: Optional[WorkflowHistory], tag_only: bool):
    runs: Dict[str, float] = {}
    from_history = bool(est.triggers)
    for trigger in est.triggers:
        if trigger == "schedule":
            runs[trigger] = float(est.runs_per_month or 0)
            from_history = False
        elif trigger in NO_RUNS:
            runs[trigger] = 0.0
        elif past is not None and trigger in past.runs_by_event:
            runs[trigger] = past.runs_by_event[trigger]
        elif trigger == "push" and tag_only:
            runs[trigger] = OTHER_EVENT_RUNS
            from_history = False
        else:
            runs[trigger] = EVENT_RUNS.get(trigger, OTHER_EVENT_RUNS)
            from_history = False
    return runs, (HISTORY if from_history else ESTIMATE)


def workflow_month(path: str, text: str, root: Optional[str], prices: PriceTable, history: Optional[History] = None) -> WorkflowMonth:
    """What the workflow at ``path`` (relative to the repository ``root``) with ``text`` costs a month."""
    del root  # the estimate of today needs nothing else from the repository
    est = estimate_text(path, text, prices)
    out = WorkflowMonth(path, est.name, list(est.triggers), [c for c, _ in est.schedules], error=est.error)
    if est.error and not est.jobs and not est.triggers:
        return out
    past = history.find(path, est.name) if history is not None else None
    out.runs_by_trigger, out.runs_basis = _runs(est, past, "push" in est.triggers and _tag_only_push(path, text))
    minutes = JOB_MINUTES
    if past is not None and past.median_minutes:
        minutes, out.minutes_basis = max(1, math.ceil(past.median_minutes)), HISTORY
    runs = out.runs_per_month
    for job in est.jobs:
        count = job.count if job.count is not None else 1
        month = JobMonth(
            id=job.id,
            jobs_per_run=job.count,
            runners=dict(job.runners),
            minutes_per_job=float(minutes),
            minutes_per_run=float(count * minutes),
            usd_per_run=job.floor_usd * minutes,  # floor_usd: each priced job's price for 1 minute
            unpriced=job.unpriced,
            timeout=job.timeout if job.timeout_set else None,
        )
        month.minutes_per_month = month.minutes_per_run * runs
        month.usd_per_month = month.usd_per_run * runs
        out.jobs.append(month)
    return out

