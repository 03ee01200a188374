"""Apply fixes as text edits: back to front, overlaps skipped, re-parsed, repeated until stable."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from .engine import LintResult, Settings, lint_source
from .finding import Edit, Finding, Safety
from .source import Source
from .suppress import Directive, edit_conflicts

MAX_PASSES = 10


@dataclass
class FixOutcome:
    source: Source  # the original
    text: str  # the fixed text (== source.text when nothing changed)
    fixed: List[Finding] = field(default_factory=list)
    result: Optional[LintResult] = None  # lint of the final text
    error: Optional[str] = None  # why the fixes were abandoned
    # Each applied pass: the text it started from and the edits applied to it.
    passes: List[Tuple[str, List[Edit]]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.source.text


def applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (unsafe or finding.fix.safety is Safety.SAFE)


def apply_edits(text: str, edits: Sequence[Edit], newline: str = "\n") -> str:
    """Apply non-overlapping edits (any order given) from the end backwards."""
    out = text
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        content = edit.content.replace("\n", newline) if newline != "\n" else edit.content
        out = out[: edit.start] + content + out[edit.end :]
    return out


def choose(findings: Sequence[Finding], unsafe: bool, protected: Sequence[Directive] = ()) -> Tuple[List[Edit], List[Finding]]:
    """The edits of the fixes that do not overlap an earlier chosen fix, and the findings they fix.

    A fix that would change, remove or move a suppression comment (``protected``) is left out.
    """
    chosen: List[Edit] = []
    fixed: List[Finding] = []
    taken_sets = set()
    for finding in sorted(findings, key=lambda f: (f.fix.edits[0].start if f.fix and f.fix.edits else -1, f.code)):
        if not applicable(finding, unsafe) or not finding.fix.edits:
            continue
        edits = tuple(sorted(finding.fix.edits, key=lambda e: (e.start, e.end)))
        if edits in taken_sets:  # the very same change fixes several findings
            fixed.append(finding)
            continue
        if any(_overlaps(e, c) for e in edits for c in chosen):
            continue
        if any(edit_conflicts(e, d) for e in edits for d in protected):
            continue
        taken_sets.add(edits)
        chosen.extend(edits)
        fixed.append(finding)
    return chosen, fixed


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start  # two insertions at one point: order would be arbitrary
    return a.start < b.end and b.start < a.end or (a.start == a.end and b.start < a.start < b.end) or (
        b.start == b.end and a.start < b.start < a.end
    )


def fix_source(source: Source, settings: Settings, unsafe: bool = False, first: Optional[LintResult] = None) -> FixOutcome:
    """Fix until no applicable fix is left (or ``MAX_PASSES``); never returns text that does not load."""
    newline = source.newline
    outcome = FixOutcome(source=source, text=source.text)
    result = first or lint_source(source, settings)
    if result.load_error:
        outcome.result = result
        return outcome
    current = source
    for _ in range(MAX_PASSES):
        edits, fixed = choose(result.findings, unsafe, result.directives)
        if not edits:
            break
        text = apply_edits(current.text, edits, newline)
        candidate = Source(path=source.path, text=text, bom=source.bom, encoding=source.encoding)
        new_result = lint_source(candidate, settings)
        if new_result.load_error:
            detail = new_result.findings[0].message if new_result.findings else "it no longer loads"
            outcome.error = (
                f"fixes for {', '.join(sorted({f.slug for f in fixed}))} were not applied: "
                f"the result would not load ({detail}). This is a wflint bug; please report it."
            )
            break
        if [d.text for d in new_result.directives] != [d.text for d in result.directives]:
            outcome.error = (
                f"fixes for {', '.join(sorted({f.slug for f in fixed}))} were not applied: "
                "they would change a `# wflint:` suppression comment. This is a wflint bug; please report it."
            )
            break
        outcome.fixed.extend(fixed)
        outcome.passes.append((current.text, edits))
        current, result = candidate, new_result
    outcome.text = current.text
    outcome.result = result
    return outcome


class WriteError(OSError):
    pass


def write_atomic(path: str, original: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` if it still holds ``original``; keeps the file mode.

    The new content goes to a temporary file in the same folder first, then
    ``os.replace`` swaps it in, so a reader never sees half a file.
    """
    real = os.path.realpath(path)
    with open(real, "rb") as handle:
        if handle.read() != original:
            raise WriteError(f"{path}: changed since it was read; not overwritten")
    if not os.access(real, os.W_OK):
        raise WriteError(f"{path}: file is read-only; not fixed")
    folder = os.path.dirname(real) or "."
    mode = os.stat(real).st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(prefix=".wflint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
