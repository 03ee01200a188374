"""missing-dependency-cache: a setup action that could cache dependencies but is not asked to."""

from __future__ import annotations

import os
import re
from typing import Callable, Dict, Iterator, Optional, Tuple

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..reads import note
from ..records import record
from ..stake import stake
from ..workflow import Job, Step, Workflow
from ..yamledit import add_step_input
from ..intent import Mismatch, step_with
from .base import Context, Rule


@record
class Ecosystem:
    """A package ecosystem: what installs its dependencies and what caches them."""

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
    # (one command: `pip install uv && uv pip install -r ...` is uv's install, not pip's)
    r"(?<!uv )\bpip3? install\b[^\n;&|]*(\s(-r|-c|-e|--requirement|--constraint|--editable|--group)\s|\s\.[/\w]*(\[|\s|$))|"
    r"\b(poetry install|pipenv (install|sync))\b",
    r"pip|poetry|pipenv|virtualenvs|venv|pypoetry",
    (("Pipfile.lock", "pipenv"), ("poetry.lock", "poetry"), ("requirements.txt", "pip")),
    lock_commands=(
        (r"\bpipenv (sync|install --deploy)\b", "pipenv"),
        (r"(?<!uv )\bpip3? install\b[^\n;&|]*(-r|--requirement)[ =](\S*/)?requirements\.txt\b", "pip"),
        (r"(?<!uv )\bpip3? install\b[^\n;&|]*--group\b", "pip"),  # dependency groups live in pyproject.toml
    ),
)
JAVA = Ecosystem(
    "java",
    r"(^|[\s;&|(])(\./)?(mvnw?|gradlew?|sbt|\./project/scripts/sbt)(\s|$)",
    r"\.m2|gradle|\.ivy2|\.sbt|coursier",
    (("pom.xml", "maven"), ("build.gradle", "gradle"), ("build.gradle.kts", "gradle"), ("build.sbt", "sbt")),
    lock_commands=((r"(^|\s)(\./)?gradlew?\b", "gradle"), (r"(^|\s)(\./mvnw|mvn)\b", "maven"), (r"(^|\s)sbt\b", "sbt")),
)
GO = Ecosystem(
    "go", r"\bgo (build|test|mod download|install|run|vet|generate)\b", r"go-build|go/pkg/mod|\bgo\b", (),
    lock_commands=((r"\bgo mod download\b", "true"),),  # a module with dependencies: go.sum
)
RUBY = Ecosystem(
    "ruby", r"\bbundle (install|exec)\b|\bbundler\b", r"vendor/bundle|bundle|gems", (("Gemfile.lock", "true"),),
    input="bundler-cache", lock_commands=((r"\bbundle (install|exec)\b", "true"),),  # a Gemfile is enough
)
DOTNET = Ecosystem(
    "dotnet", r"\bdotnet (restore|build|test|publish|pack)\b", r"nuget", (("packages.lock.json", "true"),),
    lock_commands=((r"--locked-mode\b", "true"),),  # restores from packages.lock.json
)

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


# What each package manager's cache input is called (and which lock file it needs).
MANAGER_VALUE = {"npm": "npm", "yarn": "yarn", "pnpm": "pnpm", "pip": "pip", "pipenv": "pipenv", "poetry": "poetry",
                 "gradle": "gradle", "maven": "maven", "sbt": "sbt", "bundler": "true", "dotnet": "true", "go": "true"}
