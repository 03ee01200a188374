"""duplicate-triggers: ``push`` on every branch plus ``pull_request``, so each PR commit runs twice."""

from __future__ import annotations

import re
from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..defaultbranch import infer as infer_default_branch
from ..workflow import Workflow
from ..triggeredit import add_to_trigger
from ..intent import Mismatch, event_config
from .base import Context, Rule

# `pull_request` activity types that fire on a new commit to the branch.
COMMIT_TYPES = {"synchronize", "opened", "reopened"}
EVERY_BRANCH = {"**", "*"}


def push_runs_on_every_branch(trigger, explicit: bool = True) -> bool:
    """True when ``push`` is not limited to some branches (tag-only pushes are limited).

    With ``explicit=False`` a written ``branches: ['**']`` counts as a deliberate choice (False).
    """
    if trigger.has_filter("branches-ignore"):
        return False
    branches = trigger.filter("branches")
    if branches is not None:
        if not explicit:
            return False
        patterns = [yn.scalar(item) for item in yn.items(branches)] or [yn.scalar(branches)]
        return any(p in EVERY_BRANCH for p in patterns if p)
    return not (trigger.has_filter("tags") or trigger.has_filter("tags-ignore"))


def _pr_runs_on_commits(trigger) -> bool:
    types = trigger.filter("types")
    if types is None:
        return True
    names = {yn.scalar(item) for item in yn.items(types)} or {yn.scalar(types)}
    return bool(names & COMMIT_TYPES)


def _jobs_split_by_event(wf: Workflow) -> bool:
    """Every job says which event (or which pull requests) it runs for: the runs do not repeat each other.

    ``github.event.pull_request.head.repo.full_name != github.repository`` is the usual way
    to run pull requests from forks only, next to pushes.
    """
    runnable = [job for job in wf.jobs if yn.is_map(job.node)]
    if not runnable:
        return True
    return all(re.search(r"event_name|head\.repo", yn.scalar(job.get("if")) or "") for job in runnable)


def branch_for(wf: Workflow, ctx: Context):
    """(the default branch, how it is known) or (None, why it is not): never a guess."""
    return infer_default_branch(ctx.options.get("default-branch"), ctx.repo_root, wf.text, wf.path)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    push = wf.triggers.get("push")
    pr = wf.triggers.get("pull_request")
    if push is None or pr is None or not push_runs_on_every_branch(push, explicit=False) or not _pr_runs_on_commits(pr):
        return
    if _jobs_split_by_event(wf):
        return
    branch, how = branch_for(wf, ctx)
    edits = add_to_trigger(wf, "push", "branches", [branch]) if branch else None
    fix = Fix(f"Run `push` only for branch `{branch}`", tuple(edits), Safety.UNSAFE) if edits else None
    unknown = "" if branch else f" No automatic fix: {how}."
    yield Finding(
        span=yn.span(push.key),
        message=(
            "`push` runs on every branch and `pull_request` is also set, so every commit to a "
            "pull-request branch starts two full runs. Limit `push` to the default branch."
            + unknown
        ),
        fix=fix,
    )


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """`push` gains a `branches` filter of one branch."""
    try:
        branches = fixed["on"]["push"]["branches"]
    except (KeyError, TypeError):
        raise Mismatch("`push` has no `branches` after the fix") from None
    if not (isinstance(branches, list) and len(branches) == 1 and branches[0]):
        raise Mismatch(f"push branches became {branches!r}: one branch expected")
    event_config(data, wf, finding)["branches"] = branches


RULE = Rule(
    code="WFL006",
    slug="duplicate-triggers",
    summary="push on every branch plus pull_request runs each pull-request commit twice",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"default-branch": None},
    options_schema={"default-branch": {"type": ["string", "null"], "minLength": 1}},
    tags=("cost", "triggers"),
)
