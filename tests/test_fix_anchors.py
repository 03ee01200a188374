"""Fixes never change what a workflow does (issue 11): anchors, aliases, merge keys, block
scalars, explicit keys, repeated events, quoting, the default branch, generated files.

Every fixed text here is checked the way the corpus is (``check``): it loads, names no key
twice, means the original plus each applied fix's declared intent and nothing else, the guard
withheld nothing (the edit helpers placed every edit right), and a second run changes nothing.
"""

from __future__ import annotations

from typing import Dict, Optional, Sequence

import pytest

from wflint import yamlnode as yn
from wflint.engine import Settings, lint_source, settings_for
from wflint.fixer import fix_source
from wflint.source import Source

from test_properties import sc


def check(text: str, select: Optional[Sequence[str]] = None, options: Optional[Dict] = None, path: str = "ci.yml", repo_root=None):
    """Fix ``text`` (unsafe fixes too); assert the fix is sound; return the outcome."""
    settings = settings_for(select, options) if select else Settings(rules=list(sc.all_fixes_settings().rules), options=dict(options or {}))
    settings.repo_root = repo_root
    source = Source(path=path, text=text)
    outcome = fix_source(source, settings, unsafe=True)
    assert outcome.error is None, outcome.error
    assert outcome.withheld == {}, outcome.withheld
    root = yn.compose(outcome.text)
    assert not list(yn.duplicate_keys(root))
    checked = sc.check_text(source, settings)
    assert (checked.kind, checked.problems) == ("", []), checked.problems
    again = fix_source(Source(path=path, text=outcome.text), settings, unsafe=True)
    assert not again.changed, again.text
    return outcome


def findings(text: str, select: Sequence[str], options: Optional[Dict] = None, path: str = "ci.yml"):
    return lint_source(Source(path=path, text=text), settings_for(select, options)).findings


STEPS = "    steps:\n      - run: make\n"


# -- 1. aliased nodes used as positions ------------------------------------------------------


def test_runs_on_alias_gets_its_own_timeout():
    text = "on: workflow_dispatch\njobs:\n  a:\n    runs-on: &os ubuntu-latest\n" + STEPS + "  b:\n    runs-on: *os\n" + STEPS
    out = check(text, ["missing-timeout"]).text
    assert out == (
        "on: workflow_dispatch\njobs:\n  a:\n    runs-on: &os ubuntu-latest\n    timeout-minutes: 30\n" + STEPS
        + "  b:\n    runs-on: *os\n    timeout-minutes: 30\n" + STEPS
    )


def test_alias_with_comment_and_flow_job():
    text = "on: workflow_dispatch\njobs:\n  a:\n    runs-on: &os [linux, x64]\n" + STEPS + "  b:\n    runs-on: *os  # same\n" + STEPS
    out = check(text, ["missing-timeout"]).text
    assert "  b:\n    runs-on: *os  # same\n    timeout-minutes: 30\n" in out


def test_uses_alias_gets_with_after_the_alias():
    text = (
        "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - uses: &up actions/upload-artifact@v4\n        with: {name: a, path: dist}\n"
        "      - uses: *up\n      - run: make\n"
    )
    out = check(text, ["artifact-retention"]).text
    assert "      - uses: *up\n        with:\n          retention-days: 7\n      - run: make\n" in out


def test_path_alias_as_last_input():
    text = (
        "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - run: make\n        env:\n          P: &p dist\n"
        "      - uses: actions/upload-artifact@v4\n        with:\n          name: a\n          path: *p\n"
    )
    out = check(text, ["artifact-retention"]).text
    assert out.endswith("          path: *p\n          retention-days: 7\n")


def test_setup_node_alias_gets_cache_on_its_own_step():
    text = (
        "on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - uses: &node actions/setup-node@v4\n        with: {node-version: 20, cache: npm}\n"
        "      - run: npm ci\n"
        "  b:\n    runs-on: x\n    steps:\n      - uses: *node\n      - run: npm ci\n"
    )
    out = check(text, ["missing-dependency-cache"]).text
    assert "      - uses: *node\n        with:\n          cache: npm\n      - run: npm ci\n" in out


