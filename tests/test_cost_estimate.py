"""The static cost estimate of workflows and repositories, the savings preview and crowding."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from wflint.cli import main
from wflint.cost import crowding, pricing
from wflint.cost.estimate import estimate_text
from wflint.cost.repos import RepoTarget, analyse, analyse_repo, targets
from wflint.engine import settings_for

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
PRICES = pricing.load()

SCHEDULED = textwrap.dedent("""\
    name: nightly
    on:
      schedule:
        - cron: "*/5 * * * *"
      workflow_dispatch:
    jobs:
      test:
        runs-on: ${{ matrix.os }}
        timeout-minutes: 20
        strategy:
          matrix:
            os: [ubuntu-latest, macos-latest]
        steps:
          - run: make test
      report:
        runs-on: ubuntu-latest
        steps:
          - run: gh issue comment 1 --body done
    """)


def write(folder, name, text):
    path = folder / ".github" / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_estimate_of_a_scheduled_matrix_workflow():
    est = estimate_text("nightly.yml", SCHEDULED, PRICES)
    assert est.error is None
    assert est.name == "nightly" and est.triggers == ["schedule", "workflow_dispatch"]
    assert est.runs_per_month == 8640
    assert est.jobs_per_run == 3
    test = est.jobs[0]
    assert test.runners == {"linux-2": 1, "macos-3": 1} and test.timeout == 20
    run = est.per_run()
    assert run["floor_minutes"] == 3
    assert run["ceiling_minutes"] == 2 * 20 + 360
    assert run["floor_usd"] == pytest.approx(0.006 + 0.062 + 0.006)
    assert run["ceiling_usd"] == pytest.approx(20 * (0.006 + 0.062) + 360 * 0.006)
    month = est.monthly()
    assert month["floor_minutes"] == 8640 * 3
    assert month["floor_usd"] == pytest.approx(8640 * 0.074)


def test_event_workflow_has_per_run_figures_and_no_monthly_runs():
    est = estimate_text("ci.yml", "on: push\njobs:\n  a:\n    runs-on: windows-latest\n    timeout-minutes: 10\n    steps: [{run: x}]\n", PRICES)
    assert est.runs_per_month == 0 and est.monthly()["floor_minutes"] == 0
    assert est.per_run() == {"floor_minutes": 1, "ceiling_minutes": 10, "floor_usd": 0.010, "ceiling_usd": pytest.approx(0.10)}


def test_unknown_matrix_and_reusable_jobs_are_flagged_not_priced():
    text = textwrap.dedent("""\
        on: push
        jobs:
          dyn:
            runs-on: ubuntu-latest
            strategy:
              matrix: ${{ fromJSON(needs.setup.outputs.m) }}
            steps: [{run: x}]
          call:
            uses: ./.github/workflows/other.yml
          vendor:
            runs-on: depot-ubuntu-24.04-4
            steps: [{run: x}]
        """)
    est = estimate_text("w.yml", text, PRICES)
    assert est.jobs_per_run is None and est.jobs_per_run_floor == 3
    assert est.unpriced == 2
    assert est.jobs[0].note == "the matrix is an expression"


def test_matrix_fallback_expression_and_nested_keys_resolve_runners():
    text = textwrap.dedent("""\
        on: push
        jobs:
          a:
            runs-on: ${{ matrix.platform.os || 'ubuntu-latest' }}
            strategy:
              matrix:
                platform: [{os: windows-latest}, {os: macos-14}, {name: plain}]
            steps: [{run: x}]
        """)
    est = estimate_text("w.yml", text, PRICES)
    assert est.jobs[0].runners == {"windows-2": 1, "macos-3": 1, "linux-2": 1}


def test_timeout_ceiling_is_capped_at_360_on_hosted_runners():
    text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 9000\n    steps: [{run: x}]\n"
    assert estimate_text("w.yml", text, PRICES).jobs[0].timeout == 360


def test_broken_files_are_reported_with_a_position_not_raised():
    est = estimate_text("bad.yml", "on: push\njobs: [\n", PRICES)
    assert est.error.startswith("bad.yml:") and not est.jobs
    est = estimate_text("cron.yml", "on:\n  schedule:\n    - cron: '61 * * * *'\njobs: {}\n", PRICES)
    assert est.runs_per_month is None and "schedule not counted" in est.error


def test_savings_preview_relaxes_the_cron_in_memory(tmp_path):
    path = write(tmp_path, "nightly.yml", SCHEDULED)
    report = analyse_repo(RepoTarget("r", str(tmp_path), (str(tmp_path),)), PRICES, settings_for())
    assert path.read_text() == SCHEDULED  # never written
    (saving,) = report.savings
    assert saving.before.runs_per_month == 8640 and saving.after.runs_per_month == 2880
    assert saving.delta()["runs"] == 5760
    assert any("-59/15 * * * *" in fix for fix in saving.fixes)  # relaxed and off minute 0
    assert saving.after.jobs[1].timeout == 10  # missing-timeout's fix on `report` (a bot job)


def test_cost_command_text_json_markdown(tmp_path, capsys, monkeypatch):
    write(tmp_path, "nightly.yml", SCHEDULED)
    monkeypatch.chdir(tmp_path)
    assert main(["cost", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    # every trigger counted: 8,640 scheduled runs + 2 workflow_dispatch (the activity default);
    # 21 minutes a run: 2 x `make test` (a build, 10 min) + a 1-minute bot job
    assert "nightly.yml" in out and "8,642" in out and "181,482" in out and "estimate" in out
    assert "25,926..3,456,800" in out  # the range, a secondary figure of an estimate
    assert "Prices: USD per minute" in out and "2026-01-01" in out
    assert main(["cost", str(tmp_path), "--format", "json", "--with-fixes"]) == 0
    data = json.loads(capsys.readouterr().out)
    (repo,) = data["repositories"]
    wf = repo["workflows"][0]
    assert wf["runs_per_month"] == 8640 and wf["jobs_per_run"] == 3
    assert repo["savings"][0]["before"]["runs"] == 8640 and repo["savings"][0]["after"]["runs"] == 2880
    assert data["totals"]["runs"] == 8640 and data["totals"]["runs_per_month"] == 8642
    assert wf["model"]["basis"] == "estimate" and wf["model"]["minutes_per_month"] == 181482
    saving = repo["savings"][0]
    assert saving["saves"]["minutes_per_month"] > 0 and saving["fix_figures"]
    assert data["crowding"]["top_of_hour"] == 1
    assert main(["cost", str(tmp_path), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("## wflint cost report") and "| `.github/workflows/nightly.yml` |" in md and "█" in md


def test_cost_command_prices_option_and_errors(tmp_path, capsys):
    write(tmp_path, "nightly.yml", SCHEDULED)
    prices = tmp_path / "p.toml"
    prices.write_text('[prices]\n"linux-2" = 1.0\n"macos-3" = 1.0\n')
    assert main(["cost", str(tmp_path), "--format", "json", "--prices", str(prices)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["repositories"][0]["workflows"][0]["monthly"]["floor_usd"] == pytest.approx(8640 * 3)
    assert main(["cost", str(tmp_path / "missing")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["cost", str(tmp_path), "--prices", str(tmp_path / "nope.toml")]) == 2
    assert "cannot read the prices file" in capsys.readouterr().err


def test_many_repositories_in_parallel_with_totals(tmp_path, capsys):
    for i, cron_expr in enumerate(["0 * * * *", "0 0 * * *", "*/30 * * * *"]):
        write(tmp_path / f"repo{i}", "s.yml", f"on:\n  schedule:\n    - cron: '{cron_expr}'\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{{run: x}}]\n")
    (tmp_path / "repo1" / ".github" / "workflows" / "broken.yml").write_text("on: [\n")
    found, errors = targets([str(tmp_path)], str(tmp_path), recursive=True)
    assert [t.name for t in found] == ["repo0", "repo1", "repo2"] and not errors
    seen = []
    reports = analyse(found, PRICES, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert [r.name for r in reports] == ["repo0", "repo1", "repo2"]
    assert seen[-1] == (3, 3)
    assert [r.totals()["runs"] for r in reports] == [720, 30, 1440]
    assert reports[1].errors and "broken.yml" in reports[1].errors[0]
    assert main(["cost", "--recursive", str(tmp_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["runs"] == 720 + 30 + 1440
    assert data["totals"]["floor_minutes"] == 720 + 30 + 1440
    assert data["crowding"]["scheduled_workflows"] == 3
    assert data["crowding"]["max_same_minute"] == 3  # midnight UTC: all three
    assert data["crowding"]["top_of_hour"] == 3
    assert main(["cost", "--recursive", str(tmp_path)]) == 0
    assert "Total over 3 repositories" in capsys.readouterr().out


def test_crowding_counts_and_stable_staggered_minutes():
    items = [("r", "a.yml", [("0 * * * *", None)]), ("r", "b.yml", [("0 6 * * *", None)]), ("r", "c.yml", [("17 6 * * *", None)])]
    result = crowding.analyse(items)
    assert result.scheduled_workflows == 3 and result.top_of_hour == 2 and result.max_same_minute == 2
    assert result.busiest[0] == ("06:00", 2)
    suggested = {s.path: s.suggested for s in result.suggestions}
    assert set(suggested) == {"a.yml", "b.yml"}
    assert suggested == {s.path: s.suggested for s in crowding.analyse(items).suggestions}  # stable
    minute = int(suggested["b.yml"].split()[0])
    assert 1 <= minute <= 59 and suggested["b.yml"].split()[1:] == ["6", "*", "*", "*"]
    assert crowding.stagger("*/15 * * * *", "r", "x.yml").split()[0].endswith("-59/15")
    assert crowding.stagger("5 * * * *", "r", "x.yml") is None


def test_rule_findings_carry_monthly_savings(capsys, tmp_path):
    path = write(tmp_path, "nightly.yml", SCHEDULED)
    assert main(["check", "--format", "json", "--no-cache", str(path)]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    props = {f["slug"]: f["properties"] for f in findings}
    assert props["cron-too-frequent"]["monthly_runs_saved"] == 5760
    assert props["cron-too-frequent"]["monthly_minutes_saved"] == 5760 * 3
    assert props["missing-timeout"]["monthly_ceiling_minutes_saved"] == 8640 * 1 * (360 - 10)  # a bot job: 10


def test_version_and_plain_lint_do_not_import_the_cost_package(tmp_path):
    path = tmp_path / "ci.yml"
    # No finding: a file with a cost finding builds its cost model (wflint.cost) to price it.
    path.write_text("on:\n  push:\n    paths: [src/**]\nconcurrency: ci\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps: [{run: x}]\n")
    code = (
        "import sys\nfrom wflint.cli import main\n"
        f"main(['--version']); main(['check', '--no-cache', {str(path)!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith('wflint.cost')))\n"
    )
    env = dict(os.environ, PYTHONPATH=SRC)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=str(tmp_path), check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


CORPUS = os.path.join(os.path.dirname(SRC), "..", "shared", "corpus", "workflows")


@pytest.mark.skipif(not os.path.isdir(CORPUS), reason="../shared/corpus is not available")
def test_every_corpus_workflow_is_estimated_without_crashing():
    names = sorted(os.listdir(CORPUS))
    found = [RepoTarget(n, os.path.join(CORPUS, n), (os.path.join(CORPUS, n),)) for n in names]
    reports = analyse(found, PRICES, jobs=1)
    workflows = [wf for r in reports for wf in r.workflows]
    assert len(workflows) > 2500
    scheduled = [wf for wf in workflows if wf.schedules]
    assert len(scheduled) > 100
    priced = sum(1 for wf in workflows if wf.jobs and not wf.unpriced)
    assert priced / len(workflows) > 0.6


@pytest.mark.min_savings  # what a user sees: fixes saving less than the default threshold are left out
@pytest.mark.skipif(not os.path.isdir(CORPUS), reason="../shared/corpus is not available")
def test_readme_cost_table_is_real_output(capsys, monkeypatch):
    readme = open(os.path.join(os.path.dirname(SRC), "README.md"), encoding="utf-8").read()
    command = "wflint cost Ahmed2286__decathlon-slot-watcher --with-fixes"
    assert command in readme
    block = readme.split(command, 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(CORPUS)
    assert main(command.split()[1:]) == 0
    assert capsys.readouterr().out == block


def test_progress_bar_only_on_a_terminal(monkeypatch):
    import io

    from wflint.cost import cli as cost_cli

    class Tty(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cost_cli._progress() is None
    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    show = cost_cli._progress()
    show(1, 4)
    assert "1/4 repositories" in tty.getvalue() and "[#######" in tty.getvalue()


def test_calls_to_local_reusable_workflows_are_priced_from_the_callee(tmp_path):
    write(tmp_path, "nightly.yml", textwrap.dedent("""\
        on:
          schedule:
            - cron: "17 3 * * *"
        jobs:
          build:
            strategy:
              matrix:
                target: [a, b]
            uses: ./.github/workflows/build.yml
          remote:
            uses: octo/other/.github/workflows/x.yml@v1
          self:
            uses: $/.github/workflows/build.yml
        """))
    write(tmp_path, "build.yml", textwrap.dedent("""\
        on: workflow_call
        jobs:
          linux:
            runs-on: ubuntu-latest
            timeout-minutes: 10
            steps: [{run: make}]
          mac:
            runs-on: macos-latest
            steps: [{run: make}]
            # no timeout, and no automatic one: a macOS build without history
        """))
    report = analyse_repo(RepoTarget("r", str(tmp_path), (str(tmp_path),)), PRICES, settings_for())
    nightly = next(wf for wf in report.workflows if wf.path.endswith("nightly.yml"))
    build, remote, self_ref = nightly.jobs
    assert build.count == 4 and build.runners == {"linux-2": 2, "macos-3": 2}
    assert (build.floor_minutes, build.ceiling_minutes) == (4, 2 * (10 + 360))
    assert build.floor_usd == pytest.approx(2 * (0.006 + 0.062)) and build.unpriced == 0
    assert remote.unpriced == 1 and remote.resolved is None
    assert self_ref.count == 2 and self_ref.runners == {"linux-2": 1, "macos-3": 1}
    assert nightly.runs_per_month == 30 and nightly.monthly()["floor_minutes"] == 30 * 7
    # missing-timeout offers no value for a macOS build without history: the preview changes nothing.
    saving = next(s for s in report.savings if s.path.endswith("nightly.yml"))
    assert not saving.changed and not saving.fixes