MANAGERS = (
    (r"\bpnpm\b", "pnpm"), (r"\byarn\b", "yarn"), (r"\bnpm\b", "npm"),
    (r"\bpoetry\b", "poetry"), (r"\bpipenv\b", "pipenv"), (r"\bpip3?\b", "pip"),
    (r"gradle", "gradle"), (r"mvn", "maven"), (r"sbt", "sbt"),
    (r"\bbundle", "bundler"), (r"\bdotnet\b", "dotnet"), (r"\bgo\b", "go"),
)
# Extra files that make a cache input work besides the lock files of ``Ecosystem.lock_files``.
EXTRA_FILES = {"python": (("pyproject.toml", "pip"),), "ruby": (("Gemfile", "true"),), "go": (("go.sum", "true"),)}
# Commands that make the tool a setup action's cache needs exist before the setup step runs.
TOOL_FIRST = {
    "poetry": re.compile(r"pipx install poetry|pip3? install[^\n]*\bpoetry\b|install-poetry|actions-poetry|setup-poetry", re.I),
    "pnpm": re.compile(r"pnpm/action-setup|corepack enable|npm (i|install) (-g|--global) pnpm|setup-pnpm", re.I),
}


def _manager(eco: Ecosystem, command: str) -> Optional[str]:
    """The package manager an install command runs (``npm``, ``poetry``...)."""
    for pattern, name in MANAGERS:
        if re.search(pattern, command) and MANAGER_VALUE.get(name) and _belongs(eco, name):
            return name
    return None


def _belongs(eco: Ecosystem, manager: str) -> bool:
    return manager in {
        "node": ("npm", "yarn", "pnpm"), "python": ("pip", "pipenv", "poetry"), "java": ("gradle", "maven", "sbt"),
        "ruby": ("bundler",), "dotnet": ("dotnet",), "go": ("go",),
    }[eco.name]


def lock_value(repo_root: Optional[str], eco: Ecosystem, scripts: str = "", manager: Optional[str] = None,
               folder: str = "") -> Tuple[bool, Optional[str]]:
    """(the cache input can work, its value when certain).

    In a repository, the files in ``folder`` (the install's directory) decide: a cache input
    fails its setup step without its lock file.  Without a known repository (a workflow read
    from stdin or given as text), only commands of the job that need the lock file
    (``npm ci``, ``pipenv sync``, ``pip install -r requirements.txt``...) are evidence.
    """
    if repo_root:
        base = os.path.join(repo_root, folder)
        files = eco.lock_files + EXTRA_FILES.get(eco.name, ())
        for name, _ in files:
            note(os.path.join(base, name))
        found = {value for name, value in files if os.path.isfile(os.path.join(base, name))}
    else:
        found = {value for pattern, value in eco.lock_commands if re.search(pattern, scripts, re.MULTILINE)}
    if manager is not None:
        want = MANAGER_VALUE[manager]
        return (want in found, want if want in found else None)
    return (bool(found), found.pop() if len(found) == 1 else None)


def _install_step(job: Job, eco: Ecosystem) -> Optional[Tuple[Step, str]]:
    """The first step that installs the ecosystem's dependencies, and its install command."""
    for step in job.steps:
        run = yn.scalar(step.get("run")) or ""
        match = re.search(eco.install, run, re.MULTILINE)
        if match:
            return step, run[: match.end()]
    return None


def _folder(wf: Workflow, job: Job, step: Step, before: str) -> Optional[str]:
    """Where the install runs, relative to the workspace: '' for the root, None when not known."""
    folder = yn.scalar(step.get("working-directory"))
    for owner in (job, wf):
        if folder is None:
            folder = yn.scalar(yn.get_value(yn.get_value(owner.get("defaults"), "run"), "working-directory"))
    folder = folder or ""
    moves = re.findall(r"(?:^|&&|;|\n)\s*(?:cd|pushd)\s+([^\s;&|]+)", before)
    if moves:
        folder = os.path.join(folder, moves[-1])
    if not folder:
        paths = [yn.scalar(s.with_("path")) for s in job.steps if s.action == "actions/checkout"]
        if paths and all(paths):
            folder = paths[0] or ""  # the only checkout is in a folder of the workspace
    if "$" in folder or folder.startswith(("/", "~")):
        return None
    folder = os.path.normpath(folder)
    return "" if folder == "." else folder


