"""docker-build-without-cache (WFL019)."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint

SLUG = "docker-build-without-cache"
BUILDX = "      - uses: docker/setup-buildx-action@v3\n"


def wf(steps: str, on: str = "pull_request", runs_on: str = "ubuntu-latest") -> str:
    return f"on: {on}\njobs:\n  image:\n    runs-on: {runs_on}\n    steps:\n      - uses: actions/checkout@v5\n{steps}"


ACTION = "      - uses: docker/build-push-action@v6\n        with:\n          context: .\n"


@pytest.mark.parametrize(
    "steps, on, fixable",
    [
        (BUILDX + ACTION, "pull_request", True),
        (ACTION, "pull_request", False),  # no buildx builder: the gha cache cannot be exported
        (BUILDX + "      - uses: docker/build-push-action@v6\n", "push", True),  # no `with:` at all
        (BUILDX.replace("@v3\n", "@v3\n        with: {driver: docker-container}\n") + ACTION, "[push, pull_request]", True),
        ("      - run: docker build -t app .\n", "pull_request", False),
        ("      - run: |\n          docker buildx build \\\n            --platform linux/arm64 -t app .\n", "merge_group", False),
        ("      - run: make && docker image build .\n", "{push: {branches: [main]}}", False),
    ],
)
def test_positive(steps, on, fixable):
    (finding,) = lint(SLUG, wf(steps, on))
    assert (finding.fix is not None) == fixable
    assert finding.properties["stake"]["measure"] == "share" and finding.properties["stake"]["jobs"] == ["image"]
    assert finding.properties["stake"]["share"] == 0.3


@pytest.mark.parametrize(
    "steps, on, runs_on",
    [
        (BUILDX + ACTION + "          cache-from: type=registry,ref=ghcr.io/o/app:cache\n", "pull_request", "ubuntu-latest"),
        (BUILDX + ACTION + "          cache-to: type=inline\n", "pull_request", "ubuntu-latest"),
        (BUILDX + ACTION + "          no-cache: true\n", "pull_request", "ubuntu-latest"),
        (BUILDX + ACTION + "          # cache-from: type=gha  (the Dockerfile is tiny)\n", "pull_request", "ubuntu-latest"),
        (BUILDX.replace("@v3\n", "@v3\n        with:\n          driver: docker\n") + ACTION, "pull_request", "ubuntu-latest"),
        (BUILDX + ACTION, "{push: {tags: ['v*']}}", "ubuntu-latest"),  # releases build rarely
        (BUILDX + ACTION, "{push: {tags-ignore: [latest]}}", "ubuntu-latest"),
        (BUILDX + ACTION, "release", "ubuntu-latest"),
        (BUILDX + ACTION, "schedule", "ubuntu-latest"),
        (BUILDX + ACTION, "pull_request", "[self-hosted, linux]"),
        (BUILDX + ACTION, "pull_request", "blacksmith-4vcpu-ubuntu-2404"),
        ("      - uses: useblacksmith/setup-docker-builder@v1\n      - run: docker build .\n", "pull_request", "ubuntu-latest"),
        ("      - run: docker build --cache-from app:latest -t app .\n", "pull_request", "ubuntu-latest"),
        ("      - run: |\n          docker buildx build \\\n            --cache-from type=gha -t app .\n", "pull_request", "ubuntu-latest"),
        ("      - run: docker manifest inspect $IMG || docker build -t $IMG .\n", "pull_request", "ubuntu-latest"),
        ("      - run: pnpm build:docker build --platform linux/amd64\n", "pull_request", "ubuntu-latest"),
        ("      - run: docker-compose build\n", "pull_request", "ubuntu-latest"),
        ("      - run: |\n          # docker build -t app .\n          make\n", "pull_request", "ubuntu-latest"),
    ],
)
def test_negative(steps, on, runs_on):
    assert lint(SLUG, wf(steps, on, runs_on)) == []


def test_one_finding_per_job():
    steps = BUILDX + ACTION + "      - run: docker buildx build --load -t check .\n" + ACTION
    (finding,) = lint(SLUG, wf(steps))
    assert finding.line == 8


def test_fix_adds_both_inputs_keeping_every_other_byte():
    before = wf(BUILDX + "      - uses: docker/build-push-action@v6   # build\n        with:\n          context: .\n\n          push: false\n").replace("\n", "\r\n")
    after = fix(SLUG, before)
    assert after == before.replace(
        "push: false\r\n", "push: false\r\n          cache-from: type=gha\r\n          cache-to: 'type=gha,mode=max'\r\n"
    )


def test_fix_creates_with():
    before = wf(BUILDX + "      - uses: docker/build-push-action@v6\n        id: build\n")
    assert fix(SLUG, before) == before.replace(
        "@v6\n", "@v6\n        with:\n          cache-from: type=gha\n          cache-to: 'type=gha,mode=max'\n"
    )


def test_no_fix_inside_an_anchor():
    text = (
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + BUILDX
        + "      - &build\n        uses: docker/build-push-action@v6\n        with: {context: .}\n"
        "  b:\n    runs-on: ubuntu-latest\n    steps:\n" + BUILDX + "      - *build\n"
    )
    findings = lint(SLUG, text)
    assert len(findings) == 2 and all(f.fix is None for f in findings)


def test_fix_matches_its_declared_intent():
    import importlib.util
    import os
    import sys

    from wflint.source import Source

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    spec = importlib.util.spec_from_file_location("wflint_semantic_check", os.path.join(root, "scripts", "semantic_check.py"))
    sc = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = sc
    spec.loader.exec_module(sc)
    text = wf(BUILDX + ACTION) + "  flow:\n    runs-on: ubuntu-latest\n    steps: [{uses: docker/setup-buildx-action@v3}, {uses: docker/build-push-action@v6, with: {push: false}}]\n"
    outcome = sc.check_text(Source(path="ci.yml", text=text), sc.all_fixes_settings())
    assert (outcome.kind, outcome.problems) == ("", [])
    assert outcome.fixes[SLUG] == 2


def test_matrix_runner_expression_is_judged_as_hosted():
    text = (
        "on: pull_request\njobs:\n  image:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, ubuntu-24.04-arm]\n"
        "    runs-on: ${{ matrix.os }}\n    steps:\n      - run: docker buildx build --platform linux/${{ matrix.arch }} .\n"
    )
    (finding,) = lint(SLUG, text)
    assert finding.properties["stake"]["jobs"] == ["image"]


def test_odd_shapes_do_not_crash():
    text = (
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: [docker build .]\n      - uses: docker/build-push-action@v6\n        with: [1]\n"
    )
    (finding,) = lint(SLUG, text)
    assert finding.fix is None  # `with:` is not a mapping: nothing to add to