def test_branches_alias_as_last_filter():
    text = "on:\n  push:\n    tags: &b [main]\n  pull_request:\n    branches: *b\njobs:\n  a:\n    runs-on: x\n" + STEPS
    out = check(text, ["missing-path-filters"]).text
    assert "  pull_request:\n    branches: *b\n    paths-ignore:\n" in out


def test_event_aliasing_trigger_keeps_concurrency_out_of_on():
    text = (
        "on:\n  push: &trigger\n    branches: [main]\n  pull_request_target: *trigger\n"
        "jobs:\n  a:\n    runs-on: x\n" + STEPS
    )
    out = check(text, ["missing-concurrency"]).text
    assert out.startswith("on:\n  push: &trigger\n    branches: [main]\n  pull_request_target: *trigger\nconcurrency:\n")


def test_flow_trigger_alias_as_last_event():
    text = "on:\n  push: &t {branches: [main]}\n  pull_request: *t\njobs:\n  a:\n    runs-on: x\n" + STEPS
    out = check(text, ["missing-concurrency"]).text
    assert "  pull_request: *t\nconcurrency:\n" in out


def test_alias_as_key_or_item_gives_no_misplaced_edit():
    text = "x-keys: [&ev push]\non:\n  *ev :\n    branches: [main]\njobs:\n  a:\n    runs-on: x\n" + STEPS
    check(text)
    text = "on:\n  push:\n    branches: [&m main, *m]\njobs:\n  a:\n    runs-on: x\n" + STEPS
    check(text)


# -- 2. a merge key as the last entry ---------------------------------------------------------


def test_merge_key_last_in_event():
    text = "on:\n  pull_request: &pr\n    branches: [main]\n  push:\n    <<: *pr\njobs:\n  a:\n    runs-on: x\n" + STEPS
    out = check(text, ["missing-concurrency"]).text
    assert "  push:\n    <<: *pr\nconcurrency:\n" in out


def test_merge_key_last_in_step_with():
    text = (
        "on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - uses: actions/upload-artifact@v4\n        with: &w\n          name: a\n          path: dist\n"
        "          retention-days: 3\n"
        "      - uses: actions/upload-artifact@v4\n        with:\n          name: b\n          <<: *w\n"
    )
    check(text, ["artifact-retention"])  # the second step has retention-days through the merge


def test_merge_key_last_in_job():
    text = (
        "on: workflow_dispatch\njobs:\n  a: &job\n    runs-on: x\n    timeout-minutes: 5\n" + STEPS
        + "  b:\n    runs-on: y\n    <<: *job\n"
    )
    check(text, ["missing-timeout"])
    text = "on: workflow_dispatch\njobs:\n  a: &job\n    runs-on: x\n" + STEPS + "  b:\n    name: b\n    <<: *job\n"
    out = check(text, ["missing-timeout"])
    assert "  b:\n    name: b\n    <<: *job\n" in out.text  # b is a's mapping too: no edit in a


# -- 3. a mapping shared through an anchor ---------------------------------------------------


def test_shared_with_is_not_edited():
    text = (
        "on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - uses: actions/upload-artifact@v4\n        with: &art {name: a, path: dist}\n"
        "      - uses: actions/download-artifact@v4\n        with: *art\n"
    )
    (finding,) = findings(text, ["artifact-retention"])
    assert finding.fix is None
    assert check(text, ["artifact-retention"]).text == text


def test_cron_in_anchored_mapping_used_in_env_is_not_edited():
    text = "on:\n  schedule:\n    - &s {cron: '*/5 * * * *'}\nenv: *s\njobs:\n  a:\n    runs-on: x\n" + STEPS
    assert all(f.fix is None for f in findings(text, ["cron-too-frequent"]))
    text = "on:\n  schedule:\n    - &s {cron: '0 * * * *'}\nenv: *s\njobs:\n  a:\n    runs-on: x\n" + STEPS
    assert all(f.fix is None for f in findings(text, ["schedule-top-of-hour"]))
    check(text)


