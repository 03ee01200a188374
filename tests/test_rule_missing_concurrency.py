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
        "on:\n  pull_request_target:\n    types: [opened, synchronize]",
        "on: [merge_group, pull_request]",
        "on:\n  push:\n    branches: [main]",
        "on:\n  push:\n    branches: [main]\n    tags: ['v*']",
        "on:\n  push:\n    branches-ignore: [gh-pages]\n    tags: ['v*']",
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
        # each tag is its own ref: no tag run is ever superseded
        "on:\n  push:\n    tags: ['v*']\njobs: {}\n",
        "on:\n  push:\n    tags-ignore: ['nightly']\njobs: {}\n",
        # pushes to the branch never start these
        "on:\n  pull_request:\n    types: [labeled, unlabeled]\njobs: {}\n",
        "on:\n  pull_request_target:\n    types: [opened, edited]\njobs: {}\n",
        "on:\n  pull_request:\n    types: [closed]\n  push:\n    tags: ['*']\njobs: {}\n",
        "on:\n  pull_request:\n    types: review_requested\njobs: {}\n",
        # a merge queue ref is made for one run
        "on: merge_group\njobs: {}\n",
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


def test_push_only_message_says_side_by_side():
    [finding] = lint("on:\n  push:\n    branches: [main]\n  pull_request:\n    types: [closed]\njobs: {}\n", RULE)
    assert "run side by side" in finding.message and "queue" not in finding.message
    assert finding.message.startswith("Workflow runs on push with")


def test_events_without_a_ref_get_a_group_of_their_own_and_an_unsafe_fix():
    from wflint.rules.missing_concurrency import EVENT_GROUP

    text = "on:\n  pull_request:\n  issue_comment:\n    types: [created]\njobs:\n  a:\n    runs-on: x\n"
    [finding] = lint(text, RULE)
    assert finding.fix.safety.value == "unsafe"
    assert "github.run_id" in EVENT_GROUP and "github.event_name }}-" in EVENT_GROUP
    assert fix(text, RULE, unsafe=False) == text  # not applied without --unsafe-fixes
    out = fix(text, RULE)
    assert f"concurrency:\n  group: {EVENT_GROUP}\n" in out
    assert slugs(out, RULE) == []


@pytest.mark.parametrize("other", ["repository_dispatch", "workflow_run", "issue_comment", "pull_request_review"])
def test_other_events_make_the_fix_unsafe(other):
    [finding] = lint(f"on: [push, {other}]\njobs:\n  a:\n    runs-on: x\n", RULE)
    assert finding.fix.safety.value == "unsafe"
    assert "github.run_id" in finding.fix.title


@pytest.mark.parametrize("other", ["workflow_dispatch", "schedule"])
def test_scheduled_and_manual_runs_get_their_own_group_safely(other):
    [finding] = lint(f"on: [push, {other}]\njobs:\n  a:\n    runs-on: x\n", RULE)
    assert finding.fix.safety.value == "safe"
    assert "github.run_id" in finding.fix.title


def test_configured_group_is_kept_with_other_events():
    out = fix("on: [push, issue_comment]\njobs: {}\n", RULE, options={"missing-concurrency": {"group": "g-${{ github.run_id }}"}})
    assert "  group: g-${{ github.run_id }}\n" in out


@pytest.mark.parametrize(
    "job",
    [
        "    environment: production\n    runs-on: x\n",
        "    runs-on: x\n    steps:\n      - uses: peaceiris/actions-gh-pages@v4\n",
        "    runs-on: x\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n",
        "    runs-on: x\n    steps:\n      - run: npx wrangler deploy\n",
        "    runs-on: x\n    steps:\n      - run: docker push ghcr.io/o/r:latest\n",
    ],
)
def test_deploy_on_push_makes_the_fix_unsafe(job):
    [finding] = lint("on:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  d:\n" + job, RULE)
    assert finding.fix.safety.value == "unsafe"


@pytest.mark.parametrize(
    "job",
    [
        "    runs-on: x\n    steps:\n      - run: npm test\n",
        "    if: github.event_name == 'pull_request'\n    environment: preview\n    runs-on: x\n",
        "    if: startsWith(github.ref, 'refs/tags/')\n    runs-on: x\n    steps:\n      - run: npm publish\n",
        "    runs-on: x\n    steps:\n      - uses: actions/upload-artifact@v4\n",
    ],
)
def test_no_deploy_on_push_keeps_the_fix_safe(job):
    [finding] = lint("on:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  d:\n" + job, RULE)
    assert finding.fix.safety.value == "safe"


def _folder(tmp_path, caller, callee):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "ci.yml").write_text(caller)
    (folder / "build.yml").write_text(callee)
    return folder / "ci.yml"


CALLEE_WITH_GROUP = """\
on: workflow_call
concurrency:
  group: build-${{ github.ref }}
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make
"""


def _lint_file(path):
    from wflint.engine import Settings, lint_source, read_source
    from wflint.rules import find

    settings = Settings(rules=[find("missing-concurrency")], repo_root=str(path.parents[2]))
    return lint_source(read_source(str(path), ".github/workflows/ci.yml"), settings).findings


def test_jobs_calling_a_workflow_with_its_own_group_are_already_cancelled(tmp_path):
    only_call = "on: [push, pull_request]\njobs:\n  build:\n    uses: ./.github/workflows/build.yml\n"
    assert _lint_file(_folder(tmp_path, only_call, CALLEE_WITH_GROUP)) == []


def test_only_the_jobs_outside_a_called_group_are_at_stake(tmp_path):
    caller = ("on: [push, pull_request]\njobs:\n  build:\n    uses: ./.github/workflows/build.yml\n"
              "  docs:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make docs\n")
    (finding,) = _lint_file(_folder(tmp_path, caller, CALLEE_WITH_GROUP))
    assert finding.properties["stake"]["jobs"] == ["docs"]


def test_a_called_workflow_without_a_group_leaves_the_finding_whole(tmp_path):
    only_call = "on: [push, pull_request]\njobs:\n  build:\n    uses: ./.github/workflows/build.yml\n"
    callee = CALLEE_WITH_GROUP.replace("concurrency:\n  group: build-${{ github.ref }}\n  cancel-in-progress: true\n", "")
    (finding,) = _lint_file(_folder(tmp_path, only_call, callee))
    assert finding.properties["stake"]["jobs"] == []
