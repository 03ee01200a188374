"""The command line end to end, in process: discovery, exit codes, fix, diff, formats."""

import json
import os
import stat
import subprocess
import sys

import pytest

from helpers import REPO
from wflint import __version__
from wflint.cli import main

CI = "name: CI\non: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
CLEAN = (
    "on:\n  push:\n    paths-ignore: ['**.md']\n"
    "concurrency:\n  group: x-${{ github.ref }}\n"
    "jobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n"
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git" / "refs" / "remotes" / "origin").mkdir(parents=True)
    (tmp_path / ".git" / "refs" / "remotes" / "origin" / "HEAD").write_text("ref: refs/remotes/origin/main\n")
    wfdir = tmp_path / ".github" / "workflows"
    wfdir.mkdir(parents=True)
    (wfdir / "ci.yml").write_text(CI)
    (wfdir / "clean.yaml").write_text(CLEAN)
    (wfdir / "notes.txt").write_text("not a workflow")
    (tmp_path / "other.yml").write_text("on: push\njobs: {}\n")  # outside .github/workflows
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_no_arguments_lints_repository_workflows(repo, capsys):
    code, out, _ = run(capsys)
    assert code == 1
    assert ".github/workflows/ci.yml:2:1: WFL001 [missing-concurrency]" in out
    assert "other.yml" not in out and "clean.yaml" not in out
    assert "(2 files checked)" in out


def test_no_arguments_from_a_subfolder_finds_the_root(repo, capsys, monkeypatch):
    sub = repo / "src" / "pkg"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    code, out, _ = run(capsys)
    assert code == 1 and "ci.yml" in out


def test_fix_then_clean_run_exits_zero(repo, capsys):
    code, out, _ = run(capsys, "--fix", "--select", "missing-concurrency")
    assert code == 0, out
    assert "Fixed 1 finding" in out
    assert run(capsys, "--select", "WFL001")[0] == 0


def test_unsafe_fixes_then_everything_is_clean(repo, capsys):
    run(capsys, "--fix", "--unsafe-fixes")
    code, out, _ = run(capsys)
    assert code == 0, out
    assert "All checks passed" in out
    code, out, _ = run(capsys, "--fix", "--unsafe-fixes")
    assert code == 0 and "Fixed" not in out  # a second --fix changes nothing


def test_fix_keeps_file_mode(repo, capsys):
    path = repo / ".github" / "workflows" / "ci.yml"
    os.chmod(path, 0o640)
    run(capsys, "--fix")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".wflint-")]


def test_diff_writes_nothing_and_applies_to_the_fix(repo, capsys):
    path = repo / ".github" / "workflows" / "ci.yml"
    before = path.read_bytes()
    code, out, _ = run(capsys, "--diff", "--unsafe-fixes")
    assert code == 1
    assert path.read_bytes() == before
    assert out.startswith("--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n")
    patch = out[: out.rindex("\n", 0, len(out) - 1) + 1]  # drop the summary line
    subprocess.run(["git", "apply", "--unsafe-paths", "-"], input=patch.encode(), check=True, cwd=repo)
    applied = path.read_bytes()
    path.write_bytes(before)
    run(capsys, "--fix", "--unsafe-fixes")
    assert path.read_bytes() == applied


def test_directory_argument_uses_its_workflows_folder(repo, capsys, tmp_path_factory):
    code, out, _ = run(capsys, str(repo))
    assert "ci.yml" in out and "other.yml" not in out


def test_directory_without_workflows_folder_is_searched_recursively(tmp_path, capsys, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.yaml").write_text("on: push\njobs: {}\n")
    (tmp_path / "a" / "y.yml").write_text("on: schedule\njobs: {}\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "a")
    assert "a/b/x.yaml:1:1:" in out and "(2 files checked)" in out


def test_file_arguments_and_missing_path(repo, capsys):
    code, out, err = run(capsys, "other.yml", "missing.yml")
    assert code == 2
    assert "missing.yml: no such file or directory" in err
    assert "other.yml:1:1: WFL001" in out  # the other file was still checked


def test_stdin(repo, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"on: push\njobs: {}\n")))
    code, out, _ = run(capsys, "-")
    assert code == 1 and out.startswith("-:1:1: WFL001")


