"""Apply fixes as text edits: back to front, overlaps skipped, re-parsed, repeated until stable."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from . import yamlnode as yn
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


# NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR: the C parser breaks lines there, editors and
# ``Source`` do not, so the columns that fixes indent by would disagree.
_ODD_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def fixable(result: LintResult) -> bool:
    """Whether fixes may be applied to a loaded file at all.

    Not to a file with duplicate keys: GitHub rejects it, and which duplicate counts
    is undefined, so no fix can say what it means (``duplicate-key`` reports them;
    a key tagged differently, ``!!map jobs``, still counts as the same text here).
    """
    if result.workflow is None:
        return False
    text = result.workflow.source.text
    return not any(ch in text for ch in _ODD_LINE_BREAKS) and not _repeated_key_text(result.workflow.root)


def _repeated_key_text(root) -> bool:
    """Whether a mapping names a key twice (the same text, whatever the tags say)."""
    for mapping in yn.mappings(root):
        texts = [key.value for key, _ in mapping.value if yn.is_scalar(key)]
        if len(texts) != len(set(texts)):
            return True
    return False


def fix_source(source: Source, settings: Settings, unsafe: bool = False, first: Optional[LintResult] = None) -> FixOutcome:
    """Fix until no applicable fix is left (or ``MAX_PASSES``); never returns text that does not load."""
    newline = source.newline
    outcome = FixOutcome(source=source, text=source.text)
    result = first or lint_source(source, settings)
    if result.load_error or not fixable(result):
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
    """A fixed file was not written; the message says why (without the path)."""


def write_atomic(path: str, original: bytes, data: bytes) -> None:
    """Replace ``path`` with ``data`` if it still holds ``original``; keeps mode and owner.

    A file without any write permission bit is left alone (even for root, who
    may write anything).  The new content goes to a temporary file in the same
    folder first, then ``os.replace`` swaps it in, so a reader never sees half a
    file.  A symbolic link stays a link: its target is replaced.
    """
    real = os.path.realpath(path)
    info = os.stat(real)
    if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise WriteError("the file is read-only; not fixed")
    with open(real, "rb") as handle:
        if handle.read(len(original) + 1) != original:
            raise WriteError("the file changed since it was read; not overwritten")
    folder = os.path.dirname(real) or "."
    fd, tmp = tempfile.mkstemp(prefix=".wflint-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, info.st_mode & 0o7777)
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(tmp, info.st_uid, info.st_gid)
            except OSError:
                pass  # only root may give a file away; the content is what matters
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
