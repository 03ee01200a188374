"""Format cost reports: a text table, JSON, and Markdown for $GITHUB_STEP_SUMMARY or a PR comment.

Formatting only: every figure comes from ``estimate``, ``repos``, ``savings``,
``crowding`` and ``usage``.
"""

from __future__ import annotations

import json
from typing import Dict, List, Optional, Sequence

from .crowding import Crowding
from .estimate import WorkflowEstimate
from .pricing import PriceTable
from .repos import TOTAL_KEYS, RepoReport
from .table import table

BAR_WIDTH = 20
ASSUMPTIONS = (
    "Scheduled runs are counted over a 30-day month (GitHub's 5-minute floor applied). "
    "Billed minutes: floor = every job bills 1 minute; ceiling = every job runs to its "
    "timeout-minutes (360 when unset). Other triggers are shown per run."
)


def _int(value: Optional[float]) -> str:
    return "?" if value is None else f"{value:,.0f}"


def _usd(value: float) -> str:
    return f"{value:,.2f}" if value >= 0.01 or value == 0 else f"{value:.3f}"


def _range(low: float, high: float, fmt=_int) -> str:
    return fmt(low) if fmt(low) == fmt(high) else f"{fmt(low)}..{fmt(high)}"


def _jobs(wf: WorkflowEstimate) -> str:
    known = wf.jobs_per_run
    return str(known) if known is not None else f">={wf.jobs_per_run_floor}"


def _price_line(prices: PriceTable) -> str:
    scope = "public repository: standard runners free" if prices.public else "list prices"
    return f"Prices: USD per minute, {scope}, table of {prices.date} ({prices.source})."


def _rows(report: RepoReport) -> List[List[str]]:
    rows = []
    for wf in report.workflows:
        if wf.error and not wf.jobs:
            rows.append([wf.path, "error", "", "", "", "", "", ""])
            continue
        run, month = wf.per_run(), wf.monthly()
        usd_note = "+" if wf.unpriced else ""
        scheduled = bool(wf.runs_per_month)
        rows.append([
            wf.path,
            ", ".join(wf.triggers) or "-",
            _int(wf.runs_per_month) if wf.schedules else "-",
            _jobs(wf),
            _range(run["floor_minutes"], run["ceiling_minutes"]),
            _range(run["floor_usd"], run["ceiling_usd"], _usd) + usd_note,
            _range(month["floor_minutes"], month["ceiling_minutes"]) if scheduled else "-",
            (_range(month["floor_usd"], month["ceiling_usd"], _usd) + usd_note) if scheduled else "-",
        ])
    return rows


HEADERS = ["workflow", "triggers", "runs/mo", "jobs/run", "min/run", "$/run", "min/mo", "$/mo"]


