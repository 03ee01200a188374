"""artifact-retention: ``actions/upload-artifact`` keeps its artifact for the repository default.

Not reported where a shorter retention would break something or save nothing:

- the artifacts are read by other runs: a download from another run in the same file
  (``dawidd6/action-download-artifact`` and the like, ``actions/download-artifact`` with
  ``run-id``, ``gh run download``, the artifacts REST API), or a sibling workflow of the
  same folder that reads this workflow's runs (``workflow_run`` naming it, or a cross-run
  download naming its file), or one that lists the repository's artifacts;
- the artifact is a nightly or release build, a download people fetch from the run page;
- the artifact is a few bytes of bookkeeping (a pull-request number, the event file);
- the upload runs only on releases (the job's ``if:`` asks for a tag, a release event or a
  version/release output of another job), or the file is a reusable workflow whose callers in
  the folder call it only on releases.

The finding's stake is the storage (``wflint.stake``, measure ``storage``): an estimate of the
artifact's size from its ``path:`` (and name) x uploads a month x the days saved; the cost
model prices it and hides it below ``min-savings``.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, Optional, Tuple

from .. import yamlnode as yn
from ..finding import Finding, Fix, Safety
from ..siblings import Sibling, describe, each, folder_key, read_containing
from ..stake import stake
from ..textscan import folded, may_contain
from ..workflow import Step, Workflow
from ..yamledit import add_step_input
from ..intent import plain, step_with
from .base import Context, Rule

ACTION = "actions/upload-artifact"
# Text that reads artifacts of another run (in `run:` scripts, github-script or `uses:`).
CROSS_RUN = re.compile(
    r"\bgh run download\b|/actions/artifacts\b|/artifacts/\$|/runs/[^\s/]+/artifacts\b|"
    r"\b(listWorkflowRunArtifacts|listArtifactsForRepo|downloadArtifact|getArtifact)\b|"
    r"(^|uses:\s*['\"]?)(?!actions/)[\w.-]+/[\w.-]*download[\w-]*-artifact",
    re.IGNORECASE | re.MULTILINE,
)
# Listing every artifact of the repository: any workflow's artifacts may be read.
REPO_WIDE = re.compile(r"\blistArtifactsForRepo\b|repos/[^\s/]+/[^\s/]+/actions/artifacts\b(?!/)", re.IGNORECASE)
# Bookkeeping files a few bytes long: a pull-request number, the event payload.
TINY = re.compile(
    r"\b(pr|pull[-_ ]?request)[-_ ]?(number|num|nr|id)\b|(^|[^a-z])(pr|pull)[-_]?(number|num|nr)|"
    r"event[-_ ]?file|event\.json|github\.event_path|(^|[\s/])(pr|NR)/?(\s|$)",
    re.IGNORECASE,
)
# `actions/download-artifact` told which run to read: `run-id:` in its `with:`.
RUN_ID_DOWNLOAD = re.compile(r"^\s*run-id\s*:", re.MULTILINE)
BUILD_KIND = re.compile(r"nightly", re.IGNORECASE)
# An upload only when something failed (`if: failure()`): rare runs, kept to debug them.
ON_FAILURE = re.compile(r"\bfailure\(\)")
# Text files of a few kilobytes: logs, transcripts, one report (every path listed is one).
SMALL_TEXT = re.compile(r"\.(txt|log|md|rout|json|xml|out)\*?$|(^|/)(logs?|transcripts?)/?$", re.IGNORECASE)
NOT_DOWNLOAD = re.compile(r"report|log|coverage|result|junit|test|screenshot|trace|benchmark|sarif", re.IGNORECASE)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    days = int(ctx.options.get("days", 7))
    steps = [
        (job, step)
        for job in wf.jobs
        for step in job.steps
        if step.action == ACTION and step.with_("retention-days") is None and yn.is_map(step.node)
    ]
    if not steps or _read_by_other_runs(wf, ctx):
        return
    for job, step in steps:
        if _tiny(step) or _build_download(wf, job, step) or _rare_or_small(wf, job, step):
            continue
        if _release_only(wf, job, step, ctx):
            continue
        mb, kind = _size(job, step)
        yield Finding(
            span=yn.entry_span(step.node, "uses"),
            message=(
                f"`{step.uses}` in job `{job.id}` has no `retention-days`. The artifact (estimated {_mb(mb)} "
                f"a run: {kind}) is kept for the repository's retention setting (90 days unless changed) "
                "and counts against storage all that time."
            ),
            fix=_fix(wf, step, days),
            properties={"stake": stake("storage", jobs=[job.id], mb_per_run=mb, days_saved=max(0, DEFAULT_DAYS - days))},
        )


def _reads_other_runs(text: str) -> bool:
    low = folded(text)
    # every branch of CROSS_RUN holds one of these words; the last one `<owner>/...download...-artifact`
    if not (
        "gh run download" in low or "/artifacts" in low or "listworkflowrunartifacts" in low
        or "listartifactsforrepo" in low or "downloadartifact" in low or "getartifact" in low
        or ("-artifact" in low and _other_download(low))
    ):
        return False
    return CROSS_RUN.search(text) is not None


def _other_download(low: str) -> bool:
    """CROSS_RUN's last branch could match at some `download` of the folded text: one in a
    path segment after `<owner>/`, the owner not `actions`, followed by `...-artifact`."""
    at = low.find("download")
    while at != -1:
        end = at + 8
        while end < len(low) and (low[end].isalnum() or low[end] in "_-"):
            end += 1
        start = at
        while start > 0 and (low[start - 1].isalnum() or low[start - 1] in "_.-"):
            start -= 1
        if "-artifact" in low[at + 8:end] and start > 0 and low[start - 1] == "/":
            owner = start - 1
            while owner > 0 and (low[owner - 1].isalnum() or low[owner - 1] in "_.-"):
                owner -= 1
            if low[owner:start - 1] not in ("", "actions"):
                return True
        at = low.find("download", at + 1)
    return False


def _may_contain(text: str, *words: str) -> bool:
    """False only when no case variant of the (lower-case) words is in the text: a quick
    test before a case-insensitive regex (``textscan``)."""
    return may_contain(text, *words)


def _step_texts(wf: Workflow) -> Iterator[str]:
    for job in wf.jobs:
        for step in job.steps:
            action = step.action or ""
            if action == "actions/download-artifact" and step.with_("run-id") is not None:
                yield "gh run download"  # a download from another run
            other = yn.scalar(step.with_("workflow"))
            if other and os.path.basename(other) != os.path.basename(wf.path):
                continue  # reads another workflow's runs: that one's artifacts are kept (see the siblings)
            yield "\n".join(filter(None, (action, yn.scalar(step.get("run")), yn.scalar(step.with_("script")))))


def _read_by_other_runs(wf: Workflow, ctx: Context) -> bool:
    """Some run other than the uploading one reads this workflow's artifacts."""
    # In this file: a workflow reading artifacts of earlier runs (its own, or of the workflow
    # that triggered it, whose uploads then run under `workflow_run` as well).
    if any(_reads_other_runs(text) for text in _step_texts(wf)):
        return True
    key = folder_key(wf.path, ctx.repo_root)
    if key is None:
        return False
    file = os.path.basename(wf.path)
    own = Sibling(file, yn.scalar(wf.get("name")), wf.text)
    repo_wide, consumers, readers = _folder_summary(key)
    if any(other != file for other in repo_wide):
        return True
    if any(other != file for name in own.names() for other in consumers.get(name, ())):
        return True  # a `workflow_run` workflow that downloads the artifacts of this one's runs
    # e.g. `dawidd6/action-download-artifact` with `workflow: <this file>`
    return any(other != file and _names_file(text, file) for other, text in readers if _may_contain(text, file.lower()))


