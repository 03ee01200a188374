"""The static estimate of one workflow: triggers, scheduled runs a month, jobs per run,
runner classes and the billed minutes and dollars they imply.

Billed minutes per run have a floor (every job bills at least one whole minute) and a
ceiling (every job runs to its ``timeout-minutes``, 360 when unset).  Only schedules
start a known number of runs a month; for other triggers the per-run figures are the
estimate.  Jobs whose runner has no price (unknown labels, reusable workflows) count in
minutes but not in dollars, and are reported as unpriced.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from typing import Dict, List, Optional, Tuple

from .. import cron
from .. import yamlnode as yn
from ..records import record
from ..source import Source
from .matrix import Matrix, job_matrix
from .pricing import PriceTable
from .runners import SELF_HOSTED, UNKNOWN, Runner, classify

DEFAULT_TIMEOUT = 360  # GitHub's default and the hosted-runner limit
_MATRIX_REF = re.compile(r"\$\{\{\s*(matrix(?:\.[A-Za-z_][\w-]*)+)\s*(?:\|\|\s*'([^']*)'\s*)?\}\}")


@record
class JobEstimate:
    """A job's static estimate: jobs per run, runners and the ceiling minutes per job."""

    id: str
    count: Optional[int]  # jobs per run (matrix size); None when unknown
    runners: Dict[str, int]  # SKU (or label when unknown) -> jobs per run
    timeout: int  # ceiling minutes per job
    timeout_set: bool
    floor_usd: float = 0.0  # per run
    ceiling_usd: float = 0.0  # per run
    unpriced: int = 0  # jobs per run without a price
    note: str = ""
    uses: Optional[str] = None  # the reusable workflow a calling job runs
    resolved: Optional[Tuple[int, int]] = None  # (floor, ceiling) minutes of a resolved call

    @property
    def floor_minutes(self) -> int:
        if self.resolved is not None:
            return self.resolved[0]
        return self.count if self.count is not None else 1

    @property
    def ceiling_minutes(self) -> int:
        if self.resolved is not None:
            return self.resolved[1]
        return self.floor_minutes * self.timeout


@record
class WorkflowEstimate:
    """A workflow's static estimate: its triggers, schedules and jobs."""

    path: str
    name: str
    triggers: List[str] = field(default_factory=list)
    schedules: List[Tuple[str, Optional[str]]] = field(default_factory=list)
    runs_per_month: Optional[int] = 0  # scheduled runs; None when a cron is invalid
    jobs: List[JobEstimate] = field(default_factory=list)
    error: Optional[str] = None
    # The cost model's point figures (model.WorkflowCost.monthly): every trigger counted,
    # durations from history or the job classes.  None until ``repos`` prices the workflow.
    point: Optional[Dict[str, object]] = None

    @property
    def jobs_per_run(self) -> Optional[int]:
        if any(j.count is None for j in self.jobs):
            return None
        return sum(j.count for j in self.jobs)

    @property
    def jobs_per_run_floor(self) -> int:
        return sum(j.floor_minutes for j in self.jobs)

    def per_run(self) -> Dict[str, float]:
        return {
            "floor_minutes": sum(j.floor_minutes for j in self.jobs),
            "ceiling_minutes": sum(j.ceiling_minutes for j in self.jobs),
            "floor_usd": sum(j.floor_usd for j in self.jobs),
            "ceiling_usd": sum(j.ceiling_usd for j in self.jobs),
        }

    def monthly(self) -> Dict[str, float]:
        runs = self.runs_per_month or 0
        return {k: v * runs for k, v in self.per_run().items()}

    @property
    def unpriced(self) -> int:
        return sum(j.unpriced for j in self.jobs)


def _labels(value) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    if isinstance(value, dict):
        labels = value.get("labels")
        out = _labels(labels) if labels is not None else []
        if value.get("group") is not None:
            out.append(f"group:{value['group']}")
        return out
    return []


def _lookup(combo, ref: str):
    """The value of ``matrix.a.b`` in one combination, or None."""
    value = combo
    for part in ref.split(".")[1:]:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _runners_per_combination(labels: List[str], matrix: Matrix) -> List[Runner]:
    """The runner of each matrix combination, substituting ``${{ matrix.x }}``."""
    refs = any(_MATRIX_REF.search(label) for label in labels)
    if not refs:
        return [classify(labels)] * (matrix.size or 1)
    if matrix.combinations is None:
        return [Runner(UNKNOWN, None, ", ".join(labels))] * (matrix.size or 1)
    out = []
    for combo in matrix.combinations:
        whole = _MATRIX_REF.fullmatch(labels[0].strip()) if len(labels) == 1 else None
        value = _lookup(combo, whole.group(1)) if whole else None
        if isinstance(value, list):  # os: [[self-hosted, linux], ...]
            out.append(classify([str(v) for v in value]))
            continue

        def sub(match, combo=combo):
            value = _lookup(combo, match.group(1))
            if value is None or value == "":
                return match.group(2) if match.group(2) is not None else match.group(0)
            return match.group(0) if isinstance(value, (dict, list)) else str(value)

        out.append(classify([_MATRIX_REF.sub(sub, label) for label in labels]))
    return out


