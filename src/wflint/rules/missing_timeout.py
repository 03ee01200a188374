"""missing-timeout: a job that can run for GitHub's 360-minute default."""

from __future__ import annotations

from typing import Iterator

from .. import cron
from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..workflow import Workflow
from ..yamledit import add_entry, own_entry
from ..intent import Mismatch, plain
from .base import Context, Rule

GITHUB_DEFAULT = 360


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    minutes = int(ctx.options.get("default", 30))
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.calls_reusable_workflow:
            continue
        runs_on = job.entry("runs-on")
        if runs_on is None or job.entry("timeout-minutes") is not None:
            continue
        message = (
            f"Job `{job.id}` has no `timeout-minutes`. "
            f"A hung step keeps its runner busy for GitHub's default of {GITHUB_DEFAULT} minutes (6 hours)."
        )
        edit = None
        if _only_jobs_use(wf, job):
            own = own_entry(wf.source, job.node, runs_on[1]) is not None  # else `runs-on` comes from `<<: *x`
            edit = add_entry(wf.source, job.node, "timeout-minutes", minutes, wf.style, after=runs_on[1] if own else None)
        fix = Fix(f"Add `timeout-minutes: {minutes}` to job `{job.id}`", (edit,), Safety.UNSAFE) if edit else None
        properties = {"ceiling_minutes_saved_per_hang": GITHUB_DEFAULT - minutes}
        properties.update(_monthly_ceiling(wf, job, GITHUB_DEFAULT - minutes))
        yield Finding(span=yn.span(job.key), message=message, fix=fix, properties=properties)


def _monthly_ceiling(wf: Workflow, job, saved_per_job: int) -> dict:
    """Worst-case minutes a month the timeout removes when schedules start the workflow."""
    schedules = [(s.cron, s.timezone) for s in wf.schedules if s.cron]
    if not schedules or saved_per_job <= 0:
        return {}
    from ..cost.matrix import job_matrix

    try:
        runs = cron.monthly_runs(schedules)
    except cron.CronError:
        return {}
    size = job_matrix(job.node).size
    if size is None:
        return {}
    return {"monthly_ceiling_minutes_saved": runs * size * saved_per_job}


def _only_jobs_use(wf: Workflow, job) -> bool:
    """Whether an edit of the job's mapping changes jobs only (each flagged and fixed by it).

    An alias can make the mapping appear elsewhere too (``defaults: &d``, ``<<: *d``).
    """
    if id(job.node) not in wf.shared:
        return True
    jobs = wf.get("jobs")
    if not yn.is_map(jobs) or id(jobs) in wf.shared:
        return False
    return sum(1 for _, value in jobs.value if value is job.node) == wf.uses.get(id(job.node))


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged job (and no other) gains `timeout-minutes`."""
    job = next((j for j in wf.jobs if j.key.start_mark.index == finding.span.start), None)
    if job is None or not isinstance(data.get("jobs", {}).get(job.id), dict):
        raise Mismatch("no job at the finding")
    data["jobs"][job.id]["timeout-minutes"] = plain(options["default"])


RULE = Rule(
    code="WFL003",
    slug="missing-timeout",
    summary="Job has no timeout-minutes and may run for the 360-minute default",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"default": 30},
    options_schema={"default": {"type": "integer", "minimum": 1, "maximum": 360}},
    tags=("cost", "timeout"),
)
