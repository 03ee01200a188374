"""release-build-on-pull-request: release builds (wheels, images, snapshots) on every pull
request whose outputs nothing in the workflow uses."""

from __future__ import annotations

import re
from typing import Iterator, Optional, Tuple

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..textscan import may_contain
from ..workflow import Job, Step, Workflow
from . import jobtraits as jt
from .base import Context, Rule

# Dedicated release builders: what they make is only worth making for a release.
_CIBW = re.compile(r"(^|[\s;&|(])((pipx run|python3? -m|uvx) )?cibuildwheel\b(?!\s*[=<>~!])(?![^\n]*--print-build-identifiers)", re.MULTILINE)
# Packaging commands whose output is only an artifact (counted with an upload nobody downloads).
_PACKAGE = re.compile(
    r"\bpython3? -m build\b|\bpipx run build\b|\buv build\b|\bhatch build\b|\bpoetry build\b|"
    r"\bpyinstaller\b|\bcargo build\b[^\n]*--release|\bdotnet publish\b|\belectron-builder\b|"
    r"\bnpm run (dist|package|make)\b|\bmake dist\b",
)
_SNAPSHOT_ARG = re.compile(r"--snapshot\b")
_SNAPSHOT_RUN = re.compile(r"\bgoreleaser\b[^\n]*--snapshot\b")
UPLOAD = ("actions/upload-artifact",)
DOWNLOAD = ("actions/download-artifact", "dawidd6/action-download-artifact")


def _false_on_pr(node) -> bool:
    """``push:`` / ``load:`` value that is false on a pull request: absent, false, or an
    expression that tests the event or ref (``${{ github.event_name != 'pull_request' }}``)."""
    text = yn.scalar(node)
    if text is None:
        return True
    if text.strip().lower() == "false":
        return True
    return "${{" in text and bool(re.search(r"event_name|github\.ref|refs/", text))


def _docker_discards(step: Step) -> bool:
    """A build-push-action step that pushes nothing on pull requests and keeps nothing."""
    if yn.scalar(step.with_("load")) and not _false_on_pr(step.with_("load")):
        return False
    if step.with_("outputs") is not None or step.with_("push") is not None and not _false_on_pr(step.with_("push")):
        return False
    platforms = yn.to_data(step.with_("platforms"))
    if "${{" in str(platforms):
        return False  # set per event (often to one platform on pull requests)
    names = platforms if isinstance(platforms, list) else re.split(r"[,\s]+", str(platforms or ""))
    # one platform: a quick "the Dockerfile still builds" check; several: emulated builds of
    # images nobody pulls, the expensive case
    return len([n for n in names if n]) > 1


def _builder(job: Job) -> Optional[str]:
    """What release build the job runs, for the message; None when it runs none."""
    for step in job.steps:
        action = step.action or ""
        run = jt.run_text(step)
        if action == "pypa/cibuildwheel" or ("cibuildwheel" in run and _CIBW.search(run)):
            return "release wheels with cibuildwheel"
        if action == "pyo3/maturin-action" and (yn.scalar(step.with_("command")) or "build") == "build":
            if "--release" in (yn.scalar(step.with_("args")) or "") or (yn.scalar(step.with_("target")) or ""):
                return "release wheels with maturin-action"
        if action == "goreleaser/goreleaser-action" or "goreleaser" in run:
            args = (yn.scalar(step.with_("args")) or "") if action == "goreleaser/goreleaser-action" else ""
            snapshot = _SNAPSHOT_ARG.search(args) or _SNAPSHOT_RUN.search(run)
            if snapshot and "--single-target" not in snapshot.string:
                # `--single-target` builds one binary for the runner: a quick check of the config
                return "a GoReleaser snapshot for every target"
        if action == "docker/build-push-action" and _docker_discards(step):
            return "multi-platform container images that are neither pushed nor loaded"
    return None


def _packages(job: Job) -> Optional[str]:
    """A packaging command whose output is uploaded as an artifact."""
    if not any((s.action or "") in UPLOAD for s in job.steps):
        return None
    match = _PACKAGE.search(jt.scripts(job))
    if match is None:
        return None
    return f"packages (`{match.group(0).strip()}`) and uploads them as an artifact"


def _downloaded_on_pr(wf: Workflow) -> bool:
    """A job that can run on a pull request downloads artifacts: the builds feed it."""
    for job in wf.jobs:
        if not jt.gated_off_pr(job) and any((s.action or "") in DOWNLOAD for s in job.steps):
            return True
    return False


def _legs(job: Job) -> Tuple[int, int]:
    os_names = jt.os_legs(job)
    return len(os_names), sum(1 for name in os_names if name in ("macos", "windows"))


def _matrix_from_job(job: Job) -> bool:
    """The matrix is computed by another job (``fromJSON(needs.x.outputs...)``): the project
    already decides per event which legs run."""
    matrix = yn.get_value(job.get("strategy"), "matrix")
    return any("needs." in (yn.scalar(node) or "") for node in yn.walk(matrix))


# A word of every `uses:` or `run:` value that _builder or _packages answers to (lower case).
_WORDS = ("cibuildwheel", "maturin-action", "goreleaser", "build-push-action", "upload-artifact")


def _none_named(wf: Workflow) -> bool:
    """The text names no release builder and no upload (in any case), so no `uses:` or `run:`
    value does: a YAML scalar's text is its value, but for the escapes and joined lines of a
    double-quoted scalar (a text with a backslash and a double quote is read step by step)."""
    text = wf.text
    return not ("\\" in text and '"' in text) and not may_contain(text, *_WORDS)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    if _none_named(wf):  # most workflows: no step to look at
        return
    events = jt.pr_runs(wf)
    if not events or jt.pr_paths_filtered(wf):
        return
    downloaded = None  # whether a pull-request job downloads artifacts: asked once a job builds
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.get("runs-on") is None or jt.gated_off_pr(job):
            continue
        # the cheap text tests first: most jobs build nothing for a release
        what = _builder(job)
        packaged = what is None
        if packaged:
            what = _packages(job)
            if what is None:
                continue
        if _matrix_from_job(job):
            continue
        if downloaded is None:
            downloaded = _downloaded_on_pr(wf)
        if downloaded:
            return
        total, costly = _legs(job)
        # a single Linux leg packaging pure-Python code takes a minute: not worth a finding
        if packaged and total < 2 and costly == 0:
            continue
        legs = f" ({total} jobs, {costly} on macOS/Windows)" if costly else (f" ({total} jobs)" if total > 1 else "")
        yield Finding(
            span=yn.span(job.key),
            message=(
                f"Job `{job.id}` builds {what} on every pull request{legs}, and nothing in the workflow "
                "downloads what it builds. Build releases where they are released: gate the job with "
                "`if: github.event_name != 'pull_request'`, with a `paths:` filter on the packaging files, "
                "or with a label."
            ),
            properties={"stake": stake("share", jobs=[job.id], events=events, share=SHARE)},
        )


# Gating by event removes every pull-request run of the job; a path filter or label keeps
# the few that change packaging.  0.8 leaves one run in five for those.
SHARE = 0.8

RULE = Rule(
    code="WFL025",
    slug="release-build-on-pull-request",
    summary="Release builds (wheels, multi-platform images, snapshots) on every pull request that nothing downloads",
    check=check,
    tags=("cost", "jobs"),
    precision="medium",
)
