"""cancel-in-progress-on-release (WFL009), concurrency-group-too-broad (WFL010),
reusable-workflow-concurrency (WFL011)."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint

DEPLOY = "jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: prod\n    steps:\n      - run: ./deploy.sh\n"
TEST = "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
PUBLISH = "jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish\n"


def conc(group="ci-${{ github.ref }}", cancel="true", extra=""):
    return f"concurrency:\n  group: {group}\n  cancel-in-progress: {cancel}\n{extra}"


# -- cancel-in-progress-on-release ----------------------------------------------------------


@pytest.mark.parametrize(
    "on, jobs, group",
    [
        ("on:\n  push:\n    branches: [main]\n", DEPLOY, "ci-${{ github.ref }}"),
        ("on: push\n", PUBLISH, "ci-${{ github.ref }}"),
        ("on:\n  push:\n    tags: ['v*']\n", PUBLISH, "release"),
        ("on:\n  release:\n    types: [published]\n", TEST, "release"),
        ("on: [deployment]\n", TEST, "${{ github.workflow }}"),
    ],
)
def test_cancel_on_release_positive(on, jobs, group):
    (finding,) = lint("cancel-in-progress-on-release", on + conc(group) + jobs)
    assert finding.fix is not None and "half-way" in finding.message


@pytest.mark.parametrize(
    "on, jobs, group, cancel",
    [
        ("on:\n  push:\n    branches: [main]\n", TEST, "ci-${{ github.ref }}", "true"),  # no deploy
        ("on:\n  push:\n    branches: [main]\n", DEPLOY, "ci-${{ github.sha }}", "true"),  # per commit
        ("on:\n  push:\n    branches: [main]\n", DEPLOY, "ci-${{ github.ref }}", "${{ github.event_name == 'pull_request' }}"),
        ("on:\n  push:\n    branches: [develop]\n", DEPLOY, "ci-${{ github.ref }}", "true"),  # not the default branch
        ("on:\n  push:\n    tags: ['v*']\n", PUBLISH, "release-${{ github.ref }}", "true"),  # one group per tag
        ("on: pull_request\n", DEPLOY, "ci", "true"),
        ("on:\n  push:\n    branches: [main]\n", PUBLISH.replace("npm publish", "pnpx pkg-pr-new publish"), "x", "true"),
    ],
)
def test_cancel_on_release_negative(on, jobs, group, cancel):
    assert lint("cancel-in-progress-on-release", on + conc(group, cancel) + jobs) == []


def test_cancel_on_release_job_level_judges_its_own_job():
    text = (
        "on:\n  push:\n    branches: [main]\njobs:\n"
        "  test:\n    runs-on: ubuntu-latest\n    concurrency: {group: t, cancel-in-progress: true}\n    steps: [{run: make}]\n"
        "  deploy:\n    runs-on: ubuntu-latest\n    environment: prod\n"
        "    concurrency:\n      group: d\n      cancel-in-progress: true\n    steps: [{run: ./deploy.sh}]\n"
    )
    (finding,) = lint("cancel-in-progress-on-release", text)
    assert finding.line == 14


def test_cancel_on_release_job_only_for_tags_does_not_count_for_branch_pushes():
    jobs = "jobs:\n  rel:\n    if: startsWith(github.ref, 'refs/tags/')\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish\n"
    assert lint("cancel-in-progress-on-release", "on:\n  push:\n    branches: [main]\n" + conc() + jobs) == []


def test_cancel_on_release_default_branch_option():
    on = "on:\n  push:\n    branches: [trunk]\n"
    assert lint("cancel-in-progress-on-release", on + conc() + DEPLOY) == []
    assert len(lint("cancel-in-progress-on-release", on + conc() + DEPLOY, options={"default-branch": "trunk"})) == 1


def test_cancel_on_release_fix_block_flow_and_custom_expression():
    on = "on:\n  push:\n    branches: [main]\n  pull_request:\n"
    fixed = fix("cancel-in-progress-on-release", on + conc(cancel="true  # always") + DEPLOY)
    assert fixed == on + conc(cancel="${{ github.event_name == 'pull_request' }}  # always") + DEPLOY
    flow = on + "concurrency: {group: 'd-${{ github.ref }}', cancel-in-progress: true}\n" + DEPLOY
    assert fix("cancel-in-progress-on-release", flow) == (
        on + "concurrency: {group: 'd-${{ github.ref }}', cancel-in-progress: \"${{ github.event_name == 'pull_request' }}\"}\n" + DEPLOY
    )
    # one group for pull requests and pushes: a new pull-request run would still cancel the deploy
    shared = on + "concurrency:\n  group: deploy\n  cancel-in-progress: true\n" + DEPLOY
    assert fix("cancel-in-progress-on-release", shared) == shared.replace("progress: true", "progress: false")
    custom = fix("cancel-in-progress-on-release", on + conc() + DEPLOY, options={"expression": "${{ github.ref != 'refs/heads/main' }}"})
    assert "cancel-in-progress: ${{ github.ref != 'refs/heads/main' }}\n" in custom


def test_cancel_on_release_fix_never_pairs_true_with_queue_max():
    on = "on:\n  push:\n    branches: [main]\n"
    text = on + conc(extra="  queue: max\n") + DEPLOY
    fixed = fix("cancel-in-progress-on-release", text)
    assert "cancel-in-progress: false\n  queue: max\n" in fixed
    (finding,) = lint("cancel-in-progress-on-release", on + conc() + DEPLOY, options={"expression": "true"})
    assert finding.fix is None


# -- concurrency-group-too-broad ------------------------------------------------------------------


@pytest.mark.parametrize("group", ["${{ github.workflow }}", "ci", "${{ github.repository }}-${{ github.event_name }}"])
def test_group_too_broad_positive(group):
    (finding,) = lint("concurrency-group-too-broad", "on: pull_request\n" + conc(group) + TEST)
    assert "every pull request" in finding.message


@pytest.mark.parametrize(
    "group",
    [
        "${{ github.workflow }}-${{ github.ref }}",
        "${{ github.workflow }}-${{ github.event.pull_request.number || github.sha }}",
        "${{ github.head_ref || github.run_id }}",
        "ci-${{ inputs.target }}",
        "${{ github.event.workflow_run.head_branch }}",
    ],
)
def test_group_too_broad_negative(group):
    assert lint("concurrency-group-too-broad", "on: pull_request\n" + conc(group) + TEST) == []


def test_group_too_broad_needs_pull_requests_and_cancelling():
    assert lint("concurrency-group-too-broad", "on: push\n" + conc("ci") + TEST) == []
    assert lint("concurrency-group-too-broad", "on: pull_request\n" + conc("ci", "false") + TEST) == []
    assert lint("concurrency-group-too-broad", "on: pull_request\nconcurrency: ci\n" + TEST) == []  # queues only
    assert len(lint("concurrency-group-too-broad", "on: pull_request_target\n" + conc("ci", "${{ true }}") + TEST)) == 1


def test_group_too_broad_job_level_and_push_only_jobs():
    text = (
        "on: [push, pull_request]\njobs:\n"
        "  a:\n    runs-on: ubuntu-latest\n    concurrency: {group: shared, cancel-in-progress: true}\n    steps: [{run: x}]\n"
        "  b:\n    if: github.event_name == 'push'\n    runs-on: ubuntu-latest\n"
        "    concurrency: {group: shared, cancel-in-progress: true}\n    steps: [{run: x}]\n"
    )
    (finding,) = lint("concurrency-group-too-broad", text)
    assert "job `a`" in finding.message


# -- reusable-workflow-concurrency ----------------------------------------------------------------


@pytest.mark.parametrize("group", ["${{ github.workflow }}", "${{github.workflow}}-", "'${{ github.workflow }}'"])
def test_reusable_concurrency_positive(group):
    (finding,) = lint("reusable-workflow-concurrency", "on:\n  workflow_call:\n  push:\n" + conc(group) + TEST)
    assert "caller" in finding.message


@pytest.mark.parametrize(
    "group", ["${{ github.workflow }}-build", "${{ github.workflow }}-${{ inputs.env }}", "build-${{ github.ref }}", "x"]
)
def test_reusable_concurrency_negative(group):
    assert lint("reusable-workflow-concurrency", "on: workflow_call\n" + conc(group) + TEST) == []


def test_reusable_concurrency_only_for_callees_and_job_level():
    assert lint("reusable-workflow-concurrency", "on: push\n" + conc("${{ github.workflow }}") + TEST) == []
    text = "on: workflow_call\njobs:\n  a:\n    runs-on: ubuntu-latest\n    concurrency: ${{ github.workflow }}\n    steps: [{run: x}]\n"
    (finding,) = lint("reusable-workflow-concurrency", text)
    assert "job `a`" in finding.message
