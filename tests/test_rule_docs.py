"""Every rule has a page in rules/, and every page's examples hold.

For each page ``rules/<slug>.md`` (format in CONTRIBUTING.md):
- the *Example* block, linted with only that rule selected, gives at least one finding,
  all of that rule;
- the *Use instead* block gives no finding;
- the *Fix* section starts with the rule's fix safety (Safe / Unsafe / None); with a fix,
  applying the rule's fixes (unsafe included) to its first block gives its second block
  byte for byte;
- the *Options* section names every option of the rule.

Rules whose Example cannot be checked that way, and how each is checked instead:
- ``internal-error``: the engine reports it when a rule raises, whatever the YAML; its
  Example is linted with a deliberately crashing rule added to the selection, its
  Use-instead block with the default rules.
- ``unused-suppression``: it judges other rules' suppression comments, so its blocks are
  linted with the default rules selected too (only its own findings may appear).

Rules whose fix needs a fact about the repository get it as an option (``OPTIONS``):
``duplicate-triggers`` writes the default branch, which it never guesses.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List

import pytest

from wflint.cli import main
from wflint.engine import Settings, lint_source
from wflint.fixer import fix_source
from wflint.finding import Safety
from wflint.rules import Rule, all_rules
from wflint.source import Source

PAGES = Path(__file__).resolve().parents[1] / "rules"
SECTIONS = ["What it does", "Why it costs", "Example", "Use instead", "Fix", "Options"]
OPTIONAL = ["Precision on real workflows", "Precision review", "Cost"]
# Rules whose findings carry a stake (wflint.stake) say under "Cost" how it is priced.
PRICED = {"missing-concurrency", "missing-path-filters", "duplicate-triggers", "tag-push-ignores-paths",
          "cron-too-frequent", "missing-dependency-cache", "cancel-in-progress-on-release",
          "concurrency-group-too-broad", "reusable-workflow-concurrency", "expensive-runner",
          "checkout-full-history", "matrix-fail-fast-disabled", "artifact-retention", "missing-timeout"}
FIX_WORD = {None: "None", Safety.SAFE: "Safe", Safety.UNSAFE: "Unsafe"}
PATH = ".github/workflows/example.yml"


def _crash(wf, ctx):
    raise RuntimeError("deliberate failure for the documentation test")
    yield  # pragma: no cover


CRASHING = Rule(code="TST999", slug="crashing-rule", summary="raises", check=_crash)

def _defaults(rule: Rule) -> List[Rule]:
    return [r for r in all_rules() if r.default and r.slug != rule.slug]


# slug -> (extra rules for the Example and Fix blocks, extra rules for the Use-instead block)
SPECIAL = {
    "internal-error": (lambda rule: [CRASHING], _defaults),
    "unused-suppression": (_defaults, _defaults),
}

OPTIONS = {"duplicate-triggers": {"default-branch": "main"}}
RULES = {rule.slug: rule for rule in all_rules()}
PAGE_SLUGS = sorted(p.stem for p in PAGES.glob("*.md"))


def parse(text: str) -> Dict[str, str]:
    """``{"title": ..., "summary": ..., <section>: <body>}`` of a page."""
    lines = text.splitlines(keepends=True)
    assert lines and lines[0].startswith("# "), "the page must start with `# <slug> (<CODE>)`"
    page = {"title": lines[0][2:].strip()}
    current = "summary"
    body: Dict[str, List[str]] = {current: []}
    fenced = False
    for line in lines[1:]:
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            current = line[3:].strip()
            assert current not in body, f"section `{current}` appears twice"
            body[current] = []
            continue
        body[current].append(line)
    page.update({name: "".join(text) for name, text in body.items()})
    page["order"] = [name for name in body if name != "summary"]
    return page


def yaml_blocks(section: str) -> List[str]:
    return re.findall(r"^```ya?ml[ \t]*\n(.*?)^```[ \t]*$", section, flags=re.S | re.M)


def lint(rule: Rule, text: str, clean: bool = False):
    extra = SPECIAL[rule.slug][clean](rule) if rule.slug in SPECIAL else []
    settings = Settings(rules=[rule, *extra], options={rule.slug: OPTIONS[rule.slug]} if rule.slug in OPTIONS else {})
    return settings, lint_source(Source(path=PATH, text=text), settings).findings


@pytest.fixture(params=sorted(set(RULES) | set(PAGE_SLUGS)))
def doc(request):
    slug = request.param
    assert slug in RULES, f"rules/{slug}.md documents no registered rule (see src/wflint/rules/__init__.py)"
    path = PAGES / f"{slug}.md"
    assert path.is_file(), f"rule {slug} has no page: write rules/{slug}.md (format in CONTRIBUTING.md)"
    return RULES[slug], parse(path.read_text(encoding="utf-8"))


def test_page_layout(doc):
    rule, page = doc
    assert page["title"] == f"{rule.slug} ({rule.code})"
    assert page["summary"].strip(), "a one-line summary follows the title"
    assert [s for s in page["order"] if s not in OPTIONAL] == SECTIONS
    if rule.slug in PRICED:
        assert "Cost" in page["order"], "a priced rule's page has a Cost section"
    for name in SECTIONS:
        assert page[name].strip(), f"section `{name}` is empty"
    assert len(yaml_blocks(page["Example"])) == 1, "Example holds exactly one ```yaml block"
    assert len(yaml_blocks(page["Use instead"])) == 1, "Use instead holds exactly one ```yaml block"


def test_example_triggers_only_this_rule(doc):
    rule, page = doc
    (example,) = yaml_blocks(page["Example"])
    _, findings = lint(rule, example)
    assert findings, "the Example block must produce a finding"
    assert {f.slug for f in findings} == {rule.slug}, [f"{f.line}:{f.col} {f.slug}: {f.message}" for f in findings]


def test_use_instead_is_clean(doc):
    rule, page = doc
    (clean,) = yaml_blocks(page["Use instead"])
    _, findings = lint(rule, clean, clean=True)
    assert not findings, [f"{f.line}:{f.col} {f.slug}: {f.message}" for f in findings]


def test_fix_before_after(doc):
    rule, page = doc
    section = page["Fix"].strip()
    word = FIX_WORD[rule.fix]
    first = re.match(r"\W*(\w+)", section)
    assert first and first.group(1) == word, f"the Fix section starts with `{word}`"
    blocks = yaml_blocks(section)
    if rule.fix is None:
        assert not blocks, "a rule without a fix shows no before/after blocks"
        return
    assert len(blocks) == 2, "a rule with a fix shows a Before block then an After block"
    before, after = blocks
    settings, findings = lint(rule, before)
    assert any(f.slug == rule.slug and f.fix is not None for f in findings), "Before must have a fixable finding"
    outcome = fix_source(Source(path=PATH, text=before), settings, unsafe=True)
    assert outcome.error is None
    assert outcome.text == after


def test_options_are_documented(doc):
    rule, page = doc
    for name in rule.options:
        assert f"`{name}`" in page["Options"], f"option `{name}` is not described under Options"
    if not rule.options:
        assert "none" in page["Options"].lower() or "no option" in page["Options"].lower()


def test_wflint_rule_prints_the_page(doc, capsys):
    rule, page = doc
    assert main(["rule", rule.code]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{page['title']}\n")
    assert "\nWhat it does\n" in out and "\nOptions\n" in out
