"""checkout-full-history (opt-in): ``fetch-depth: 0`` in a job that shows no use of history."""

from __future__ import annotations

import re
from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Workflow
from .base import Context, Rule

# Commands and tools in `run:` that read history or tags.
HISTORY_COMMANDS = re.compile(
    r"\bgit\s+(-C\s+\S+\s+)?(log|describe|tag|diff|rev-list|merge-base|blame|shortlog|rev-parse|checkout|"
    r"switch|merge|rebase|cherry-pick|push|show|fetch|branch|format-patch|reset|for-each-ref|cliff|subtree|"
    r"name-rev|commit|pull|worktree)\b|"
    r"setuptools[_-]scm|versioneer|hatch|poetry[- ]dynamic|semantic-release|changeset|gitversion|goreleaser|"
    r"commitlint|lerna|nx affected|turbo|git-cliff|towncrier|mkdocs|docusaurus|sphinx|jreleaser|release-it|"
    r"standard-version|conventional-changelog|cz bump|bump-my-version|dunamai|nbgv|minver|git-chglog|"
    r"gh-pages|ghp-import|codecov|sonar|trufflehog|gitleaks|pre-commit|HEAD[~^]|\.\.\.|\$\{\{\s*github\.event\.before|"
    # Build and task runners and the repository's own scripts may read history out of sight
    # (versions from `git describe`, changelogs, last-modified dates): assume they do.
    r"origin/|diff-against|\brelease|\bscript/|cargo[- ]workspaces|"
    r"\bmake\b|\btox\b|\bnox\b|gulp|\bmike\b|\bct\b|covector|committed|\bmatrix\.|"
    r"(^|\s)\.{0,2}/?[\w./-]+\.(sh|py|js|mjs|ts|rb|pl|ps1)\b|\b(uv tool install|pip install)[^\n]*\s\.(\s|$|\[)",
    re.IGNORECASE,
)
# Actions that read history or tags.
HISTORY_ACTIONS = re.compile(
    r"goreleaser|gittools|semantic|changeset|github-tag|tag-action|version|changed-files|paths-filter|"
    r"super-linter|sonar|trufflehog|gitleaks|commitlint|changelog|cliff|chart-releaser|chart-testing|nbgv|release|"
    r"covector|committed|mirror|rebase|diff",
    re.IGNORECASE,
)


def _uses_history(job) -> bool:
    for step in job.steps:
        run = yn.scalar(step.get("run")) or ""
        if HISTORY_COMMANDS.search(run):
            return True
        action = step.action or ""
        if step.uses and (step.uses.startswith("./") or HISTORY_ACTIONS.search(action)) and step.action != "actions/checkout":
            return True
    return False


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    for job in wf.jobs:
        for step in job.steps:
            if step.action != "actions/checkout":
                continue
            depth = step.with_("fetch-depth")
            if yn.scalar(depth) != "0":
                continue
            if _uses_history(job):
                break
            if step.get("with") is not None and (step.with_("ref") is not None or step.with_("repository") is not None):
                break  # another repository or ref: its history may be the point
            yield Finding(
                span=yn.span(depth),
                message=(
                    f"`fetch-depth: 0` in job `{job.id}` downloads the whole history, but no step of the job shows "
                    "a use of it (git log, tags, diffs, versioning from tags). The default depth of 1 is faster."
                ),
                # about 15 seconds of clone per job run (rules/checkout-full-history.md)
                properties={"stake": stake("share", jobs=[job.id], minutes_per_run=0.25)},
            )


RULE = Rule(
    code="WFL016",
    slug="checkout-full-history",
    summary="fetch-depth: 0 in a job whose steps show no use of the git history",
    check=check,
    default=False,
    tags=("cost", "checkout"),
    precision="low",
)
