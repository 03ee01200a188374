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


# -- the storage at stake (issue 13): size estimate x uploads a month x days saved ------------------

from wflint.engine import Settings, lint_source  # noqa: E402
from wflint.rules import find  # noqa: E402
from wflint.source import Source  # noqa: E402


def priced(text: str, min_savings: float = 150, path: str = ".github/workflows/ci.yml", repo_root=None, **cost):
    """(shown, hidden) findings with the pricing the CLI applies."""
    settings = Settings(rules=[find(RULE)], repo_root=repo_root, extra={"cost": {"min-savings": min_savings, **cost}})
    result = lint_source(Source(path=path, text=text), settings)
    return result.findings, result.hidden


@pytest.mark.parametrize(
    "name, path",
    [
        ("digest-amd64", "${{ runner.temp }}/digests/*"),
        ("conformance-diff", "conformance.diff"),
        ("changelog", "changelog.yaml"),
        ("test-pipelines.json", "reports"),  # a folder uploaded under a file's name
        ("sarif", "results.sarif"),
    ],
)
def test_tiny_artifacts_are_priced_below_the_threshold(name, path):
    shown, hidden = priced(wf(on="[push, pull_request]", name=name, path=path))
    assert shown == [] and len(hidden) == 1
    assert "under 1 MB" in hidden[0].message and hidden[0].properties["usd_per_month"] < 0.9
    # without a threshold it is still reported, with its figure
    shown, _ = priced(wf(on="[push, pull_request]", name=name, path=path), min_savings=0)
    assert len(shown) == 1 and "usd_per_month" in shown[0].properties


@pytest.mark.parametrize("path, size", [("build/", "about 200 MB"), ("target/release/app.tar.gz", "about 200 MB"),
                                        ("wheelhouse/*.whl", "about 200 MB"), ("htmlcov", "about 200 MB"),
                                        ("some/thing", "about 50 MB")])
def test_big_and_unknown_artifacts_on_every_push_are_shown(path, size):
    shown, _ = priced(wf(on="[push, pull_request]", path=path))
    assert len(shown) == 1
    assert f"estimated {size} a run" in shown[0].message
    props = shown[0].properties
    # 140 uploads a month (60 pushes, 80 pull-request runs) x size x 83 days x 0.008 USD per GB-day
    mb = 200 if "200" in size else 50
    assert props["uploads_per_month"] == 140
    assert props["usd_per_month"] == pytest.approx(140 * mb / 1000 * 83 * 0.008, abs=0.01)
    assert props["basis"] == "estimate"
    if mb == 50:
        assert "size unknown" in shown[0].message


def test_matrix_jobs_upload_once_each():
    text = wf(on="push", path="build/").replace("    runs-on: ubuntu-latest\n",
                                                 "    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        os: [a, b, c]\n")
    shown, _ = priced(text)
    assert shown[0].properties["uploads_per_month"] == 180


def test_a_rarely_running_big_upload_is_cheap():
    # once a week: 200 MB x 4.3 uploads x 83 days is about 0.57 USD a month
    shown, hidden = priced(wf(on="{schedule: [{cron: '0 3 * * 1'}]}", name="test-report", path="build/"))
    assert shown == [] and 0.4 < hidden[0].properties["usd_per_month"] < 0.9


def test_javascript_bundle_is_small_compiled_build_is_big():
    node = "      - uses: actions/setup-node@v4\n      - run: npm ci && npm run build\n"
    js = wf(on="[push, pull_request]", path="dist").replace("      - run: make\n", node)
    shown, hidden = priced(js)
    assert shown == [] and "JavaScript bundle" in hidden[0].message
    native = js.replace("npm run build", "npm run build && cargo build --release")
    shown, _ = priced(native)
    assert len(shown) == 1 and "about 200 MB" in shown[0].message


def test_public_repository_bills_no_storage_but_the_threshold_uses_list_prices():
    shown, _ = priced(wf(on="[push, pull_request]", path="build/"), visibility="public")
    assert len(shown) == 1
    assert shown[0].properties["usd_per_month"] == 0.0 and "public" in shown[0].properties["cost_note"]


def test_retention_option_at_the_default_saves_nothing():
    settings = Settings(rules=[find(RULE)], options={RULE: {"days": 90}}, extra={"cost": {"min-savings": 150}})
    result = lint_source(Source(path=".github/workflows/ci.yml", text=wf(on="push", path="build/")), settings)
    assert result.findings == [] and result.hidden[0].properties["usd_per_month"] == 0


def _job_if(condition: str, where: str = "job") -> str:
    text = wf(on="{push: {branches: [main]}}", path="build/")
    if where == "job":
        return text.replace("    runs-on: ubuntu-latest\n", f"    if: {condition}\n    runs-on: ubuntu-latest\n")
    return text.replace("      - uses: actions/upload-artifact@v4\n", f"      - if: {condition}\n        uses: actions/upload-artifact@v4\n")


@pytest.mark.parametrize(
    "condition",
    [
        "needs.version.outputs.cli-version != ''",
        "needs.version.outputs.cli-version",
        "${{ steps.release.outputs.release_created }}",
        "startsWith(github.ref, 'refs/tags/')",
        "github.event_name == 'release'",
        "github.ref_type == 'tag'",
    ],
)
@pytest.mark.parametrize("where", ["job", "step"])
def test_uploads_only_on_releases_are_not_reported(condition, where):
    assert lint(RULE, _job_if(condition, where)) == []


@pytest.mark.parametrize(
    "condition",
    [
        "${{ !startsWith(github.ref, 'refs/tags/') }}",
        "github.event_name == 'release' || github.event_name == 'push'",
        "needs.changes.outputs.src == 'true'",
    ],
)
def test_uploads_on_other_conditions_are_still_reported(condition):
    assert len(lint(RULE, _job_if(condition))) == 1


REUSABLE = wf(on="{workflow_call: {inputs: {plan: {type: string}}}}", path="target/dist/")


def _caller(on: str, job_if: str = "") -> str:
    condition = f"    if: {job_if}\n" if job_if else ""
    return f"on: {on}\njobs:\n  plan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: plan\n" \
           f"  binaries:\n    needs: plan\n{condition}    uses: ./.github/workflows/build-binaries.yml\n"


@pytest.mark.parametrize(
    "callers",
    [
        {"release.yml": _caller("workflow_dispatch")},
        {"release.yml": _caller("{push: {tags: ['v*']}}"),
         "ci.yml": _caller("[push, pull_request]", "needs.plan.outputs.build-release-binaries == 'true'")},
    ],
)
def test_reusable_workflow_called_only_on_releases_is_not_reported(tmp_path, callers):
    folder = _repo(tmp_path, {"build-binaries.yml": REUSABLE, **callers})
    assert lint(RULE, REUSABLE, path=str(folder / "build-binaries.yml")) == []


def test_reusable_workflow_called_on_every_push_is_reported(tmp_path):
    callers = {"release.yml": _caller("workflow_dispatch"), "preview.yml": _caller("{push: {branches: [main]}}")}
    folder = _repo(tmp_path, {"build-binaries.yml": REUSABLE, **callers})
    assert len(lint(RULE, REUSABLE, path=str(folder / "build-binaries.yml"))) == 1


def test_reusable_workflow_without_callers_in_sight_is_reported():
    # judged alone (its callers unread): its name does not say how often it runs
    assert len(lint(RULE, REUSABLE, path=".github/workflows/build-release-binaries.yml")) == 1
