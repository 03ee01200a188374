"""duplicate-triggers: ``push`` on every branch plus ``pull_request``, so each PR commit runs twice."""

from __future__ import annotations

import re
from typing import Iterator, List, Optional, Sequence

from .. import yamlnode as yn
from ..finding import Edit, Finding, Fix, Safety
from ..stake import stake
from ..defaultbranch import infer as infer_default_branch, sibling_branches
from ..intent import Mismatch, event_config
from ..workflow import Workflow
from ..triggeredit import add_to_trigger
from ..yamledit import add_entry, content_end, render_flow, set_null_value
from .base import Context, Rule
from .tag_push_ignores_paths import _tag_runs_intended as tag_runs_intended

# `pull_request` activity types that fire on a new commit to the branch.
COMMIT_TYPES = {"synchronize", "opened", "reopened"}
EVERY_BRANCH = {"**", "*"}
# A job condition that tells pushes from pull requests, or runs pull requests from forks only.
SPLIT = r"event_name\s*[!=]=\s*['\"](?:push|pull_request)['\"]|head\.repo"



def push_runs_on_every_branch(trigger, explicit: bool = True) -> bool:
    """True when ``push`` is not limited to some branches (tag-only pushes are limited).

    ``branches: ['**']`` (or ``'*'``, negations beside them included) is every branch too.
    With ``explicit=False`` such a written list counts as a deliberate choice (False).
    """
    if trigger.has_filter("branches-ignore"):
        return False
    branches = trigger.filter("branches")
    if branches is not None:
        return explicit and any(p in EVERY_BRANCH for p in yn.strings(branches))
    return not (trigger.has_filter("tags") or trigger.has_filter("tags-ignore"))


def _push_names_skipped_branches(push) -> bool:
    """``branches: ['**', '!dependabot/**']``: every branch but the ones named, which is
    ``branches-ignore: ['dependabot/**']`` spelt another way, and judged the same way: the
    author chose the branches ``push`` leaves out (usually the bot branches, the only
    pull-request branches of a project that works from forks)."""
    return any(p.startswith("!") for p in yn.strings(push.filter("branches")))


def _works_from_forks(push, pr) -> bool:
    """``pull_request`` is limited to parts of the tree (``paths``) and ``push`` (on every branch) is not.

    On a branch of the repository itself the push runs every commit anyway, so the pull
    requests' ``paths`` only ever spare runs of pull requests from forks: the workflow is set
    up for a project whose pull requests come from forks, where the upstream repository has
    next to no pull-request branches (nothing is run twice there) and the push on every path
    is what runs CI in contributors' forks.  (``paths-ignore`` is no such sign: it is the
    usual docs-only filter, which wflint's own missing-path-filters fix writes.)
    """
    return pr.has_filter("paths") and not push.has_filter("paths")


def _pr_runs_on_commits(trigger) -> bool:
    types = trigger.filter("types")
    if types is None:
        return True
    return bool(set(yn.strings(types)) & COMMIT_TYPES)


def _jobs_run_twice(wf: Workflow) -> List[str]:
    """The jobs that run for both events: those that do not say which event (or which pull
    requests) they run for.  None left: the runs do not repeat each other.

    ``github.event.pull_request.head.repo.full_name != github.repository`` is the usual way
    to run pull requests from forks only, next to pushes.
    """
    runnable = [job for job in wf.jobs if yn.is_map(job.node)]
    # A job that needs a split job is skipped with it (unless it runs always()).
    split = set()
    while True:
        more = {
            job.id
            for job in runnable
            if job.id not in split
            and (
                re.search(SPLIT, yn.scalar(job.get("if")) or "")
                or (set(yn.strings(job.get("needs"))) & split and "always()" not in (yn.scalar(job.get("if")) or ""))
            )
        }
        if not more:
            return [job.id for job in runnable if job.id not in split]
        split |= more


def branch_for(wf: Workflow, ctx: Context):
    """(the default branch, how it is known) or (None, why it is not): never a guess."""
    return infer_default_branch(ctx.options.get("default-branch"), ctx.repo_root, wf.text, wf.path)