@lru_cache(maxsize=32)
def _folder_summary(key) -> Tuple[FrozenSet[str], Dict[str, FrozenSet[str]], Tuple[Tuple[str, str], ...]]:
    """Once per folder: (files listing the repository's artifacts, workflow name -> files of
    ``workflow_run`` workflows downloading its runs' artifacts, (file, text) of files reading other runs)."""
    repo_wide, consumers, readers = set(), {}, []
    for sibling in each(key):
        if _may_contain(sibling.text, "artifacts") and REPO_WIDE.search(sibling.text):
            repo_wide.add(sibling.file)
        reads_other = _reads_other_runs(sibling.text)
        if "workflow_run" in sibling.text and (reads_other or RUN_ID_DOWNLOAD.search(sibling.text)):
            for name in describe(sibling).workflow_run:
                consumers.setdefault(name, set()).add(sibling.file)
        if reads_other:
            readers.append((sibling.file, sibling.text))
    return frozenset(repo_wide), {k: frozenset(v) for k, v in consumers.items()}, tuple(readers)


def _names_file(text: str, file: str) -> bool:
    """``file`` is named as the workflow whose runs are read: ``workflow: <file>``, ``--workflow <file>``,
    ``actions/workflows/<file>/runs`` (not a path filter, nor a reusable-workflow call: the same run)."""
    name = re.escape(file)
    pattern = rf"(\bworkflow(_id|_name|_file)?\s*[:=]\s*|--workflow[= ]|\s-w |(?<!\.github/)workflows/)['\"]?{name}\b"
    return re.search(pattern, text, re.IGNORECASE) is not None


