"""scheduled-run-without-changes (WFL033, opt-in): minimal workflows, positive and negative."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

SLUG = "scheduled-run-without-changes"

BASE = """\
on:
  push:
    branches: [main]
  schedule:
    - cron: '17 3 * * *'
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14, windows-latest]
    steps:
      - run: ./gradlew check
"""


def test_daily_matrix_without_a_commit_check():
    (finding,) = lint(SLUG, BASE)
    assert "runs 30 times a month" in finding.message and "git log --since" in finding.message
    assert finding.properties["stake"] == {"measure": "share", "jobs": ["test"], "events": ["schedule"], "share": 0.5}


@pytest.mark.parametrize(
    "change",
    [
        ("'17 3 * * *'", "'17 3 * * 1'"),  # weekly: too rare to matter
        ("      - run: ./gradlew check\n", "      - run: git log --since=yesterday --oneline | grep -q . && ./gradlew check\n"),
        ("      - run: ./gradlew check\n", "      - uses: dtolnay/rust-toolchain@nightly\n      - run: cargo test\n"),
        ("      - run: ./gradlew check\n", "      - run: pip install --pre -e . && pytest\n"),
        ("    runs-on:", "    if: github.event_name != 'schedule'\n    runs-on:"),
        ("[ubuntu-latest, macos-14, windows-latest]", "[ubuntu-latest, ubuntu-24.04-arm]"),  # light
        ("  schedule:\n    - cron: '17 3 * * *'\n", ""),
    ],
)
def test_not_reported(change):
    assert lint(SLUG, BASE.replace(*change)) == []


def test_several_crons_add_up_and_flow_style():
    text = "on: {schedule: [{cron: '0 1 * * 1-5'}, {cron: '0 13 * * 1-5'}]}\njobs: {t: {runs-on: '${{ matrix.os }}', strategy: {matrix: {os: [macos-14, windows-latest]}}, steps: [{run: make}]}}\n"
    (finding,) = lint(SLUG, text)
    assert "runs 4" in finding.message  # 40-something runs a month