def needs_default_branch(wf: Workflow) -> bool:
    """Whether the fix must name the default branch: the pull requests name no target branches."""
    targets = [p for p in yn.strings(wf.triggers["pull_request"].filter("branches")) if not p.startswith("!")]
    return not targets or any(p in EVERY_BRANCH for p in targets)


def push_branches(wf: Workflow, branch: Optional[str], also: Sequence[str] = ()) -> Optional[List[str]]:
    """The branches ``push`` keeps: what it named besides ``**``, the branches pull requests
    are merged into (the `pull_request` ``branches`` filter: main, release/**...), else ``branch``
    (None when that is needed and not known), the branches the jobs test the ref against, then
    ``also`` (the long-lived branches the other workflows name)."""
    push, pr = wf.triggers["push"], wf.triggers["pull_request"]
    written = [p for p in yn.strings(push.filter("branches")) if p not in EVERY_BRANCH]
    targets = [p for p in yn.strings(pr.filter("branches")) if not p.startswith("!")]
    if not targets or any(p in EVERY_BRANCH for p in targets):
        if not branch:
            return None
        targets = [branch]
    kept = [p for p in written if not p.startswith("!")]
    for pattern in targets + named_branches(wf) + list(also):
        if pattern not in kept:
            kept.append(pattern)
    return kept + [p for p in written if p.startswith("!")]


# `refs/heads/stable`, `startsWith(github.ref, 'refs/heads/release/')`, `github.ref_name == 'stable'`.
_REF_HEADS = re.compile(r"refs/heads/([A-Za-z0-9._/-]+)(\*?)")
_REF_NAME = re.compile(r"github\.ref_name\s*==\s*['\"]([A-Za-z0-9._/-]+)['\"]|['\"]([A-Za-z0-9._/-]+)['\"]\s*==\s*github\.ref_name")


def named_branches(wf: Workflow) -> List[str]:
    """The branches the workflow tests the pushed ref against (a deploy on ``refs/heads/stable``,
    a step for ``release/`` branches): their pushes do something no pull request run does, so
    the fix keeps them running."""
    found: List[str] = []
    for match in _REF_HEADS.finditer(wf.text):
        name, star = match.groups()
        pattern = name + "**" if star or name.endswith("/") else name
        if pattern not in found:
            found.append(pattern)
    for match in _REF_NAME.finditer(wf.text):
        name = match.group(1) or match.group(2)
        if name not in found:
            found.append(name)
    return found


def _fix(wf: Workflow, branch: Optional[str], also: Sequence[str]) -> Optional[Fix]:
    push = wf.triggers["push"]
    branches = push_branches(wf, branch, also)
    if branches is None:
        return None
    node = push.filter("branches")
    shown = ", ".join(f"`{b}`" for b in branches)
    if node is not None:  # `branches: ['**']`: write the list without the wildcard
        if id(node) in wf.shared:
            return None
        start, end = node.start_mark.index, content_end(wf.source, node)
        if not yn.is_scalar(node) and not node.flow_style:
            key = next(k for k, v in push.config.value if v is node)
            start = key.end_mark.index
            colon = wf.text.index(":", start)
            start = colon + 1
        if "#" in wf.text[start:end] or "&" in wf.text[start:end]:
            return None  # comments or anchors inside the list: not rewritten
        content = render_flow(branches)
        if wf.text[start - 1] == ":":
            content = " " + content
        return Fix(f"Run `push` only for {shown}", (Edit(start, end, content),), Safety.UNSAFE)
    # No `branches` filter (and no `tags` filter, or push would be limited to tags): the push
    # covered every branch and every tag.
    entries = {"branches": branches, "tags": ["**"]} if keeps_tags(wf) else {"branches": branches}
    if wf.on_form in ("scalar", "list"):
        edits = add_to_trigger(wf, "push", "branches", branches, also={"push": dict(entries)})
    elif wf.on_form == "map" and yn.is_map(push.config):
        edits = _add_both(wf, push, entries)
    elif wf.on_form == "map" and add_to_trigger(wf, "push", "branches", branches):  # a null `push:` that can be edited
        edits = set_null_value(wf.source, push.key, push.config, entries, wf.style, flow=bool(wf.on_value.flow_style))
    else:
        edits = None
    if not edits:
        return None
    tags = " (and tags, as before)" if "tags" in entries else " (no longer for tags, whose runs ignored the path filter)"
    return Fix(f"Run `push` only for {shown}{tags}", tuple(edits), Safety.UNSAFE)