def test_stdin_fix_prints_the_fixed_file(repo, capsysbinary, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"on: push\njobs: {}\n")))
    code = main(["--fix", "--select", "missing-concurrency", "-"])
    out, err = capsysbinary.readouterr()
    assert code == 0
    assert out.startswith(b"on: push\nconcurrency:\n")
    assert b"Fixed 1 finding" in err


def test_select_and_ignore_by_code_or_slug(repo, capsys):
    _, out, _ = run(capsys, "--select", "WFL003")
    assert "WFL003" in out and "WFL001" not in out
    _, out, _ = run(capsys, "--ignore", "missing-concurrency,WFL004")
    assert "WFL001" not in out and "WFL004" not in out and "WFL003" in out


def test_unknown_rule_is_a_usage_error(repo, capsys):
    code, _, err = run(capsys, "--select", "missing-concurency")
    assert code == 2 and "did you mean `missing-concurrency`" in err


def test_json_format(repo, capsys):
    code, out, _ = run(capsys, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["schema"] == 1 and data["tool"] == {"name": "wflint", "version": __version__}
    first = data["findings"][0]
    assert set(first) == {"code", "slug", "severity", "message", "path", "line", "column", "end_line", "end_column", "fix", "properties"}
    assert first["fix"]["safety"] in ("safe", "unsafe")


def test_no_colour_when_not_a_terminal(repo, capsys):
    _, out, _ = run(capsys)
    assert "\x1b[" not in out
    _, out, _ = run(capsys, "--color")
    assert "\x1b[" in out


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"wflint {__version__}"


def test_rules_and_rule(capsys):
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "WFL003  missing-timeout" in out
    code, out, _ = run(capsys, "rule", "WFL003")
    assert code == 0 and "missing-timeout" in out
    code, _, err = run(capsys, "rule", "nope")
    assert code == 2 and "unknown rule" in err


def test_invalid_yaml_is_reported_and_exits_2_while_others_are_checked(repo, capsys):
    (repo / ".github" / "workflows" / "bad.yml").write_text("on: [push\njobs: {}\n")
    code, out, _ = run(capsys)
    assert code == 2
    assert ".github/workflows/bad.yml:2:5: WFL900 [invalid-yaml]" in out
    assert ".github/workflows/ci.yml:2:1: WFL001" in out


def test_python_dash_m(repo):
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    proc = subprocess.run([sys.executable, "-m", "wflint", "--select", "WFL001", "--min-savings", "0"], cwd=repo, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "WFL001" in proc.stdout


def test_no_workflows_found_is_said(tmp_path, capsys, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys)
    # one message, no "All checks passed" claim, exit 3 (neither success nor findings)
    assert code == 3 and out == ""
    assert err.count("\n") == 1 and "no workflow files found in" in err and ".github" in err
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, "empty")
    assert (code, out) == (3, "") and "no workflow files found in empty; nothing was checked" in err
    code, out, err = run(capsys, "--format", "json", "empty")
    assert code == 3 and json.loads(out)["files_checked"] == 0


def _wflint_repo(tmp_path):
    (tmp_path / ".git").mkdir()
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "ci.yml").write_text("on: push\nconcurrency: ci\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n    steps: [{run: x}]\n")
    (tmp_path / ".github" / "labels.yml").write_text("- name: bug\n")
    (tmp_path / ".github" / "dependabot.yml").write_text("version: 2\nupdates: []\n")
    (tmp_path / ".github" / "ISSUE_TEMPLATE").mkdir()
    (tmp_path / ".github" / "ISSUE_TEMPLATE" / "bug.yml").write_text("name: Bug\nbody: []\n")
    return folder


@pytest.mark.parametrize("arg", [".github", ".", "", ".github/workflows"])
def test_a_folder_means_its_workflows(tmp_path, capsys, monkeypatch, arg):
    _wflint_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--select", "WFL004", "--format", "json", *([arg] if arg else []))
    data = json.loads(out)
    assert (code, data["files_checked"], data["not_workflows"], err) == (1, 1, [], "")


