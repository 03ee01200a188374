"""missing-concurrency: a push/PR-triggered workflow without a ``concurrency`` group."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator, List, Optional

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..stake import stake
from ..workflow import Workflow
from ..yamledit import add_entry, next_line_is_blank, render_flow
from ..intent import plain
from .base import Context, Rule, fix_later

TRIGGERS = ("push", "pull_request", "pull_request_target", "merge_group")
# Events whose runs have a meaningful ref or pull request to group by; the fix is safe
# only for workflows started by nothing else.
GROUPABLE = ("push", "pull_request", "pull_request_target", "merge_group")

DEFAULT_GROUP = "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}"
# With other events (issue_comment, repository_dispatch, workflow_dispatch...) each of their
# runs gets a group of its own (`github.run_id`): no run of theirs waits for or replaces another.
EVENT_GROUP = (
    "${{ github.workflow }}-${{ github.event_name }}-${{ "
    "(github.event_name == 'push' || github.event_name == 'merge_group') && github.ref || "
    "(github.event_name == 'pull_request' || github.event_name == 'pull_request_target') && github.event.pull_request.number || "
    "github.run_id }}"
)
DEFAULT_CANCEL = "${{ github.event_name == 'pull_request' }}"
# Events that start one run at a time on a branch: in the per-run group nothing of theirs is replaced.
ISOLATED = {"schedule", "workflow_dispatch"}

# Signs that a job deploys or publishes what it built: then every push's run matters.
DEPLOY_RUN = re.compile(
    r"\b(?:(?:wrangler(?: pages)?|firebase|vercel|netlify|fly|flyctl|mkdocs gh|serverless|sls|cdk|kubectl) deploy|"
    r"gh-deploy|vercel --prod|(?:npm|yarn|pnpm|lerna|cargo|poetry|flit|hatch|uv) publish|twine upload|gem push|"
    r"gh release (?:create|upload)|terraform apply|helm (?:upgrade|install)|docker (?:image )?push|"
    r"mvn\S*(?: \S+)* deploy|aws s3 (?:sync|cp)|semantic-release|goreleaser)\b",
    re.IGNORECASE,
)
DEPLOY_ACTION = re.compile(r"deploy|publish|gh-pages|gh-release|upload-pages-artifact|build-push-action", re.IGNORECASE)


def waste_events(wf: Workflow) -> List[str]:
    """The events whose runs a newer one supersedes: pushes to branches, pull-request commits."""
    events = []
    for name in ("push", "pull_request", "pull_request_target"):
        trigger = wf.triggers.get(name)
        if trigger is None:
            continue
        if name == "push" and _tags_only(trigger):
            continue  # every tag is its own ref: no run is ever superseded
        if name != "push" and not _synchronizes(trigger):
            continue  # labeled, closed, edited...: pushes to the branch never start these
        events.append(name)
    return events


# Share of push runs a concurrency group saves without cancelling them (a replaced pending run):
# see rules/missing-concurrency.md, "Cost".
PUSH_ONLY_SHARE = 0.05


def _tags_only(push) -> bool:
    has_tags = push.has_filter("tags") or push.has_filter("tags-ignore")
    return has_tags and not (push.has_filter("branches") or push.has_filter("branches-ignore"))


def _synchronizes(trigger) -> bool:
    types = trigger.filter("types")
    if types is None:
        return True
    names = {yn.scalar(item) for item in yn.items(types)} or {yn.scalar(types)}
    return "synchronize" in names


def deploys_on_push(wf: Workflow) -> bool:
    """Some job that branch pushes run publishes or deploys (an environment, a deploy action or command)."""
    for job in wf.jobs:
        condition = (yn.scalar(job.get("if")) or "").replace('"', "'")
        if re.search(r"event_name\s*==\s*'pull_request|refs/tags|ref_type", condition):
            continue  # a job that branch pushes do not run
        if job.get("environment") is not None:
            return True
        for step in job.steps:
            if DEPLOY_ACTION.search((step.action or "").partition("/")[2]) or DEPLOY_RUN.search(yn.scalar(step.get("run")) or ""):
                return True
    return False


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    if wf.entry("concurrency") is not None or wf.on_key is None:
        return
    events = waste_events(wf)
    if not events:
        return
    runnable = [job for job in wf.jobs if yn.is_map(job.node)]
    grouped = _callees_with_group(wf, ctx)
    # Jobs with their own group, or calling a reusable workflow of the folder that sets one, are
    # already cancelled: only the others are at stake.
    open_jobs = [job for job in runnable if job.entry("concurrency") is None and job.local_callee not in grouped]
    if runnable and not open_jobs:
        return
    jobs = [job.id for job in open_jobs] if len(open_jobs) < len(runnable) else []
    if any(name in events for name in ("pull_request", "pull_request_target")):
        waste = "every push to a pull request starts a new run while the superseded one keeps running"
    else:
        waste = "runs for superseded commits on the same branch run side by side to the end"
    message = f"Workflow runs on {', '.join(events)} with no `concurrency` group: {waste}."
    if "workflow_call" in wf.triggers:
        message += " No automatic fix: as a reusable workflow it would share its caller's group."
    fix = None
    # A callee (workflow_call) would share the caller's `github.workflow`: no automatic group.
    if "workflow_call" not in wf.triggers:
        fix = fix_later(ctx, lambda: _fix(wf, ctx))
    # Cancelling applies to the events the configured `cancel-in-progress` names: by default
    # `pull_request` alone (DEFAULT_CANCEL), so `pull_request_target` runs are never cancelled.
    cancelled = cancelled_events(events, ctx.options.get("cancel-in-progress", DEFAULT_CANCEL))
    if cancelled:
        at_stake = stake("superseded", events=cancelled, jobs=jobs)
    else:
        # No run cancelled (push, pull_request_target): the group only drops a pending run when a
        # third push arrives while one runs and one waits, which is rare on one branch.
        at_stake = stake("superseded", events=events, share=PUSH_ONLY_SHARE, jobs=jobs)
    yield Finding(span=yn.span(wf.on_key), message=message, fix=fix, properties={"stake": at_stake})


_TOP_GROUP = re.compile(r"^concurrency:", re.MULTILINE)


def _callees_with_group(wf: Workflow, ctx: Context) -> set:
    """File names of the reusable workflows of the folder that this one calls and that set a
    top-level ``concurrency`` group (a called workflow's own group cancels its superseded runs)."""
    callees = {job.local_callee for job in wf.jobs if yn.is_map(job.node)} - {None}
    if not callees:
        return set()
    from ..siblings import folder_key

    key = folder_key(wf.path, ctx.repo_root)
    return {name for name in callees if _sets_group(key, name)} if key else set()


@lru_cache(maxsize=256)
def _sets_group(key, file: str) -> bool:
    """The folder's workflow ``file`` sets a top-level ``concurrency:`` (only that file is read;
    a folder listing that changed is another key)."""
    from ..siblings import one

    sibling = one(key, file)
    return sibling is not None and _TOP_GROUP.search(sibling.text) is not None


def cancelled_events(events: List[str], cancel) -> List[str]:
    """The events among ``events`` whose superseded runs ``cancel-in-progress: cancel`` cancels:
    all for ``true``, none for ``false``, and for an expression those it compares
    ``github.event_name`` with (``== 'pull_request'`` names neither push nor pull_request_target)."""
    text = str(cancel).strip()
    if text.lower() in ("true", "${{ true }}"):
        return list(events)
    if text.lower() in ("false", "${{ false }}", ""):
        return []
    if "${{" not in text:
        return []
    named = [name for name in events if re.search(r"event_name\s*==\s*['\"]" + name + r"['\"]", text)]
    if named:
        return named
    excluded = re.findall(r"event_name\s*!=\s*['\"]([\w-]+)['\"]", text)
    if excluded and "||" not in text:
        return [name for name in events if name not in excluded]
    if "event_name" in text:
        return []  # another test of the event (startsWith...): assume it cancels none
    return list(events)  # an expression on something else (a ref, an input): assume it cancels


def _fix(wf: Workflow, ctx: Context) -> Optional[Fix]:
    group = ctx.options.get("group", DEFAULT_GROUP)
    cancel = ctx.options.get("cancel-in-progress", DEFAULT_CANCEL)
    others = sorted(name for name in wf.triggers if name not in GROUPABLE)
    if others and group == DEFAULT_GROUP:
        group = EVENT_GROUP  # never one group for every issue comment or dispatch
    value = {"group": group, "cancel-in-progress": cancel}
    root = wf.root
    blank = not root.flow_style and next_line_is_blank(wf.source, wf.on_value)
    edit = add_entry(wf.source, root, "concurrency", value, wf.style, after=wf.on_value, blank_before=blank)
    if edit is None:
        return None
    # Other events, or deploys on push: a replaced pending run could be one that mattered.
    # Scheduled and manual runs are common beside CI and each gets a group of its own.
    safe = not (set(others) - ISOLATED) and not deploys_on_push(wf)
    return Fix(
        title=f"Add `concurrency: {render_flow(value)}`",
        edits=(edit,),
        safety=Safety.SAFE if safe else Safety.UNSAFE,
    )


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The workflow gains `concurrency` with the configured group (per event run for events other
    than pushes and pull requests) and cancel-in-progress."""
    group = options["group"]
    if group == DEFAULT_GROUP and any(name not in GROUPABLE for name in wf.triggers):
        group = EVENT_GROUP  # other events: each of their runs in a group of its own
    data["concurrency"] = {"group": plain(group), "cancel-in-progress": plain(options["cancel-in-progress"])}


RULE = Rule(
    code="WFL001",
    slug="missing-concurrency",
    summary="Workflow triggered by pushes or pull requests has no concurrency group",
    check=check,
    intent=intent,
    fix=Safety.SAFE,
    options={"group": DEFAULT_GROUP, "cancel-in-progress": DEFAULT_CANCEL},
    options_schema={
        "group": {"type": "string", "minLength": 1},
        "cancel-in-progress": {"type": ["string", "boolean"]},
    },
    tags=("cost", "concurrency"),
)