def _rare_or_small(wf: Workflow, job, step: Step) -> bool:
    """Uploads whose storage is not worth a finding: only when a run failed, only in runs started
    by hand, or only a few small text files (logs, a transcript, one report)."""
    condition = " ".join(yn.scalar(node) or "" for node in (step.get("if"), job.get("if")))
    if ON_FAILURE.search(condition) and "always()" not in condition:
        return True
    if _rarely_runs(wf):
        return True
    paths = [line.strip() for line in (yn.scalar(step.with_("path")) or "").splitlines() if line.strip()]
    return bool(paths) and all(SMALL_TEXT.search(path.strip("'\"")) for path in paths)


# Branch names of releases and maintenance lines: pushes there come a few times a month.
RELEASE_BRANCH = re.compile(r"^(v[\d*]|\d)|release|hotfix|maint|stable|\blts\b", re.IGNORECASE)


def _rarely_runs(wf: Workflow) -> bool:
    """Every trigger starts a few runs a month at most: by hand, on a release, or on pushes to
    tags and release branches only (their artifacts take little storage in all)."""
    for name, trigger in wf.triggers.items():
        if name in ("workflow_dispatch", "release"):
            continue
        if name != "push":
            return False
        branches = yn.strings(trigger.filter("branches"))
        tags_only = not branches and trigger.filter("branches-ignore") is None and (
            trigger.has_filter("tags") or trigger.has_filter("tags-ignore"))
        if not (tags_only or (branches and all(RELEASE_BRANCH.match(b.strip("'\"")) for b in branches))):
            return False
    return bool(wf.triggers)


def _tiny(step: Step) -> bool:
    text = " ".join(yn.scalar(step.with_(k)) or "" for k in ("name", "path"))
    return TINY.search(text) is not None


def _build_download(wf: Workflow, job, step: Step) -> bool:
    """A nightly or release build's artifact: what people download from the run page."""
    artifact = " ".join(yn.scalar(step.with_(k)) or "" for k in ("name", "path"))
    if NOT_DOWNLOAD.search(artifact):
        return False
    where = " ".join([os.path.basename(wf.path), yn.scalar(wf.get("name")) or "", artifact])
    if BUILD_KIND.search(where):
        return True
    push = wf.triggers.get("push")
    tag_only = push is not None and push.has_filter("tags") and not push.has_filter("branches")
    triggers = set(wf.triggers) - {"workflow_dispatch"} - ({"push"} if tag_only else set())
    return (bool(triggers) or tag_only) and triggers <= {"schedule", "release"}

DEFAULT_DAYS = 90  # GitHub's default retention (public repositories; the fix cannot see a lower setting)