def test_cancel_in_progress_in_merged_mapping_is_not_edited():
    text = (
        "on: release\njobs:\n  a:\n    runs-on: x\n    concurrency: &c\n      group: deploy\n      cancel-in-progress: true\n"
        "    steps:\n      - run: ./deploy.sh\n"
        "  b:\n    runs-on: x\n    concurrency:\n      <<: *c\n    steps:\n      - run: ./deploy.sh\n"
    )
    assert all(f.fix is None for f in findings(text, ["cancel-in-progress-on-release"]))
    check(text)


def test_shared_event_config_is_not_edited():
    text = "on:\n  push: &t\n    branches: [main]\n  pull_request: *t\njobs:\n  a:\n    runs-on: x\n" + STEPS
    assert all(f.fix is None for f in findings(text, ["missing-path-filters"]))


# -- 4. block scalars before an insertion point ----------------------------------------------


def _upload(path_block: str) -> str:
    return (
        "on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - uses: actions/upload-artifact@v4\n        with:\n          name: a\n          path: " + path_block
    )


@pytest.mark.parametrize(
    "block",
    [
        "|\n            dist\n                \n",  # a whitespace-only last line deeper than the indent
        "|\n            dist\n            \n",  # ...as deep as the indent: not content
        "|-\n            dist\n              \n\n",
        "|+\n            dist\n\n",
        "&p\n            |+\n            dist\n\n",  # keep, with the anchor on its own line
        "!!str &q\n            |+\n            dist\n\n\n",
        "&linux-runner |\n            dist\n\n",  # `-` in the anchor is no strip indicator
        "&keep_1 >\n            dist\n            more\n\n",
        "|2\n              dist\n\n",
        ">-\n            dist\n",
        "|\n            dist",  # no final line break
        "&a-b |+\n            dist",
        "&linux-runner |\n            dist",  # clip at the end of the file: a new line would join the value
        "&linux-runner >-\n            dist\n\n            more\n",
    ],
)
def test_block_scalar_before_insertion(block):
    out = check(_upload(block), ["artifact-retention"])
    assert out.text.count("retention-days: 7") <= 1


def test_keep_scalar_value_survives():
    text = _upload("&p\n            |+\n            dist\n\n")
    out = check(text, ["artifact-retention"]).text
    data = yn.to_data(yn.compose(out))
    assert data["jobs"]["a"]["steps"][0]["with"]["path"] == "dist\n\n"


# -- 5. an explicit key without value as the last item ---------------------------------------


def test_explicit_key_last_in_on():
    text = "on:\n  push:\n  workflow_dispatch:\n    inputs:\n      ? required\njobs:\n  a:\n    runs-on: x\n" + STEPS
    out = check(text, ["missing-concurrency"])
    assert out.text.split("jobs:")[1] == text.split("jobs:")[1]


def test_explicit_key_last_in_with():
    text = (
        "on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    steps:\n"
        "      - uses: actions/upload-artifact@v4\n        with:\n          name: a\n          ? path\n"
        "      - run: make\n"
    )
    check(text, ["artifact-retention"])


# -- 6. a repeated event in a block-list `on:` -----------------------------------------------


def test_repeated_event_in_list_is_not_turned_into_two_keys():
    text = "on:\n  - push\n  - push\n  - pull_request\njobs:\n  a:\n    runs-on: x\n" + STEPS
    assert all(f.fix is None for f in findings(text, ["missing-path-filters"]))
    assert all(f.fix is None for f in findings(text, ["duplicate-triggers"], {"duplicate-triggers": {"default-branch": "main"}}))
    check(text)


def test_repeated_event_in_flow_list():
    check("on: [push, push]\njobs:\n  a:\n    runs-on: x\n" + STEPS)


# -- 7. scalars written with the quoting they need --------------------------------------------


def test_cron_written_into_flow_mapping_is_quoted():
    text = "on:\n  schedule:\n    - {cron: 0/5 * * * *}\njobs:\n  a:\n    runs-on: x\n" + STEPS
    out = check(text, ["cron-too-frequent"]).text
    # the staggered step starts with a digit and has no `,` or `: `, so it loads back plain in flow context
    cron = yn.to_data(yn.compose(out))["on"]["schedule"][0]["cron"]
    assert cron.endswith("-59/15 * * * *") and "- {cron: " in out


