"""static-cache-key (WFL020)."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

SLUG = "static-cache-key"


def wf(key: str, uses: str = "actions/cache@v4", extra: str = "") -> str:
    return (
        "on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - uses: {uses}\n        with:\n          path: ~/.npm\n          key: {key}\n{extra}"
        "      - run: npm ci\n"
    )


@pytest.mark.parametrize(
    "key, uses",
    [
        ("npm-tests", "actions/cache@v4"),
        ("${{ runner.os }}-npm", "actions/cache@v4"),
        ("'${{ runner.os }}-${{ runner.arch }}-${{ github.job }}'", "actions/cache/save@v4"),
        ("regression-cache-{{ checksum \"data.c\" }}-v0", "actions/cache@v4"),  # CircleCI syntax: plain text here
        ("|\n            deps-${{ github.workflow }}", "actions/cache@v4"),
    ],
)
def test_positive(key, uses):
    (finding,) = lint(SLUG, wf(key, uses), )
    assert finding.properties["stake"] == {"measure": "share", "jobs": ["test"], "events": [], "minutes_per_run": 0.5}
    assert "never changes" in finding.message and "`~/.npm`" in finding.message


@pytest.mark.parametrize(
    "key, uses, extra",
    [
        ("${{ runner.os }}-npm-${{ hashFiles('package-lock.json') }}", "actions/cache@v4", ""),
        ("${{ format('npm-{0}', runner.os) }}", "actions/cache@v4", ""),  # functions are not judged
        ("npm-${{ github.sha }}", "actions/cache@v4", ""),
        ("npm-${{ env.NODE_VERSION }}", "actions/cache@v4", ""),
        ("npm-${{ matrix.node }}", "actions/cache@v4", ""),
        ("npm-${{ steps.date.outputs.week }}", "actions/cache@v4", ""),
        ("flatpak-${{ runner.os }}-freedesktop-24.08", "actions/cache@v4", ""),  # a pinned version
        ("npm", "actions/cache/restore@v4", ""),  # restores only
        ("npm", "actions/setup-node@v4", ""),  # not a cache action
        ("npm", "actions/cache@v4", "      - run: gh cache delete npm\n"),  # refreshed by hand
        ("''", "actions/cache@v4", ""),
    ],
)
def test_negative(key, uses, extra):
    assert lint(SLUG, wf(key, uses, extra)) == []


def test_anchored_step_reported_at_its_one_place():
    text = (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - &c {uses: actions/cache@v4, with: {path: x, key: static}}\n"
        "  b:\n    runs-on: ubuntu-latest\n    steps: [*c]\n"
    )
    findings = lint(SLUG, text)
    assert [f.line for f in findings] == [6, 6]
    assert [f.properties["stake"]["jobs"] for f in findings] == [["a"], ["b"]]


def test_opt_in():
    from wflint.rules import find

    assert find(SLUG).default is False
