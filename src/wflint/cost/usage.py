"""Real usage from run history: runs a day, success rate, durations, billed minutes, and
the share of runs that were superseded.

Input is either the output of
``gh run list --json databaseId,workflowName,event,status,conclusion,createdAt,updatedAt,headBranch``
or pages of the REST API ``GET /repos/{owner}/{repo}/actions/runs`` (one page, a list of
pages, or the concatenated pages ``gh api --paginate`` writes).

A run is *superseded* when another run of the same workflow, branch and event was
created before it finished: the waste that ``concurrency`` with ``cancel-in-progress``
removes.  A push run that a pull_request run of the same commit repeats is a *duplicate*
(what duplicate-triggers reports), counted apart.  Where the jobs of a run are known
(``gh run view ID --json databaseId,jobs`` or REST ``/runs/{id}/jobs`` pages, see
``history.py``), billed minutes are each job's duration rounded up, priced by its runner
labels; otherwise each run is one job on the chosen runner billing its wall-clock
duration rounded up to a whole minute (matrix and parallel jobs bill more).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Tuple

from .pricing import PriceTable

MONTH_DAYS = 30


class HistoryError(ValueError):
    """A history file that cannot be read."""


@dataclass(frozen=True)
class Run:
    id: Optional[int]
    workflow: str
    event: str
    status: str
    conclusion: Optional[str]
    branch: Optional[str]
    created: dt.datetime
    started: dt.datetime
    updated: dt.datetime
    path: Optional[str] = None  # .github/workflows/x.yml (REST runs carry it; `gh run list` does not)
    sha: Optional[str] = None
    private: Optional[bool] = None  # the repository's visibility, when the source says

    @property
    def completed(self) -> bool:
        return self.status == "completed"

    @property
    def minutes(self) -> float:
        return max(0.0, (self.updated - self.started).total_seconds() / 60)


def parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _time(value) -> Optional[dt.datetime]:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _run(item: dict) -> Optional[Run]:
    if not isinstance(item, dict):
        return None
    rest = "created_at" in item or "workflow_id" in item
    created = _time(item.get("created_at") if rest else item.get("createdAt"))
    updated = _time(item.get("updated_at") if rest else item.get("updatedAt"))
    if created is None or updated is None:
        return None
    started = _time(item.get("run_started_at") if rest else item.get("startedAt")) or created
    return Run(
        id=item.get("id") if rest else item.get("databaseId"),
        workflow=str((item.get("name") if rest else item.get("workflowName")) or item.get("path") or "?"),
        event=str(item.get("event") or "?"),
        status=str(item.get("status") or "?"),
        conclusion=item.get("conclusion") or None,
        branch=item.get("head_branch") if rest else item.get("headBranch"),
        created=created,
        started=started,
        updated=updated,
        path=item.get("path") if isinstance(item.get("path"), str) and item.get("path", "").endswith((".yml", ".yaml")) else None,
        sha=(item.get("head_sha") if rest else item.get("headSha")) or None,
        private=_private(item),
    )


def _private(item: dict) -> Optional[bool]:
    repo = item.get("repository")
    value = repo.get("private") if isinstance(repo, dict) else None
    return value if isinstance(value, bool) else None


def normalise(items: Iterable[dict]) -> List[Run]:
    return [run for run in (_run(item) for item in items) if run is not None]


def _documents(text: str) -> List:
    decoder = json.JSONDecoder()
    docs, pos = [], 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return docs
        doc, pos = decoder.raw_decode(text, pos)
        docs.append(doc)


def runs_from_json(text: str, origin: str = "<input>") -> List[Run]:
    try:
        docs = _documents(text)
    except ValueError as exc:
        raise HistoryError(f"{origin}: not JSON: {exc}") from None
    items: List[dict] = []
    for doc in docs:
        pages = doc if isinstance(doc, list) and doc and all(isinstance(d, dict) and "workflow_runs" in d for d in doc) else [doc]
        for page in pages:
            if isinstance(page, dict) and isinstance(page.get("workflow_runs"), list):
                items.extend(page["workflow_runs"])
            elif isinstance(page, list):
                items.extend(page)
            else:
                raise HistoryError(f"{origin}: expected `gh run list --json ...` output or REST pages with `workflow_runs`")
    runs = normalise(items)
    if items and not runs:
        raise HistoryError(f"{origin}: no run has creation and update times (createdAt/updatedAt or created_at/updated_at)")
    return runs


def load_file(path: str) -> List[Run]:
    try:
        with open(path, "r", encoding="utf-8-sig") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise HistoryError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    return runs_from_json(text, path)


def superseded(runs: List[Run]) -> List[Run]:
    """Completed runs that a newer run of the same workflow, ref and event started before they finished.

    A push run and a pull_request run of the same branch are not superseded (the default
    concurrency group keeps them apart): they are :func:`duplicates`.
    """
    groups: Dict[tuple, List[Run]] = defaultdict(list)
    for run in runs:
        groups[(run.path or run.workflow, run.branch, run.event)].append(run)
    out = []
    for group in groups.values():
        group.sort(key=lambda r: (r.created, r.id or 0))
        for run, later in zip(group, group[1:]):
            if run.completed and later.created < run.updated:
                out.append(run)
    return out


def overlap_share(runs: List[Run]) -> Dict[int, float]:
    """For each superseded run (by ``id()``), the share of its duration after the newer run started:
    what ``cancel-in-progress`` would have saved of it."""
    groups: Dict[tuple, List[Run]] = defaultdict(list)
    for run in runs:
        groups[(run.path or run.workflow, run.branch, run.event)].append(run)
    out: Dict[int, float] = {}
    for group in groups.values():
        group.sort(key=lambda r: (r.created, r.id or 0))
        for run, later in zip(group, group[1:]):
            if run.completed and later.created < run.updated:
                total = (run.updated - run.started).total_seconds()
                left = (run.updated - max(later.created, run.started)).total_seconds()
                out[id(run)] = min(1.0, left / total) if total > 0 else 1.0
    return out


def duplicates(runs: List[Run]) -> List[Run]:
    """Push runs that a pull_request run of the same workflow repeats: same head commit
    (or, when the source gives no commit, the same branch within an hour)."""
    prs: Dict[tuple, List[Run]] = defaultdict(list)
    for run in runs:
        if run.event in ("pull_request", "pull_request_target"):
            prs[(run.path or run.workflow, run.sha or run.branch)].append(run)
    out = []
    for run in runs:
        if run.event != "push":
            continue
        twins = prs.get((run.path or run.workflow, run.sha or run.branch), [])
        if run.sha or any(abs((t.created - run.created).total_seconds()) <= 3600 for t in twins):
            if twins:
                out.append(run)
    return out


def percentile(values: List[float], q: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class WorkflowUsage:
    name: str
    runs: int
    completed: int
    runs_per_day: float
    success_rate: Optional[float]
    median_minutes: Optional[float]
    p90_minutes: Optional[float]
    billed_minutes_month: float
    usd_month: float
    superseded: int
    superseded_share: Optional[float]
    superseded_minutes_month: float
    events: Dict[str, int] = field(default_factory=dict)
    duplicates: int = 0  # push runs a pull_request run of the same commit repeated
    duplicate_minutes_month: float = 0.0
    job_level: bool = False  # billed from job times (and runner labels) rather than one job per run


@dataclass
class UsageReport:
    workflows: List[WorkflowUsage]
    days: float
    first: Optional[dt.datetime]
    last: Optional[dt.datetime]
    runner: str
    price: float
    runs: int
    job_level: bool = False  # every workflow billed from job times

    @property
    def assumption(self) -> str:
        if self.job_level:
            return (f"Billed minutes are each job's duration rounded up, priced by its runner labels (`{self.runner}` "
                    f"at ${self.price}/min where the labels name no known runner). Monthly = {MONTH_DAYS} days at the "
                    f"observed rate over {self.days:.1f} days.")
        return (f"Billed minutes assume one job per run on `{self.runner}` (${self.price}/min) billing its wall-clock "
                f"duration rounded up; matrix and parallel jobs bill more. Monthly = {MONTH_DAYS} days at the observed rate "
                f"over {self.days:.1f} days.")


def summarise(runs: List[Run], prices: PriceTable, runner: str = "linux-2", since: Optional[dt.date] = None,
              billing: Optional[Dict[int, Tuple[float, float]]] = None) -> UsageReport:
    """``billing``: run id -> (billed minutes, dollars) from the run's jobs (``history.job_billing``);
    runs without it bill as one job of ``runner``."""
    price = prices.per_minute(runner) or 0.0
    billing = billing or {}
    if not runs:
        return UsageReport([], 0.0, None, None, runner, price, 0)
    first = min(r.created for r in runs)
    last = max(r.created for r in runs)
    if since is not None:
        first = min(first, dt.datetime(since.year, since.month, since.day, tzinfo=dt.timezone.utc))
    days = max(1.0, (last - first).total_seconds() / 86400)
    scale = MONTH_DAYS / days
    lost = set(id(r) for r in superseded(runs))
    dup = set(id(r) for r in duplicates(runs))

    def cost(run: Run) -> Tuple[float, float]:
        if run.id in billing:
            return billing[run.id]
        minutes = math.ceil(run.minutes) if run.minutes > 0 else 0
        return float(minutes), minutes * price

    by_name: Dict[str, List[Run]] = defaultdict(list)
    for run in runs:
        by_name[run.workflow].append(run)
    out = []
    for name, group in by_name.items():
        done = [r for r in group if r.completed]
        judged = [r for r in done if r.conclusion not in ("skipped", "neutral", None)]
        minutes = [r.minutes for r in done]
        billed = sum(cost(r)[0] for r in done)
        usd = sum(cost(r)[1] for r in done)
        lost_runs = [r for r in done if id(r) in lost]
        lost_billed = sum(cost(r)[0] for r in lost_runs)
        dup_runs = [r for r in done if id(r) in dup]
        out.append(WorkflowUsage(
            name=name,
            runs=len(group),
            completed=len(done),
            runs_per_day=len(group) / days,
            success_rate=(sum(r.conclusion == "success" for r in judged) / len(judged)) if judged else None,
            median_minutes=statistics.median(minutes) if minutes else None,
            p90_minutes=percentile(minutes, 0.9) if minutes else None,
            billed_minutes_month=billed * scale,
            usd_month=usd * scale,
            superseded=len(lost_runs),
            superseded_share=(len(lost_runs) / len(done)) if done else None,
            superseded_minutes_month=lost_billed * scale,
            events=dict(Counter(r.event for r in group).most_common()),
            duplicates=len(dup_runs),
            duplicate_minutes_month=sum(cost(r)[0] for r in dup_runs) * scale,
            job_level=bool(done) and all(r.id in billing for r in done),
        ))
    out.sort(key=lambda w: (-w.billed_minutes_month, w.name))
    return UsageReport(out, days, first, last, runner, price, len(runs), job_level=bool(out) and all(w.job_level for w in out))


def _pct(value: Optional[float]) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def _min(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:.1f}"


HEADERS = ["workflow", "runs", "runs/day", "success", "median min", "p90 min", "billed min/mo", "$/mo", "superseded",
           "duplicate"]


def _rows(report: UsageReport) -> List[List[str]]:
    return [
        [w.name, str(w.runs), f"{w.runs_per_day:.1f}", _pct(w.success_rate), _min(w.median_minutes), _min(w.p90_minutes),
         f"{w.billed_minutes_month:,.0f}", f"{w.usd_month:,.2f}", f"{_pct(w.superseded_share)} ({w.superseded})",
         str(w.duplicates)]
        for w in report.workflows
    ]


def _totals(report: UsageReport) -> str:
    minutes = sum(w.billed_minutes_month for w in report.workflows)
    usd = sum(w.usd_month for w in report.workflows)
    lost = sum(w.superseded_minutes_month for w in report.workflows)
    dup = sum(w.duplicate_minutes_month for w in report.workflows)
    return (f"{report.runs} runs over {report.days:.1f} days; about {minutes:,.0f} billed minutes "
            f"(${usd:,.2f}) a month, of which {lost:,.0f} in superseded runs and {dup:,.0f} in duplicate "
            "push runs (a pull_request run of the same commit ran too).")


def text(report: UsageReport) -> str:
    if not report.workflows:
        return "No runs in the history.\n"
    from .table import table

    lines = table(HEADERS, _rows(report), right=range(1, 10))
    lines += ["", _totals(report), report.assumption]
    return "\n".join(lines) + "\n"


def markdown(report: UsageReport) -> str:
    lines = ["## wflint usage report", ""]
    if not report.workflows:
        return "\n".join(lines + ["No runs in the history.", ""])
    lines.append("| " + " | ".join(HEADERS) + " |")
    lines.append("|---|" + "--:|" * (len(HEADERS) - 1))
    for row in _rows(report):
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    lines += ["", _totals(report), "", f"_{report.assumption}_", ""]
    return "\n".join(lines)


def as_json(report: UsageReport) -> str:
    data = {
        "schema": 1,
        "runs": report.runs,
        "days": report.days,
        "first": report.first.isoformat() if report.first else None,
        "last": report.last.isoformat() if report.last else None,
        "runner": report.runner,
        "usd_per_minute": report.price,
        "assumption": report.assumption if report.workflows else None,
        "workflows": [vars(w) for w in report.workflows],
    }
    return json.dumps(rounded(data), indent=2) + "\n"


def rounded(value, places: int = 2):
    """JSON data with every float rounded (no ``52.044000000000004``): ``places`` decimals from 1 up,
    four significant digits below (a price of 0.006 USD a minute stays 0.006)."""
    if isinstance(value, float):
        return round(value, places) if abs(value) >= 1 else float(f"{value:.4g}")
    if isinstance(value, dict):
        return {k: rounded(v, places) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v, places) for v in value]
    return value


FORMATS = {"text": text, "json": as_json, "markdown": markdown}
