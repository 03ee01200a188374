"""Inline suppression comments, unused-suppression, and fixes that leave suppressions alone."""

from __future__ import annotations

import json
import textwrap

from wflint.stagger import stable_minute
from pathlib import Path

import pytest

from wflint import suppress, yamlnode
from wflint.cli import main
from wflint.engine import Settings, lint_source
from wflint.finding import Edit, Finding, Fix, Safety, Span
from wflint.fixer import fix_source
from wflint.rules import Rule, all_rules, find
from wflint.source import Source

PATH = ".github/workflows/ci.yml"


def settings(*slugs: str) -> Settings:
    rules = [find(s) for s in slugs] if slugs else [r for r in all_rules() if r.default]
    return Settings(rules=rules)


def lint(text: str, *slugs: str):
    return lint_source(Source(path=PATH, text=textwrap.dedent(text)), settings(*slugs)).findings


def found(text: str, *slugs: str):
    return sorted((f.line, f.slug) for f in lint(text, *slugs))


BASE = """\
on:
  push:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make
"""


def test_without_comments_every_rule_reports():
    assert found(BASE) == [(1, "missing-concurrency"), (2, "missing-path-filters"), (4, "missing-timeout")]


def test_trailing_comment_silences_the_named_rules_on_its_line():
    text = BASE.replace("  build:", "  build:  # wflint: ignore[missing-timeout] -- may take hours")
    assert found(text) == [(1, "missing-concurrency"), (2, "missing-path-filters")]
    text = BASE.replace("  push:", "  push: # wflint: ignore[missing-timeout]")  # the wrong line
    assert (4, "missing-timeout") in found(text) and (2, "missing-path-filters") in found(text)


def test_codes_and_several_rules_case_insensitive():
    text = BASE.replace("on:", "on: # wflint: ignore[wfl001,  Missing-Path-Filters]").replace("  push:", "  push: # wflint: ignore[WFL004]")
    assert found(text) == [(4, "missing-timeout")]


def test_own_line_comment_applies_to_the_next_code_line():
    text = BASE.replace("  build:", "  # wflint: ignore[missing-timeout]\n\n  # another comment\n  build:")
    assert found(text) == [(1, "missing-concurrency"), (2, "missing-path-filters")]


def test_own_line_comment_at_the_end_of_the_file_silences_nothing():
    text = BASE + "# wflint: ignore[missing-timeout]\n"
    assert (4, "missing-timeout") in found(text)


def test_ignore_file_anywhere_and_bare_forms():
    text = BASE + "# wflint: ignore-file[missing-timeout, missing-concurrency]\n"
    assert found(text) == [(2, "missing-path-filters")]
    assert found(BASE.replace("jobs:", "jobs: # wflint: ignore-file")) == []
    assert found(BASE.replace("  push:", "  push:  # wflint: ignore")) == [(1, "missing-concurrency"), (4, "missing-timeout")]


def test_the_directive_starts_with_its_own_hash_anywhere_in_a_comment():
    text = BASE.replace("  build:", "  build: # see wflint: ignore[missing-timeout]")
    assert (4, "missing-timeout") in found(text)
    text = BASE.replace("  build:", "  build: # yamllint disable-line rule:truthy # wflint: ignore[missing-timeout]")
    assert (4, "missing-timeout") not in found(text)
    text = BASE.replace("  build:", "  # a note # wflint: ignore[missing-timeout]\n  build:")
    assert (4, "missing-timeout") not in found(text)


def test_text_inside_scalars_is_not_a_suppression():
    text = """\
    on:
      push:
    jobs:
      build:
        runs-on: ubuntu-latest
        steps:
          - run: |
              echo "# wflint: ignore-file"
              # wflint: ignore-file
          - run: "echo \\
              # wflint: ignore-file"
          - run: 'echo # wflint: ignore-file'
          - run: echo#wflint:ignore-file
    """
    assert found(text) == [(1, "missing-concurrency"), (2, "missing-path-filters"), (4, "missing-timeout")]


def test_comment_on_a_block_scalar_header_is_a_real_comment():
    text = """\
    on:
      schedule:
        - cron: >-  # wflint: ignore[cron-too-frequent]
            */5 * * * *
    jobs: {}
    """
    assert found(text, "cron-too-frequent") == []
    assert found(text.replace("# wflint: ignore[cron-too-frequent]", ""), "cron-too-frequent") == [(3, "cron-too-frequent")]


