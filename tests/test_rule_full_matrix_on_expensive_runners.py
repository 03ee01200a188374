"""full-matrix-on-expensive-runners (WFL031): minimal workflows, positive, negative, adversarial."""

from __future__ import annotations

import pytest

from catalog_helpers import lint
from wflint.cost.pricing import load

SLUG = "full-matrix-on-expensive-runners"

BASE = """\
on: [push, pull_request]
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14, windows-latest]
        python-version: ["3.10", "3.11", "3.12", "3.13"]
    steps:
      - uses: actions/checkout@v4
      - run: pytest
"""


def _prices():
    prices = load()
    return prices.per_minute("linux-2"), prices.per_minute("macos-3"), prices.per_minute("windows-2")


def test_reports_the_middle_versions_on_macos_and_windows():
    (finding,) = lint(SLUG, BASE)
    assert finding.line == 8  # the version axis
    message = finding.message
    assert message.startswith("Job `test` runs 4 `python-version` values (3.10, 3.11, 3.12, 3.13) on its macOS and Windows runners")
    assert "8 macOS/Windows jobs a run where 4 would do" in message
    assert "To drop 3.11, 3.12 on those runners" in message
    assert "`{os: macos-14, python-version: '3.11'}`, `{os: macos-14, python-version: '3.12'}`" in message
    assert "`{os: windows-latest, python-version: '3.12'}`" in message
    linux, macos, windows = _prices()
    stake = finding.properties["stake"]
    assert stake["measure"] == "share" and stake["jobs"] == ["test"] and stake["events"] == ["pull_request", "push"]
    assert stake["share"] == pytest.approx(4 / 12)
    assert stake["usd_share"] == pytest.approx(2 * (macos + windows) / (4 * (linux + macos + windows)))


def test_the_suggested_excludes_silence_the_rule():
    fixed = BASE.replace(
        '        python-version: ["3.10", "3.11", "3.12", "3.13"]\n',
        '        python-version: ["3.10", "3.11", "3.12", "3.13"]\n'
        "        exclude:\n"
        "          - {os: macos-14, python-version: '3.11'}\n"
        "          - {os: macos-14, python-version: '3.12'}\n"
        "          - {os: windows-latest, python-version: '3.11'}\n"
        "          - {os: windows-latest, python-version: '3.12'}\n",
    )
    assert lint(SLUG, fixed) == []


def test_include_only_matrix_spelling_out_the_product():
    legs = "".join(
        f"          - {{os: {os}, python: '{v}'}}\n"
        for os in ("ubuntu-latest", "windows-latest") for v in ("3.9", "3.10", "3.11", "3.12")
    )
    text = BASE.replace(
        '        os: [ubuntu-latest, macos-14, windows-latest]\n        python-version: ["3.10", "3.11", "3.12", "3.13"]\n',
        "        include:\n" + legs,
    )
    (finding,) = lint(SLUG, text)
    assert "4 macOS/Windows jobs a run where 2 would do" in finding.message
    assert "on its Windows runners" in finding.message and "To drop 3.10, 3.11" in finding.message
    assert finding.properties["stake"]["share"] == pytest.approx(2 / 8)


def test_anchors_and_flow_style():
    text = """\
on:
  pull_request:
  push:
    branches: [main]
x-versions: &versions ['18', '20', '22', '24']
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy: {matrix: {os: [ubuntu-latest, windows-latest], node-version: *versions}}
    steps:
      - run: npm test
"""
    (finding,) = lint(SLUG, text)
    assert "4 `node-version` values" in finding.message and "To drop 20, 22" in finding.message
    assert "`{os: windows-latest, node-version: '20'}`" in finding.message


def test_expression_around_the_os_and_unquoted_numbers():
    text = """\
on: pull_request
jobs:
  test:
    runs-on: ${{ matrix.os }}-latest
    strategy:
      matrix:
        node: [18, 20, 22]
        os: [ubuntu, macos]
    steps:
      - run: npm test
"""
    (finding,) = lint(SLUG, text)
    assert "add to `strategy.matrix.exclude:` `{os: macos, node: 20}`" in finding.message
    assert finding.properties["stake"]["events"] == ["pull_request"]


