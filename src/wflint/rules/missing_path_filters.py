"""missing-path-filters: push / pull_request runs on every change, docs-only ones included."""

from __future__ import annotations

import os
import re
from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..stake import stake
from ..workflow import Workflow
from ..triggeredit import add_to_trigger
from ..intent import event_config, plain
from .base import Context, Rule

EVENTS = ("push", "pull_request")
DEFAULT_PATHS_IGNORE = ["**.md", "docs/**"]
# Workflows whose file name or `name:` says they are about documentation (or that
# must run whatever changed) are left alone: ignoring docs there would break them.
EXEMPT_WORDS = frozenset(
    "doc docs documentation pages site website mkdocs sphinx markdown md spell spelling spellcheck "
    "typo typos link links linkcheck lychee readme changelog label labels labeler stale greet greetings "
    "welcome release releases rebase autorebase conflict conflicts conflicted".split()
)
# Steps that check or build documentation: ignoring docs changes would skip exactly them.
DOC_COMMANDS = re.compile(
    r"\b(?:mkdocs|sphinx-build|sphinx|make (?:-C \S+ )?(?:docs?|html|linkcheck|spelling)|mix docs|ex_doc|"
    r"markdownlint(?:-cli2?)?|mdl|remark|codespell|typos|vale|lychee|markdown-link-check|linkcheck|"
    r"cargo doc|rustdoc|doxygen|typedoc|jsdoc|pdoc|docusaurus|jekyll|antora|"
    r"(?:npm|yarn|pnpm) (?:run )?(?:docs?|build:docs|docs:build)|tox -e docs?|nox -s docs?|prettier|"
    r"pkgdown|roxygen\w*|pre-commit run|prek run)\b"
    r"|\*\.mdx?\b",  # a glob over Markdown files: `'**/*.md'`
    re.IGNORECASE,
)
DOC_ACTIONS = re.compile(
    r"markdownlint|codespell|typos|vale|lychee|link-check|linkcheck|spell|mkdocs|sphinx|prettier|autofix-ci|pkgdown|"
    r"pre-commit|mdbook|docs?\b|pages",
    re.IGNORECASE,
)
# Words that say a step, a job, a build target (`make docs-lint`, `node Makefile lintDocsJS`,
# `npm run lint:docs`, `pytest --doctest-glob`) or a tool installed by a generic installer
# (`tool: lychee`, `cargo install mdbook`) checks or builds documentation; compared as whole
# words, camelCase split.
DOC_WORDS = frozenset(
    "doc docs documentation markdown mdbook mdx guide guides doctest doctests "
    "linkcheck linkchecker lychee htmlproofer linkinator mkdocs sphinx docusaurus vitepress".split()
)
# Words that say it too in a step's or a job's name, but name other things in commands
# (`cp README.md dist/`, `gh repo create --add-readme`).
NAME_WORDS = DOC_WORDS | frozenset("readme readmes website spelling spellcheck book".split())
# A step named for checking links (`Check links`, `Verify broken URLs`), not one that makes them.
LINK_CHECK_NAME = re.compile(r"\b(?:check|test|verify|validat|lint)\w*\b(?:\W+\w+){0,3}?\W+(?:links|urls)\b", re.IGNORECASE)
# What does not check docs although it names them: `--no-docs`, `--exclude docs`, `SKIP_DOCS`,
# `docs=false`, comments and addresses; doc tests, doc comments and API docs of code files
# (`--doctest-modules`, `cargo test --doc`, docblocks, docstrings, "Build API docs"), which a
# change to Markdown or to `docs/` cannot fail.
NOT_DOCS = re.compile(
    r"(?m)(?:^|\s)(?:#|//)[^\n]*|\S+://\S+|--doctest-modules|\bcargo\b[^\n;&|]*?\s--doc\b|"
    r"\bdoc[-_ ]?(?:blocks?|strings?|comments?)\b|\b(?:open)?api[-_ ]?(?:docs?|documentation)\b|"
    r"--?(?:no-|skip|without|ignore|exclude|disable)[\w.-]*(?:[= ]+(?!-)[^\s;&|]+)?|"
    r"\b(?:\w+_)?(?:skip|no|without|disable)_\w+|\b[\w.-]*docs?[\w.-]*\s*[=:]\s*['\"]?(?:false|0|no|off|skip)\b|"
    r"\b(?:no|skip|skipping|without|except|excluding|ignore|ignoring)\b[\s:-]+[\w./*-]+",
    re.IGNORECASE,
)
# Workflows that sync, split or mirror directories to other repositories: README changes must reach them.
SYNC_ACTIONS = re.compile(
    r"subtree|splitsh|split-?repo|mirror-action|git-mirror|repo(?:sitory)?-mirror|push-to-another-repo|"
    r"(?:branch|repo|file|folder|directory)-sync|sync-(?:repo|branch|files?|folders?|directory)",
    re.IGNORECASE,
)
SYNC_COMMANDS = re.compile(r"\bgit subtree (?:split|push)\b|\bsplitsh|\bgit push\b[^\n]*--mirror\b", re.IGNORECASE)
# Checks of the pull request or its commits, not of the files: every pull request needs them.
META_CHECKS = re.compile(
    r"commitlint|semantic-pull-request|conventional-?commits?|\bdco\b|signed-off-by|commit[-_ ]message|pr[-_ ]title|"
    r"pr[-_ ]description|pull_request\.body|"
    r"pull_request\._links\.commits|verification\.verified",
    re.IGNORECASE,
)
DOC_JOBS = re.compile(r"(?:^|[^a-z])(?:docs?|documentation|mkdocs|sphinx|pkgdown|spell\w*|links?|markdown)(?:[^a-z]|$)", re.IGNORECASE)
# A job that already works out what changed: the workflow skips docs-only work its own way.
CHANGE_ACTIONS = re.compile(
    r"paths-filter|changed-files|get-diff-action|has-changed-path|skip-duplicate-actions|changed-paths|"
    r"file-changes|files-changed|diff-action|path-filter|\bchanges\b",
    re.IGNORECASE,
)
CHANGE_COMMANDS = re.compile(
    r"git diff[^\n|;&]*--name-(?:only|status)|git diff-tree|docs?[_-]only|code[_-]changed|\bct list-changed\b|"
    r"\[(?:docs? ?only|skip[ -]docs?|docs?[ -]skip)\]|"
    r"needs\.[\w-]*(?:change|filter|diff|detect)[\w-]*\.outputs",
    re.IGNORECASE,
)
# Actions that act on the pull request or the repository, not on its files.
BOT_ACTIONS = re.compile(
    r"label|notify|slack|discord|telegram|mail|comment|checklist|automerge|auto-merge|merge-conflict|backport|"
    r"age-gate|github-script|stale|assign|welcome|greet|contributor|\bcla\b|harden-runner",
    re.IGNORECASE,
)
# Branches that bots push to: nobody edits docs there.
BOT_BRANCHES = re.compile(r"^(?:dependabot|renovate|gh-pages|gh-readonly-queue|pre-commit-ci|l10n|crowdin|weblate|all-contributors)\b")
# Bots that rebase or label conflicting pull requests after every push: a docs-only merge conflicts too.
REBASE_BOTS = re.compile(r"rebase|merge-?conflict|conflict(?:ing|s)?-?(?:label|pr)|gh pr update-branch", re.IGNORECASE)
WILDCARDS = {"*", "**"}
# Names a project's main line goes by: a branch pattern matching none of them (`'**/*kit*'`,
# `'[0-9].[0-9]'`) or naming release or maintenance branches (`release/**`, `stable`) only sees
# deliberate, rare pushes and pull requests, not docs-only edits.
MAIN_LINES = ("main", "master", "develop", "development", "dev", "trunk", "default", "next", "unstable", "mainline")
RELEASE_LINE = re.compile(r"^(?:release|releases|rel|stable|maint|maintenance|hotfix|hotfixes|backport|backports|lts|support)(?:[-_/.*][\w.*/-]*)?$",
                          re.IGNORECASE)
