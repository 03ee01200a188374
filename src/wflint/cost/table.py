"""Plain-text tables with aligned columns (shared by the cost and usage reports)."""

from __future__ import annotations

from typing import Collection, List, Sequence


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Collection[int] = ()) -> List[str]:
    """Lines of a table; the columns whose index is in ``right`` are right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    out = []
    for row in [headers, *rows]:
        cells = [str(c).rjust(widths[i]) if i in right else str(c).ljust(widths[i]) for i, c in enumerate(row)]
        out.append("  ".join(cells).rstrip())
    return out
