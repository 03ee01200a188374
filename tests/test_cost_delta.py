"""``wflint cost --base REF`` on git repositories built here; every figure checked by hand.

Without history the cost model's estimate applies, with the activity and job minutes that the
test repository's `.wflint.toml` sets (so the figures are easy to check by hand, and the test
shows `--base` reads the configuration): 30 runs a month for push and pull_request, 1 for a
tag push, schedules counted from their crons (30 days), 1 billed minute per job run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from wflint.cli import main
from wflint.cost.why import reasons

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1"}

CI = """\
name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ['3.11', '3.12']
    steps:
      - run: make test
"""
POLL = """\
on:
  schedule:
    - cron: '*/30 * * * *'
jobs:
  poll:
    runs-on: ubuntu-latest
    steps:
      - run: ./poll
"""
DOCS = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make docs
"""


CONFIG = """\
[cost]
runs = { push = 30, pull_request = 30, tag = 1 }
minutes = { bot = 1, lint = 1, build = 1, release = 1, heavy = 1 }
"""


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def write(root: Path, name: str, text: str) -> None:
    path = root / ".github" / "workflows" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())


@pytest.fixture
def repo(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root, "ci.yml", CI)
    write(root, "poll.yml", POLL)
    write(root, "docs.yml", DOCS)
    (root / ".wflint.toml").write_text(CONFIG)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    monkeypatch.chdir(root)
    return root


