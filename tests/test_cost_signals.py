"""The static estimate's duration signals (issue 13): quick checks and API-only jobs priced
as such, superseded waste that grows with the run's length, tag-only pushes as rare runs,
and the findings the shipped `min-savings` threshold then hides or keeps."""

import textwrap

import pytest

from wflint.cost import defaults
from wflint.cost.model import CostOptions, WorkflowCost
from wflint.engine import Settings, lint_source, load
from wflint.rules import find
from wflint.source import Source
from wflint.stake import stake


def workflow(text, path="w.yml"):
    wf, problem = load(Source(path=path, text=textwrap.dedent(text)))
    assert problem is None
    return wf


def one_job(steps, on="on: [push, pull_request]", extra=""):
    return workflow(f"{on}\njobs:\n  a:\n    runs-on: ubuntu-latest\n{extra}    steps:\n"
                    + textwrap.indent(textwrap.dedent(steps), "      "))


def job_class(steps, **kw):
    return WorkflowCost(one_job(steps, **kw)).jobs["a"].klass


@pytest.mark.parametrize("steps, expected", [
    ("- uses: actions/checkout@v4\n- uses: actions/dependency-review-action@v4\n", "bot"),
    ("- uses: amannn/action-semantic-pull-request@v5\n", "bot"),
    ("- uses: actions/checkout@v4\n- run: |\n    if ! grep -q \"$V\" Cargo.toml; then\n      exit 1\n    fi\n"
     "- run: gh release create $V --draft\n", "bot"),
    ("- run: echo \"deploying the release\"\n", "bot"),
    ("- uses: ossf/scorecard-action@v2\n- uses: github/codeql-action/upload-sarif@v3\n", "lint"),
    ("- uses: golang/govulncheck-action@v1\n", "lint"),
    ("- uses: actions/checkout@v4\n- run: pip install pip-audit\n- run: pip-audit -r requirements.txt\n", "lint"),
    ("- uses: actions/checkout@v4\n- run: cargo deny check\n", "lint"),
    ("- uses: actions/checkout@v4\n- run: npm audit --audit-level=high\n", "lint"),
    ("- uses: actions/checkout@v4\n- run: npm ci\n- run: npm run check\n", "lint"),
    ("- uses: actions/checkout@v4\n- run: npm ci && npm test\n", "build"),  # a test suite stays a build
    ("- uses: actions/checkout@v4\n- run: make check\n", "build"),  # autotools' `make check` runs tests
])
def test_quick_and_api_only_jobs(steps, expected):
    assert job_class(steps) == expected


CODEQL = """\
- uses: actions/checkout@v4
- uses: github/codeql-action/init@v3
  with:
    languages: {languages}
- uses: github/codeql-action/analyze@v3
"""


@pytest.mark.parametrize("languages, matrix, expected", [
    ("javascript", "", "lint"),
    ("python, ruby", "", "lint"),
    ("${{ matrix.language }}", "    strategy:\n      matrix:\n        language: [javascript, python]\n", "lint"),
    ("${{ matrix.language }}", "    strategy:\n      matrix:\n        language: [go]\n", "build"),
    ("java", "", "build"),
    ("javascript, cpp", "", "build"),
    ("${{ matrix.language }}", "    strategy:\n      matrix:\n        include:\n          - language: python\n"
     "            build-mode: none\n          - language: c-cpp\n            build-mode: manual\n", "build"),
])
def test_codeql_interpreted_languages_are_quick(languages, matrix, expected):
    assert job_class(CODEQL.format(languages=languages), extra=matrix) == expected


def test_superseded_share_grows_with_run_length():
    assert defaults.superseded_share(1) == pytest.approx(0.02)
    assert defaults.superseded_share(3) == pytest.approx(0.06)
    assert defaults.superseded_share(10) == defaults.superseded_share(45) == defaults.SHARES["superseded"]
    assert defaults.superseded_share(0) == 0


def test_run_minutes_is_the_critical_path_through_needs():
    wf = workflow("""\
        on: pull_request
        jobs:
          lint: {runs-on: ubuntu-latest, steps: [{run: ruff check .}]}
          test: {runs-on: ubuntu-latest, needs: lint, steps: [{run: pytest}]}
          label: {runs-on: ubuntu-latest, steps: [{uses: actions/labeler@v5}]}
        """)
    model = WorkflowCost(wf)
    assert model.run_minutes() == defaults.MINUTES["lint"] + defaults.MINUTES["build"]
    priced = model.price(stake("superseded", events=["pull_request"]))
    per_run = sum(j.minutes_per_run for j in model.jobs.values())
    assert priced["minutes_per_month"] == round(defaults.RUNS["pull_request"] * per_run * 0.2)


def test_a_short_run_is_rarely_superseded():
    model = WorkflowCost(one_job("- uses: actions/dependency-review-action@v4\n", on="on: pull_request"))
    priced = model.price(stake("superseded", events=["pull_request"]))
    assert priced["minutes_per_month"] == round(defaults.RUNS["pull_request"] * 1 * defaults.superseded_share(1))


def test_tag_only_push_runs_as_often_as_releases():
    model = WorkflowCost(one_job("- run: make dist\n", on="on:\n  push:\n    tags: ['v*']"))
    assert model.runs_per_month("push")[0] == defaults.RUNS["tag"]
    branches = WorkflowCost(one_job("- run: make dist\n", on="on:\n  push:\n    branches: [main]\n    tags: ['v*']"))
    assert branches.runs_per_month("push")[0] == defaults.RUNS["push"]


def lint(rule, text, min_savings=None):
    cost = {} if min_savings is None else {"min-savings": min_savings}
    settings = Settings(rules=[find(rule)], extra={"cost": cost})
    return [f for f in lint_source(Source(path="w.yml", text=textwrap.dedent(text)), settings).findings
            if f.code == find(rule).code]


@pytest.mark.min_savings
def test_missing_concurrency_hides_a_quick_check_and_keeps_a_build():
    check = """\
        on: [push, pull_request]
        jobs:
          scan:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: golang/govulncheck-action@v1
        """
    assert lint("missing-concurrency", check, "default") == []
    build = check.replace("uses: golang/govulncheck-action@v1", "run: make test")
    assert len(lint("missing-concurrency", build, "default")) == 1


def test_pull_request_target_runs_are_not_priced_as_cancelled():
    text = """\
        on: pull_request_target
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: make test
        """
    (finding,) = lint("missing-concurrency", text)
    assert finding.properties["stake"]["share"] == 0.05  # the default group only replaces pending runs
    (both,) = lint("missing-concurrency", text.replace("on: pull_request_target", "on: [pull_request, pull_request_target]"))
    assert both.properties["stake"]["events"] == ["pull_request"] and "share" not in both.properties["stake"]


def test_cancelled_events_follow_the_configured_expression():
    from wflint.rules.missing_concurrency import DEFAULT_CANCEL, cancelled_events

    events = ["push", "pull_request", "pull_request_target"]
    assert cancelled_events(events, DEFAULT_CANCEL) == ["pull_request"]
    assert cancelled_events(events, True) == events
    assert cancelled_events(events, "false") == []
    assert cancelled_events(events, "${{ github.event_name != 'push' }}") == ["pull_request", "pull_request_target"]
    assert cancelled_events(events, "${{ startsWith(github.event_name, 'pull_request') }}") == []
    assert cancelled_events(events, "${{ github.ref != 'refs/heads/main' }}") == events
