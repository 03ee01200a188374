"""The catalog rules over the real-workflow corpus: no rule fails, and every fix gives a
workflow that loads, with the fixed finding gone, touching only the finding's lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from wflint.engine import Settings, lint_source, read_source
from wflint.fixer import fix_source
from wflint.rules import find

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "workflows"
CATALOG = [f"WFL{n:03d}" for n in range(6, 18)]
FIXABLE = ["WFL006", "WFL008", "WFL009", "WFL012"]
# The corpus has no `.git`: duplicate-triggers, which never guesses the default branch, is told it.
OPTIONS = {"duplicate-triggers": {"default-branch": "main"}}
# Fixes each rule must make on the corpus; cancel-in-progress-on-release has 9 findings in all
# since whole-site deploys (Pages, Cloudflare) stopped counting as releases.
MIN_FIXED = {"WFL009": 9}

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"real-workflow corpus not found at {CORPUS}")


@pytest.fixture(scope="module")
def linted():
    """(source, findings) for every corpus file, all catalog rules selected at once."""
    settings = Settings(rules=[find(code) for code in CATALOG], options=OPTIONS)
    out = []
    for path in sorted(CORPUS.rglob("*.y*ml")):
        source = read_source(str(path), str(path.relative_to(CORPUS)))
        out.append((source, lint_source(source, settings).findings))
    return out


def test_catalog_rules_never_fail_on_the_corpus(linted):
    failures = [f"{f.path}: {f.message}" for _, findings in linted for f in findings if f.slug == "internal-error"]
    assert not failures, failures[:5]


@pytest.mark.parametrize("code", FIXABLE)
def test_catalog_fixes_on_the_corpus(linted, code):
    settings = Settings(rules=[find(code)], options=OPTIONS)
    fixed = 0
    for source, findings in linted:
        if not any(f.code == code and f.fix for f in findings):
            continue
        first = lint_source(source, settings)
        outcome = fix_source(source, settings, unsafe=True, first=first)
        assert outcome.error is None, f"{source.path}: {outcome.error}"
        assert not [f for f in outcome.result.findings if f.fix], source.path
        # edits insert, or replace text only on the finding's lines (for `on:` rewrites, in `on:`)
        wf = first.workflow
        on_lines = (source.linecol(wf.on_key.start_mark.index)[0], source.linecol(wf.on_value.end_mark.index)[0])
        for finding in first.findings:
            for edit in finding.fix.edits if finding.fix else ():
                if edit.start == edit.end:
                    continue
                lines = (source.linecol(edit.start)[0], source.linecol(edit.end)[0])
                allowed = on_lines if code == "WFL006" else (finding.line, finding.end_line)
                assert allowed[0] <= lines[0] <= lines[1] <= allowed[1], f"{source.path}: {edit}"
        fixed += 1
    assert fixed >= MIN_FIXED.get(code, 10)