def test_a_folder_without_workflows_skips_other_yaml_under_github(tmp_path, capsys, monkeypatch):
    _wflint_repo(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "w.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / ".github" / "workflows" / "ci.yml").rename(tmp_path / "sub" / "ci.yml")
    (tmp_path / ".github" / "workflows").rmdir()
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--format", "json", ".")
    data = json.loads(out)
    assert data["files_checked"] == 2 and data["not_workflows"] == []  # sub/*.yml, nothing under .github
    assert not [f for f in data["findings"] if f["slug"] == "invalid-workflow"]


def test_a_named_file_that_is_not_a_workflow_gets_one_message_and_exit_3(tmp_path, capsys, monkeypatch):
    _wflint_repo(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, ".github/dependabot.yml")
    assert (code, out) == (3, "")
    assert err == "wflint: warning: .github/dependabot.yml:1:1: not a workflow: no `on:` or `jobs:` key (not checked)\n"
    # the other files are still checked; an error (exit 2) wins over 3, and 3 over findings (1)
    code, out, err = run(capsys, "--select", "WFL004", ".github/dependabot.yml", ".github/workflows/ci.yml")
    assert code == 3 and "WFL004" in out and "(1 file checked)" in out and "not a workflow" in err
    code, out, err = run(capsys, ".github/dependabot.yml", "missing.yml")
    assert code == 2 and "no such file" in err and "not a workflow" in err


def test_summary_hints_name_a_command_that_would_do_something(tmp_path, capsys, monkeypatch):
    folder = _wflint_repo(tmp_path)
    (folder / "ci.yml").write_text("on: push\nconcurrency: ci\njobs:\n  a:\n    runs-on: x\n    steps: [{run: x}]\n")
    monkeypatch.chdir(tmp_path)
    # only unsafe fixes: "fixable with", not "more with" (more than what?)
    code, out, _ = run(capsys, "--select", "missing-timeout")
    assert "1 fixable with `--fix --unsafe-fixes`." in out and "more with" not in out
    # a file that cannot be written: the fix just tried is not suggested again
    import errno

    import wflint.runner

    def refuse(*_):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(wflint.runner, "write_atomic", refuse)
    code, out, err = run(capsys, "--select", "missing-timeout", "--fix", "--unsafe-fixes")
    assert code == 2 and "cannot write: permission denied" in err
    assert "--unsafe-fixes`" not in out and "1 with a fix that was not applied" in out
    monkeypatch.undo()  # (this undoes conftest's threshold of 0 too)
    monkeypatch.chdir(tmp_path)
    # after --fix alone, the unsafe fix is still worth naming
    code, out, _ = run(capsys, "--select", "missing-timeout", "--fix", "--min-savings", "0")
    assert "1 fixable with `--fix --unsafe-fixes`." in out


def test_statistics_counts_per_rule(tmp_path, capsys, monkeypatch):
    folder = _wflint_repo(tmp_path)
    (folder / "ci.yml").write_text("on:\n  schedule:\n    - cron: '*/5 * * * *'\n  push:\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n    steps: [{run: x}]\n")
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--no-cache", "--statistics", "--select", "WFL001,WFL002")
    assert code == 1 and err == ""
    # the README's example is this run's output
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "$ wflint --statistics\n" + out in readme
    code, out, err = run(capsys, "--statistics", "--format", "json")
    assert code == 2 and out == "" and err.startswith("wflint: error: --statistics counts findings in the text format")


def test_usage_errors_have_wflints_own_style(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args, words in [(["--select"], "requires an argument"), (["--statisticz"], "No such option"), (["cost", "--nope"], "No such option")]:
        code, out, err = run(capsys, *args)
        assert code == 2 and err.startswith("wflint: error: ") and words in err and "--help`." in err, err
        assert "Usage:" not in err


def test_show_fixes_lists_each_fixed_finding(tmp_path, capsys, monkeypatch):
    folder = _wflint_repo(tmp_path)
    text = "on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: x}]\n"
    (folder / "ci.yml").write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--diff", "--show-fixes", "--select", "WFL001")
    assert "would fix .github/workflows/ci.yml:1:1: WFL001 [missing-concurrency] (Add `concurrency:" in out
    assert (folder / "ci.yml").read_text() == text
    code, out, err = run(capsys, "--fix", "--show-fixes", "--select", "WFL001")
    assert code == 0 and "fixed .github/workflows/ci.yml:1:1: WFL001 [missing-concurrency]" in out
    assert out.rstrip().endswith("Fixed 1 finding. All checks passed (1 file checked).")
    code, out, err = run(capsys, "--show-fixes", "--select", "WFL001")
    assert "warning: --show-fixes lists what --fix or --diff fixes" in err
