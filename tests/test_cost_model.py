"""The job cost model: job classes, the saved history, priced findings, the threshold,
``--sort savings`` and missing-timeout's value (fixtures in tests/data/history)."""

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from wflint.cli import main
from wflint.cost import history
from wflint.cost.jobclass import classify_steps
from wflint.cost.model import CostOptions, WorkflowCost, timeout_for
from wflint.engine import lint_source, load, settings_for
from wflint.source import Source
from wflint.stake import stake
from wflint.workflow import Step

DATA = Path(__file__).parent / "data" / "history"
SOURCES = ["rest-runs.json", "rest-jobs.json", "gh-run-list.json", "gh-run-view-jobs.json", "billing-detailed.csv"]


def workflow(text, path="w.yml"):
    wf, problem = load(Source(path=path, text=textwrap.dedent(text)))
    assert problem is None
    return wf


def klass(steps_yaml):
    wf = workflow("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + textwrap.indent(textwrap.dedent(steps_yaml), "      "))
    return classify_steps(wf.jobs[0].steps)


@pytest.mark.parametrize("steps, expected", [
    ("- uses: actions/labeler@v5\n", "bot"),
    ("- run: gh pr comment 1 --body hi\n", "bot"),
    ("- uses: actions/checkout@v4\n- run: npm ci && npm run lint\n", "lint"),
    ("- uses: actions/checkout@v4\n- run: pip install ruff\n- run: ruff check .\n", "lint"),
    ("- uses: actions/checkout@v4\n- run: npm ci && npm test\n", "build"),
    ("- uses: actions/checkout@v4\n- run: |\n    cargo clippy\n    cargo test\n", "build"),
    ("- uses: docker/build-push-action@v6\n", "release"),
    ("- run: twine upload dist/*\n", "release"),
    ("- uses: docker/setup-qemu-action@v3\n- run: make\n", "heavy"),
    ("- uses: someone/unknown-action@v1\n", "build"),
])
def test_job_class_from_actions_and_whole_words(steps, expected):
    assert klass(steps) == expected


@pytest.mark.parametrize("steps, expected", [
    # a gate: rendered booleans used as commands, grouped echoes, an if over `[ ]` tests
    ("- run: >\n    ${{ github.event_name != 'pull_request_target' || github.event.label.name == 'ok' }} ||\n"
     "    (echo \"unsafe fork\" && exit 1)\n", "bot"),
    ("- run: |\n    if ([ \"${{ github.event_name }}\" == 'push' ]) && ${{ !contains(github.event.head_commit.message, 'x') }}; then\n"
     "      echo \"run=1\" >> \"$GITHUB_OUTPUT\"\n    fi\n", "bot"),
    ("- run: \"${{ !contains(join(needs.*.result, ' '), 'failure') }}\"\n", "bot"),
    ("- run: ${{ matrix.command }}\n", "build"),  # a command from the matrix may be anything
    ("- run: (cd build && make)\n", "build"),
    ("- run: uvx nox -s ${{ github.event_name == 'release' && 'docs' || 'check' }}\n", "build"),  # a word inside an expression is no command
])
def test_boolean_expressions_and_grouping_are_not_commands(steps, expected):
    assert klass(steps) == expected


def test_whole_words_only():
    assert klass("- run: echo latest-testing-format\n") == "bot"  # no `test`/`format` word on its own
    assert classify_steps([Step(0, None)], ["gpu-a100"]) == "heavy"


def test_estimate_basis_and_runner_prices():
    wf = workflow("""\
        on: [push, pull_request]
        jobs:
          test:
            strategy: {matrix: {os: [ubuntu-latest, macos-latest, ubuntu-slim]}}
            runs-on: ${{ matrix.os }}
            steps: [{run: make test}]
          own:
            runs-on: [self-hosted, linux]
            steps: [{run: make}]
        """)
    model = WorkflowCost(wf)
    test, own = model.jobs["test"], model.jobs["own"]
    assert test.count == 3 and test.klass == "build" and test.basis == "estimate"
    assert test.usd_per_minute == pytest.approx((0.006 + 0.062 + 0.002) / 3)
    assert own.usd_per_minute == 0
    figure = model.price(stake("superseded", events=["pull_request"]))
    # 80 pull-request runs x (3 + 1) jobs x 10 minutes x 20%; the self-hosted job costs no dollars
    assert figure["minutes_per_month"] == 640 and figure["basis"] == "estimate"
    assert figure["usd_per_month"] == pytest.approx(0.2 * 80 * 10 * (0.006 + 0.062 + 0.002), abs=0.01)
    # missing-timeout: expected hang minutes a month, 140 runs x 3 jobs x 1% x (360 - 10) minutes
    hang = model.price(stake("hang", jobs=["test"]))
    assert hang["minutes_per_month"] == round(140 * 3 * 0.01 * 350) and "minutes_per_hang" not in hang
    assert model.price(stake("hang", jobs=["test"], minutes_per_run=330))["minutes_per_month"] == round(140 * 3 * 0.01 * 330)


def test_public_repositories_pay_nothing_for_standard_runners_but_minutes_remain():
    wf = workflow("on: push\njobs:\n  a:\n    runs-on: macos-latest\n    steps: [{run: make}]\n")
    figure = WorkflowCost(wf, CostOptions(visibility="public")).price(stake("share", share=0.5))
    assert figure == {"minutes_per_month": 300, "usd_per_month": 0.0, "basis": "estimate",
                      "cost_note": "public repository: standard runners bill 0 USD"}
    larger = workflow("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04-16core\n    steps: [{run: make}]\n")
    assert WorkflowCost(larger, CostOptions(visibility="public")).price(stake("share", share=0.5))["usd_per_month"] == 12.6


def test_configuration_overrides_the_tables():
    wf = workflow("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n")
    model = WorkflowCost(wf, CostOptions(minutes={"build": 4}, runs={"push": 10}))
    assert model.price(stake("share", share=1.0))["minutes_per_month"] == 40


def test_local_reusable_callee_is_priced_from_its_jobs(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "build.yml").write_text("on: workflow_call\njobs:\n  mac:\n    runs-on: macos-latest\n    steps: [{uses: docker/build-push-action@v6}]\n")
    wf = workflow("on: push\njobs:\n  call:\n    uses: ./.github/workflows/build.yml\n", str(folder / "ci.yml"))
    job = WorkflowCost(wf, CostOptions(repo_root=str(tmp_path))).jobs["call"]
    assert job.minutes == 15 and job.usd_per_minute == pytest.approx(0.062) and job.priced


# -- history ---------------------------------------------------------------------


@pytest.fixture
def saved():
    sources = history.Sources()
    for name in SOURCES:
        history.read(str(DATA / name), sources)
    return history.summarise(sources)


def test_history_from_gh_rest_and_billing(saved):
    ci = saved["workflows"][".github/workflows/ci.yml"]
    assert saved["format"] == "wflint-history" and saved["version"] == 1 and saved["private"] is True
    assert ci["runs"] == 51 and ci["job_level"] and set(ci["runs_per_month"]) == {"push", "pull_request"}
    # a push run and the pull_request run of the same commit are duplicates, never superseded
    assert ci["duplicate_runs"] == 20
    # superseded: a newer run of the same workflow, branch *and event* started before it ended
    assert ci["superseded_runs"] == 20 and set(ci["superseded_minutes_by_event"]) == {"push", "pull_request"}
    assert ci["tag_runs_per_month"] > 0
    assert ci["usd_basis"] == "billing" and ci["usd_per_month"] == 150.0  # 10 days of 5.0 USD
    assert ci["jobs"]["test (macos-latest)"]["labels"] == ["macos-latest"]
    assert ci["jobs"]["test (macos-latest)"]["max_minutes"] == 15.0
    labels = saved["workflows"]["name:Labels"]  # `gh run list` gives names, not paths
    assert labels["job_level"] and labels["jobs"]["label"]["median_minutes"] == 0.3


def test_bad_history_files_are_clear_errors(tmp_path):
    bad = tmp_path / "h.json"
    bad.write_text('{"format": "other"}')
    with pytest.raises(history.HistoryError, match="not a wflint history file"):
        history.load(str(bad))
    bad.write_text('{"format": "wflint-history", "version": 99, "workflows": {}}')
    with pytest.raises(history.HistoryError, match="version 99"):
        history.load(str(bad))
    csv = tmp_path / "b.csv"
    csv.write_text("date,sku\n2026-01-01,x\n")
    with pytest.raises(history.HistoryError, match="net_amount"):
        history.read(str(csv), history.Sources())


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    shutil.copytree(DATA / "repo", root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    return root


def save_history(root):
    args = ["usage", *[str(DATA / n) for n in SOURCES], "--save", "--format", "json", "-o", str(root / "usage.json")]
    assert main(args) == 0
    assert (root / ".github" / "wflint-history.json").is_file()  # the default file name


def findings(capsys, *args):
    code = main(["--format", "json", "--no-cache", *args])
    out = json.loads(capsys.readouterr().out)
    return code, out


def test_without_history_every_cost_finding_is_an_estimate(repo, capsys):
    _, out = findings(capsys, "--min-savings", "0")
    priced = [f for f in out["findings"] if "stake" in f["properties"]]
    assert priced and all(f["properties"]["basis"] == "estimate" for f in priced)
    assert all("usd_per_month" in f["properties"] or "usd_per_hang" in f["properties"] for f in priced)


def test_with_history_every_cost_finding_is_priced_from_it(repo, capsys):
    save_history(repo)
    _, out = findings(capsys, "--min-savings", "0", "--extend-select", "duplicate-triggers")  # opt-in
    priced = [f for f in out["findings"] if "stake" in f["properties"]]
    assert {f["slug"] for f in priced} >= {"missing-concurrency", "duplicate-triggers", "missing-path-filters", "missing-timeout"}
    assert all(f["properties"]["basis"] == "history" for f in priced)
    ci = json.loads((repo / ".github" / "wflint-history.json").read_text())["workflows"][".github/workflows/ci.yml"]
    dup = next(f for f in priced if f["slug"] == "duplicate-triggers")["properties"]
    assert dup["minutes_per_month"] == round(ci["duplicate_minutes_per_month"]) > 1000 and dup["usd_per_month"] > 0
    assert "billing" in dup["cost_note"]
    # missing-concurrency cancels pull-request runs only: the pull_request superseded minutes
    conc = next(f for f in priced if f["slug"] == "missing-concurrency" and f["path"].endswith("ci.yml"))["properties"]
    assert conc["minutes_per_month"] == round(ci["superseded_minutes_by_event"]["pull_request"])
    # usage and the model agree on the workflow's billed minutes
    usage = json.loads((repo / "usage.json").read_text())
    assert next(w for w in usage["workflows"] if w["name"] == "CI")["billed_minutes_month"] == pytest.approx(
        ci["billed_minutes_per_month"], abs=0.1)


@pytest.mark.min_savings
def test_threshold_hides_cheap_findings_and_says_so(repo, capsys):
    save_history(repo)
    _, out = findings(capsys)
    slugs = {(f["path"].rsplit("/", 1)[-1], f["slug"]) for f in out["findings"]}
    assert ("labels.yml", "missing-concurrency") not in slugs  # a labeller that is never superseded
    assert ("labels.yml", "missing-timeout") not in slugs  # an API-only labeller does not hang
    assert ("ci.yml", "missing-timeout") in slugs  # the test matrix on every push and pull request may
    assert out["hidden_below_min_savings"] == 3  # and the lint job's timeout is worth little
    main(["--no-cache"])
    text = capsys.readouterr().out
    assert ("3 findings below min-savings (150 min/mo, 1,000 for estimates, 5,000 for estimated superseded runs) hidden; "
            "`--min-savings 0` shows them.") in text
    _, everything = findings(capsys, "--min-savings", "0")
    assert everything["hidden_below_min_savings"] == 0 and len(everything["findings"]) == len(out["findings"]) + 3


@pytest.mark.min_savings
def test_threshold_from_configuration(repo, capsys):
    (repo / ".wflint.toml").write_text("[cost]\nmin-savings = 100000\nvisibility = \"public\"\n")
    _, out = findings(capsys)
    assert all("minutes_per_month" not in f["properties"] for f in out["findings"])
    assert out["hidden_below_min_savings"] > 0
    # findings without a stake are never hidden
    (repo / ".github" / "workflows" / "bad.yml").write_text("on: push\njobs: [\n")
    _, out = findings(capsys)
    assert any(f["slug"] == "invalid-yaml" for f in out["findings"])


def test_sort_savings_puts_the_most_expensive_first(repo, capsys):
    save_history(repo)
    _, out = findings(capsys, "--min-savings", "0", "--sort", "savings", "--extend-select", "duplicate-triggers,artifact-retention")
    monthly = [f["properties"]["usd_per_month"] for f in out["findings"] if "usd_per_month" in f["properties"]]
    assert monthly == sorted(monthly, reverse=True) and len(monthly) >= 4
    kinds = [0 if "minutes_per_month" in f["properties"] else 1 if "minutes_per_hang" in f["properties"] else 2
             for f in out["findings"]]
    assert kinds == sorted(kinds)  # monthly figures, then per-hang figures, then the unpriced
    main(["--no-cache", "--min-savings", "0", "--sort", "savings", "--extend-select", "duplicate-triggers"])
    first = capsys.readouterr().out.splitlines()[0]
    assert "[duplicate-triggers]" in first and "min/mo" in first and "history)" in first


def test_missing_timeout_value_from_history(repo, capsys):
    save_history(repo)
    _, out = findings(capsys, "--select", "missing-timeout")
    by_job = {f["message"].split("`")[1]: f for f in out["findings"]}
    # test (macos-latest): p95 15 min x 1.5 = 22.5 -> 25, longest 15; lint: 2 x 1.5 -> 5
    assert by_job["test"]["properties"]["timeout_minutes"] == 25
    assert by_job["test"]["fix"]["edits"][0]["content"].strip() == "timeout-minutes: 25"
    assert "from history" in by_job["test"]["properties"]["timeout_basis"]
    assert by_job["lint"]["properties"]["timeout_minutes"] == 5


def test_missing_timeout_without_history(repo, capsys):
    _, out = findings(capsys, "--select", "missing-timeout")
    by_job = {f["message"].split("`")[1]: f for f in out["findings"]}
    assert by_job["lint"]["properties"]["timeout_minutes"] == 15 and by_job["label"]["properties"]["timeout_minutes"] == 10
    mac = by_job["test"]  # a build on macOS with no history: no automatic value, and it says why
    assert mac["fix"] is None and "No automatic fix: a job on macOS with no run history" in mac["message"]


def test_timeout_rounding_never_below_the_longest_run():
    from wflint.cost.model import JobCost

    job = JobCost("a", "a", 1, 0.006, "build", 10, "history", history=[{"p95_minutes": 10, "max_minutes": 41}])
    assert timeout_for(job, 30)[0] == 45
    job.history = [{"p95_minutes": 10.1, "max_minutes": 12}]
    assert timeout_for(job, 30)[0] == 20


def test_ubuntu_slim_jobs_are_not_reported():
    text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-slim\n    steps: [{run: make}]\n"
    result = lint_source(Source(path="w.yml", text=text), settings_for(["missing-timeout"]))
    assert result.findings == []


def test_history_option_and_missing_file(repo, capsys):
    assert main(["--no-cache", "--history", "nowhere.json"]) == 2
    assert "history file not found" in capsys.readouterr().err


def test_readme_pricing_block_is_current():
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "gen_readme_pricing.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, "README.md pricing example is out of date: run `python3 scripts/gen_readme_pricing.py`"


def test_savings_threshold_script_counts_hidden_findings_and_waste():
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "scripts" / "savings_threshold.py"
    corpus = DATA / "repo" / ".github" / "workflows"
    done = subprocess.run([sys.executable, str(script), "--corpus", str(corpus), "--thresholds", "0", "100000"],
                          capture_output=True, text=True, check=True)
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]] for line in done.stdout.splitlines()
            if line.startswith("| ") and not line.startswith("| rule")}
    assert rows["missing-concurrency"] == ["2", "0", "2", "100.0%", "0.0%"]  # nothing hidden at 0, all at 100000
    assert rows["missing-timeout"][-2:] == ["100.0%", "0.0%"]  # expected hang minutes a month, like the rest


