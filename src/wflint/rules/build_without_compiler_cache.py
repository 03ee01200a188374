"""build-without-compiler-cache: compiled builds (C/C++, Rust, Bazel) that start from nothing
on every run, or a toolchain compiled from source on every run."""

from __future__ import annotations

import os
import re
from typing import Iterator, Optional

from .. import yamlnode as yn
from ..finding import Finding
from ..reads import note
from ..records import record
from ..stake import stake
from ..workflow import Job, Workflow
from . import jobtraits as jt
from .base import Context, Rule
from .missing_dependency_cache import _publishes


@record
class Toolchain:
    """A compiler toolchain: what shows a compile, what shows its cache, and the advice."""

    name: str
    build: "re.Pattern[str]"  # over the job's scripts: a compile happens
    cached: "re.Pattern[str]"  # over the job's uses/run/with/env text: something caches it
    advice: str


_CMD = r"(?:^|[\s;&|(`])"
C_CPP = Toolchain(
    "C/C++",
    re.compile(
        _CMD + r"(cmake\s+--build|cmake\s+(-S|-B)|meson\s+(compile|setup)|ninja\s+-C|msbuild(\.exe)?\s|"
        r"spin\s+build|scons\b|\./configure\b[^\n]*(\n[^\n]*)*?\bmake\b)",
        re.MULTILINE | re.IGNORECASE,
    ),
    re.compile(r"ccache|sccache|buildcache|COMPILER_LAUNCHER|clcache", re.IGNORECASE),
    "add `hendrikmuhs/ccache-action` (or `mozilla-actions/sccache-action`) and pass "
    "`-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache` (meson/make: `CC=\"ccache cc\"`)",
)
RUST = Toolchain(
    "Rust",
    re.compile(_CMD + r"cargo\s+(\+\S+\s+)?(build|test|check|clippy|nextest|bench|doc|run|llvm-cov|hack|tarpaulin)\b", re.MULTILINE),
    re.compile(r"rust-cache|sccache|cache-cargo|RUSTC_WRAPPER|\btarget\b|setup-rust-toolchain|rust-toolchain-cache", re.IGNORECASE),
    "add `- uses: Swatinem/rust-cache@v2` after the toolchain step (or set `RUSTC_WRAPPER=sccache`)",
)
BAZEL = Toolchain(
    "Bazel",
    re.compile(_CMD + r"bazel(isk)?[ \t]+([^\s;&|]+[ \t]+)*?(build|test|run|coverage)(?=[ \t]|$)", re.MULTILINE),
    re.compile(r"disk[-_]cache|remote[-_]cache|repository[-_]cache|\.cache/bazel|bazel-cache|buildbuddy|--config=(ci|remote|cache)", re.IGNORECASE),
    "keep a disk cache between runs (`bazel-contrib/setup-bazel` with `disk-cache: true`, or "
    "`--disk_cache` on a folder saved with `actions/cache`) or use a remote cache",
)
# A CPython or compiler built from source on each run.
PYENV = Toolchain(
    "pyenv",
    re.compile(_CMD + r"pyenv\s+install\b", re.MULTILINE),
    re.compile(r"\.pyenv|pyenv-cache|setup-pyenv", re.IGNORECASE),
    "cache `~/.pyenv` with `actions/cache` keyed on the versions, or use `actions/setup-python`, which downloads builds",
)
TOOLCHAINS = (C_CPP, RUST, BAZEL, PYENV)
# Frequent triggers: a cache only pays when runs repeat.
FREQUENT = ("push", "pull_request", "pull_request_target", "merge_group")


def _local_action_text(step, repo_root: Optional[str]) -> Optional[str]:
    """The ``action.yml`` of a ``./`` action in the repository, or None when it cannot be read."""
    if not repo_root:
        return None
    folder = os.path.join(repo_root, (step.uses or "").split("@")[0])
    for name in ("action.yml", "action.yaml"):
        note(os.path.join(folder, name))
        try:
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                return handle.read()
        except OSError:
            continue
    return None


def _caches_by_input(job: Job) -> bool:
    """A step is asked to cache through an input (``cache: true``, ``cache-base: main``,
    ``cargo-cache: true``...): setup actions that cache builds on their own."""
    for step in job.steps:
        for key, value in yn.entries(step.get("with")):
            name = (yn.scalar(key) or "").lower()
            if "cache" in name and (yn.scalar(value) or "").strip().lower() not in ("", "false", "none", "off", "no"):
                return True
    return False


