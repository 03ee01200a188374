"""cancel-in-progress-on-release: ``cancel-in-progress: true`` where a deploy or release can be cut short."""

from __future__ import annotations

import fnmatch
import re
from typing import Iterator, List, Optional

from ruamel.yaml.nodes import Node

from .. import yamlnode as yn
from ..finding import Edit, Finding, Fix, Safety
from ..gitrepo import default_branch
from ..workflow import Workflow
from ..yamledit import render_scalar
from .base import Context, Rule

DEFAULT_EXPRESSION = "${{ github.event_name == 'pull_request' }}"
RELEASE_EVENTS = ("release", "deployment", "deployment_status")
# Signs that a run deploys or publishes something (checked in job ids, names, `uses`, `run`).
DEPLOY_WORDS = re.compile(
    r"deploy|publish|release|upload-pages-artifact|gh-pages|docker/build-push-action|twine upload|"
    r"npm publish|cargo publish|gem push|pypi|terraform apply|helm (upgrade|install)|kubectl apply|wrangler|vercel|netlify|firebase|surge",
    re.IGNORECASE,
)


def _branch_matches(patterns: List[str], branch: str) -> bool:
    return any(fnmatch.fnmatchcase(branch, p.replace("**", "*")) for p in patterns)


def release_reasons(wf: Workflow, branch: str) -> List[str]:
    """Why runs of this workflow may be releases or deploys."""
    reasons = [f"`{name}`" for name in RELEASE_EVENTS if name in wf.triggers]
    push = wf.triggers.get("push")
    if push is not None:
        if push.has_filter("tags"):
            reasons.append("tag pushes")
        branches = push.filter("branches")
        patterns = [yn.scalar(i) or "" for i in yn.items(branches)] or ([yn.scalar(branches)] if yn.scalar(branches) else [])
        on_default = (
            (branches is None and not push.has_filter("tags") and not push.has_filter("branches-ignore"))
            or _branch_matches(patterns, branch)
        )
        if on_default and _deploys(wf):
            reasons.append(f"deploying pushes to `{branch}`")
    return reasons


def _deploys(wf: Workflow) -> bool:
    for job in wf.jobs:
        if job.get("environment") is not None:
            return True
        words = [job.id, yn.scalar(job.get("name")) or ""]
        for step in job.steps:
            words += [step.uses or "", yn.scalar(step.get("run")) or "", yn.scalar(step.get("name")) or ""]
        if DEPLOY_WORDS.search("\n".join(words)):
            return True
    return False


def _cancels(wf: Workflow):
    """(concurrency mapping, value node) for each literal ``cancel-in-progress: true``."""
    found = []
    for owner in [wf.root] + [job.node for job in wf.jobs]:
        conc = yn.get_value(owner, "concurrency")
        value = yn.get_value(conc, "cancel-in-progress")
        if yn.is_true(value):
            found.append((conc, value))
    return found


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    cancels = _cancels(wf)
    if not cancels:
        return
    branch = ctx.options.get("default-branch") or default_branch(ctx.repo_root) or "main"
    reasons = release_reasons(wf, branch)
    if not reasons:
        return
    expression = str(ctx.options.get("expression") or DEFAULT_EXPRESSION)
    for conc, value in cancels:
        yield Finding(
            span=yn.span(value),
            message=(
                f"`cancel-in-progress: true` in a workflow that runs on {', '.join(reasons)}: a newer run "
                "cancels a deploy or release half-way. Cancel only pull-request runs."
            ),
            fix=_fix(wf, conc, value, expression),
        )


def _fix(wf: Workflow, conc: Node, value: Node, expression: str) -> Optional[Fix]:
    queue = (yn.scalar(yn.get_value(conc, "queue")) or "").strip().lower()
    if queue == "max":
        replacement = "false"  # `queue: max` accepts no cancelling at all
    elif expression.strip().lower() in ("true", "yes", "on", "${{ true }}"):
        return None  # would keep cancelling every run
    elif conc.flow_style:
        replacement = '"' + expression.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        replacement = render_scalar(expression)
    return Fix(
        f"Set `cancel-in-progress: {replacement}`",
        (Edit(value.start_mark.index, value.end_mark.index, replacement),),
        Safety.SAFE,
    )


RULE = Rule(
    code="WFL009",
    slug="cancel-in-progress-on-release",
    summary="cancel-in-progress: true in a workflow that deploys or releases can cut a release short",
    check=check,
    fix=Safety.SAFE,
    options={"expression": DEFAULT_EXPRESSION, "default-branch": None},
    options_schema={
        "expression": {"type": "string", "minLength": 1},
        "default-branch": {"type": ["string", "null"], "minLength": 1},
    },
    tags=("correctness", "concurrency"),
)
