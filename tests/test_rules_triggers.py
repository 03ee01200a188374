"""duplicate-triggers (WFL006), tag-push-ignores-paths (WFL014), expensive-runner (WFL017)."""

from __future__ import annotations

import os

import pytest

from catalog_helpers import fix, lint

JOB = "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
MAIN = {"default-branch": "main"}


# -- duplicate-triggers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "on",
    [
        "on: [push, pull_request]\n",
        "on:\n  - push\n  - pull_request\n",
        "on:\n  push:\n  pull_request:\n",
        "on:\n  push:\n    paths-ignore: ['docs/**']\n  pull_request:\n",
        "on:\n  push:\n  pull_request:\n    types: [opened, synchronize]\n",
        "on:\n  push:\n    branches: ['**']\n  pull_request:\n",
        "on:\n  push:\n    branches: '*'\n  pull_request:\n",
        # both limited by path: the same pull-request commits run twice
        "on:\n  push:\n    paths: ['src/**']\n  pull_request:\n    paths: ['src/**']\n",
        "on:\n  push:\n    paths: ['src/**']\n  pull_request:\n",
        # a docs-only filter on pull requests alone is no sign of forks (missing-path-filters writes it)
        "on:\n  push:\n  pull_request:\n    paths-ignore: ['docs/**']\n",
    ],
)
def test_duplicate_triggers_reports_push_on_every_branch(on):
    (finding,) = lint("duplicate-triggers", on + JOB, options=MAIN)
    assert "two full runs" in finding.message
    assert finding.fix is not None


@pytest.mark.parametrize(
    "on",
    [
        "on: push\n",
        "on: [push, pull_request_target]\n",
        "on:\n  push:\n    branches: [main]\n  pull_request:\n",
        "on:\n  push:\n    branches-ignore: [gh-pages]\n  pull_request:\n",
        "on:\n  push:\n    tags: ['v*']\n  pull_request:\n",
        "on:\n  push:\n  pull_request:\n    types: [labeled, closed]\n",
        # every branch but the ones named: `branches-ignore` spelt another way
        "on:\n  push:\n    branches: ['**', '!dependabot/**']\n  pull_request:\n",
        "on:\n  push:\n    branches: ['*', '*/*', '!renovate/*']\n    paths: ['src/**']\n  pull_request:\n",
        # pull requests limited by path, pushes on every branch not: set up for pull requests from forks
        "on:\n  push:\n  pull_request:\n    paths: ['ports/unix/**', 'py/**']\n",
        "on:\n  push:\n    branches: ['**']\n    paths-ignore: ['**.md']\n  pull_request:\n    paths: ['src/**']\n",
    ],
)
def test_duplicate_triggers_leaves_limited_pushes_alone(on):
    assert lint("duplicate-triggers", on + JOB) == []


def test_duplicate_triggers_skips_jobs_split_by_event():
    text = (
        "on: [push, pull_request]\njobs:\n"
        "  a:\n    if: github.event_name == 'push'\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
        "  b:\n    if: github.event_name == 'push' || github.event.pull_request.head.repo.full_name != github.repository\n"
        "    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
    )
    assert lint("duplicate-triggers", text) == []
    assert len(lint("duplicate-triggers", text.replace("  a:\n    if: github.event_name == 'push'\n", "  a:\n"))) == 1


TAGS = "    tags:\n      - '**'\n"


def test_duplicate_triggers_stakes_only_the_jobs_that_run_twice():
    text = (
        "on: [push, pull_request]\njobs:\n"
        "  deploy:\n    if: github.event_name == 'push'\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
        "  test:\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
    )
    (finding,) = lint("duplicate-triggers", text)
    assert finding.properties["stake"]["jobs"] == ["test"]
    assert finding.properties["stake"]["events"] == ["push"]


def test_duplicate_triggers_condition_on_other_events_does_not_split():
    text = (
        "on: [push, pull_request, schedule]\njobs:\n"
        "  a:\n    if: github.event_name != 'schedule' || github.repository == 'o/r'\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
        "  b:\n    needs: a\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
    )
    assert len(lint("duplicate-triggers", text)) == 1


def test_duplicate_triggers_skips_workflows_that_run_fork_pull_requests_only():
    text = (
        "on: [push, pull_request]\njobs:\n"
        "  test:\n    if: github.event_name == 'push' || github.event.pull_request.head.repo.full_name != github.repository\n"
        "    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
        "  finish:\n    needs: test\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
    )
    assert lint("duplicate-triggers", text) == []


