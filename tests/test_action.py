"""The GitHub Action: its script run with what a runner provides, and action.yml against the
action metadata schema."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO
from wflint import action

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

POLL = """\
name: poll
on:
  schedule:
    - cron: '*/5 * * * *'
concurrency:
  group: poll
jobs:
  poll:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: ./poll
"""
CI = """\
name: CI
on:
  push:
    branches: [main]
    paths-ignore: ['**.md']
concurrency:
  group: ci-${{ github.ref }}
  cancel-in-progress: true
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - run: make test
"""


def git(root: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=root, env={**os.environ, **GIT_ENV}, check=True, capture_output=True, text=True)
    return proc.stdout.strip()


def write(root: Path, name: str, text: str) -> None:
    path = root / ".github" / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def pr(tmp_path):
    """A repository with a base commit and a pull request that makes a cron six times as frequent
    and adds a macOS job; returns (workspace, base sha)."""
    root = tmp_path / "origin"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root, "ci.yml", CI)
    write(root, "poll.yml", POLL.replace("*/5 * * * *", "*/30 * * * *"))
    # The cost model's estimate with figures easy to check by hand: 30 pushes a month, 1 minute a job.
    # missing-timeout (the macOS job below) is on only with run history: the configuration turns it on
    (root / ".wflint.toml").write_text('extend-select = ["missing-timeout"]\n'
                                       "[cost]\nmin-savings = 0\nruns = { push = 30 }\nminutes = { bot = 1, lint = 1, build = 1, release = 1, heavy = 1 }\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    base = git(root, "rev-parse", "HEAD")
    write(root, "poll.yml", POLL)
    write(root, "ci.yml", CI + "  mac:\n    runs-on: macos-latest\n    steps:\n      - run: make test\n")  # no timeout
    git(root, "commit", "-qam", "pull request")
    return root, base


def runner_env(tmp_path: Path, workspace: Path, event_name: str, event: dict, **inputs: str) -> dict:
    event_path = tmp_path / "event.json"
    event_path.write_text(json.dumps(event))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "WFLINT_", "RUNNER_"))}
    env.update(GIT_ENV)
    env.update({
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "RUNNER_TEMP": str(tmp_path),
        "PYTHONPATH": str(REPO / "src"),
    })
    for name, value in inputs.items():
        env["WFLINT_" + name.upper()] = value
    return env


def run_action(env: dict, cwd: Path):
    proc = subprocess.run([sys.executable, "-m", "wflint.action"], cwd=cwd, env=env, capture_output=True, text=True)
    summary = Path(env["GITHUB_STEP_SUMMARY"])
    outputs = dict(line.split("=", 1) for line in Path(env["GITHUB_OUTPUT"]).read_text().splitlines())
    return proc, summary.read_text() if summary.exists() else "", outputs


@needs_git
def test_pull_request(pr, tmp_path):
    workspace, base = pr
    env = runner_env(tmp_path, workspace, "pull_request", {"pull_request": {"base": {"sha": base}}}, sarif="out/wflint.sarif")
    proc, summary, outputs = run_action(env, tmp_path)
    assert proc.returncode == 1, proc.stderr  # findings, and fail-on-findings defaults to true
    # Annotations: one per finding, on the workflow's lines.
    annotations = [line for line in proc.stdout.splitlines() if line.startswith("::")]
    assert annotations and all("file=.github/workflows/" in a for a in annotations)
    assert any("title=WFL" in a and "cron-too-frequent" in a for a in annotations)
    assert outputs["findings"] == str(len(annotations))
    assert outputs["errors"] == "0"
    # SARIF for upload-sarif.
    assert outputs["sarif"] == "out/wflint.sarif"
    sarif = json.loads((workspace / "out" / "wflint.sarif").read_text())
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == len(annotations)
    # The summary: findings ranked by savings (the cron finding saves the most).
    assert summary.startswith("## wflint\n\n**" + outputs["findings"] + " findings** in 2 workflow files.")
    rows = [line for line in summary.splitlines() if line.startswith("| ") and "`.github/workflows/" in line]
    assert len(rows) == int(outputs["findings"]) >= 2
    assert "cron-too-frequent" in rows[0] and rows[0].split(" | ")[0] != "| -"
    assert any("missing-timeout" in row for row in rows[1:])  # its expected hang minutes, ranked after the cron
    # The cost of the pull request: every 30 minutes -> every 5 (1,440 -> 8,640 runs), one macOS job added
    # (30 pushes a month, of which `paths-ignore` lets 85% run, x 1 minute x $0.062).
    assert "### wflint: monthly cost of this change" in summary
    assert "cron `*/30 * * * *` → `*/5 * * * *`" in summary
    assert "job `mac` added" in summary
    expected = (8640 - 1440) * 0.006 + 30 * 0.85 * 0.062
    assert float(outputs["monthly-cost-change"]) == pytest.approx(expected, abs=0.005)
    assert f"+${expected:,.2f} a month (more)" in summary


@needs_git
def test_push_has_no_cost_section_and_can_pass(pr, tmp_path):
    workspace, _ = pr
    env = runner_env(tmp_path, workspace, "push", {"ref": "refs/heads/main"}, **{"fail_on_findings": "false"})
    proc, summary, outputs = run_action(env, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "monthly cost" not in summary
    assert outputs["monthly-cost-change"] == "" and outputs["sarif"] == ""
    assert int(outputs["findings"]) > 0


@needs_git
def test_base_commit_fetched_when_missing(pr, tmp_path):
    origin, base = pr
    git(origin, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", origin.as_uri(), str(clone))
    with pytest.raises(subprocess.CalledProcessError):
        git(clone, "cat-file", "-e", f"{base}^{{commit}}")
    env = runner_env(tmp_path, clone, "pull_request", {"pull_request": {"base": {"sha": base}}}, args="--select cron-too-frequent")
    proc, summary, outputs = run_action(env, tmp_path)
    git(clone, "cat-file", "-e", f"{base}^{{commit}}")  # now present
    assert "cron `*/30 * * * *` → `*/5 * * * *`" in summary, proc.stderr
    assert outputs["findings"] == "1"


@needs_git
def test_unknown_base_is_reported_not_fatal(pr, tmp_path):
    workspace, _ = pr
    env = runner_env(tmp_path, workspace, "pull_request", {"pull_request": {"base": {"sha": "0" * 40}}}, fail_on_findings="false")
    proc, summary, outputs = run_action(env, tmp_path)
    assert proc.returncode == 0
    assert "Not computed:" in summary and outputs["monthly-cost-change"] == ""


def test_bad_input(tmp_path, monkeypatch):
    for key in list(os.environ):
        if key.startswith(("GITHUB_", "WFLINT_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    monkeypatch.setenv("WFLINT_FAIL_ON_FINDINGS", "maybe")
    assert action.main() == 2


def test_broken_workflow_fails_the_step(tmp_path):
    write(tmp_path, "bad.yml", "on: [push\n")
    (tmp_path / ".git").mkdir()
    env = runner_env(tmp_path, tmp_path, "push", {}, fail_on_findings="false")
    proc, summary, outputs = run_action(env, tmp_path)
    assert proc.returncode == 2
    assert outputs["findings"] == "1"  # the load error is reported as a finding too


def test_ranking_uses_the_savings_seam():
    cheap = {"slug": "a", "path": "x", "line": 1, "properties": {"monthly_minutes_saved": 30}}
    dear = {"slug": "b", "path": "x", "line": 2, "properties": {"stake": {"usd_per_month": 4.0, "minutes_per_month": 10}}}
    none = {"slug": "c", "path": "a", "line": 1, "properties": {}}
    assert [f["slug"] for f in action.rank([none, cheap, dear], sorted_by_wflint=False)] == ["b", "a", "c"]
    assert [f["slug"] for f in action.rank([none, cheap, dear], sorted_by_wflint=True)] == ["c", "a", "b"]


def test_base_commit_from_event(tmp_path):
    event = tmp_path / "e.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": "abc"}}, "merge_group": {"base_sha": "def"}}))
    assert action.base_commit("pull_request", str(event)) == "abc"
    assert action.base_commit("pull_request_target", str(event)) == "abc"
    assert action.base_commit("merge_group", str(event)) == "def"
    assert action.base_commit("push", str(event)) is None
    assert action.base_commit("pull_request", str(tmp_path / "missing.json")) is None


def _action_yml() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((REPO / "action.yml").read_text())


def test_action_yml_matches_the_schema():
    pytest.importorskip("check_jsonschema", reason="check-jsonschema (test extras) ships the github-action schema")
    import importlib.resources

    import jsonschema

    schema_file = importlib.resources.files("check_jsonschema.builtin_schemas.vendor") / "github-actions.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    data = _action_yml()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, [e.message for e in errors]
    # The schema can fail: an action without `runs` is rejected.
    assert list(validator.iter_errors({k: v for k, v in data.items() if k != "runs"}))


def test_action_yml_wires_every_input_and_output():
    data = _action_yml()
    step = next(s for s in data["runs"]["steps"] if s.get("id") == "wflint")
    env = step["env"]
    for name in data["inputs"]:
        if name == "python-version":
            continue
        var = "WFLINT_" + name.upper().replace("-", "_")
        assert env.get(var) == "${{ inputs.%s }}" % name
    script = (REPO / "src" / "wflint" / "action.py").read_text()
    read = set(re.findall(r'_env\("(WFLINT_[A-Z_]+)"', script))
    assert read <= set(env) | {"WFLINT_VERSION"}, read - set(env)
    assert "WFLINT_VERSION" in env and '"$GITHUB_ACTION_PATH"' in step["run"] and "-m wflint.action" in step["run"]
    written = set(re.findall(r'"([a-z-]+)": ', script[script.index("_outputs(output_file"):]))
    assert written == set(data["outputs"])
    for name, output in data["outputs"].items():
        assert output["value"] == "${{ steps.wflint.outputs.%s }}" % name
