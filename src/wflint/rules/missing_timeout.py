"""missing-timeout: a job that can run for GitHub's 360-minute default."""

from __future__ import annotations

import re
from typing import Iterator

from .. import cron
from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..stake import stake
from ..workflow import Workflow
from ..yamledit import add_entry, own_entry
from ..intent import Mismatch, plain
from ..lazyre import deferred
from .base import Context, Rule, fix_later

GITHUB_DEFAULT = 360


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    fallback = int(ctx.options.get("default", 30))
    model = None
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.calls_reusable_workflow:
            continue
        runs_on = job.entry("runs-on")
        if runs_on is None or job.entry("timeout-minutes") is not None:
            continue
        if _capped_runner(runs_on[1]) or _every_step_bounded(job) or _not_github_billed(runs_on[1]):
            continue
        if model is None:
            with deferred():  # only for a job without a timeout; its patterns compiled when used
                from ..cost.model import model_for

            model = model_for(wf, {"repo-root": ctx.repo_root, **(ctx.settings.get("cost") or {})})
        cost = model.jobs.get(job.id)
        minutes, why = (fallback, "the default") if cost is None else _timeout_for(cost, fallback)
        floor, unread = _steps_floor(job)
        if unread is not None:
            minutes, why = None, (f"step `{unread}` sets a `timeout-minutes` wflint cannot read, "
                                  "and a job timeout below it would cancel that step")
        elif minutes is not None and floor is not None and floor > minutes:
            minutes, why = floor, f"above the job's bounded steps ({why} was lower)"
        message = (
            f"Job `{job.id}` has no `timeout-minutes`. "
            f"A hung step keeps its runner busy for GitHub's default of {GITHUB_DEFAULT} minutes (6 hours)."
        )
        fix = None
        if minutes is None:
            message += f" No automatic fix: {why}."
        elif _only_jobs_use(wf, job):
            fix = fix_later(ctx, lambda job=job, runs_on=runs_on, minutes=minutes: _fix(wf, job, runs_on[1], minutes))
        # priced as expected hang minutes a month; a hang runs past the timeout it writes, else
        # (no automatic value) past the job's typical duration (the model's default)
        saved = GITHUB_DEFAULT - minutes if minutes is not None else None
        properties = {"stake": stake("hang", jobs=[job.id], minutes_per_run=saved)}
        if minutes is not None:
            properties["timeout_minutes"] = minutes
            properties["timeout_basis"] = why
            properties["ceiling_minutes_saved_per_hang"] = GITHUB_DEFAULT - minutes
            properties.update(_monthly_ceiling(wf, job, GITHUB_DEFAULT - minutes))
        yield Finding(span=yn.span(job.key), message=message, fix=fix, properties=properties)


def _fix(wf: Workflow, job, runs_on, minutes: int):
    own = own_entry(wf.source, job.node, runs_on) is not None  # else `runs-on` comes from `<<: *x`
    edit = add_entry(wf.source, job.node, "timeout-minutes", minutes, wf.style, after=runs_on if own else None)
    return Fix(f"Add `timeout-minutes: {minutes}` to job `{job.id}`", (edit,), Safety.UNSAFE) if edit else None


# Runners GitHub stops sooner than the 360-minute default (ubuntu-slim: 15 minutes).
CAPPED_RUNNERS = ("ubuntu-slim",)
# Actions that stop on their own well before the default: deploy-pages waits 10 minutes at most.
BOUNDED_ACTIONS = ("actions/deploy-pages",)
# A command line that cannot hang: under `timeout N`, a curl/wget with a time limit, or a builtin.
BOUNDED_LINE = re.compile(
    r"^(timeout\s+(-\S+\s+)*\d+[smh]?\s|curl\s.*(--max-time|-m)[ =]?\d|wget\s.*(-T|--timeout)[ =]?\d|"
    r"(echo|printf|export|set|cd|mkdir|true|exit|unset|shopt)(\s|$))"
)


# GitHub-hosted images GitHub has retired: a job asking for one waits for a runner that never
# comes and fails, so it cannot hang (GitHub's runner-images announcements: ubuntu-18.04 on
# 2023-04-03, ubuntu-20.04 on 2025-04-15, macos-10.15 on 2022-12-01, macos-11 on 2024-06-28,
# macos-12 on 2024-12-03, windows-2016 on 2022-03-15, windows-2019 on 2025-06-30).
# Actions that run a command under their own time limit: the step ends after
# `timeout_minutes`/`timeout_seconds` x the attempts.
RETRY_ACTIONS = ("nick-invision/retry", "nick-fields/retry", "wandalen/wretry.action")
_RETRY_LIMITS = (("timeout_minutes", 1.0), ("timeout_seconds", 1 / 60), ("time_out", 1.0))
# A job timeout above its bounded steps: their sum, and at least the longest plus this margin.
STEP_MARGIN = 10


def _labels(node):
    return [yn.scalar(n) for n in yn.items(node)] if yn.is_seq(node) else [yn.scalar(node)]


