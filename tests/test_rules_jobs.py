"""schedule-top-of-hour (WFL012), timeout-too-long (WFL013), matrix-fail-fast-disabled (WFL015)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from catalog_helpers import fix, lint
from wflint.rules.matrix_fail_fast_disabled import matrix_size
from wflint.rules.schedule_top_of_hour import stable_minute
from wflint.yamlnode import compose

TEST = "jobs:\n  t:\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
SRC = str(Path(__file__).resolve().parents[1] / "src")


def sched(*crons: str, extra: str = "") -> str:
    entries = "".join(f"    - cron: {c}\n{extra}" for c in crons)
    return "on:\n  schedule:\n" + entries + TEST


# -- schedule-top-of-hour ------------------------------------------------------------------


def test_top_of_hour_positive_and_negative():
    findings = lint("schedule-top-of-hour", sched("'0 3 * * *'", "'00 */6 * * 1-5'", "'15 3 * * *'", "'*/30 * * * *'"))
    assert [f.line for f in findings] == [3, 4]
    assert "minute 0" in findings[0].message


def test_top_of_hour_skips_invalid_and_half_hour_zones():
    assert lint("schedule-top-of-hour", sched("'0 3 * *'")) == []
    assert lint("schedule-top-of-hour", sched("'0 3 * * *'", extra="      timezone: Asia/Kolkata\n")) == []
    assert len(lint("schedule-top-of-hour", sched("'0 3 * * *'", extra="      timezone: Europe/Berlin\n"))) == 1


def test_top_of_hour_fix_changes_only_the_minute():
    minute = stable_minute("", ".github/workflows/ci.yml")
    text = sched('"0 3 * * *"  # nightly', "'0 15 * * 1'")
    assert fix("schedule-top-of-hour", text) == sched(f'"{minute} 3 * * *"  # nightly', f"'{minute} 15 * * 1'")
    (block,) = lint("schedule-top-of-hour", sched("|\n        0 3 * * *"))
    assert block.fix is None  # a block scalar is not edited


def test_top_of_hour_minute_is_stable_and_spread():
    minutes = {stable_minute("r", f".github/workflows/w{i}.yml") for i in range(200)}
    assert minutes <= set(range(1, 60)) and len(minutes) > 40
    assert any(stable_minute("r", p) != stable_minute("other", p) for p in ("a.yml", "b.yml", "c.yml"))
    # the same in a fresh interpreter (no per-process hash randomisation)
    code = "from wflint.rules.schedule_top_of_hour import stable_minute as s; print(s('r', 'x.yml'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": SRC, "PYTHONHASHSEED": "123"})
    assert out.stdout.strip() == str(stable_minute("r", "x.yml"))


def test_top_of_hour_minute_matches_the_cost_reports_suggestion():
    crowding = pytest.importorskip("wflint.cost.crowding")
    for repo, path in [("widgets", ".github/workflows/nightly.yml"), ("", "x.yml"), ("a", "b/c.yml")]:
        assert stable_minute(repo, path) == crowding.stable_minute(repo, path)


def test_top_of_hour_uses_origin_and_relative_path_not_the_folder(tmp_path):
    minutes = []
    for folder in ("widgets", "my-fork-checkout"):
        root = tmp_path / folder
        (root / ".git").mkdir(parents=True)
        (root / ".git" / "config").write_text('[remote "origin"]\n\turl = git@github.com:acme/widgets.git\n')
        wf = root / ".github" / "workflows" / "nightly.yml"
        fixed = fix("schedule-top-of-hour", sched("'0 3 * * *'"), path=str(wf), repo_root=str(root))
        minutes.append(fixed.split("- cron: '", 1)[1].split(" ", 1)[0])
    assert minutes[0] == minutes[1] == str(stable_minute("acme/widgets", ".github/workflows/nightly.yml"))


# -- timeout-too-long --------------------------------------------------------------------------


def job_with(timeout: str, runs_on: str = "ubuntu-latest") -> str:
    return f"on: push\njobs:\n  t:\n    runs-on: {runs_on}\n    timeout-minutes: {timeout}\n    steps: [{{run: x}}]\n"


def test_timeout_too_long():
    (finding,) = lint("timeout-too-long", job_with("180"))
    assert "180 minutes" in finding.message and "6 hours" not in finding.message and finding.line == 5
    (finding,) = lint("timeout-too-long", job_with("14400"))
    assert "GitHub-hosted runners stop every job after 360 minutes" in finding.message
    (finding,) = lint("timeout-too-long", job_with("600", "[self-hosted, linux]"))
    assert "GitHub-hosted" not in finding.message
    assert lint("timeout-too-long", job_with("120")) == []
    assert lint("timeout-too-long", job_with("${{ inputs.timeout }}")) == []
    assert lint("timeout-too-long", job_with("45"), options={"threshold": 30})[0].properties["timeout_minutes"] == 45


# -- matrix-fail-fast-disabled ----------------------------------------------------------------------


def size(yaml: str):
    return matrix_size(compose(yaml))


def test_matrix_size_follows_githubs_rules():
    assert size("{os: [a, b, c], py: [1, 2]}") == 6
    assert size("{os: [a, b, c], py: [1, 2], exclude: [{os: a, py: 1}, {os: b}]}") == 3
    assert size("{os: [a, b], include: [{os: a, extra: 1}, {os: z}]}") == 3  # one extends, one adds
    assert size("{include: [{a: 1}, {a: 2}, {a: 3}]}") == 3
    assert size("{os: '${{ fromJSON(inputs.os) }}'}") is None
    assert size("${{ fromJSON(needs.x.outputs.m) }}") is None


def test_fail_fast_disabled():
    text = (
        "on: push\njobs:\n  t:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      fail-fast: false\n"
        "      matrix:\n        os: [a, b, c]\n        py: [1, 2]\n    steps: [{run: x}]\n"
    )
    (finding,) = lint("matrix-fail-fast-disabled", text)
    assert "6 jobs" in finding.message and finding.line == 6
    assert lint("matrix-fail-fast-disabled", text.replace("py: [1, 2]", "py: [1]")) == []
    assert lint("matrix-fail-fast-disabled", text.replace("false", "true")) == []
    assert lint("matrix-fail-fast-disabled", text, options={"min-jobs": 7}) == []
