"""expensive-runner (opt-in): macOS or Windows runners on every push."""

from __future__ import annotations

import re
from typing import Iterator, List

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Workflow
from .base import Context, Rule
from .duplicate_triggers import push_runs_on_every_branch

# Per-minute list prices from 2026-01-01 (USD) of the standard runners, and Linux for comparison.
PRICES = {"linux": 0.006, "windows": 0.010, "macos": 0.062}
NAMES = {"windows": "Windows", "macos": "macOS"}


def _labels(job) -> List[str]:
    """The runner labels a job can run on, with ``${{ matrix.x }}`` looked up in its matrix."""
    text = yn.to_data(job.get("runs-on"))
    values = text if isinstance(text, list) else [text]
    labels: List[str] = []
    matrix = yn.to_data(yn.get_value(job.get("strategy"), "matrix"))
    for value in values:
        if isinstance(value, dict):
            value = " ".join(str(v) for v in value.values())
        value = str(value or "")
        refs = re.findall(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}", value)
        if refs and isinstance(matrix, dict):
            key = refs[0]
            found = list(matrix.get(key) or []) if isinstance(matrix.get(key), list) else []
            found += [e.get(key) for e in matrix.get("include") or [] if isinstance(e, dict) and e.get(key)]
            labels.extend(str(f) for f in found)
        else:
            labels.append(value)
    return labels


def _kind(label: str) -> str:
    label = label.lower()
    if label.startswith("macos") or label.startswith("macos-"):
        return "macos"
    if label.startswith("windows"):
        return "windows"
    return "linux"


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    push = wf.triggers.get("push")
    if push is None or not push_runs_on_every_branch(push) or push.has_filter("paths") or push.has_filter("paths-ignore"):
        return
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.get("runs-on") is None:
            continue
        kinds = sorted({_kind(label) for label in _labels(job)} - {"linux"})
        if not kinds:
            continue
        costs = ", ".join(f"{NAMES[k]} {PRICES[k] / PRICES['linux']:.1f}× the Linux price per minute" for k in kinds)
        yield Finding(
            span=yn.span(job.get("runs-on")),
            message=(
                f"Job `{job.id}` runs on {' and '.join(NAMES[k] for k in kinds)} for every push to any branch ({costs} on private "
                "repositories). Run these platforms on pull requests, the default branch or a schedule."
            ),
            # the push runs of this job on branches that have a pull request (or none at all)
            properties={"stake": stake("duplicate", jobs=[job.id], events=["push"])},
        )


RULE = Rule(
    code="WFL017",
    slug="expensive-runner",
    summary="macOS or Windows runners on every push to any branch (10x / 1.7x the Linux minute price)",
    check=check,
    default=False,
    tags=("cost", "runners"),
)