def _not_github_billed(node) -> bool:
    """Whether a literal ``runs-on`` names a retired hosted image (the job cannot start) or a
    ``self-hosted`` runner, which GitHub does not bill.  Other labels wflint does not know stay
    reported: they may name a larger GitHub runner, which GitHub bills."""
    labels = [(label or "").strip().lower() for label in _labels(node)]
    if "self-hosted" in labels:
        return True
    from ..cost.defaults import RETIRED_RUNNERS  # the cost package only for a job without a timeout

    return any(label in RETIRED_RUNNERS for label in labels)


def _steps_floor(job):
    """The least job timeout that cancels none of its bounded steps: the sum of their limits and
    at least the longest plus ``STEP_MARGIN`` (capped at 360), or None when no step is bounded;
    and the name of a step whose ``timeout-minutes`` cannot be read (else None).  An expression
    counts as its largest integer (``${{ pr && 30 || 210 }}``: 210)."""
    limits = []
    for index, step in enumerate(job.steps):
        node = step.get("timeout-minutes")
        if node is not None:
            text = yn.scalar(node) or ""
            numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)] if "${{" in text else []
            try:
                limits.append(float(text) if "${{" not in text else max(numbers))
            except ValueError:
                return None, yn.scalar(step.get("name")) or yn.scalar(step.get("id")) or f"#{index + 1}"
        else:
            retry = _retry_limit(step)
            if retry is not None:
                limits.append(retry)
    if not limits:
        return None, None
    floor = max(sum(limits), max(limits) + STEP_MARGIN)
    return min(int(-(-floor // 5) * 5), GITHUB_DEFAULT), None


def _retry_limit(step):
    """Minutes a retry action (``RETRY_ACTIONS``) may run: its time limit x its attempts."""
    if step.action is None or not any(step.action == a or step.action.startswith(a + "/") for a in RETRY_ACTIONS):
        return None
    for key, unit in _RETRY_LIMITS:
        text = yn.scalar(step.with_(key)) or ""
        if re.fullmatch(r"\s*\d+(\.\d+)?\s*", text):
            attempts = yn.scalar(step.with_("max_attempts")) or yn.scalar(step.with_("attempt_limit")) or "1"
            return float(text) * unit * (int(attempts) if attempts.strip().isdigit() else 1)
    return None


def _capped_runner(node) -> bool:
    labels = [yn.scalar(n) for n in yn.items(node)] if yn.is_seq(node) else [yn.scalar(node)]
    return any((label or "").strip() in CAPPED_RUNNERS for label in labels)


def _every_step_bounded(job) -> bool:
    """Every step of the job ends on its own: a step ``timeout-minutes``, a bounded or retry action or commands."""
    steps = job.steps
    if bool(steps) and all(_step_bounded(step) for step in steps):
        return True
    # work steps that each carry their own time limit, after setup steps that only fetch
    work = [step for step in steps if not _setup(step)]
    return bool(work) and all(_explicit_limit(step) for step in work)


# Steps that prepare a job (the code, a toolchain, a cache, runner hardening): when every other
# step has its own time limit, a hang in them is improbable enough not to report.
SETUP_ACTIONS = ("actions/checkout", "actions/cache", "actions/setup-", "step-security/harden-runner")


def _setup(step) -> bool:
    return step.action is not None and any(step.action.startswith(a) for a in SETUP_ACTIONS)


def _explicit_limit(step) -> bool:
    return step.get("timeout-minutes") is not None or _retry_limit(step) is not None


def _step_bounded(step) -> bool:
    if step.get("timeout-minutes") is not None:
        return True
    if step.action in BOUNDED_ACTIONS or _retry_limit(step) is not None:
        return True
    run = yn.scalar(step.get("run"))
    if run is None:
        return False
    lines = [line.strip() for line in run.replace("\\\n", " ").splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    parts = [part.strip() for line in lines for part in re.split(r"&&|\|\||;|\|", line)]
    return bool(lines) and all(BOUNDED_LINE.match(part) for part in parts if part)


def _timeout_for(cost, fallback: int):
    from ..cost.model import timeout_for

    return timeout_for(cost, fallback)



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
    # the value the rule chose for the job (history, or its class), which the finding records
    data["jobs"][job.id]["timeout-minutes"] = plain(finding.properties.get("timeout_minutes", options["default"]))


RULE = Rule(
    code="WFL003",
    slug="missing-timeout",
    summary="Job has no timeout-minutes and may run for the 360-minute default",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    # A hang's price rests on job durations and a hang chance that only run history measures:
    # the strict reviews at seed 26 and 27 (shipped thresholds, estimates) found 17% and 20%
    # of the findings false or cheap, above the 10% a default-on rule may have.
    default=False,
    with_history=True,
    options={"default": 30},
    options_schema={"default": {"type": "integer", "minimum": 1, "maximum": 360}},
    tags=("cost", "timeout"),
)
