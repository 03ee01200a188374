"""os-independent-work-on-expensive-runner: lint, format, type-check, spelling and docs steps
repeated on the macOS and Windows legs of a matrix that also runs them on Linux."""

from __future__ import annotations

import re
from typing import Iterator, List, Optional, Tuple

from .. import yamlnode as yn
from ..finding import Edit, Finding, Fix, Safety
from ..stake import stake
from ..workflow import Job, Step, Workflow
from ..yamledit import add_entry
from . import jobtraits as jt
from ..intent import Mismatch
from .base import Context, Rule

# Actions that only lint, format-check or spell-check the sources.
ACTIONS = (
    "pre-commit/action", "psf/black", "astral-sh/ruff-action", "chartboost/ruff-action",
    "codespell-project/actions-codespell", "crate-ci/typos",
    "github/super-linter", "super-linter/super-linter", "davidanson/markdownlint-cli2-action",
    "dprint/check", "biomejs/setup-biome",
)
# Commands whose result does not depend on the operating system they run on.
# (Not golangci-lint or go vet: Go build tags make their results differ per OS; not mypy,
# pyright or tsc, which check `sys.platform` / platform typings.)
_COMMAND = re.compile(
    r"(?:^[ \t]*|[;&|][ \t]+|\$\([ \t]*)(?:(?:python3? -m|uv run|poetry run|pipx run|uvx|npx|pdm run|hatch run)[ \t]+)?("
    r"ruff (check|format --check)|ruff\b(?= \.|$)|flake8|pylint|black --check|isort --check(-only)?|"
    r"pre-commit run|prek run|codespell|typos|eslint|prettier --check|"
    r"(npm|pnpm|yarn)( run)? (lint|lint:check|format[:-]check|fmt[:-]check|check-format|prettier)(?![\w:-])|"
    r"cargo fmt|rustfmt --check|gofmt|"
    r"sphinx-build|mkdocs build|make (docs|html|lint)\b|"
    r"(tox|nox)\b[^\n]*-[es] *(lint|docs|pre-commit|format|style|codespell)\b"
    r")",
    re.MULTILINE,
)
LINUX_IF = "runner.os == 'Linux'"
# Minutes such a step takes per job run: a linter or a docs build takes about a minute on
# a hosted runner, installing its tools included.
STEP_MINUTES = 1.0


def _independent(step: Step) -> Optional[str]:
    """What OS-independent work the step does (for the message), or None."""
    if step.get("if") is not None:
        return None  # already conditioned: a decision, often on the OS
    action = step.action or ""
    if action.startswith(ACTIONS):
        return f"`{action}`"
    match = _COMMAND.search(jt.run_text(step))
    return f"`{match.group(1).strip()}`" if match else None


# Steps that only prepare a job: they say nothing about what the job is for.
_SETUP_ACTION = re.compile(r"^actions/(checkout|cache|upload-artifact|download-artifact)|/setup-|^actions/setup-")
_INSTALL_ONLY = re.compile(
    r"^\s*((python3? -m )?pip3? install|npm (ci|install)|yarn( install)?|pnpm install|sudo apt(-get)? |apt(-get)? |"
    r"brew install|choco install|echo |cd |export |source |\. |set |git config)",
)


def _other_work(job: Job, found: List[Tuple[Step, str]]) -> bool:
    """The job does something besides the OS-independent steps (tests, a build): the matrix
    is there for that, not to run a linter on every OS on purpose."""
    mine = {id(step.node) for step, _ in found}
    for step in job.steps:
        if id(step.node) in mine:
            continue
        if step.action and not _SETUP_ACTION.search(step.action):
            return True
        lines = [line for line in jt.run_text(step).splitlines() if line.strip() and not line.strip().startswith("#")]
        if any(not _INSTALL_ONLY.match(line) for line in lines):
            return True
    return False


def steps(job: Job) -> List[Tuple[Step, str]]:
    return [(step, what) for step in job.steps for what in [_independent(step)] if what]


def _fix(wf: Workflow, found: List[Tuple[Step, str]]) -> Optional[Fix]:
    edits: List[Edit] = []
    for step, _ in found:
        node = step.node
        if not yn.is_map(node) or node.flow_style or id(node) in wf.shared:
            return None
        name = step.get("name")
        edit = add_entry(wf.source, node, "if", LINUX_IF, wf.style, after=name if name is not None else None)
        if edit is None:
            return None
        edits.append(edit)
    return Fix(f"Run {len(edits)} step(s) only on Linux (`if: {LINUX_IF}`)", tuple(edits), Safety.UNSAFE)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.get("runs-on") is None:
            continue
        if jt.condition(job.get("if")) and re.search(r"runner\.os|matrix\.", jt.condition(job.get("if"))):
            continue
        found = steps(job)
        if not found or not _other_work(job, found):
            continue
        os_names = jt.os_legs(job)
        costly = [name for name in os_names if name in ("macos", "windows")]
        if not costly or "linux" not in os_names:
            continue  # the work has no Linux leg to stay on
        kinds = " and ".join(k for k in ("macOS", "Windows") if k.lower() in costly)
        legs = f"{len(costly)} {kinds} leg{'s' if len(costly) > 1 else ''}"
        what = ", ".join(dict.fromkeys(w for _, w in found))
        per_run = STEP_MINUTES * len(found) * len(costly) / len(os_names)
        yield Finding(
            span=yn.span(found[0][0].node),
            message=(
                f"Job `{job.id}` runs {what} on its {legs} too, although the result does not "
                f"depend on the OS and its Linux legs run it already: add `if: {LINUX_IF}` to "
                f"{'the step' if len(found) == 1 else f'those {len(found)} steps'}."
            ),
            fix=_fix(wf, found),
            properties={"stake": stake("share", jobs=[job.id], minutes_per_run=per_run)},
        )


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """os-independent-work-on-expensive-runner: each OS-independent step of the job gains
    ``if: runner.os == 'Linux'`` and nothing else changes."""
    for job in wf.jobs:
        found = steps(job)
        if found and found[0][0].node.start_mark.index == finding.span.start:
            for step, _ in found:
                data["jobs"][job.id]["steps"][step.index]["if"] = LINUX_IF
            return
    raise Mismatch("no OS-independent step at the finding")


RULE = Rule(
    code="WFL029",
    slug="os-independent-work-on-expensive-runner",
    summary="Lint, format, spelling or docs steps repeated on the macOS/Windows legs of a matrix",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    tags=("cost", "runners"),
    precision="medium",
    # Opt-in: a fresh strict review (seed 21) found 3 of its 4 findings too cheap to matter (seconds of linting on a small project's macOS/Windows legs).
    default=False,
)
