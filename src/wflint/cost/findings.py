"""Price the findings of one file and hide those below ``min-savings``.

The engine calls :func:`price` after the rules ran, only when a finding carries a
``properties["stake"]`` (``wflint.stake``); the workflow's cost model is built then, once.
Each priced finding gets ``minutes_per_month``, ``usd_per_month`` and ``basis``
(``minutes_per_hang`` and ``usd_per_hang`` for the ``hang`` measure) in its properties.
A finding whose minutes fall below ``min-savings`` (priced from run history) or
``min-savings-estimate`` (priced by the static estimate: a higher bar, times the measure's
factor; see defaults.py) is hidden; findings without a stake are never hidden.  A ``storage``
stake (artifact-retention) is priced in dollars only (``usd_per_month``, ``uploads_per_month``,
``gb_per_month``): its list dollars are compared with the estimate bar's minutes at the
reference runner's list price (1,000 min on Linux 2-core: 6 USD).
"""

from __future__ import annotations

from typing import Any, List, Mapping, Optional, Tuple

from . import defaults

HIDDEN = "below_min_savings"
# Artifact storage beyond the plan's quota, shared with GitHub Packages: 0.008 USD per GB-day
# (docs.github.com "About billing for GitHub Packages"; free in public repositories).
STORAGE_USD_PER_GB_DAY = 0.008


def min_savings(cost: Mapping[str, Any]) -> float:
    """The threshold in force: configuration or the command line set it, ``"default"`` (what
    ``config.cost_settings`` puts when neither does) is ``defaults.MIN_SAVINGS``; settings built
    without a configuration (the Python API, tests) hide nothing."""
    value = cost.get("min-savings")
    if value == "default":
        return float(defaults.MIN_SAVINGS)
    return float(0 if value is None else value)


def min_savings_estimate(cost: Mapping[str, Any], measure: str = "") -> float:
    """The threshold for a finding priced by the static estimate alone: ``min-savings-estimate``
    when configured; else, with the default ``min-savings``, ``defaults.MIN_SAVINGS_ESTIMATE``
    times the measure's ``defaults.ESTIMATE_BAR_FACTOR`` (never below ``min-savings``); a
    ``min-savings`` set by the command line or the configuration (``--min-savings 0`` to see
    everything) is the one threshold for both."""
    value = cost.get("min-savings-estimate")
    if value is not None:
        return max(float(value), min_savings(cost))
    if cost.get("min-savings") == "default":
        bar = float(defaults.MIN_SAVINGS_ESTIMATE) * defaults.ESTIMATE_BAR_FACTOR.get(measure, 1.0)
        return max(bar, float(defaults.MIN_SAVINGS))
    return min_savings(cost)


def figure(finding) -> Optional[float]:
    """The minutes a finding's threshold and ``--sort savings`` look at (None: not priced)."""
    props = finding.properties
    if "minutes_per_month" in props:
        return float(props["minutes_per_month"])
    if "minutes_per_hang" in props:
        return float(props["minutes_per_hang"])
    return None


def price(findings: List[Any], wf, cost: Mapping[str, Any], repo_path: Optional[str]) -> Tuple[List[Any], List[Any]]:
    """(findings shown, findings hidden below min-savings), the priced ones with their figures.

    Without a history file, a finding whose figure grows with its jobs' minutes is first priced
    with every job as long as the longest job class (``ceiling_for``): when even that is below
    the bar, the finding is hidden without classifying the jobs (most are: a quiet workflow's
    superseded runs).  A hidden finding is only counted, so its figures are not kept.
    """
    from .model import built_model, ceiling_for, model_for

    model = built_model(wf, cost, repo_path)  # the one a rule (missing-timeout) may have built
    ceiling = None
    history_bar = min_savings(cost)
    shown, hidden = [], []
    for finding in findings:
        stake = finding.properties.get("stake")
        if not isinstance(stake, Mapping):
            shown.append(finding)
            continue
        estimate_bar = min_savings_estimate(cost, str(stake.get("measure")))
        if model is None and _grows_with_minutes(stake) and not cost.get("history"):
            if ceiling is None:
                ceiling = ceiling_for(wf, cost, repo_path)
            # below the bar by more than the rounding of a figure: hidden without the jobs' costs
            rough = ceiling.bound(stake)
            if rough is not None and rough < estimate_bar - 1:
                below = True
            else:
                most = ceiling.price(stake)
                below = most.get("basis") == "estimate" and most["minutes_per_month"] < estimate_bar
            if below:
                hidden.append(finding.but(properties={**finding.properties, HIDDEN: True}))
                continue
        if model is None:
            model = model_for(wf, cost, repo_path)
        if stake.get("measure") == "storage":
            figures, below = _storage(model, stake, estimate_bar)  # the artifact's size is always an estimate
        else:
            figures, below = model.price(stake), None
        threshold = history_bar if figures.get("basis") == "history" else estimate_bar
        properties = {**finding.properties, **figures}
        priced = finding.but(properties=properties)
        minutes = figure(priced)
        if below if below is not None else (minutes is not None and minutes < threshold):
            hidden.append(priced.but(properties={**properties, HIDDEN: True}))
        else:
            shown.append(priced)
    return shown, hidden


def _grows_with_minutes(stake: Mapping[str, Any]) -> bool:
    """The stake's figure never falls when a job's minutes rise (``WorkflowCost.price``): runs x
    minutes, times a share or the superseded share of the run's critical path; not a hang
    (minutes past the job's own), storage, or a per-run figure (a ratio of minutes)."""
    return stake.get("measure") not in ("hang", "storage") and stake.get("minutes_per_run") is None


def _storage(model, stake: Mapping[str, Any], threshold: float) -> Tuple[dict, bool]:
    """(figures, below the threshold) of a ``storage`` stake: the stake's jobs' runs a month
    (matrix included) x megabytes per run x days saved, at the storage price."""
    from .model import _PR_EVENTS

    jobs = model._jobs(stake.get("jobs") or ())
    uploads = 0.0
    for event in stake.get("events") or model.events():
        runs, _ = model.runs_per_month(event)
        uploads += runs * sum(j.count for j in jobs if not (j.skips_pr and event in _PR_EVENTS))
    gb_days = uploads * float(stake.get("mb_per_run") or 0) / 1000 * float(stake.get("days_saved") or 0)
    usd = gb_days * STORAGE_USD_PER_GB_DAY
    reference = model.prices.prices.get(model.prices.reference) or 0.006
    out = {"usd_per_month": 0.0 if model.public else round(usd, 2), "uploads_per_month": int(round(uploads)),
           "gb_per_month": round(gb_days / 30, 2), "basis": "estimate"}  # the size is always an estimate
    if model.public:
        out["cost_note"] = "public repository: artifact storage bills 0 USD"
    return out, usd < threshold * reference


def sort_key(finding) -> Tuple:
    """``--sort savings``: monthly dollars, then monthly minutes, most first; per-hang figures
    after every monthly one; findings without a figure last (in file order)."""
    props = finding.properties
    if "minutes_per_month" in props:
        return (0, -float(props.get("usd_per_month") or 0), -float(props["minutes_per_month"]), finding.sort_key)
    if "minutes_per_hang" in props:
        return (1, -float(props.get("usd_per_hang") or 0), -float(props["minutes_per_hang"]), finding.sort_key)
    if "usd_per_month" in props:  # storage: dollars only
        return (0, -float(props["usd_per_month"]), 0.0, finding.sort_key)
    return (2, 0, 0, finding.sort_key)