# Size estimates of one uploaded path, in megabytes (the workflow never says the size).
TINY_MB, SMALL_MB, MEDIUM_MB, BIG_MB = 0.1, 5.0, 50.0, 200.0
# Text files of kilobytes: reports, digests, diffs, checksums, one page.
TINY_FILE = re.compile(
    r"\.(txt|json|jsonl|ya?ml|md|diff|patch|sarif|xml|log|csv|tsv|rout|out|toml|ini|env|sha\d*|sha\d*sum|md5|"
    r"sig|asc|pem|version|properties|lcov-summary)$|(^|[/._-])digests?([/._-]|$)",
    re.IGNORECASE,
)
# Megabytes: small packages, one image or page (a page may inline its images), a folder of logs or transcripts.
SMALL_FILE = re.compile(r"\.(nupkg|gem|crate|vsix|tgz|png|jpe?g|gif|svg|pdf|html?)$|(^|/)(logs?|transcripts?|sessions)$", re.IGNORECASE)
# Hundreds of megabytes: binaries, wheels, installers, archives, images, videos.
BIG_FILE = re.compile(
    r"\.(whl|tar(\.\w+)?|zip|7z|deb|rpm|msix?|exe|dmg|pkg|apk|aab|ipa|appimage|jar|war|ear|so|dll|dylib|a|lib|"
    r"iso|img|qcow2|snap|flatpak|wasm|node|mp4|webm|mov|bin|xcarchive|app)$",
    re.IGNORECASE,
)
# Folders of a build tree, a package staging area, HTML coverage, test bundles, screenshots.
BIG_DIR = re.compile(
    r"^(dist|build|builds|target|out|output|outputs|release|releases|bin|artifacts?|wheelhouse|wheels|packages|pkgs?|"
    r"[\w-]*staging|installers?|node_modules|htmlcov|coverage|lcov-report|html|test-results|playwright-report|"
    r"blob-report|screenshots|videos|snapshots|site|_site|public|bundle|apks?|images?|deploy|lib)$",
    re.IGNORECASE,
)
# Folders that a JavaScript-only job fills with a bundle of a few megabytes.
JS_OUTPUT = re.compile(r"^(dist|build|out|lib|bundle)$", re.IGNORECASE)
NODE_TOOL = re.compile(r"setup-node|\b(npm|npx|yarn|pnpm|bun)\b", re.IGNORECASE)
# Anything that compiles or packages native code makes a build folder big again.
COMPILER = re.compile(
    r"setup-(go|java|dotnet|python)|rust-toolchain|\b(cargo|rustc|go build|gcc|g\+\+|clang|cmake|make|meson|ninja|"
    r"bazel|mvn|gradlew?|dotnet|msbuild|xcodebuild|swift|electron|tauri|pyinstaller|docker|flutter|maturin|"
    r"cibuildwheel)\b",
    re.IGNORECASE,
)


def _size(job, step: Step) -> Tuple[float, str]:
    """(megabytes uploaded per run, what the estimate is) from the upload's ``path:`` lines."""
    paths = [p.strip().strip("'\"") for p in (yn.scalar(step.with_("path")) or "").splitlines()]
    paths = [p for p in paths if p and not p.startswith("!")]
    name = (yn.scalar(step.with_("name")) or "").strip()
    sizes = [_path_size(path, name, job) for path in paths or [""]]
    return sum(mb for mb, _ in sizes), max(sizes, key=lambda size: size[0])[1]


def _path_size(path: str, name: str, job) -> Tuple[float, str]:
    clean = re.sub(r"(/\*\*?)+$|/+$", "", path.replace("\\", "/"))
    last = clean.rsplit("/", 1)[-1]
    if "${{" in last and "." not in last.split("}}")[-1]:
        last = ""  # the name is an expression: unknown
    if TINY_FILE.search(last) or (not last and TINY_FILE.search(clean)):
        return TINY_MB, "text files of kilobytes"
    if SMALL_FILE.search(last):
        if "*" in last and not last.endswith(("log", "logs")):
            return MEDIUM_MB, "a wildcard of files, how many unknown"  # screenshots: one or hundreds
        return SMALL_MB, "a small package, image, page or logs"
    if BIG_FILE.search(last):
        return BIG_MB, "binaries, packages or archives"
    if last and "." not in last.lstrip(".") and "*" not in last:
        if TINY_FILE.search(name):  # a folder uploaded under a file's name: `test-pipelines.json`
            return TINY_MB, "text files of kilobytes"
        if JS_OUTPUT.match(last) and _javascript_only(job):
            return SMALL_MB, "a JavaScript bundle"
        if BIG_DIR.match(last):
            return BIG_MB, "a build, coverage or test-results folder"
    return MEDIUM_MB, "size unknown from the path"


