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
from ..stake import stake
from ..workflow import PR_EVENTS, Workflow
from ..yamledit import render_scalar
from ..intent import Mismatch, plain
from .base import Context, Rule

DEFAULT_EXPRESSION = "${{ github.event_name == 'pull_request' }}"
RELEASE_EVENTS = ("release", "deployment")
# Signs that a job deploys or publishes something: commands in `run:` and actions in `uses:`,
# matched as whole words (a job id `prepublish-windows` is not a publish).  Preview publishing
# (pkg.pr.new) is meant to be superseded.
DEPLOY_COMMANDS = re.compile(
    r"(?<![\w-])(wrangler( pages)? deploy|firebase deploy|mkdocs gh-deploy|vercel deploy|vercel --prod|netlify deploy|"
    r"fly(ctl)? deploy|(npm|yarn|pnpm|lerna|changeset|cargo) publish|yarn npm publish|twine upload|gem push|"
    r"gh release (create|upload|edit)|terraform apply|helm upgrade|docker (image )?push|mvn\S* deploy|"
    r"gradlew?( \S+)* publish\w*|semantic-release|goreleaser release|"
    r"(npm|pnpm|yarn)( \S+)* run (deploy|publish)|(pnpm|yarn) (deploy|publish)|make( \S+)* (deploy|publish)|[\w./-]*\b(deploy|publish|release)\.(sh|py|js|ts|mjs))(?![\w-])",
    re.IGNORECASE,
)
# Words in an action's name that deploy or publish (`softprops/action-gh-release`,
# `actions/deploy-pages`, `pypa/gh-action-pypi-publish`...), as whole words of the name.
DEPLOY_WORDS = {"deploy", "deployment", "publish", "release", "releaser", "goreleaser"}
NOT_DEPLOY_ACTIONS = ("release-drafter/", "actions/upload-pages-artifact", "actions/configure-pages")
# A "publish" that stays on the runner or only rehearses: a local registry, a dry run, a cache image.
LOCAL = re.compile(r"localhost|127\.0\.0\.1|verdaccio|--dry-run|\bcache\b|buildcache|--cache-(to|from)", re.IGNORECASE)
PREVIEW = re.compile(r"pkg-pr-new|pkg\.pr\.new|preview", re.IGNORECASE)
# Whole-site deploys that switch atomically (a Pages, Cloudflare, Netlify, Vercel or Firebase
# Hosting deployment, a site branch pushed in one go): a newer run deploys the newer commit
# and a cancelled one leaves nothing half-done, so cancelling it is harmless.
SITE_ACTIONS = (
    "actions/deploy-pages", "peaceiris/actions-gh-pages", "jamesives/github-pages-deploy-action",
    "cloudflare/pages-action", "cloudflare/wrangler-action", "nwtgck/actions-netlify",
    "netlify/actions/cli", "amondnet/vercel-action", "firebaseextended/action-hosting-deploy",
)
SITE_COMMANDS = re.compile(
    r"(?<![\w-])(wrangler (pages )?deploy|netlify deploy|vercel( deploy)?( \S+)* --prod|vercel deploy|"
    r"firebase deploy( \S+)* --only[ =]['\"]?hosting\b|mkdocs gh-deploy)(?![\w-])",
    re.IGNORECASE,
)
# What a wrangler-action `command` may do and still be a whole-site deploy (D1 migrations,
# R2 uploads and secrets are not).
SITE_WRANGLER = re.compile(r"((pages )?deploy|versions (upload|deploy))\b[^\n]*", re.IGNORECASE)
# The credentials of those hosts: a deploy script (`npm run deploy`) given only these deploys there.
SITE_CREDENTIALS = re.compile(r"(CLOUDFLARE|CF|NETLIFY|VERCEL)_\w+")
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
        if on_default and _deploys(jobs, on_tags=False, pull_requests=wf.has_trigger(*PR_EVENTS)):
            reasons.append(f"pushes to `{branch}`")
    return reasons


def _deploys(jobs, on_tags: bool, pull_requests: bool = False) -> bool:
    """Some job publishes or deploys (for branch pushes: counting only jobs that run for them).

    With ``pull_requests``, a job without an ``if:`` runs for pull requests too: what it
    pushes is CI's own (a helper image), not a release, since no release comes from a pull request.
    """
    for job in jobs:
        if pull_requests and not yn.scalar(job.get("if")) and not _deploys_conditionally(job):
            continue
        if any(PREVIEW.search(yn.scalar(step.get("run")) or "") for step in job.steps):
            continue  # preview packages: a newer one is meant to replace the older
        condition = (yn.scalar(job.get("if")) or "").replace('"', "'")
        if not on_tags and re.search(r"refs/tags|event_name\s*==\s*'(release|pull_request)'", condition):
            continue  # the job does not run for branch pushes
        kinds = {_step_kind(step) for step in job.steps} - {None}
        if "publish" in kinds or _names_deploy(yn.scalar(job.get("uses")) or ""):
            return True  # a step, or the reusable workflow the job calls
        if _deployment_environment(job.get("environment")) and not kinds:
            return True  # a deployment whose steps say nothing of what it deploys
    return False


