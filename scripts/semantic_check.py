"""Prove that fixes change exactly what they say, over a folder of real workflows.

For every file, fixes are applied pass by pass (all rules, unsafe fixes too) the
way ``fixer.fix_source`` does, and each pass is checked:

* semantics: the plain data of the fixed text (``yamlnode.to_data``) equals the
  plain data of the text before, with exactly the change each applied fix
  intends (each rule's ``Rule.intent``, see ``wflint.intent``) and nothing else;
* bytes: every line the pass's edits do not touch is still there, byte for byte
  and in order; inserted text uses the file's own line ending;
* the result loads.

Then the final text must equal ``fix_source``'s, and fixing it again must change
nothing (idempotence).  Usage::

    python scripts/semantic_check.py ../shared/corpus/workflows
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional

if __name__ == "__main__":  # run from a checkout: use its sources
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

from wflint import yamlnode as yn
from wflint.engine import Settings, lint_source
from wflint.fixer import MAX_PASSES, apply_edits, choose, fix_source, fixable
from wflint.intent import Intent, Mismatch, describe
from wflint.rules import all_rules
from wflint.source import DecodeError, Source


def intents(settings: Settings) -> Dict[str, Intent]:
    """Each selected rule's declared intent (``Rule.intent``), by slug."""
    return {rule.slug: rule.intent for rule in settings.rules if rule.intent is not None}


# -- bytes outside the edits ------------------------------------------------------------


def _touched_lines(source: Source, edits) -> set:
    """0-based lines an edit changes (a whole-line insertion at a line start changes none)."""
    starts = set(source.line_starts)
    touched = set()
    for edit in edits:
        first = source.linecol(edit.start)[0] - 1
        if edit.start == edit.end and edit.start in starts and edit.content.endswith("\n"):
            continue
        last = source.linecol(max(edit.start, edit.end - 1))[0] - 1 if edit.end > edit.start else first
        touched.update(range(first, last + 1))
    return touched


def check_bytes(before: Source, after_text: str, edits) -> Optional[str]:
    """None if every line no edit touches is in the new text, unchanged, where the edits put it.

    Lines are compared as text: the whole file is written back with one codec and
    the original byte-order mark, so equal text lines are equal bytes.
    """
    after = Source(path=before.path, text=after_text, bom=before.bom, encoding=before.encoding)
    if not after.encode().startswith(before.bom):
        return "the byte-order mark was lost"
    newline = before.newline
    shifts = sorted((e.end, len(e.content.replace("\n", newline)) - (e.end - e.start)) for e in edits)
    touched = _touched_lines(before, edits)
    starts = before.line_starts + [len(before.text)]
    for number, (start, end) in enumerate(zip(starts, starts[1:])):
        if number in touched or end == start:
            continue
        at = start + sum(delta for edge, delta in shifts if edge <= start)
        if after_text[at : at + end - start] != before.text[start:end]:
            return f"line {number + 1} changed but no edit touches it: {before.text[start:end]!r}"
    for edit in edits:
        content = edit.content.replace("\n", newline)
        if newline == "\r\n" and re.search(r"(?<!\r)\n|\r(?!\n)", content):
            return "inserted text mixes line endings"
    return None


# -- one file ---------------------------------------------------------------------------


@dataclass
class Outcome:
    fixes: Counter = field(default_factory=Counter)  # by slug
    changed: bool = False
    problems: List[str] = field(default_factory=list)
    kind: str = ""  # "", "semantic", "bytes", "idempotence", "crash", "unreadable", "unloadable", "mismatch"


