"""Fixes change exactly the data they intend: checked over the real-workflow corpus and on crafted files."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import sys

import pytest

from wflint.engine import Settings
from wflint.finding import Edit, Fix
from wflint.rules import missing_concurrency
from wflint.source import Source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "workflows")


def _load_script():
    spec = importlib.util.spec_from_file_location("wflint_semantic_check", os.path.join(ROOT, "scripts", "semantic_check.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


sc = _load_script()

WORKFLOW = """\
\ufeffname: CI   # keep me
on: [push, pull_request]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps: [{run: make test}]
  nightly: {runs-on: ubuntu-latest}
"""


@pytest.mark.skipif(not os.path.isdir(CORPUS), reason="../shared/corpus/workflows is absent")
def test_every_fix_on_the_corpus_changes_exactly_what_it_intends():
    summary = sc.run(CORPUS)
    counts = summary["counts"]
    assert summary["failures"] == []
    assert counts["files"] > 2000 and counts["crash"] == 0 and counts["idempotence"] == 0
    assert sum(summary["fixes"].values()) > 1000  # the check did check something


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_crafted_workflow_all_fixes(newline):
    text = WORKFLOW.replace("\n", newline)
    source = Source.from_bytes("ci.yml", text.encode("utf-8"))
    outcome = sc.check_text(source, sc.all_fixes_settings())
    assert (outcome.kind, outcome.problems) == ("", [])
    expected = {"missing-concurrency": 1, "missing-timeout": 2, "missing-path-filters": 1}  # the push: duplicate-triggers
    assert {slug: outcome.fixes[slug] for slug in expected} == expected  # other rules may fix more


def test_schedule_fix_is_checked():
    text = "on:\n  schedule:\n    - cron: '*/5 * * * 1-5'  # weekdays\njobs: {}\n"
    outcome = sc.check_text(Source(path="s.yml", text=text), sc.all_fixes_settings())
    assert (outcome.kind, outcome.problems) == ("", [])
    assert outcome.fixes["cron-too-frequent"] == 1


def _with_extra_edit(extra):
    """missing-concurrency whose fix also makes ``extra(wf)`` edit: a fix that does more than it says."""

    def check(wf, ctx):
        for finding in missing_concurrency.check(wf, dataclasses.replace(ctx, defer_fixes=False)):  # its fix built now
            yield dataclasses.replace(finding, fix=Fix(finding.fix.title, finding.fix.edits + (extra(wf),)))

    return dataclasses.replace(missing_concurrency.RULE, check=check)


def test_a_fix_that_changes_another_key_is_caught():
    text = "name: CI\non: push\njobs: {}\n"
    rule = _with_extra_edit(lambda wf: Edit(6, 8, "Build"))
    outcome = sc.check_text(Source(path="x.yml", text=text), Settings(rules=[rule]))
    assert outcome.kind == "semantic"
    assert outcome.problems == ["at .name: expected 'CI', got 'Build'"]


def test_a_fix_without_declared_intent_is_caught():
    rule = dataclasses.replace(missing_concurrency.RULE, slug="some-new-rule", intent=None)
    outcome = sc.check_text(Source(path="x.yml", text="on: push\njobs: {}\n"), Settings(rules=[rule]))
    assert (outcome.kind, outcome.problems) == ("semantic", ["no intent declared for the fix of some-new-rule"])


def test_changed_line_outside_the_edits_is_caught():
    before = Source(path="x.yml", text="a: 1\nb: 'x'\nc: 3\n")
    after = "a: 1\nb: \"x\"\nc: 3\nd: 4\n"
    assert sc.check_bytes(before, after, [Edit.insert(18, "d: 4\n")]) == "line 2 changed but no edit touches it: \"b: 'x'\\n\""
    assert sc.check_bytes(before, "a: 1\nb: 'x'\nc: 3\nd: 4\n", [Edit.insert(18, "d: 4\n")]) is None


def test_mixed_line_endings_in_an_insertion_are_caught():
    before = Source(path="x.yml", text="a: 1\r\n")
    assert sc.check_bytes(before, "a: 1\r\nb: 2\r\r\n", [Edit.insert(6, "b: 2\r\n")]) == "inserted text mixes line endings"
