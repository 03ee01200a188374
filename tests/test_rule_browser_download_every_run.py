"""browser-download-every-run (WFL022)."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

SLUG = "browser-download-every-run"


def wf(steps: str, runs_on: str = "ubuntu-latest", extra: str = "") -> str:
    return f"on: pull_request\njobs:\n  e2e:\n    runs-on: {runs_on}\n{extra}    steps:\n      - uses: actions/checkout@v5\n{steps}"


@pytest.mark.parametrize(
    "steps, tool",
    [
        ("      - run: npx playwright install --with-deps\n", "Playwright"),
        ("      - run: pnpm exec playwright install chromium\n", "Playwright"),
        ("      - run: |\n          pip install playwright\n          python -m playwright install chromium\n", "Playwright"),
        ("      - run: npx playwright@1.50 install\n", "Playwright"),
        ("      - run: npx cypress install\n", "Cypress"),
        ("      - run: npx @puppeteer/browsers install chrome@stable\n", "Puppeteer"),
        # a cache of something else does not count
        ("      - uses: actions/cache@v4\n        with: {path: ~/.npm, key: npm}\n      - run: npx playwright install\n", "Playwright"),
    ],
)
def test_positive(steps, tool):
    (finding,) = lint(SLUG, wf(steps))
    assert f"{tool}'s browsers" in finding.message
    assert finding.properties["stake"] == {"measure": "share", "jobs": ["e2e"], "events": [], "minutes_per_run": 0.2}


@pytest.mark.parametrize(
    "steps, runs_on, extra",
    [
        ("      - run: npx playwright install-deps\n", "ubuntu-latest", ""),
        ("      - uses: actions/cache@v4\n        with:\n          path: ~/.cache/ms-playwright\n          key: pw\n"
         "      - run: npx playwright install\n", "ubuntu-latest", ""),
        ("      - uses: actions/cache/restore@v4\n        with: {path: '${{ env.PLAYWRIGHT_BROWSERS_PATH }}', key: playwright-1}\n"
         "      - run: npx playwright install\n", "ubuntu-latest", ""),
        ("      - uses: cypress-io/github-action@v6\n        with: {runTests: false}\n      - run: npx cypress install\n", "ubuntu-latest", ""),
        ("      - run: npx playwright install\n", "ubuntu-latest", "    container: mcr.microsoft.com/playwright:v1.50.0-noble\n"),
        ("      - run: npx cypress install\n", "ubuntu-latest", "    container: {image: 'cypress/browsers:latest'}\n"),
        ("      - run: npx playwright install\n", "[self-hosted, linux]", ""),
        ("      - run: npx playwright install\n", "blacksmith-4vcpu-ubuntu-2404", ""),
        ("      - run: |\n          # npx playwright install\n          npm test\n", "ubuntu-latest", ""),
        ("      - run: npm install playwright\n", "ubuntu-latest", ""),
    ],
)
def test_negative(steps, runs_on, extra):
    assert lint(SLUG, wf(steps, runs_on, extra)) == []


def test_one_finding_per_job():
    steps = "      - run: npx playwright install chromium\n      - run: npx playwright install firefox\n"
    (finding,) = lint(SLUG, wf(steps))
    assert finding.line == 7  # the first install step


def test_flow_style_and_anchor():
    text = (
        "on: push\njobs:\n  a: {runs-on: ubuntu-latest, steps: [&pw {run: npx playwright install}]}\n"
        "  b: {runs-on: macos-latest, steps: [*pw]}\n"
    )
    findings = lint(SLUG, text)
    assert [f.properties["stake"]["jobs"] for f in findings] == [["a"], ["b"]]


def test_opt_in():
    from wflint.rules import find

    assert find(SLUG).default is False
