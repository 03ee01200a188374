import pytest

from helpers import fix, lint, slugs

RULE = ["missing-path-filters"]
JOBS = "jobs:\n  a:\n    runs-on: x\n"
IGNORE = "    paths-ignore:\n      - '**.md'\n      - 'docs/**'\n"


@pytest.mark.parametrize(
    "on, count",
    [
        ("on: push\n", 1),
        ("on: [push, pull_request]\n", 1),  # the push is duplicate-triggers' finding
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
    assert out == "on:  # all\n  push:\n  pull_request:\n" + IGNORE + "  workflow_dispatch:\n" + JOBS


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
    # the push to main is left alone: once pull requests are filtered, main runs after each merge
    expected = "on:\n  push:\n    branches:\n      - main\n  pull_request:\n    branches: [main]\n" + IGNORE + JOBS
    assert fix(text, RULE) == expected
    text = "on:\n  push:\n    branches:\n      - main\n" + JOBS
    assert fix(text, RULE) == "on:\n  push:\n    branches:\n      - main\n" + IGNORE + JOBS


def test_fix_flow_mapping_config():
    text = "on:\n  push: {branches: [main]}\n" + JOBS
    assert fix(text, RULE) == "on:\n  push: {branches: [main], paths-ignore: ['**.md', 'docs/**']}\n" + JOBS


def test_fix_flow_on_mapping():
    text = "on: {push: null, pull_request: {branches: [main]}}\n" + JOBS
    out = fix(text, RULE)
    assert out == "on: {push: null, pull_request: {branches: [main], paths-ignore: ['**.md', 'docs/**']}}\n" + JOBS


def test_fix_indentless_sequences_follow_file_style():
    text = "on: push\njobs:\n  a:\n    steps:\n    - uses: actions/checkout@v4\n"
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


def _steps(*steps):
    return "jobs:\n  a:\n    runs-on: x\n    steps:\n" + "".join(f"      - {s}\n" for s in steps)


def _checkout(*steps):
    return _steps("uses: actions/checkout@v4", *steps)


@pytest.mark.parametrize(
    "step",
    [
        "run: mkdocs build --strict",
        "run: make -C doc html",
        "run: make docs",
        "run: sphinx-build -W docs _build",
        "run: mix docs",
        "run: npx markdownlint-cli2 '**/*.md'",
        "uses: DavidAnson/markdownlint-cli2-action@v16",
        "uses: codespell-project/actions-codespell@v2",
        "uses: crate-ci/typos@v1",
        "uses: lycheeverse/lychee-action@v2",
        "uses: errata-ai/vale-action@v2",
        "run: cargo doc --no-deps",
    ],
)
def test_workflows_that_check_docs_are_not_reported(step):
    text = "on: [push, pull_request]\n" + _checkout("run: make test", step)
    assert slugs(text, RULE) == []
    assert slugs("on: [push, pull_request]\n" + _checkout("run: make test"), RULE) == ["missing-path-filters"]


def test_docs_job_is_a_docs_check():
    text = "on: pull_request\njobs:\n  test:\n    runs-on: x\n  build-docs:\n    runs-on: x\n"
    assert slugs(text, RULE) == []
    assert slugs(text.replace("build-docs", "build-docker"), RULE) == ["missing-path-filters"]


@pytest.mark.parametrize(
    "step",
    [
        "uses: dorny/paths-filter@v3",
        "uses: tj-actions/changed-files@v45",
        "run: git diff --name-only origin/main... | grep -qv '\\.md$'",
        "run: echo \"docs_only=true\" >> $GITHUB_OUTPUT",
    ],
)
def test_workflows_that_detect_changes_are_not_reported(step):
    assert slugs("on: [push, pull_request]\n" + _checkout(step, "run: make test"), RULE) == []


def test_required_check_aggregator_is_not_reported():
    jobs = "jobs:\n  test:\n    runs-on: x\n  ok:\n    needs: [test]\n    if: always()\n    runs-on: x\n"
    assert slugs("on: pull_request\n" + jobs, RULE) == []
    assert slugs("on: pull_request\n" + jobs.replace("    if: always()\n", ""), RULE) == ["missing-path-filters"]
    alls = "jobs:\n  check:\n    needs: [a]\n    runs-on: x\n    steps:\n      - uses: re-actors/alls-green@release/v1\n"
    assert slugs("on: pull_request\n" + alls, RULE) == []


def test_comment_about_branch_protection_is_not_reported():
    assert slugs("# this workflow is a required check in branch protection\non: pull_request\n" + JOBS, RULE) == []


def test_branch_push_beside_an_unfiltered_pull_request_is_left_to_the_pull_request_finding():
    on = "on:\n  push:\n    branches: [main]\n  pull_request:\n"
    [finding] = lint(on + JOBS, RULE)
    assert finding.line == 4
    on = "on:\n  push:\n    branches: [main]\n  pull_request:\n    types: [labeled]\n"
    [finding] = lint(on + JOBS, RULE)
    assert finding.line == 2


def test_filtered_pull_request_and_branch_push_leaves_the_push_alone():
    on = "on:\n  push:\n    branches: [main, 'release/**']\n  pull_request:\n    paths-ignore: ['docs/**']\n"
    assert slugs(on + JOBS, RULE) == []
    # an every-branch push next to pull requests is duplicate-triggers' finding
    on = "on:\n  push:\n    branches: ['**']\n  pull_request:\n    paths-ignore: ['docs/**']\n"
    assert slugs(on + JOBS, RULE) == []


@pytest.mark.parametrize(
    "on",
    [
        "on:\n  pull_request:\n    types: [labeled, unlabeled]\n",
        "on:\n  pull_request:\n    types: closed\n",
        "on:\n  push:\n    branches: ['dependabot/**', 'renovate/**']\n",
        "on:\n  push:\n    branches: [gh-pages]\n",
    ],
)
def test_non_code_events_and_bot_branches_are_not_reported(on):
    assert slugs(on + JOBS, RULE) == []


def test_pull_request_with_synchronize_is_reported():
    assert slugs("on:\n  pull_request:\n    types: [opened, synchronize, labeled]\n" + JOBS, RULE) == ["missing-path-filters"]


@pytest.mark.parametrize(
    "condition",
    ["always() && github.ref == 'refs/heads/main' && needs.test.result == 'failure'", "always() && github.event_name == 'push'"],
)
def test_failure_notifier_is_not_a_required_check(condition):
    jobs = f"jobs:\n  test:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n  notify:\n    needs: [test]\n    if: {condition}\n    runs-on: x\n    steps:\n      - run: ./notify\n"
    assert slugs("on: pull_request\n" + jobs, RULE) == ["missing-path-filters"]


def test_aggregator_reading_needs_results_is_a_required_check():
    jobs = (
        "jobs:\n  test:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n  status:\n    needs: test\n    if: always() && github.event_name == 'merge_group'\n"
        "    runs-on: x\n    steps:\n      - if: ${{ contains(needs.*.result, 'failure') }}\n        run: exit 1\n"
    )
    assert slugs("on: pull_request\n" + jobs, RULE) == []


def test_merge_queue_workflows_are_required_checks():
    assert slugs("on: [push, pull_request, merge_group]\n" + _checkout("run: make test"), RULE) == []
    assert slugs("on: [push, pull_request]\n" + _checkout("run: make test"), RULE) == ["missing-path-filters"]


@pytest.mark.parametrize(
    "steps",
    [
        ("uses: slackapi/slack-github-action@v2",),
        ("run: gh api repos/o/r/pulls/1/commits | jq '.[].commit.verification.verified'",),
    ],
)
def test_workflows_that_read_no_files_are_not_reported(steps):
    assert slugs("on: [push, pull_request]\n" + _steps(*steps), RULE) == []


@pytest.mark.parametrize("step", ["uses: ./.github/actions/setup", "run: make test", "uses: actions/checkout@v4"])
def test_workflows_that_read_files_are_reported(step):
    assert slugs("on: pull_request\n" + _steps(step, "run: make test"), RULE) == ["missing-path-filters"]


@pytest.mark.parametrize(
    "step",
    ["run: npx commitlint --from origin/main", "uses: amannn/action-semantic-pull-request@v5", "run: npx prettier --check .", "uses: autofix-ci/action@v1"],
)
def test_commit_checks_and_markdown_formatters_are_not_reported(step):
    assert slugs("on: pull_request\n" + _steps("uses: actions/checkout@v4", step), RULE) == []


def test_event_every_job_skips_is_not_reported():
    jobs = "jobs:\n  cov:\n    if: github.event_name != 'pull_request' || contains(github.event.pull_request.body, '[cov]')\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n"
    assert slugs("on:\n  push:\n    branches: [main]\n  pull_request:\n" + jobs, RULE) == ["missing-path-filters"]
    [finding] = lint("on:\n  push:\n    branches: [main]\n  pull_request:\n" + jobs, RULE)
    assert finding.line == 2  # the push, not the pull request


@pytest.mark.parametrize("step", ["uses: pre-commit/action@v3", "run: pre-commit run --all-files", "run: Rscript -e 'pkgdown::build_site()'"])
def test_pre_commit_and_pkgdown_check_docs(step):
    assert slugs("on: [push, pull_request]\n" + _checkout(step), RULE) == []


def test_a_changes_job_gating_the_others_is_change_detection():
    jobs = (
        "jobs:\n  changes:\n    runs-on: x\n    outputs:\n      should_run: ${{ steps.c.outputs.should_run }}\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - id: c\n        uses: ./.github/actions/detect\n"
        "  build:\n    needs: changes\n    if: needs.changes.outputs.should_run == 'true'\n    runs-on: x\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
    )
    assert slugs("on: pull_request\n" + jobs, RULE) == []
    ungated = jobs.replace("    if: needs.changes.outputs.should_run == 'true'\n", "")
    assert slugs("on: pull_request\n" + ungated, RULE) == ["missing-path-filters"]


def test_a_docs_entry_in_the_matrix_checks_docs():
    jobs = (
        "jobs:\n  main:\n    runs-on: x\n    strategy:\n      matrix:\n        include:\n          - toxenv: py\n          - toxenv: docs\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - run: tox -e ${{ matrix.toxenv }}\n"
    )
    assert slugs("on: pull_request\n" + jobs, RULE) == []
    assert slugs("on: pull_request\n" + jobs.replace("toxenv: docs", "toxenv: lint"), RULE) == ["missing-path-filters"]


def test_pull_request_description_check_is_not_reported():
    assert slugs("on: pull_request\n" + _checkout("run: ./.ci/pr-description.sh"), RULE) == []


def test_actions_that_analyse_code_read_files():
    fuzz = _steps("uses: google/oss-fuzz/infra/cifuzz/actions/build_fuzzers@master", "uses: google/oss-fuzz/infra/cifuzz/actions/run_fuzzers@master")
    assert slugs("on: pull_request\n" + fuzz, RULE) == ["missing-path-filters"]
    bot = _steps("uses: mheap/require-checklist-action@v2")
    assert slugs("on: pull_request\n" + bot, RULE) == []


@pytest.mark.parametrize(
    "step",
    [
        # link checkers and book builders installed by a generic installer or by hand
        "uses: taiki-e/install-action@v2\n        with:\n          tool: mdbook, lychee",
        "run: cargo install lychee --locked",
        "run: mdbook test guide",
        "run: bundle exec htmlproofer ./_site",
        "run: npx linkinator ./public --recurse",
        "run: npx markdown-link-check --quiet README.md",
        # docs checks behind a build tool's target whose name says docs
        "run: make docs-lint",
        "run: node Makefile lintDocsJS",
        "run: npm run lint:docs",
        "run: pnpm run check:guide",
        "run: pytest --doctest-glob='*.md'",
        "run: npx remark --frail .",
        # a step whose name says it, or that works in the docs folder
        "name: Check links in the user guide\n        run: ./scripts/check.sh",
        "name: Check for broken links\n        run: ./scripts/check.sh",
        "name: Validate README\n        run: ./scripts/validate.sh",
        "working-directory: docs\n        run: npm run build",
    ],
)
def test_docs_checks_named_by_tools_targets_and_steps_are_not_reported(step):
    text = "on: pull_request\n" + _checkout("run: make test", step)
    assert slugs(text, RULE) == []


@pytest.mark.parametrize(
    "step",
    [
        # doc tests and doc comments of code files: a Markdown or docs/ change cannot fail them
        "run: pytest --doctest-modules src",
        "run: cargo test --workspace --doc",
        "name: Update facade DocBlocks\n        run: php bin/facades.php",
        "name: Build API docs\n        run: make api-docs",
        # docs named only to be left out
        "run: gem install bundler --no-document",
        "run: ruff check --exclude docs .",
        "run: SKIP_DOCS=1 make all",
        "run: make all BUILD_DOCS=false",
        # paths a command reads or writes, comments and addresses
        "run: cp README.md dist/",
        "run: cd doc && python -m pytest --pyargs pkg",
        "run: go run docs/examples/plugin.go",
        "run: ./build.sh  # see the docs",
        "run: curl -fsSL https://example.org/docs/install.sh | sh",
        "run: gh repo create --private --add-readme org/scratch",
        # words that are not about documentation here
        "name: Test site replication\n        run: make test-replication",
        "name: Create symbolic links\n        run: ln -s build/out bin",
    ],
)
def test_steps_that_only_mention_docs_are_reported(step):
    text = "on: pull_request\n" + _checkout("run: make test", step)
    assert slugs(text, RULE) == ["missing-path-filters"]


@pytest.mark.parametrize(
    "step",
    [
        "uses: nxtlvlsoftware/git-subtree-action@1.1\n        with:\n          path: examples/minimal",
        "run: git subtree split --prefix=packages/core -b core-split",
        "run: splitsh-lite --prefix=src/Component/Console --target=refs/heads/console",
        "uses: cpina/github-action-push-to-another-repository@v1",
        "uses: yesolutions/mirror-action@v0.7.0",
        "run: git push --mirror git@example.org:org/repo.git",
    ],
)
def test_workflows_that_sync_directories_elsewhere_are_not_reported(step):
    # README changes must reach the split, mirrored or synced repositories
    text = "on:\n  push:\n    branches: [main]\n" + _checkout(step)
    assert slugs(text, RULE) == []


def test_a_registry_mirror_for_tests_is_not_a_sync():
    text = "on: pull_request\n" + _checkout("uses: chainguard-dev/actions/setup-mirror@main", "run: make e2e")
    assert slugs(text, RULE) == ["missing-path-filters"]


@pytest.mark.parametrize("step", ["uses: actions/deploy-pages@v4", "uses: peaceiris/actions-gh-pages@v4", "uses: JamesIves/github-pages-deploy-action@v4"])
def test_workflows_that_publish_a_site_are_not_reported(step):
    text = "on:\n  push:\n    branches: [main]\n" + _checkout("run: make site", step)
    assert slugs(text, RULE) == []


TWO_JOBS = (
    "jobs:\n  build:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n"
    "  test:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n"
)


@pytest.mark.parametrize(
    "final",
    [
        "  ok:\n    needs: [build, test]\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n",
        "  ok:\n    needs: [build, test]\n    runs-on: x\n    steps:\n      - run: echo all passed\n",
        "  ok:\n    needs: [build, test]\n    runs-on: x\n    steps:\n      - run: |\n          if [ x = y ]; then\n            exit 1\n          fi\n",
    ],
)
def test_a_final_job_that_only_waits_for_the_others_is_a_gatekeeper(final):
    assert slugs("on: pull_request\n" + TWO_JOBS + final, RULE) == []


@pytest.mark.parametrize(
    "final",
    [
        "  deploy:\n    needs: [build, test]\n    runs-on: x\n    steps:\n      - run: ./deploy.sh\n",
        "  ok:\n    needs: [build]\n    runs-on: x\n    steps:\n      - run: echo done\n",  # waits for one job only
        "  ok:\n    needs: [build, test]\n    runs-on: x\n    steps:\n      - run: echo done\n"
        "  last:\n    needs: ok\n    runs-on: x\n    steps:\n      - run: make pack\n",  # not the final job
    ],
)
def test_jobs_that_do_work_after_the_others_are_not_gatekeepers(final):
    assert slugs("on: pull_request\n" + TWO_JOBS + final, RULE) == ["missing-path-filters"]


@pytest.mark.parametrize(
    "comment",
    [
        "# the single gatekeeper check for merging",
        "# Begin Presubmit Naming Check - renaming needs the internal check updated",
        "# these check names are required for the merge queue",
    ],
)
def test_comments_that_say_others_wait_for_the_checks(comment):
    assert slugs(f"on: pull_request\n{comment}\n" + TWO_JOBS, RULE) == []


def test_macos_gatekeeper_is_not_a_merge_gate():
    assert slugs("on: pull_request\n# clear the Gatekeeper quarantine flag\n" + TWO_JOBS, RULE) == ["missing-path-filters"]


@pytest.mark.parametrize("name", ["Rebase conflicted pull requests", "Label merge conflicts"])
def test_rebase_and_conflict_bots_run_after_every_push(name):
    text = f"name: {name}\non:\n  push:\n    branches: [main]\n" + TWO_JOBS
    assert slugs(text, RULE) == []


@pytest.mark.parametrize("step", ["uses: peter-evans/rebase@v3", "uses: eps1lon/actions-label-merge-conflict@v3", "run: gh pr update-branch 12 --rebase"])
def test_steps_that_rebase_pull_requests(step):
    text = "on:\n  push:\n    branches: [main]\n" + TWO_JOBS + f"  bot:\n    runs-on: x\n    steps:\n      - {step}\n"
    assert slugs(text, RULE) == []


def _job(job_id, lines=""):
    return f"  {job_id}:\n{lines}    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n"


@pytest.mark.parametrize(
    "jobs",
    [
        _job("gpu", "    if: contains(github.event.pull_request.labels.*.name, 'ci:gpu')\n"),
        _job("test", "    if: \"!contains(github.event.head_commit.message, '[skip docs]')\"\n"),
        "  labels:\n    runs-on: x\n    outputs:\n      run: ${{ steps.l.outputs.run }}\n    steps:\n      - id: l\n        run: gh pr view --json labels\n"
        + _job("heavy", "    needs: labels\n    if: needs.labels.outputs.run == 'true'\n")
        + _job("after", "    needs: heavy\n")
        + _job("report", "    if: github.event_name == 'schedule'\n"),
        "  get_commit_message:\n    uses: ./.github/workflows/commit_message.yml\n"
        + _job("build", "    needs: get_commit_message\n    if: needs.get_commit_message.outputs.message == 1\n"),
    ],
)
def test_jobs_gated_on_labels_or_commit_messages_already_decide_what_runs(jobs):
    assert slugs("on: pull_request\njobs:\n" + jobs, RULE) == []


@pytest.mark.parametrize(
    "jobs",
    [
        _job("gpu", "    if: contains(github.event.pull_request.labels.*.name, 'ci:gpu')\n") + _job("test"),  # test always runs
        _job("test", "    if: \"!contains(github.event.pull_request.labels.*.name, 'skip-ci')\"\n"),  # runs unless skipped by hand
        _job("test", "    if: \"!contains(github.event.head_commit.message, '[skip ci]')\"\n"),
    ],
)
def test_jobs_that_run_on_every_change_are_reported(jobs):
    assert slugs("on: pull_request\njobs:\n" + jobs, RULE) == ["missing-path-filters"]


@pytest.mark.parametrize("step", ["changed=$(ct list-changed --config ct.yaml)", "if git log -1 | grep -q '[docs only]'; then exit 0; fi"])
def test_chart_testing_and_docs_only_commit_tags_are_change_detection(step):
    assert slugs("on: pull_request\n" + _checkout(f"run: {step}"), RULE) == []


def test_a_pull_request_condition_that_only_skips_by_hand_still_runs_pull_requests():
    condition = "github.event_name != 'pull_request' || !contains(github.event.pull_request.body, '[skip ci]')"
    text = "on:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n" + _job("test", f"    if: \"{condition}\"\n")
    findings = lint(text, RULE)
    assert [f.message.split("`")[1] for f in findings] == ["pull_request"]  # not the push


@pytest.mark.parametrize(
    "on",
    [
        "on:\n  push:\n    branches: ['**/*kit*']\n",
        "on:\n  push:\n    branches: ['release/**', 'hotfix-*']\n",
        "on:\n  pull_request:\n    branches: ['[0-9].[0-9]']\n",
        "on:\n  pull_request:\n    branches: [stable, 'v*.x']\n",
    ],
)
def test_triggers_limited_to_side_branches_are_not_reported(on):
    assert slugs(on + JOBS, RULE) == []


@pytest.mark.parametrize(
    "on",
    [
        "on:\n  push:\n    branches: ['4.2']\n",  # a version name may be the default branch
        "on:\n  push:\n    branches: [main, 'release/**']\n",
        "on:\n  pull_request:\n    branches: ['ma*']\n",
        "on:\n  pull_request:\n    branches: ['**', '!release/**']\n",
        "on:\n  push:\n    branches: [feature-x]\n",
    ],
)
def test_triggers_that_reach_the_main_line_are_reported(on):
    assert slugs(on + JOBS, RULE) == ["missing-path-filters"]


def _job_steps(*steps):
    return "jobs:\n  build:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n" + "".join(f"      - {s}\n" for s in steps)


@pytest.mark.parametrize(
    "steps",
    [
        ("run: npm run readme", "run: git diff --exit-code"),
        ("run: make generate-readme && git status --porcelain",),
        ("uses: npalm/action-docs-action@v3", "name: Verify no unstaged changes\n        run: ./verify.sh"),
        ("run: npm run build", "name: Check for uncommitted changes\n        run: ./check.sh", "uses: ./"),
    ],
)
def test_a_check_that_generated_docs_are_committed_is_not_reported(steps):
    assert slugs("on: pull_request\n" + _job_steps(*steps), RULE) == []


@pytest.mark.parametrize(
    "steps",
    [
        ("run: npm run build", "run: git diff --exit-code dist/"),  # not an action tested with uses: ./
        ("run: go mod tidy", "run: git diff --exit-code go.sum"),
        ("run: git diff --exit-code", "run: npm run readme"),  # the check comes first
    ],
)
def test_other_dirty_tree_checks_are_reported(steps):
    assert slugs("on: pull_request\n" + _job_steps(*steps), RULE) == ["missing-path-filters"]
