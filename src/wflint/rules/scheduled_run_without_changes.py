"""scheduled-run-without-changes (opt-in): a heavy matrix that the schedule runs again on code
that has not changed since its last run."""

from __future__ import annotations

import re
from typing import Iterator

from .. import cron
from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Job, Workflow
from . import jobtraits as jt
from .base import Context, Rule

# A workflow that already asks whether anything changed since the last run.
_CHANGE_CHECK = re.compile(
    r"git (log|rev-list)\b[^\n]*--(since|after)|--since[= ]|listWorkflowRuns|workflow_runs|"
    r"gh run list\b[^\n]*--(status|json)|skip-duplicate-actions|new-commits|commits-since|changes-since|"
    r"has[-_]?(new[-_]?)?commits|last[-_]successful",
    re.IGNORECASE,
)
# A schedule kept to catch drift: new toolchains, pre-releases, upstream branches, latest tools.
_DRIFT = re.compile(
    r"nightly|upstream|canary|--pre\b|pre-?release|allow-prereleases|\bgit\+https|@latest\b|"
    r"\bbeta\b|:latest\b|\d-dev\b|check-latest:\s*true|--upgrade\b|minimal-versions|rust-next",
    re.IGNORECASE,
)
MONTHLY_MIN = 20  # scheduled runs a month: daily or more often



def _runs_on_schedule(job: Job) -> bool:
    condition = jt.condition(job.get("if"))
    if not condition:
        return True
    if re.search(r"event_name\s*!=\s*['\"]schedule|event_name\s*==\s*['\"](?!schedule)", condition):
        return False
    return not re.search(r"needs\.[\w-]+\.outputs", condition)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    if not wf.schedules or _CHANGE_CHECK.search(wf.text) or _DRIFT.search(wf.text):
        return
    try:
        runs = cron.monthly_runs([(s.cron, s.timezone) for s in wf.schedules if s.cron])
    except Exception:  # an invalid cron is invalid-cron's finding
        return
    if runs < MONTHLY_MIN:
        return
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.get("runs-on") is None or not _runs_on_schedule(job):
            continue
        why = jt.heavy_matrix(job)
        if why is None:
            continue
        yield Finding(
            span=yn.span(job.key),
            message=(
                f"Job `{job.id}` ({why}) runs {runs} times a month on the schedule even when nothing was committed "
                "since its last run. Start the scheduled run with a check for new commits (`git log --since` the "
                "last run, or compare `github.sha` with the last successful run) and skip the matrix when there are none."
            ),
            properties={"stake": stake("share", jobs=[job.id], events=["schedule"], share=SHARE)},
        )


# Share of scheduled runs that find no new commit: active projects commit on most days,
# quieter ones on few; half is the middle of that range until run history says otherwise.
SHARE = 0.5

RULE = Rule(
    code="WFL033",
    slug="scheduled-run-without-changes",
    summary="Heavy matrix re-run on a daily (or faster) schedule with no check for new commits",
    check=check,
    default=False,
    tags=("cost", "schedule"),
    precision="low",
)
