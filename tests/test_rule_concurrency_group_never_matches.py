"""concurrency-group-never-matches (WFL018)."""

from __future__ import annotations

import pytest

from catalog_helpers import fix, lint

SLUG = "concurrency-group-never-matches"
JOBS = "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"


def wf(on: str, group: str, cancel: str = "true") -> str:
    return f"on: {on}\nconcurrency:\n  group: {group}\n  cancel-in-progress: {cancel}\n{JOBS}"


@pytest.mark.parametrize(
    "on, group, events",
    [
        ("pull_request", "${{ github.workflow }}-${{ github.sha }}", ["pull_request"]),
        ("[push, pull_request]", "ci-${{ github.run_id }}", ["pull_request", "push"]),
        ("pull_request_target", "${{ github.run_number }}", ["pull_request_target"]),
        # the mistyped property is always empty, so the fallback always wins
        ("pull_request", "${{ github.workflow }}-${{ github.pull_request.number || github.sha }}", ["pull_request"]),
        ("pull_request", "x-${{ github.head_commit.id || github.run_id }}", ["pull_request"]),
        ("pull_request", "'${{ github.event.pull_request.head.sha }}'", ["pull_request"]),
        # inputs exist only on dispatch/call runs: empty on a pull request
        ("[pull_request, workflow_dispatch]", "${{ inputs.name || github.run_id }}", ["pull_request"]),
        # a push-only workflow whose group is per-run outright
        ("push", "${{ github.workflow }}-${{ github.sha }}", ["push"]),
    ],
)
def test_positive(on, group, events):
    (finding,) = lint(SLUG, wf(on, group))
    assert finding.properties["stake"] == {"measure": "superseded", "jobs": [], "events": events}
    assert "cancels nothing" in finding.message


@pytest.mark.parametrize(
    "on, group, cancel",
    [
        ("pull_request", "${{ github.workflow }}-${{ github.event.pull_request.number || github.sha }}", "true"),
        ("pull_request", "${{ github.workflow }}-${{ github.head_ref || github.run_id }}", "true"),
        # on push a per-run fallback is the usual "never cancel pushes" idiom
        ("[push, pull_request]", "${{ github.workflow }}-${{ github.event.pull_request.number || github.sha }}", "true"),
        ("push", "${{ github.workflow }}-${{ github.head_ref || github.run_id }}", "true"),
        ("pull_request", "${{ github.workflow }}-${{ github.sha }}", "false"),  # queues only
        ("pull_request", "${{ github.workflow }}-${{ github.sha }}", ""),
        ("schedule", "${{ github.sha }}", "true"),  # not a push or pull request
        ("pull_request", "${{ github.ref != 'refs/heads/main' || github.sha }}", "true"),  # not judged
        ("pull_request", "${{ format('{0}-{1}', github.workflow, github.sha) }}", "true"),  # not judged
        ("pull_request", "ci", "true"),  # too broad is another rule's concern
        ("pull_request", "${{ github.workflow }}-${{ github.event.number || github.sha }}", "true"),
        ("[push, pull_request]", "${{ github.event.pull_request.number || github.sha }}", "${{ github.event_name == 'push' }}"),
    ],
)
def test_negative(on, group, cancel):
    assert lint(SLUG, wf(on, group, cancel)) == []


def test_cancel_expression_for_pull_requests_only():
    text = wf("[push, pull_request]", "${{ github.sha }}", "${{ github.event_name == 'pull_request' }}")
    (finding,) = lint(SLUG, text)
    assert finding.properties["stake"]["events"] == ["pull_request"]


def test_job_level_group_stakes_its_job():
    text = (
        "on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
        "  test:\n    runs-on: ubuntu-latest\n    concurrency: {group: 't-${{ github.run_id }}', cancel-in-progress: true}\n"
        "    steps: [{run: make test}]\n"
    )
    (finding,) = lint(SLUG, text)
    assert finding.properties["stake"]["jobs"] == ["test"] and "job `test`" in finding.message
    assert finding.line == 8


def test_string_form_group_never_cancels():
    assert lint(SLUG, f"on: pull_request\nconcurrency: ${{{{ github.sha }}}}\n{JOBS}") == []


@pytest.mark.parametrize(
    "group, fixed",
    [
        ("${{ github.workflow }}-${{ github.pull_request.number || github.sha }}",
         "${{ github.workflow }}-${{ github.event.pull_request.number || github.sha }}"),
        ("'${{ github.pull_request.number || github.run_id }}' # keep",
         "'${{ github.event.pull_request.number || github.run_id }}' # keep"),
        ('"${{ github.head_commit.id || github.pull_request.number || github.run_id }}"',
         '"${{ github.event.head_commit.id || github.event.pull_request.number || github.run_id }}"'),
    ],
)
def test_fix_corrects_the_mistyped_property_only(group, fixed):
    text = wf("pull_request", group).replace("\n", "\r\n")
    assert fix(SLUG, text) == wf("pull_request", fixed).replace("\n", "\r\n")


@pytest.mark.parametrize(
    "group",
    [
        "${{ github.workflow }}-${{ github.sha }}",  # nothing mistyped: the right group is the author's call
        "${{ github.pr_number || github.sha }}",  # mistyped, but meant what?
        "|\n    ${{ github.pull_request.number || github.sha }}",  # block scalar: not edited
    ],
)
def test_no_fix_without_one_meaning(group):
    (finding,) = lint(SLUG, wf("pull_request", group))
    assert finding.fix is None


def test_anchored_group_is_not_edited():
    text = (
        "on: pull_request\nconcurrency:\n  group: &g ${{ github.pull_request.number || github.sha }}\n  cancel-in-progress: true\n"
        "jobs:\n  test:\n    runs-on: ubuntu-latest\n    concurrency: {group: *g, cancel-in-progress: true}\n    steps: [{run: make}]\n"
    )
    findings = lint(SLUG, text)
    assert len(findings) == 2 and all(f.fix is None for f in findings)


def test_flow_style_and_anchors_are_read():
    text = (
        "on: {pull_request: {branches: [main]}}\n"
        "concurrency: {group: '${{ github.workflow }}-${{ github.run_id }}', cancel-in-progress: true}\n"
        "jobs: {test: {runs-on: ubuntu-latest, steps: [{run: make}]}}\n"
    )
    (finding,) = lint(SLUG, text)
    assert finding.line == 2


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
    text = (
        "on: pull_request\nconcurrency:\n  group: \"${{ github.pull_request.number || github.sha }}\"\n  cancel-in-progress: true\n"
        "jobs:\n  test:\n    runs-on: ubuntu-latest\n    concurrency: {group: 'j-${{ github.pull_request.head.ref || github.run_id }}', cancel-in-progress: true}\n"
        "    steps: [{run: make}]\n"
    )
    outcome = sc.check_text(Source.from_bytes("ci.yml", text.encode()), sc.all_fixes_settings())
    assert (outcome.kind, outcome.problems) == ("", [])
    assert outcome.fixes["concurrency-group-never-matches"] == 2
