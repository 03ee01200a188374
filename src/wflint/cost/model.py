"""The job cost model: what each job of a workflow costs a month, and what a finding saves.

This is the one entry point the rules' pricing, ``wflint cost`` and ``wflint usage`` share:

    model = WorkflowCost(wf, options)        # wf: a loaded ``workflow.Workflow``
    model.price(stake)                       # a finding's stake -> minutes, dollars, basis
    model.monthly()                          # the workflow's own minutes and dollars a month

Per job: the runner's price (``prices.toml``: ``ubuntu-slim`` bills as Linux 1-core,
larger runners by size, self-hosted and third-party runners 0 USD here), the matrix
size, local reusable callees resolved, a duration, and runs a month per trigger.
Durations and runs come from the saved history (``history.py``) where it covers the
workflow (``basis: "history"``), else from the static estimate: the job's class
(``jobclass.py``) and the defaults in ``defaults.py`` (``basis: "estimate"``).
Configuration (``[tool.wflint.cost]``, see :class:`CostOptions`) overrides the defaults.
"""

from __future__ import annotations

import math
import os
import re
import posixpath
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from .. import yamlnode as yn
from ..reads import note
from ..records import record
from ..workflow import LOCAL_CALL
from . import defaults
from .jobclass import classify_job, classify_name
from .runners import SELF_HOSTED, THIRD_PARTY

HISTORY, ESTIMATE = "history", "estimate"


@dataclass(frozen=True)
class CostOptions:
    """``[tool.wflint.cost]`` as the model uses it (plain data: it travels to worker processes)."""

    visibility: Optional[str] = None  # "public" | "private"; None: the history's, else private
    history: Optional[str] = None  # absolute path of the saved history, if any
    prices_file: Optional[str] = None
    minutes: Mapping[str, float] = field(default_factory=dict)  # job class -> minutes per job run
    runs: Mapping[str, float] = field(default_factory=dict)  # event -> runs a month
    repo_root: Optional[str] = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "CostOptions":
        return cls(
            visibility=data.get("visibility"),
            history=data.get("history"),
            prices_file=data.get("prices-file"),
            minutes=dict(data.get("minutes", {})),
            runs=dict(data.get("runs", {})),
            repo_root=data.get("repo-root"),
        )


@record
class JobCost:
    """One job's price in the cost model: jobs per run, dollars a minute, minutes a run and class."""

    id: str
    name: str
    count: int  # jobs per run (matrix size; 1 when unknown)
    usd_per_minute: float  # average over the matrix; 0 for self-hosted, third-party and unknown runners
    klass: Optional[str]
    minutes: float  # billed minutes of one job run
    basis: str
    priced: bool = True  # False when the runner (or a callee's) has no known price
    slim: bool = False
    labels: Tuple[str, ...] = ()
    timeout: Optional[int] = None  # a numeric timeout-minutes, if set
    history: List[Dict[str, Any]] = field(default_factory=list)  # matched history job entries
    skips_pr: bool = False  # its `if:` runs it only for pushes, tags or other events, never for a pull request
    services: bool = False  # runs service containers (`services:`): tests that wait on a server
    runs_share: float = 1.0  # share of the workflow's runs that run it (defaults.NARROW_JOB for one actor or label)

    @property
    def minutes_per_run(self) -> float:
        return self.minutes * self.count

    @property
    def usd_per_run(self) -> float:
        return self.minutes * self.count * self.usd_per_minute


_PRICES: Dict[Tuple[Optional[str], bool], Any] = {}


def _prices(options: CostOptions, public: bool):
    """The price table, read once per run (a lint builds a model for most files)."""
    from .pricing import PriceError, load

    note(options.prices_file)
    key = (options.prices_file, public)
    if key not in _PRICES:
        try:
            _PRICES[key] = load(options.prices_file, public=public)
        except PriceError:
            _PRICES[key] = load(None, public=public)  # `wflint cost` reports a bad prices file
    return _PRICES[key]


def _history(options: CostOptions):
    if not options.history:
        return None
    from .history import HistoryError, load

    try:
        return load(options.history)
    except HistoryError:
        return None  # the CLI reported it once; lint prices from the estimate


def _display_name(job) -> str:
    name = yn.scalar(job.get("name")) or job.id
    return name.split("${{", 1)[0].strip() or job.id


