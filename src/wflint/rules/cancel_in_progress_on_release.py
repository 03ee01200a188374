"""cancel-in-progress-on-release: ``cancel-in-progress: true`` where a deploy or release can be cut short."""

from __future__ import annotations

import fnmatch
import re
from typing import Iterator, List, Optional

from ruamel.yaml.nodes import Node

from .. import yamlnode as yn
from ..finding import Edit, Finding, Fix, Safety
from ..expressions import references
from ..gitrepo import default_branch
from ..workflow import Workflow
from ..yamledit import render_scalar
from ..intent import Mismatch, plain
from .base import Context, Rule

DEFAULT_EXPRESSION = "${{ github.event_name == 'pull_request' }}"
RELEASE_EVENTS = ("release", "deployment")
# Signs that a job deploys or publishes something: commands in `run:`, actions in `uses:`,
# words in the job's id or name.  Preview publishing (pkg.pr.new) is meant to be superseded.
DEPLOY_COMMANDS = re.compile(
    r"\b(wrangler( pages)? deploy|firebase deploy|gh-deploy|vercel deploy|vercel --prod|netlify deploy|fly deploy|"
    r"(npm|yarn|pnpm|lerna|changeset|cargo) publish|yarn npm publish|twine upload|gem push|"
    r"gh release (create|upload|edit)|terraform apply|helm upgrade|docker (image )?push|mvn\S* deploy|"
    r"gradlew?( \S+)* publish\w*|semantic-release|goreleaser release)\b",
    re.IGNORECASE,
)
DEPLOY_ACTIONS = re.compile(r"deploy|publish|release|gh-pages|upload-pages-artifact", re.IGNORECASE)
DEPLOY_NAMES = re.compile(r"deploy|publish|release", re.IGNORECASE)
PREVIEW = re.compile(r"pkg-pr-new|pkg\.pr\.new|preview", re.IGNORECASE)
# Parts of a group that differ on every push: such a group never cancels another push run.
PER_RUN = ("github.sha", "github.run_id", "github.run_number", "github.run_attempt", "github.event.after")
PER_REF = ("github.ref", "github.ref_name", "github.head_ref")


def _branch_matches(patterns: List[str], branch: str) -> bool:
    return any(fnmatch.fnmatchcase(branch, p.replace("**", "*")) for p in patterns)


def release_reasons(wf: Workflow, branch: str, group: str, jobs=None) -> List[str]:
    """Why a newer run may cancel a release or deploy in this concurrency group.

    ``jobs`` are the jobs the group holds: every job for a workflow-level group, one
    job for a job-level group.
    """
    jobs = wf.jobs if jobs is None else jobs
    names = references(group)
    if any(name.startswith(PER_RUN) for name in names) or "github.event.pull_request" in group and "github.sha" in group:
        return []
    per_ref = any(name in PER_REF for name in names)
    reasons = [] if per_ref else [f"`{name}`" for name in RELEASE_EVENTS if name in wf.triggers]
    push = wf.triggers.get("push")
    if push is not None:
        if push.has_filter("tags") and not per_ref and _deploys(jobs, on_tags=True):
            reasons.append("tag pushes")
        branches = push.filter("branches")
        patterns = [yn.scalar(i) or "" for i in yn.items(branches)] or ([yn.scalar(branches)] if yn.scalar(branches) else [])
        on_default = (
            (branches is None and not push.has_filter("tags") and not push.has_filter("branches-ignore"))
            or _branch_matches(patterns, branch)
        )
        if on_default and _deploys(jobs, on_tags=False):
            reasons.append(f"pushes to `{branch}`")
    return reasons


def _deploys(jobs, on_tags: bool) -> bool:
    """Some job publishes or deploys (for branch pushes: counting only jobs that run for them)."""
    for job in jobs:
        if any(PREVIEW.search(yn.scalar(step.get("run")) or "") for step in job.steps):
            continue  # preview packages: a newer one is meant to replace the older
        condition = (yn.scalar(job.get("if")) or "").replace('"', "'")
        if not on_tags and re.search(r"refs/tags|event_name\s*==\s*'(release|pull_request)'", condition):
            continue  # the job does not run for branch pushes
        if job.get("environment") is not None:
            return True
        names = f"{job.id} {yn.scalar(job.get('name')) or ''}"
        if DEPLOY_NAMES.search(names) and not PREVIEW.search(names):
            return True
        for step in job.steps:
            run = yn.scalar(step.get("run")) or ""
            if DEPLOY_COMMANDS.search(run) and not PREVIEW.search(run):
                return True
            if step.action and DEPLOY_ACTIONS.search(step.action) and not PREVIEW.search(step.action):
                if "goreleaser" in step.action and "release" not in (yn.scalar(step.with_("args")) or ""):
                    continue  # `goreleaser check`, `goreleaser build --snapshot`...
                return True
    return False


def _cancels(wf: Workflow):
    """(jobs in the group, concurrency mapping, value node) for each literal ``cancel-in-progress: true``."""
    found = []
    for concurrency in wf.concurrency():
        value = concurrency.get("cancel-in-progress")
        if yn.is_true(value):
            found.append((wf.jobs if concurrency.job is None else [concurrency.job], concurrency.node, value))
    return found


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    cancels = _cancels(wf)
    if not cancels:
        return
    branch = ctx.options.get("default-branch") or default_branch(ctx.repo_root) or "main"
    expression = str(ctx.options.get("expression") or DEFAULT_EXPRESSION)
    for jobs, conc, value in cancels:
        reasons = release_reasons(wf, branch, yn.scalar(yn.get_value(conc, "group")) or "", jobs)
        if not reasons:
            continue
        yield Finding(
            span=yn.span(value),
            message=(
                f"`cancel-in-progress: true` in a workflow that deploys or releases on {', '.join(reasons)}: "
                "a newer run in the same group cancels a deploy or release half-way. Cancel only pull-request runs."
            ),
            fix=_fix(wf, conc, value, expression),
        )


def _fix(wf: Workflow, conc: Node, value: Node, expression: str) -> Optional[Fix]:
    if id(value) in wf.shared:
        return None  # an alias or a merge key uses this value elsewhere too
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


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged `cancel-in-progress` becomes `false` or the configured expression."""
    owners = [((), wf.root)] + [(("jobs", job.id), job.node) for job in wf.jobs]
    for path, owner in owners:
        value = yn.get_value(yn.get_value(owner, "concurrency"), "cancel-in-progress")
        if value is not None and value.start_mark.index == finding.span.start:
            before, after = data, fixed
            try:
                for key in (*path, "concurrency"):
                    before, after = before[key], after[key]
                new = after["cancel-in-progress"]
            except (KeyError, TypeError):
                raise Mismatch("`concurrency` lost its `cancel-in-progress`") from None
            if new not in ("false", plain(options["expression"])):
                raise Mismatch(f"cancel-in-progress became {new!r}")
            before["cancel-in-progress"] = new
            return
    raise Mismatch("no cancel-in-progress at the finding")


RULE = Rule(
    code="WFL009",
    slug="cancel-in-progress-on-release",
    summary="cancel-in-progress: true in a workflow that deploys or releases can cut a release short",
    check=check,
    intent=intent,
    fix=Safety.SAFE,
    options={"expression": DEFAULT_EXPRESSION, "default-branch": None},
    options_schema={
        "expression": {"type": "string", "minLength": 1},
        "default-branch": {"type": ["string", "null"], "minLength": 1},
    },
    tags=("correctness", "concurrency"),
)
