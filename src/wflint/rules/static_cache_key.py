"""static-cache-key: an actions/cache key that never changes, so the saved cache is never refreshed."""

from __future__ import annotations

import re
from typing import Iterator, List, Optional

from .. import yamlnode as yn
from ..expressions import bodies, literal_text, references
from ..finding import Finding
from ..stake import stake
from ..workflow import Job, Step, Workflow
from .base import Context, Rule

# Steps that save a cache under their key (actions/cache/restore only reads one).
SAVING = ("actions/cache", "actions/cache/save")
# Context properties that are the same on every run of a job: a key built only from these
# (and text) never changes.
FIXED = ("runner.os", "runner.arch", "github.workflow", "github.job", "github.repository", "github.repository_owner",
         "github.event.repository.name")
VERSION = re.compile(r"\d+\.\d+")
# Scripts that delete caches by hand: the key is static on purpose (refreshed by deleting it).
DELETES = re.compile(r"\bgh\s+(cache\s+delete|api\b[^\n]*actions/caches)|actions/caches/|deleteActionsCacheBy")


def static_key(key: str) -> bool:
    """No part of the key changes between runs: only text and the ``FIXED`` properties, no function
    call (``hashFiles``, ``format`` of anything...)."""
    if any(re.search(r"[A-Za-z_]\w*\s*\(", body) for body in bodies(key)):
        return False
    if VERSION.search(literal_text(key)):
        return False  # a pinned version (`sdk-24.08`): the content is fixed until the key is edited
    return all(name in FIXED for name in references(key))


def _deletes_caches(wf: Workflow) -> bool:
    for job in wf.jobs:
        for step in job.steps:
            text = (yn.scalar(step.get("run")) or "") + (yn.scalar(step.with_("script")) or "")
            if DELETES.search(text):
                return True
    return False


def _paths(step: Step) -> List[str]:
    node = step.with_("path")
    if yn.is_seq(node):
        return [yn.scalar(item) or "" for item in yn.items(node)]
    return [line.strip() for line in (yn.scalar(node) or "").splitlines() if line.strip()]


def _finding(job: Job, step: Step, key: str) -> Finding:
    paths = ", ".join(f"`{p}`" for p in _paths(step)[:3]) or "its paths"
    return Finding(
        span=yn.span(step.with_("key")),
        message=(
            f"Cache key `{key}` of `{step.uses}` in job `{job.id}` never changes: a cache entry is never overwritten, so "
            f"{paths} stays as the first run saved it and every later run redoes whatever changed since. Add "
            "`hashFiles(...)` of the files that decide the content (a lock file) to the key, with the static part as "
            "`restore-keys`."
        ),
        properties={"stake": stake("share", jobs=[job.id], minutes_per_run=MINUTES)},
    )


# Minutes per run a refreshed cache saves (see rules/static-cache-key.md, "Why it costs").
MINUTES = 0.5


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    deletes: Optional[bool] = None
    for job in wf.jobs:
        for step in job.steps:
            if step.action not in SAVING:
                continue
            key = yn.scalar(step.with_("key"))
            if key is None or not key.strip() or not static_key(key):
                continue
            if deletes is None:
                deletes = _deletes_caches(wf)
            if deletes:
                return
            yield _finding(job, step, " ".join(key.split()))


RULE = Rule(
    code="WFL020",
    slug="static-cache-key",
    summary="actions/cache key without hashFiles or a changing value: the cache is saved once and never refreshed",
    check=check,
    default=False,
    tags=("cost", "cache"),
    precision="low",
)