def _match(name: str, jobs: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """History entries of a job: its name, a matrix expansion ``name (a, b)`` or a callee ``name / x``."""
    return [entry for key, entry in jobs.items()
            if key == name or key.startswith(name + " (") or key.startswith(name + " / ") or
            (name.endswith(("-", " ")) and key.startswith(name))]


class WorkflowCost:
    """The cost model of one workflow (see the module docstring)."""

    def __init__(self, wf, options: CostOptions = CostOptions(), repo_path: Optional[str] = None,
                 _stack: Sequence[str] = (), ceiling: bool = False):
        self.wf = wf
        # ``ceiling``: every job of this workflow as long as the longest class (no job classes):
        # figures no lower than the model's, for deciding cheaply that a finding is below a bar
        self.ceiling = ceiling
        self.options = options
        data = _history(options)
        self.repo_path = repo_path or _repo_path(wf.path, options.repo_root)
        name = yn.scalar(wf.get("name")) or self.repo_path or os.path.basename(wf.path)
        # what the workflow is called, for the job classes (a `lint.yml` job running `php -l`)
        self._purpose = " ".join((os.path.basename(wf.path or ""), yn.scalar(wf.get("name")) or ""))
        self.entry = None
        if data is not None:
            from .history import for_workflow

            self.entry = for_workflow(data, self.repo_path, name)
        visibility = options.visibility
        self.visibility_basis = "configured" if visibility else None
        if visibility is None and data is not None and isinstance(data.get("private"), bool):
            visibility = "private" if data["private"] else "public"
            self.visibility_basis = "history"
        self.public = visibility == "public"
        self.visibility_basis = self.visibility_basis or "assumed private (set [tool.wflint.cost] visibility)"
        self.prices = _prices(options, self.public)
        self.minutes_table = {**defaults.MINUTES, **options.minutes}
        self.runs_table = {**defaults.RUNS, **options.runs}
        self._stack = tuple(_stack) + (self.repo_path or wf.path,)

    # -- jobs ----------------------------------------------------------------------

    @cached_property
    def _longest(self) -> float:
        """The longest job class's minutes: what the ceiling and the bound give every job."""
        return max(float(value) for value in self.minutes_table.values())

    @cached_property
    def jobs(self) -> Dict[str, JobCost]:
        """Each job's cost by id, built when first asked (``bound`` needs none of them)."""
        jobs: Dict[str, JobCost] = {}
        for job in self.wf.jobs:
            cost = self._job(job)
            if cost is not None:
                jobs[job.id] = cost
        if self.entry is not None:
            estimated = sum(j.minutes_per_run for j in jobs.values())
            for cost in jobs.values():
                self._apply_history(cost, estimated)
        return jobs

    def _job(self, job) -> Optional[JobCost]:
        from .estimate import estimate_job

        if not yn.is_map(job.node):
            return None
        # the ceiling prices minutes only: no runner classes (dollars come from the model)
        est = estimate_job(job.id, job.node, self.prices, runners=not self.ceiling)
        if est is None:
            return None
        count = est.count or 1
        name = _display_name(job)
        timeout = _int(yn.scalar(job.get("timeout-minutes")))
        if est.uses is not None:
            return self._call(job, name, count, est.uses)
        labels = tuple(sorted(est.runners))
        literal = _runs_on(job)
        slim = any(_is_slim(label) for label in literal)
        priced_n, usd = 0, 0.0
        for sku, n in est.runners.items():
            if sku == SELF_HOSTED or sku.startswith(THIRD_PARTY + ":"):
                price: Optional[float] = self.prices.per_minute(sku) or 0.0  # billed elsewhere
            else:
                price = None if ":" in sku else self.prices.per_minute(sku)
            if price is not None:
                priced_n += n
                usd += price * n
        if self.ceiling:
            klass = None
            minutes = self._longest
        else:
            klass = classify_job(job, _runs_on(job), self._purpose)
            minutes = float(self.minutes_table.get(klass or "build", defaults.MINUTES["build"]))
        runs_share = 1.0
        if _NARROW_IF.search(yn.scalar(job.get("if")) or ""):
            runs_share = defaults.NARROW_JOB
            minutes *= defaults.NARROW_JOB  # runs for one actor or label only: skipped on most runs
        if literal and any(label in defaults.RETIRED_RUNNERS for label in literal):
            minutes = 0.0  # a retired hosted image: the job never starts
        if timeout is not None:
            minutes = min(minutes, float(timeout))
        if slim:
            minutes = min(minutes, float(defaults.SLIM_LIMIT))
        return JobCost(job.id, name, count, usd / max(priced_n, 1), klass, minutes, ESTIMATE,
                       priced=priced_n == sum(est.runners.values()), slim=slim, labels=labels, timeout=timeout,
                       skips_pr=_skips_pr(yn.scalar(job.get("if")) or ""), runs_share=runs_share,
                       services=job.get("services") is not None)

    def _call(self, job, name: str, count: int, uses: str) -> JobCost:
        """A job that calls a local reusable workflow: the callee's jobs, ``count`` times."""
        callee = self._callee(uses)
        if callee is None:
            # not readable here (another repository's): what its file name says it is, else a build
            klass = classify_name(uses.split("@", 1)[0])
            minutes = float(self.minutes_table.get(klass or "build", defaults.MINUTES["build"]))
            reference = self.prices.per_minute(self.prices.reference) or 0.0
            cost = JobCost(job.id, name, count, reference, klass, minutes, ESTIMATE, priced=False)
        else:
            per_run = sum(j.minutes_per_run for j in callee.jobs.values())
            usd = sum(j.usd_per_run for j in callee.jobs.values())
            basis = HISTORY if callee.jobs and all(j.basis == HISTORY for j in callee.jobs.values()) else ESTIMATE
            cost = JobCost(job.id, name, count, usd / per_run if per_run else 0.0, "reusable", per_run, basis,
                           priced=all(j.priced for j in callee.jobs.values()))
        return cost

    def _callee(self, uses: str) -> Optional["WorkflowCost"]:
        if not uses.startswith(LOCAL_CALL) or "${{" in uses or not self.options.repo_root:
            return None
        rel = posixpath.normpath(uses.split("@", 1)[0][2:])
        if rel in self._stack:
            return None  # a cycle
        path = os.path.join(self.options.repo_root, *rel.split("/"))
        # The model sits below the engine and the rules: it parses the callee itself.
        from ..source import Source
        from ..workflow import WorkflowError, build

        note(path)
        try:
            with open(path, "rb") as handle:
                source = Source.from_bytes(rel, handle.read())
            wf = build(source, yn.compose(source.text))
        except (OSError, ValueError, yn.YAMLLoadError, WorkflowError):
            return None
        return WorkflowCost(wf, self.options, rel, self._stack)

    def _apply_history(self, cost: JobCost, estimated: float) -> None:
        """Durations from history: the job's own times where jobs are known, else the run's
        billed minutes spread over the jobs in proportion to their estimate."""
        entry = self.entry
        total_runs = sum(entry.get("runs_per_month", {}).values())
        if not total_runs:
            return
        if entry.get("job_level"):
            matched = _match(cost.name, entry.get("jobs", {})) or _match(cost.id, entry.get("jobs", {}))
            if not matched:
                return
            cost.history = matched
            # billed minutes of this job per workflow run (matrix and skipped runs included)
            cost.minutes = sum(m["billed_minutes_per_month"] for m in matched) / total_runs / cost.count
        else:
            per_run = entry.get("billed_minutes_per_month", 0.0) / total_runs
            share = cost.minutes_per_run / estimated if estimated else 1.0
            cost.minutes = per_run * share / cost.count
        cost.basis = HISTORY

    # -- runs --------------------------------------------------------------------------

    def events(self) -> List[str]:
        return list(self.wf.triggers)

    def runs_per_month(self, event: str) -> Tuple[float, str]:
        if self.entry is not None:
            return float(self.entry.get("runs_per_month", {}).get(event, 0.0)), HISTORY
        if event == "schedule":
            from .. import cron

            schedules = [(s.cron, s.timezone) for s in self.wf.schedules if s.cron]
            try:
                return float(cron.monthly_runs(schedules)) if schedules else 0.0, ESTIMATE
            except cron.CronError:
                return 0.0, ESTIMATE
        if event == "workflow_call":
            called = self.caller_runs()
            if called is not None:
                return called, ESTIMATE
            if self._uncalled and set(self.wf.triggers) == {"workflow_call", "workflow_dispatch"}:
                # no sibling calls it (a commented-out caller does not count) and people start it
                # by hand: as rare as a manual run, not as often as callers' pushes (a workflow_call
                # alone keeps the fallback: other repositories may call it)
                return float(self.runs_table.get("workflow_dispatch", defaults.RUNS["workflow_dispatch"])), ESTIMATE
        trigger = self.wf.triggers.get(event)
        if event == "push" and trigger is not None and _tags_only(trigger):
            return float(self.runs_table.get("tag", defaults.RUNS["tag"])), ESTIMATE  # a release a month or two
        runs = float(self.runs_table.get(event, self.runs_table.get("*", 0)))
        if trigger is not None:
            if event == "push" and _release_branches(trigger):
                runs = min(runs, defaults.RELEASE_BRANCH_PUSHES)
            for name, share in defaults.PATH_FILTERED.items():
                if trigger.has_filter(name):
                    if name == "paths" and _narrow_paths(yn.strings(trigger.filter("paths"))):
                        share = defaults.PATH_FILTERED_NARROW
                    runs *= share
                    break
        return runs, ESTIMATE

    def caller_runs(self) -> Optional[float]:
        """Runs a month of a reusable workflow (``workflow_call``): the runs of the jobs that call
        it from the workflows in its own folder (a release-only caller: a couple a month).  None
        when the folder cannot be read or no workflow there calls it (RUNS["workflow_call"])."""
        if hasattr(self, "_caller_runs"):
            return self._caller_runs
        self._caller_runs: Optional[float] = None
        self._uncalled = False
        path = self.wf.path or ""
        if path in ("", "-"):
            return None
        if self.options.repo_root and self.repo_path:
            path = os.path.join(self.options.repo_root, *self.repo_path.split("/"))
        folder, name = os.path.split(path)
        folder = folder or os.curdir
        note(folder)
        from ..reads import digest
        from ..siblings import holding, listing
        from ..source import Source
        from ..workflow import WorkflowError, build

        try:
            siblings = listing(folder)
        except OSError:
            return None
        total, found = 0.0, False
        stack = self._stack + (os.path.abspath(path),)
        where = os.path.abspath(folder)
        # the files whose text names this one (the index follows the listing, and the folder's digest between runs)
        holders = holding((where, digest(where), tuple(siblings)), name)
        if holders is not None:  # only the files whose text holds `name` (the folder's note covers the rest)
            siblings = sorted(holders)
        for sibling in siblings:
            full = os.path.join(folder, sibling)
            if sibling == name or not sibling.endswith((".yml", ".yaml")) or os.path.abspath(full) in stack:
                continue
            note(full)
            try:
                with open(full, "rb") as handle:
                    source = Source.from_bytes(os.path.join(os.path.dirname(self.wf.path), sibling), handle.read())
                if name not in source.text:
                    continue
                wf = build(source, yn.compose(source.text))
            except (OSError, ValueError, yn.YAMLLoadError, WorkflowError):
                continue
            calls = [job for job in wf.jobs if job.local_callee == name]
            if not calls:
                continue
            found = True
            rel = posixpath.join(posixpath.dirname(self.repo_path), sibling) if self.repo_path else None
            caller = WorkflowCost(wf, replace(self.options, history=None), rel, stack + (os.path.abspath(full),))
            for job in calls:
                condition = yn.scalar(job.get("if")) or ""
                share = defaults.NARROW_JOB if _NARROW_IF.search(condition) else 1.0
                for event in caller.events():
                    if _skips_pr(condition) and event in _PR_EVENTS:
                        continue
                    total += caller.runs_per_month(event)[0] * share
        self._caller_runs = total if found else None
        self._uncalled = not found  # the folder was read and no workflow there calls this one
        return self._caller_runs

    def tag_runs_per_month(self) -> Tuple[float, str]:
        if self.entry is not None:
            return float(self.entry.get("tag_runs_per_month", 0.0)), HISTORY
        return float(self.runs_table.get("tag", defaults.RUNS["tag"])), ESTIMATE

    # -- figures ---------------------------------------------------------------------

    def _jobs(self, ids: Sequence[str]) -> List[JobCost]:
        return [self.jobs[i] for i in ids if i in self.jobs] if ids else list(self.jobs.values())

    def _usd_factor(self) -> Tuple[float, str]:
        """Billed dollars per list dollar for this workflow (the billing CSV), else 1."""
        entry = self.entry
        if entry is None or entry.get("usd_basis") != "billing":
            return 1.0, "list"
        listed = self.monthly(billing=False)["usd_per_month"]
        billed = float(entry.get("usd_per_month") or 0.0)
        if listed <= 0:
            return (0.0, "billing") if billed == 0 else (1.0, "list")
        return billed / listed, "billing"

    def monthly(self, billing: bool = True) -> Dict[str, Any]:
        """The workflow's own billed minutes and dollars a month, every trigger counted."""
        minutes = usd = total_runs = 0.0
        bases = set()
        per_run_minutes = sum(j.minutes_per_run for j in self.jobs.values())
        per_run_usd = sum(j.usd_per_run for j in self.jobs.values())
        for event in self.events():
            if event == "workflow_call" and self.entry is None:
                continue  # priced in the callers
            runs, basis = self.runs_per_month(event)
            bases.add(basis)
            total_runs += runs
            minutes += runs * per_run_minutes
            usd += runs * per_run_usd
        bases.update(j.basis for j in self.jobs.values())
        factor, usd_basis = self._usd_factor() if billing else (1.0, "list")
        return {"runs_per_month": total_runs, "minutes_per_run": per_run_minutes,
                "minutes_per_month": minutes, "usd_per_month": usd * factor,
                "basis": ESTIMATE if ESTIMATE in bases or not bases else HISTORY, "usd_basis": usd_basis}

    def price(self, stake: Mapping[str, Any]) -> Dict[str, Any]:
        """The figure of a finding's stake (``wflint.stake``): minutes, dollars and basis."""
        measure = stake.get("measure", "share")
        jobs = self._jobs(stake.get("jobs") or ())
        per_run_minutes = sum(j.minutes_per_run for j in jobs)
        per_run_usd = sum(j.usd_per_run for j in jobs)
        bases = {j.basis for j in jobs} or {ESTIMATE}
        events = list(stake.get("events") or self.events())
        if measure == "hang":
            return self._hang(jobs, events, stake.get("minutes_per_run"), bases)
        if measure == "tag":
            runs, basis = self.tag_runs_per_month()
            bases.add(basis)
            at_minutes, at_usd = runs * per_run_minutes, runs * per_run_usd
        else:
            at_minutes = at_usd = 0.0
            for event in events:
                runs, basis = self.runs_per_month(event)
                bases.add(basis)
                ran = [j for j in jobs if not (j.skips_pr and event in _PR_EVENTS)]  # jobs this event runs
                at_minutes += runs * sum(j.minutes_per_run for j in ran)
                at_usd += runs * sum(j.usd_per_run for j in ran)
        usd_per_minute = at_usd / at_minutes if at_minutes else 0.0
        if stake.get("minutes_per_run") is not None:
            job_runs = at_minutes / per_run_minutes * sum(j.count for j in jobs) if per_run_minutes else 0.0
            minutes = job_runs * float(stake["minutes_per_run"])
            minutes = min(minutes, at_minutes)
        else:
            share = stake.get("share")
            measured = self._measured(measure, jobs, stake.get("events") or ())
            if measured is not None and share is None:
                minutes = measured
            elif share is None and measure == "superseded":
                minutes = at_minutes * defaults.superseded_share(self.run_minutes())
            else:
                minutes = at_minutes * (defaults.SHARES.get(measure, 1.0) if share is None else float(share))
        usd = minutes * usd_per_minute
        if stake.get("usd_share") is not None:
            minutes = at_minutes if stake.get("share") is None and stake.get("minutes_per_run") is None else minutes
            usd = at_usd * float(stake["usd_share"])
        return self._figure(minutes, usd, bases)

    def bound(self, stake: Mapping[str, Any]) -> Optional[float]:
        """More minutes a month than ``price(stake)`` of this model gives with no history (and so of
        the model with job classes: the ceiling's are never fewer), without building the jobs'
        costs: every job of the stake at the longest class's minutes, its matrix at its largest,
        every run of its events, the measure's largest share.  None when no such bound is known
        here: history, a per-run or hang or storage stake, a job that calls a reusable workflow."""
        measure = stake.get("measure", "share")
        if self.entry is not None or measure in ("hang", "storage") or stake.get("minutes_per_run") is not None:
            return None
        from .matrix import size_bound

        wanted = set(stake.get("jobs") or ())
        jobs = 0
        for job in self.wf.jobs:
            if wanted and job.id not in wanted or not yn.is_map(job.node):
                continue
            if job.get("uses") is not None:
                return None  # a callee's jobs count, not this one's
            jobs += size_bound(job.node)  # at least the job's matrix size, nothing laid out
        longest = self._longest
        if measure == "tag":
            each = [self.tag_runs_per_month()[0]]
        else:
            each = [self.runs_per_month(event)[0] for event in stake.get("events") or self.events()]
        if longest < 0 or any(runs < 0 for runs in each):
            return None  # a configured negative: more minutes a job would bound nothing
        runs = sum(each)
        share = stake.get("share")
        if stake.get("usd_share") is not None and share is None:
            factor = 1.0  # the whole minutes of the runs
        elif share is not None:
            factor = float(share)
        else:  # superseded_share is at most the measure's share
            factor = defaults.SHARES.get(measure, 1.0)
        return runs * jobs * longest * max(factor, 0.0)

    def _hang(self, jobs: List[JobCost], events: Sequence[str], per_hang: Optional[float], bases) -> Dict[str, Any]:
        """Expected minutes a month hangs cost past a timeout: job runs a month x the class's
        hang probability (``defaults.HANG_PROBABILITY``) x the minutes a hang runs past it
        (``per_hang``, else the 360-minute limit less the job's own minutes)."""
        minutes = usd = 0.0
        bases = set(bases)
        for job in jobs:
            if job.slim:
                continue  # ubuntu-slim stops a job after 15 minutes
            probability = defaults.HANG_PROBABILITY.get(job.klass or "build", defaults.HANG_PROBABILITY["build"])
            if job.services:
                probability *= defaults.SERVICES_HANG_FACTOR
            saved = float(per_hang) if per_hang is not None else max(defaults.HANG_MINUTES - job.minutes, 0.0)
            runs = 0.0
            for event in events:
                if job.skips_pr and event in _PR_EVENTS:
                    continue
                count, basis = self.runs_per_month(event)
                bases.add(basis)
                runs += count
            expected = runs * job.runs_share * job.count * probability * saved
            minutes += expected
            usd += expected * job.usd_per_minute
        return self._figure(minutes, usd, bases)

    def run_minutes(self) -> float:
        """How long one run of the workflow lasts: its critical path through ``needs`` (jobs of
        a matrix run side by side, so each job counts its own minutes once)."""
        needs = {job.id: [n for n in yn.strings(job.get("needs")) if n in self.jobs]
                 for job in self.wf.jobs if job.id in self.jobs}
        done: Dict[str, float] = {}

        jobs = self.jobs

        def finish(job_id: str, stack: Tuple[str, ...] = ()) -> float:
            if job_id not in done:
                before = [finish(n, stack + (job_id,)) for n in needs.get(job_id, ()) if n not in stack]
                done[job_id] = jobs[job_id].minutes + max(before, default=0.0)
            return done[job_id]

        try:
            return max((finish(job_id) for job_id in needs), default=0.0)
        finally:
            # the function refers to itself through its closure: a reference cycle that would
            # keep it (and what it holds) until a garbage collection
            del finish

    def _measured(self, measure: str, jobs: List[JobCost], events: Sequence[str]) -> Optional[float]:
        """What history measured for this kind of waste, for these jobs and events (None: not measured)."""
        entry = self.entry
        key = {"superseded": "superseded_minutes_per_month", "duplicate": "duplicate_minutes_per_month",
               "tag": "tag_minutes_per_month"}.get(measure)
        if entry is None or key is None or key not in entry:
            return None
        value = float(entry[key])
        by_event = entry.get("superseded_minutes_by_event")
        if measure == "superseded" and isinstance(by_event, dict) and events:
            value = sum(float(by_event.get(event, 0.0)) for event in events)
        everything = sum(j.minutes_per_run for j in self.jobs.values())
        part = sum(j.minutes_per_run for j in jobs)
        return value * (part / everything if everything else 1.0)

    def _figure(self, minutes: float, usd: float, bases, per: str = "month") -> Dict[str, Any]:
        factor, usd_basis = self._usd_factor() if per == "month" else (1.0, "list")
        out = {
            f"minutes_per_{per}": int(round(minutes)),
            f"usd_per_{per}": round(usd * factor, 2),
            "basis": ESTIMATE if ESTIMATE in bases else HISTORY,
        }
        notes = []
        if usd_basis == "billing":
            notes.append("dollars scaled to the billing report")
        if self.public:
            notes.append("public repository: standard runners bill 0 USD")
        elif self.visibility_basis.startswith("assumed"):
            notes.append("private-repository prices assumed")
        if any(not j.priced for j in self.jobs.values()):
            notes.append("some runners have no known price")
        if notes:
            out["cost_note"] = "; ".join(notes)
        return out


_LAST: List[Any] = [None, None, None]


def _settings(wf, cost: Mapping[str, Any], repo_path: Optional[str]) -> Tuple[CostOptions, Optional[str]]:
    """The options and repository path a model of ``wf`` is built with (as WorkflowCost would)."""
    options = CostOptions.from_dict(cost)
    return options, repo_path or _repo_path(wf.path, options.repo_root)


def model_for(wf, cost: Mapping[str, Any], repo_path: Optional[str] = None) -> WorkflowCost:
    """The cost model of ``wf``, built once per workflow object and settings (a rule and the
    engine's pricing share it)."""
    key = _settings(wf, cost, repo_path)
    if _LAST[0] is wf and _LAST[1] == key:
        return _LAST[2]
    model = WorkflowCost(wf, *key)
    _LAST[:] = [wf, key, model]
    return model


def built_model(wf, cost: Mapping[str, Any], repo_path: Optional[str] = None) -> Optional[WorkflowCost]:
    """The model ``model_for`` would return, when it is already built (else None)."""
    return _LAST[2] if _LAST[0] is wf and _LAST[1] == _settings(wf, cost, repo_path) else None


def ceiling_for(wf, cost: Mapping[str, Any], repo_path: Optional[str] = None) -> WorkflowCost:
    """``wf``'s model with every job as long as the longest job class (``WorkflowCost(ceiling=True)``)."""
    return WorkflowCost(wf, *_settings(wf, cost, repo_path), ceiling=True)


def timeout_for(job: JobCost, fallback: int) -> Tuple[Optional[int], str]:
    """The ``timeout-minutes`` to write for a job, and how it was chosen (None: no value, the why).

    With history: the p95 job duration x 1.5 rounded up to 5 minutes, never below the
    longest observed run.  Without: the class's value (``defaults.TIMEOUTS``; ``fallback``
    for builds); none for release and heavy jobs and macOS/Windows builds.
    """
    if job.history:
        p95 = max(float(h.get("p95_minutes", 0)) for h in job.history)
        longest = max(float(h.get("max_minutes", 0)) for h in job.history)
        value = max(ceil5(p95 * 1.5), ceil5(longest))
        return min(value, defaults.HANG_MINUTES), f"p95 {p95:g} min x 1.5, longest run {longest:g} min, from history"
    heavy_os = [label for label in job.labels if label.split("-")[0] in defaults.HEAVY_OS]
    if job.klass in ("release", "heavy") or heavy_os:
        names = {"macos": "macOS", "windows": "Windows"}
        what = f"a {job.klass} job" if job.klass in ("release", "heavy") else f"a job on {names[heavy_os[0].split('-')[0]]}"
        return None, (f"{what} with no run history has no typical duration to base a timeout on; "
                      "save history with `wflint usage --save` or set one by hand")
    if job.klass in defaults.TIMEOUTS and job.klass != "build":
        return defaults.TIMEOUTS[job.klass], f"the default for a {job.klass} job"
    return fallback, "the default for a build job"


# A job condition that asks for one actor or one label (`github.actor == 'dependabot[bot]'`,
# `contains(github.event.pull_request.labels.*.name, 'deploy')`), or for a marker that a pull
# request's author writes in its title or description (`contains(github.event.pull_request.body,
# '[test_coverage]')`).
_NARROW_IF = re.compile(
    r"(github\.actor|user\.login|\.sender\.login|triggering_actor)\s*==|"
    r"labels\.\*\.name\s*,|label\.name\s*==|dependabot\[bot\]|renovate\[bot\]|"
    r"pull_request\.(body|title)\s*,"
)


_PR_EVENTS = ("pull_request", "pull_request_target", "merge_group")
# A job condition that never lets a pull request through: it asks for a push, a tag, a branch
# ref or another event (and names no pull-request event).
_OFF_PR = re.compile(
    r"event_name\s*==\s*['\"](push|schedule|release|workflow_dispatch|repository_dispatch)['\"]|"
    r"event_name\s*!=\s*['\"]pull_request['\"]|github\.ref\s*==\s*['\"]refs/(heads|tags)/|github\.ref_name\s*==|"
    r"startsWith\(\s*github\.ref\s*,\s*['\"]refs/(tags|heads)/|github\.ref_type\s*==\s*['\"]tag"
)


def _skips_pr(condition: str) -> bool:
    text = condition.replace("${{", "").replace("}}", "")
    if "||" in text or re.search(r"event_name\s*==\s*['\"]pull_request", text):
        return False  # another branch of the condition may let pull requests through
    return _OFF_PR.search(text) is not None


_GLOB = re.compile(r"[*?\[]")


def _narrow_paths(patterns: Sequence[str]) -> bool:
    """Whether a ``paths`` list names a narrow part of the tree (defaults.PATH_FILTERED_NARROW):
    every pattern (besides negations and the workflow files under ``.github/``) is a named file
    (`scripts/release.py`, `Cargo.lock`), or a folder two levels deep (`src/openssl/**`,
    `ports/alif/**`), or a top-level folder that is not one of the usual source folders
    (`install/**`, `docs/**`; not `src/**`, `lib/**`, `packages/**`).  A root-level wildcard
    (`**.py`, `*.go`, `**`) names code anywhere: not narrow."""
    kept = [p.strip() for p in patterns if p.strip() and not p.strip().startswith(("!", ".github/"))]
    if not kept:
        return False
    for pattern in kept:
        glob = _GLOB.search(pattern)
        if glob is None:
            continue  # one named file
        folders = pattern[:glob.start()].split("/")[:-1]  # the literal folders before the wildcard
        if len(folders) >= 2 or (len(folders) == 1 and folders[0].lower() not in defaults.SOURCE_FOLDERS):
            continue
        return False
    return True


# A branch filter that only release or maintenance branches pass (`release/*`, `stable`).  Version
# branches (`4.2`, `v1.x`) are often a project's development line: not counted.
_RELEASE_BRANCH = re.compile(r"^(release|releases|stable|maint|maintenance|hotfix|hotfixes|backport|lts)([-_/.*][\w.*/-]*)?$",
                             re.IGNORECASE)


def _release_branches(push) -> bool:
    """A push trigger whose ``branches`` are all release or maintenance branches."""
    branches = [b.strip() for b in yn.strings(push.filter("branches")) if b.strip()]
    return bool(branches) and all(_RELEASE_BRANCH.match(b) for b in branches)


def _tags_only(push) -> bool:
    """A push trigger that tags start and branch pushes never do."""
    tags = push.has_filter("tags") or push.has_filter("tags-ignore")
    return tags and not (push.has_filter("branches") or push.has_filter("branches-ignore"))


def _int(value: Optional[str]) -> Optional[int]:
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None


def _runs_on(job) -> List[str]:
    value = yn.to_data(job.get("runs-on"))
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, dict) and value.get("labels") is not None:
        return _runs_on_labels(value["labels"])
    return []


def _runs_on_labels(value) -> List[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value] if isinstance(value, list) else []


def _is_slim(label: str) -> bool:
    return str(label).strip().lower() == "ubuntu-slim"


def _repo_path(display: str, repo_root: Optional[str]) -> Optional[str]:
    if not repo_root or display == "-":
        return None
    absolute = os.path.abspath(display)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(repo_root))
    except ValueError:
        return None
    if rel.startswith(os.pardir):
        return None
    return rel.replace(os.sep, "/")


def ceil5(minutes: float) -> int:
    """Minutes rounded up to a multiple of 5."""
    return int(5 * math.ceil(minutes / 5)) if minutes > 0 else 5
