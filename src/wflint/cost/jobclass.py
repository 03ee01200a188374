"""What kind of job a job is, read from its steps: the job class the estimate prices.

Classes, lightest first: ``bot`` (API calls only: labellers, stale, comments, no build),
``lint`` (linters and formatters), ``build`` (builds and tests, the default), ``release``
(packaging, publishing, container images) and ``heavy`` (GPU, emulators, QEMU).  A job
takes the heaviest class any of its steps shows; ``uses:`` actions are matched by
``owner/repo`` and ``run:`` commands by whole words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import FrozenSet, Iterable, List, Optional

from .. import yamlnode as yn

ORDER = ("bot", "lint", "build", "release", "heavy")

_BOT_ACTIONS = (
    "actions/labeler", "actions/stale", "actions/github-script", "actions/first-interaction",
    "actions/add-to-project", "peter-evans/", "release-drafter/release-drafter", "dessant/",
    "amannn/action-semantic-pull-request", "thollander/", "marocchino/", "actions-ecosystem/",
    "github/issue-labeler", "kentaro-m/auto-assign-action", "srvaroa/labeler", "mshick/",
    "dependabot/fetch-metadata", "hmarr/auto-approve-action", "pascalgn/", "actions/delete-package-versions",
    # API-only checks of seconds: the dependency graph, a PR title, labels, a SARIF upload
    "actions/dependency-review-action", "github/codeql-action/upload-sarif", "step-security/harden-runner",
    "micnncim/action-label-syncer", "crazy-max/ghaction-github-labeler", "EndBug/label-sync",
    # change detection of seconds: a diff of the checked-out commits, outputs for later jobs
    "tj-actions/changed-files", "dorny/paths-filter",
)
# Actions and `docker://` images whose name says they are API bots: backports (`tibdex/backport`,
# `korthout/backport-action`), label and pull-request checkers (`docker://.../pull-request-label-checker`).
_BOT_NAME = re.compile(r"backport|label|pr[-_]?title|pull[-_]?request|semantic[-_]?pr|welcome|greet|stale|triage|assign")
_LINT_ACTIONS = (
    "github/super-linter", "super-linter/", "golangci/golangci-lint-action", "psf/black", "chartboost/ruff-action",
    "astral-sh/ruff-action", "pre-commit/action", "reviewdog/", "rhysd/actionlint", "ludeeus/action-shellcheck",
    "codespell-project/", "crate-ci/typos", "DavidAnson/markdownlint-cli2-action", "wagoid/commitlint-github-action",
    "editorconfig-checker/", "streetsidesoftware/cspell-action", "lycheeverse/lychee-action",
    # single quick checks (a few minutes): supply-chain scores, vulnerability and licence audits
    "ossf/scorecard-action", "golang/govulncheck-action", "pypa/gh-action-pip-audit", "rustsec/audit-check",
    "actions-rs/audit-check", "EmbarkStudios/cargo-deny-action", "google/osv-scanner-action",
)
_RELEASE_ACTIONS = (
    "docker/build-push-action", "docker/bake-action", "goreleaser/goreleaser-action", "softprops/action-gh-release",
    "pypa/gh-action-pypi-publish", "ncipollo/release-action", "actions/create-release", "changesets/action",
    "cycjimmy/semantic-release-action", "pypa/cibuildwheel", "tauri-apps/tauri-action", "electron/",
    "jreleaser/", "googleapis/release-please-action", "google-github-actions/release-please-action",
)
_HEAVY_ACTIONS = (
    "docker/setup-qemu-action", "reactivecircus/android-emulator-runner", "uraimo/run-on-arch-action",
    "jimver/cuda-toolkit", "nvidia/",
)
_LINT_WORDS = re.compile(
    r"(?<![\w-])(lint|linter|eslint|flake8|ruff|black|isort|pylint|mypy|prettier|stylelint|golangci-lint|gofmt|"
    r"shellcheck|hadolint|yamllint|actionlint|markdownlint|codespell|typos|rustfmt|clippy|fmt|format|"
    r"pre-commit|commitlint|spellcheck|ktlint|rubocop|phpcs|tflint|check-format|vale|"
    r"audit|govulncheck|pip-audit|osv-scanner|cargo\s+deny|pyright|typecheck|type-check|"
    r"(npm|yarn|pnpm)\s+(run\s+)?check)(?![\w-])"
)
_BUILD_WORDS = re.compile(
    r"(?<![\w-])(test|tests|pytest|tox|nox|build|make|cmake|ctest|ninja|cargo|go|mvn|gradle|gradlew|npm|yarn|pnpm|"
    r"bazel|dotnet|msbuild|xcodebuild|swift|bundle|rake|jest|vitest|mocha|phpunit|sbt|mix|stack|cabal|"
    r"coverage|compile|bench|benchmark|e2e|playwright|cypress)(?![\w-])"
)
_RELEASE_WORDS = re.compile(
    r"(?<![\w-])(docker\s+(build|push|buildx)|buildx|goreleaser|twine|publish|release|deploy|semantic-release|"
    r"helm\s+push|cibuildwheel|electron-builder|fastlane|notarize|codesign)(?![\w-])"
)
_HEAVY_WORDS = re.compile(r"(?<![\w-])(qemu|emulator|avdmanager|cuda|nvidia-smi|gpu|binfmt)(?![\w-])")
# Names that say a job (or its workflow) is a check: `lint.yml`, `code-formatting`, `spellcheck`.
_PURPOSE_LINT = re.compile(
    r"\b(lint\w*|\w*linter|format\w*|fmt|style|spell\w*|typos|codespell|prettier|vale|pre commit|"
    r"mypy|pylint|flake8|ruff|clippy|rustfmt|gofmt|eslint|shellcheck|actionlint|zizmor|commitlint|editorconfig)\b"
)
# Commands of seconds: API calls, shell builtins and text tools (`gh release create`, `grep -q`, `fi`).
_BOT_WORDS = re.compile(
    r"^\s*(gh|curl|echo|jq|yq|exit|true|false|printf|cat|sleep|test|\[\[?|fi|done|esac|grep|sed|awk|cut|tr|head|"
    r"tail|wc|sort|uniq|date|basename|dirname|touch|cp|mv|rm|tee|set|read|shift|env|sha256sum|base64|"
    r"for|case|backport[\w-]*)(?![\w-])"
)
# A `case` pattern before its commands (`failure|cancelled)`, `*)`): shell control flow, no command.
_CASE_PATTERN = re.compile(r"^\s*\(?[^\s()|;]+(\s*\|\s*[^\s()|;]+)*\)")
# Shell keywords and grouping before a command (`if ! grep -q ...`, `then make`, `(echo ...`):
# the command after them decides.
_KEYWORDS = re.compile(r"^\s*((if|elif|while|until|then|else|do|!)(\s+|$)|[({]\s*)+")
# A `${{ }}` expression that renders `true` or `false` (a comparison, a negation, a boolean
# function): used as a command it is the shell builtin of that name.
_BOOLEAN_EXPRESSION = re.compile(r"\$\{\{(?=[^}]*(==|!=|<=|>=|![\w(]|\b(contains|startswith|endswith)\())[^}]*\}\}")
_NEUTRAL_WORDS = re.compile(
    r"^\s*(pip3?\s+install|python3?\s+-m\s+pip\s+install|npm\s+(ci|install)|yarn(\s+install)?\s*$|pnpm\s+install|"
    r"(sudo\s+)?apt(-get)?\s+(update|install)|brew\s+install|cd|export|mkdir|ls|git\s+(config|fetch|checkout)|"
    r"poetry\s+install|uv\s+sync|bundle\s+install|go\s+mod\s+download)\b"
)
_NEUTRAL_ACTIONS = ("actions/checkout", "actions/setup-", "actions/cache", "actions/upload-artifact",
                    "actions/download-artifact", "astral-sh/setup-uv", "pnpm/action-setup", "dtolnay/rust-toolchain")
_GPU_LABEL = re.compile(r"\b(gpu|nvidia|cuda|t4|a10|a100|h100)\b")


@lru_cache(maxsize=4096)  # the same actions and commands come back in file after file
def _has(action: str, prefixes: Iterable[str]) -> bool:
    return any(action == p.lower() or (p.endswith("/") and action.startswith(p.lower())) or action.startswith(p.lower() + "/")
               for p in prefixes)


_SEPARATORS = re.compile(r"&&|\|\||;|\|")


def _commands(script: str) -> List[str]:
    """The commands of a ``run:`` script: one per line and per ``&&``, ``||``, ``;`` or pipe."""
    out = []
    if "${{" in script:
        script = _BOOLEAN_EXPRESSION.sub("true", script)  # its `||` and `&&` are not the shell's
    for line in script.splitlines():
        if line.strip().startswith("#"):
            continue
        line = _CASE_PATTERN.sub("", line)
        out.extend(part for part in _SEPARATORS.split(line) if part.strip())
    return out


@lru_cache(maxsize=8192)
def _line_class(line: str) -> str:
    """One command line: the heaviest word decides; a linter run through a build tool
    (``npm run lint``, ``cargo clippy``) is lint."""
    line = _KEYWORDS.sub("", line)
    if not line.strip():
        return "bot"
    if _BOT_WORDS.match(line):
        return "bot"  # an API call or a shell builtin (`gh release create`, `echo "deploying"`): seconds
    if _HEAVY_WORDS.search(line):
        return "heavy"
    if _RELEASE_WORDS.search(line):
        return "release"
    if _NEUTRAL_WORDS.match(line):
        return "bot"
    if _LINT_WORDS.search(line):
        return "lint"
    return "build"


# CodeQL languages analysed without a build (build-mode none): the scan takes a few minutes.
_CODEQL_QUICK = {"javascript", "typescript", "javascript-typescript", "python", "ruby", "actions"}
_CODEQL = "github/codeql-action/"


def codeql_quick(job) -> bool:
    """Whether a job's CodeQL analysis (``github/codeql-action/init``) covers only languages
    CodeQL reads without building them (JavaScript/TypeScript, Python, Ruby, Actions): a
    quick check, not a build.  The languages come from the ``languages`` input, or from the
    matrix when that input names ``${{ matrix.* }}``; a ``build-mode`` other than ``none``
    or any compiled language makes it a build."""
    words = []
    for step in job.steps:
        if step.action == _CODEQL + "init":
            text = yn.scalar(step.with_("languages")) or ""
            mode = (yn.scalar(step.with_("build-mode")) or "none").lower()
            if mode not in ("none", "${{ matrix.build-mode }}"):
                return False
            if "matrix." in text:
                words.extend(_strings(yn.to_data(yn.get_value(yn.get_value(job.get("strategy"), "matrix") if job.get("strategy") is not None else None, "language"))))
                words.extend(_include_languages(job))
            else:
                words.extend(re.split(r"[\s,]+", text))
    words = [w.strip().lower() for w in words if w and w.strip()]
    return bool(words) and all(w in _CODEQL_QUICK for w in words)


def _strings(value) -> List[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return []


def _include_languages(job) -> List[str]:
    strategy = job.get("strategy")
    data = yn.to_data(yn.get_value(strategy, "matrix")) if strategy is not None else None
    out: List[str] = []
    for entry in (data or {}).get("include", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict):
            out.extend(_strings(entry.get("language")))
            if str(entry.get("build-mode", "none")).lower() != "none":
                out.append("(built)")  # a compiled language's entry
    return out


def classify_steps(steps, labels: Iterable[str] = (), purpose: str = "", codeql: str = "build") -> str:
    """The class of a job with these ``workflow.Step``s, on a runner with these labels.

    ``purpose`` is what the job and its workflow are called (ids, names, the file name): when
    it names a check (``lint``, ``format``, ``spelling``...), a command or action wflint does not
    know (``php -l``, ``./tools/check-format.sh``, a project's own lint action) counts as that
    check rather than as a build; a command that is a known build or test still counts as one.
    """
    unknown = "lint" if _PURPOSE_LINT.search(re.sub(r"[^a-z0-9]+", " ", purpose.lower())) else "build"
    found = {"bot"} if steps else {"build"}
    if any(_GPU_LABEL.search(str(label).lower()) for label in labels):
        found.add("heavy")
    for step in steps:
        action = step.action
        if step.uses and not action:
            image = step.uses.split("@", 1)[0].lower()
            if image.startswith("docker://") and _BOT_NAME.search(image.rsplit("/", 1)[-1]):
                continue  # a `docker://` labeller or pull-request checker: an API bot
            found.add(unknown)  # a local (`./.github/actions/x`) or `docker://` action: real work
            continue
        if action:
            if any(action.startswith(p) for p in _NEUTRAL_ACTIONS):
                pass
            elif _has(action, _HEAVY_ACTIONS):
                found.add("heavy")
            elif _has(action, _RELEASE_ACTIONS):
                found.add("release")
            elif _has(action, _LINT_ACTIONS):
                found.add("lint")
            elif action.startswith(_CODEQL) and not _has(action, _BOT_ACTIONS):
                found.add(codeql)  # `lint` (a quick scan) for interpreted languages, else a build
            elif not _has(action, _BOT_ACTIONS) and not _BOT_NAME.search(action.split("/")[1] if "/" in action else action):
                found.add(unknown)  # an unknown action: assume it does real work (or the named check)
            continue
        script = yn.scalar(step.get("run"))
        found.update(_script_classes((script or "").lower(), unknown))
    return max(found, key=ORDER.index)


@lru_cache(maxsize=2048)  # the same scripts (`npm ci`, `cargo test`) come back in file after file
def _script_classes(script: str, unknown: str) -> FrozenSet[str]:
    """The classes the lines of a (lower-cased) ``run:`` script show."""
    found = set()
    for line in _commands(script):
        klass = _line_class(line)
        # In a named check, a line is a build only when a build tool runs it (`make`, `pytest`),
        # not when a path mentions one (`find src/ tests/ -name '*.php'`).
        builds = _BUILD_WORDS.match(line.strip()) if unknown == "lint" else _BUILD_WORDS.search(line)
        found.add(unknown if klass == "build" and not builds else klass)
    return frozenset(found)


# Names of reusable workflows (and jobs) that make API calls only: a dependency review, labels,
# a pull-request title check, stale issues, greetings.
_PURPOSE_BOT = re.compile(r"\b(dependency review|dependency[- ]?review\w*|label\w*|labeler|stale|semantic pr|pr title|"
                          r"greet\w*|welcome|triage|auto assign|first interaction)\b")


def classify_name(name: str) -> Optional[str]:
    """The class a reusable workflow's file name says it is (``reusable-dependency-review.yml``:
    bot; ``lint.yml``: lint), or None when its name says nothing (priced as a build)."""
    words = re.sub(r"[^a-z0-9]+", " ", name.lower().rsplit("/", 1)[-1].rsplit(".", 1)[0])
    if _PURPOSE_BOT.search(words):
        return "bot"
    if _PURPOSE_LINT.search(words):
        return "lint"
    return None


def classify_job(job, labels: Iterable[str] = (), purpose: str = "") -> Optional[str]:
    """The class of a ``workflow.Job`` (None for a job that calls a reusable workflow); ``purpose``
    adds the workflow's names to the job's own (see ``classify_steps``)."""
    if job.calls_reusable_workflow:
        return None
    name = yn.scalar(job.get("name")) or ""
    codeql = "lint" if codeql_quick(job) else "build"
    return classify_steps(job.steps, labels, " ".join((job.id, name, purpose)), codeql)
