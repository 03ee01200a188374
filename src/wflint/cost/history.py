"""The saved run history that lint reads offline: ``.github/wflint-history.json``.

``wflint usage --save FILE`` writes it from what it read — ``gh run list --json ...``
output, ``gh run view ID --json databaseId,jobs`` output, saved REST pages of
``/actions/runs`` and ``/actions/runs/{id}/jobs``, and GitHub's billing usage report CSV.
``wflint`` (check), the pre-commit hooks and ``wflint cost`` read it when it is present
and never touch the network.  The format (``"format": "wflint-history"``, ``"version": 1``)
is documented in README.md ("The history file"); per workflow path (or, for sources that
give only the workflow's name, ``name:<name>``):

- ``runs_per_month`` by event, ``median_minutes``/``p95_minutes``/``max_minutes`` of a run;
- ``billed_minutes_per_month`` (from job times when jobs are known: ``job_level``);
- ``superseded_*``: a newer run of the same workflow, ref and event started before the run
  finished, and ``superseded_minutes_per_month`` the minutes after that start (what
  ``cancel-in-progress`` saves), also ``superseded_minutes_by_event``; ``duplicate_*``: push runs that a pull_request run of the
  same commit repeats; ``tag_runs_per_month``: push runs of a version tag (``v1.2``, ``1.2.3``);
- ``usd_per_month`` from the billing CSV's ``net_amount`` (``usd_basis: "billing"``);
- ``jobs`` by job name: runs a month, median/p95/max minutes, runner labels.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from .usage import MONTH_DAYS, HistoryError, Run, duplicates, overlap_share, percentile, _documents, _time

FORMAT, VERSION = "wflint-history", 1
DEFAULT_PATH = ".github/wflint-history.json"
_TAG = re.compile(r"^v?\d+(\.\d+)+([-+.][\w.]+)?$")


@dataclass(frozen=True)
class JobRun:
    run_id: Optional[int]
    name: str
    minutes: float
    labels: Tuple[str, ...] = ()


@dataclass
class Sources:
    runs: List[Run] = field(default_factory=list)
    jobs: List[JobRun] = field(default_factory=list)
    billing: List[Dict[str, str]] = field(default_factory=list)


# -- reading the sources -----------------------------------------------------------


def _job(item: Any, run_id: Optional[int]) -> Optional[JobRun]:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        return None
    started = _time(item.get("started_at", item.get("startedAt")))
    completed = _time(item.get("completed_at", item.get("completedAt")))
    if started is None or completed is None or completed < started:
        return None
    rid = item.get("run_id", run_id)
    labels = item.get("labels")
    return JobRun(rid if isinstance(rid, int) else None, item["name"], (completed - started).total_seconds() / 60,
                  tuple(str(label) for label in labels) if isinstance(labels, list) else ())


def _jobs_of(doc: Any) -> Optional[List[JobRun]]:
    """Job records of one document, or None when it holds no ``jobs`` list."""
    docs = doc if isinstance(doc, list) and doc and all(isinstance(d, dict) and "jobs" in d for d in doc) else [doc]
    out: List[JobRun] = []
    found = False
    for page in docs:
        if isinstance(page, dict) and isinstance(page.get("jobs"), list):
            found = True
            run_id = page.get("databaseId", page.get("run_id"))
            out.extend(j for j in (_job(item, run_id if isinstance(run_id, int) else None) for item in page["jobs"]) if j)
    return out if found else None


def read_billing(text: str, origin: str) -> List[Dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    fields = set(reader.fieldnames or ())
    if "net_amount" not in fields:
        raise HistoryError(f"{origin}: a billing usage report needs a `net_amount` column")
    return [row for row in reader if (row.get("product") or "actions").strip().lower() == "actions"]


def read(path: str, sources: Sources) -> None:
    """Add what the file at ``path`` holds to ``sources``; raises HistoryError."""
    try:
        with open(path, "r", encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    if path.lower().endswith(".csv") or text.lstrip().startswith(("date,", '"date"')):
        sources.billing.extend(read_billing(text, path))
        return
    try:
        docs = _documents(text)
    except ValueError as exc:
        raise HistoryError(f"{path}: not JSON: {exc}") from None
    from .usage import runs_from_json

    rest = []
    for doc in docs:
        jobs = _jobs_of(doc)
        if jobs is None:
            rest.append(doc)
        else:
            sources.jobs.extend(jobs)
    if rest:
        sources.runs.extend(runs_from_json(json.dumps(rest if len(rest) > 1 else rest[0]), path))


# -- summarising -------------------------------------------------------------------


def job_billing(sources: Sources, prices, fallback: str = "linux-2") -> Dict[int, Tuple[float, float]]:
    """Run id -> (billed minutes, list dollars) from the run's jobs: each job's minutes rounded
    up, priced by its runner labels (``fallback``'s price when they name no priced runner)."""
    from .runners import SELF_HOSTED, THIRD_PARTY, classify

    default = prices.per_minute(fallback) or 0.0
    out: Dict[int, Tuple[float, float]] = {}
    for job in sources.jobs:
        if job.run_id is None:
            continue
        runner = classify(list(job.labels)) if job.labels else None
        if runner is not None and runner.kind in (SELF_HOSTED, THIRD_PARTY):
            price = prices.per_minute(runner.sku) or 0.0
        else:
            price = prices.per_minute(runner.sku) if runner is not None else None
            price = default if price is None else price
        minutes, usd = out.get(job.run_id, (0.0, 0.0))
        out[job.run_id] = (minutes + _billed(job.minutes), usd + _billed(job.minutes) * price)
    return out


def _r(value: float, places: int = 1) -> float:
    return round(value, places)


def _billed(minutes: float) -> int:
    return math.ceil(minutes) if minutes > 0 else 0


def _job_summary(records: List[JobRun], scale: float) -> Dict[str, Any]:
    minutes = [j.minutes for j in records]
    labels = sorted({label for j in records for label in j.labels})
    return {
        "runs": len(records),
        "runs_per_month": _r(len(records) * scale),
        "median_minutes": _r(statistics.median(minutes)),
        "p95_minutes": _r(percentile(minutes, 0.95)),
        "max_minutes": _r(max(minutes)),
        "billed_minutes_per_month": _r(sum(_billed(m) for m in minutes) * scale),
        "labels": labels,
    }


def summarise(sources: Sources, now: Optional[dt.datetime] = None) -> Dict[str, Any]:
    """The history document (see the module docstring)."""
    runs = sources.runs
    if not runs:
        raise HistoryError("no runs to save: give `gh run list --json ...` output or REST pages of runs")
    first = min(r.created for r in runs)
    last = max(r.created for r in runs)  # the span `wflint usage` scales by too
    days = max(1.0, (last - first).total_seconds() / 86400)
    scale = MONTH_DAYS / days
    jobs_by_run: Dict[int, List[JobRun]] = defaultdict(list)
    for job in sources.jobs:
        if job.run_id is not None:
            jobs_by_run[job.run_id].append(job)
    lost = overlap_share(runs)
    dup = {id(r) for r in duplicates(runs)}
    by_key: Dict[str, List[Run]] = defaultdict(list)
    for run in runs:
        by_key[run.path or f"name:{run.workflow}"].append(run)
    workflows: Dict[str, Any] = {}
    for key, group in sorted(by_key.items()):
        done = [r for r in group if r.completed]
        wall = [r.minutes for r in done] or [0.0]
        events: Dict[str, int] = defaultdict(int)
        for run in group:
            events[run.event] += 1
        job_level = bool(done) and all(r.id in jobs_by_run for r in done)

        def billed(run: Run) -> float:
            if job_level:
                return sum(_billed(j.minutes) for j in jobs_by_run[run.id])
            return _billed(run.minutes)

        jobs: Dict[str, List[JobRun]] = defaultdict(list)
        for run in done:
            for job in jobs_by_run.get(run.id, []) if run.id is not None else []:
                jobs[job.name].append(job)
        sup = [r for r in done if id(r) in lost]
        dups = [r for r in done if id(r) in dup]
        tags = [r for r in group if r.event == "push" and r.branch and _TAG.match(r.branch)]
        workflows[key] = {
            "name": group[0].workflow,
            "path": group[0].path,
            "runs": len(group),
            "runs_per_month": {e: _r(n * scale) for e, n in sorted(events.items())},
            "median_minutes": _r(statistics.median(wall)),
            "p95_minutes": _r(percentile(wall, 0.95)),
            "max_minutes": _r(max(wall)),
            "job_level": job_level,
            "billed_minutes_per_month": _r(sum(billed(r) for r in done) * scale),
            "superseded_runs": len(sup),
            "superseded_minutes_per_month": _r(sum(billed(r) * lost[id(r)] for r in sup) * scale),
            "superseded_minutes_by_event": {
                event: _r(sum(billed(r) * lost[id(r)] for r in sup if r.event == event) * scale)
                for event in sorted({r.event for r in sup})
            },
            "duplicate_runs": len(dups),
            "duplicate_minutes_per_month": _r(sum(billed(r) for r in dups) * scale),
            "tag_runs_per_month": _r(len(tags) * scale),
            "tag_minutes_per_month": _r(sum(billed(r) for r in tags if r.completed) * scale),
            "usd_per_month": None,
            "usd_basis": None,
            "jobs": {name: _job_summary(records, scale) for name, records in sorted(jobs.items())},
        }
    repos = _apply_billing(sources.billing, workflows)
    private = {r.private for r in runs if r.private is not None}
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated": (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat(),
        "first": first.isoformat(),
        "last": last.isoformat(),
        "days": _r(days, 2),
        "runs": len(runs),
        "private": private.pop() if len(private) == 1 else None,
        "repository_usd_per_month": repos,
        "workflows": workflows,
    }