def _names_deploy(uses: str) -> bool:
    """An action or reusable workflow whose path has the whole word deploy / publish / release."""
    path = uses.split("@", 1)[0].lower()
    if not path or path.startswith(NOT_DEPLOY_ACTIONS) or PREVIEW.search(path):
        return False
    return bool(set(re.split(r"[/_.-]", path)) & DEPLOY_WORDS) or "gh-pages" in path


def _deploys_conditionally(job) -> bool:
    """A deploy step of the job has its own ``if:`` (e.g. only for pushes), or the job has an environment."""
    if _deployment_environment(job.get("environment")):
        return True
    return any(_step_deploys(step) and yn.scalar(step.get("if")) for step in job.steps)


def _deployment_environment(node) -> bool:
    """An ``environment:`` that makes a deployment (not ``deployment: false``)."""
    if node is None or yn.is_null(node):
        return False
    return not (yn.is_map(node) and (yn.scalar(yn.get_value(node, "deployment")) or "").lower() == "false")


def _step_deploys(step) -> bool:
    return _step_kind(step) is not None


def _step_kind(step) -> Optional[str]:
    """``"publish"`` for a step that publishes or deploys something a cancel can leave half-done,
    ``"site"`` for a whole-site deploy that switches atomically, else None."""
    action = (step.uses or "").split("@", 1)[0].lower()  # local actions (`./.github/actions/publish`) too
    if action.startswith(SITE_ACTIONS):
        commands = (yn.scalar(step.with_("command")) or "deploy").strip().splitlines()
        if "wrangler" not in action or all(SITE_WRANGLER.fullmatch(c.strip()) for c in commands if c.strip()):
            return "site"
        return None  # other wrangler commands (secrets, D1, R2): not judged
    kind = None
    for line in (yn.scalar(step.get("run")) or "").splitlines():
        match = DEPLOY_COMMANDS.search(line)
        if not match or PREVIEW.search(line) or LOCAL.search(line):
            continue
        if not (SITE_COMMANDS.search(line) or _site_credentials_only(step)):
            return "publish"
        kind = "site"
    if kind or not _names_deploy(action):
        return kind
    if "goreleaser" in action and "release" not in (yn.scalar(step.with_("args")) or ""):
        return None  # `goreleaser check`, `goreleaser build --snapshot`...
    if "docker" in action and LOCAL.search(" ".join(yn.scalar(step.with_(k)) or "" for k in ("tags", "registry"))):
        return None
    return "publish"


def _site_credentials_only(step) -> bool:
    """The step's environment holds the credentials of a whole-site host and nothing else."""
    env = step.get("env")
    names = [yn.scalar(key) or "" for key, _ in env.value] if yn.is_map(env) else []
    return bool(names) and all(SITE_CREDENTIALS.fullmatch(name) for name in names)


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
            # the release runs a newer push cancels half-way, which have to run again
            properties={"stake": stake("superseded", jobs=[j.id for j in jobs], events=["push"])},
        )


def _fix(wf: Workflow, conc: Node, value: Node, expression: str) -> Optional[Fix]:
    if id(value) in wf.shared:
        return None  # an alias or a merge key uses this value elsewhere too
    queue = (yn.scalar(yn.get_value(conc, "queue")) or "").strip().lower()
    if queue == "max":
        replacement = "false"  # `queue: max` accepts no cancelling at all
    elif expression == DEFAULT_EXPRESSION and not wf.has_trigger("pull_request"):
        replacement = "false"  # the expression would always be false here
    elif expression == DEFAULT_EXPRESSION and not _apart(yn.scalar(yn.get_value(conc, "group")) or ""):
        # pull requests and pushes share the group: a new pull-request run would still
        # cancel a release in progress
        replacement = "false"
    elif expression.strip().lower() in ("true", "yes", "on", "${{ true }}"):
        return None  # would keep cancelling every run
    elif conc.flow_style:
        replacement = '"' + expression.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        replacement = render_scalar(expression)
    return Fix(
        f"Set `cancel-in-progress: {replacement}`",
        (Edit(value.start_mark.index, value.end_mark.index, replacement),),
        Safety.UNSAFE,  # superseded pushes stop being cancelled: they may cost minutes
    )


def _apart(group: str) -> bool:
    """The group keeps pull-request runs apart from push runs (it names the ref or the event)."""
    return any(
        name in PER_REF or name == "github.event_name" or name.startswith("github.event.pull_request")
        for name in references(group)
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
    default=False,  # none of the seed-22 review's four findings could cut a real release short
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"expression": DEFAULT_EXPRESSION, "default-branch": None},
    options_schema={
        "expression": {"type": "string", "minLength": 1},
        "default-branch": {"type": ["string", "null"], "minLength": 1},
    },
    tags=("correctness", "concurrency"),
)
