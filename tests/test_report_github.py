"""`--format github`: workflow commands, escaped as GitHub requires, chosen automatically inside Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from wflint.cli import main
from wflint.engine import Settings, lint_source, settings_for
from wflint.finding import Finding, Severity, Span
from wflint.report import github
from wflint.runner import FileReport, RunReport
from wflint.source import Source

WORKFLOW = """\
on:
  push:
    branches: [main]
    paths: ['src/**']
  pull_request:
    paths: ['src/**']
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - run: make
"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def _report(tmp_path: Path, finding: Finding, name: str) -> RunReport:
    path = tmp_path / ".github" / "workflows" / name
    return RunReport(files=[FileReport(display=f".github/workflows/{name}", path=str(path), findings=[finding])])


def test_message_and_properties_are_escaped(tmp_path):
    finding = Finding(
        span=Span(0, 2),
        message="Costs 100% more: push, pull_request.\r\nSecond line",
        code="WFL001",
        slug="missing-concurrency",
        severity=Severity.WARNING,
        line=3,
        col=5,
        end_line=3,
        end_col=9,
    )
    report = _report(tmp_path, finding, "a,b:c%d.yml")
    out = github.render(report, settings=Settings(repo_root=str(tmp_path)))
    first = out.splitlines()[0]
    assert first == (
        "::warning file=.github/workflows/a%2Cb%3Ac%25d.yml,line=3,col=5,endLine=3,endColumn=9,"
        "title=WFL001 missing-concurrency::Costs 100%25 more: push, pull_request.%0D%0ASecond line"
    )


def test_escape_functions():
    assert github.escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert github.escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert github.escape_data("%0A") == "%250A"  # escaped once, not decoded twice


def test_levels_and_multi_line_ranges(tmp_path):
    findings = [
        Finding(span=Span(0, 1), message="m", code="WFL900", slug="invalid-yaml", severity=Severity.ERROR, line=1, col=1, end_line=1, end_col=2),
        Finding(span=Span(0, 1), message="m", code="X1", slug="x", severity=Severity.INFO, line=2, col=3, end_line=4, end_col=1),
    ]
    report = RunReport(files=[FileReport(display="wf.yml", path=str(tmp_path / "wf.yml"), findings=findings)])
    lines = github.render(report, settings=Settings(repo_root=str(tmp_path))).splitlines()
    assert lines[0].startswith("::error file=wf.yml,line=1,col=1,endLine=1,endColumn=2,")
    assert lines[1] == "::notice file=wf.yml,line=2,endLine=4,title=X1 x::m"  # no columns across lines
    assert lines[-1].startswith("Found 2 findings")


def test_real_finding_in_a_file_named_with_special_characters(repo, capsys):
    (repo / ".github" / "workflows" / "ci,%:x.yml").write_text(WORKFLOW, encoding="utf-8")
    assert main(["--format", "github", "--no-cache"]) == 1
    out = capsys.readouterr().out.splitlines()
    (finding,) = lint_source(Source(path="ci.yml", text=WORKFLOW), settings_for()).findings
    assert "," in finding.message and "\n" not in finding.message
    assert out[0] == (
        "::warning file=.github/workflows/ci%2C%25%3Ax.yml,line=1,col=1,endLine=1,endColumn=3,"
        f"title=WFL001 missing-concurrency::{finding.message.replace('%', '%25')}"
        # the cost model's figure follows the message: 80 pull-request pushes a month, 30% of them
        # through `paths`, x 10 minutes (a build) x the 20% superseded = 48 minutes, at $0.006
        " (≈ 48 min/mo, $0.29/mo, estimate)"
    )
    assert len(out) == 2


def test_paths_are_relative_to_the_repository_root(repo, capsys, monkeypatch):
    (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")
    monkeypatch.chdir(repo / ".github")
    assert main(["--format", "github", "--no-cache", "workflows/ci.yml"]) == 1
    assert capsys.readouterr().out.startswith("::warning file=.github/workflows/ci.yml,")


def test_read_errors_become_error_commands(repo, capsys):
    assert main(["--format", "github", "--no-cache", "missing.yml"]) == 2
    assert "::error title=wflint::missing.yml: no such file or directory" in capsys.readouterr().out


class TestAutoSelect:
    @pytest.fixture(autouse=True)
    def workflow(self, repo):
        (repo / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW, encoding="utf-8")

    def test_inside_actions_without_format(self, capsys, monkeypatch):
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        assert main(["--no-cache"]) == 1
        assert capsys.readouterr().out.startswith("::warning file=.github/workflows/ci.yml,line=1,")

    def test_outside_actions(self, capsys):
        assert main(["--no-cache"]) == 1
        assert capsys.readouterr().out.startswith(".github/workflows/ci.yml:1:1: WFL001")

    def test_explicit_format_wins(self, capsys, monkeypatch):
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        assert main(["--no-cache", "--format", "text"]) == 1
        assert capsys.readouterr().out.startswith(".github/workflows/ci.yml:1:1: WFL001")

    def test_output_file_stays_text(self, repo, capsys, monkeypatch):
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        assert main(["--no-cache", "--output", "report.txt"]) == 1
        assert capsys.readouterr().out == ""
        assert (repo / "report.txt").read_text(encoding="utf-8").startswith(".github/workflows/ci.yml:1:1: WFL001")

    def test_diff_stays_a_diff(self, capsys, monkeypatch):
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        assert main(["--no-cache", "--diff"]) == 1
        assert capsys.readouterr().out.startswith("--- a/.github/workflows/ci.yml")

    def test_other_values_do_not_count(self, capsys, monkeypatch):
        monkeypatch.setenv("GITHUB_ACTIONS", "false")
        assert main(["--no-cache"]) == 1
        assert not capsys.readouterr().out.startswith("::")
