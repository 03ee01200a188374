"""What the corpus scripts share: entering the corpus, listing its workflows, ``--min-savings``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional, Union


def enter(folder: Path) -> Optional[Path]:
    """``folder`` resolved and made the current folder, or None (said on stderr) when it is missing.

    Rules find a file's sibling workflows (callers of a reusable workflow, readers of an artifact)
    from its display path, as in a real checkout: the scripts run from inside the corpus.
    """
    if not folder.is_dir():
        print(f"corpus not found: {folder}", file=sys.stderr)
        return None
    folder = folder.resolve()
    os.chdir(folder)
    return folder


def files(folder: Path) -> List[Path]:
    """Every workflow file under ``folder``, sorted."""
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def min_savings(value: str) -> Union[str, float]:
    """``--min-savings``: ``default`` (the shipped thresholds, as `wflint` uses) or minutes a month."""
    return value if value == "default" else float(value)
