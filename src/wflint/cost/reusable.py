"""Price the jobs that call a reusable workflow of the same repository.

A job ``uses: ./.github/workflows/build.yml`` (or the self-repository form
``$/.github/workflows/build.yml``, GitHub changelog 2026-07-30) runs that file's jobs: once the whole
repository is estimated, the calling job takes the callee's per-run jobs, minutes,
dollars and runners, multiplied by the caller's matrix size.  Calls to other
repositories (``owner/repo/.github/workflows/x.yml@ref``) stay unpriced; so do cycles.
"""

from __future__ import annotations

import posixpath
from typing import Dict, List, Optional, Sequence

from .estimate import WorkflowEstimate

LOCAL_PREFIXES = ("./.github/workflows/", "$/.github/workflows/")


def _callee_name(uses: Optional[str]) -> Optional[str]:
    if not uses or not uses.startswith(LOCAL_PREFIXES) or "${{" in uses:
        return None
    return posixpath.basename(uses.split("@", 1)[0])


def resolve_local_calls(workflows: Sequence[WorkflowEstimate]) -> None:
    """Fill in, in place, the calling jobs of ``workflows`` (all from one repository)."""
    by_name: Dict[str, WorkflowEstimate] = {}
    for wf in workflows:
        by_name.setdefault(posixpath.basename(wf.path), wf)
    done = set()

    def visit(wf: WorkflowEstimate, stack: List[str]) -> None:
        if wf.path in done:
            return
        for job in wf.jobs:
            callee = by_name.get(_callee_name(job.uses) or "")
            if callee is None or callee.path in stack or (callee.error and not callee.jobs):
                continue
            visit(callee, stack + [callee.path])
            times = job.count if job.count is not None else 1
            run = callee.per_run()
            job.resolved = (int(times * run["floor_minutes"]), int(times * run["ceiling_minutes"]))
            job.floor_usd = times * run["floor_usd"]
            job.ceiling_usd = times * run["ceiling_usd"]
            job.unpriced = times * callee.unpriced
            callee_jobs = callee.jobs_per_run
            job.count = None if job.count is None or callee_jobs is None else job.count * callee_jobs
            runners: Dict[str, int] = {}
            for inner in callee.jobs:
                for name, n in inner.runners.items():
                    runners[name] = runners.get(name, 0) + n * times
            job.runners = runners
            job.note = f"calls {job.uses} ({times} x its jobs)"
        done.add(wf.path)

    for wf in workflows:
        visit(wf, [wf.path])
