"""Estimate one or many repositories: find their workflows, estimate each, aggregate.

Each directory argument is a repository checkout (its ``.github/workflows``, or every
YAML file under it when it has none); with ``recursive`` each directory holds one
checkout per sub-folder.  Repositories are processed in parallel (one process per
core) and a progress callback is told after each one.
"""

from __future__ import annotations

import concurrent.futures
import os
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..discovery import discover, find_repo_root
from ..engine import Settings
from .estimate import WorkflowEstimate, estimate_file
from .pricing import PriceTable
from .reusable import resolve_local_calls
from .savings import Saving

TOTAL_KEYS = ("floor_minutes", "ceiling_minutes", "floor_usd", "ceiling_usd")
POINT_KEYS = ("runs_per_month", "minutes_per_month", "usd_per_month")  # the cost model's, every trigger


@dataclass
class RepoReport:
    name: str
    root: str
    workflows: List[WorkflowEstimate] = field(default_factory=list)
    savings: List[Saving] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)

    def totals(self) -> Dict[str, float]:
        out = {k: 0.0 for k in TOTAL_KEYS}
        out["runs"] = 0
        for k in POINT_KEYS:
            out[k] = 0.0
        for wf in self.workflows:
            for k, v in wf.monthly().items():
                out[k] += v
            out["runs"] += wf.runs_per_month or 0
            for k in POINT_KEYS:
                out[k] += float((wf.point or {}).get(k) or 0.0)
        return out


@dataclass(frozen=True)
class RepoTarget:
    name: str
    root: str  # folder the workflow paths are shown relative to
    paths: Tuple[str, ...]  # what to discover (folders or files); () = root's .github/workflows


def targets(paths: Sequence[str], cwd: str, recursive: bool = False) -> Tuple[List[RepoTarget], List[str]]:
    """One target per repository; files are grouped by the repository that holds them."""
    errors: List[str] = []
    out: List[RepoTarget] = []
    if not paths:
        root = find_repo_root(cwd)
        return [RepoTarget(os.path.basename(root) or root, root, ())], errors  # its .github/workflows
    files: Dict[str, List[str]] = {}
    for raw in paths:
        path = os.path.abspath(os.path.join(cwd, raw))
        if os.path.isdir(path):
            if recursive:
                children = sorted(e for e in os.listdir(path) if os.path.isdir(os.path.join(path, e)) and not e.startswith("."))
                out.extend(RepoTarget(c, os.path.join(path, c), (os.path.join(path, c),)) for c in children)
            else:
                out.append(RepoTarget(os.path.basename(path) or path, path, (path,)))
        elif os.path.isfile(path):
            files.setdefault(find_repo_root(os.path.dirname(path)), []).append(path)
        else:
            errors.append(f"{raw}: no such file or directory")
    for root, group in files.items():
        out.append(RepoTarget(os.path.basename(root) or root, root, tuple(group)))
    return out, errors


def _point(path: str, text: str, root: str, cost: Dict[str, object]) -> Optional[Dict[str, object]]:
    """The cost model's monthly figures of one workflow (None when it does not load)."""
    from ..engine import load
    from ..source import Source
    from .model import CostOptions, WorkflowCost

    wf, problem = load(Source(path=path, text=text))
    if wf is None or problem is not None:
        return None
    return WorkflowCost(wf, CostOptions.from_dict({**cost, "repo-root": root}), path).monthly()


def analyse_repo(target: RepoTarget, prices: PriceTable, settings: Optional[Settings] = None,
                 cost: Optional[Dict[str, object]] = None) -> RepoReport:
    """Estimate every workflow of one repository (and preview fixes when ``settings`` is given).

    ``cost`` (``[tool.wflint.cost]`` as resolved) adds the cost model's point figures.
    """
    from .savings import preview

    report = RepoReport(target.name, target.root)
    found, errors = discover(list(target.paths), cwd=target.root)
    report.errors.extend(errors)
    for t in found:
        est, text = estimate_file(t.path, t.display.replace(os.sep, "/"), prices)
        if est.error:
            report.errors.append(est.error)
        if cost is not None and text is not None:
            est.point = _point(est.path, text, target.root, cost)
        report.workflows.append(est)
        if settings is not None and text is not None and not (est.error and not est.jobs):
            report.savings.append(preview(est.path, text, prices, settings, before=est, file=t.path))
    resolve_local_calls(report.workflows)
    if report.savings:
        resolve_local_calls([s.after for s in report.savings])
    return report


def analyse(
    repo_targets: Sequence[RepoTarget],
    prices: PriceTable,
    settings: Optional[Settings] = None,
    jobs: int = 0,
    progress: Optional[Callable[[int, int], None]] = None,
    cost: Optional[Dict[str, object]] = None,
) -> List[RepoReport]:
    """Reports in the order of ``repo_targets``; parallel over repositories when there are several."""
    workers = jobs or min(len(repo_targets), os.cpu_count() or 1)
    results: List[Optional[RepoReport]] = [None] * len(repo_targets)
    done = 0
    if workers <= 1 or len(repo_targets) <= 1:
        for i, target in enumerate(repo_targets):
            results[i] = analyse_repo(target, prices, settings, cost)
            done += 1
            if progress:
                progress(done, len(repo_targets))
        return [r for r in results if r is not None]
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(analyse_repo, t, prices, settings, cost): i for i, t in enumerate(repo_targets)}
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:  # a worker crash must not lose the other repositories
                t = repo_targets[i]
                results[i] = RepoReport(t.name, t.root, errors=[f"{t.name}: not estimated: {type(exc).__name__}: {exc}"])
            done += 1
            if progress:
                progress(done, len(repo_targets))
    return [r for r in results if r is not None]