def check_text(source: Source, settings: Settings) -> Outcome:
    out = Outcome()
    options = {r.slug: r.options_with(settings.options.get(r.slug)) for r in settings.rules}
    current = source
    result = first = lint_source(current, settings)
    if result.load_error:
        out.kind = "unloadable"
        return out
    if not fixable(result):
        out.kind = "not-fixed"  # duplicate keys (GitHub rejects the file) or odd line breaks
        out.changed = fix_source(source, settings, unsafe=True, first=result).changed
        if out.changed:
            out.kind, out.problems = "mismatch", ["fix_source changed a file it must leave alone"]
        return out
    newline = source.newline
    for _ in range(MAX_PASSES):
        edits, fixed = choose(result.findings, unsafe=True)
        if not edits:
            break
        text = apply_edits(current.text, edits, newline)
        candidate = Source(path=source.path, text=text, bom=source.bom, encoding=source.encoding)
        new_result = lint_source(candidate, settings)
        if new_result.load_error:
            out.kind, out.problems = "unloadable-fix", [new_result.findings[0].message]
            return out
        problem = check_bytes(current, text, [e for e in edits])
        if problem:
            out.kind, out.problems = "bytes", [problem]
            return out
        before, after = yn.to_data(result.workflow.root), yn.to_data(new_result.workflow.root)
        expected = copy.deepcopy(before)
        declared = intents(settings)
        try:
            for finding in fixed:
                intent = declared.get(finding.slug)
                if intent is None:
                    raise Mismatch(f"no intent declared for the fix of {finding.slug}")
                intent(expected, result.workflow, finding, options[finding.slug], after)
        except Mismatch as exc:
            out.kind, out.problems = "semantic", [str(exc)]
            return out
        if expected != after:
            out.kind, out.problems = "semantic", [describe(expected, after)]
            return out
        out.fixes.update(f.slug for f in fixed)
        current, result = candidate, new_result
    out.changed = current.text != source.text
    final = fix_source(source, settings, unsafe=True, first=first)
    if final.text != current.text:
        out.kind, out.problems = "mismatch", ["fix_source gave another result than the passes checked here"]
        return out
    again = fix_source(current, settings, unsafe=True, first=result)  # result: the lint of `current`
    if again.changed:
        out.kind, out.problems = "idempotence", [f"a second run fixes {sorted({f.slug for f in again.fixed})}"]
    return out


def check_file(path: str, settings: Settings) -> Outcome:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        source = Source.from_bytes(path, data)
    except DecodeError:
        return Outcome(kind="unreadable")
    try:
        return check_text(source, settings)
    except Exception:  # a crash is a finding of this check, not the end of it
        return Outcome(kind="crash", problems=[traceback.format_exc()])


def all_fixes_settings() -> Settings:
    return Settings(rules=[r for r in all_rules() if not r.system])


def workflow_files(folder: str) -> List[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        found.extend(os.path.join(root, n) for n in sorted(files) if n.endswith((".yml", ".yaml")))
    return found


def run(folder: str) -> Dict[str, object]:
    settings = all_fixes_settings()
    counts: Counter = Counter()
    fixes: Counter = Counter()
    failures: List[str] = []
    started = time.perf_counter()
    for path in workflow_files(folder):
        outcome = check_file(path, settings)
        counts["files"] += 1
        counts["files_changed"] += outcome.changed
        counts[outcome.kind or "ok"] += 1
        fixes.update(outcome.fixes)
        if outcome.problems:
            failures.append(f"{path}: {outcome.kind}: {outcome.problems[0]}")
    return {"counts": counts, "fixes": fixes, "failures": failures, "seconds": time.perf_counter() - started}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder")
    args = parser.parse_args(argv)
    summary = run(args.folder)
    counts, fixes = summary["counts"], summary["fixes"]
    print(f"files: {counts['files']:,} (loaded {counts['files'] - counts['unreadable'] - counts['unloadable']:,}, changed {counts['files_changed']:,})")
    print(f"not fixed on purpose: {counts['not-fixed']} (duplicate keys, which GitHub rejects, or NEL/U+2028/U+2029 characters)")
    print(f"fixes applied: {sum(fixes.values()):,} " + ", ".join(f"{k} {v:,}" for k, v in sorted(fixes.items())))
    for kind in ("semantic", "bytes", "idempotence", "crash", "mismatch", "unloadable-fix"):
        print(f"{kind}: {counts[kind]}")
    print(f"time: {summary['seconds']:.1f} s")
    for failure in summary["failures"]:
        print(failure)
    return 1 if summary["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
