"""What a finding's action would save: the contract between rules and the cost model.

A rule does not price its findings itself.  It says *what is at stake* — which jobs,
on which events, and which share of their billed minutes the action removes — and
puts that in ``finding.properties["stake"]`` with :func:`stake`.  The cost model
(``wflint.cost``) turns the stake into ``minutes_per_month``, ``usd_per_month`` and
``basis`` (``history`` or ``estimate``) once per file, after the rules ran, using run
history where a history file has it and its documented estimate otherwise; the engine
then drops findings below ``min-savings``.

A stake is plain data (it lives in the result cache as JSON).  Fields:

``measure``
    What the waste is, so that history can replace the default share:

    - ``superseded``: runs that a newer push to the same branch or pull request made
      pointless (missing-concurrency, concurrency groups that never match);
    - ``duplicate``: push runs that a pull_request run of the same commit repeats
      (duplicate-triggers);
    - ``docs-only``: runs for changes that touch no code (missing-path-filters);
    - ``tag``: runs started by tag pushes (tag-push-ignores-paths);
    - ``share``: no history measure; ``share`` is the whole figure (a cron made less
      frequent, a cache that saves part of each run, a cheaper runner);
    - ``hang``: not a monthly saving but insurance — the price of one run of the jobs
      to GitHub's 360-minute limit (missing-timeout);
    - ``storage``: not minutes but artifact storage, priced in dollars only: ``mb_per_run``
      megabytes uploaded per job run, kept ``days_saved`` days fewer (artifact-retention).
``jobs``
    Job ids whose minutes are at stake; empty means every job of the workflow.
``events``
    Triggers whose runs are at stake; empty means every trigger of the workflow.
``share``
    Fraction (0..1) of those runs' billed minutes that the action saves, used when
    history has no figure for ``measure``.  ``None`` lets the cost model use its
    default for the measure.
``minutes_per_run``
    Minutes saved per job run instead of a share (a dependency cache saving about
    a minute of installs); when set, ``share`` is ignored.
``usd_share``
    Fraction of the dollars saved when it differs from the minutes (moving a job to
    a runner a third of the price saves no minutes and two thirds of the dollars).
``mb_per_run`` / ``days_saved``
    ``storage`` only: the estimated size of what one job run uploads (megabytes), and
    the days each upload is kept fewer after the fix.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, Optional

MEASURES = ("superseded", "duplicate", "docs-only", "tag", "share", "hang", "storage")


def stake(
    measure: str,
    *,
    jobs: Iterable[str] = (),
    events: Iterable[str] = (),
    share: Optional[float] = None,
    minutes_per_run: Optional[float] = None,
    usd_share: Optional[float] = None,
    mb_per_run: Optional[float] = None,
    days_saved: Optional[float] = None,
) -> Dict[str, Any]:
    """The ``properties["stake"]`` value of a finding (see the module docstring)."""
    if measure not in MEASURES:
        raise ValueError(f"unknown stake measure {measure!r}")
    out: Dict[str, Any] = {"measure": measure, "jobs": sorted(set(jobs)), "events": sorted(set(events))}
    if share is not None:
        out["share"] = max(0.0, min(1.0, float(share)))
    if minutes_per_run is not None:
        out["minutes_per_run"] = max(0.0, float(minutes_per_run))
    if usd_share is not None:
        out["usd_share"] = max(0.0, min(1.0, float(usd_share)))
    if mb_per_run is not None:
        out["mb_per_run"] = max(0.0, float(mb_per_run))
    if days_saved is not None:
        out["days_saved"] = max(0.0, float(days_saved))
    return out