def _cache_text(wf: Workflow, job: Job) -> str:
    """What could cache: every step's uses/run/with, the env of workflow, job and steps, and
    the ``actions/cache`` paths and keys."""
    return "\n".join([jt.env_text(wf, job), *(jt.step_text(step) for step in job.steps)])


def _heavy(job: Job, toolchain: Toolchain) -> bool:
    """Worth a cache: several legs, a macOS/Windows leg, or (C/C++, Rust, Bazel) a compile."""
    os_names = jt.os_legs(job)
    if toolchain is PYENV:
        return True  # compiling CPython takes minutes on any runner
    return len(os_names) > 1 or any(name in ("macos", "windows") for name in os_names) or toolchain is not C_CPP


def _runner_words(job: Job) -> str:
    os_names = sorted({name for name in jt.os_legs(job) if name})
    names = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}
    legs = len(jt.os_legs(job))
    where = " and ".join(names[n] for n in os_names) if os_names else "its runner"
    return f"on {where}" + (f" ({legs} jobs a run)" if legs > 1 else "")


def _found(job: Job, toolchain: Toolchain, scripts: str, cache_text: str) -> Optional[str]:
    match = toolchain.build.search(scripts)
    if match is None or toolchain.cached.search(cache_text):
        return None
    if toolchain is BAZEL and "--nobuild" in scripts:
        return None  # analysis only
    words = [w for w in match.group(0).strip(" ;&|(`\n").split() if not w.startswith(("$", "\\", "+", "--host", "--enable"))]
    if words and words[0] == "./configure":
        return "./configure` and `make"
    return " ".join(words[:2])


# Steps that run the build in a virtual machine or an emulator, where the runner's caches
# do not reach.
VM_ACTIONS = ("cross-platform-actions/action", "vmactions/", "uraimo/run-on-arch-action")


def _in_vm(job: Job) -> bool:
    return any((step.action or "").startswith(VM_ACTIONS) for step in job.steps)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    events = [name for name in FREQUENT if name in wf.triggers]
    if not events:
        return
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.get("runs-on") is None or _publishes(wf, job):
            continue
        scripts = jt.scripts(job)
        if not any(t.build.search(scripts) for t in TOOLCHAINS):
            continue
        legs = jt.legs(job)
        if _in_vm(job) or any(runner.kind == "self-hosted" for runner in legs):
            continue  # a self-hosted machine keeps its build folders
        if legs and all(r.kind == "unknown" for r in legs) and "${{" not in str(yn.to_data(job.get("runs-on"))):
            continue  # a custom runner label: most often a self-hosted pool
        cache_text = _cache_text(wf, job)
        local = [jt_text for step in job.steps if (step.uses or "").startswith("./")
                 for jt_text in [_local_action_text(step, ctx.repo_root)]]
        if None in local or _caches_by_input(job):
            continue  # a repository action we cannot read may cache; a cache input is set
        cache_text += "\n".join(local)
        for toolchain in TOOLCHAINS:
            command = _found(job, toolchain, scripts, cache_text)
            if command is None or not _heavy(job, toolchain):
                continue
            what = "builds a toolchain from source" if toolchain is PYENV else f"compiles {toolchain.name}"
            yield Finding(
                span=yn.span(job.key),
                message=(
                    f"Job `{job.id}` {_runner_words(job)} runs `{command}` with no compiler or build cache, so it "
                    f"{what} from scratch on every run: {toolchain.advice}."
                ),
                properties={"stake": stake("share", jobs=[job.id], events=events, share=SHARE[toolchain.name])},
            )
            break


# Share of the job's minutes a warm cache saves (see the page's "Why it costs").
SHARE = {"C/C++": 0.35, "Rust": 0.35, "Bazel": 0.5, "pyenv": 0.25}

RULE = Rule(
    code="WFL026",
    slug="build-without-compiler-cache",
    summary="Compiled build (C/C++, Rust, Bazel) or toolchain from source with no compiler or build cache",
    check=check,
    default=False,  # 40% of the reviewed findings are builds too small to matter (see the page)
    tags=("cost", "cache"),
    precision="medium",
)
