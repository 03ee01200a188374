import pytest

from helpers import fix, fix_bytes, lint, slugs

RULE = ["missing-concurrency"]
GROUP = "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}"
CANCEL = "${{ github.event_name == 'pull_request' }}"
BLOCK = f"concurrency:\n  group: {GROUP}\n  cancel-in-progress: {CANCEL}\n"


@pytest.mark.parametrize(
    "on",
    [
        "on: push",
        "on: [push, workflow_dispatch]",
        "on:\n  - pull_request",
        "on:\n  pull_request_target:\n    types: [opened]",
        "on:\n  merge_group:",
        "on:\n  push:\n    branches: [main]",
    ],
)
def test_flags_every_trigger_form(on):
    assert slugs(f"{on}\njobs:\n  a:\n    runs-on: x\n", RULE) == ["missing-concurrency"]


@pytest.mark.parametrize(
    "text",
    [
        "on: schedule\njobs: {}\n",
        "on:\n  schedule:\n    - cron: '0 0 * * *'\njobs: {}\n",
        "on: workflow_call\njobs: {}\n",
        "on: [workflow_dispatch, release]\njobs: {}\n",
        "on: push\nconcurrency: ci-${{ github.ref }}\njobs: {}\n",
        "on: push\nconcurrency:\n  group: x\njobs: {}\n",
        "on: push\njobs:\n  a:\n    concurrency: a\n  b:\n    concurrency: {group: b}\n",
    ],
)
def test_does_not_flag(text):
    assert slugs(text, RULE) == []


def test_some_jobs_without_concurrency_are_flagged():
    assert slugs("on: push\njobs:\n  a:\n    concurrency: a\n  b:\n    runs-on: x\n", RULE) == ["missing-concurrency"]


def test_callee_with_push_is_flagged_without_fix():
    [finding] = lint("on: [push, workflow_call]\njobs: {}\n", RULE)
    assert finding.fix is None


def test_fix_inserts_after_on_section_keeping_comments():
    text = "name: CI\non:\n  push:\n    branches: [main]  # main only\n# the jobs\njobs:\n  a:\n    runs-on: x\n"
    expected = "name: CI\non:\n  push:\n    branches: [main]  # main only\n" + BLOCK + "# the jobs\njobs:\n  a:\n    runs-on: x\n"
    assert fix(text, RULE) == expected


def test_fix_keeps_blank_line_separation():
    text = "on: push\n\njobs:\n  a:\n    runs-on: x\n"
    assert fix(text, RULE) == "on: push\n\n" + BLOCK + "\njobs:\n  a:\n    runs-on: x\n"


def test_fix_uses_four_space_indentation():
    text = "on:\n    push:\njobs:\n    a:\n        runs-on: x\n"
    out = fix(text, RULE)
    assert f"concurrency:\n    group: {GROUP}\n    cancel-in-progress: {CANCEL}\n" in out


def test_fix_in_flow_style_document():
    text = "{on: push, jobs: {a: {runs-on: x}}}\n"
    out = fix(text, RULE)
    assert out == "{on: push, concurrency: {group: '" + GROUP + "', cancel-in-progress: \"" + CANCEL + "\"}, jobs: {a: {runs-on: x}}}\n"
    assert slugs(out, RULE) == []


def test_fix_keeps_crlf_and_bom():
    data = b"\xef\xbb\xbfon: push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n"
    out = fix_bytes(data, RULE)
    assert out.startswith(b"\xef\xbb\xbfon: push\r\nconcurrency:\r\n  group: ")
    assert b"\n" not in out.replace(b"\r\n", b"")


def test_fix_without_final_newline():
    out = fix("jobs:\n  a:\n    runs-on: x\non: push", RULE)
    assert out == "jobs:\n  a:\n    runs-on: x\non: push\n" + BLOCK.rstrip("\n")


def test_fix_is_safe_and_idempotent():
    text = "on: [push, pull_request]\njobs:\n  a:\n    runs-on: x\n"
    [finding] = lint(text, RULE)
    assert finding.fix.safety.value == "safe"
    once = fix(text, RULE, unsafe=False)
    assert fix(once, RULE) == once


def test_custom_group_option():
    out = fix("on: push\njobs: {}\n", RULE, options={"missing-concurrency": {"group": "ci-${{ github.ref }}", "cancel-in-progress": True}})
    assert "concurrency:\n  group: ci-${{ github.ref }}\n  cancel-in-progress: true\n" in out
