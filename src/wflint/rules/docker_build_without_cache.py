"""docker-build-without-cache: an image built on a fresh hosted runner with no layer cache to reuse."""

from __future__ import annotations

import re
from typing import Iterator, List, Optional

from .. import yamlnode as yn
from ..finding import Edit, Finding, Fix, Safety
from ..stake import stake
from ..workflow import Job, Step, Workflow
from ..yamledit import add_entry, add_step_input
from ..intent import Mismatch, step_with
from .base import Context, Rule

BUILD_ACTION = "docker/build-push-action"
BUILDX_ACTION = "docker/setup-buildx-action"
# `docker build`, `docker buildx build`, `docker image build` on a line of a run script.
DOCKER_BUILD = re.compile(r"(?<![\w:./-])docker[ \t]+(?:buildx[ \t]+|image[ \t]+)?build(?![\w-])")
CACHE_FLAGS = re.compile(r"--cache-from\b|--no-cache\b|\bBUILDKIT_INLINE_CACHE\b")
CACHE_FROM, CACHE_TO = "type=gha", "type=gha,mode=max"
# Share of the job's minutes a layer cache saves (see rules/docker-build-without-cache.md, "Why it costs").
SHARE = 0.3


# Builders that bring their own persistent layer cache (vendor runners' sticky disks, remote builders).
CACHING_BUILDERS = ("useblacksmith/", "depot/", "namespacelabs/", "warpbuilds/")
# A script that builds only when the registry lacks the image already caches by hand.
GUARDED = re.compile(r"docker[ \t]+manifest[ \t]+inspect|docker[ \t]+buildx[ \t]+imagetools[ \t]+inspect")
COMMENTED_CACHE = re.compile(r"#\s*cache-(from|to)\s*:")


def _keeps_cache(job: Job) -> bool:
    """Self-hosted and vendor runners keep Docker's layer cache between runs, or a vendor builder does."""
    from ..cost.runners import SELF_HOSTED, THIRD_PARTY, classify  # only for jobs that build or install: plain lint stays light

    labels = yn.to_data(job.get("runs-on"))
    if isinstance(labels, dict):
        labels = labels.get("labels") or []
    labels = [labels] if isinstance(labels, str) else [str(x) for x in labels or []]
    if labels and classify(labels).kind in (SELF_HOSTED, THIRD_PARTY):
        return True
    return any((step.action or "").startswith(CACHING_BUILDERS) for step in job.steps)


def _buildx_driver(job: Job, before: int) -> Optional[str]:
    """The driver of the last setup-buildx step before ``before`` (None: no such step)."""
    driver = None
    for step in job.steps[:before]:
        if step.action == BUILDX_ACTION:
            driver = (yn.scalar(step.with_("driver")) or "docker-container").strip()
    return driver


def _fix(wf: Workflow, step: Step) -> Optional[Fix]:
    if not yn.is_map(step.node) or any(id(n) in wf.shared for n in (step.node, step.get("with")) if n is not None):
        return None
    inputs = step.get("with")
    if yn.is_map(inputs):
        first = add_step_input(wf.source, step.node, "cache-from", CACHE_FROM, wf.style)
        second = add_step_input(wf.source, step.node, "cache-to", CACHE_TO, wf.style)
        if first is None or second is None or (first.start, first.end) != (second.start, second.end):
            return None
        edit = Edit(first.start, first.end, first.content + second.content)
    elif inputs is None:
        edit = add_entry(wf.source, step.node, "with", {"cache-from": CACHE_FROM, "cache-to": CACHE_TO}, wf.style, after=step.get("uses"))
        if edit is None:
            return None
    else:
        return None
    return Fix(f"Add `cache-from: {CACHE_FROM}` and `cache-to: {CACHE_TO}` to `{step.uses}`", (edit,), Safety.UNSAFE)


