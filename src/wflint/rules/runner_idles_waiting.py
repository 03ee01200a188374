"""runner-idles-waiting: a hosted runner sleeping or polling while another system works."""

from __future__ import annotations

import re
from typing import Iterator, Optional, Tuple

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Job, Step, Workflow
from . import jobtraits as jt
from .base import Context, Rule

# Actions whose whole job is to wait for something else (a check, a deployment, a run).
_WAIT_ACTION = re.compile(r"wait[-_]?(for|on|until)|action-wait|await-|wait-action|wait-check", re.IGNORECASE)
# What a polling loop asks: another GitHub run or check, a remote URL, a cloud or registry.
_REMOTE = re.compile(
    r"\bgh (run|api|pr|workflow)\b|\bcurl\b[^\n]*https?://(?!localhost|127\.|0\.0\.0\.0|\[::1\])|"
    r"\bwget\b[^\n]*https?://(?!localhost|127\.)|api\.github\.com|\baws\b|\baz\b|\bgcloud\b|"
    r"\bnpm (view|info)\b|\bpip (download|index)\b|pypi\.org|\bdocker (manifest|buildx imagetools) inspect\b|"
    r"\bskopeo\b|\bcrane\b|\bvercel\b|\bnetlify\b|\bfly\b",
)
# A loop that waits for something on the runner itself (a service, a container, a cluster
# started by the job): that is the job's own work, not idling.
_LOCAL = re.compile(r"localhost|127\.0\.0\.1|0\.0\.0\.0|\bdocker\b(?! (manifest|buildx imagetools))|kubectl|pg_isready|mysqladmin|redis-cli|\bnc -z\b", re.IGNORECASE)
_LOOP = re.compile(r"^[ \t]*(while|until|for)\b.*?(?:^|[;\s])done\b", re.MULTILINE | re.DOTALL)
_SLEEP = re.compile(r"\b(sleep|Start-Sleep(\s+-(Seconds|s))?)\s+(\d+)([smh]?)\b", re.IGNORECASE)
# The bound of a loop's header: `-lt 5`, `seq 1 10`, `{1..10}`, `range(10)`.
_BOUND = re.compile(r"-(?:lt|le|gt|ge)\s+(\d+)|\bseq\s+(?:\d+\s+)?(\d+)|\{\d+\.\.(\d+)\}|range\((\d+)\)")
RETRY_BUDGET = 300  # seconds: a bounded loop that can wait no longer than this retries, it does not poll
_WATCH = re.compile(r"\bgh run watch\b|\bgh pr checks\b[^\n]*--watch")
LONG_SLEEP = 120  # seconds: one sleep this long is waiting, not pacing
FREQUENT = ("push", "pull_request", "pull_request_target", "merge_group", "schedule")


def _seconds(match: "re.Match[str]") -> int:
    value, unit = int(match.group(4)), (match.group(5) or "s").lower()
    return value * {"s": 1, "m": 60, "h": 3600}[unit]


def _retry(loop: str, sleep: int) -> bool:
    """A loop whose header bounds it to a short total wait: retries on failure, not polling."""
    bound = _BOUND.search(loop.split("\n", 1)[0]) or _BOUND.search(loop)
    if bound is None:
        return False
    count = int(next(g for g in bound.groups() if g is not None))
    return count * sleep < RETRY_BUDGET


def _idle(step: Step) -> Optional[Tuple[str, float]]:
    """(what the step waits with, minutes it may wait: 0 when unknown) or None."""
    action = step.action or ""
    if action and _WAIT_ACTION.search(action):
        return f"`{step.uses.split('@')[0]}`", 0.0
    run = jt.run_text(step)
    if not run:
        return None
    watch = _WATCH.search(run)
    if watch and "gh run cancel" not in run:  # watching a cancelled run ends in seconds
        return f"`{watch.group(0)}`", 0.0
    for loop in _LOOP.finditer(run):
        body = loop.group(0)
        sleep = _SLEEP.search(body)
        if sleep and _REMOTE.search(body) and not _LOCAL.search(body) and not _retry(body, _seconds(sleep)):
            return f"a polling loop with `{sleep.group(0)}`", 0.0
    for sleep in _SLEEP.finditer(run):
        if _seconds(sleep) >= LONG_SLEEP and not any(l.start() <= sleep.start() < l.end() for l in _LOOP.finditer(run)):
            return f"`{sleep.group(0)}`", _seconds(sleep) / 60
    return None


def _hosted(job: Job) -> bool:
    legs = jt.legs(job)
    return bool(legs) and not any(r.kind in ("self-hosted", "unknown") for r in legs)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    events = [name for name in FREQUENT if name in wf.triggers]
    if not events:
        return
    for job in wf.jobs:
        if not yn.is_map(job.node):
            continue
        for step in job.steps:
            found = _idle(step)
            if found is None or not _hosted(job):
                continue
            what, minutes = found
            yield Finding(
                span=yn.span(step.node if not yn.is_map(step.node) else (step.get("run") or step.get("uses"))),
                message=(
                    f"Job `{job.id}` keeps a hosted runner busy waiting for another system ({what}), billed by the "
                    "minute while it does nothing. Start the work that follows from the event instead: `needs:` "
                    "for a job of this workflow, a `workflow_run` trigger for another workflow, "
                    "`deployment_status` for a deployment, `repository_dispatch` for an outside service."
                ),
                properties={"stake": _stake(job, events, minutes)},
            )


def _stake(job: Job, events, minutes: float):
    if minutes:
        return stake("share", jobs=[job.id], events=events, minutes_per_run=minutes)
    return stake("share", jobs=[job.id], events=events, share=SHARE)


# A job that polls spends most of its time waiting: waiting jobs reviewed on the corpus had
# a few seconds of setup around the wait.
SHARE = 0.8

RULE = Rule(
    code="WFL030",
    slug="runner-idles-waiting",
    summary="Hosted runner sleeping or polling while another system works",
    check=check,
    tags=("cost", "jobs"),
    precision="medium",
    # Opt-in: a fresh strict review (seed 21) found 1 of its 5 findings false (20%).
    default=False,
)
