"""Price the findings of one file and hide those below ``min-savings``.

The engine calls :func:`price` after the rules ran, only when a finding carries a
``properties["stake"]`` (``wflint.stake``); the workflow's cost model is built then, once.
Each priced finding gets ``minutes_per_month``, ``usd_per_month`` and ``basis``
(``minutes_per_hang`` and ``usd_per_hang`` for the ``hang`` measure) in its properties.
A finding whose minutes fall below ``min-savings`` is hidden (``hang``: its per-hang
minutes are compared); findings without a stake are never hidden.
"""

from __future__ import annotations

import dataclasses
from typing import Any, List, Mapping, Optional, Tuple

from . import defaults

HIDDEN = "below_min_savings"


def min_savings(cost: Mapping[str, Any]) -> float:
    """The threshold in force: configuration or the command line set it, ``"default"`` (what
    ``config.cost_settings`` puts when neither does) is ``defaults.MIN_SAVINGS``; settings built
    without a configuration (the Python API, tests) hide nothing."""
    value = cost.get("min-savings")
    if value == "default":
        return float(defaults.MIN_SAVINGS)
    return float(0 if value is None else value)


def figure(finding) -> Optional[float]:
    """The minutes a finding's threshold and ``--sort savings`` look at (None: not priced)."""
    props = finding.properties
    if "minutes_per_month" in props:
        return float(props["minutes_per_month"])
    if "minutes_per_hang" in props:
        return float(props["minutes_per_hang"])
    return None


def price(findings: List[Any], wf, cost: Mapping[str, Any], repo_path: Optional[str]) -> Tuple[List[Any], List[Any]]:
    """(findings shown, findings hidden below min-savings), the priced ones with their figures."""
    from .model import model_for

    model = model_for(wf, cost, repo_path)  # the one a rule (missing-timeout) may have built
    threshold = min_savings(cost)
    shown, hidden = [], []
    for finding in findings:
        stake = finding.properties.get("stake")
        if not isinstance(stake, Mapping):
            shown.append(finding)
            continue
        properties = {**finding.properties, **model.price(stake)}
        priced = dataclasses.replace(finding, properties=properties)
        minutes = figure(priced)
        if minutes is not None and minutes < threshold:
            hidden.append(dataclasses.replace(priced, properties={**properties, HIDDEN: True}))
        else:
            shown.append(priced)
    return shown, hidden


def sort_key(finding) -> Tuple:
    """``--sort savings``: monthly dollars, then monthly minutes, most first; per-hang figures
    after every monthly one; findings without a figure last (in file order)."""
    props = finding.properties
    if "minutes_per_month" in props:
        return (0, -float(props.get("usd_per_month") or 0), -float(props["minutes_per_month"]), finding.sort_key)
    if "minutes_per_hang" in props:
        return (1, -float(props.get("usd_per_hang") or 0), -float(props["minutes_per_hang"]), finding.sort_key)
    return (2, 0, 0, finding.sort_key)