def test_duplicate_triggers_fix_forms():
    assert fix("duplicate-triggers", "on: [push, pull_request]\n" + JOB, options=MAIN) == (
        "on:\n  push:\n    branches:\n      - main\n" + TAGS + "  pull_request:\n" + JOB
    )
    assert fix("duplicate-triggers", "on:\n  push: ~  # all\n  pull_request:\n" + JOB, options=MAIN) == (
        "on:\n  push:  # all\n    branches:\n      - main\n" + TAGS + "  pull_request:\n" + JOB
    )
    assert fix("duplicate-triggers", "on:\n    push:\n        paths: [src/**]\n    pull_request:\n" + JOB, options=MAIN) == (
        "on:\n    push:\n        paths: [src/**]\n        branches:\n          - main\n    pull_request:\n" + JOB
    )
    assert fix("duplicate-triggers", "on: {push: null, pull_request: null}\n" + JOB, options=MAIN) == (
        "on: {push: {branches: [main], tags: ['**']}, pull_request: null}\n" + JOB
    )


RELEASE = "  release:\n    if: startsWith(github.ref, 'refs/tags/')\n    runs-on: ubuntu-latest\n    steps:\n      - run: make upload\n"


def test_duplicate_triggers_fix_keeps_tags():
    # a push with no branch filter ran for every tag too: tags keep running (a release job or not)
    assert fix("duplicate-triggers", "on: [push, pull_request]\n" + JOB + RELEASE, options=MAIN) == (
        "on:\n  push:\n    branches:\n      - main\n" + TAGS + "  pull_request:\n" + JOB + RELEASE
    )
    assert fix("duplicate-triggers", "on:\n  push: ~\n  pull_request:\n" + JOB + RELEASE, options=MAIN) == (
        "on:\n  push:\n    branches:\n      - main\n" + TAGS + "  pull_request:\n" + JOB + RELEASE
    )
    assert fix("duplicate-triggers", "on: {push: null, pull_request: null}\n" + JOB + RELEASE, options=MAIN) == (
        "on: {push: {branches: [main], tags: ['**']}, pull_request: null}\n" + JOB + RELEASE
    )
    assert fix("duplicate-triggers", "on:\n  push: {paths-ignore: [a]}\n  pull_request:\n" + JOB + RELEASE, options=MAIN) == (
        "on:\n  push: {paths-ignore: [a], branches: [main], tags: ['**']}\n  pull_request:\n" + JOB + RELEASE
    )
    (finding,) = lint("duplicate-triggers", "on: [push, pull_request]\n" + JOB + RELEASE, options=MAIN)
    assert "and tags, as before" in finding.fix.title
    # with a path filter, tag runs ignored it (what tag-push-ignores-paths reports): left out,
    # unless tag runs are the point (a job tests for tags, a release workflow, a comment about tags)
    filtered = "on:\n  push: {paths: [src]}\n  pull_request:\n"
    (finding,) = lint("duplicate-triggers", filtered + JOB, options=MAIN)
    assert "no longer for tags" in finding.fix.title
    assert fix("duplicate-triggers", filtered + JOB, options=MAIN) == filtered.replace("[src]}", "[src], branches: [main]}") + JOB
    named = "name: Release\n" + filtered
    assert fix("duplicate-triggers", named + JOB, options=MAIN) == named.replace("[src]}", "[src], branches: [main], tags: ['**']}") + JOB


def test_duplicate_triggers_fix_keeps_written_branches_tags_and_pull_request_targets():
    text = "on:\n  push:\n    branches: ['**']\n    tags: ['v*']\n  pull_request:\n    branches: [main, 'release/**']\n" + JOB
    assert fix("duplicate-triggers", text, options=MAIN) == text.replace("branches: ['**']", "branches: [main, 'release/**']")
    text = "on:\n  push:\n    branches:\n      - 'stable'\n      - '**'\n  pull_request:\n" + JOB
    assert fix("duplicate-triggers", text, options=MAIN) == "on:\n  push:\n    branches: [stable, main]\n  pull_request:\n" + JOB
    text = "on:\n  push:\n  pull_request:\n    branches: [develop, 'v*.x']\n" + JOB
    assert "branches:\n      - develop\n      - 'v*.x'\n" + TAGS + "  pull_request:" in fix("duplicate-triggers", text, options=MAIN)


