""".pre-commit-hooks.yaml: each hook's entry on good and bad files, then the real pre-commit end to end."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from wflint.cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = REPO_ROOT / ".pre-commit-hooks.yaml"

# Every finding here has a safe fix: `wflint-fix` leaves nothing behind. Two test jobs a run, so
# that superseded pull-request runs cost more than the default `min-savings`.
FIXABLE = """\
name: CI
on:
  push:
    branches: [main]
    paths-ignore: ['**.md']
  pull_request:
    paths-ignore: ['**.md']

jobs:
  test:
    runs-on: ${{ matrix.os }}
    timeout-minutes: 15
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest, macos-latest]
        python: ['3.9', '3.10', '3.11', '3.12', '3.13', '3.14']
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""
FIXED = FIXABLE.replace(
    "\n\njobs:",
    "\n\nconcurrency:\n"
    "  group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}\n"
    "  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\n"
    "\njobs:",
)


def hooks():
    return {hook["id"]: hook for hook in YAML(typ="safe").load(HOOKS_FILE.read_text(encoding="utf-8"))}


def test_hook_definitions():
    defined = hooks()
    assert set(defined) == {"wflint", "wflint-fix"}
    for hook in defined.values():
        assert hook["language"] == "python"
        assert hook["types"] == ["yaml"]
        assert hook.get("pass_filenames", True) is True
        assert hook["require_serial"] is True  # one process: one sorted report, one summary
        assert shlex.split(hook["entry"])[0] == "wflint"
        pattern = re.compile(hook["files"])
        for path in (".github/workflows/ci.yml", ".github/workflows/release.yaml"):
            assert pattern.search(path), path
        for path in (".github/workflows/sub/ci.yml", "docs/.github/workflows/ci.yml", ".github/workflows/ci.yml.bak", "ci.yml", ".github/dependabot.yml"):
            assert not pattern.search(path), path
    assert "--fix" not in defined["wflint"]["entry"]
    assert "--fix" in shlex.split(defined["wflint-fix"]["entry"])


def _entry_args(hook_id: str):
    return shlex.split(hooks()[hook_id]["entry"])[1:]


@pytest.fixture
def workflows(tmp_path, monkeypatch):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return folder


def test_check_entry_fails_on_findings_and_passes_on_clean_files(workflows, capsys):
    bad = workflows / "bad.yml"
    bad.write_text(FIXABLE, encoding="utf-8")
    good = workflows / "good.yml"
    good.write_text(FIXED, encoding="utf-8")
    assert main([*_entry_args("wflint"), str(bad)]) == 1
    assert "WFL001" in capsys.readouterr().out
    assert bad.read_text(encoding="utf-8") == FIXABLE
    assert main([*_entry_args("wflint"), str(good)]) == 0


def test_fix_entry_exits_non_zero_when_it_changed_a_file(workflows, capsys):
    bad = workflows / "bad.yml"
    bad.write_text(FIXABLE, encoding="utf-8")
    assert main([*_entry_args("wflint-fix"), str(bad)]) == 1  # changed, though nothing is left
    assert bad.read_text(encoding="utf-8") == FIXED
    assert "Fixed 1 finding" in capsys.readouterr().out
    assert main([*_entry_args("wflint-fix"), str(bad)]) == 0


def test_fix_without_the_flag_exits_zero_when_everything_was_fixed(workflows, capsys):
    bad = workflows / "bad.yml"
    bad.write_text(FIXABLE, encoding="utf-8")
    assert main(["--fix", "--no-cache", str(bad)]) == 0
    assert bad.read_text(encoding="utf-8") == FIXED


def test_exit_non_zero_on_fix_stays_zero_when_nothing_changed(workflows, capsys):
    bad = workflows / "bad.yml"
    bad.write_text(FIXED, encoding="utf-8")
    assert main(["--fix", "--exit-non-zero-on-fix", "--no-cache", str(bad)]) == 0


# -- the real pre-commit -----------------------------------------------------


