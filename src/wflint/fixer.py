"""Apply fixes as text edits: back to front, overlaps skipped, re-parsed, guarded, repeated until stable."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Sequence, Tuple

from . import yamlnode as yn
from .engine import LintResult, Settings, lint_source
from .finding import Edit, Finding, Safety
from .intent import Mismatch, describe
from .source import Source
from .suppress import Directive, edit_conflicts

MAX_PASSES = 10


@dataclass
class FixOutcome:
    """What fixing one file did: the fixed text, the findings fixed and withheld."""

    source: Source  # the original
    text: str  # the fixed text (== source.text when nothing changed)
    fixed: List[Finding] = field(default_factory=list)
    result: Optional[LintResult] = None  # lint of the final text
    error: Optional[str] = None  # why the fixes were abandoned
    # Fixes the guard refused: (slug, message) of the finding -> why, in one line.
    withheld: Dict[Tuple[str, str], str] = field(default_factory=dict)
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
    groups = fix_groups(findings, unsafe, protected)
    return [e for edits, _ in groups for e in edits], [f for _, found in groups for f in found]


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
    """Fix until no applicable fix is left (or ``MAX_PASSES``); never returns text that does not load.

    Every pass is guarded (``_Guard``): a fix whose result does not load, changes a
    suppression comment, repeats a key, would still be fixable afterwards, or changes the
    workflow's data anywhere its rule's ``intent`` does not say, is withheld: the pass is
    retried without it, and its finding stays with a note saying why (``FixOutcome.withheld``).
    """
    newline = source.newline
    outcome = FixOutcome(source=source, text=source.text)
    result = first or lint_source(source, settings)
    if result.load_error or not fixable(result):
        outcome.result = result
        return outcome
    guard = _Guard(settings, unsafe)
    current = source
    data = yn.to_data(result.workflow.root)
    for _ in range(MAX_PASSES):
        groups = fix_groups(result.findings, unsafe, result.directives, skip=outcome.withheld)
        if not groups:
            break
        step = _apply(groups, current, result, data, guard, newline)
        if step is None:  # some fix fails the guard: add them one at a time, withholding those that fail
            if len(groups) == 1:
                outcome.withheld.update((withheld_key(f), guard.last_reason) for f in groups[0][1])
            else:
                step = _apply_one_by_one(groups, current, result, data, guard, newline, outcome.withheld)
            if step is None:
                continue  # all withheld: the next pass chooses among the rest
        candidate, new_result, new_data, kept = step
        edits = [e for group_edits, _ in kept for e in group_edits]
        outcome.fixed.extend(f for _, findings in kept for f in findings)
        outcome.passes.append((current.text, edits))
        current, result, data = candidate, new_result, new_data
    outcome.text = current.text
    outcome.result = result
    return outcome


def withheld_key(finding: Finding) -> Tuple[str, str]:
    return finding.slug, finding.message


def annotate(findings: Sequence[Finding], withheld: Dict[Tuple[str, str], str]) -> List[Finding]:
    """The findings, each whose fix was withheld saying so (in its message: every format shows it)."""
    if not withheld:
        return list(findings)
    out = []
    for finding in findings:
        reason = withheld.get(withheld_key(finding))
        if reason is not None:
            properties = dict(finding.properties, fix_withheld=reason)
            finding = replace(finding, message=f"{finding.message} Fix withheld: {reason}.", fix=None, properties=properties)
        out.append(finding)
    return out


Group = Tuple[Tuple[Edit, ...], List[Finding]]


def fix_groups(findings: Sequence[Finding], unsafe: bool, protected: Sequence[Directive] = (), skip=()) -> List[Group]:
    """The fixes ``choose`` takes, each as (its edits, the findings they fix); ``skip`` holds withheld keys."""
    groups: List[Group] = []
    by_edits: Dict[Tuple[Edit, ...], List[Finding]] = {}
    chosen: List[Edit] = []
    for finding in sorted(findings, key=lambda f: (f.fix.edits[0].start if f.fix and f.fix.edits else -1, f.code)):
        if not applicable(finding, unsafe) or not finding.fix.edits or withheld_key(finding) in skip:
            continue
        edits = tuple(sorted(finding.fix.edits, key=lambda e: (e.start, e.end)))
        if edits in by_edits:  # the very same change fixes several findings
            by_edits[edits].append(finding)
            continue
        if any(_overlaps(e, c) for e in edits for c in chosen):
            continue
        if any(edit_conflicts(e, d) for e in edits for d in protected):
            continue
        by_edits[edits] = [finding]
        groups.append((edits, by_edits[edits]))
        chosen.extend(edits)
    return groups


def _apply(groups, current: Source, result: LintResult, data, guard: "_Guard", newline: str):
    """(candidate, its lint, its data, groups) if applying all ``groups`` passes the guard, else None."""
    edits = [e for group_edits, _ in groups for e in group_edits]
    text = apply_edits(current.text, edits, newline)
    candidate = Source(path=current.path, text=text, bom=current.bom, encoding=current.encoding)
    new_result = lint_source(candidate, guard.settings)
    reason, new_data = guard.check(result, data, new_result, [f for _, findings in groups for f in findings])
    if reason is not None:
        guard.last_reason = reason
        return None
    return candidate, new_result, new_data, list(groups)


def _apply_one_by_one(groups, current, result, data, guard, newline, withheld):
    """Add the groups one at a time, keeping those the guard accepts; the rest are withheld."""
    kept: List[Group] = []
    best = None
    for group in groups:
        step = _apply([*kept, group], current, result, data, guard, newline)
        if step is None:
            for finding in group[1]:
                withheld[withheld_key(finding)] = guard.last_reason
            continue
        kept.append(group)
        best = step
    return best


def _copy(data):
    """A copy of plain data (dicts, lists, strings) for the guard to change; faster than deepcopy."""
    if isinstance(data, dict):
        return {key: _copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_copy(value) for value in data]
    return data


class _Guard:
    """What a pass must keep: the file loads, suppression comments, unique keys, the data but
    for each applied fix's declared intent, and no applied fix's finding left to fix again."""

    def __init__(self, settings: Settings, unsafe: bool):
        self.settings = settings
        self.unsafe = unsafe
        self.rules = {rule.slug: rule for rule in settings.rules}
        self.last_reason = ""

    def check(self, before: LintResult, data, after: LintResult, fixed: Sequence[Finding]):
        """(None, data after) when the pass may be kept, else (the reason, None)."""
        if after.load_error:
            detail = after.findings[0].message.rstrip(".") if after.findings else "it no longer loads"
            return f"the result would not load ({detail})", None
        if [d.text for d in after.directives] != [d.text for d in before.directives]:
            return "it would change a `# wflint:` suppression comment", None
        if _repeated_key_text(after.workflow.root):
            return "it would write a key twice in one mapping", None
        new_data = yn.to_data(after.workflow.root)
        expected = _copy(data)
        for finding in fixed:
            rule = self.rules.get(finding.slug)
            if rule is None or rule.intent is None:
                return f"rule {finding.slug} declares no intent for its fix, so its result cannot be checked", None
            options = rule.options_with(self.settings.options.get(rule.slug))
            try:
                rule.intent(expected, before.workflow, finding, options, new_data)
            except Mismatch as exc:
                return f"it would change more than it means to ({exc})", None
            except (KeyError, IndexError, TypeError, AttributeError, StopIteration) as exc:
                return f"its result does not have the shape its rule expects ({type(exc).__name__}: {exc})", None
        if expected != new_data:
            return f"it would change what the workflow does ({describe(expected, new_data)})", None
        left = Counter(withheld_key(f) for f in after.findings if applicable(f, self.unsafe) and f.fix.edits)
        if left:
            had = Counter(withheld_key(f) for f in before.findings if applicable(f, self.unsafe) and f.fix.edits)
            done = Counter(withheld_key(f) for f in fixed)
            if any(left[key] > had[key] - done[key] for key in done):
                return "its finding would still be there, so every run would change the file again", None
        return None, new_data


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
