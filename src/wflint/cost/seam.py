"""The one question ``cost --base`` and the action ask the cost model: what does this
workflow cost a month?

:func:`workflow_month` takes a workflow's path and text (and the repository root) and
returns runs, billed minutes and dollars a month, each with a ``basis`` (``history`` or
``estimate``), and the per-job breakdown.  The figures are those of the job cost model
(``model.WorkflowCost``), the same that ``wflint cost`` and the findings' prices use:

- runs a month per trigger: ``schedule`` from its crons; other triggers from the saved run
  history (``wflint usage --save``, ``cost.history``) or from a raw run list given with
  ``--history`` when either has the workflow, otherwise the model's activity defaults
  (``defaults.RUNS``, a path-filtered trigger counting a share of them);
- billed minutes per job run: history's durations, otherwise the job class's default
  (``defaults.MINUTES``: bot, lint, build, release, heavy);
- dollars: jobs per run x minutes per job x the runner's price; jobs whose runner has no
  price (unknown labels, vendors) count in minutes, not in dollars.
"""

from __future__ import annotations

import math
import os
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional

from .estimate import estimate_loaded
from .pricing import PriceTable

HISTORY, ESTIMATE = "history", "estimate"
NO_RUNS = ("workflow_call",)  # billed as part of the calling workflow
JOB_MINUTES = 1  # billed minutes of a job the model does not price (the billing floor)
MONTH_DAYS = 30
ASSUMPTIONS = (
    "Runs a month: schedules counted from their crons; other triggers from run history when there is "
    "some for the workflow, otherwise wflint's activity defaults (README: How findings are priced; a "
    "path-filtered trigger counts a share of them). Minutes: each job's durations from history, "
    "otherwise its job class's default (bot, lint, build, release, heavy)."
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


def _tag_only_push(wf) -> bool:
    """``push`` filtered to tags only: it runs on releases, not on every commit."""
    from .. import yamlnode as yn

    push = wf.triggers.get("push")
    if push is None:
        return False
    return push.has_filter("tags") and not push.has_filter("branches") and not push.has_filter("branches-ignore") \
        and yn.is_map(push.config)


def workflow_month(path: str, text: str, root: Optional[str], prices: PriceTable, history: Optional[History] = None,
                   cost: Optional[Dict[str, object]] = None) -> WorkflowMonth:
    """What the workflow at ``path`` (relative to the repository ``root``) with ``text`` costs a month.

    ``cost`` is ``[tool.wflint.cost]`` as the model reads it (visibility, history, prices-file,
    minutes, runs); ``history`` a raw run list (``--history`` with ``gh run list`` output).
    """
    from ..source import Source
    from .model import CostOptions, WorkflowCost

    est, wf = estimate_loaded(path, Source(path=path, text=text), prices)  # one parse for both
    out = WorkflowMonth(path, est.name, list(est.triggers), [c for c, _ in est.schedules], error=est.error)
    if wf is None or (est.error and not est.jobs and not est.triggers):
        return out
    options = {"repo-root": root, **(cost or {})}
    model = WorkflowCost(wf, CostOptions.from_dict(options), repo_path=path)
    past = history.find(path, est.name) if history is not None else None
    tag_only = _tag_only_push(wf)
    bases = set()
    for trigger in est.triggers:
        if trigger in NO_RUNS and model.entry is None:
            out.runs_by_trigger[trigger] = 0.0  # billed as part of the calling workflow
            continue
        if past is not None and trigger in past.runs_by_event and trigger != "schedule":
            out.runs_by_trigger[trigger], basis = past.runs_by_event[trigger], HISTORY
        elif trigger == "push" and tag_only and model.entry is None:
            out.runs_by_trigger[trigger], basis = model.tag_runs_per_month()
        else:
            out.runs_by_trigger[trigger], basis = model.runs_per_month(trigger)
        bases.add(basis)
    out.runs_basis = HISTORY if bases == {HISTORY} else ESTIMATE
    median = math.ceil(past.median_minutes) if past is not None and past.median_minutes else None
    job_bases = set()
    runs = out.runs_per_month
    for job in est.jobs:
        modelled = model.jobs.get(job.id)
        count = job.count if job.count is not None else 1
        if median is not None and (modelled is None or modelled.basis != HISTORY):
            minutes, basis = float(max(1, median)), HISTORY
        elif modelled is not None:
            minutes, basis = modelled.minutes, modelled.basis
        else:
            minutes, basis = float(JOB_MINUTES), ESTIMATE
        job_bases.add(basis)
        month = JobMonth(
            id=job.id,
            jobs_per_run=job.count,
            runners=dict(job.runners),
            minutes_per_job=minutes,
            minutes_per_run=count * minutes,
            usd_per_run=job.floor_usd * minutes,  # floor_usd: each priced job's price for 1 minute
            unpriced=job.unpriced,
            timeout=job.timeout if job.timeout_set else None,
        )
        month.minutes_per_month = month.minutes_per_run * runs
        month.usd_per_month = month.usd_per_run * runs
        out.jobs.append(month)
    out.minutes_basis = HISTORY if job_bases == {HISTORY} else ESTIMATE
    return out
