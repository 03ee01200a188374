"""The fixer's run-time guard: a fix whose result means more than its rule's declared intent,
repeats a key, does not load, or would change the file again, is withheld; its finding stays
with a one-line note, the other fixes still apply, and the run exits 1 (not 2).
And ``wflint --fix -`` always writes the workflow on standard output."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import pytest

from wflint import runner
from wflint.discovery import STDIN, Target
from wflint.engine import Settings
from wflint.finding import Edit, Fix
from wflint.fixer import fix_source
from wflint.report import render
from wflint.rules import missing_concurrency, missing_timeout
from wflint.source import Source

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
TEXT = "name: CI\non: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n"


def _concurrency_that(extra):
    """missing-concurrency whose fix also makes the edits ``extra(wf)``."""

    def check(wf, ctx):
        for finding in missing_concurrency.check(wf, dataclasses.replace(ctx, defer_fixes=False)):  # its fix built now
            yield dataclasses.replace(finding, fix=Fix(finding.fix.title, finding.fix.edits + tuple(extra(wf))))

    return dataclasses.replace(missing_concurrency.RULE, check=check)


def _settings(*rules):
    return Settings(rules=list(rules))


def _withheld(rule, text=TEXT):
    outcome = fix_source(Source(path="ci.yml", text=text), _settings(rule, missing_timeout.RULE), unsafe=True)
    assert outcome.error is None
    return outcome


def test_a_fix_that_changes_another_key_is_withheld_and_the_others_apply():
    outcome = _withheld(_concurrency_that(lambda wf: [Edit(6, 8, "Build")]))
    (reason,) = outcome.withheld.values()
    assert reason == "it would change what the workflow does (at .name: expected 'CI', got 'Build')"
    assert "concurrency" not in outcome.text and outcome.text.startswith("name: CI\n")
    assert "    timeout-minutes: 30\n" in outcome.text  # missing-timeout's fix still applied
    assert [f.slug for f in outcome.fixed] == ["missing-timeout"]


def test_a_fix_that_repeats_a_key_is_withheld():
    outcome = _withheld(_concurrency_that(lambda wf: [Edit.insert(len(TEXT), "name: again\n")]))
    assert list(outcome.withheld.values()) == ["it would write a key twice in one mapping"]


def test_a_fix_whose_result_does_not_load_is_withheld():
    outcome = _withheld(_concurrency_that(lambda wf: [Edit.insert(0, "[")]))
    (reason,) = outcome.withheld.values()
    assert reason.startswith("the result would not load")
    assert "timeout-minutes" in outcome.text


def test_a_fix_that_leaves_its_finding_is_withheld():
    def check(wf, ctx):
        for finding in missing_timeout.check(wf, dataclasses.replace(ctx, defer_fixes=False)):  # a "fix" that adds a comment only
            yield dataclasses.replace(finding, fix=Fix("comment", (Edit.insert(0, "# x\n"),), finding.fix.safety))

    rule = dataclasses.replace(missing_timeout.RULE, check=check, intent=lambda *args: None)  # "changes nothing"
    outcome = fix_source(Source(path="ci.yml", text=TEXT), _settings(rule), unsafe=True)
    assert list(outcome.withheld.values()) == ["its finding would still be there, so every run would change the file again"]
    assert not outcome.changed


def test_a_fix_without_intent_is_withheld():
    rule = dataclasses.replace(missing_concurrency.RULE, slug="plugin-rule", intent=None)
    outcome = fix_source(Source(path="ci.yml", text=TEXT), _settings(rule), unsafe=True)
    assert list(outcome.withheld.values()) == ["rule plugin-rule declares no intent for its fix, so its result cannot be checked"]


def _report(rule, fmt):
    opts = runner.RunOptions(settings=_settings(rule, missing_timeout.RULE), fix=True, unsafe_fixes=True, stdin=TEXT.encode())
    report = runner.RunReport(files=[runner.check_file(Target(path=STDIN, display="-"), opts)])
    return report, render(fmt, report, colour=False, verbose=False, settings=opts.settings, warn=lambda m: None)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_the_note_is_in_every_format_and_the_run_is_not_an_error(fmt):
    report, out = _report(_concurrency_that(lambda wf: [Edit(6, 8, "Build")]), fmt)
    assert not report.has_errors  # exit 1 for the finding left, not 2
    (finding,) = report.findings
    assert finding.slug == "missing-concurrency" and finding.fix is None
    assert finding.message.endswith("Fix withheld: it would change what the workflow does (at .name: expected 'CI', got 'Build').")
    assert finding.properties["fix_withheld"].startswith("it would change")
    note = "Fix withheld: it would change what the workflow does"
    assert note in (out if fmt != "json" else json.dumps(json.loads(out)))
    assert b"timeout-minutes: 30" in report.files[0].fixed_text


# -- `--fix -` -------------------------------------------------------------------------------


def _stdin(data: bytes, *args):
    env = {**os.environ, "PYTHONPATH": SRC}
    example_rules = ["--extend-select", "missing-concurrency,missing-path-filters,missing-timeout"]  # as tests/conftest.py in-process
    return subprocess.run([sys.executable, "-m", "wflint", "--no-cache", "--min-savings", "0", *example_rules, *args, "-"],
                          input=data, capture_output=True, env=env, timeout=60)


@pytest.mark.parametrize(
    "data, code",
    [
        (b"on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n      - run: make\n", 0),  # clean
        (b"on: workflow_dispatch\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: make\n", 1),  # only an unsafe fix
        (b"on: [push\njobs: {}\n", 2),  # invalid YAML
        (b"on: push\xff\njobs: {}\n", 2),  # not UTF-8
        (b"# Code generated by x. DO NOT EDIT.\non: push\njobs:\n  a:\n    runs-on: x\n", 1),  # generated
        (b"on: push\r\njobs: {}", 1),  # a safe fix applies (CRLF kept); an unsafe one is left
    ],
)
def test_fix_stdin_always_writes_the_workflow(data, code):
    proc = _stdin(data, "--fix")
    assert proc.returncode == code, proc.stderr
    if b"jobs: {}" in data and b"\r\n" in data:
        assert proc.stdout.startswith(b"on: push\r\nconcurrency:\r\n")
    else:
        assert proc.stdout == data
    assert proc.stderr  # the report


def test_fix_stdin_too_large_is_written_back_whole():
    data = b"on: push\njobs: {}\n" + b"#" * (3 * 1024 * 1024) + b"\n"
    proc = _stdin(data, "--fix")
    assert proc.returncode == 2 and proc.stdout == data
    assert b"too large" in proc.stderr