def test_duplicate_triggers_fix_keeps_the_branches_the_jobs_act_on():
    # a job that deploys from `stable` or builds `release/` branches needs their pushes
    jobs = JOB + (
        "  deploy:\n    if: github.ref == 'refs/heads/stable'\n    runs-on: x\n    steps: [{run: ./deploy.sh}]\n"
        "  pack:\n    if: startsWith(github.ref, 'refs/heads/release/') || github.ref_name == 'lts'\n"
        "    runs-on: x\n    steps: [{run: make dist}]\n"
    )
    fixed = fix("duplicate-triggers", "on: [push, pull_request]\n" + jobs, options=MAIN)
    assert fixed.startswith("on:\n  push:\n    branches:\n      - main\n      - stable\n      - 'release/**'\n      - lts\n" + TAGS)


def test_duplicate_triggers_fix_keeps_the_branches_other_workflows_name(tmp_path):
    # maintenance branches the repository's other workflows run for keep running this one too
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "build.yml").write_text("on:\n  push:\n    branches: [main, '3.5.x']\n" + JOB)
    (folder / "backport.yml").write_text("on:\n  pull_request:\n    branches: ['release/**', '!release/old']\n" + JOB)
    (folder / "ci.yml").write_text("on: [push, pull_request]\n" + JOB)
    fixed = fix("duplicate-triggers", (folder / "ci.yml").read_text(), path=str(folder / "ci.yml"), options=MAIN)
    assert fixed.startswith("on:\n  push:\n    branches:\n      - main\n      - 'release/**'\n      - '3.5.x'\n" + TAGS)
    (finding,) = lint("duplicate-triggers", (folder / "ci.yml").read_text(), path=str(folder / "ci.yml"), options=MAIN)
    assert "`3.5.x`" in finding.fix.title


def test_duplicate_triggers_leaves_commented_branch_lists_unfixed():
    text = "on:\n  push:\n    branches:\n      - '**'  # all\n      - stable\n  pull_request:\n" + JOB
    (finding,) = lint("duplicate-triggers", text)
    assert finding.fix is None
    # a comment after the list stays where it was
    text = "on:\n  push:\n    branches:\n      - '**'  # all\n  pull_request:\n" + JOB
    assert fix("duplicate-triggers", text, options=MAIN) == text.replace("\n      - '**'  # all", " [main]  # all")


def test_duplicate_triggers_fix_keeps_crlf_and_uses_configured_branch():
    text = ("on: [push, pull_request]  # both\n" + JOB).replace("\n", "\r\n")
    fixed = fix("duplicate-triggers", text, options={"default-branch": "develop"})
    assert fixed == ("on:  # both\n  push:\n    branches:\n      - develop\n" + TAGS + "  pull_request:\n" + JOB).replace("\n", "\r\n")


def test_duplicate_triggers_reads_origin_head(tmp_path):
    refs = tmp_path / ".git" / "refs" / "remotes" / "origin"
    refs.mkdir(parents=True)
    (refs / "HEAD").write_text("ref: refs/remotes/origin/trunk\n")
    fixed = fix("duplicate-triggers", "on:\n  push:\n  pull_request:\n" + JOB, repo_root=str(tmp_path))
    assert "      - trunk\n" in fixed
    # the option wins over the repository
    fixed = fix("duplicate-triggers", "on:\n  push:\n  pull_request:\n" + JOB, repo_root=str(tmp_path), options={"default-branch": "main"})
    assert "      - main\n" in fixed


# -- tag-push-ignores-paths ----------------------------------------------------------------


def test_tag_push_ignores_paths_reports_each_path_filter():
    text = "name: ci\non:\n  push:\n    branches: [main]\n    tags: ['**']\n    paths: ['src/**']\n" + JOB
    (finding,) = lint("tag-push-ignores-paths", text)
    assert finding.line == 6 and "not evaluated for tag pushes" in finding.message
    text = "on:\n  push:\n    tags-ignore: ['v0*']\n    paths-ignore: ['docs/**']\n" + JOB
    assert len(lint("tag-push-ignores-paths", text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "on:\n  push:\n    branches: [main]\n    paths: ['src/**']\n" + JOB,
        "on:\n  push:\n    tags: ['v*']\n" + JOB,
        "on:\n  push:\n    tags-ignore: ['**']\n    paths: ['src/**']\n" + JOB,
        "name: Release\non:\n  push:\n    tags: ['v*']\n    paths: ['src/**']\n" + JOB,
        "on:\n  push:\n    # tag pushes build the packages too\n    tags: ['*']\n    paths: ['src/**']\n" + JOB,
        "on: push\n" + JOB,
    ],
)
def test_tag_push_ignores_paths_negative(text):
    assert lint("tag-push-ignores-paths", text) == []