def _generated_requirements(job: Job, command: str) -> bool:
    """The install reads a requirements file that the job downloads or writes (an artifact,
    ``pip-compile``, ``poetry export``): the setup step runs before it exists."""
    named = re.findall(r"(?:-r|--requirement|-c|--constraint)[ =]+(\S+)", command)
    if not named:
        return False
    outputs = []
    for step in job.steps:
        if step.action == "actions/download-artifact":
            path = yn.scalar(step.with_("path"))
            if path or "requirement" in (yn.scalar(step.with_("name")) or ""):
                outputs.append(os.path.normpath(path or "."))  # into the workspace: a requirements artifact
        run = yn.scalar(step.get("run")) or ""
        outputs += [os.path.normpath(p) for p in re.findall(r"(?:>|--output-file[ =]|-o )\s*(\S+)", run)]
    for name in named:
        name = os.path.normpath(name.strip("'\""))
        if any(name == out or name.startswith(out + os.sep) or out == "." for out in outputs if out):
            return True
    return False


def _checked_out_later(job: Job, setup: Step) -> bool:
    """The job checks the repository out only after the setup step: a cache input would look
    for a lock file that is not there yet and fail the step."""
    checkouts = [s.index for s in job.steps if s.action == "actions/checkout"]
    return bool(checkouts) and min(checkouts) > setup.index


def _tool_missing(job: Job, setup: Step, manager: Optional[str]) -> bool:
    """The cache input needs a tool (poetry, pnpm) that the job installs only after the setup step."""
    pattern = TOOL_FIRST.get(manager or "")
    if pattern is None:
        return False
    before = [s for s in job.steps if s.index < setup.index]
    return not any(pattern.search(f"{s.uses or ''}\n{yn.scalar(s.get('run')) or ''}") for s in before)


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
            install = _install_step(job, eco)
            if install is None or _cached_elsewhere(job, eco) or _publishes(wf, job):
                continue
            manager = _manager(eco, install[1].splitlines()[-1] if install[1] else "")
            if eco is RUBY and re.search(r"\bbundle (add|init|remove)\b", scripts):
                continue  # the Gemfile changes after setup-ruby, whose `bundler-cache` installed it frozen
            if _tool_missing(job, step, manager):
                continue  # `cache: poetry` fails before poetry exists; `cache: pip` does not cover it
            if _generated_requirements(job, yn.scalar(install[0].get("run")) or ""):
                continue  # the file the cache would be keyed on does not exist when the setup step runs
            folder = _folder(wf, job, install[0], install[1])
            if folder is None or (folder and not ctx.repo_root):
                continue  # the lock file's place is not known: `cache-dependency-path` cannot be written
            works, value = lock_value(ctx.repo_root, eco, scripts, manager, folder)
            if not works:
                continue  # without its lock file the cache input fails the setup step
            message = (
                f"`{step.uses}` in job `{job.id}` does not cache {eco.name} dependencies, and the job "
                "installs them on every run. Caching restores them in seconds instead of downloading them again."
            )
            fix = None
            if _checked_out_later(job, step):
                # the lock file is not in the workspace yet when the setup step looks for it:
                # the cache input alone would fail the step
                message += " The setup step runs before `actions/checkout`: move it after the checkout, then set the cache input."
            elif folder:
                message += f" The install runs in `{folder}`: set `cache-dependency-path` to its lock file as well."
            elif value is not None and yn.is_map(step.node):
                fix = _fix(wf, step, eco.input, value)
            # a restored cache replaces about a minute of downloads per job run (rules/missing-dependency-cache.md)
            yield Finding(span=yn.entry_span(step.node, "uses"), message=message, fix=fix,
                          properties={"stake": stake("share", jobs=[job.id], minutes_per_run=1.0)})


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
    default=False,  # a flat minute saved per run: two of the three seed-22 findings above the estimate bar were cheap
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    tags=("cost", "cache"),
    precision="medium",
)