COMMIT_TYPES = {"opened", "synchronize", "reopened"}


def _exempt(wf: Workflow) -> bool:
    name = yn.scalar(wf.get("name")) or ""
    stem = os.path.splitext(os.path.basename(wf.path))[0]
    words = re.split(r"[^a-z0-9]+", f"{stem} {name}".lower())
    return any(word in EXEMPT_WORDS for word in words)


def _steps(wf: Workflow):
    for job in wf.jobs:
        for step in job.steps:
            yield job, step


def _words(text: str) -> set:
    """The whole words of ``text``, lower-cased, camelCase split (``lintDocsJS``: lint, docs, js),
    leaving out what names docs without checking them (``--no-docs``, comments, addresses)."""
    text = NOT_DOCS.sub(" ", text)
    return {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+", text)}


def _with_values(step) -> str:
    """The step's inputs, except those that list what to leave out (``exclude``, ``paths-ignore``)."""
    return " ".join(
        yn.scalar(value) or ""
        for key, value in yn.entries(step.get("with"))
        if not re.search(r"ignore|exclude|skip", yn.scalar(key) or "", re.IGNORECASE)
    )


def _step_checks_docs(step) -> bool:
    action = step.action or ""
    run = yn.scalar(step.get("run")) or ""
    if (action and DOC_ACTIONS.search(action)) or DOC_COMMANDS.search(NOT_DOCS.sub(" ", run)):
        return True
    name = yn.scalar(step.get("name")) or ""
    if _words(name) & NAME_WORDS or LINK_CHECK_NAME.search(name):
        return True
    # paths a command reads or writes (`cd doc`, `git add docs/`, `go run docs/x.go`) say
    # nothing of what it checks; a step working in `docs/` works on the docs
    command = NOT_DOCS.sub(" ", f"{run}\n{_with_values(step)}")
    command = re.sub(r"\b(?:cd|pushd)\s+\S+|[^\s'\"]*/[^\s'\"]*", " ", command)
    return bool(_words(f"{command}\n{yn.scalar(step.get('working-directory')) or ''}") & DOC_WORDS)


def checks_docs(wf: Workflow) -> bool:
    """Some job builds, lints, tests or spell-checks documentation: a job, a step, a build
    target or an installed tool says so."""
    for job in wf.jobs:
        name = f"{job.id} {yn.scalar(job.get('name')) or ''}"
        if DOC_JOBS.search(name) or _words(name) & NAME_WORDS:
            return True
        # a matrix entry such as `toxenv: docs` or `session: docs`
        if any(re.fullmatch(r"docs?|documentation", yn.scalar(node) or "") for node in yn.walk(job.get("strategy"))):
            return True
    return any(_step_checks_docs(step) for _job, step in _steps(wf))


def syncs_files(wf: Workflow) -> bool:
    """A step splits, mirrors or syncs directories to other repositories (``git subtree split``,
    splitsh, a mirror action): every change, READMEs included, must reach them."""
    for _job, step in _steps(wf):
        if SYNC_ACTIONS.search(step.action or "") or SYNC_COMMANDS.search(yn.scalar(step.get("run")) or ""):
            return True
    return False


def detects_changes(wf: Workflow) -> bool:
    """A job works out which files changed (paths-filter, changed-files, ``git diff --name-only``)."""
    for _job, step in _steps(wf):
        if CHANGE_ACTIONS.search(step.action or "") or CHANGE_COMMANDS.search(yn.scalar(step.get("run")) or ""):
            return True
    return any(CHANGE_COMMANDS.search(yn.scalar(job.get("if")) or "") for job in wf.jobs)


# A comment that says another system waits for these checks by name: a skipped run would block it.
REQUIRED_COMMENT = re.compile(
    r"branch[- ]protection|required[- ](?:status[- ])?checks?|status[- ]checks?|"
    r"gate[- ]?keep(?:er|ers|ing)?\b(?!\W+quarantin)|presubmit[- ]naming|naming[- ]check|check[- ]names?\b|"
    r"merge[- ]queue|required\b[^\n]{0,20}\b(?:to|for|before)\s+merg\w*",
    re.IGNORECASE,
)
# A step that only reports or checks what the needed jobs did: `echo`, `exit 1`, `test`, `true`.
TRIVIAL_RUN = re.compile(r"^(?:\s*(?:echo|printf|exit|true|false|test|\[\[?|if|then|else|elif|fi|\]\]?|done|for|\}|#)\b[^\n]*|\s*)$")


def _needs(job) -> list:
    return [n.strip() for n in yn.strings(job.get("needs")) if n.strip()]


def _only_checks_results(job) -> bool:
    """No steps, or steps that check out, echo or exit: the job reports on its needs and does nothing else."""
    if job.calls_reusable_workflow:
        return False
    for step in job.steps:
        run = yn.scalar(step.get("run"))
        if run is not None:
            if "needs." in run:
                continue
            if not all(TRIVIAL_RUN.match(line) for line in run.splitlines()):
                return False
        elif not re.match(r"actions/checkout\b", step.action or ""):
            return False
    return True


def _gatekeeper(wf: Workflow, job) -> bool:
    """A final job (no other job needs it) that needs several others and only checks their results:
    the one check branch protection points at, with or without ``if: always()``."""
    needs = _needs(job)
    if len(needs) < 2 or any(job.id in _needs(other) for other in wf.jobs):
        return False
    return _only_checks_results(job)


# A pull-request label test that lets a job run (`contains(github.event.pull_request.labels.*.name, 'ci')`),
# a commit-message test about docs (`contains(github.event.head_commit.message, '[skip docs]')`).
LABEL_TEST = re.compile(r"(?<!!)\bcontains\(\s*(?:fromJSON\()?[^,]*labels[^,]*,", re.IGNORECASE)
MESSAGE_TEST = re.compile(
    r"contains\(\s*[^,]*(?:head_commit\.message|commits\[\d+\]\.message|commit[-_]?message)[^,]*,\s*'[^']*docs?\b[^']*'",
    re.IGNORECASE,
)
GATE_NAME = re.compile(r"labels?|commit[-_]?message|skip[-_]?(?:check|tag)", re.IGNORECASE)


def _condition(node) -> str:
    return (yn.scalar(node) or "").replace('"', "'")


def _gate_job(job) -> bool:
    """A small job that reads the pull request's labels or the commit message, for others to decide on."""
    if GATE_NAME.search(f"{job.id} {yn.scalar(job.get('name')) or ''} {yn.scalar(job.get('uses')) or ''}"):
        return True
    if len(job.steps) > 3:
        return False
    texts = [_condition(step.get("if")) + " " + (yn.scalar(step.get("run")) or "") for step in job.steps]
    return any(LABEL_TEST.search(t) or MESSAGE_TEST.search(t) or "head_commit.message" in t for t in texts)


def gated_by_request(wf: Workflow) -> bool:
    """Every job that does the work runs only when a pull-request label asks for it or a commit
    message does not skip docs (directly, or through a small job reading labels or the message):
    the workflow already decides what runs."""
    gates = {job.id for job in wf.jobs if _gate_job(job)}
    gated = set()
    for job in wf.jobs:
        condition = _condition(job.get("if"))
        if LABEL_TEST.search(condition) or MESSAGE_TEST.search(condition) or any(
            re.search(rf"needs\.{re.escape(g)}\.outputs", condition) for g in gates
        ):
            gated.add(job.id)
    if not gated:
        return False
    changed = True
    while changed:  # a job needing a gated one is skipped with it (unless it runs always())
        changed = False
        for job in wf.jobs:
            if job.id not in gated and set(_needs(job)) & gated and "always()" not in _condition(job.get("if")):
                gated.add(job.id)
                changed = True
    rest = [job for job in wf.jobs if job.id not in gates | gated]
    return all(re.search(r"event_name\s*==", _condition(job.get("if"))) for job in rest)


def has_required_check(wf: Workflow) -> bool:
    """A required-check aggregator or a comment about branch protection, presubmit check names or a
    gatekeeper: a skipped run would leave the check pending and block merging."""
    for job in wf.jobs:
        if any("alls-green" in (step.action or "") for step in job.steps):
            return True
        if job.get("needs") is None:
            continue
        condition = re.sub(r"\$\{\{|\}\}|\s", "", yn.scalar(job.get("if")) or "")
        if condition in ("always()", "!cancelled()", "always()&&!cancelled()"):
            return True  # runs whatever its needs did: the one check branch protection points at
        if any("needs.*.result" in (yn.scalar(step.get("if")) or "") + (yn.scalar(step.get("run")) or "") for step in job.steps):
            return True
        if _gatekeeper(wf, job):
            return True
    comments = "\n".join(line for line in re.findall(r"#[^\n]*", wf.text))
    return REQUIRED_COMMENT.search(comments) is not None


# A step that regenerates a README or docs (`npm run readme`, `generate-docs`, `action-docs`,
# `docs:generate`), and one that then fails when the tree changed (`git diff --exit-code`).
GENERATES_DOCS = re.compile(
    r"readme|gen(?:erate)?[-_:]?docs?\b|docs?[-_:]?gen(?:erate)?\b|action-docs|terraform-docs|helm-docs|auto-?doc|gomarkdoc",
    re.IGNORECASE,
)
DIRTY_TREE = re.compile(
    r"git diff\b[^\n|;&]*--(?:exit-code|quiet)|git diff-index\b[^\n]*--quiet|git status\b[^\n]*--porcelain|"
    r"(?:no|un)[-_ ]?(?:staged|committed)[-_ ]changes|unstaged|uncommitted|dirty[-_ ]tree|clean[-_ ]tree",
    re.IGNORECASE,
)


def _step_words(step) -> str:
    return f"{step.action or ''} {yn.scalar(step.get('name')) or ''} {NOT_DOCS.sub(' ', yn.scalar(step.get('run')) or '')}"


def checks_generated_docs(wf: Workflow) -> bool:
    """A job regenerates a README or docs, then fails on a dirty tree: it checks that the docs
    match their source, so ignoring ``**.md`` skips exactly that check.  In the repository of
    an action (a step runs ``uses: ./``) a build followed by a dirty-tree check counts too: action
    READMEs are commonly generated from ``action.yml`` during the build."""
    own_action = any((step.uses or "").strip() in ("./", ".") for _job, step in _steps(wf))
    for job in wf.jobs:
        generated = False
        for step in job.steps:
            words = _step_words(step)
            if generated and DIRTY_TREE.search(words):
                return True
            if GENERATES_DOCS.search(words) or (own_action and re.search(r"\bbuild\b", words)):
                generated = True
            if DIRTY_TREE.search(words) and GENERATES_DOCS.search(words):
                return True  # one step does both: `make readme && git diff --exit-code`
    return False


def rebases_pull_requests(wf: Workflow) -> bool:
    """A step rebases or labels conflicting pull requests (``peter-evans/rebase``, a merge-conflict
    labeller, ``gh pr update-branch``): it must run after every push, docs-only ones included."""
    return any(REBASE_BOTS.search(step.action or "") or re.search(r"gh pr update-branch", yn.scalar(step.get("run")) or "")
               for _job, step in _steps(wf))


def _step_text(step) -> str:
    return f"{step.uses or ''} {yn.scalar(step.get('run')) or ''}"


def reads_no_files(wf: Workflow) -> bool:
    """Every step of every job is a bot action (labels, comments, notifications, merges: no
    ``run:``, no checkout, no local action, no reusable workflow): what changed in the files
    cannot matter to it.  Actions that analyse code (fuzzers, scanners) check out on their own."""
    for job in wf.jobs:
        if job.calls_reusable_workflow or not job.steps:
            return False
        if not all(BOT_ACTIONS.search(step.action or "") for step in job.steps):
            return False
    return bool(wf.jobs)


def checks_pull_request(wf: Workflow) -> bool:
    """A job checks commit messages, signatures or the pull request's title: docs-only pull requests need it too."""
    return any(META_CHECKS.search(_step_text(step)) for _job, step in _steps(wf))


def _disjuncts(condition: str) -> list:
    """The parts of ``condition`` joined by a top-level ``||``."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(condition):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and condition.startswith("||", i):
            parts.append(condition[start:i])
            start = i + 2
    return parts + [condition[start:]]


def _jobs_skip(wf: Workflow, event: str) -> bool:
    """Every job's ``if:`` leaves out ``event`` (``github.event_name != 'pull_request' || ...``): each
    of its ``||`` branches rules the event out or lets it through only when asked (a label, a
    message saying so); ``event_name != 'pull_request' || !contains(body, '[skip ci]')`` does not."""
    pattern = re.compile(rf"event_name\s*!=\s*'{event}'")

    def skips(condition: str) -> bool:
        return bool(pattern.search(condition)) and all(
            pattern.search(part) or (re.search(r"(?<!!)\bcontains\(", part) and not re.search(r"!\s*contains\(", part))
            for part in _disjuncts(re.sub(r"\$\{\{|\}\}", "", condition))
        )

    conditions = [(yn.scalar(job.get("if")) or "").replace('"', "'") for job in wf.jobs]
    return bool(conditions) and all(skips(c) for c in conditions)


def _limited_branches(trigger) -> bool:
    """``branches`` names some branches (main, release/**), not every one."""
    patterns = yn.strings(trigger.filter("branches"))
    return bool(patterns) and not any(p in WILDCARDS for p in patterns)


def _glob(pattern: str) -> "re.Pattern[str]":
    """GitHub's branch-filter glob: ``**`` any characters, ``*`` any but ``/``, ``?`` one, ``[...]`` a set."""
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] in "?+":
            out, i = out + ("." if pattern[i] == "?" else "+"), i + 1
        elif pattern[i] == "[" and "]" in pattern[i:]:
            end = pattern.index("]", i)
            out, i = out + pattern[i:end + 1], end + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def _side_branches(trigger) -> bool:
    """``branches`` names only branches off the main line: release or maintenance branches, or
    patterns that match no main-line name (``'**/*kit*'``, ``'[0-9].[0-9]'``).  A plain name such
    as ``4.2`` may be the default branch: it counts as main line."""
    patterns = [p.strip() for p in yn.strings(trigger.filter("branches")) if p.strip() and not p.strip().startswith("!")]

    def side(pattern: str) -> bool:
        if RELEASE_LINE.match(pattern):
            return True
        if not re.search(r"[*?\[]", pattern):
            return False
        try:
            glob = _glob(pattern)
        except re.error:
            return False
        return not any(glob.match(name) for name in MAIN_LINES)

    return bool(patterns) and all(side(p) for p in patterns)


def _bot_branches(trigger) -> bool:
    patterns = [p for p in yn.strings(trigger.filter("branches")) if not p.startswith("!")]
    return bool(patterns) and all(BOT_BRANCHES.match(p) for p in patterns)


def _code_change_types(trigger) -> bool:
    types = trigger.filter("types")
    return types is None or bool(set(yn.strings(types)) & COMMIT_TYPES)


def _needs_filter(wf: Workflow, trigger) -> bool:
    if trigger.has_filter("paths") or trigger.has_filter("paths-ignore"):
        return False
    if trigger.name == "push" and trigger.has_filter("tags") and not trigger.has_filter("branches") and not trigger.has_filter("branches-ignore"):
        return False  # a tag-only push: path filters are not evaluated for tags
    if trigger.name == "pull_request" and not _code_change_types(trigger):
        return False  # labeled, closed, edited...: no change to filter on
    if _jobs_skip(wf, trigger.name):
        return False  # no job runs for this event (or only when a pull request asks for it)
    if _bot_branches(trigger):
        return False  # dependabot/**, renovate/**, gh-pages: bots, not docs edits
    if _side_branches(trigger):
        return False  # release/**, '**/*kit*': few, deliberate runs, not docs edits
    pr = wf.triggers.get("pull_request")
    if trigger.name == "push" and pr is not None and _code_change_types(pr) and not _jobs_skip(wf, "pull_request"):
        # Pull requests are (or, fixed, will be) filtered: that finding is the one to act on.
        # A push to named branches must still run after each merge; a push to every branch
        # beside pull requests is duplicate-triggers' finding.
        return False
    return True


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    if wf.on_key is None or _exempt(wf):
        return
    flagged = [wf.triggers[name] for name in EVENTS if name in wf.triggers and _needs_filter(wf, wf.triggers[name])]
    if not flagged or "merge_group" in wf.triggers:
        return  # a merge queue waits for required checks: skipped ones would block it
    if checks_docs(wf) or syncs_files(wf) or detects_changes(wf) or gated_by_request(wf) or has_required_check(wf) or rebases_pull_requests(wf) or checks_generated_docs(wf) or reads_no_files(wf) or checks_pull_request(wf):
        return
    paths = list(ctx.options.get("paths-ignore", DEFAULT_PATHS_IGNORE))
    for trigger in flagged:
        also = {t.name: {"paths-ignore": paths} for t in flagged}
        edits = add_to_trigger(wf, trigger.name, "paths-ignore", paths, also=also)
        if trigger.has_filter("tags") or trigger.has_filter("tags-ignore"):
            edits = None  # tag pushes ignore path filters: adding one would be a tag-push-ignores-paths finding
        fix = None
        if edits:
            fix = Fix(f"Add `paths-ignore: {paths}` to `{trigger.name}`", tuple(edits), Safety.UNSAFE)
        yield Finding(
            span=yn.span(trigger.key),
            message=(
                f"`{trigger.name}` has no `paths` or `paths-ignore` filter. "
                "Every change starts a full run, documentation-only changes included."
            ),
            fix=fix,
            properties={"stake": stake("docs-only", events=[trigger.name])},
        )


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged event gains `paths-ignore` with the configured paths."""
    event_config(data, wf, finding)["paths-ignore"] = [plain(p) for p in options["paths-ignore"]]


RULE = Rule(
    code="WFL004",
    slug="missing-path-filters",
    summary="push or pull_request trigger has no paths or paths-ignore filter",
    default=False,  # seed-23 strict review: 12 of 30 false or cheap (docs checks it cannot see, docs outside **.md/docs/**)
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"paths-ignore": DEFAULT_PATHS_IGNORE},
    options_schema={"paths-ignore": {"type": "array", "items": {"type": "string"}, "minItems": 1}},
    tags=("cost", "triggers"),
    precision="medium",
)
