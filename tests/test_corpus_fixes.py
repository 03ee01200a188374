"""Every file of the real-world corpus: no crash, fixes that touch only their lines, stable results.

Skipped when ../shared/corpus is absent (a clone of this repository alone).
"""

import collections
import os
import shutil
import subprocess

import pytest

from helpers import CORPUS
from wflint.cli import main
from wflint.engine import lint_source, settings_for as _settings_for
from wflint.fixer import applicable, fix_source
from wflint.source import Source

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/workflows is absent (clone without shared data)")


def settings_for():
    """The default rules plus the example rules that are opt-in without history, chosen by
    name: the module-scoped fixture below is built before tests/conftest.py's per-test switch."""
    from wflint.rules import all_rules

    return _settings_for(select=[r.slug for r in all_rules()
                                 if r.default or r.slug in ("missing-concurrency", "missing-path-filters", "missing-timeout")])


def corpus_files():
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml"))


def untouched_lines_survive(before: str, edits, after: str) -> int:
    """Check that every line of ``before`` that no edit touches is in ``after`` unchanged; return their count."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    checked = 0
    offset = 0
    for line in before.splitlines(keepends=True):
        start, end = offset, offset + len(line)
        offset = end
        touched = any(
            (e.start < end and e.end > start and e.end != e.start) or (start < e.start < end) for e in ordered
        )
        if touched:
            continue
        shift = sum(len(e.content) - (e.end - e.start) for e in ordered if e.end <= start)
        assert after[start + shift : end + shift] == line, (start, line)
        checked += 1
    return checked


@pytest.fixture(scope="module")
def outcomes():
    settings = settings_for()
    results = {}
    for path in corpus_files():
        source = Source.from_bytes(str(path), path.read_bytes())
        results[path] = (source, fix_source(source, settings, unsafe=True))
    return results


def test_every_file_lints_and_fixes_without_error(outcomes):
    counts = collections.Counter()
    for path, (source, outcome) in outcomes.items():
        assert outcome.error is None, (path, outcome.error)
        assert outcome.withheld == {}, (path, outcome.withheld)  # the guard never fires on the corpus
        assert not outcome.result.internal_error, path
        counts["files"] += 1
        counts["changed"] += outcome.changed
        counts["fixed"] += len(outcome.fixed)
    assert counts["files"] > 2000 and counts["changed"] > 1000, counts


def test_lines_outside_edits_are_byte_identical(outcomes):
    for path, (source, outcome) in outcomes.items():
        for (before, edits), after in zip(outcome.passes, [p[0] for p in outcome.passes[1:]] + [outcome.text]):
            newline = source.newline
            # edits are applied with the file's line ending
            normalised = [type(e)(e.start, e.end, e.content.replace("\n", newline)) for e in edits] if newline != "\n" else edits
            untouched_lines_survive(before, normalised, after)


def test_fixed_files_load_and_no_fixable_finding_is_left(outcomes):
    settings = settings_for()
    for path, (source, outcome) in outcomes.items():
        if not outcome.changed:
            continue
        final = lint_source(Source(path=str(path), text=outcome.text), settings)
        assert not final.load_error, path
        assert not [f for f in final.findings if applicable(f, True)], path
        before = collections.Counter(f.slug for f in lint_source(source, settings).findings)
        after = collections.Counter(f.slug for f in final.findings)
        fixed = collections.Counter(f.slug for f in outcome.fixed)
        assert after == before - fixed, path


def test_second_fix_is_a_no_op(outcomes):
    settings = settings_for()
    for path, (source, outcome) in outcomes.items():
        if outcome.changed:
            again = fix_source(Source(path=str(path), text=outcome.text, bom=source.bom, encoding=source.encoding), settings, unsafe=True)
            assert not again.changed, path


def test_diff_applied_equals_fix(tmp_path, capsys, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    diffed = tmp_path / "diffed"
    fixed = tmp_path / "fixed"
    shutil.copytree(CORPUS, diffed)
    shutil.copytree(CORPUS, fixed)
    for root in (diffed, fixed):
        for dirpath, _, files in os.walk(root):
            for name in files:
                os.chmod(os.path.join(dirpath, name), 0o644)
    monkeypatch.chdir(diffed)
    main(["--no-cache", "--diff", "--unsafe-fixes", "."])
    out = capsys.readouterr().out
    patch = out[: out.rindex("\n", 0, len(out) - 1) + 1]
    subprocess.run(["git", "apply", "--unsafe-paths", "-"], input=patch.encode(), check=True, cwd=diffed)
    monkeypatch.chdir(fixed)
    main(["--no-cache", "--fix", "--unsafe-fixes", "."])
    capsys.readouterr()
    for path in corpus_files():
        rel = path.relative_to(CORPUS)
        assert (diffed / rel).read_bytes() == (fixed / rel).read_bytes(), rel
