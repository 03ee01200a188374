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
from .repos import POINT_KEYS, TOTAL_KEYS, RepoReport
from .table import table

BAR_WIDTH = 20
ASSUMPTIONS = (
    "Runs a month count every trigger: from the history file where it covers the workflow (basis history), "
    "else schedules from their firing times over a 30-day month and other events from wflint's activity defaults "
    "(basis estimate). Minutes per run: job durations from history, else by job class (README: How findings are "
    "priced). range = the same runs with every job billing 1 minute .. running to its timeout-minutes (360 when unset)."
)
TOTAL = "total"  # the one wording of totals in text, Markdown and JSON


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


def _secondary(wf: WorkflowEstimate) -> str:
    """floor..ceiling minutes a month for an estimate (its runs, every job 1 minute .. its timeout)."""
    point = wf.point or {}
    if point.get("basis") != "estimate":
        return "-"
    runs = float(point.get("runs_per_month") or 0)
    run = wf.per_run()
    return _range(runs * run["floor_minutes"], runs * run["ceiling_minutes"])


def _rows(report: RepoReport) -> List[List[str]]:
    rows = []
    for wf in report.workflows:
        if (wf.error and not wf.jobs) or wf.point is None:
            rows.append([wf.path, "error", "", "", "", "", "", "", ""])
            continue
        point = wf.point
        usd_note = "+" if wf.unpriced else ""
        rows.append([
            wf.path,
            ", ".join(wf.triggers) or "-",
            _int(point["runs_per_month"]),
            _jobs(wf),
            f"{float(point['minutes_per_run']):,.1f}",
            _int(point["minutes_per_month"]),
            _usd(float(point["usd_per_month"])) + usd_note,
            str(point["basis"]),
            _secondary(wf),
        ])
    return rows


HEADERS = ["workflow", "triggers", "runs/mo", "jobs/run", "min/run", "min/mo", "$/mo", "basis", "range min/mo"]


def _trim(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _total_row(totals: Dict[str, float]) -> List[str]:
    return [TOTAL, "", _int(totals["runs_per_month"]), "", "", _int(totals["minutes_per_month"]),
            _usd(totals["usd_per_month"]), "", ""]


def text(reports: Sequence[RepoReport], prices: PriceTable, crowding: Optional[Crowding] = None, with_fixes: bool = False) -> str:
    lines: List[str] = []
    for report in reports:
        lines.append(f"{report.name}: {len(report.workflows)} workflow(s)")
        rows = [[r[0], _trim(r[1], 30), *r[2:]] for r in _rows(report)]  # paths in full, however deep
        rows.append(_total_row(report.totals()))
        lines.extend("  " + line for line in table(HEADERS, rows, right=(2, 3, 4, 5, 6, 8)))
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
    return (f"{TOTAL.capitalize()} over {len(reports)} repositories, {sum(len(r.workflows) for r in reports)} workflows: "
            f"{t['runs_per_month']:,.0f} runs/mo, {t['minutes_per_month']:,.0f} min/mo, ${_usd(t['usd_per_month'])}/mo.\n")


def _sum_totals(reports: Sequence[RepoReport]) -> Dict[str, float]:
    out = {k: 0.0 for k in (*TOTAL_KEYS, *POINT_KEYS, "runs")}
    for r in reports:
        for k, v in r.totals().items():
            out[k] += v
    return out


def _figure(fig: Dict[str, object]) -> str:
    if "minutes_per_month" in fig:
        return f"saves ≈ {float(fig['minutes_per_month']):,.0f} min/mo, ${_usd(float(fig.get('usd_per_month') or 0))}/mo"
    if "minutes_per_hang" in fig:
        return f"insurance: caps a hang that would cost ≈ {float(fig['minutes_per_hang']):,.0f} min, ${_usd(float(fig.get('usd_per_hang') or 0))}"
    return ""


def _savings_text(report: RepoReport) -> List[str]:
    fixed = [s for s in report.savings if s.fixes]
    if not fixed:
        return ["  with fixes: no fix applies"]
    lines = ["  with fixes (wflint --fix --unsafe-fixes):"]
    for s in fixed:
        minutes, usd = s.saves()
        runs = ""
        if (s.before.runs_per_month or 0) != (s.after.runs_per_month or 0):
            runs = f"{';' if minutes or usd else ''} scheduled runs/mo {_int(s.before.runs_per_month)} -> {_int(s.after.runs_per_month)}"
        saves = f" saves ≈ {minutes:,.0f} min/mo, ${_usd(usd)}/mo" if minutes or usd else ""
        lines.append(f"    {s.path}:{saves}{runs}")
        lines.extend(f"      - {title}" + (f": {_figure(fig)}" if fig else "") for title, fig in s.saved)
    minutes = sum(s.saves()[0] for s in fixed)
    usd = sum(s.saves()[1] for s in fixed)
    lines.append(f"    {TOTAL}: saves ≈ {minutes:,.0f} min/mo, ${_usd(usd)}/mo")
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
    repos = {s.repo for s in c.suggestions}
    for s in c.suggestions:
        where = s.path if len(repos) == 1 else f"{s.repo}: {s.path}"  # the path as the table shows it
        lines.append(f"  stagger {where}: `{s.cron}` -> `{s.suggested}`")
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
        "model": wf.point,
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
                    {"path": s.path, "fixes": s.fixes, "before": {**_wf_dict(s.before)["monthly"], "runs": s.before.runs_per_month},
                     "after": {**_wf_dict(s.after)["monthly"], "runs": s.after.runs_per_month},
                     "per_run_before": s.before.per_run(), "per_run_after": s.after.per_run(),
                     "saves": {"minutes_per_month": s.saves()[0], "usd_per_month": s.saves()[1]},
                     "fix_figures": [{"fix": title, **fig} for title, fig in s.saved]}
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
    from .usage import rounded

    return json.dumps(rounded(data), indent=2) + "\n"


def _bar(value: float, top: float) -> str:
    if top <= 0 or value <= 0:
        return ""
    return "█" * max(1, round(BAR_WIDTH * value / top))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(reports: Sequence[RepoReport], prices: PriceTable, crowding: Optional[Crowding] = None, with_fixes: bool = False) -> str:
    lines = ["## wflint cost report", ""]
    top = max((float((wf.point or {}).get("minutes_per_month") or 0) for r in reports for wf in r.workflows), default=0)
    for report in reports:
        lines.append(f"### {_md_cell(report.name)}")
        lines.append("")
        lines.append("| " + " | ".join(HEADERS) + " | minutes a month |")
        lines.append("|---|---|--:|--:|--:|--:|--:|---|--:|---|")
        for wf, row in zip(report.workflows, _rows(report)):
            bar = _bar(float((wf.point or {}).get("minutes_per_month") or 0), top)
            lines.append("| " + " | ".join(_md_cell(c) for c in [f"`{row[0]}`", *row[1:], bar]) + " |")
        total = _total_row(report.totals())
        lines.append("| " + " | ".join(_md_cell(c) for c in [f"**{total[0]}**", *total[1:], ""]) + " |")
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