def _javascript_only(job) -> bool:
    text = "\n".join(filter(None, (f"{s.action or ''} {yn.scalar(s.get('run')) or ''}" for s in job.steps)))
    return NODE_TOOL.search(text) is not None and COMPILER.search(text) is None


def _mb(mb: float) -> str:
    return f"about {mb:,.0f} MB" if mb >= 1 else "under 1 MB"


# An `if:` that holds only on releases: a tag, a release event, a version or release output
# of another job (`needs.version.outputs.cli-version != ''`, `steps.release.outputs.release_created`).
RELEASE_IF = re.compile(
    r"(?<!!)(github\.event_name\s*==\s*['\"]release['\"]|startsWith\(\s*github\.ref\s*,\s*['\"]refs/tags/|"
    r"github\.ref_type\s*==\s*['\"]tag['\"]|contains\(\s*github\.ref\s*,\s*['\"](refs/)?tags|"
    r"\boutputs\.[\w-]*(release|version|tag|publish)[\w-]*)",
    re.IGNORECASE,
)


def _release_gated(condition: str) -> bool:
    return RELEASE_IF.search(condition) is not None and "||" not in condition


def _release_only(wf: Workflow, job, step: Step, ctx: Context) -> bool:
    """The upload runs only on releases: its job's or step's `if:`, or, for a reusable workflow,
    every caller in the folder (a caller that runs a few times a month, or calls it only on releases)."""
    if any(_release_gated(yn.scalar(node) or "") for node in (step.get("if"), job.get("if"))):
        return True
    if "workflow_call" not in wf.triggers or set(wf.triggers) - {"workflow_call", "workflow_dispatch"}:
        return False
    key = folder_key(wf.path, ctx.repo_root)
    calls = _callers(key, os.path.basename(wf.path)) if key is not None else ()
    return bool(calls) and all(calls)  # no caller in sight: its name alone does not say (previews call "release" builds)


@lru_cache(maxsize=64)
def _callers(key, file: str) -> Tuple[bool, ...]:
    """For each job of the folder calling ``file``: whether it runs only on releases."""
    from ..source import Source
    from ..workflow import WorkflowError, build

    out = []
    call = re.compile(rf"^\s*uses:\s*['\"]?[.$]/\.github/workflows/{re.escape(file)}['\"]?\s*(#.*)?$", re.MULTILINE)
    for sibling in read_containing(key, "/.github/workflows/"):  # (the call's path has it)
        if sibling.file == file or file not in sibling.text or not call.search(sibling.text):
            continue
        try:
            caller = build(Source(path=sibling.file, text=sibling.text), yn.compose(sibling.text))
        except (ValueError, yn.YAMLLoadError, WorkflowError):
            out.append(False)
            continue
        rare = _rarely_runs(caller)
        for job in caller.jobs:
            uses = (yn.scalar(job.get("uses")) or "").split("@", 1)[0]
            if os.path.basename(uses) == file and uses[:1] in ".$":
                out.append(rare or _release_gated(yn.scalar(job.get("if")) or ""))
    return tuple(out)


def _fix(wf: Workflow, step: Step, days: int) -> Optional[Fix]:
    edit = add_step_input(wf.source, step.node, "retention-days", days, wf.style, wf.shared)
    if edit is None:
        return None
    return Fix(f"Add `retention-days: {days}`", (edit,), Safety.UNSAFE)


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """The flagged step's `with:` gains `retention-days`."""
    step_with(data, wf, finding, fixed)[0]["retention-days"] = plain(options["days"])


RULE = Rule(
    code="WFL008",
    slug="artifact-retention",
    summary="upload-artifact without retention-days keeps artifacts for the repository default (90 days)",
    default=False,  # without the artifact's real size, half the seed-22 review's findings were cheap (README: precision)
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    options={"days": 7},
    options_schema={"days": {"type": "integer", "minimum": 1, "maximum": 400}},
    tags=("cost", "storage"),
)
