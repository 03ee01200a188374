"""``wflint cost --base REF``: what the workflows of the working tree cost a month against
the same workflows at a git commit.

Files are paired by path; a file missing on one side is *added* or *removed*, unless it is
the same content under another name or git's rename detection pairs it (*renamed*).  Each
side is priced by ``seam.workflow_month``.  A pair is listed when its figures changed or
``why.reasons`` finds a change that bears on cost; the others are counted as unchanged.
Totals cover every workflow, listed or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from ..source import DecodeError, Source
from . import gitref
from .pricing import PriceTable
from .seam import ESTIMATE, HISTORY, History, WorkflowMonth, workflow_month
from .why import reasons

ADDED, REMOVED, RENAMED, MODIFIED = "added", "removed", "renamed", "modified"
FIGURES = ("runs_per_month", "minutes_per_month", "usd_per_month")


@dataclass
class Change:
    status: str  # added | removed | renamed | modified
    path: str  # the path in the working tree (the old path for a removed file)
    old_path: Optional[str]
    before: Optional[WorkflowMonth]
    after: Optional[WorkflowMonth]
    reasons: List[str] = field(default_factory=list)

    def figure(self, name: str) -> Tuple[float, float]:
        return (getattr(self.before, name) if self.before else 0.0, getattr(self.after, name) if self.after else 0.0)

    def diff(self, name: str) -> float:
        before, after = self.figure(name)
        return after - before


@dataclass
class Delta:
    base: str  # the ref as given
    commit: str
    changes: List[Change] = field(default_factory=list)
    unchanged: int = 0
    before_total: Dict[str, float] = field(default_factory=dict)
    after_total: Dict[str, float] = field(default_factory=dict)
    basis: str = ESTIMATE  # history when every figure of both sides came from history
    unpriced: bool = False  # some jobs have no price: dollars are lower bounds
    errors: List[str] = field(default_factory=list)

    def diff(self, name: str) -> float:
        return self.after_total.get(name, 0.0) - self.before_total.get(name, 0.0)


def _text(path: str, data: bytes, errors: List[str], where: str) -> Optional[str]:
    try:
        return Source.from_bytes(path, data).text
    except DecodeError as exc:
        errors.append(f"{path} ({where}): cannot read the file as text: {exc}")
        return None


def _pairs(root: str, commit: str, before: Dict[str, bytes], after: Dict[str, bytes]) -> List[Tuple[Optional[str], Optional[str]]]:
    """(old path, new path) pairs; None on the side where the file does not exist."""
    removed = [p for p in before if p not in after]
    added = [p for p in after if p not in before]
    pairs: List[Tuple[Optional[str], Optional[str]]] = [(p, p) for p in before if p in after]
    by_content = {}
    for path in added:
        by_content.setdefault(after[path], []).append(path)
    renamed: Dict[str, str] = {}
    for old in removed:
        same = by_content.get(before[old])
        if same:
            renamed[old] = same.pop(0)
    if len(renamed) < min(len(removed), len(added)):
        for old, new in gitref.renames(root, commit).items():
            if old in removed and new in added and old not in renamed and new not in renamed.values():
                renamed[old] = new
    pairs += [(old, new) for old, new in renamed.items()]
    pairs += [(old, None) for old in removed if old not in renamed]
    pairs += [(None, new) for new in added if new not in renamed.values()]
    return sorted(pairs, key=lambda p: p[1] or p[0] or "")


def _whole(month: Optional[WorkflowMonth], status: str) -> List[str]:
    """The reason for a whole file added or removed."""
    if month is None:
        return []
    triggers = ", ".join(f"`{t}`" for t in month.triggers) or "no trigger"
    jobs = sum(j.jobs_per_run or 1 for j in month.jobs)
    return [f"workflow {status}: {triggers}; {jobs} job(s) a run"]


def _changed(b: Optional[WorkflowMonth], a: Optional[WorkflowMonth]) -> bool:
    if b is None or a is None:
        return True
    return any(round(getattr(b, f), 6) != round(getattr(a, f), 6) for f in FIGURES) or b.unpriced != a.unpriced


def compare(root: str, base: str, prices: PriceTable, history: Optional[History] = None, cost=None) -> Delta:
    """The cost of the working tree's workflows against those of ``base``; raises ``gitref.GitError``."""
    commit = gitref.resolve(root, base)
    before_files = gitref.at_commit(root, commit)
    after_files = gitref.in_worktree(root)
    delta = Delta(base, commit)
    delta.before_total = {f: 0.0 for f in FIGURES}
    delta.after_total = {f: 0.0 for f in FIGURES}
    bases = set()
    for old, new in _pairs(root, commit, before_files, after_files):
        b_text = _text(old, before_files[old], delta.errors, base) if old else None
        a_text = _text(new, after_files[new], delta.errors, "working tree") if new else None
        b = workflow_month(old, b_text, root, prices, history, cost) if old and b_text is not None else None
        a = workflow_month(new, a_text, root, prices, history, cost) if new and a_text is not None else None
        for month, total in ((b, delta.before_total), (a, delta.after_total)):
            if month is not None:
                for f in FIGURES:
                    total[f] += getattr(month, f)
                bases.add(month.basis)
                delta.unpriced = delta.unpriced or month.unpriced > 0
                if month.error and month.error not in delta.errors:
                    delta.errors.append(month.error)
        if old and new:
            status = MODIFIED if old == new else RENAMED
        else:
            status = ADDED if new else REMOVED
        why = reasons(b_text, a_text, b, a) if b_text is not None and a_text is not None else _whole(b or a, status)
        if status == RENAMED:
            why.insert(0, "renamed" + (" (same content)" if b_text == a_text else ""))
        if status == MODIFIED and b_text == a_text or (status == MODIFIED and not why and not _changed(b, a)):
            delta.unchanged += 1
            continue
        delta.changes.append(Change(status, new or old or "", old if status == RENAMED else None, b, a, why))
    delta.basis = HISTORY if bases == {HISTORY} else ESTIMATE
    return delta
