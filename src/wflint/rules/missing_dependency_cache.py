"""missing-dependency-cache: a setup action that could cache dependencies but is not asked to."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Callable, Dict, Iterator, Optional, Tuple

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..workflow import Job, Step, Workflow
from ..yamledit import add_step_input
from ..intent import Mismatch, step_with
from .base import Context, Rule


@dataclass(frozen=True)
class Ecosystem:
    name: str
    install: str  # regex over the job's `run:` scripts: the job installs dependencies
    cache_words: str  # regex over an actions/cache `path`/`key`: it caches the same thing
    lock_files: Tuple[Tuple[str, str], ...]  # (file at the repository root, value of the cache input)
    input: str = "cache"
    # (command that fails without a given lock file, value): evidence when no repository is known
    lock_commands: Tuple[Tuple[str, str], ...] = ()


NODE = Ecosystem(
    "node",
    # the project's dependencies, not named packages: `npm ci`, a bare `npm install`, `yarn`...
    r"\bnpm ci\b|\bnpm (install|i)([ \t]+--?(?!g\b|global\b)[\w=-]+)*[ \t]*($|&&|;|\|)|"
    r"\byarn( install)?[ \t]*($|&&|;|--frozen|--immutable|--pure)|\bpnpm (install|i)\b(?![ \t]+(-g|--global)\b)",
    r"node_modules|\.npm|yarn|pnpm",
    (("package-lock.json", "npm"), ("npm-shrinkwrap.json", "npm"), ("yarn.lock", "yarn"), ("pnpm-lock.yaml", "pnpm")),
    lock_commands=(
        (r"\bnpm ci\b", "npm"),
        (r"\byarn( install)? --(frozen-lockfile|immutable)\b", "yarn"),
        (r"\bpnpm (install|i) --frozen-lockfile\b", "pnpm"),
    ),
)
PYTHON = Ecosystem(
    "python",
    # requirements files, the project itself or dependency groups; not `pip install tox`
    r"(?<!uv )\bpip3? install\b[^\n]*(\s(-r|-c|-e|--requirement|--constraint|--editable|--group)\s|\s\.[/\w]*(\[|\s|$))|"
    r"\b(poetry install|pipenv (install|sync))\b",
    r"pip|poetry|pipenv|virtualenvs|venv|pypoetry",
    (("Pipfile.lock", "pipenv"), ("poetry.lock", "poetry"), ("requirements.txt", "pip")),
    lock_commands=((r"\bpipenv (sync|install --deploy)\b", "pipenv"), (r"\bpip3? install -r requirements\.txt\b", "pip")),
)
JAVA = Ecosystem(
    "java",
    r"(^|[\s;&|(])(\./)?(mvnw?|gradlew?|sbt|\./project/scripts/sbt)(\s|$)",
    r"\.m2|gradle|\.ivy2|\.sbt|coursier",
    (("pom.xml", "maven"), ("build.gradle", "gradle"), ("build.gradle.kts", "gradle"), ("build.sbt", "sbt")),
    lock_commands=((r"(^|\s)\./gradlew\b", "gradle"), (r"(^|\s)(\./mvnw|mvn)\b", "maven")),
)
GO = Ecosystem("go", r"\bgo (build|test|mod download|install|run|vet|generate)\b", r"go-build|go/pkg/mod|\bgo\b", ())
RUBY = Ecosystem("ruby", r"\bbundle (install|exec)\b|\bbundler\b", r"vendor/bundle|bundle|gems", (("Gemfile.lock", "true"),), input="bundler-cache")
DOTNET = Ecosystem("dotnet", r"\bdotnet (restore|build|test|publish|pack)\b", r"nuget", (("packages.lock.json", "true"),))

def _has_input(step: Step, name: str) -> bool:
    """The input is written at all: set, or (``cache: ''``) switched off on purpose."""
    return step.with_(name) is not None


def _major(step: Step) -> Optional[int]:
    match = re.match(r"v?(\d+)", (step.uses or "").partition("@")[2])
    return int(match.group(1)) if match else None


def _go_caches(step: Step) -> bool:
    value = yn.scalar(step.with_("cache"))
    if value is not None:
        return True  # `cache: true`, or `cache: false` as a deliberate choice
    major = _major(step)
    return major is None or major >= 4  # caching is on by default since setup-go v4


# Setup action -> (ecosystem, does this step cache (or deliberately not)?)
SETUP: Dict[str, Tuple[Ecosystem, Callable[[Step], bool]]] = {
    "actions/setup-node": (NODE, lambda s: _has_input(s, "cache") or s.with_("package-manager-cache") is not None),
    "actions/setup-python": (PYTHON, lambda s: _has_input(s, "cache")),
    "actions/setup-java": (JAVA, lambda s: _has_input(s, "cache")),
    "actions/setup-go": (GO, _go_caches),
    "ruby/setup-ruby": (RUBY, lambda s: yn.scalar(s.with_("bundler-cache")) is not None),
    "actions/setup-dotnet": (DOTNET, lambda s: yn.scalar(s.with_("cache")) is not None),
}
# Other actions that cache an ecosystem's dependencies on their own.
CACHING_ACTIONS = {
    "gradle/actions/setup-gradle": JAVA,
    "gradle/gradle-build-action": JAVA,
    "astral-sh/setup-uv": PYTHON,
    "bahmutov/npm-install": NODE,
}
CACHE_ACTIONS = ("actions/cache", "actions/cache/restore")


def _sibling_caches(job: Job, step: Step, eco: Ecosystem) -> bool:
    """Another setup step of the same ecosystem in the job caches (e.g. a second setup-java)."""
    for other in job.steps:
        entry = SETUP.get(other.action or "")
        if other.index != step.index and entry is not None and entry[0] is eco and entry[1](other):
            return True
    return False


def _commented_out(wf: Workflow, step: Step) -> bool:
    """A ``# cache: ...`` comment in the step: caching was tried and turned off on purpose."""
    text = wf.text[step.node.start_mark.index : step.node.end_mark.index]
    return re.search(r"#\s*(cache|bundler-cache)\s*:", text) is not None