def test_cron_plain_in_block_stays_plain_when_it_loads_back():
    text = "on:\n  schedule:\n    - cron: 5-59/5 * * * *\njobs:\n  a:\n    runs-on: x\n" + STEPS
    out = check(text, ["cron-too-frequent"]).text
    data = yn.to_data(yn.compose(out))
    assert data["on"]["schedule"][0]["cron"].split()[1:] == ["*", "*", "*", "*"]


@pytest.mark.parametrize("branch", ["0x10", "0o17", "yes", "1e3", "on", "null", "1_000", "12:30", "~", "- x", "a, b", "*x", "&y"])
def test_default_branch_that_plain_would_change_type(branch):
    text = "on: [push, pull_request]\njobs:\n  a:\n    runs-on: x\n" + STEPS
    out = check(text, ["duplicate-triggers"], {"duplicate-triggers": {"default-branch": branch}}).text
    assert yn.to_data(yn.compose(out))["on"]["push"]["branches"] == [branch]
    flow = "on: {push: null, pull_request: null}\njobs:\n  a:\n    runs-on: x\n" + STEPS
    out = check(flow, ["duplicate-triggers"], {"duplicate-triggers": {"default-branch": branch}}).text
    assert yn.to_data(yn.compose(out))["on"]["push"]["branches"] == [branch]


# -- 8. never a guessed default branch -------------------------------------------------------

DUP = "on: [push, pull_request]\njobs:\n  a:\n    runs-on: x\n" + STEPS


def _repo(tmp_path, siblings: Dict[str, str], origin: Optional[str] = None):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    if origin:
        (tmp_path / ".git" / "refs" / "remotes" / "origin").mkdir(parents=True)
        (tmp_path / ".git" / "refs" / "remotes" / "origin" / "HEAD").write_text(f"ref: refs/remotes/origin/{origin}\n")
    for name, text in siblings.items():
        (folder / name).write_text(text)
    (folder / "ci.yml").write_text(DUP)
    return str(folder / "ci.yml")


def _dup_settings(root):
    settings = settings_for(["duplicate-triggers"])
    settings.repo_root = str(root)
    return settings


def test_no_origin_head_and_no_evidence_means_no_fix(tmp_path):
    path = _repo(tmp_path, {})
    (finding,) = lint_source(Source(path=path, text=DUP), _dup_settings(tmp_path)).findings
    assert finding.fix is None
    assert "default branch is unknown" in finding.message and "`default-branch`" in finding.message


def test_siblings_that_agree_name_the_branch(tmp_path):
    push_trunk = "on:\n  push:\n    branches: [trunk]\njobs: {}\n"
    path = _repo(tmp_path, {"a.yml": push_trunk, "b.yaml": "on:\n  push:\n    branches:\n      - trunk\njobs: {}\n", "c.yml": "on: push\njobs: {}\n"})
    outcome = fix_source(Source(path=path, text=DUP), _dup_settings(tmp_path), unsafe=True)
    assert "      - trunk\n" in outcome.text


def test_siblings_that_disagree_name_nothing(tmp_path):
    path = _repo(tmp_path, {"a.yml": "on:\n  push:\n    branches: [trunk]\n", "b.yml": "on:\n  push:\n    branches: [master]\n"})
    (finding,) = lint_source(Source(path=path, text=DUP), _dup_settings(tmp_path)).findings
    assert finding.fix is None


def test_glob_branches_of_siblings_are_no_evidence(tmp_path):
    path = _repo(tmp_path, {"a.yml": "on:\n  push:\n    branches: ['release/*']\n"})
    (finding,) = lint_source(Source(path=path, text=DUP), _dup_settings(tmp_path)).findings
    assert finding.fix is None


def test_origin_head_wins_over_siblings(tmp_path):
    path = _repo(tmp_path, {"a.yml": "on:\n  push:\n    branches: [trunk]\n"}, origin="master")
    outcome = fix_source(Source(path=path, text=DUP), _dup_settings(tmp_path), unsafe=True)
    assert "      - master\n" in outcome.text


