"""skips-change-detection: a heavy job that ignores the workflow's own change-detection job."""

from __future__ import annotations

import re
from typing import Dict, Iterator, List, Optional, Set

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Job, Workflow
from . import jobtraits as jt
from .base import Context, Rule

# Steps that list the changed files of a push or pull request.
DETECTORS = ("dorny/paths-filter", "tj-actions/changed-files", "step-security/changed-files")
_DIFF = re.compile(r"\bgit diff\b[^\n]*--name-only|\bgh pr diff\b[^\n]*--name-only|\bgit diff-tree\b[^\n]*--name-only")
EVENTS = ("push", "pull_request", "pull_request_target", "merge_group")


def _detects_changes(job: Job) -> bool:
    """The job lists changed files and hands the answer on through ``outputs``."""
    if job.get("outputs") is None:
        return False
    for step in job.steps:
        if (step.action or "").startswith(DETECTORS) or _DIFF.search(jt.run_text(step)):
            return True
    return False


def _ancestors(job_id: str, graph: Dict[str, List[str]]) -> Set[str]:
    seen: Set[str] = set()
    stack = list(graph.get(job_id, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(graph.get(current, ()))
    return seen


def _descendants(job_id: str, graph: Dict[str, List[str]]) -> List[str]:
    """Jobs that need ``job_id`` directly or not: skipped with it."""
    return sorted(other for other in graph if job_id in _ancestors(other, graph))


def heavy(job: Job) -> Optional[str]:
    """Why the job is heavy (for the message), or None: several legs or a macOS/Windows leg."""
    os_names = jt.os_legs(job)
    costly = sum(1 for name in os_names if name in ("macos", "windows"))
    if len(os_names) > 1:
        return f"{len(os_names)} jobs a run" + (f", {costly} on macOS/Windows" if costly else "")
    if costly:
        return "on macOS/Windows"
    # (A long `timeout-minutes` is no sign: missing-timeout's fix writes one on every job.)
    return None


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    events = [name for name in EVENTS if name in wf.triggers]
    if not events:
        return
    detectors = [job.id for job in wf.jobs if yn.is_map(job.node) and _detects_changes(job)]
    if not detectors:
        return
    graph = {job.id: jt.needs(job) for job in wf.jobs}
    reported: List[str] = []
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.id in detectors:
            continue
        if job.get("runs-on") is None:
            continue  # a reusable workflow call: how heavy it is is not in this file
        ancestors = _ancestors(job.id, graph)
        if ancestors & set(detectors) or any(job.id in _ancestors(d, graph) for d in detectors):
            continue  # gated by the detector, or the detector waits for it
        if ancestors & set(reported):
            continue  # gating the job it needs skips it too
        condition = jt.condition(job.get("if"))
        if jt.gated_off_pr(job) or re.search(r"\bneeds\.", condition):
            continue
        why = heavy(job)
        if why is None:
            continue
        first = next(j for j in wf.jobs if j.id == detectors[0])
        outputs = ", ".join(f"`{name}`" for name in yn.keys(first.get("outputs")))
        yield Finding(
            span=yn.span(job.key),
            message=(
                f"Job `{job.id}` ({why}) runs for every change, although job `{first.id}` of this workflow detects "
                f"which files changed (outputs {outputs}). Add `needs: {first.id}` and an `if:` on the output that "
                "covers this job's files (add a filter for them if none does), so the job is skipped when none of them changed."
            ),
            properties={"stake": stake("docs-only", jobs=[job.id, *_descendants(job.id, graph)], events=events)},
        )
        reported.append(job.id)


RULE = Rule(
    code="WFL028",
    slug="skips-change-detection",
    summary="Heavy job that does not use the workflow's own change-detection job",
    check=check,
    tags=("cost", "jobs"),
    precision="medium",
)
