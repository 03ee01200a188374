"""release-build-on-pull-request (WFL025): minimal workflows, positive and negative."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

SLUG = "release-build-on-pull-request"

WHEELS = """\
name: wheels
on: [push, pull_request]
jobs:
  wheels:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14, windows-latest]
    steps:
      - uses: actions/checkout@v4
      - uses: pypa/cibuildwheel@v2.21
      - uses: actions/upload-artifact@v4
        with:
          path: wheelhouse/*.whl
"""


def test_cibuildwheel_matrix_on_pull_request():
    (finding,) = lint(SLUG, WHEELS)
    assert finding.line == 4
    assert "cibuildwheel" in finding.message and "3 jobs, 2 on macOS/Windows" in finding.message
    assert finding.properties["stake"] == {
        "measure": "share", "jobs": ["wheels"], "events": ["pull_request"], "share": 0.8,
    }


@pytest.mark.parametrize(
    "change",
    [
        ("on: [push, pull_request]", "on: [push, release]"),  # no pull request
        ("    runs-on:", "    if: github.event_name != 'pull_request'\n    runs-on:"),
        ("    runs-on:", "    if: contains(github.event.pull_request.labels.*.name, 'wheels')\n    runs-on:"),
        ("    runs-on:", "    if: needs.changes.outputs.packaging == 'true'\n    runs-on:"),
        ("on: [push, pull_request]", "on:\n  push:\n  pull_request:\n    paths: [pyproject.toml]"),
        ("on: [push, pull_request]", "on:\n  pull_request:\n    types: [labeled]"),
    ],
)
def test_gated_or_filtered_jobs_are_left_alone(change):
    assert lint(SLUG, WHEELS.replace(*change)) == []


def test_a_job_that_downloads_the_wheels_on_pull_requests_uses_them():
    text = WHEELS + """\
  test:
    needs: wheels
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
      - run: pip install wheelhouse/*.whl && pytest
"""
    assert lint(SLUG, text) == []
    gated = text.replace("  test:\n", "  test:\n    if: startsWith(github.ref, 'refs/tags/')\n")
    assert len(lint(SLUG, gated)) == 1  # the only downloader publishes tags: unused on pull requests


def test_cibuildwheel_listing_builds_is_not_a_build():
    text = WHEELS.replace("      - uses: pypa/cibuildwheel@v2.21\n", "      - run: pipx run cibuildwheel --print-build-identifiers\n")
    assert lint(SLUG, text) == []


DOCKER = """\
on:
  pull_request:
  push:
    branches: [main]
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/setup-qemu-action@v3
      - uses: docker/build-push-action@v6
        with:
          platforms: {platforms}
          push: ${{{{ github.event_name == 'push' }}}}
"""


@pytest.mark.parametrize(
    "platforms, found",
    [
        ("linux/amd64,linux/arm64", 1),
        ("[linux/amd64, linux/arm64, linux/arm/v7]", 1),  # flow list
        ("linux/amd64", 0),  # a one-platform "does it build" check
        ("${{ env.PLATFORMS }}", 0),  # decided per event
    ],
)
def test_docker_multi_platform_build_that_is_never_pushed(platforms, found):
    assert len(lint(SLUG, DOCKER.format(platforms=platforms))) == found


def test_docker_build_that_loads_the_image_is_used():
    text = DOCKER.format(platforms="linux/amd64,linux/arm64") + "          load: true\n"
    assert lint(SLUG, text) == []


@pytest.mark.parametrize(
    "args, found",
    [("release --snapshot --clean", 1), ("build --single-target --snapshot", 0), ("release --clean", 0)],
)
def test_goreleaser_snapshots(args, found):
    text = f"""\
on: pull_request
jobs:
  snapshot:
    runs-on: ubuntu-latest
    steps:
      - uses: goreleaser/goreleaser-action@v6
        with:
          args: {args}
"""
    assert len(lint(SLUG, text)) == found


def test_packaging_counts_only_on_a_matrix_or_expensive_runner():
    base = """\
on: pull_request
jobs:
  dist:
    runs-on: RUNNER
    steps:
      - run: python -m build
      - uses: actions/upload-artifact@v4
        with: {path: dist}
"""
    assert lint(SLUG, base.replace("RUNNER", "ubuntu-latest")) == []  # a minute of pure-Python packaging
    assert len(lint(SLUG, base.replace("RUNNER", "windows-latest"))) == 1
    assert lint(SLUG, base.replace("RUNNER", "windows-latest").replace("      - uses: actions/upload-artifact@v4\n        with: {path: dist}\n", "")) == []


def test_anchored_steps_and_computed_matrix():
    anchored = """\
on: pull_request
x-steps: &steps
  - uses: pypa/cibuildwheel@v2
jobs:
  a:
    runs-on: macos-14
    steps: *steps
  b:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        include: ${{ fromJSON(needs.plan.outputs.matrix) }}
    steps: *steps
"""
    assert [f.message.split("`")[1] for f in lint(SLUG, anchored)] == ["a"]


@pytest.mark.parametrize("uses", [
    "PyPA/CIBuildWheel@v2.21",  # names are read in any case
    '"pypa/cibuild\\x77heel@v2.21"',  # an escape: the word is not in the text
    '"pypa/cibuild\\\n        wheel@v2.21"',  # a line joined by its escaped break
])
def test_the_builder_is_found_however_its_name_is_spelt(uses):
    text = WHEELS.replace("pypa/cibuildwheel@v2.21", uses).replace("actions/upload-artifact@v4", "actions/cache@v4")
    assert "cibuildwheel" not in text or uses[0] != '"'
    (finding,) = lint(SLUG, text)
    assert "cibuildwheel" in finding.message
