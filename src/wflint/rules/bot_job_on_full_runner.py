"""bot-job-on-full-runner: a job that only calls the GitHub API on a 2-core runner where ubuntu-slim would do."""

from __future__ import annotations

import re
from typing import Iterator, List, Optional

from .. import yamlnode as yn
from ..finding import Edit, Finding, Fix, Safety
from ..stake import stake
from ..workflow import Job, Workflow
from ..yamledit import scalar_inner_span
from ..intent import Mismatch
from .base import Context, Rule

SLIM = "ubuntu-slim"
FULL = re.compile(r"ubuntu-(latest|2[2-9]\.04)")
SLIM_LIMIT = 15  # minutes: ubuntu-slim stops jobs after 15 minutes
# JavaScript (not Docker) actions that only talk to the GitHub or a chat API.
LIGHT_ACTIONS = (
    "actions/labeler", "actions/github-script", "actions/stale", "actions/first-interaction", "actions/add-to-project",
    "actions/create-github-app-token", "peter-evans/create-or-update-comment", "peter-evans/find-comment",
    "marocchino/sticky-pull-request-comment", "thollander/actions-comment-pull-request",
    "amannn/action-semantic-pull-request", "slackapi/slack-github-action", "release-drafter/release-drafter",
    "dessant/lock-threads", "dessant/label-actions", "kentaro-m/auto-assign-action", "dependabot/fetch-metadata",
    "hmarr/auto-approve-action", "github/issue-labeler", "eps1lon/actions-label-merge-conflict",
    "mheap/github-action-required-labels", "tibdex/github-app-token", "actions-ecosystem/action-add-labels",
    "actions-ecosystem/action-remove-labels", "octokit/request-action", "octokit/graphql-action",
)
# Shell commands that need no more than one core: API calls and text handling.
LIGHT_COMMANDS = {
    "gh", "curl", "echo", "printf", "jq", "cat", "test", "[", "[[", "]]", "exit", "export", "if", "then", "else",
    "elif", "fi", "true", "false", "set", "grep", "sed", "awk", "cut", "tr", "wc", "head", "tail", "env", "date",
    "for", "do", "done", "while", "case", "esac", "}", "{", "local", "read", "sort", "uniq", "xargs", "basename",
    "dirname", "mkdir", "mktemp", "rm", "touch", "ls", "return", "shift", "unset", "declare", "in",
}
# Triggers that fire often enough for a job's price to matter.
RARE = {"release", "workflow_dispatch", "create", "delete", "deployment", "deployment_status", "page_build",
        "public", "registry_package", "repository_dispatch", "fork", "watch", "gollum", "milestone", "label"}
# Waiting on another run (`gh run watch`, `gh pr checks --watch`) may outlast ubuntu-slim's 15 minutes.
WAITS = re.compile(r"\bgh\b[^\n]*(\bwatch\b|--watch\b|--wait\b)")
_COMMAND = re.compile(r"(?:^|[;&|(`]|\$\()\s*(?:[A-Za-z_]\w*=[^\s$]*\s+)*([^\s;&|()`$]+)")


def _commands(script: str) -> List[str]:
    # Command substitutions inside double quotes ("$(make)") run commands too: collect them first.
    inner = [m.group(1) for m in re.finditer(r"\$\(\s*([^\s;&|()`$'\"]+)", script)]
    text = re.sub(r"\\\n", " ", script)
    text = re.sub(r"\b[A-Za-z_]\w*=(?=\$\()", "", text)  # NAME=$(cmd): the command is cmd
    text = re.sub(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"", "''", text)  # quoted text holds no command
    out = []
    for line in text.splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#") or re.fullmatch(r"[A-Za-z_]\w*=\S*", line):
            continue
        out.extend(m.group(1) for m in _COMMAND.finditer(line) if not re.fullmatch(r"[A-Za-z_]\w*=\S*", m.group(1)))
    return out + inner


def is_light(job: Job) -> bool:
    """Every step calls a light action or runs only light shell commands; nothing needs Docker or cores."""
    if not job.steps or job.get("container") is not None or job.get("services") is not None:
        return False
    for step in job.steps:
        if step.get("uses") is not None:
            if step.action not in LIGHT_ACTIONS:
                return False
        elif step.get("run") is not None:
            shell = (yn.scalar(step.get("shell")) or "bash").split()[0]
            if shell not in ("bash", "sh"):
                return False
            script = yn.scalar(step.get("run")) or ""
            if WAITS.search(script) or any(c not in LIGHT_COMMANDS for c in _commands(script)):
                return False
        else:
            return False
    return True


def _timeout_fits(job: Job) -> bool:
    value = yn.scalar(job.get("timeout-minutes"))
    if value is None:
        return True
    try:
        return float(value) <= SLIM_LIMIT
    except ValueError:
        return False  # an expression: may be longer than the slim runner allows


def _fix(wf: Workflow, node) -> Optional[Fix]:
    if id(node) in wf.shared:
        return None
    inner = scalar_inner_span(wf.source, node)
    if inner is None:
        return None
    return Fix(f"Run the job on `{SLIM}`", (Edit(inner[0], inner[1], SLIM),), Safety.UNSAFE)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    events = [name for name in wf.triggers if name not in RARE]
    if not events:
        return
    for job in wf.jobs:
        node = job.get("runs-on")
        label = yn.scalar(node)
        if label is None or not FULL.fullmatch(label.strip()) or not _timeout_fits(job) or not is_light(job):
            continue
        actions = sorted({step.action for step in job.steps if step.action})
        what = f"only runs {', '.join(f'`{a}`' for a in actions[:3])}" if actions else "only runs API calls and text commands"
        yield Finding(
            span=yn.span(node),
            message=(
                f"Job `{job.id}` {what} on `{label}`, a 2-core runner, on every {', '.join(events[:3])} event. "
                f"`runs-on: {SLIM}` (1 core, no Docker, 15-minute limit) bills a third of the price for the same work."
            ),
            fix=_fix(wf, node),
            properties={"stake": stake("share", jobs=[job.id], events=events, share=0.0, usd_share=2 / 3)},
        )


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """bot-job-on-full-runner: the job's runs-on becomes ubuntu-slim, nothing else."""
    job = next(j for j in wf.jobs if j.get("runs-on") is not None and j.get("runs-on").start_mark.index == finding.span.start)
    if fixed["jobs"][job.id]["runs-on"] != "ubuntu-slim":
        raise Mismatch(f"runs-on became {fixed['jobs'][job.id]['runs-on']!r}")
    data["jobs"][job.id]["runs-on"] = "ubuntu-slim"


RULE = Rule(
    code="WFL021",
    slug="bot-job-on-full-runner",
    summary="Job that only calls the GitHub API (labels, comments, notifications) runs on a 2-core runner instead of ubuntu-slim",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    default=False,
    tags=("cost", "runner"),
)
