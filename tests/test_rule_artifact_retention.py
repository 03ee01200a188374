"""artifact-retention (WFL008): artifacts that other runs read, bookkeeping files, nightly builds."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

RULE = "artifact-retention"
UPLOAD = "      - uses: actions/upload-artifact@v4\n        with:\n          name: {name}\n          path: {path}\n"


def wf(on: str = "pull_request", name: str = "dist", path: str = "dist/", extra_steps: str = "", head: str = "") -> str:
    return (
        f"{head}on: {on}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
        + UPLOAD.format(name=name, path=path)
        + extra_steps
    )


def test_plain_upload_is_reported():
    assert len(lint(RULE, wf())) == 1


@pytest.mark.parametrize(
    "reader",
    [
        "      - uses: dawidd6/action-download-artifact@v6\n        with:\n          name: dist\n",
        "      - uses: actions/download-artifact@v4\n        with:\n          run-id: ${{ inputs.run }}\n          github-token: ${{ github.token }}\n",
        "      - run: gh run download \"$PREVIOUS\" -n dist\n",
        "      - uses: actions/github-script@v7\n        with:\n          script: |\n"
        "            const a = await github.rest.actions.listWorkflowRunArtifacts({owner, repo, run_id});\n",
        "      - run: curl -sH \"Authorization=Bearer\" https://api.github.com/repos/o/r/actions/artifacts\n",
    ],
)
def test_workflow_that_reads_other_runs_artifacts_is_not_reported(reader):
    assert lint(RULE, wf(extra_steps=reader)) == []


def test_same_run_download_still_reported():
    reader = "      - uses: actions/download-artifact@v4\n        with:\n          name: dist\n"
    assert len(lint(RULE, wf(extra_steps=reader))) == 1


@pytest.mark.parametrize(
    "name, path",
    [
        ("pr-number", "pr_number.txt"),
        ("pr", "./pr/NR"),
        ("Event File", "${{ github.event_path }}"),
        ("payload", "event.json"),
    ],
)
def test_bookkeeping_files_are_not_reported(name, path):
    assert lint(RULE, wf(name=name, path=path)) == []


@pytest.mark.parametrize(
    "on",
    [
        "{schedule: [{cron: '17 3 * * *'}], workflow_dispatch: {}}",
        "{push: {tags: ['v*']}}",
        "{release: {types: [published]}}",
    ],
)
def test_nightly_and_release_builds_are_downloads(on):
    assert lint(RULE, wf(on=on)) == []


def test_nightly_by_name_and_what_is_still_reported():
    assert lint(RULE, wf(name="nightly-linux")) == []
    # a nightly's test report is not a download
    assert len(lint(RULE, wf(on="{schedule: [{cron: '17 3 * * *'}]}", name="test-report", path="report/"))) == 1
    # CI on every push that also runs on a schedule: not a nightly build
    assert len(lint(RULE, wf(on="{push: {branches: [main]}, schedule: [{cron: '17 3 * * *'}]}"))) == 1
    # a push on branches and tags is CI, not only a release
    assert len(lint(RULE, wf(on="{push: {branches: [main], tags: ['v*']}}"))) == 1


def _repo(tmp_path, files):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


READER = (
    "on:\n  workflow_run:\n    workflows: [{source}]\n    types: [completed]\njobs:\n  comment:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/download-artifact@v4\n        with:\n          name: dist\n"
    "          run-id: ${{{{ github.event.workflow_run.id }}}}\n          github-token: ${{{{ github.token }}}}\n"
)


def test_workflow_run_reader_in_the_same_folder(tmp_path):
    build = wf(head="name: Build\n")
    folder = _repo(tmp_path, {"build.yml": build, "comment.yml": READER.format(source="Build")})
    path = str(folder / "build.yml")
    assert lint(RULE, build, path=path) == []
    # the same file given with a path relative to the repository root
    assert lint(RULE, build, path=".github/workflows/build.yml", repo_root=str(tmp_path)) == []


def test_workflow_run_reader_of_another_workflow_does_not_count(tmp_path):
    build = wf(head="name: Build\n")
    folder = _repo(tmp_path, {"build.yml": build, "comment.yml": READER.format(source="Docs")})
    assert len(lint(RULE, build, path=str(folder / "build.yml"))) == 1


def test_sibling_downloading_by_file_name(tmp_path):
    build = wf()
    bench = (
        "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: dawidd6/action-download-artifact@v6\n        with:\n          workflow: build.yml\n          name: dist\n"
    )
    folder = _repo(tmp_path, {"build.yml": build, "bench.yml": bench})
    assert lint(RULE, build, path=str(folder / "build.yml")) == []


def test_sibling_naming_the_file_otherwise_does_not_count(tmp_path):
    build = wf()
    caller = (
        "on:\n  push:\n    paths: ['.github/workflows/build.yml']\njobs:\n  call:\n    uses: ./.github/workflows/build.yml\n"
        "  after:\n    needs: call\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/download-artifact@v4\n"
        "      - run: gh run download $ID -n other\n"
    )
    folder = _repo(tmp_path, {"build.yml": build, "caller.yml": caller})
    assert len(lint(RULE, build, path=str(folder / "build.yml"))) == 1


def test_unreadable_siblings_are_skipped(tmp_path):
    build = wf()
    folder = _repo(tmp_path, {"build.yml": build, "broken.yml": "on: [\n", "binary.yaml": ""})
    (folder / "binary.yaml").write_bytes(b"\xff\xfe\x00bad")
    assert len(lint(RULE, build, path=str(folder / "build.yml"))) == 1


def test_reading_another_workflows_artifacts_does_not_excuse_own_uploads():
    reader = "      - uses: andrewiggins/download-base-artifact@v3\n        with:\n          workflow: ci.yml\n          artifact: pkg\n"
    assert len(lint(RULE, wf(extra_steps=reader), path=".github/workflows/bench.yml")) == 1
    assert lint(RULE, wf(extra_steps=reader), path=".github/workflows/ci.yml") == []


@pytest.mark.parametrize("condition", ["failure()", "${{ failure() }}", "failure() && env.X != ''"])
def test_upload_only_on_failure_is_not_reported(condition):
    text = wf(path="build/")
    text = text.replace("      - uses: actions/upload-artifact@v4\n", f"      - if: {condition}\n        uses: actions/upload-artifact@v4\n")
    assert lint(RULE, text) == []


def test_upload_always_is_still_reported():
    text = wf(path="build/").replace("      - uses: actions/upload-artifact@v4\n", "      - if: always() || failure()\n        uses: actions/upload-artifact@v4\n")
    assert len(lint(RULE, text)) == 1


@pytest.mark.parametrize("path", ["out/test.log", "r/check/tests/testthat.Rout*", "logs/", "report.md"])
def test_a_few_small_text_files_are_not_reported(path):
    assert lint(RULE, wf(path=path)) == []


def test_manual_only_workflow_is_not_reported():
    assert lint(RULE, wf(on="workflow_dispatch")) == []


@pytest.mark.parametrize(
    "on",
    [
        "release",
        "[workflow_dispatch, release]",
        "{push: {tags: ['v*']}}",
        "{push: {branches: ['v*.*.*-release', 'release/**']}, workflow_dispatch: null}",
    ],
)
def test_workflows_that_run_a_few_times_a_month_are_not_reported(on):
    assert lint(RULE, wf(on=on, path="build/")) == []


@pytest.mark.parametrize("on", ["push", "{push: {branches: [main]}}", "[release, pull_request]"])
def test_frequent_triggers_are_still_reported(on):
    assert len(lint(RULE, wf(on=on, path="build/"))) == 1
