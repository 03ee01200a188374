"""Suppression comments on real workflows: each finding silenced by a comment on its own line.

For every third corpus file, a `# wflint: ignore[<slug>]` comment is appended to the line of each
finding; the file is linted again: those findings are gone, every other finding is unchanged,
and no suppression is unused.  Skipped when ../shared/corpus is absent.
"""

import collections

import pytest

from helpers import CORPUS
from wflint.engine import Settings, lint_source
from wflint.rules import all_rules, find
from wflint.source import Source

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/workflows is absent (clone without shared data)")


def test_a_trailing_comment_silences_each_finding_on_real_workflows():
    rules = [r for r in all_rules() if r.default] + [find("unused-suppression")]
    settings = Settings(rules=rules)
    stats = collections.Counter()
    # Every third file keeps the test quick; the files are varied enough for that.
    for path in sorted(p for p in CORPUS.rglob("*") if p.suffix in (".yml", ".yaml"))[::3]:
        try:
            source = Source.from_bytes(str(path), path.read_bytes())
        except ValueError:
            continue
        result = lint_source(source, settings)
        if result.load_error or not result.findings:
            continue
        by_line = collections.defaultdict(set)
        for f in result.findings:
            by_line[f.line].add(f.slug)
        lines = source.text.split("\n")
        for number, slugs in by_line.items():
            lines[number - 1] = lines[number - 1].rstrip("\r") + "  # wflint: ignore[" + ", ".join(sorted(slugs)) + "]" + (
                "\r" if lines[number - 1].endswith("\r") else ""
            )
        commented = Source(path=source.path, text="\n".join(lines))
        again = lint_source(commented, settings)
        if again.load_error or len(again.directives) != len(by_line):
            # A line ends inside a multi-line scalar, where `#` is text, not a comment:
            # nothing to check in this file.
            stats["skipped"] += 1
            continue
        assert again.findings == [], (path, [(f.line, f.slug, f.message) for f in again.findings])
        stats["files"] += 1
        stats["silenced"] += len(result.findings)
    assert stats["files"] > 0.99 * (stats["files"] + stats["skipped"]) and stats["silenced"] > 500, stats