def test_cost_command_on_a_folder_without_workflows(tmp_path, capsys):
    (tmp_path / ".git").mkdir()
    assert main(["cost", str(tmp_path)]) == 3
    assert "wflint: warning: no workflow files found" in capsys.readouterr().err


def test_cost_command_shares_config_options_with_check(repo, capsys):
    (repo / ".wflint.toml").write_text("[cost]\nvisibility = \"public\"\n")
    assert main(["cost", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    labels = next(w for w in data["repositories"][0]["workflows"] if w["path"].endswith("labels.yml"))
    assert labels["model"]["usd_per_month"] == 0 and labels["model"]["minutes_per_month"] > 0
    assert main(["cost", "--no-config", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    labels = next(w for w in data["repositories"][0]["workflows"] if w["path"].endswith("labels.yml"))
    assert labels["model"]["usd_per_month"] > 0
    (repo / "bad.toml").write_text("[cost]\nvisibility = 3\n")
    assert main(["cost", "--config", "bad.toml"]) == 2
    assert capsys.readouterr().err.startswith("wflint: error: bad.toml: cost.visibility")


def test_cost_report_with_history_points_and_totals(repo, capsys):
    save_history(repo)
    assert main(["cost", "--with-fixes"]) == 0
    out = capsys.readouterr().out
    ci = next(line for line in out.splitlines() if ".github/workflows/ci.yml " in line)
    assert "history" in ci and ".." not in ci  # a point figure, no range, for history
    assert "  total " in out and "total (schedules)" not in out  # push and pull-request runs counted
    assert "saves ≈" in out and "no change in the estimate" not in out
    assert main(["cost", "--format", "json"]) == 0
    text = capsys.readouterr().out
    data = json.loads(text)
    ci = next(w for w in data["repositories"][0]["workflows"] if w["path"].endswith("ci.yml"))
    assert ci["model"]["basis"] == "history"
    # `usage` and `cost` agree: the same billed minutes a month (the history's job times)
    saved = json.loads((repo / ".github" / "wflint-history.json").read_text())["workflows"][".github/workflows/ci.yml"]
    assert ci["model"]["minutes_per_month"] == pytest.approx(saved["billed_minutes_per_month"], rel=0.01)
    assert ci["model"]["usd_per_month"] == 150.0  # the billing report's dollars
    import re

    assert not re.search(r"\d\.\d{5,}", text)  # JSON numbers rounded
    assert main(["cost", "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert "| **total** |" in md and "| history |" in md


def test_json_rounding_keeps_small_prices():
    from wflint.cost.usage import rounded

    assert rounded({"a": [52.044000000000004, 0.006, 0.10200000000000001, 3]}) == {"a": [52.04, 0.006, 0.102, 3]}


def test_sarif_results_carry_the_figure(repo, capsys):
    assert main(["--format", "sarif", "--no-cache", "--min-savings", "0"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    priced = [r["properties"] for r in results if "stake" in r.get("properties", {})]
    assert priced and all(p["basis"] == "estimate" and ("usd_per_month" in p or "usd_per_hang" in p) for p in priced)


def test_seed22_bot_jobs():
    from wflint.cost.jobclass import classify_steps
    from wflint.workflow import build
    from wflint.source import Source
    from wflint import yamlnode as yn

    def klass(steps):
        text = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n" + steps
        wf = build(Source.from_bytes("w.yml", text.encode()), yn.compose(text))
        return classify_steps(wf.jobs[0].steps)

    assert klass("      - uses: docker://someone/pull-request-label-checker:latest\n") == "bot"
    assert klass("      - uses: docker://someone/integration-tests:1\n") == "build"
    assert klass("      - uses: actions/checkout@v4\n      - uses: tj-actions/changed-files@v45\n") == "bot"
    assert klass("      - uses: actions/checkout@v4\n      - uses: dorny/paths-filter@v3\n") == "bot"
    assert klass("      - uses: korthout/backport-action@v3\n") == "bot"
    assert klass("      - run: backport-assistant backport\n") == "bot"
    gate = ("      - uses: step-security/harden-runner@v2\n      - run: |\n"
            "          for r in \"$A\" \"$B\"; do\n            case \"$r\" in\n              failure|cancelled)\n"
            "                echo failed; exit 1\n                ;;\n            esac\n          done\n")
    assert klass(gate) == "bot"
    assert klass(gate + "      - run: make test\n") == "build"


def test_uncalled_reusable_workflow_runs_as_rarely_as_dispatch(tmp_path):
    from wflint.cost.model import WorkflowCost
    from wflint.workflow import build
    from wflint.source import Source
    from wflint import yamlnode as yn

    text = "on:\n  workflow_call:\n  workflow_dispatch:\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
    path = tmp_path / "post.yml"
    path.write_text(text)
    (tmp_path / "release.yml").write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: x\n"
                                          "#  post:\n#    uses: ./.github/workflows/post.yml\n")

    def runs():
        wf = build(Source.from_bytes(str(path), text.encode()), yn.compose(text))
        return WorkflowCost(wf).runs_per_month("workflow_call")[0]

    assert runs() == 2  # the caller is commented out: a manual run's rate
    (tmp_path / "release.yml").write_text("on: push\njobs:\n  post:\n    uses: ./.github/workflows/post.yml\n")
    assert runs() > 2  # its caller's pushes


def test_uncalled_reusable_workflow_without_dispatch_keeps_the_fallback(tmp_path):
    from wflint.cost import defaults
    from wflint.cost.model import WorkflowCost
    from wflint.workflow import build
    from wflint.source import Source
    from wflint import yamlnode as yn

    text = "on: workflow_call\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
    (tmp_path / "w.yml").write_text(text)
    (tmp_path / "ci.yml").write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: x\n")
    wf = build(Source.from_bytes(str(tmp_path / "w.yml"), text.encode()), yn.compose(text))
    assert WorkflowCost(wf).runs_per_month("workflow_call")[0] == defaults.RUNS["workflow_call"]


@pytest.mark.shipped_defaults
def test_history_turns_on_the_rules_that_need_it(repo, capsys):
    """duplicate-triggers is opt-in without history (the estimate cannot see whether pull requests
    come from forks) and on by default once a history file exists."""
    from wflint.rules import find

    assert not find("duplicate-triggers").default and find("duplicate-triggers").with_history
    _, out = findings(capsys, "--min-savings", "0")
    assert "duplicate-triggers" not in {f["slug"] for f in out["findings"]}
    save_history(repo)
    _, out = findings(capsys, "--min-savings", "0")
    assert "duplicate-triggers" in {f["slug"] for f in out["findings"]}
    _, out = findings(capsys, "--min-savings", "0", "--ignore", "duplicate-triggers")  # still the user's choice
    assert "duplicate-triggers" not in {f["slug"] for f in out["findings"]}
