"""runner-idles-waiting (WFL030): minimal workflows, positive and negative."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

SLUG = "runner-idles-waiting"

JOB = """\
on: {on}
jobs:
  wait:
    runs-on: {runs_on}
    steps:
      - run: |
{script}
"""


def job(script: str, on: str = "pull_request", runs_on: str = "ubuntu-latest") -> str:
    body = "\n".join("          " + line for line in script.strip("\n").splitlines())
    return JOB.format(on=on, runs_on=runs_on, script=body)


POLL = """\
until gh run view "$RUN" --json status --jq .status | grep -q completed; do
  sleep 30
done
"""


def test_polling_another_run():
    (finding,) = lint(SLUG, job(POLL))
    assert "polling loop with `sleep 30`" in finding.message and "workflow_run" in finding.message
    assert finding.properties["stake"] == {"measure": "share", "jobs": ["wait"], "events": ["pull_request"], "share": 0.8}


@pytest.mark.parametrize(
    "script, found",
    [
        ("gh run watch \"$RUN\"", 1),
        ("gh pr checks 12 --watch --interval 30", 1),
        ("gh run cancel \"$RUN\"\ngh run watch \"$RUN\"", 0),
        ("sleep 600", 1),
        ("sleep 5m", 1),
        ("sleep 30", 0),  # pacing, not waiting
        ("Start-Sleep -Seconds 300", 1),
        ("while ! curl -sf http://localhost:8080/health; do sleep 2; done", 0),  # a service of the job
        ("for i in $(seq 1 3); do curl -f https://example.com/x && break; sleep 20; done", 0),  # a retry
        ("for i in $(seq 1 60); do curl -f https://example.com/x && break; sleep 30; done", 1),  # 30 minutes
        ("while true; do aws ecs describe-services --cluster c | grep -q STEADY && break; sleep 15; done", 1),
    ],
)
def test_scripts(script, found):
    assert len(lint(SLUG, job(script))) == found


def test_wait_actions():
    text = """\
on: pull_request
jobs:
  e2e:
    runs-on: ubuntu-latest
    steps:
      - uses: lewagon/wait-on-check-action@v1.3.4
        with: {ref: "${{ github.sha }}", check-name: build}
      - uses: ./.github/actions/wait-for-cluster
"""
    (finding,) = lint(SLUG, text)
    assert "`lewagon/wait-on-check-action`" in finding.message and finding.line == 6


def test_self_hosted_rare_triggers_and_flow_style():
    assert lint(SLUG, job("sleep 600", runs_on="[self-hosted, linux]")) == []
    assert lint(SLUG, job("sleep 600", on="release")) == []
    flow = "on: [push]\njobs: {a: {runs-on: macos-14, steps: [{run: 'sleep 1200'}]}}\n"
    (finding,) = lint(SLUG, flow)
    assert finding.properties["stake"]["minutes_per_run"] == 20.0
