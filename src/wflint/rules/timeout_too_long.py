"""timeout-too-long: ``timeout-minutes`` so high that a hung job still burns hours."""

from __future__ import annotations

from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding
from ..workflow import Workflow
from .base import Context, Rule

HOSTED_LIMIT = 360


def _self_hosted(job) -> bool:
    runs_on = yn.to_data(job.get("runs-on"))
    text = str(runs_on).lower()
    return "self-hosted" in text or (isinstance(runs_on, dict) and ("group" in runs_on))


def _minutes(node):
    value = yn.scalar(node)
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None  # an expression


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    threshold = int(ctx.options.get("threshold", 120))
    for job in wf.jobs:
        entry = job.entry("timeout-minutes")
        if entry is None:
            continue
        minutes = _minutes(entry[1])
        if minutes is None or minutes <= threshold:
            continue
        shown = f"{minutes:g}"
        message = f"Job `{job.id}` allows {shown} minutes, above the {threshold}-minute limit: a hung run keeps its runner that long."
        if minutes > HOSTED_LIMIT and not _self_hosted(job):
            message += f" GitHub-hosted runners stop every job after {HOSTED_LIMIT} minutes (6 hours) anyway."
        yield Finding(span=yn.span(entry[1]), message=message, properties={"timeout_minutes": minutes})


RULE = Rule(
    code="WFL013",
    slug="timeout-too-long",
    summary="Job timeout-minutes is above the threshold (default 120), so a hang burns hours",
    check=check,
    default=False,
    options={"threshold": 120},
    options_schema={"threshold": {"type": "integer", "minimum": 1}},
    tags=("cost", "timeout"),
)
