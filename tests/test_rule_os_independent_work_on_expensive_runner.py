"""os-independent-work-on-expensive-runner (WFL029): minimal workflows, fixes byte for byte."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint

SLUG = "os-independent-work-on-expensive-runner"

BASE = """\
on: [push, pull_request]
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14, windows-latest]
        python: ['3.9', '3.13']
    steps:
      - uses: actions/checkout@v4
      - run: pip install -e .[dev]
      - name: Ruff   # lint
        run: ruff check .
      - uses: pre-commit/action@v3.0.1
      - run: pytest
"""


def test_reports_and_fixes_each_step():
    (finding,) = lint(SLUG, BASE)
    assert "`ruff check`, `pre-commit/action`" in finding.message and "4 macOS and Windows legs" in finding.message
    assert finding.properties["stake"] == {
        "measure": "share", "jobs": ["test"], "events": [], "minutes_per_run": pytest.approx(2 * 4 / 6),
    }
    assert fix(SLUG, BASE) == BASE.replace(
        "        run: ruff check .\n", "        if: runner.os == 'Linux'\n        run: ruff check .\n"
    ).replace("      - uses: pre-commit/action@v3.0.1\n", "      - uses: pre-commit/action@v3.0.1\n        if: runner.os == 'Linux'\n")


def test_crlf_and_comments_are_kept():
    text = BASE.replace("\n", "\r\n")
    fixed = fix(SLUG, text)
    assert "\n" not in fixed.replace("\r\n", "")
    assert "      - name: Ruff   # lint\r\n        if: runner.os == 'Linux'\r\n" in fixed


@pytest.mark.parametrize(
    "change",
    [
        ("[ubuntu-latest, macos-14, windows-latest]", "[macos-14, windows-latest]"),  # no Linux leg to keep it
        ("[ubuntu-latest, macos-14, windows-latest]", "[ubuntu-latest, ubuntu-24.04-arm]"),
        ("      - run: pytest\n", ""),  # a lint-only job with a matrix on purpose
        ("    runs-on:", "    if: matrix.os == 'ubuntu-latest'\n    runs-on:"),
    ],
)
def test_not_reported(change):
    text = BASE.replace(*change).replace("      - uses: pre-commit/action@v3.0.1\n", "")
    assert lint(SLUG, text) == []


@pytest.mark.parametrize(
    "command, found",
    [
        ("mypy src", 0),  # platform-dependent
        ("golangci-lint run", 0),  # build tags
        ("pip list | grep 'astroid\\\\|pylint'", 0),
        ("python -m flake8 src", 1),
        ("npx prettier --check .", 1),
        ("tox -e docs", 1),
        ("npm run lint:fix", 0),
    ],
)
def test_commands(command, found):
    text = BASE.replace("ruff check .", command).replace("      - uses: pre-commit/action@v3.0.1\n", "")
    assert len(lint(SLUG, text)) == found


def test_a_step_with_its_own_if_is_a_decision():
    text = BASE.replace("        run: ruff check .\n", "        if: matrix.python == '3.13'\n        run: ruff check .\n")
    (finding,) = lint(SLUG, text)
    assert "ruff" not in finding.message


def test_flow_and_anchored_steps_get_no_fix():
    flow = BASE.replace("      - uses: pre-commit/action@v3.0.1\n", "      - {uses: pre-commit/action@v3.0.1}\n")
    (finding,) = lint(SLUG, flow)
    assert finding.fix is None
    anchored = """\
on: push
jobs:
  a:
    runs-on: ${{ matrix.os }}
    strategy: {matrix: {os: [ubuntu-latest, windows-latest]}}
    steps:
      - &lint
        run: codespell
      - run: make test
  b:
    runs-on: ubuntu-latest
    steps:
      - *lint
"""
    (finding,) = lint(SLUG, anchored)
    assert finding.fix is None