def test_load_errors_are_never_suppressed():
    assert found("# wflint: ignore-file\non: [push\n") == [(3, "invalid-yaml")]


def _boom(wf, ctx):
    raise ValueError("boom")
    yield  # pragma: no cover


def test_internal_errors_are_never_suppressed():
    crashing = Rule(code="TST001", slug="crashing", summary="x", check=_boom)
    source = Source(path=PATH, text="# wflint: ignore-file\n" + BASE)
    findings = lint_source(source, Settings(rules=[crashing])).findings
    assert [f.slug for f in findings] == ["internal-error"]


# -- unused-suppression --------------------------------------------------------------


def strict(text: str, *slugs: str):
    rules = [find(s) for s in slugs] if slugs else [r for r in all_rules() if r.default]
    result = lint_source(Source(path=PATH, text=textwrap.dedent(text)), Settings(rules=[*rules, find("unused-suppression")]))
    return [(f.line, f.col, f.message) for f in result.findings if f.slug == "unused-suppression"]


def test_unused_suppressions_are_reported_at_the_comment():
    text = BASE.replace("    runs-on: ubuntu-latest", "    runs-on: ubuntu-latest  # wflint: ignore[missing-timeout, nonsense]")
    assert sorted(strict(text)) == [
        (5, 29, "Suppression names `nonsense`, which is not a known rule."),
        (5, 29, "Suppression of `missing-timeout` silences nothing on line 5."),
    ]
    used = BASE.replace("  build:", "  # wflint: ignore[missing-timeout]\n  build:")
    assert strict(used) == []
    assert strict(BASE + "# wflint: ignore-file[cron-too-frequent]\n") == [
        (8, 1, "Suppression of `cron-too-frequent` silences nothing in this file.")
    ]
    assert strict(BASE.replace("jobs:", "jobs: # wflint: ignore")) == [(3, 7, "Suppression `wflint: ignore` silences nothing on line 3.")]
    assert strict(BASE.replace("jobs:", "jobs: # wflint: ignore[]")) == [(3, 7, "Suppression `wflint: ignore[]` names no rule, so it silences nothing.")]


def test_rules_that_did_not_run_are_not_reported_as_unused():
    text = BASE.replace("  build:", "  build:  # wflint: ignore[missing-timeout]")
    assert strict(text, "missing-concurrency") == []


def test_unused_suppression_is_off_by_default_and_on_with_strict(tmp_path, capsys, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "ci.yml").write_text(BASE.replace("jobs:", "jobs: # wflint: ignore[missing-timeout]"))
    monkeypatch.chdir(tmp_path)
    main(["--no-cache", "--format", "json", "ci.yml"])
    assert "unused-suppression" not in capsys.readouterr().out
    main(["--no-cache", "--format", "json", "--strict", "ci.yml"])
    data = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["line"], f["column"]) for f in data["findings"] if f["slug"] == "unused-suppression"] == [("WFL903", 3, 7)]


# -- fixes never remove or move a suppression ---------------------------------------


def fixed(text: str, *slugs: str) -> str:
    return fix_source(Source(path=PATH, text=textwrap.dedent(text)), settings(*slugs), unsafe=True).text


def test_fix_editing_a_line_that_carries_a_suppression_for_another_rule():
    text = """\
    on:
      push:  # wflint: ignore[missing-path-filters]
      schedule:
        - cron: '*/5 * * * *'  # wflint: ignore[invalid-cron] -- keep this comment
    jobs:
      build:  # wflint: ignore[missing-concurrency]
        runs-on: ubuntu-latest  # wflint: ignore[duplicate-key]
        # wflint: ignore[cron-too-frequent]
        steps:
          - run: make
    """
    from wflint.rules.missing_concurrency import EVENT_GROUP

    out = fixed(text, "cron-too-frequent", "missing-timeout", "missing-path-filters", "missing-concurrency")
    assert out == textwrap.dedent(
        """\
        on:
          push:  # wflint: ignore[missing-path-filters]
          schedule:
            - cron: '{STEP}-59/15 * * * *'  # wflint: ignore[invalid-cron] -- keep this comment
        concurrency:
          group: EVENT_GROUP
          cancel-in-progress: ${{ github.event_name == 'pull_request' }}
        jobs:
          build:  # wflint: ignore[missing-concurrency]
            runs-on: ubuntu-latest  # wflint: ignore[duplicate-key]
            timeout-minutes: 30
            # wflint: ignore[cron-too-frequent]
            steps:
              - run: make
        """
    ).replace("EVENT_GROUP", EVENT_GROUP).replace("{STEP}", str(stable_minute("", PATH, 5)))  # scheduled runs: each in a group of its own; the stagger engine's offset