def _trim(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def text(reports: Sequence[RepoReport], prices: PriceTable, crowding: Optional[Crowding] = None, with_fixes: bool = False) -> str:
    lines: List[str] = []
    for report in reports:
        lines.append(f"{report.name}: {len(report.workflows)} workflow(s)")
        rows = [[_trim(r[0], 48), _trim(r[1], 30), *r[2:]] for r in _rows(report)]
        totals = report.totals()
        rows.append(["total (schedules)", "", _int(totals["runs"]), "", "", "",
                     _range(totals["floor_minutes"], totals["ceiling_minutes"]),
                     _range(totals["floor_usd"], totals["ceiling_usd"], _usd)])
        lines.extend("  " + line for line in table(HEADERS, rows, right=range(2, 8)))
        for error in report.errors:
            lines.append(f"  error: {error}")
        if with_fixes:
            lines.extend(_savings_text(report))
        lines.append("")
    if len(reports) > 1:
        lines.append(_grand_total_text(reports))
    if crowding is not None and crowding.scheduled_workflows:
        lines.extend(_crowding_text(crowding))
    if any(wf.unpriced for r in reports for wf in r.workflows):
        lines.append("+ some jobs have no price (unknown or third-party runner, reusable workflow): dollars are a lower bound.")
    lines.append(ASSUMPTIONS)
    lines.append(_price_line(prices))
    return "\n".join(lines) + "\n"


def _grand_total_text(reports: Sequence[RepoReport]) -> str:
    t = _sum_totals(reports)
    return (f"Total over {len(reports)} repositories, {sum(len(r.workflows) for r in reports)} workflows: "
            f"{t['runs']:,.0f} scheduled runs/month, {_range(t['floor_minutes'], t['ceiling_minutes'])} billed minutes/month, "
            f"${_range(t['floor_usd'], t['ceiling_usd'], _usd)}/month.\n")


def _sum_totals(reports: Sequence[RepoReport]) -> Dict[str, float]:
    out = {k: 0.0 for k in (*TOTAL_KEYS, "runs")}
    for r in reports:
        for k, v in r.totals().items():
            out[k] += v
    return out


def _savings_text(report: RepoReport) -> List[str]:
    lines = []
    changed = [s for s in report.savings if s.changed]
    if not changed:
        return ["  with fixes: no fix changes the estimate"]
    lines.append("  with fixes (wflint --fix --unsafe-fixes):")
    for s in changed:
        b, a = s.before, s.after
        bm, am = b.monthly(), a.monthly()
        parts = []
        if (b.runs_per_month or 0) != (a.runs_per_month or 0):
            parts.append(f"runs/mo {_int(b.runs_per_month)} -> {_int(a.runs_per_month)}")
        if bm != am:
            parts.append(f"min/mo {_range(bm['floor_minutes'], bm['ceiling_minutes'])} -> {_range(am['floor_minutes'], am['ceiling_minutes'])}")
            parts.append(f"$/mo {_range(bm['floor_usd'], bm['ceiling_usd'], _usd)} -> {_range(am['floor_usd'], am['ceiling_usd'], _usd)}")
        br, ar = b.per_run(), a.per_run()
        if br["ceiling_minutes"] != ar["ceiling_minutes"]:
            parts.append(f"ceiling min/run {_int(br['ceiling_minutes'])} -> {_int(ar['ceiling_minutes'])}")
        lines.append(f"    {s.path}: " + ("; ".join(parts) or "no change in the estimate"))
        lines.extend(f"      - {fix}" for fix in s.fixes)
    before = _month_sum([s.before for s in report.savings])
    after = _month_sum([s.after for s in report.savings])
    lines.append(
        f"    total: runs/mo {_int(before['runs'])} -> {_int(after['runs'])}; "
        f"min/mo {_range(before['floor_minutes'], before['ceiling_minutes'])} -> {_range(after['floor_minutes'], after['ceiling_minutes'])}; "
        f"$/mo {_range(before['floor_usd'], before['ceiling_usd'], _usd)} -> {_range(after['floor_usd'], after['ceiling_usd'], _usd)}"
    )
    return lines


def _month_sum(workflows: Sequence[WorkflowEstimate]) -> Dict[str, float]:
    out = {k: 0.0 for k in (*TOTAL_KEYS, "runs")}
    for wf in workflows:
        for k, v in wf.monthly().items():
            out[k] += v
        out["runs"] += wf.runs_per_month or 0
    return out


def _crowding_text(c: Crowding) -> List[str]:
    lines = [
        f"Schedule crowding: {c.scheduled_workflows} scheduled workflow(s); up to {c.max_same_minute} start in the same minute; "
        f"{c.top_of_hour} fire at minute 0 of an hour (GitHub delays and may drop runs at busy times)."
    ]
    if c.busiest:
        lines.append("  busiest minutes (UTC, workflows): " + ", ".join(f"{m} ({n})" for m, n in c.busiest))
    for s in c.suggestions:
        lines.append(f"  stagger {s.repo}/{s.path}: `{s.cron}` -> `{s.suggested}`")
    lines.append("")
    return lines


def _wf_dict(wf: WorkflowEstimate) -> dict:
    return {
        "path": wf.path,
        "name": wf.name,
        "triggers": wf.triggers,
        "schedules": [{"cron": c, "timezone": tz} for c, tz in wf.schedules],
        "runs_per_month": wf.runs_per_month,
        "jobs_per_run": wf.jobs_per_run,
        "jobs_per_run_floor": wf.jobs_per_run_floor,
        "jobs": [
            {"id": j.id, "count": j.count, "runners": j.runners, "timeout_minutes": j.timeout,
             "timeout_set": j.timeout_set, "unpriced": j.unpriced, "note": j.note}
            for j in wf.jobs
        ],
        "per_run": wf.per_run(),
        "monthly": wf.monthly(),
        "unpriced_jobs": wf.unpriced,
        "error": wf.error,
    }


def as_json(reports: Sequence[RepoReport], prices: PriceTable, crowding: Optional[Crowding] = None, with_fixes: bool = False) -> str:
    data = {
        "schema": 1,
        "prices": {"date": prices.date, "source": prices.source, "public": prices.public, "per_minute": prices.prices},
        "assumptions": ASSUMPTIONS,
        "repositories": [
            {
                "name": r.name,
                "workflows": [_wf_dict(wf) for wf in r.workflows],
                "totals": r.totals(),
                "errors": r.errors,
                **({"savings": [
                    {"path": s.path, "fixes": s.fixes, "before": _wf_dict(s.before)["monthly"] | {"runs": s.before.runs_per_month},
                     "after": _wf_dict(s.after)["monthly"] | {"runs": s.after.runs_per_month},
                     "per_run_before": s.before.per_run(), "per_run_after": s.after.per_run()}
                    for s in r.savings if s.changed
                ]} if with_fixes else {}),
            }
            for r in reports
        ],
        "totals": _sum_totals(reports),
    }
    if crowding is not None:
        data["crowding"] = {
            "scheduled_workflows": crowding.scheduled_workflows,
            "max_same_minute": crowding.max_same_minute,
            "top_of_hour": crowding.top_of_hour,
            "busiest": [{"utc": m, "workflows": n} for m, n in crowding.busiest],
            "suggestions": [vars(s) for s in crowding.suggestions],
        }
    return json.dumps(data, indent=2) + "\n"


def _bar(value: float, top: float) -> str:
    if top <= 0 or value <= 0:
        return ""
    return "█" * max(1, round(BAR_WIDTH * value / top))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(reports: Sequence[RepoReport], prices: PriceTable, crowding: Optional[Crowding] = None, with_fixes: bool = False) -> str:
    lines = ["## wflint cost report", ""]
    top = max((wf.monthly()["floor_minutes"] for r in reports for wf in r.workflows), default=0)
    for report in reports:
        totals = report.totals()
        lines.append(f"### {_md_cell(report.name)}")
        lines.append("")
        lines.append("| workflow | triggers | runs/mo | jobs/run | min/run | $/run | min/mo | $/mo | monthly minutes (floor) |")
        lines.append("|---|---|--:|--:|--:|--:|--:|--:|---|")
        for wf, row in zip(report.workflows, _rows(report)):
            bar = _bar(wf.monthly()["floor_minutes"], top)
            lines.append("| " + " | ".join(_md_cell(c) for c in [f"`{row[0]}`", *row[1:], bar]) + " |")
        lines.append(f"| **total** | | {_int(totals['runs'])} | | | | {_range(totals['floor_minutes'], totals['ceiling_minutes'])} | "
                     f"{_range(totals['floor_usd'], totals['ceiling_usd'], _usd)} | |")
        lines.append("")
        if with_fixes:
            lines.extend(_as_markdown_list(_savings_text(report)))
    if len(reports) > 1:
        lines.append(_grand_total_text(reports))
    if crowding is not None and crowding.scheduled_workflows:
        lines.extend(_as_markdown_list(_crowding_text(crowding)))
    lines.append(f"_{ASSUMPTIONS} {_price_line(prices)}_")
    return "\n".join(lines) + "\n"


def _as_markdown_list(block: List[str]) -> List[str]:
    """A text block (heading line, 4-space items, 6-space sub-items) as a Markdown list."""
    out = []
    for line in block:
        if not line.strip():
            continue
        depth = len(line) - len(line.lstrip())
        body = _md_cell(line.strip().lstrip("- ").strip()) if line.strip().startswith("- ") else _md_cell(line.strip())
        if depth <= 2 and not out:
            out.append(body)
            out.append("")
        else:
            out.append(("  " if depth >= 6 else "") + "- " + body)
    return out + [""]


FORMATS = {"text": text, "json": as_json, "markdown": markdown}
