"""The static estimate's duration signals (issue 13): quick checks and API-only jobs priced
as such, superseded waste that grows with the run's length, tag-only pushes as rare runs,
and the findings the shipped `min-savings` threshold then hides or keeps."""

import textwrap

import pytest

from wflint import reads

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
    assert lint("missing-concurrency", check, 150) == []
    build = check.replace("uses: golang/govulncheck-action@v1", "run: make test")
    assert len(lint("missing-concurrency", build, 150)) == 1


@pytest.mark.min_savings
def test_estimates_need_the_higher_bar():
    """Without history, a finding is shown from min-savings-estimate (1,000 min/mo by default);
    a min-savings set by the user is one bar for both; min-savings-estimate can be set apart."""
    from wflint.cost.findings import min_savings, min_savings_estimate

    assert (min_savings({"min-savings": "default"}), min_savings_estimate({"min-savings": "default"})) == (150, 1000)
    assert min_savings_estimate({"min-savings": 0}) == 0
    assert min_savings_estimate({"min-savings": 150}) == 150
    assert min_savings_estimate({"min-savings": "default", "min-savings-estimate": 400}) == 400
    assert min_savings_estimate({"min-savings": 500, "min-savings-estimate": 400}) == 500  # never below min-savings
    one_build = """\
        on: [push, pull_request]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - run: make test
        """
    assert lint("missing-concurrency", one_build, "default") == []  # ~160 min/mo, an estimate
    matrix = one_build.replace("runs-on: ubuntu-latest", "runs-on: ${{ matrix.os }}\n"
                               "            strategy:\n              matrix:\n"
                               "                os: [ubuntu-latest, windows-latest, macos-latest]\n"
                               "                python: ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14']\n"
                               "                extra: [a, b, c]")
    shown = lint("missing-concurrency", matrix, "default")
    factor = defaults.ESTIMATE_BAR_FACTOR["superseded"]  # superseded runs: a higher bar still
    assert len(shown) == 1 and shown[0].properties["minutes_per_month"] >= 1000 * factor
    smaller = matrix.replace("extra: [a, b, c]", "extra: [a]")
    (hidden,) = lint("missing-concurrency", smaller, 0)
    assert 1000 <= hidden.properties["minutes_per_month"] < 1000 * factor
    assert lint("missing-concurrency", smaller, "default") == []


def test_a_pull_request_description_marker_is_a_narrow_job():
    text = """\
        on: [push, pull_request]
        jobs:
          coverage:
            if: github.event_name != 'pull_request' || contains(github.event.pull_request.body, '[coverage]')
            runs-on: ubuntu-latest
            steps:
              - run: make coverage
        """
    assert WorkflowCost(workflow(text)).jobs["coverage"].runs_share == defaults.NARROW_JOB


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


@pytest.mark.parametrize("paths, narrow", [
    (["install/**"], True),
    (["scripts/release.py", "Cargo.lock"], True),
    (["src/openssl/**", "spec/std/openssl/**", ".github/workflows/openssl.yml"], True),
    (["ports/alif/**", "!ports/alif/README.md"], True),
    (["src/**"], False),
    (["packages/**", "docs/**"], False),
    (["**.py"], False),
    (["*.go", "go.mod"], False),
    ([".github/workflows/ci.yml"], False),  # only the workflow itself: nothing to judge by
])
def test_narrow_path_lists(paths, narrow):
    from wflint.cost.model import _narrow_paths

    assert _narrow_paths(paths) is narrow


def test_a_narrow_paths_filter_starts_fewer_runs():
    def runs(paths):
        on = "on:\n  pull_request:\n    paths: [" + ", ".join(f"'{p}'" for p in paths) + "]"
        return WorkflowCost(one_job("- run: make test\n", on=on)).runs_per_month("pull_request")[0]

    assert runs(["install/**"]) == defaults.RUNS["pull_request"] * defaults.PATH_FILTERED_NARROW
    assert runs(["src/**", "tests/**"]) == defaults.RUNS["pull_request"] * defaults.PATH_FILTERED["paths"]


@pytest.mark.parametrize("branches, rare", [
    (["release-*"], True), (["release/**", "stable"], True), (["hotfix/*"], True),
    (["main"], False), (["main", "release-*"], False), (["4.2"], False),
])
def test_pushes_to_release_branches_only_are_rare(branches, rare):
    on = "on:\n  push:\n    branches: [" + ", ".join(f"'{b}'" for b in branches) + "]"
    runs = WorkflowCost(one_job("- run: make test\n", on=on)).runs_per_month("push")[0]
    assert runs == (defaults.RELEASE_BRANCH_PUSHES if rare else defaults.RUNS["push"])


