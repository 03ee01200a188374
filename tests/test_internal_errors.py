"""A rule that raises: reported as internal-error for that rule and file, everything else still checked, exit 2."""

from __future__ import annotations

import json

import pytest

from wflint import rules
from wflint.cli import main
from wflint.engine import Settings, lint_source
from wflint.finding import Finding
from wflint.rules import Rule, missing_concurrency
from wflint.source import Source
from wflint.yamlnode import span

WORKFLOW = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"


def _explode(wf, ctx):
    if "boom" in wf.path:
        yield Finding(span=span(wf.on_key), message="partial output is dropped")
        raise ZeroDivisionError("division by zero in a rule")
    return


BROKEN = Rule(code="WFL998", slug="broken-rule", summary="Raises on files named boom", check=_explode)
MESSAGE = (
    "WFL999 [internal-error] Rule WFL998 (broken-rule) failed on this file: ZeroDivisionError: division by zero in a rule. "
    "This is a bug in wflint; please report it with the file (run with --verbose for the traceback)."
)


def test_engine_reports_the_failing_rule_and_runs_the_others():
    settings = Settings(rules=[BROKEN, missing_concurrency.RULE])
    result = lint_source(Source(path="boom.yml", text=WORKFLOW), settings)
    assert result.internal_error
    assert [(f.slug, f.line, f.col) for f in result.findings] == [("missing-concurrency", 1, 1), ("internal-error", 1, 1)]
    assert "ZeroDivisionError" in result.findings[1].properties["traceback"]
    assert "partial output" not in str([f.message for f in result.findings])

    fine = lint_source(Source(path="fine.yml", text=WORKFLOW), settings)
    assert not fine.internal_error and [f.slug for f in fine.findings] == ["missing-concurrency"]


def test_plugin_rule_failure_names_the_plugin():
    plugin = Rule(code="XYZ001", slug="plugin-rule", summary="s", check=_explode, source="wflint-plugin-xyz")
    result = lint_source(Source(path="boom.yml", text=WORKFLOW), Settings(rules=[plugin]))
    assert "This is a bug in plugin `wflint-plugin-xyz`" in result.findings[0].message
    assert result.findings[0].code == "WFL999"


@pytest.fixture
def broken_builtin(monkeypatch, tmp_path):
    monkeypatch.setattr(rules, "CATALOG", (*rules.CATALOG, (BROKEN.code, BROKEN.slug, rules.ON)))
    monkeypatch.setitem(rules._loaded, BROKEN.slug, BROKEN)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "boom.yml").write_text(WORKFLOW)
    (tmp_path / "fine.yml").write_text(WORKFLOW)
    return tmp_path


def test_cli_continues_and_exits_2_without_traceback(broken_builtin, capsys):
    assert main(["--no-cache", "boom.yml", "fine.yml"]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert f"boom.yml:1:1: {MESSAGE}" in lines
    assert not [line for line in lines if line.startswith("fine.yml") and "WFL999" in line]
    for path in ("boom.yml", "fine.yml"):  # the other rules still ran on both files
        assert f"{path}:1:1: WFL001 [missing-concurrency]" in out
        assert f"{path}:3:3: WFL003 [missing-timeout]" in out
    assert "Traceback" not in out + err


def test_cli_verbose_prints_the_traceback(broken_builtin, capsys):
    assert main(["--no-cache", "--verbose", "boom.yml"]) == 2
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    at = lines.index(f"boom.yml:1:1: {MESSAGE}")
    assert lines[at + 1] == "    Traceback (most recent call last):"
    assert "    ZeroDivisionError: division by zero in a rule" in lines


def test_json_reports_internal_error_without_traceback(broken_builtin, capsys):
    assert main(["--no-cache", "--format", "json", "boom.yml"]) == 2
    data = json.loads(capsys.readouterr().out)
    internal = [f for f in data["findings"] if f["slug"] == "internal-error"]
    assert len(internal) == 1 and internal[0]["properties"] == {"rule": "broken-rule"}


def test_fix_still_applies_the_other_rules_fixes(broken_builtin, capsys):
    assert main(["--no-cache", "--fix", "boom.yml"]) == 2
    assert "concurrency:" in (broken_builtin / "boom.yml").read_text()
    out, _ = capsys.readouterr()
    assert f"boom.yml:1:1: {MESSAGE}" in out.splitlines()