def cost_json(capsys, *args: str):
    code = main(["cost", "--base", "HEAD", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def change(data, name):
    found = [c for c in data["changes"] if c["path"].endswith("/" + name)]
    assert len(found) == 1, [c["path"] for c in data["changes"]]
    return found[0]


def test_nothing_changed(repo, capsys):
    code, data = cost_json(capsys)
    assert code == 0
    assert data["changes"] == [] and data["unchanged"] == 3
    # 60 runs of 2 jobs (ci) + 1440 of 1 (poll) + 30 of 1 (docs), 1 minute each, linux-2 at $0.006.
    assert data["before"] == data["after"]
    assert data["after"]["runs_per_month"] == 60 + 1440 + 30
    assert data["after"]["minutes_per_month"] == 120 + 1440 + 30
    assert data["after"]["usd_per_month"] == pytest.approx(1590 * 0.006)


def test_cron_halved(repo, capsys):
    write(repo, "poll.yml", POLL.replace("*/30 * * * *", "0 * * * *"))
    code, data = cost_json(capsys)
    poll = change(data, "poll.yml")
    assert poll["status"] == "modified"
    # every 30 minutes: 48 a day x 30 days; hourly: 24 x 30, half as many.
    assert poll["before"]["runs_per_month"] == 1440 and poll["after"]["runs_per_month"] == 720
    assert poll["difference"]["usd_per_month"] == pytest.approx(-720 * 0.006)
    assert poll["reasons"] == ["cron `*/30 * * * *` -> `0 * * * *`"]
    assert data["unchanged"] == 2 and len(data["changes"]) == 1
    assert code == 0


def test_runner_to_macos_multiplies_the_price(repo, capsys):
    write(repo, "ci.yml", CI.replace("ubuntu-latest", "macos-latest"))
    _, data = cost_json(capsys)
    ci = change(data, "ci.yml")
    assert ci["before"]["minutes_per_month"] == ci["after"]["minutes_per_month"] == 120
    assert ci["after"]["usd_per_month"] / ci["before"]["usd_per_month"] == pytest.approx(0.062 / 0.006)
    assert ci["after"]["usd_per_month"] == pytest.approx(120 * 0.062)
    assert "runner of `test`: linux-2 -> macos-3" in ci["reasons"]
    assert ci["after"]["jobs"][0]["runners"] == {"macos-3": 2}


def test_matrix_grown(repo, capsys):
    write(repo, "ci.yml", CI.replace("['3.11', '3.12']", "['3.10', '3.11', '3.12', '3.13']"))
    _, data = cost_json(capsys)
    ci = change(data, "ci.yml")
    assert ci["before"]["minutes_per_month"] == 120 and ci["after"]["minutes_per_month"] == 240
    assert ci["reasons"] == ["matrix axis `python` of `test` grown 2 -> 4"]
    assert data["difference"]["usd_per_month"] == pytest.approx(120 * 0.006)


def test_added_removed_and_renamed(repo, capsys):
    os.remove(repo / ".github" / "workflows" / "docs.yml")
    write(repo, "lint.yml", "on:\n  pull_request:\njobs:\n  lint:\n    runs-on: windows-latest\n    steps:\n      - run: lint\n")
    git(repo, "mv", ".github/workflows/poll.yml", ".github/workflows/poller.yml")
    _, data = cost_json(capsys)
    statuses = {c["path"].rsplit("/", 1)[1]: c["status"] for c in data["changes"]}
    assert statuses == {"docs.yml": "removed", "lint.yml": "added", "poller.yml": "renamed"}
    renamed = change(data, "poller.yml")
    assert renamed["old_path"] == ".github/workflows/poll.yml"
    assert renamed["difference"] == {"runs_per_month": 0, "minutes_per_month": 0, "usd_per_month": 0}
    assert change(data, "docs.yml")["after"] is None
    lint = change(data, "lint.yml")
    assert lint["before"] is None and lint["after"]["usd_per_month"] == pytest.approx(30 * 0.010)
    assert data["unchanged"] == 1
    # Totals cover every workflow: docs (30 x 0.006) goes, lint (30 x 0.010) comes.
    assert data["difference"]["usd_per_month"] == pytest.approx(30 * 0.010 - 30 * 0.006)


def test_rename_with_edits_found_by_git(repo, capsys):
    git(repo, "mv", ".github/workflows/ci.yml", ".github/workflows/tests.yml")
    write(repo, "tests.yml", CI.replace("make test", "make check"))
    _, data = cost_json(capsys)
    assert [(c["status"], c["old_path"]) for c in data["changes"]] == [("renamed", ".github/workflows/ci.yml")]
    assert change(data, "tests.yml")["reasons"] == ["renamed"]


def test_reformatting_is_unchanged(repo, capsys):
    write(repo, "docs.yml", "# build the docs\n" + DOCS.replace("on: push", "on: [push]"))
    _, data = cost_json(capsys)
    assert data["changes"] == [] and data["unchanged"] == 3


def test_fail_over(repo, capsys):
    write(repo, "ci.yml", CI.replace("ubuntu-latest", "macos-latest"))  # +120 x (0.062 - 0.006) = +6.72
    assert main(["cost", "--base", "HEAD", "--fail-over", "6.7"]) == 1
    assert "more than --fail-over 6.7" in capsys.readouterr().err
    assert main(["cost", "--base", "HEAD", "--fail-over", "6.73"]) == 0


def test_text_and_markdown(repo, capsys):
    write(repo, "poll.yml", POLL.replace("*/30 * * * *", "0 * * * *"))
    assert main(["cost", "--base", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Monthly cost against HEAD (")
    assert "poll.yml" in out and "1,440 -> 720 (-720)" in out and "- cron `*/30 * * * *` -> `0 * * * *`" in out
    assert "-$4.32 a month (less)" in out
    assert main(["cost", "--base", "HEAD", "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("### wflint: monthly cost of this change\n")
    assert "| `poll.yml` | modified | 1,440 → 720 (-720) | 1,440 → 720 (-720) | 8.64 → 4.32 (-4.32) | estimate |" in md
    assert "| **total** | 1 changed, 2 unchanged |" in md


def test_history_basis(repo, capsys, tmp_path):
    # docs.yml ("push" only, no name): 60 runs over 30 days, each 4.5 minutes -> 5 billed minutes.
    runs = []
    for i in range(60):
        day, hour = 1 + i // 2, 8 + (i % 2)
        created = f"2026-01-{day:02d}T{hour:02d}:00:00Z"
        runs.append({"databaseId": i, "workflowName": "docs.yml", "event": "push", "status": "completed",
                     "conclusion": "success", "createdAt": created, "startedAt": created,
                     "updatedAt": created.replace(":00:00Z", ":04:30Z"), "headBranch": "main"})
    history = tmp_path / "runs.json"
    history.write_text(json.dumps(runs))
    write(repo, "docs.yml", DOCS.replace("    steps:", "    timeout-minutes: 15\n    steps:"))
    _, data = cost_json(capsys, "--history", str(history))
    docs = change(data, "docs.yml")
    assert docs["reasons"] == ["timeout of `build` set to 15 min"]
    after = docs["after"]
    assert after["basis"] == "history"
    # first run 2026-01-01 08:00, last 2026-01-30 09:00: 29.04 days -> 60 x 30 / 29.04 runs a month.
    days = 29 + 1 / 24
    assert after["runs_per_month"] == pytest.approx(60 * 30 / days)
    assert after["minutes_per_month"] == pytest.approx(5 * 60 * 30 / days)
    assert change(data, "docs.yml")["difference"]["usd_per_month"] == 0
    assert data["basis"] == "estimate"  # ci.yml and poll.yml have no history


def test_bad_ref_and_not_a_repository(repo, capsys, tmp_path, monkeypatch):
    assert main(["cost", "--base", "no-such-branch"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wflint: error: --base no-such-branch: no such commit")
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.chdir(plain)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert main(["cost", "--base", "HEAD"]) == 2
    assert "is not in a git repository" in capsys.readouterr().err


def test_options_that_need_base(repo, capsys):
    assert main(["cost", "--fail-over", "1"]) == 2
    assert "goes with --base" in capsys.readouterr().err


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("on: push\njobs: {}\n", "on: [push, pull_request]\njobs: {}\n", ["trigger `pull_request` added"]),
        ("on: [push, pull_request]\njobs: {}\n", "on: push\njobs: {}\n", ["trigger `pull_request` removed"]),
        ("on: push\njobs: {}\n", "on:\n  push:\n    paths-ignore: ['**.md']\njobs: {}\n", ["path filter (paths-ignore) added to `push`"]),
        ("on: push\njobs:\n  a:\n    runs-on: x\n", "on: push\njobs:\n  a:\n    runs-on: x\n  b:\n    runs-on: x\n", ["job `b` added"]),
        ("on: push\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 30\n", "on: push\njobs:\n  a:\n    runs-on: x\n", ["timeout of `a` removed (was 30 min)"]),
        ("on: push\njobs:\n  a:\n    runs-on: x\n", "on: push\njobs:\n  a:\n    runs-on: x\n    strategy:\n      matrix:\n        os: [a, b]\n",
         ["matrix axis `os` added to `a` (2 values)"]),
        ("on: push\njobs: {}\n", "on: push\nconcurrency: x\njobs: {}\n", ["concurrency group added to the workflow"]),
        ("on: push\njobs: {}\n", "on: [push\n", ["the new version does not load"]),
    ],
)
def test_reasons(before, after, expected):
    assert reasons(before, after) == expected


def test_tag_only_push_is_a_rare_event(repo, capsys):
    write(repo, "docs.yml", DOCS.replace("on: push", "on:\n  push:\n    tags: ['v*']"))
    _, data = cost_json(capsys)
    docs = change(data, "docs.yml")
    assert docs["before"]["runs_per_month"] == 30 and docs["after"]["runs_per_month"] == 1
    assert docs["reasons"] == ["tag filter (tags) added to `push`"]