def _line_eater(wf, ctx):
    """A rule whose fix deletes line 3 (a suppression comment) — it must not be applied."""
    start = wf.source.line_starts[2]
    end = wf.source.line_starts[3]
    yield Finding(span=Span(start, start), message="eat", fix=Fix("eat a line", (Edit(start, end, ""),), Safety.SAFE))


def _wedge(wf, ctx):
    """A rule whose fix inserts a line between an own-line suppression and its target."""
    at = wf.source.line_starts[3]
    yield Finding(span=Span(at, at), message="wedge", fix=Fix("wedge a line", (Edit.insert(at, "  x: 1\n"),), Safety.SAFE))


@pytest.mark.parametrize("check", [_line_eater, _wedge])
def test_fixes_that_would_remove_or_move_a_suppression_are_not_applied(check):
    rule = Rule(code="TST002", slug="editor", summary="x", check=check, fix=Safety.SAFE)
    text = "on: push\njobs:\n  # wflint: ignore[missing-timeout]\n  build:\n    runs-on: x\n"
    outcome = fix_source(Source(path=PATH, text=text), Settings(rules=[rule, find("missing-timeout")]), unsafe=True)
    assert outcome.text == text
    assert [f.slug for f in outcome.result.findings] == ["editor"]


def test_edit_conflicts():
    source = Source(path=PATH, text="a: 1  # wflint: ignore[x] why\n# wflint: ignore[y]\n\nb: 2\n")
    trailing, own = suppress.scan(source, yamlnode.compose(source.text))
    assert (trailing.target, own.target) == (1, 4)
    assert not suppress.edit_conflicts(Edit(3, 4, "2"), trailing)  # the value before the comment
    assert not suppress.edit_conflicts(Edit.insert(29, "\nc: 3"), trailing)  # a new line after it
    assert suppress.edit_conflicts(Edit.insert(29, " more"), trailing)  # appended to the comment
    assert suppress.edit_conflicts(Edit(10, 12, ""), trailing)
    assert not suppress.edit_conflicts(Edit.insert(30, "c: 3\n"), own)  # before the comment's line
    assert suppress.edit_conflicts(Edit.insert(50, "c: 3\n"), own)  # in the blank line
    assert suppress.edit_conflicts(Edit.insert(51, "c: 3\n"), own)  # right before its target
    assert not suppress.edit_conflicts(Edit(51, 55, "b: 3"), own)  # the target line itself


def test_ignore_findings_and_per_file_ignores_in_the_engine(tmp_path):
    s = settings()
    s.repo_root = str(tmp_path)
    s.cwd = str(tmp_path)
    s.ignore_findings = [suppress.FindingIgnore("missing-timeout", PATH, 4, 3)]
    s.per_file_ignores = [(".github/*/ci.yml", frozenset({"missing-concurrency"}))]
    assert sorted((f.line, f.slug) for f in lint_source(Source(path=PATH, text=BASE), s).findings) == [(2, "missing-path-filters")]
    s.ignore_findings = [suppress.FindingIgnore("missing-timeout", PATH, 4, 4)]  # the wrong column
    assert (4, "missing-timeout") in [(f.line, f.slug) for f in lint_source(Source(path=PATH, text=BASE), s).findings]


def test_readme_suppression_example():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Suppressing findings\n", 1)[1].split("\n## ", 1)[0]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert found(example) == [(1, "missing-concurrency")]
    assert strict(example) == [(9, 1, "Suppression of `cron-too-frequent` silences nothing in this file.")]


def test_suppressed_findings_are_not_fixed():
    text = BASE.replace("  build:", "  build:  # wflint: ignore[missing-timeout]")
    out = fixed(text, "missing-timeout", "missing-concurrency")
    assert "timeout-minutes" not in out and "concurrency:" in out
    assert "  build:  # wflint: ignore[missing-timeout]\n" in out
