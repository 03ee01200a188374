"""Why a workflow's cost changed between two versions, in a few words each.

Compares the parsed workflows (triggers, crons, event filters, concurrency, jobs, matrix
axes, runners, timeouts, reusable calls) rather than the text, so that a reformatted file
gives no reason.  The runner classes come from the cost figures (``seam.JobMonth``),
so ``ubuntu-latest`` -> ``ubuntu-24.04`` is no change while ``ubuntu`` -> ``macos`` is.
"""

from __future__ import annotations

from typing import Dict, List, Optional

from .. import yamlnode as yn
from ..source import Source
from .seam import WorkflowMonth

FILTERS = ("paths", "paths-ignore", "branches", "branches-ignore", "tags", "tags-ignore", "types")
_FILTER_WORDS = {"paths": "path filter", "paths-ignore": "path filter", "branches": "branch filter",
                 "branches-ignore": "branch filter", "tags": "tag filter", "tags-ignore": "tag filter", "types": "activity types"}


def _shape(text: str) -> Optional[dict]:
    """Triggers and jobs of a workflow as plain data, or None when it does not load."""
    from ..engine import load

    wf, problem = load(Source(path="x.yml", text=text))
    if problem is not None or wf is None:
        return None
    triggers = {name: yn.to_data(t.config) for name, t in wf.triggers.items()}
    jobs = {job.id: yn.to_data(job.node) for job in wf.jobs}
    return {"triggers": triggers, "jobs": jobs, "concurrency": yn.to_data(wf.get("concurrency"))}


def _code(value) -> str:
    return f"`{value}`"


def _axes(job) -> Dict[str, int]:
    strategy = job.get("strategy") if isinstance(job, dict) else None
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if not isinstance(matrix, dict):
        return {}
    return {k: len(v) for k, v in matrix.items() if k not in ("include", "exclude") and isinstance(v, list)}


def _trigger_reasons(before: dict, after: dict) -> List[str]:
    out = []
    for name in after:
        if name not in before:
            out.append(f"trigger {_code(name)} added")
    for name in before:
        if name not in after:
            out.append(f"trigger {_code(name)} removed")
    changed: Dict[str, List[str]] = {}  # "path filter (paths) added to" -> events, in order
    for name in after:
        if name not in before or name == "schedule":
            continue
        b, a = before[name], after[name]
        b = b if isinstance(b, dict) else {}
        a = a if isinstance(a, dict) else {}
        for key in FILTERS:
            word = f"{_FILTER_WORDS[key]} ({key})"
            if key in a and key not in b:
                changed.setdefault(f"{word} added to", []).append(name)
            elif key in b and key not in a:
                changed.setdefault(f"{word} removed from", []).append(name)
            elif key in a and a[key] != b[key]:
                changed.setdefault(f"{word} changed on", []).append(name)
    out.extend(f"{what} {', '.join(map(_code, events))}" for what, events in changed.items())
    return out


def _job_reasons(job_id: str, b: dict, a: dict, before: Optional[WorkflowMonth], after: Optional[WorkflowMonth]) -> List[str]:
    out = []
    b_axes, a_axes = _axes(b), _axes(a)
    for axis in a_axes:
        if axis not in b_axes:
            out.append(f"matrix axis {_code(axis)} added to {_code(job_id)} ({a_axes[axis]} values)")
        elif a_axes[axis] != b_axes[axis]:
            verb = "grown" if a_axes[axis] > b_axes[axis] else "shrunk"
            out.append(f"matrix axis {_code(axis)} of {_code(job_id)} {verb} {b_axes[axis]} -> {a_axes[axis]}")
    for axis in b_axes:
        if axis not in a_axes:
            out.append(f"matrix axis {_code(axis)} removed from {_code(job_id)}")
    b_month = _job(before, job_id)
    a_month = _job(after, job_id)
    if b_month and a_month:
        if b_month.jobs_per_run != a_month.jobs_per_run and not out:
            out.append(f"matrix of {_code(job_id)}: {_count(b_month.jobs_per_run)} -> {_count(a_month.jobs_per_run)} jobs")
        b_runners, a_runners = set(b_month.runners), set(a_month.runners)
        if b_runners < a_runners:
            out.append(f"{_code(job_id)} also runs on {_runners(a_runners - b_runners)}")
        elif a_runners < b_runners:
            out.append(f"{_code(job_id)} no longer runs on {_runners(b_runners - a_runners)}")
        elif b_runners != a_runners:
            out.append(f"runner of {_code(job_id)}: {_runners(b_runners)} -> {_runners(a_runners)}")
    out.extend(_concurrency(f"job {_code(job_id)}", b.get("concurrency"), a.get("concurrency")))
    b_timeout, a_timeout = b.get("timeout-minutes"), a.get("timeout-minutes")
    if a_timeout != b_timeout:
        if b_timeout is None:
            out.append(f"timeout of {_code(job_id)} set to {a_timeout} min")
        elif a_timeout is None:
            out.append(f"timeout of {_code(job_id)} removed (was {b_timeout} min)")
        else:
            out.append(f"timeout of {_code(job_id)}: {b_timeout} -> {a_timeout} min")
    if a.get("uses") != b.get("uses"):
        out.append(f"{_code(job_id)} calls {a.get('uses') or 'no reusable workflow'} instead of {b.get('uses') or 'steps'}")
    return out


def _concurrency(where: str, before, after) -> List[str]:
    """Concurrency groups decide whether superseded runs are cancelled."""
    if before == after:
        return []
    if before is None:
        return [f"concurrency group added to {where}"]
    if after is None:
        return [f"concurrency group removed from {where}"]
    return [f"concurrency of {where} changed"]


def _job(month: Optional[WorkflowMonth], job_id: str):
    for job in month.jobs if month else ():
        if job.id == job_id:
            return job
    return None


def _count(value: Optional[int]) -> str:
    return "?" if value is None else str(value)


def _runners(runners) -> str:
    return ", ".join(sorted(runners)) or "none"


def reasons(before_text: str, after_text: str, before: Optional[WorkflowMonth] = None, after: Optional[WorkflowMonth] = None) -> List[str]:
    """What changed between two versions of a workflow that bears on its cost."""
    b, a = _shape(before_text), _shape(after_text)
    if b is None or a is None:
        if b is None and a is not None:
            return ["the base version did not load"]
        if a is None and b is not None:
            return ["the new version does not load"]
        return []
    out = _trigger_reasons(b["triggers"], a["triggers"])
    b_crons = _crons(b["triggers"].get("schedule"))
    a_crons = _crons(a["triggers"].get("schedule"))
    if "schedule" in b["triggers"] and "schedule" in a["triggers"] and b_crons != a_crons:
        out.append(f"cron {', '.join(map(_code, b_crons)) or 'none'} -> {', '.join(map(_code, a_crons)) or 'none'}")
    out.extend(_concurrency("the workflow", b["concurrency"], a["concurrency"]))
    for job_id in a["jobs"]:
        if job_id not in b["jobs"]:
            out.append(f"job {_code(job_id)} added")
    for job_id in b["jobs"]:
        if job_id not in a["jobs"]:
            out.append(f"job {_code(job_id)} removed")
    for job_id, job in a["jobs"].items():
        if job_id in b["jobs"] and isinstance(job, dict) and isinstance(b["jobs"][job_id], dict):
            out.extend(_job_reasons(job_id, b["jobs"][job_id], job, before, after))
    return out


def _crons(schedule) -> List[str]:
    if not isinstance(schedule, list):
        return []
    return [" ".join(str(e.get("cron", "")).split()) for e in schedule if isinstance(e, dict)]