def _git(*args: str, cwd: Path, env=None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def _clean_env(home: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT", "GITHUB_"))}
    env["PRE_COMMIT_HOME"] = str(home)
    return env


@pytest.fixture(scope="module")
def hook_rev():
    if shutil.which("git") is None:
        pytest.skip("git is not installed: pre-commit needs it")
    try:
        top = _git("rev-parse", "--show-toplevel", cwd=REPO_ROOT)
    except subprocess.CalledProcessError:
        pytest.skip("not a git checkout (e.g. an sdist): pre-commit can only install hooks from a repository")
    if Path(top).resolve() != REPO_ROOT:
        pytest.skip(f"{REPO_ROOT} is inside another repository ({top}), not a checkout of wflint")
    rev = _git("rev-parse", "HEAD", cwd=REPO_ROOT)
    try:
        _git("cat-file", "-e", f"{rev}:.pre-commit-hooks.yaml", cwd=REPO_ROOT)
    except subprocess.CalledProcessError:
        pytest.fail("HEAD has no .pre-commit-hooks.yaml: commit it (pre-commit installs the committed HEAD)")
    return rev


@pytest.fixture(scope="module")
def precommit_home(tmp_path_factory):
    # One home for the module: both hooks share the environment pre-commit builds for this rev.
    return tmp_path_factory.mktemp("pre-commit-home")


def _project(tmp_path: Path, rev: str, hook_id: str) -> Path:
    project = tmp_path / "project"
    (project / ".github" / "workflows").mkdir(parents=True)
    (project / ".github" / "workflows" / "ci.yml").write_text(FIXABLE, encoding="utf-8")
    for i in range(8):  # enough files for pre-commit to split them over processes without require_serial
        (project / ".github" / "workflows" / f"w{i}.yml").write_text(FIXABLE, encoding="utf-8")
    (project / "docs").mkdir()
    (project / "docs" / "example.yml").write_text(FIXABLE, encoding="utf-8")  # not a workflow: never linted
    # the project's configuration reaches the hooks: one 150-minute bar, estimates included
    (project / ".wflint.toml").write_text("[cost]\nmin-savings = 150\n", encoding="utf-8")
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO_ROOT.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: {hook_id}\n",
        encoding="utf-8",
    )
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)
    return project


def _pre_commit(project: Path, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
        cwd=project,
        env=_clean_env(home),
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_real_pre_commit_check_hook_reports_findings(tmp_path, hook_rev, precommit_home):
    project = _project(tmp_path, hook_rev, "wflint")
    done = _pre_commit(project, precommit_home)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.search(r"wflint \(GitHub Actions cost lint\)\.+Failed", output), output
    assert "- exit code: 1" in output
    assert ".github/workflows/ci.yml:2:1: WFL001 [missing-concurrency]" in output
    # require_serial: one report, sorted, with one summary for all nine files
    assert output.count("Found ") == 1 and "(9 files checked)" in output, output
    reported = [line.split(":", 1)[0] for line in output.splitlines() if line.startswith(".github/workflows/")]
    assert reported == sorted(reported) and len(set(reported)) == 9
    assert "docs/example.yml" not in output
    assert "files were modified" not in output
    assert (project / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8") == FIXABLE


@pytest.mark.slow
def test_real_pre_commit_fix_hook_fixes_then_passes(tmp_path, hook_rev, precommit_home):
    project = _project(tmp_path, hook_rev, "wflint-fix")
    workflow = project / ".github" / "workflows" / "ci.yml"
    first = _pre_commit(project, precommit_home)
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert re.search(r"wflint --fix .*\.+Failed", output), output
    assert "files were modified by this hook" in output
    assert workflow.read_text(encoding="utf-8") == FIXED
    assert output.count("Fixed ") == 1, output  # one run of wflint over every file
    assert (project / "docs" / "example.yml").read_text(encoding="utf-8") == FIXABLE
    second = _pre_commit(project, precommit_home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"wflint --fix .*\.+Passed", second.stdout), second.stdout
    assert workflow.read_text(encoding="utf-8") == FIXED
