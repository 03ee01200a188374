"""Format a ``delta.Delta``: text (default), Markdown (pull-request comment, job summary), JSON.

Formatting only: every figure comes from ``delta`` and ``seam``.
"""

from __future__ import annotations

import json
from typing import List, Optional

from .delta import FIGURES, RENAMED, Change, Delta
from .gitref import WORKFLOWS
from .pricing import PriceTable
from .seam import ASSUMPTIONS, WorkflowMonth
from .table import table

HEADERS = ["workflow", "change", "runs/mo", "billed min/mo", "$/mo", "basis"]


def _name(path: str) -> str:
    prefix = WORKFLOWS + "/"
    return path[len(prefix):] if path.startswith(prefix) else path


def _shown(change: Change) -> str:
    if change.status == RENAMED and change.old_path:
        return f"{_name(change.old_path)} -> {_name(change.path)}"
    return _name(change.path)


def _num(value: float) -> str:
    return f"{value:,.0f}"


def _usd(value: float) -> str:
    return f"{value:,.2f}"


def _signed(value: float, fmt) -> str:
    text = fmt(abs(value))
    if text == fmt(0.0):
        return "±0"
    return ("+" if value > 0 else "-") + text


def _pair(before: Optional[float], after: Optional[float], fmt, arrow: str = "->") -> str:
    b = "-" if before is None else fmt(before)
    a = "-" if after is None else fmt(after)
    diff = (after or 0.0) - (before or 0.0)
    return f"{b} {arrow} {a} ({_signed(diff, fmt)})"


def _side(month: Optional[WorkflowMonth], name: str) -> Optional[float]:
    return None if month is None else getattr(month, name)


def _basis(change: Change) -> str:
    sides = [m.basis for m in (change.before, change.after) if m is not None]
    return sides[0] if len(set(sides)) == 1 else " -> ".join(sides)


def _row(change: Change, arrow: str) -> List[str]:
    return [
        _shown(change),
        change.status,
        _pair(_side(change.before, "runs_per_month"), _side(change.after, "runs_per_month"), _num, arrow),
        _pair(_side(change.before, "minutes_per_month"), _side(change.after, "minutes_per_month"), _num, arrow),
        _pair(_side(change.before, "usd_per_month"), _side(change.after, "usd_per_month"), _usd, arrow),
        _basis(change),
    ]


def _total_row(delta: Delta, arrow: str) -> List[str]:
    b, a = delta.before_total, delta.after_total
    return [
        "total",
        f"{len(delta.changes)} changed, {delta.unchanged} unchanged",
        _pair(b["runs_per_month"], a["runs_per_month"], _num, arrow),
        _pair(b["minutes_per_month"], a["minutes_per_month"], _num, arrow),
        _pair(b["usd_per_month"], a["usd_per_month"], _usd, arrow),
        delta.basis,
    ]


def _against(delta: Delta, code: str = "") -> str:
    """The base as given, with its commit unless the base is the commit id itself."""
    short = delta.commit[:12]
    if delta.commit.startswith(delta.base):
        return f"{code}{short}{code}"
    return f"{code}{delta.base}{code} ({short})"


def _headline(delta: Delta) -> str:
    usd = delta.diff("usd_per_month")
    if _usd(abs(usd)) == _usd(0):
        what = "no change in dollars a month"
    else:
        what = f"{'+' if usd > 0 else '-'}${_usd(abs(usd))} a month ({'more' if usd > 0 else 'less'})"
    plus = " (some jobs unpriced: dollars are a lower bound)" if delta.unpriced else ""
    return f"{what}{plus}; runs {_signed(delta.diff('runs_per_month'), _num)}, billed minutes {_signed(delta.diff('minutes_per_month'), _num)} a month"


def _price_line(prices: PriceTable) -> str:
    scope = "public repository: standard runners free" if prices.public else "list prices"
    return f"Prices: USD per minute, {scope}, table of {prices.date}."


def text(delta: Delta, prices: PriceTable) -> str:
    lines = [f"Monthly cost against {_against(delta)}: {_headline(delta)}"]
    if delta.changes:
        body = table(HEADERS, [_row(c, "->") for c in delta.changes] + [_total_row(delta, "->")], right=range(2, 5))
        lines.append("  " + body[0])
        for line, change in zip(body[1:], delta.changes):
            lines.append("  " + line)
            lines.extend(f"      - {reason}" for reason in change.reasons)
        lines.append("  " + body[-1])
    else:
        lines.append(f"  no workflow changed in cost ({delta.unchanged} unchanged)")
    for error in delta.errors:
        lines.append(f"  note: {error}")
    lines += ["", ASSUMPTIONS, _price_line(prices)]
    return "\n".join(lines) + "\n"


def _md(cell: str) -> str:
    return cell.replace("|", "\\|")


def markdown(delta: Delta, prices: PriceTable) -> str:
    lines = ["### wflint: monthly cost of this change", "", f"**{_headline(delta)}** against {_against(delta, '`')}.", ""]
    if delta.changes:
        lines.append("| " + " | ".join(HEADERS + ["why"]) + " |")
        lines.append("|---|---|--:|--:|--:|---|---|")
        for change in delta.changes:
            cells = _row(change, "→")
            cells[0] = f"`{cells[0]}`"
            why = "; ".join(r.replace(" -> ", " → ") for r in change.reasons) or "-"
            lines.append("| " + " | ".join(_md(c) for c in cells + [why]) + " |")
        total = _total_row(delta, "→")
        lines.append("| " + " | ".join(f"**{_md(c)}**" if i == 0 else _md(c) for i, c in enumerate(total + [""])) + " |")
    else:
        lines.append(f"No workflow changed in cost ({delta.unchanged} unchanged).")
    for error in delta.errors:
        lines += ["", f"> note: {error}"]
    lines += ["", f"<sub>{ASSUMPTIONS} {_price_line(prices)}</sub>", ""]
    return "\n".join(lines)


def _month(month: Optional[WorkflowMonth]):
    if month is None:
        return None
    return {
        "name": month.name,
        "basis": month.basis,
        "runs_basis": month.runs_basis,
        "minutes_basis": month.minutes_basis,
        "triggers": month.triggers,
        "schedules": month.schedules,
        "runs_by_trigger": month.runs_by_trigger,
        **{f: getattr(month, f) for f in FIGURES},
        "minutes_per_run": month.minutes_per_run,
        "usd_per_run": month.usd_per_run,
        "unpriced_jobs_per_run": month.unpriced,
        "jobs": [vars(job) for job in month.jobs],
    }


def as_json(delta: Delta, prices: PriceTable) -> str:
    data = {
        "schema": 1,
        "base": delta.base,
        "commit": delta.commit,
        "basis": delta.basis,
        "before": delta.before_total,
        "after": delta.after_total,
        "difference": {f: delta.diff(f) for f in FIGURES},
        "unpriced": delta.unpriced,
        "unchanged": delta.unchanged,
        "changes": [
            {"status": c.status, "path": c.path, "old_path": c.old_path, "reasons": c.reasons,
             "difference": {f: c.diff(f) for f in FIGURES}, "before": _month(c.before), "after": _month(c.after)}
            for c in delta.changes
        ],
        "errors": delta.errors,
        "assumptions": ASSUMPTIONS,
        "prices": {"date": prices.date, "source": prices.source, "public": prices.public},
    }
    return json.dumps(data, indent=2) + "\n"


FORMATS = {"text": text, "markdown": markdown, "json": as_json}