def test_nested_os_values_get_the_general_advice():
    text = BASE.replace("runs-on: ${{ matrix.os }}", "runs-on: ${{ matrix.os.image }}").replace(
        "os: [ubuntu-latest, macos-14, windows-latest]",
        "os: [{image: ubuntu-latest}, {image: macos-14}, {image: windows-latest}]",
    )
    (finding,) = lint(SLUG, text)
    assert "add 4 entries to `strategy.matrix.exclude:`, one `{os: ..., python-version: ...}`" in finding.message


def test_an_exclude_of_the_oldest_version_is_not_a_reduction():
    text = BASE.replace(
        '        python-version: ["3.10", "3.11", "3.12", "3.13"]\n',
        '        python-version: ["3.10", "3.11", "3.12", "3.13"]\n'
        "        exclude:\n          - {os: windows-latest, python-version: '3.10'}\n",
    )
    (finding,) = lint(SLUG, text)
    assert "7 macOS/Windows jobs a run where 4 would do" in finding.message  # Windows keeps 3.11 and 3.13


@pytest.mark.parametrize(
    "old, new",
    [
        ("on: [push, pull_request]", "on:\n  schedule:\n    - cron: '0 3 * * *'"),  # scheduled only
        ("on: [push, pull_request]", "on: workflow_dispatch"),
        ("on: [push, pull_request]", "on:\n  push:\n    tags: ['v*']"),  # tags only
        ("on: [push, pull_request]", "on:\n  pull_request:\n    types: [labeled]"),
        ('["3.10", "3.11", "3.12", "3.13"]', '["3.10", "3.13"]'),  # two versions
        ('["3.10", "3.11", "3.12", "3.13"]', '["3.12", "3.13t", "pypy-3.11", "3.14-dev"]'),  # variants
        ('["3.10", "3.11", "3.12", "3.13"]', "${{ fromJSON(needs.plan.outputs.versions) }}"),
        ("      matrix:\n        os:", "      matrix: ${{ fromJSON(needs.plan.outputs.matrix) }}\n      x:\n        os:"),
        ("os: [ubuntu-latest, macos-14, windows-latest]", "os: [macos-14, windows-latest]"),  # no Linux leg
        ("runs-on: ${{ matrix.os }}", "runs-on: macos-14"),  # macOS only
        ("python-version:", "tox-env:"),  # not a version axis
        ("      - run: pytest\n", "      - uses: ./\n"),  # a setup-* repository testing its action
        ("on: [push, pull_request]", "name: Python compatibility\non: [push, pull_request]"),
    ],
)
def test_not_reported(old, new):
    assert old in BASE
    assert lint(SLUG, BASE.replace(old, new)) == []


def test_middle_versions_already_excluded_on_a_runner():
    text = BASE.replace(
        '        python-version: ["3.10", "3.11", "3.12", "3.13"]\n',
        '        python-version: ["3.10", "3.11", "3.12", "3.13"]\n'
        "        exclude:\n          - {os: macos-14, python-version: '3.11'}\n",
    )
    (finding,) = lint(SLUG, text)  # macOS was reduced by hand; Windows was not
    assert "on its Windows runners" in finding.message and "macos-14" not in finding.message


def test_release_lines_not_versions():
    # 20.17.0 and 20.x are both Node 20: two lines, nothing in the middle.
    text = BASE.replace('["3.10", "3.11", "3.12", "3.13"]', "[20.17.0, 20.x, 22.9.0, 22.x]")
    assert lint(SLUG, text) == []


def test_middle_versions_linux_does_not_test_are_kept():
    text = """\
on: pull_request
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        include:
          - {os: ubuntu-latest, go: '1.21'}
          - {os: ubuntu-latest, go: '1.23'}
          - {os: macos-14, go: '1.21'}
          - {os: macos-14, go: '1.22'}
          - {os: macos-14, go: '1.23'}
    steps:
      - run: go test ./...
"""
    assert lint(SLUG, text) == []