def _scripts(job: Job) -> str:
    return "\n".join(yn.scalar(step.get("run")) or "" for step in job.steps)


def _cached_elsewhere(job: Job, eco: Ecosystem) -> bool:
    for step in job.steps:
        action = step.action
        if action in CACHING_ACTIONS and CACHING_ACTIONS[action] is eco:
            return True
        if action in CACHE_ACTIONS:
            text = " ".join(yn.scalar(step.with_(k)) or "" for k in ("path", "key"))
            if re.search(eco.cache_words, text, re.IGNORECASE):
                return True
    return False


# Release and publish jobs are better off without caches: a poisoned cache would end up in
# what they publish (and they run too rarely for a cache to pay off).
PUBLISH = re.compile(r"\bpublish|twine upload|gem push|pypi-publish|gh release|goreleaser|semantic-release", re.IGNORECASE)
RELEASE_JOB = re.compile(r"release|publish|deploy", re.IGNORECASE)


def _publishes(wf: Workflow, job: Job) -> bool:
    if "release" in wf.triggers:
        return True
    push = wf.triggers.get("push")
    if push is not None and push.has_filter("tags") and not push.has_filter("branches") and len(wf.triggers) <= 2:
        return True
    if RELEASE_JOB.search(f"{job.id} {yn.scalar(job.get('name')) or ''}"):
        return True
    words = [job.id] + [(step.uses or "") + "\n" + (yn.scalar(step.get("run")) or "") for step in job.steps]
    return bool(PUBLISH.search("\n".join(words)))


def lock_value(repo_root: Optional[str], eco: Ecosystem, scripts: str = "") -> Optional[str]:
    """The cache input's value when the repository's lock files name exactly one package manager.

    Without a known repository (a workflow read from stdin or given as text), commands of the
    job that only work with one lock file (``npm ci``, ``pipenv sync``...) are the evidence.
    """
    if repo_root:
        found = {value for name, value in eco.lock_files if os.path.isfile(os.path.join(repo_root, name))}
    else:
        found = {value for pattern, value in eco.lock_commands if re.search(pattern, scripts, re.MULTILINE)}
    return found.pop() if len(found) == 1 else None


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    for job in wf.jobs:
        if not yn.is_map(job.node):
            continue
        scripts = None
        for step in job.steps:
            entry = SETUP.get(step.action or "")
            if entry is None:
                continue
            eco, caches = entry
            if caches(step) or _commented_out(wf, step) or _sibling_caches(job, step, eco):
                continue
            if scripts is None:
                scripts = _scripts(job)
            if not re.search(eco.install, scripts, re.MULTILINE) or _cached_elsewhere(job, eco) or _publishes(wf, job):
                continue
            fix = None
            value = lock_value(ctx.repo_root, eco, scripts)
            if value is not None and yn.is_map(step.node):
                fix = _fix(wf, step, eco.input, value)
            yield Finding(
                span=yn.entry_span(step.node, "uses"),
                message=(
                    f"`{step.uses}` in job `{job.id}` does not cache {eco.name} dependencies, and the job "
                    "installs them on every run. Caching restores them in seconds instead of downloading them again."
                ),
                fix=fix,
            )


def _fix(wf: Workflow, step: Step, name: str, value: str) -> Optional[Fix]:
    rendered = True if value == "true" else value
    edit = add_step_input(wf.source, step.node, name, rendered, wf.style, wf.shared)
    if edit is None:
        return None
    return Fix(f"Add `{name}: {value}` to `{step.uses}`", (edit,), Safety.UNSAFE)


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged step's `with:` gains one cache input."""
    expected, after = step_with(data, wf, finding, fixed)
    added = [key for key in after if key not in expected]
    if len(added) != 1 or not after[added[0]]:
        raise Mismatch(f"the step's `with` gained {added}: one cache input expected")
    expected[added[0]] = after[added[0]]


RULE = Rule(
    code="WFL007",
    slug="missing-dependency-cache",
    summary="Setup action installs a toolchain without caching the dependencies the job installs",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    tags=("cost", "cache"),
    precision="medium",
)
