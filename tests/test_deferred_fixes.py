"""A finding's fix is built only when the finding is reported (rules.base.fix_later)."""

import dataclasses

import pytest

from wflint.engine import Settings, lint_source
from wflint.finding import Fix, LaterFix
from wflint.rules import missing_timeout
from wflint.rules.base import Context, fix_later
from wflint.source import Source
from wflint.workflow import build
from wflint import yamlnode as yn

CHEAP = "on: workflow_dispatch\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"
BUSY = "on: [push, pull_request]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n"


@pytest.fixture
def built(monkeypatch):
    calls = []
    real = missing_timeout._fix

    def counting(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(missing_timeout, "_fix", counting)
    return calls


@pytest.mark.min_savings
def test_a_hidden_finding_never_builds_its_fix(built):
    settings = Settings(rules=[missing_timeout.RULE], extra={"cost": {"min-savings": "default"}})  # the shipped bars
    result = lint_source(Source(path="ci.yml", text=CHEAP), settings)
    assert not result.findings and [f.slug for f in result.hidden] == ["missing-timeout"]
    assert result.hidden[0].fix is None and built == []


def test_a_reported_finding_has_its_fix_built(built):
    result = lint_source(Source(path="ci.yml", text=BUSY), Settings(rules=[missing_timeout.RULE]))
    (finding,) = result.findings
    assert isinstance(finding.fix, Fix) and finding.fix.edits and len(built) == 1


def test_outside_the_engine_a_rule_builds_its_fix_at_once():
    wf = build(Source(path="ci.yml", text=BUSY), yn.compose(BUSY))
    (finding,) = missing_timeout.check(wf, Context(options=dict(missing_timeout.RULE.options)))
    assert isinstance(finding.fix, Fix)
    assert isinstance(fix_later(Context(defer_fixes=True), lambda: None), LaterFix)
    assert fix_later(Context(), lambda: None) is None


def test_a_fix_that_fails_to_build_is_an_internal_error_and_the_rest_stays(monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("in a fix")

    monkeypatch.setattr(missing_timeout, "_fix", broken)
    text = BUSY.replace("  a:\n", "  a:\n    timeout-minutes: 5\n") + "  b:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n"
    other = dataclasses.replace(missing_timeout.RULE, code="WFL997", slug="timeout-copy", check=lambda wf, ctx: iter(()))
    result = lint_source(Source(path="ci.yml", text=text), Settings(rules=[missing_timeout.RULE, other]))
    assert result.internal_error
    (failure,) = result.findings
    assert failure.slug == "internal-error" and "Rule WFL003 (missing-timeout) failed on this file: ZeroDivisionError" in failure.message