def test_a_reusable_workflow_runs_as_often_as_its_callers(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    callee = "on: workflow_call\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: make test}]\n"
    (folder / "test.yml").write_text(callee)
    (folder / "release.yml").write_text("on:\n  push:\n    tags: ['v*']\njobs:\n  t:\n    uses: ./.github/workflows/test.yml\n")
    (folder / "other.yml").write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")
    options = CostOptions(repo_root=str(tmp_path))
    wf, _ = load(Source(path=str(folder / "test.yml"), text=callee))
    model = WorkflowCost(wf, options)
    assert model.runs_per_month("workflow_call")[0] == defaults.RUNS["tag"]
    (folder / "ci.yml").write_text("on: [push, pull_request]\njobs:\n  t:\n    uses: ./.github/workflows/test.yml\n"
                                   "  d:\n    if: github.event_name == 'push'\n    uses: ./.github/workflows/test.yml\n")
    reads.new_run()  # a run lists a folder once: the new caller shows in the next run
    model = WorkflowCost(wf, options)
    assert model.runs_per_month("workflow_call")[0] == (defaults.RUNS["tag"] + defaults.RUNS["push"]
                                                      + defaults.RUNS["pull_request"] + defaults.RUNS["push"])
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "test.yml").write_text(callee)
    wf, _ = load(Source(path=str(alone / "test.yml"), text=callee))
    assert WorkflowCost(wf).runs_per_month("workflow_call")[0] == defaults.RUNS["workflow_call"]  # no caller found


def test_reusable_workflows_calling_each_other_terminate(tmp_path):
    a = "on: [workflow_call, push]\njobs:\n  b:\n    uses: ./.github/workflows/b.yml\n"
    b = "on: workflow_call\njobs:\n  a:\n    uses: ./.github/workflows/a.yml\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
    (tmp_path / "a.yml").write_text(a)
    (tmp_path / "b.yml").write_text(b)
    wf, _ = load(Source(path=str(tmp_path / "b.yml"), text=b))
    assert WorkflowCost(wf).runs_per_month("workflow_call")[0] >= defaults.RUNS["push"]


def hang_minutes(text):
    (finding,) = lint("missing-timeout", text)
    return finding.properties["minutes_per_month"]


TIMEOUT_JOB = """\
    {on}
    jobs:
      job:
        runs-on: ubuntu-latest
        steps:
    {steps}
    """


def timeout_case(on, steps):
    return textwrap.dedent(TIMEOUT_JOB).format(on=on, steps=textwrap.indent(textwrap.dedent(steps), "      "))


def test_missing_timeout_is_priced_as_expected_hang_minutes_a_month():
    build = timeout_case("on: [push, pull_request]", "- run: make test\n")
    runs = defaults.RUNS["push"] + defaults.RUNS["pull_request"]
    assert hang_minutes(build) == round(runs * defaults.HANG_PROBABILITY["build"] * (360 - 30))
    services = build.replace("    steps:", "    services:\n      db: {image: postgres}\n    steps:")
    assert hang_minutes(services) == round(runs * defaults.HANG_PROBABILITY["build"] * 2 * (360 - 30))
    (finding,) = lint("missing-timeout", build)
    assert finding.properties["timeout_minutes"] == 30 and finding.properties["ceiling_minutes_saved_per_hang"] == 330


@pytest.mark.min_savings
@pytest.mark.parametrize("on, steps, shown", [
    ("on: [push, pull_request]", "- run: make test\n", True),  # a build on every push and pull request
    ("on: {schedule: [{cron: '0 */3 * * *'}]}", "- run: python check.py\n", True),  # 240 runs a month
    ("on: pull_request_target", "- uses: amannn/action-semantic-pull-request@v5\n", False),  # API-only
    ("on: {pull_request: {types: [closed]}}", "- uses: github/issue-labeler@v3\n", False),
    ("on: {push: {tags: ['v*']}}", "- run: make dist\n", False),  # a couple of release runs a month
    ("on: workflow_dispatch", "- run: make test\n", False),
    ("on: [push, pull_request]", "- uses: pre-commit/action@v3\n", False),  # one quick lint job
])
def test_missing_timeout_threshold(on, steps, shown):
    found = lint("missing-timeout", timeout_case(on, steps), 150)  # history's bar; estimates need 1,000
    assert bool(found) is shown


@pytest.mark.parametrize("uses, expected", [
    ("org/community/.github/workflows/reusable-dependency-review.yml@main", defaults.MINUTES["bot"]),
    ("org/shared/.github/workflows/lint.yml@v1", defaults.MINUTES["lint"]),
    ("org/shared/.github/workflows/ci.yml@v1", defaults.MINUTES["build"]),  # the name says nothing
])
def test_a_remote_reusable_workflow_is_priced_by_its_name(uses, expected):
    wf = workflow(f"on: pull_request\njobs:\n  call:\n    uses: {uses}\n")
    assert WorkflowCost(wf).jobs["call"].minutes == expected


def test_a_job_on_a_retired_hosted_image_costs_nothing():
    wf = workflow("on: [push, pull_request]\njobs:\n  old:\n    runs-on: ubuntu-20.04\n    steps:\n      - run: make test\n"
                  "  new:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: make test\n")
    jobs = WorkflowCost(wf).jobs
    assert jobs["old"].minutes_per_run == 0 and jobs["new"].minutes_per_run > 0
