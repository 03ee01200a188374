"""heavy-jobs-not-gated: big matrices that start on every pull-request push at the same time as
the workflow's quick lint job, instead of after it."""

from __future__ import annotations

import re
from typing import Iterator, List

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Job, Workflow
from . import jobtraits as jt
from .base import Context, Rule
from .os_independent_work_on_expensive_runner import ACTIONS, _COMMAND

# Type checks are quick checks too (they are only left out of the OS-independent list).
_TYPECHECK = re.compile(r"(?:^[ \t]*|[;&|][ \t]+)(?:(?:python3? -m|uv run|poetry run|npx|uvx)[ \t]+)?(mypy|pyright|tsc --noEmit|cargo clippy|golangci-lint run|go vet)\b", re.MULTILINE)
_SETUP = re.compile(r"^actions/(checkout|cache)|/setup-|^actions/setup-")


def _quick_check(job: Job) -> bool:
    """One Linux leg whose steps set up, then lint / format / type-check and nothing else."""
    if job.get("runs-on") is None or yn.is_true(job.get("continue-on-error")) or jt.gated_off_pr(job):
        return False
    if job.get("strategy") is not None or jt.needs(job):
        return False
    checks = 0
    for step in job.steps:
        action = step.action or ""
        run = jt.run_text(step)
        if action.startswith(ACTIONS) or _COMMAND.search(run) or _TYPECHECK.search(run):
            if yn.is_true(step.get("continue-on-error")):
                return False
            checks += 1
        elif action and not _SETUP.search(action):
            return False
        elif run and not re.match(r"\s*((python3? -m )?pip3? install|npm (ci|install)|yarn( install)?|pnpm install|uv sync|poetry install)", run):
            return False
    if not checks:
        return False
    return jt.os_legs(job) == ["linux"]



def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    events = jt.pr_runs(wf)
    if not events:
        return
    gates: List[str] = [job.id for job in wf.jobs if yn.is_map(job.node) and _quick_check(job)]
    if not gates:
        return
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.id in gates or job.get("runs-on") is None:
            continue
        if jt.needs(job) or job.get("needs") is not None or jt.gated_off_pr(job):
            continue
        why = jt.heavy_matrix(job)
        if why is None:
            continue
        yield Finding(
            span=yn.span(job.key),
            message=(
                f"Job `{job.id}` ({why}) starts on every pull-request push at the same time as the quick check "
                f"`{gates[0]}`, so a lint or type error still pays for every leg. Add `needs: {gates[0]}` to start "
                "it only once the check passed."
            ),
            properties={"stake": stake("share", jobs=[job.id], events=events, share=SHARE)},
        )


# Share of pull-request runs whose quick check fails (the heavy legs a gate would skip).
SHARE = 0.1

RULE = Rule(
    code="WFL027",
    slug="heavy-jobs-not-gated",
    summary="Big matrix on pull requests not gated behind the workflow's quick lint job",
    default=False,  # its one seed-22 finding above the estimate bar was cheap (short test legs priced as builds)
    check=check,
    tags=("cost", "jobs"),
    precision="medium",
)
