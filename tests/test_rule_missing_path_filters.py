import pytest

from helpers import fix, lint, slugs

RULE = ["missing-path-filters"]
JOBS = "jobs:\n  a:\n    runs-on: x\n"
IGNORE = "    paths-ignore:\n      - '**.md'\n      - 'docs/**'\n"


@pytest.mark.parametrize(
    "on, count",
    [
        ("on: push\n", 1),
        ("on: [push, pull_request]\n", 2),
        ("on:\n  pull_request:\n", 1),
        ("on:\n  push:\n    branches: [main]\n", 1),
        ("on:\n  push:\n    tags: ['v*']\n    branches: [main]\n", 1),
    ],
)
def test_flags(on, count):
    assert slugs(on + JOBS, RULE) == ["missing-path-filters"] * count


@pytest.mark.parametrize(
    "on",
    [
        "on:\n  push:\n    paths: ['src/**']\n",
        "on:\n  push:\n    paths-ignore: ['**.md']\n",
        "on:\n  push:\n    tags: ['v*']\n",
        "on: [workflow_dispatch, schedule]\n",
        "on: pull_request_target\n",
    ],
)
def test_does_not_flag(on):
    assert slugs(on + JOBS, RULE) == []


def test_docs_workflows_are_exempt():
    assert slugs("name: Deploy docs\non: push\n" + JOBS, RULE) == []
    assert slugs("on: push\n" + JOBS, RULE, path=".github/workflows/pages.yml") == []


def test_fix_scalar_form():
    assert fix("on: push\n" + JOBS, RULE) == "on:\n  push:\n" + IGNORE + JOBS


def test_fix_flow_list_form_keeps_other_events():
    out = fix("on: [push, pull_request, workflow_dispatch]  # all\n" + JOBS, RULE)
    assert out == "on:  # all\n  push:\n" + IGNORE + "  pull_request:\n" + IGNORE + "  workflow_dispatch:\n" + JOBS


def test_fix_block_list_form_keeps_comments():
    text = "on:\n  - push\n  # - pull_request\n  - workflow_dispatch\n" + JOBS
    assert fix(text, RULE) == "on:\n  push:\n" + IGNORE + "  # - pull_request\n  workflow_dispatch:\n" + JOBS


def test_fix_null_event():
    text = "on:\n  push:  # every push\n  workflow_dispatch:\n" + JOBS
    assert fix(text, RULE) == "on:\n  push:  # every push\n" + IGNORE + "  workflow_dispatch:\n" + JOBS


def test_fix_tilde_event():
    assert fix("on:\n  push: ~\n" + JOBS, RULE) == "on:\n  push:\n" + IGNORE + JOBS


def test_fix_adds_to_existing_filters():
    text = "on:\n  push:\n    branches:\n      - main\n  pull_request:\n    branches: [main]\n" + JOBS
    expected = "on:\n  push:\n    branches:\n      - main\n" + IGNORE + "  pull_request:\n    branches: [main]\n" + IGNORE + JOBS
    assert fix(text, RULE) == expected


def test_fix_flow_mapping_config():
    text = "on:\n  push: {branches: [main]}\n" + JOBS
    assert fix(text, RULE) == "on:\n  push: {branches: [main], paths-ignore: ['**.md', 'docs/**']}\n" + JOBS


def test_fix_flow_on_mapping():
    text = "on: {push: null, pull_request: {branches: [main]}}\n" + JOBS
    out = fix(text, RULE)
    assert out == "on: {push: {paths-ignore: ['**.md', 'docs/**']}, pull_request: {branches: [main], paths-ignore: ['**.md', 'docs/**']}}\n" + JOBS


def test_fix_indentless_sequences_follow_file_style():
    text = "on: push\njobs:\n  a:\n    steps:\n    - run: x\n"
    assert fix(text, RULE).startswith("on:\n  push:\n    paths-ignore:\n    - '**.md'\n    - 'docs/**'\n")


def test_fix_custom_paths():
    out = fix("on: push\n" + JOBS, RULE, options={"missing-path-filters": {"paths-ignore": ["*.txt"]}})
    assert "    paths-ignore:\n      - '*.txt'\n" in out


def test_fixed_file_has_no_finding_and_fix_is_idempotent():
    out = fix("on: [push, pull_request]\n" + JOBS, RULE)
    assert slugs(out, RULE) == []
    assert fix(out, RULE) == out


@pytest.mark.parametrize("path, exempt", [("docs.yml", True), ("build-docs.yml", True), ("docker.yml", False), ("website.yml", True), ("composite.yml", False)])
def test_exempt_words_match_whole_words(path, exempt):
    assert slugs("on: push\n" + JOBS, RULE, path=f".github/workflows/{path}") == ([] if exempt else ["missing-path-filters"])
