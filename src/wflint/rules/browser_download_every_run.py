"""browser-download-every-run: Playwright, Cypress or Puppeteer browsers downloaded again on every run."""

from __future__ import annotations

import re
from typing import Iterator, Optional

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Job, Workflow
from .base import Context, Rule

# (tool, command that downloads its browsers, cache folder words)
TOOLS = (
    ("Playwright", re.compile(r"\bplaywright(@[\w.^~-]+)?\s+install\b(?!-deps)(?![^\n]*--only-shell\b)"), r"ms-playwright|playwright"),
    ("Cypress", re.compile(r"\bcypress(@[\w.^~-]+)?\s+install\b"), r"cypress"),
    ("Puppeteer", re.compile(r"(?<![\w@/-])(@puppeteer/browsers|puppeteer)(@[\w.^~-]+)?\s+(browsers\s+)?install\b"), r"puppeteer"),
)
CACHE_ACTIONS = ("actions/cache", "actions/cache/restore")
# Actions that restore the browsers themselves (cypress-io/github-action caches ~/.cache/Cypress).
CACHING_ACTIONS = {"Cypress": ("cypress-io/github-action",)}
# Images that ship the browsers (mcr.microsoft.com/playwright, cypress/browsers, cypress/included...).
IMAGES = re.compile(r"playwright|cypress|puppeteer|browsers", re.IGNORECASE)
# Minutes a run spends downloading and unpacking the browsers (see rules/browser-download-every-run.md).
MINUTES = 0.2


def _keeps_cache(job: Job) -> bool:
    from ..cost.runners import SELF_HOSTED, THIRD_PARTY, classify  # only for jobs that build or install: plain lint stays light

    labels = yn.to_data(job.get("runs-on"))
    labels = [labels] if isinstance(labels, str) else [str(x) for x in labels or []] if isinstance(labels, list) else []
    if labels and classify(labels).kind in (SELF_HOSTED, THIRD_PARTY):
        return True  # the browsers stay on the machine between runs
    image = yn.to_data(job.get("container"))
    image = image.get("image") if isinstance(image, dict) else image
    return isinstance(image, str) and bool(IMAGES.search(image))


def _cached(job: Job, tool: str, words: str) -> bool:
    for step in job.steps:
        action = step.action or ""
        if action in CACHING_ACTIONS.get(tool, ()):
            return True
        if action in CACHE_ACTIONS:
            text = " ".join(yn.scalar(step.with_(k)) or "" for k in ("path", "key"))
            if re.search(words, text, re.IGNORECASE):
                return True
    return False


def _finding(job: Job) -> Optional[Finding]:
    for step in job.steps:
        script = yn.scalar(step.get("run")) or ""
        lines = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
        for tool, command, words in TOOLS:
            found = next((m for line in lines for m in [command.search(line)] if m), None)
            if found is None or _cached(job, tool, words):
                continue
            if _keeps_cache(job):
                return None
            return Finding(
                span=yn.span(step.get("run")),
                message=(
                    f"`{found.group(0)}` in job `{job.id}` downloads {tool}'s browsers on every run, and no step caches "
                    f"them. Cache the browser folder with `actions/cache`, keyed on the {tool} version (a lock file "
                    "hash), and run the install only on a cache miss (system packages still need installing)."
                ),
                properties={"stake": stake("share", jobs=[job.id], minutes_per_run=MINUTES)},
            )
    return None


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    for job in wf.jobs:
        if yn.is_map(job.node):
            finding = _finding(job)
            if finding is not None:
                yield finding


RULE = Rule(
    code="WFL022",
    slug="browser-download-every-run",
    summary="Playwright, Cypress or Puppeteer browsers downloaded on every run with no cache of the browser folder",
    check=check,
    default=False,
    tags=("cost", "cache"),
    precision="low",
)
