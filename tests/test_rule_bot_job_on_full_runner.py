"""bot-job-on-full-runner (WFL021)."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint

SLUG = "bot-job-on-full-runner"


def wf(steps: str, on: str = "pull_request", runs_on: str = "ubuntu-latest", extra: str = "") -> str:
    return f"on: {on}\njobs:\n  bot:\n    runs-on: {runs_on}\n{extra}    steps:\n{steps}"


LABELER = "      - uses: actions/labeler@v5\n"


@pytest.mark.parametrize(
    "steps, on, runs_on",
    [
        (LABELER, "pull_request_target", "ubuntu-latest"),
        ("      - uses: actions/github-script@v7\n        with: {script: 'github.rest.issues.addLabels({})'}\n", "issues", "ubuntu-24.04"),
        ("      - run: |\n          if [ \"$A\" != bot ]; then\n            echo '::error::no'  # why\n            exit 1\n          fi\n", "pull_request", "ubuntu-22.04"),
        ("      - run: jq --exit-status 'all(.result == \"success\")' <<< '${{ toJson(needs) }}'\n", "[push, pull_request]", "'ubuntu-latest'"),
        ("      - run: gh pr edit \"$PR\" --add-label x && echo done\n      - uses: slackapi/slack-github-action@v2\n", "pull_request", "ubuntu-latest"),
        ("      - run: NUMBER=$(gh issue list --json number | jq length)\n", "schedule", "ubuntu-latest"),
    ],
)
def test_positive(steps, on, runs_on):
    (finding,) = lint(SLUG, wf(steps, on, runs_on))
    stake = finding.properties["stake"]
    assert stake["measure"] == "share" and stake["jobs"] == ["bot"] and stake["share"] == 0.0
    assert abs(stake["usd_share"] - 2 / 3) < 1e-9
    assert finding.fix is not None and "ubuntu-slim" in finding.message


@pytest.mark.parametrize(
    "steps, on, runs_on, extra",
    [
        (LABELER, "pull_request", "ubuntu-slim", ""),
        (LABELER, "pull_request", "macos-latest", ""),
        (LABELER, "pull_request", "${{ matrix.os }}", ""),
        (LABELER, "pull_request", "[self-hosted, linux]", ""),
        (LABELER, "release", "ubuntu-latest", ""),  # rare
        (LABELER, "[workflow_dispatch, repository_dispatch]", "ubuntu-latest", ""),
        (LABELER, "pull_request", "ubuntu-latest", "    container: node:20\n"),
        (LABELER, "pull_request", "ubuntu-latest", "    services: {redis: {image: redis}}\n"),
        (LABELER, "pull_request", "ubuntu-latest", "    timeout-minutes: 30\n"),
        (LABELER, "pull_request", "ubuntu-latest", "    timeout-minutes: ${{ inputs.t }}\n"),
        (LABELER + "      - uses: actions/checkout@v5\n", "pull_request", "ubuntu-latest", ""),
        ("      - uses: rtcamp/action-slack-notify@v2\n", "pull_request", "ubuntu-latest", ""),  # a Docker action
        ("      - run: docker run --rm alpine echo hi\n", "pull_request", "ubuntu-latest", ""),
        ("      - run: npm ci && npm test\n", "pull_request", "ubuntu-latest", ""),
        ("      - run: until gh run view 1 --exit-status; do sleep 60; done\n", "pull_request", "ubuntu-latest", ""),
        ("      - run: |\n          ID=$(gh workflow run x.yml)\n          gh run watch \"$ID\" --interval 15\n", "schedule", "ubuntu-latest", ""),
        ("      - run: gh pr checks 1 --watch\n", "pull_request", "ubuntu-latest", ""),
        ("      - run: echo hi\n        shell: pwsh\n", "pull_request", "ubuntu-latest", ""),
        ("      - run: echo $(make version)\n", "pull_request", "ubuntu-latest", ""),
        ("      - run: echo \"v=$(make version)\"\n", "pull_request", "ubuntu-latest", ""),
        ("      - uses: ./.github/actions/local\n", "pull_request", "ubuntu-latest", ""),
    ],
)
def test_negative(steps, on, runs_on, extra):
    assert lint(SLUG, wf(steps, on, runs_on, extra)) == []


def test_reusable_call_is_not_a_job_with_steps():
    assert lint(SLUG, "on: pull_request\njobs:\n  call:\n    uses: ./.github/workflows/x.yml\n") == []


def test_fix_changes_the_label_only():
    before = wf(LABELER, runs_on='"ubuntu-latest"   # bots').replace("\n", "\r\n")
    assert fix(SLUG, before) == before.replace('"ubuntu-latest"', '"ubuntu-slim"')


def test_no_fix_on_an_anchored_label():
    text = (
        "on: pull_request\njobs:\n  a:\n    runs-on: &r ubuntu-latest\n    steps: [{uses: actions/labeler@v5}]\n"
        "  b:\n    runs-on: *r\n    steps: [{uses: actions/stale@v9}]\n"
    )
    findings = lint(SLUG, text)
    assert len(findings) == 2 and all(f.fix is None for f in findings)


def test_flow_style_job():
    text = "on: [pull_request]\njobs: {bot: {runs-on: ubuntu-latest, steps: [{uses: actions/labeler@v5}]}}\n"
    (finding,) = lint(SLUG, text)
    assert fix(SLUG, text) == text.replace("ubuntu-latest", "ubuntu-slim")


def test_opt_in():
    from wflint.rules import find

    assert find(SLUG).default is False


def test_fix_matches_its_declared_intent():
    import importlib.util
    import os
    import sys

    from wflint.source import Source

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = importlib.util.spec_from_file_location("wflint_semantic_check", os.path.join(root, "scripts", "semantic_check.py"))
    sc = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = sc
    spec.loader.exec_module(sc)
    text = wf(LABELER, runs_on="'ubuntu-24.04'") + "  flow: {runs-on: ubuntu-latest, steps: [{uses: actions/stale@v9}]}\n"
    outcome = sc.check_text(Source(path="ci.yml", text=text), sc.all_fixes_settings())
    assert (outcome.kind, outcome.problems) == ("", [])
    assert outcome.fixes[SLUG] == 2
