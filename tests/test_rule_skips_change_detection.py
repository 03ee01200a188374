"""skips-change-detection (WFL028): minimal workflows, positive and negative."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

SLUG = "skips-change-detection"

BASE = """\
on: pull_request
jobs:
  changes:
    runs-on: ubuntu-latest
    outputs:
      code: ${{ steps.filter.outputs.code }}
    steps:
      - uses: dorny/paths-filter@v3
        id: filter
        with:
          filters: |
            code: ['src/**']
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, windows-latest]
    steps:
      - run: make test
  e2e:
    needs: test
    runs-on: macos-14
    steps:
      - run: make e2e
"""


def test_heavy_job_ignoring_the_detector():
    (finding,) = lint(SLUG, BASE)
    assert "`test` (2 jobs a run, 1 on macOS/Windows)" in finding.message and "`changes`" in finding.message
    assert "outputs `code`" in finding.message
    assert finding.properties["stake"] == {"measure": "docs-only", "jobs": ["e2e", "test"], "events": ["pull_request"]}


@pytest.mark.parametrize(
    "change",
    [
        ("  test:\n    runs-on", "  test:\n    needs: changes\n    runs-on"),
        ("  test:\n    runs-on", "  test:\n    needs: [lint, changes]\n    runs-on"),
        ("  test:\n    runs-on", "  test:\n    if: needs.changes.outputs.code == 'true'\n    runs-on"),
        ("on: pull_request", "on: {schedule: [{cron: '0 4 * * *'}]}"),
        ("    outputs:\n      code: ${{ steps.filter.outputs.code }}\n", ""),  # nothing handed on
    ],
)
def test_gated_or_no_detector(change):
    found = lint(SLUG, BASE.replace(*change))
    assert [f.message.split("`")[1] for f in found] in ([], ["e2e"])


def test_light_job_and_git_diff_detector():
    text = """\
on: [push, pull_request]
jobs:
  detect:
    runs-on: ubuntu-latest
    outputs: {docs: "${{ steps.d.outputs.docs }}"}
    steps:
      - id: d
        run: git diff --name-only origin/main... | grep -q '^docs/' && echo docs=true >> "$GITHUB_OUTPUT"
  lint:
    runs-on: ubuntu-latest
    steps: [{run: make lint}]
  build:
    runs-on: macos-14
    steps: [{run: make}]
"""
    assert [f.message.split("`")[1] for f in lint(SLUG, text)] == ["build"]


def test_the_detector_waiting_for_a_job_is_not_skipped_by_it():
    text = BASE.replace("  changes:\n    runs-on", "  changes:\n    needs: test\n    runs-on")
    assert [f.message.split("`")[1] for f in lint(SLUG, text)] == ["e2e"]  # `test` must run first


def test_reusable_workflow_calls_are_not_judged():
    text = BASE + "  call:\n    uses: ./.github/workflows/heavy.yml\n"
    assert len(lint(SLUG, text)) == 1
