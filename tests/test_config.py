"""Configuration files: where they are found, what they change, and how they are validated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wflint.cli import main

SRC = str(Path(__file__).resolve().parents[1] / "src")

HALF_HOURLY = """\
on:
  push:
  schedule:
    - cron: "*/30 * * * *"
jobs:
  poll:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - run: ./poll.sh
"""


def make_repo(root: Path, workflow: str = HALF_HOURLY, name: str = "poll.yml", **files: str) -> Path:
    (root / ".git").mkdir()
    folder = root / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / name).write_text(workflow)
    for filename, text in files.items():
        (root / filename).write_text(textwrap.dedent(text))
    return root


def run(root: Path, *args: str, capsys, monkeypatch):
    monkeypatch.chdir(root)
    code = main(["check", "--format", "json", "--no-cache", *args])
    out, err = capsys.readouterr()
    data = json.loads(out) if out.strip().startswith("{") else None
    return code, data, err


def slugs(data) -> list:
    return sorted(f["slug"] for f in data["findings"])


# -- the "done when" ------------------------------------------------------


def test_min_interval_from_pyproject_reports_half_hourly_crons(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path)
    code, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "cron-too-frequent" not in slugs(data)  # every 30 minutes is fine by the default (15)
    (tmp_path / "pyproject.toml").write_text("[tool.wflint]\ncron-too-frequent.min-interval = 60\n")
    code, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    crons = [f for f in data["findings"] if f["slug"] == "cron-too-frequent"]
    assert len(crons) == 1 and "*/30" in crons[0]["message"] and "60-minute" in crons[0]["message"]
    assert (crons[0]["line"], crons[0]["column"]) == (4, 13)
    assert code == 1


def test_ignore_silences_a_rule(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path)
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-path-filters" in slugs(data)
    (tmp_path / "pyproject.toml").write_text('[tool.wflint]\nignore = ["missing-path-filters"]\n')
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-path-filters" not in slugs(data)
    assert "missing-concurrency" in slugs(data)


def test_bad_key_exits_2_naming_the_key_path(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{"pyproject.toml": "[tool.wflint.cron-too-frequent]\nmin-intervall = 60\n"})
    code, data, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and data is None
    assert "pyproject.toml: tool.wflint.cron-too-frequent.min-intervall: unknown key (did you mean `min-interval`?)" in err


# -- where the configuration comes from --------------------------------------------


def test_dotted_keys_and_tables_are_the_same(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.toml": "[cron-too-frequent]\nmin-interval = 60\n"})
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "cron-too-frequent" in slugs(data)


def test_yaml_configuration(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.yaml": "ignore: [missing-concurrency]\ncron-too-frequent:\n  min-interval: 60\n"})
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "cron-too-frequent" in slugs(data) and "missing-concurrency" not in slugs(data)


def test_first_file_found_wins_and_pyproject_without_table_is_skipped(tmp_path, capsys, monkeypatch):
    make_repo(
        tmp_path,
        **{
            "pyproject.toml": "[project]\nname = 'x'\n",
            ".wflint.toml": "ignore = ['missing-concurrency']\n",
            ".wflint.yaml": "ignore: [missing-path-filters]\n",
        },
    )
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-concurrency" not in slugs(data) and "missing-path-filters" in slugs(data)
    (tmp_path / "pyproject.toml").write_text("[tool.wflint]\nignore = ['missing-timeout']\n")
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-concurrency" in slugs(data) and "missing-path-filters" in slugs(data)


def test_configuration_is_found_at_the_repository_root_from_a_subfolder(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.toml": "ignore = ['missing-concurrency']\n"})
    sub = tmp_path / "src" / "deep"
    sub.mkdir(parents=True)
    _, data, _ = run(sub, capsys=capsys, monkeypatch=monkeypatch)
    assert data["files_checked"] == 1 and "missing-concurrency" not in slugs(data)


def test_config_option_and_no_config(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.toml": "ignore = ['missing-concurrency']\n", "other.toml": "ignore = ['missing-path-filters']\n"})
    _, data, _ = run(tmp_path, "--config", "other.toml", capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-concurrency" in slugs(data) and "missing-path-filters" not in slugs(data)
    _, data, _ = run(tmp_path, "--no-config", capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-concurrency" in slugs(data) and "missing-path-filters" in slugs(data)
    code, _, err = run(tmp_path, "--config", "missing.toml", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and "missing.toml: cannot read" in err
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "pyproject.toml").write_text("[project]\n")
    code, _, err = run(tmp_path, "--config", "plain/pyproject.toml", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and "has no [tool.wflint] table" in err


def test_command_line_select_overrides_and_ignore_adds(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.toml": "select = ['missing-concurrency', 'missing-path-filters']\nignore = ['missing-path-filters']\n"})
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert slugs(data) == ["missing-concurrency"]
    _, data, _ = run(tmp_path, "--select", "missing-path-filters,WFL001", capsys=capsys, monkeypatch=monkeypatch)
    # as in ruff, the command line's selection wins over the file's ignore
    assert slugs(data) == ["missing-concurrency", "missing-path-filters"]
    _, data, _ = run(tmp_path, "--ignore", "missing-concurrency", capsys=capsys, monkeypatch=monkeypatch)
    assert slugs(data) == []


# -- what the keys do --------------------------------------------------------------


def test_options_reach_the_fixes(tmp_path, capsys, monkeypatch):
    workflow = "on:\n  push:\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
    make_repo(
        tmp_path,
        workflow=workflow,
        **{
            ".wflint.toml": """\
            [missing-timeout]
            default = 20
            [missing-concurrency]
            group = "ci-${{ github.ref }}"
            cancel-in-progress = false
            [missing-path-filters]
            paths-ignore = ["site/**"]
            """
        },
    )
    code, _, _ = run(tmp_path, "--fix", "--unsafe-fixes", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0
    fixed = (tmp_path / ".github" / "workflows" / "poll.yml").read_text()
    assert fixed == (
        "on:\n  push:\n    paths-ignore:\n      - 'site/**'\n"
        "concurrency:\n  group: ci-${{ github.ref }}\n  cancel-in-progress: false\n"
        "jobs:\n  build:\n    runs-on: ubuntu-latest\n    timeout-minutes: 20\n    steps:\n      - run: make\n"
    )


def test_per_file_ignores_ignore_findings_exclude_and_severity(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path)
    folder = tmp_path / ".github" / "workflows"
    (folder / "legacy-build.yml").write_text(HALF_HOURLY)
    (folder / "nightly.yml").write_text(HALF_HOURLY)
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert data["files_checked"] == 3 and len(data["findings"]) == 6
    (tmp_path / ".wflint.toml").write_text(
        textwrap.dedent(
            """\
            exclude = [".github/workflows/legacy-*.yml"]
            ignore-findings = ["missing-concurrency@.github/workflows/poll.yml:1", "WFL004@.github/workflows/poll.yml:2:3", "missing-path-filters@.github/workflows/poll.yml:2:4"]
            severity = { missing-concurrency = "error", WFL004 = "info" }
            [per-file-ignores]
            "nightly.yml" = ["missing-path-filters"]
            """
        )
    )
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert data["files_checked"] == 2
    got = sorted((Path(f["path"]).name, f["slug"], f["severity"]) for f in data["findings"])
    assert got == [("nightly.yml", "missing-concurrency", "error")]


def test_ignore_findings_paths_are_relative_to_the_repository_root(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.toml": "ignore-findings = ['missing-concurrency@.github/workflows/poll.yml:1:1']\n"})
    _, data, _ = run(tmp_path / ".github", "workflows/poll.yml", capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-concurrency" not in slugs(data) and "missing-path-filters" in slugs(data)


def test_a_repository_path_argument_brings_its_configuration(tmp_path, capsys, monkeypatch):
    (tmp_path / "repo").mkdir()
    repo = make_repo(tmp_path / "repo", **{".wflint.toml": "ignore = ['missing-concurrency']\n"})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _, data, _ = run(elsewhere, str(repo), capsys=capsys, monkeypatch=monkeypatch)
    assert data["files_checked"] == 1 and "missing-concurrency" not in slugs(data)


# -- validation --------------------------------------------------------------------

BAD = """\
[tool.wflint]
select = ["missing-timout"]
ignore = ["missing-path-filters", 3]
exclude = "docs"
ignore-findings = ["missing-timeout@x.yml"]
severity = { missing-timeout = "fatal" }
colour = true
[tool.wflint.cron-too-frequent]
min-interval = 3
[tool.wflint.missing-timeout]
default = 400
[tool.wflint.missing-concurrency]
cancel-in-progress = 1
[tool.wflint.missing-path-filters]
paths-ignore = []
"""


def test_every_schema_error_names_file_key_path_and_expectation(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{"pyproject.toml": BAD})
    code, data, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and data is None
    lines = [line for line in err.splitlines() if line.startswith("wflint: error: ")]
    assert sorted(lines) == sorted(
        "wflint: error: pyproject.toml: " + text
        for text in [
            "tool.wflint.colour: unknown key; expected a setting or a rule slug (see `wflint rules`)",
            "tool.wflint.cron-too-frequent.min-interval: expected an integer ≥ 5, got 3",
            "tool.wflint.exclude: expected a list, got 'docs'",
            "tool.wflint.ignore-findings[0]: expected `rule@path:line` or `rule@path:line:col`, got 'missing-timeout@x.yml'",
            "tool.wflint.ignore[1]: expected a string, got 3",
            "tool.wflint.missing-concurrency.cancel-in-progress: expected a string or true or false, got 1",
            "tool.wflint.missing-path-filters.paths-ignore: expected a list of at least 1 item, got a list",
            "tool.wflint.missing-timeout.default: expected an integer ≤ 360, got 400",
            "tool.wflint.severity.missing-timeout: expected one of 'error', 'warning', 'info', got 'fatal'",
            # unknown rule names come in the same run as the type errors (issue 15)
            "tool.wflint.select[0]: unknown rule `missing-timout` (did you mean `missing-timeout`?)",
        ]
    )


def test_unknown_rule_names_get_a_suggestion(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.yaml": "missing-timeuot: {default: 10}\n"})
    code, _, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2
    assert "wflint: error: .wflint.yaml: missing-timeuot: unknown key (did you mean `missing-timeout`?)" in err
    (tmp_path / ".wflint.yaml").write_text(
        'select: [missing-timout, all]\nper-file-ignores:\n  "*.yml": [WFL01]\n'
        "severity: {missing-concurency: error}\nignore-findings: ['cron-to-frequent@a.yml:3']\n"
    )
    code, _, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2
    for text in [
        ".wflint.yaml: select[0]: unknown rule `missing-timout` (did you mean `missing-timeout`?)",
        ".wflint.yaml: per-file-ignores.*.yml[0]: unknown rule `WFL01` (did you mean `WFL",
        ".wflint.yaml: severity.missing-concurency: unknown rule `missing-concurency` (did you mean `missing-concurrency`?)",
        ".wflint.yaml: ignore-findings[0]: unknown rule `cron-to-frequent` (did you mean `cron-too-frequent`?)",
    ]:
        assert "wflint: error: " + text in err, err


@pytest.mark.parametrize(
    "name, text, expected",
    [
        ("pyproject.toml", "[tool.wflint\n", "pyproject.toml: invalid TOML: "),
        (".wflint.toml", "select = [\n", ".wflint.toml: invalid TOML: "),
        (".wflint.yaml", "select: [a\nignore: b\n", ".wflint.yaml:2:7: invalid YAML: "),
        (".wflint.yaml", "select: []\nselect: []\n", ".wflint.yaml:2:1: invalid YAML: "),
        (".wflint.yaml", "- select\n", ".wflint.yaml: the file: expected a table of settings, got list"),
        ("pyproject.toml", "[tool]\nwflint = 3\n", "pyproject.toml: tool.wflint: expected a table of settings, got int"),
    ],
)
def test_unreadable_configuration_exits_2(tmp_path, capsys, monkeypatch, name, text, expected):
    make_repo(tmp_path, **{name: text})
    code, data, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and data is None
    assert f"wflint: error: {expected}" in err


def test_shipped_schema_is_a_valid_json_schema():
    from jsonschema import Draft202012Validator

    from wflint.configschema import base_schema, schema_for
    from wflint.rules import all_rules

    Draft202012Validator.check_schema(base_schema())
    full = schema_for(all_rules())
    Draft202012Validator.check_schema(full)
    assert full["properties"]["cron-too-frequent"]["properties"]["min-interval"]["minimum"] == 5


def test_jsonschema_is_imported_only_when_a_configuration_is_loaded(tmp_path):
    make_repo(tmp_path)
    probe = (
        "import sys\nfrom wflint.cli import main\n"
        "code = main(['check', '--no-cache', '--min-savings', '0', '--extend-select', 'missing-concurrency',"
        " '-o', 'report.txt'] + sys.argv[1:])\n"
        "print(code, 'jsonschema' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False"]
    (tmp_path / ".wflint.toml").write_text("ignore = []\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "True"]


def test_readme_configuration_example_is_valid(tmp_path, capsys, monkeypatch):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    make_repo(tmp_path, **{"pyproject.toml": example})
    code, data, err = run(tmp_path, "--verbose", capsys=capsys, monkeypatch=monkeypatch)
    assert "configuration: pyproject.toml" in err and "error" not in err
    assert "missing-path-filters" not in slugs(data) and "cron-too-frequent" in slugs(data)


def test_dotted_keys_in_yaml_mean_the_same_as_in_toml(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.yaml": "cron-too-frequent.min-interval: 60\nmissing-timeout.default: 20\nmissing-timeout: {}\n"})
    _, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "cron-too-frequent" in slugs(data)
    (tmp_path / ".wflint.yaml").write_text("cron-too-frequent.min-interval: 60\ncron-too-frequent:\n  min-interval: 30\n")
    code, _, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and "wflint: error: .wflint.yaml: cron-too-frequent.min-interval: set twice" in err
    (tmp_path / ".wflint.yaml").write_text("cron-too-frequent.min-intervall: 60\n")
    code, _, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and "cron-too-frequent.min-intervall: unknown key (did you mean `min-interval`?)" in err


def test_options_under_a_rule_code_point_to_the_slug(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, **{".wflint.toml": "[WFL003]\ndefault = 20\n"})
    code, _, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2
    assert "wflint: error: .wflint.toml: WFL003: unknown key (did you mean `missing-timeout`? rule options are keyed by slug)" in err


def test_exclude_applies_to_files_named_on_the_command_line(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, name="legacy-build.yml", **{".wflint.toml": "exclude = ['.github/workflows/legacy-*.yml']\n"})
    code, data, _ = run(tmp_path, ".github/workflows/legacy-build.yml", capsys=capsys, monkeypatch=monkeypatch)
    assert (code, data["files_checked"]) == (0, 0)
    code, data, _ = run(tmp_path, "--no-config", ".github/workflows/legacy-build.yml", capsys=capsys, monkeypatch=monkeypatch)
    assert (code, data["files_checked"]) == (1, 1)


def test_load_errors_are_not_silenced_by_configuration(tmp_path, capsys, monkeypatch):
    make_repo(
        tmp_path,
        workflow="on: [push\n",
        **{".wflint.toml": "ignore-findings = ['invalid-yaml@.github/workflows/poll.yml:2:1']\n[per-file-ignores]\n'*.yml' = ['invalid-yaml']\n"},
    )
    code, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and [(f["slug"], f["line"], f["column"]) for f in data["findings"]] == [("invalid-yaml", 2, 1)]


# -- issue 15: selection precedence and errors in one run ---------------------------------


TIMEOUTLESS = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"


def test_command_line_select_wins_over_the_files_ignore(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, TIMEOUTLESS, **{".wflint.toml": "ignore = ['missing-timeout']\n"})
    code, data, _ = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-timeout" not in slugs(data)
    code, data, _ = run(tmp_path, "--select", "WFL003", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1 and slugs(data) == ["missing-timeout"]
    _, data, _ = run(tmp_path, "--extend-select", "missing-timeout", capsys=capsys, monkeypatch=monkeypatch)
    assert "missing-timeout" in slugs(data)
    # and the command line's own ignore wins over its select
    _, data, _ = run(tmp_path, "--select", "WFL003", "--ignore", "WFL003", capsys=capsys, monkeypatch=monkeypatch)
    assert slugs(data) == []


def test_all_is_accepted_in_every_rule_list(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, TIMEOUTLESS)
    from wflint.rules import all_rules

    every = sorted({r.slug for r in all_rules() if not r.system})
    for args in (["--select", "all"], ["--extend-select", "all"]):
        code, data, err = run(tmp_path, *args, capsys=capsys, monkeypatch=monkeypatch)
        assert code in (0, 1) and "error" not in err, (args, err)
    code, data, err = run(tmp_path, "--ignore", "all", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0 and data["findings"] == []
    (tmp_path / ".wflint.toml").write_text("extend-select = ['all']\nignore = ['all']\n[per-file-ignores]\n'x.yml' = ['all']\n")
    code, data, err = run(tmp_path, capsys=capsys, monkeypatch=monkeypatch)
    assert code == 0 and "error" not in err and data["findings"] == []
    assert every  # the registry is not empty


def test_every_problem_is_reported_in_one_run(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, TIMEOUTLESS, **{".wflint.toml": "exclude = 'docs'\nselect = ['missing-timout']\nignore = ['WFL0999']\n"})
    code, data, err = run(tmp_path, "--ignore", "foo,bar", "--select", "nope", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 2 and data is None
    for text in [
        ".wflint.toml: exclude: expected a list, got 'docs'",
        ".wflint.toml: select[0]: unknown rule `missing-timout` (did you mean `missing-timeout`?)",
        ".wflint.toml: ignore[0]: unknown rule `WFL0999`",
        "command line: --ignore: unknown rule `foo`",
        "command line: --ignore: unknown rule `bar`",
        "command line: --select: unknown rule `nope`",
    ]:
        assert "wflint: error: " + text in err, (text, err)


def test_empty_selection_is_an_error(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, TIMEOUTLESS)
    for value in ("", ",", " "):
        code, data, err = run(tmp_path, "--select", value, capsys=capsys, monkeypatch=monkeypatch)
        assert code == 2 and data is None and "--select: empty selection" in err


def test_unsafe_fixes_alone_is_warned_about(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, TIMEOUTLESS)
    code, data, err = run(tmp_path, "--unsafe-fixes", capsys=capsys, monkeypatch=monkeypatch)
    assert code == 1 and "warning: --unsafe-fixes does nothing without --fix or --diff" in err
    code, data, err = run(tmp_path, "--unsafe-fixes", "--diff", capsys=capsys, monkeypatch=monkeypatch)
    assert "--unsafe-fixes does nothing" not in err


def test_exit_non_zero_on_fix_alone_is_warned_about(tmp_path, capsys, monkeypatch):
    make_repo(tmp_path, TIMEOUTLESS)
    code, data, err = run(tmp_path, "--exit-non-zero-on-fix", capsys=capsys, monkeypatch=monkeypatch)
    assert "warning: --exit-non-zero-on-fix does nothing without --fix" in err
    code, data, err = run(tmp_path, "--exit-non-zero-on-fix", "--fix", capsys=capsys, monkeypatch=monkeypatch)
    assert "does nothing" not in err