def keeps_tags(wf: Workflow) -> bool:
    """Whether the fix of an unfiltered push keeps its tag runs: always, but where the push
    has a path filter and nothing says tag runs are the point (no job tests for a tag, no
    release name, no comment about tags). There every tag ran the whole workflow whatever it
    changed, since path filters are not evaluated for tags: the waste tag-push-ignores-paths
    reports, which a fix must not write out as `tags: ['**']`."""
    push = wf.triggers["push"]
    return not (push.has_filter("paths") or push.has_filter("paths-ignore")) or tag_runs_intended(wf)


def _add_both(wf: Workflow, push, entries: dict) -> Optional[List[Edit]]:
    """Both entries added at the end of ``push``'s mapping, as one insertion."""
    if id(push.config) in wf.shared:
        return None
    edits = [add_entry(wf.source, push.config, key, value, wf.style) for key, value in entries.items()]
    if any(e is None or e.start != e.end or e.start != edits[0].start for e in edits):
        return None
    return [Edit(edits[0].start, edits[0].end, "".join(e.content for e in edits))]


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    push = wf.triggers.get("push")
    pr = wf.triggers.get("pull_request")
    if push is None or pr is None or not push_runs_on_every_branch(push) or not _pr_runs_on_commits(pr):
        return
    if _push_names_skipped_branches(push) or _works_from_forks(push, pr):
        return
    twice = _jobs_run_twice(wf)
    if not twice:
        return
    branch, how = branch_for(wf, ctx) if needs_default_branch(wf) else (None, "")
    unknown = f" No automatic fix: {how}." if needs_default_branch(wf) and not branch else ""
    yield Finding(
        span=yn.span(push.key),
        message=(
            "`push` runs on every branch and `pull_request` is also set, so every commit to a "
            "pull-request branch starts two full runs. Limit `push` to the branches pull requests merge into."
            + unknown
        ),
        fix=_fix(wf, branch, sibling_branches(wf.path, ctx.repo_root)),
        # the push runs of the jobs that also run for the pull request: their size and path
        # filters are the cost model's to weigh (a one-minute lint job is not worth a finding)
        properties={"stake": stake("duplicate", jobs=twice, events=["push"])},
    )


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """`push` names the branches it kept (and the pull requests' targets, or the default branch);
    the tags an unfiltered push covered stay covered (see :func:`keeps_tags`)."""
    try:
        branches = fixed["on"]["push"]["branches"]
    except (KeyError, TypeError):
        raise Mismatch("`push` has no `branches` after the fix") from None
    if not (isinstance(branches, list) and branches and all(branches)) or set(branches) & EVERY_BRANCH:
        raise Mismatch(f"push branches became {branches!r}: named branches expected")
    if any(not isinstance(b, str) or b.startswith("!") for b in branches) or not any(
        branches[: len(required)] == required
        for required in (push_branches(wf, candidate) for candidate in branches)
        if required
    ):
        raise Mismatch(f"push branches became {branches!r}: the written branches and the pull requests' targets expected")
    config = event_config(data, wf, finding)
    if "branches" not in config and keeps_tags(wf):
        config["tags"] = ["**"]  # the push covered every tag: it still does
    config["branches"] = branches


RULE = Rule(
    code="WFL006",
    slug="duplicate-triggers",
    summary="push on every branch plus pull_request runs each pull-request commit twice",
    with_history=True,  # duplicate minutes come from real runs
    default=False,  # projects that take pull requests from forks see no duplicates; a third of the seed-22 review's shown findings were such projects
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"default-branch": None},
    options_schema={"default-branch": {"type": ["string", "null"], "minLength": 1}},
    tags=("cost", "triggers"),
)