def _action_finding(wf: Workflow, job: Job, step: Step, events: List[str]) -> Optional[Finding]:
    if any(step.with_(key) is not None for key in ("cache-from", "cache-to")):
        return None
    if (yn.scalar(step.with_("no-cache")) or "").strip().lower() == "true":
        return None  # a deliberate clean build
    if COMMENTED_CACHE.search(wf.text[step.node.start_mark.index : step.node.end_mark.index]):
        return None  # caching tried and turned off on purpose
    driver = _buildx_driver(job, step.index)
    if driver == "docker":
        return None  # the local daemon's driver, chosen to build on images loaded in this job; it cannot export a cache
    fix = _fix(wf, step) if driver == "docker-container" else None
    how = (
        f"add `cache-from: {CACHE_FROM}` and `cache-to: {CACHE_TO}`"
        if fix is not None
        else f"add a `{BUILDX_ACTION}` step before it and `cache-from: {CACHE_FROM}` / `cache-to: {CACHE_TO}` (or a registry cache)"
    )
    return Finding(
        span=yn.span(step.get("uses")),
        message=(
            f"`{step.uses}` in job `{job.id}` builds the image with no layer cache: every run rebuilds every layer "
            f"on a fresh runner, dependency installs included. To reuse unchanged layers, {how}."
        ),
        fix=fix,
        properties={"stake": stake("share", jobs=[job.id], events=events, share=SHARE)},
    )


def _run_finding(job: Job, step: Step, events: List[str]) -> Optional[Finding]:
    script = yn.scalar(step.get("run")) or ""
    if GUARDED.search(script):
        return None
    for line in re.split(r"(?<!\\)\n", script):  # a continued command (`\` newline) stays one line
        if line.lstrip().startswith("#") or not DOCKER_BUILD.search(line) or CACHE_FLAGS.search(line):
            continue
        command = " ".join(line.split())[:60]
        return Finding(
            span=yn.span(step.get("run")),
            message=(
                f"`{command}` in job `{job.id}` builds the image with no layer cache: a hosted runner starts with an "
                "empty Docker cache, so every layer is rebuilt on every run. Pass `--cache-from`/`--cache-to` "
                "(e.g. `type=gha` with `docker buildx build`) or use `docker/build-push-action` with a cache."
            ),
            properties={"stake": stake("share", jobs=[job.id], events=events, share=SHARE)},
        )
    return None


def frequent_events(wf: Workflow) -> List[str]:
    """Triggers that run on every change: pull requests, merge queues, pushes to branches.

    Releases, tag pushes, schedules and manual runs build rarely, and a publishing build there
    is often uncached on purpose (base-image security updates must not come from a stale layer).
    """
    events = [name for name in ("pull_request", "pull_request_target", "merge_group") if name in wf.triggers]
    push = wf.triggers.get("push")
    tags_only = (push.has_filter("tags") or push.has_filter("tags-ignore")) and not (
        push.has_filter("branches") or push.has_filter("branches-ignore")
    ) if push is not None else False
    if push is not None and not tags_only:
        events.append("push")
    return events


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    events = frequent_events(wf)
    if not events:
        return
    for job in wf.jobs:
        if not yn.is_map(job.node):
            continue
        # Later builds in the same job reuse the first one's layers: only the job's first build
        # step decides, cached or not (so a fixed first build never brings up the second).
        for step in job.steps:
            if step.action == BUILD_ACTION:
                finding = _action_finding(wf, job, step, events)
            elif step.get("run") is not None and DOCKER_BUILD.search(yn.scalar(step.get("run")) or ""):
                finding = _run_finding(job, step, events)
            else:
                continue
            if finding is not None and not _keeps_cache(job):
                yield finding
            break


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """docker-build-without-cache: the step's `with` gains exactly the gha cache-from/cache-to pair."""
    expected, after = step_with(data, wf, finding, fixed)
    added = {key: after[key] for key in after if key not in expected}
    if added != {"cache-from": CACHE_FROM, "cache-to": CACHE_TO}:
        raise Mismatch(f"the step's `with` gained {added}: cache-from/cache-to of type gha expected")
    expected.update(added)


RULE = Rule(
    code="WFL019",
    slug="docker-build-without-cache",
    summary="Docker image built on a hosted runner without a layer cache (cache-from/cache-to)",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    tags=("cost", "cache"),
    precision="medium",
    # Opt-in: 1 of 14 reviewed findings false but 6 more on small images that rebuild in a minute
    # or two, which the static estimate cannot tell from big ones (rules/docker-build-without-cache.md).
    default=False,
)
