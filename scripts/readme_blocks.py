"""Generated blocks of README.md: the text between a start and an end marker comment.

The ``gen_readme_*`` scripts (and ``review_rates.py --readme``, ``savings_threshold.py
--readme``) compute a block and hand it to :func:`update`, which writes it, or with
``--check`` only says whether README.md is current.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

README = Path(__file__).resolve().parents[1] / "README.md"


def replace(text: str, start: str, end: str, content: str) -> str:
    """``text`` with what stands between the ``start`` and ``end`` markers replaced by ``content``."""
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{start}\n{content.rstrip(chr(10))}\n{end}{tail}"


def update(start: str, end: str, content: str, argv: Sequence[str]) -> int:
    """Write the block into README.md (0), or with ``--check`` in ``argv``: 0 when current, else 1."""
    current = README.read_text(encoding="utf-8")
    wanted = replace(current, start, end, content)
    if "--check" in argv:
        return 0 if wanted == current else 1
    if wanted != current:
        with open(README, "w", encoding="utf-8", newline="") as handle:
            handle.write(wanted)
    return 0
