"""Small helpers for the rule-catalog tests: lint or fix a text with one rule selected."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from wflint.engine import Settings, lint_source
from wflint.finding import Finding
from wflint.fixer import fix_source
from wflint.rules import find
from wflint.source import Source

PATH = ".github/workflows/ci.yml"


def settings(slug: str, options: Optional[Dict[str, Any]] = None, repo_root: Optional[str] = None) -> Settings:
    rule = find(slug)
    assert rule is not None, slug
    return Settings(rules=[rule], options={rule.slug: dict(options or {})}, repo_root=repo_root)


def lint(slug: str, text: str, path: str = PATH, **kwargs) -> List[Finding]:
    findings = lint_source(Source(path=path, text=text), settings(slug, **kwargs)).findings
    assert all(f.slug == find(slug).slug for f in findings), [f.message for f in findings]
    return findings


def fix(slug: str, text: str, path: str = PATH, **kwargs) -> str:
    outcome = fix_source(Source(path=path, text=text), settings(slug, **kwargs), unsafe=True)
    assert outcome.error is None, outcome.error
    assert outcome.withheld == {}, outcome.withheld  # the guard found nothing to withhold
    return outcome.text
