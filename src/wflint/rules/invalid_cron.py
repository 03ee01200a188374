"""invalid-cron: a schedule whose cron expression or time zone GitHub cannot use."""

from __future__ import annotations

from typing import Iterator

from .. import cron
from ..finding import Finding, Severity
from ..workflow import Workflow
from ..yamlnode import span
from .base import Context, Rule


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    for schedule in wf.schedules:
        if schedule.cron is None:
            yield Finding(span=span(schedule.node), message="Schedule entry has no `cron:` string.")
            continue
        try:
            cron.parse(schedule.cron)
        except cron.CronError as exc:
            yield Finding(span=span(schedule.node), message=f"Invalid cron expression `{schedule.shown}`: {exc}.")
            continue
        if schedule.timezone_node is not None:
            try:
                cron.zone(schedule.timezone)
            except cron.CronError as exc:
                yield Finding(span=span(schedule.timezone_node), message=f"Invalid schedule time zone: {exc}.")
                continue
        try:
            cron.min_interval(schedule.cron, schedule.timezone)
        except cron.CronError as exc:
            yield Finding(span=span(schedule.node), message=f"Schedule never runs: {exc}.")


RULE = Rule(
    code="WFL005",
    slug="invalid-cron",
    summary="Schedule has a cron expression or time zone that GitHub cannot use",
    check=check,
    severity=Severity.ERROR,
    tags=("correctness", "schedule"),
)
