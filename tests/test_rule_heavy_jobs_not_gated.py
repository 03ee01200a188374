"""heavy-jobs-not-gated (WFL027): minimal workflows, positive and negative."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

SLUG = "heavy-jobs-not-gated"

BASE = """\
on: pull_request
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
      - run: pip install ruff mypy
      - run: ruff check .
      - run: mypy src
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14, windows-latest]
        python: ['3.10', '3.13']
    steps:
      - run: pytest
"""


def test_matrix_beside_the_lint_job():
    (finding,) = lint(SLUG, BASE)
    assert "`test` (6 jobs a run, 4 on macOS/Windows)" in finding.message and "`needs: lint`" in finding.message
    assert finding.properties["stake"] == {"measure": "share", "jobs": ["test"], "events": ["pull_request"], "share": 0.1}


@pytest.mark.parametrize(
    "change",
    [
        ("  test:\n    runs-on", "  test:\n    needs: lint\n    runs-on"),
        ("  test:\n    runs-on", "  test:\n    needs: [build]\n    runs-on"),
        ("on: pull_request", "on: push"),
        ("        python: ['3.10', '3.13']\n", ""),  # 3 legs, 2 on macOS/Windows: still heavy, see below
        ("      - run: mypy src\n", "      - run: mypy src\n      - run: pytest\n"),  # the lint job tests too
        ("  lint:\n    runs-on", "  lint:\n    continue-on-error: true\n    runs-on"),
        ("      - run: ruff check .\n      - run: mypy src\n", ""),  # no check in it
    ],
)
def test_not_reported(change):
    text = BASE.replace(*change)
    if change[0].startswith("        python"):
        assert len(lint(SLUG, text)) == 1
        text = text.replace("windows-latest]", "ubuntu-24.04-arm]")  # 3 legs, one on macOS: light
    assert lint(SLUG, text) == []


def test_flow_style_quick_check_and_anchored_matrix():
    text = """\
on: [pull_request]
x: &legs {os: [ubuntu-latest, ubuntu-24.04-arm], node: [20, 22]}
jobs:
  format: {runs-on: ubuntu-latest, steps: [{uses: actions/checkout@v4}, {run: npx prettier --check .}]}
  unit:
    runs-on: ${{ matrix.os }}
    strategy: {matrix: *legs}
    steps: [{run: npm test}]
"""
    (finding,) = lint(SLUG, text)
    assert "`unit` (4 jobs a run)" in finding.message
