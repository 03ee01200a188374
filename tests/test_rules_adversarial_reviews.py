"""Adversarial cases for rules with no finding on the corpus (issue 13's review found nothing to
judge): invalid-cron (WFL005), concurrency-group-too-broad (WFL010), reusable-workflow-concurrency (WFL011)."""

from __future__ import annotations

import pytest

from catalog_helpers import lint


def sched(cron: str, extra: str = "") -> str:
    return f"on:\n  schedule:\n    - cron: {cron}\n{extra}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{{run: x}}]\n"


# -- invalid-cron ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cron",
    ["'0 0 31 2 *'", "'@daily'", "'0 0 0 * * *'", "'*/0 * * * *'", "'60 * * * *'", "'0 24 * * *'", "''"],
)
def test_invalid_cron_reports_what_github_cannot_run(cron):
    assert len(lint("invalid-cron", sched(cron))) == 1


@pytest.mark.parametrize(
    "cron, extra",
    [
        ("'0 0 * JAN MON'", ""),
        ("'0 0 29 2 *'", ""),  # runs in leap years
        ("|\n        0 3 * * *", ""),  # a block scalar keeps its line break
        ("'30 2 * 3 0'", "      timezone: America/New_York\n"),  # 2:30 is skipped on one Sunday only
        ("'0 12 * * 1-5'", "      timezone: Etc/GMT+5\n"),
    ],
)
def test_invalid_cron_accepts_what_github_runs(cron, extra):
    assert lint("invalid-cron", sched(cron, extra)) == []


def test_invalid_cron_time_zone():
    (finding,) = lint("invalid-cron", sched("'0 3 * * *'", "      timezone: Mars/Olympus\n"))
    assert finding.line == 4


# -- concurrency-group-too-broad ---------------------------------------------------------------


def conc_pr(group: str, cancel: str = "true", on: str = "pull_request") -> str:
    return (
        f"on: {on}\nconcurrency:\n  group: {group}\n  cancel-in-progress: {cancel}\n"
        "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
    )


@pytest.mark.parametrize(
    "group, cancel",
    [
        ("${{ format('{0}-{1}', github.workflow, github.event.pull_request.number) }}", "true"),
        ("${{ github.workflow }}-${{ github.event.pull_request.head.ref }}", "true"),
        ("ci-${{ github.head_ref || github.run_id }}", "true"),
        ("ci", "false"),
        ("ci", "${{ false }}"),  # an expression that is literally false never cancels
    ],
)
def test_group_too_broad_not_reported(group, cancel):
    assert lint("concurrency-group-too-broad", conc_pr(group, cancel)) == []


@pytest.mark.parametrize(
    "group",
    ["${{ github.workflow }}", "${{ github.event.repository.name }}-ci", "${{ github.workflow }}-${{ github.event_name }}"],
)
def test_group_too_broad_reported(group):
    assert len(lint("concurrency-group-too-broad", conc_pr(group))) == 1
    assert len(lint("concurrency-group-too-broad", conc_pr(group, on="[push, pull_request_target]"))) == 1


def test_group_too_broad_job_only_for_pushes():
    text = (
        "on: [push, pull_request]\njobs:\n  deploy:\n    if: ${{ github.event_name != 'pull_request' }}\n"
        "    runs-on: ubuntu-latest\n    concurrency: {group: deploy, cancel-in-progress: true}\n    steps: [{run: x}]\n"
    )
    assert lint("concurrency-group-too-broad", text) == []


# -- reusable-workflow-concurrency -------------------------------------------------------------


def callee(group: str, on: str = "workflow_call") -> str:
    return f"on: {on}\nconcurrency:\n  group: {group}\n  cancel-in-progress: true\njobs:\n  t:\n    runs-on: x\n    steps: [{{run: x}}]\n"


@pytest.mark.parametrize(
    "group, on",
    [
        ("${{ github.workflow }}", "workflow_call"),
        ("'${{ github.workflow }}'", "[workflow_call, push]"),  # called, github.workflow is the caller's name
        ("${{ github.workflow }}-", "{workflow_call: {inputs: {x: {type: string}}}}"),
    ],
)
def test_reusable_group_collides(group, on):
    assert len(lint("reusable-workflow-concurrency", callee(group, on))) == 1


@pytest.mark.parametrize(
    "group, on",
    [
        ("${{ github.workflow }}", "push"),  # not reusable
        ("${{ github.workflow }}-deploy", "workflow_call"),  # a fixed suffix naming this workflow
        ("${{ github.workflow }}-${{ inputs.target }}", "workflow_call"),
        ("deploy-${{ github.ref }}", "workflow_call"),
    ],
)
def test_reusable_group_does_not_collide(group, on):
    assert lint("reusable-workflow-concurrency", callee(group, on)) == []


def test_reusable_job_level_group():
    text = (
        "on: workflow_call\njobs:\n  t:\n    runs-on: x\n    concurrency:\n      group: ${{ github.workflow }}\n"
        "    steps: [{run: x}]\n"
    )
    (finding,) = lint("reusable-workflow-concurrency", text)
    assert "job `t`" in finding.message