def _timeout(job_node, runner_kind: str) -> Tuple[int, bool]:
    value = yn.scalar(yn.get_value(job_node, "timeout-minutes"))
    if value is None:
        return DEFAULT_TIMEOUT, False
    try:
        minutes = int(float(value))
    except ValueError:
        return DEFAULT_TIMEOUT, False  # an expression: the hosted limit is the ceiling
    if runner_kind != SELF_HOSTED:
        minutes = min(minutes, DEFAULT_TIMEOUT)
    return max(minutes, 1), True


def estimate_job(job_id: str, node, prices: PriceTable, runners: bool = True) -> Optional[JobEstimate]:
    """The job's estimate; ``runners=False``: its count only (no runner classes, no prices)."""
    if not yn.is_map(node):
        return None
    matrix = job_matrix(node)
    uses = yn.scalar(yn.get_value(node, "uses"))
    if uses is not None:
        count = matrix.size
        return JobEstimate(job_id, count, {f"reusable:{uses}": count or 1}, DEFAULT_TIMEOUT, False,
                           unpriced=count or 1, note=f"calls reusable workflow {uses}", uses=uses)
    runs_on = yn.get_value(node, "runs-on")
    if runs_on is None:
        return None
    if not runners:
        return JobEstimate(job_id, matrix.size, {}, DEFAULT_TIMEOUT, False, note=matrix.reason)
    labels = _labels(yn.to_data(runs_on))
    per_combo = _runners_per_combination(labels, matrix)  # one runner per job of a run
    runners: Dict[str, int] = {}
    floor_usd = ceiling_usd = 0.0
    unpriced = 0
    timeouts = []
    for runner in per_combo:
        name = runner.sku or f"{runner.kind}:{runner.label}"
        runners[name] = runners.get(name, 0) + 1
        timeout, timeout_set = _timeout(node, runner.kind)
        timeouts.append((timeout, timeout_set))
        price = prices.per_minute(runner.sku)
        if price is None:
            unpriced += 1
        else:
            floor_usd += price
            ceiling_usd += price * timeout
    timeout, timeout_set = max(timeouts) if timeouts else (DEFAULT_TIMEOUT, False)
    note = matrix.reason
    return JobEstimate(job_id, matrix.size, runners, timeout, timeout_set, floor_usd, ceiling_usd, unpriced, note)


def estimate_text(path: str, text: str, prices: PriceTable) -> WorkflowEstimate:
    """Estimate one workflow file's text; load errors are reported, never raised."""
    return estimate_loaded(path, Source(path=path, text=text), prices)[0]


def estimate_loaded(path: str, source: Source, prices: PriceTable):
    """(the estimate, the loaded ``Workflow`` or None): for callers that go on with the workflow."""
    from ..engine import load

    name = os.path.basename(path)
    wf, problem = load(source)
    if problem is not None:
        _, message, offset = problem
        line, col = source.linecol(offset)
        return WorkflowEstimate(path, name, error=f"{path}:{line}:{col}: {message}"), None
    name = yn.scalar(wf.get("name")) or name
    est = WorkflowEstimate(path, name, triggers=list(wf.triggers))
    est.schedules = [(s.cron, s.timezone) for s in wf.schedules if s.cron]
    if est.schedules:
        try:
            est.runs_per_month = cron.monthly_runs(est.schedules)
        except cron.CronError as exc:
            est.runs_per_month = None
            est.error = f"{path}: schedule not counted: {exc}"
    for job in wf.jobs:
        job_est = estimate_job(job.id, job.node, prices)
        if job_est is not None:
            est.jobs.append(job_est)
    return est, wf


def estimate_file(path: str, display: str, prices: PriceTable) -> Tuple[WorkflowEstimate, Optional[str]]:
    """Read and estimate one file: the estimate, and the text read (None if it could not be)."""
    from ..engine import read_source
    from ..source import DecodeError

    try:
        source = read_source(path, display)
    except OSError as exc:
        return WorkflowEstimate(display, os.path.basename(display), error=f"{display}: cannot read: {exc.strerror or exc}"), None
    except DecodeError as exc:
        return WorkflowEstimate(display, os.path.basename(display), error=f"{display}: cannot read the file as text: {exc}"), None
    return estimate_text(display, source.text, prices), source.text
