"""Savings preview: estimate a workflow, apply wflint's fixes in memory, estimate again.

Nothing is written: ``fixer.fix_source`` returns the fixed text and the estimate is
computed from it.  Unsafe fixes are included (they are the ones that change schedules
and timeouts); the preview names each fix and its safety.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ..engine import Settings
from ..fixer import fix_source
from ..source import Source
from .estimate import WorkflowEstimate, estimate_text
from .pricing import PriceTable


@dataclass
class Saving:
    path: str
    before: WorkflowEstimate
    after: WorkflowEstimate
    fixes: List[str] = field(default_factory=list)  # "title (safety)"
    # per fix: its title and the figure its finding was priced at (minutes_per_month, usd_per_month,
    # basis; or minutes_per_hang, usd_per_hang; empty when the finding has no figure)
    saved: List[Tuple[str, Dict[str, Any]]] = field(default_factory=list)

    def saves(self) -> Tuple[float, float]:
        """Minutes and dollars a month the fixes save (the sum of their findings' monthly figures)."""
        return (sum(float(f.get("minutes_per_month") or 0) for _, f in self.saved),
                sum(float(f.get("usd_per_month") or 0) for _, f in self.saved))

    @property
    def changed(self) -> bool:
        """Fixed, or its estimate moved (a reusable workflow it calls was fixed)."""
        b, a = self.before, self.after
        return bool(self.fixes) or b.per_run() != a.per_run() or b.runs_per_month != a.runs_per_month

    def delta(self) -> dict:
        b, a = self.before.monthly(), self.after.monthly()
        out = {k: b[k] - a[k] for k in b}
        out["runs"] = (self.before.runs_per_month or 0) - (self.after.runs_per_month or 0)
        return out


def preview(path: str, text: str, prices: PriceTable, settings: Settings, before: Optional[WorkflowEstimate] = None,
            file: Optional[str] = None) -> Saving:
    """``file``: the workflow's own path, so that fixes derived from it (a staggered minute) are
    the ones ``wflint check --fix`` writes for that file."""
    before = before or estimate_text(path, text, prices)
    if before.error and not before.jobs:
        return Saving(path, before, copy.deepcopy(before))
    if file is not None:
        from ..config import repo_root  # the root `wflint check` uses for this file

        absolute = os.path.abspath(file)
        settings = dataclasses.replace(settings, repo_root=repo_root([absolute], settings.cwd or os.getcwd()))
    outcome = fix_source(Source(path=absolute if file is not None else path, text=text), settings, unsafe=True)
    if not outcome.changed:
        # A copy: calls to reusable workflows are resolved separately before and after the fixes.
        return Saving(path, before, copy.deepcopy(before))
    after = estimate_text(path, outcome.text, prices)
    fixes = [f"{f.fix.title} ({f.fix.safety.value})" for f in outcome.fixed if f.fix is not None]
    keys = ("minutes_per_month", "usd_per_month", "minutes_per_hang", "usd_per_hang", "basis")
    saved = [(f"{f.fix.title} ({f.fix.safety.value})", {k: f.properties[k] for k in keys if k in f.properties})
             for f in outcome.fixed if f.fix is not None]
    return Saving(path, before, after, fixes, saved)