def test_default_branch_comparison_names_the_branch():
    text = DUP.replace("    runs-on: x\n", "    runs-on: x\n    env:\n      MAIN: ${{ github.event.repository.default_branch == 'develop' }}\n")
    outcome = check(text, ["duplicate-triggers"])
    assert "      - develop\n" in outcome.text


# -- 9. generated files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "# GENERATED FILE - DO NOT EDIT\n",
        "# Code generated by tool; DO NOT EDIT.\n",
        "#\n# This file is generated by make workflows\n#\n",
        "# Do not edit this file directly!\n",
        "---\n# This workflow was automatically generated by gh-aw.\n",
    ],
)
def test_generated_file_is_not_fixed(header):
    text = header + "on: push\njobs:\n  a:\n    runs-on: x\n" + STEPS
    found = findings(text, ["missing-concurrency", "missing-timeout"])
    assert found and all(f.fix is None and "generated" in f.message and "generator" in f.message for f in found)
    assert not fix_source(Source(path="ci.yml", text=text), settings_for(None), unsafe=True).changed


def test_generator_mentioned_later_is_not_a_generated_file():
    text = "on: push\n# do not edit below by hand\njobs:\n  a:\n    runs-on: x\n" + STEPS
    assert all(f.fix is not None for f in findings(text, ["missing-concurrency"]))
    text = "# Builds the docs (generated HTML goes to gh-pages)\non: push\njobs:\n  a:\n    runs-on: x\n" + STEPS
    assert all(f.fix is not None for f in findings(text, ["missing-concurrency"]))


# -- adversarial forms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "on: !!map\n  push: !!null\n  pull_request:\njobs:\n  a: !!map\n    runs-on: !!str x\n" + STEPS,
        "? on\n: push\njobs:\n  a:\n    runs-on: x\n" + STEPS,
        "on: {push: {branches: [main],\n  tags: [v*]}}\njobs:\n  a:\n    runs-on: x\n" + STEPS,
        "on:\n  push:   # all branches\n    # nothing here\njobs:\n  a:\n    runs-on: x\n" + STEPS,
        "---\non: push\njobs:\n  a:\n    runs-on: x\n" + STEPS + "...\n",
        "on: push\r\njobs:\r\n  a:\r\n    runs-on: &r x\r\n  b:\r\n    runs-on: *r\r\n",
        "on:\n  push: &p\n  pull_request: *p\njobs:\n  a:\n    runs-on: x\n" + STEPS,
        "x: &j\n  runs-on: x\njobs:\n  a: *j\n  b: *j\non: push\n",
        "on:\n  push:\n    branches: &b\n      - main\n  pull_request:\n    branches: *b\njobs:\n  a:\n    runs-on: x\n" + STEPS,
        "on:\n  schedule:\n    - cron: &c '*/5 * * * *'\n    - cron: *c\njobs:\n  a:\n    runs-on: x\n" + STEPS,
        "on:\n  push:\n    <<: [*a, *b]\n" if False else "on:\n  push:\njobs:\n  a:\n    runs-on: x\n    steps:\n      - &s {uses: actions/upload-artifact@v4, with: {path: d}}\n      - *s\n",
    ],
)
def test_adversarial_workflows_fix_soundly(text):
    check(text)


def test_runs_on_from_a_merge_key_gets_timeout_after_the_merge():
    text = "x-defaults: &d\n  runs-on: x\non: workflow_dispatch\njobs:\n  a:\n    steps:\n      - run: make\n    <<: *d\n"
    out = check(text, ["missing-timeout"]).text
    assert out.endswith("    <<: *d\n    timeout-minutes: 30\n")


def test_explicit_indentation_after_an_anchor_line_keeps_a_deeper_whitespace_line():
    """Found by the long property run: `|2` on the line after `&blk-x` is relative to `path:`."""
    text = (
        "on:\n push:\njobs:\n j0: &job0\n  runs-on: ubuntu-latest\n  steps:\n   - &st00\n"
        "     uses: actions/upload-artifact@v4\n     with: &w00\n      name: a\n      path: &blk-x\n"
        "        |2\n          npm ci\n          \n"
    )
    check(text)
    text = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/upload-artifact@v4\n        with:\n          path: |1\n            dist\n             \n"
    check(text, ["artifact-retention"])