def test_tag_push_ignores_paths_suppression_comment_is_not_a_comment_about_tags():
    from wflint.engine import Settings, lint_source
    from wflint.rules import find
    from wflint.source import Source

    text = "on:\n  push:\n    tags: ['v*']\n    paths: ['src/**']  # wflint: ignore[tag-push-ignores-paths]\n" + JOB
    settings = Settings(rules=[find("tag-push-ignores-paths"), find("unused-suppression")])
    # the finding is there and silenced: the suppression is used, so nothing is reported
    assert lint_source(Source(path="ci.yml", text=text), settings).findings == []
    assert len(lint("tag-push-ignores-paths", text.replace("# wflint: ignore[tag-push-ignores-paths]", ""))) == 1


def test_tag_push_ignores_paths_release_file_name():
    text = "on:\n  push:\n    tags: ['v*']\n    paths: ['src/**']\n" + JOB
    assert lint("tag-push-ignores-paths", text, path=os.path.join(".github", "workflows", "publish.yml")) == []


# -- expensive-runner -------------------------------------------------------------------------


def test_expensive_runner_direct_and_matrix():
    text = (
        "on: push\njobs:\n"
        "  mac:\n    runs-on: macos-14\n    steps: [{run: x}]\n"
        "  lin:\n    runs-on: ubuntu-latest\n    steps: [{run: x}]\n"
        "  m:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest]\n"
        "        include:\n          - os: windows-2022\n    steps: [{run: x}]\n"
    )
    findings = lint("expensive-runner", text)
    assert [f.line for f in findings] == [4, 10]
    assert "runs on macOS" in findings[0].message and "10.3×" in findings[0].message
    assert "runs on Windows" in findings[1].message and "1.7×" in findings[1].message


@pytest.mark.parametrize(
    "on",
    ["on:\n  push:\n    branches: [main]\n", "on: pull_request\n", "on:\n  push:\n    paths: ['src/**']\n", "on:\n  push:\n    tags: ['v*']\n"],
)
def test_expensive_runner_negative(on):
    assert lint("expensive-runner", on + "jobs:\n  mac:\n    runs-on: macos-latest\n    steps: [{run: x}]\n") == []


def test_expensive_runner_is_opt_in():
    from wflint.rules import find

    assert find("expensive-runner").default is False


def test_default_fixes_never_create_a_tag_push_ignores_paths_finding():
    from wflint.engine import lint_source, settings_for
    from wflint.fixer import fix_source
    from wflint.source import Source

    job = JOB.replace("      - run: make test\n", "      - uses: actions/checkout@v4\n      - run: make test\n")
    text = "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n  pull_request:\n" + job
    settings = settings_for()
    outcome = fix_source(Source(path=".github/workflows/ci.yml", text=text), settings, unsafe=True)
    assert outcome.error is None
    slugs = {f.slug for f in lint_source(Source(path="ci.yml", text=outcome.text), settings).findings}
    assert "tag-push-ignores-paths" not in slugs
    assert "paths-ignore" in outcome.text.split("  pull_request:", 1)[1]  # pull requests still get the filter


@pytest.mark.parametrize(
    "job",
    [
        "jobs:\n  pub:\n    if: startsWith(github.ref, 'refs/tags/')\n    runs-on: x\n    steps: [{run: x}]\n",
        "jobs:\n  pub:\n    runs-on: x\n    steps:\n      - if: github.ref_type == 'tag'\n        run: make upload\n",
        "jobs:\n  pub:\n    runs-on: x\n    steps:\n      - run: |\n          if [[ $GITHUB_REF == refs/tags/* ]]; then make upload; fi\n",
    ],
)
def test_tag_push_ignores_paths_skips_jobs_that_test_for_tags(job):
    on = "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n    paths: ['src/**']\n"
    assert lint("tag-push-ignores-paths", on + job) == []
    assert len(lint("tag-push-ignores-paths", on + JOB)) == 1


def test_tag_push_ignores_paths_reads_comments_anywhere():
    on = "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n    paths: ['src/**']\n"
    jobs = "jobs:\n  test:\n    # also runs for each tag so the tagged commit is tested\n    runs-on: x\n    steps: [{run: x}]\n"
    assert lint("tag-push-ignores-paths", on + jobs) == []
    assert len(lint("tag-push-ignores-paths", on + jobs.replace("for each tag", "for each change"))) == 1