def _apply_billing(rows: List[Dict[str, str]], workflows: Dict[str, Any]) -> Dict[str, float]:
    """Put the billed dollars a month on each workflow (detailed report) and per repository."""
    if not rows:
        return {}
    dates = sorted(d for d in (_time((row.get("date") or "").strip()[:10] + "T00:00:00Z") for row in rows) if d)
    days = max(1.0, (dates[-1] - dates[0]).days + 1.0) if dates else float(MONTH_DAYS)
    scale = MONTH_DAYS / days
    per_path: Dict[str, float] = defaultdict(float)
    per_repo: Dict[str, float] = defaultdict(float)
    for row in rows:
        try:
            amount = float((row.get("net_amount") or "0").strip() or 0)
        except ValueError:
            continue
        per_repo[(row.get("repository") or "").strip() or "?"] += amount
        path = (row.get("workflow_path") or "").strip()
        if path:
            per_path[path] += amount
    for path, amount in per_path.items():
        entry = workflows.get(path)
        if entry is not None:
            entry["usd_per_month"] = _r(amount * scale, 2)
            entry["usd_basis"] = "billing"
    return {repo: _r(amount * scale, 2) for repo, amount in sorted(per_repo.items())}


def save(document: Dict[str, Any], path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(json.dumps(document, indent=2, sort_keys=False) + "\n")


# -- reading the saved file ----------------------------------------------------------

_LOADED: Dict[Tuple[str, int, int], Dict[str, Any]] = {}


def load(path: str) -> Dict[str, Any]:
    """The saved history at ``path`` (memoised per size and mtime); raises HistoryError."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise HistoryError(f"{path}: cannot read the history file: {exc.strerror or exc}") from None
    key = (os.path.abspath(path), info.st_size, info.st_mtime_ns)
    if key in _LOADED:
        return _LOADED[key]
    try:
        with open(path, "r", encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise HistoryError(f"{path}: not a wflint history file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("workflows"), dict):
        raise HistoryError(f"{path}: not a wflint history file (write one with `wflint usage --save`)")
    if data.get("version") != VERSION:
        raise HistoryError(f"{path}: history format version {data.get('version')!r}; this wflint reads version {VERSION}")
    _LOADED[key] = data
    return data


def for_workflow(data: Dict[str, Any], path: Optional[str], name: Optional[str]) -> Optional[Dict[str, Any]]:
    """The history entry of a workflow: by repository path, else by its ``name:``."""
    workflows = data.get("workflows", {})
    if path and path in workflows:
        return workflows[path]
    if name and f"name:{name}" in workflows:
        return workflows[f"name:{name}"]
    return None
