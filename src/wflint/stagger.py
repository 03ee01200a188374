"""The one suggestion for a schedule: off minute 0, and (given a minimum interval) less frequent.

Used by the schedule-top-of-hour and cron-too-frequent fixes and by ``wflint cost``'s
crowding suggestions, so the three propose the same cron for the same schedule, and a cron
that one of them produced is never flagged again by another.

The minute comes from a SHA-256 hash of the repository (``owner/name`` of its ``origin``
remote, ``""`` without one) and the workflow's path in it, so it is the same on every run,
in every clone and on every machine.  Order does not matter: staggering keeps the offset
that relaxing keeps, so ``suggest`` is relax(stagger(cron)) and a fix of either kind
applied first leads to the same final cron.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Optional, Tuple

from . import cron
from .gitrepo import origin_name

_STEP = re.compile(r"^(?:\*|0|00|0-59)/(\d+)$")


def stable_minute(repository: str, path: str, modulo: int = 60) -> int:
    """A minute in ``1..modulo-1`` from a SHA-256 hash of repository and path."""
    import hashlib  # here: only a schedule to stagger needs it

    digest = hashlib.sha256(f"{repository}\0{path}".encode("utf-8")).digest()
    return 1 + int.from_bytes(digest[:4], "big") % (modulo - 1)


def workflow_key(path: str, repo_root: Optional[str]) -> Tuple[str, str]:
    """(``owner/name`` of the origin remote or ``""``, the path relative to the repository root with ``/``).

    Neither depends on the folder the repository is checked out in.
    """
    root = os.path.abspath(repo_root) if repo_root else None
    if root and path not in ("", "-"):
        absolute = os.path.abspath(path)
        if absolute.startswith(root + os.sep):
            path = os.path.relpath(absolute, root)
    return origin_name(root), path.replace(os.sep, "/")


def whole_hour_zone(name: Optional[str]) -> bool:
    """False for zones such as Asia/Kolkata whose minute 0 is not minute 0 in UTC."""
    if not name:
        return True
    try:
        tz = cron.zone(name)
    except cron.CronError:
        return True
    for month in (1, 7):
        offset = dt.datetime(2026, month, 1, 12, tzinfo=tz).utcoffset()
        if offset is not None and offset.total_seconds() % 3600:
            return False
    return True


def stagger_minute(field: str, key: Tuple[str, str]) -> Optional[str]:
    """The minute field moved off minute 0, or None when it does not fire at 0 or cannot be moved.

    ``0`` becomes a minute in 1..59; a step ``*/n`` becomes ``m-59/n`` with ``m`` in 1..4
    (below GitHub's 5-minute floor, so that relaxing the step later keeps ``m``); a list
    ``0,30`` moves every entry by the same minutes.
    """
    if field.isdigit():
        return str(stable_minute(*key)) if int(field) == 0 else None
    step = _STEP.match(field)
    if step:
        n = int(step.group(1))
        if not 1 < n < 60:
            return None
        return f"{stable_minute(*key, modulo=min(n, cron.GITHUB_FLOOR))}-59/{n}"
    if re.fullmatch(r"\d+(,\d+)+", field):
        values = sorted({int(v) for v in field.split(",")})
        if values[0] != 0 or values[-1] >= 59:
            return None
        shift = stable_minute(*key, modulo=60 - values[-1])
        return ",".join(str(v + shift) for v in values)
    return None


def stagger(expr: str, tz: Optional[str], key: Tuple[str, str]) -> Optional[str]:
    """``expr`` moved off minute 0 (only the minute field changes), or None when it needs no move."""
    fields = expr.split()
    if len(fields) != 5 or not whole_hour_zone(tz):
        return None
    try:
        cron.parse(expr)
    except cron.CronError:
        return None
    minute = stagger_minute(fields[0], key)
    if minute is None:
        return None
    return " ".join([minute, *fields[1:]])


def relax(expr: str, tz: Optional[str], min_interval: int) -> Optional[str]:
    """``expr`` made no more frequent than ``min_interval`` minutes, or None when it already is or no
    rewrite of its minute and hour fields saves runs."""
    try:
        gap = cron.min_interval(expr, tz)
        if gap is None or gap >= min_interval:
            return None
        fields = cron.relax(expr, min_interval, tz)
        if fields is None:
            return None
        new = " ".join([*fields, *expr.split()[2:]])
        if cron.monthly_runs([(new, tz)]) >= cron.monthly_runs([(expr, tz)]):
            return None
    except cron.CronError:
        return None
    return new


def suggest(expr: str, tz: Optional[str], key: Tuple[str, str], min_interval: Optional[int] = None) -> Optional[str]:
    """The one suggested cron for a schedule (None when it needs no change): staggered off
    minute 0, then, given ``min_interval``, relaxed to fire no more often than that."""
    current = stagger(expr, tz, key) or expr
    if min_interval is not None:
        current = relax(current, tz, min_interval) or current
    return None if current == expr else current
