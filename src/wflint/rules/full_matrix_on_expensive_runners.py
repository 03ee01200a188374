"""full-matrix-on-expensive-runners: every toolchain version of a matrix run again on its macOS
and Windows legs, on every change, where the oldest and newest would do there."""

from __future__ import annotations

import json
import re
from dataclasses import field
from typing import Dict, Iterator, List, Optional, Set, Tuple

from .. import yamlnode as yn
from ..finding import Finding
from ..records import record
from ..stake import stake
from ..workflow import Job, Workflow
from . import jobtraits as jt
from .base import Context, Rule

# Matrix keys that hold a language or toolchain version.
VERSION_AXIS = re.compile(
    r"^(python|py|node|nodejs|node_js|go|golang|java|jdk|ruby|rust|php|dotnet|elixir|otp|erlang|"
    r"deno|bun|perl|julia|scala|ghc|ocaml|zig|dart|flutter|lua)([-_]?(versions?|ver))?$",
    re.IGNORECASE,
)
# A version the reduction may drop: numbers only (`3.11`, `20.x`, `v1.22`); `pypy-3.10`,
# `3.13t`, `lts/*`, `nightly`, `stable` are variants of their own and always kept.
_NUMERIC = re.compile(r"^v?(\d+(?:\.\d+)*)(?:\.x)?$")
# Workflows that exist to test versions: their matrix is the point.
_COMPAT_NAME = re.compile(r"compat|\bversions?\b|supported|\bmatrix\b", re.IGNORECASE)
_MATRIX_IN = re.compile(r"\$\{\{\s*matrix\.([A-Za-z_][\w-]*)")
MIN_VERSIONS = 3
COSTLY = ("macos", "windows")


def _key(value) -> str:
    return json.dumps(value, sort_keys=True)


def per_change_events(wf: Workflow) -> List[str]:
    """Events that start a run for every change: pull-request pushes, the merge queue and
    pushes to branches (not a push of tags only)."""
    events = list(jt.pr_runs(wf))
    if "merge_group" in wf.triggers:
        events.append("merge_group")
    push = wf.triggers.get("push")
    if push is not None:
        tags_only = (push.has_filter("tags") or push.has_filter("tags-ignore")) and not (
            push.has_filter("branches") or push.has_filter("branches-ignore")
        )
        if not tags_only:
            events.append("push")
    return events


def _quoted_values(matrix_node, name: str) -> Set[str]:
    """Values of axis ``name`` written quoted in the file: an exclude entry must quote them too."""
    nodes = list(yn.items(yn.get_value(matrix_node, name)))
    for section in ("include", "exclude"):
        for entry in yn.items(yn.get_value(matrix_node, section)):
            nodes.append(yn.get_value(entry, name))
    return {n.value for n in nodes if yn.is_scalar(n) and getattr(n, "style", None) in ("'", '"')}


def _version(text: str) -> Optional[Tuple[int, ...]]:
    match = _NUMERIC.match(text.strip())
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


@record
class Reduction:
    """What keeping the oldest and newest version on each macOS/Windows runner removes."""

    axis: str
    legs: int  # jobs a run of the matrix starts
    costly: int  # of which on macOS/Windows
    removed: List[int]  # indices of the legs the reduction drops
    middle: Dict[str, List[str]]  # runner label -> versions dropped there
    shown: List[str]  # the versions the macOS/Windows legs run
    os_values: Dict[str, object] = field(default_factory=dict)  # runner label -> its matrix value
    quoted: Set[str] = field(default_factory=set)  # versions the file writes quoted


def _lines(versions: List[Tuple[int, ...]]) -> Dict[Tuple[int, ...], Tuple[int, ...]]:
    """Each version's release line: `20.x` and `20.17.0` are both Node 20 (one is a prefix
    of the other), `3.10` and `3.11` are two Python lines."""
    return {v: min((w for w in versions if v[: len(w)] == w), key=len) for v in versions}


def _os_key(job: Job) -> Optional[str]:
    match = _MATRIX_IN.search(str(yn.to_data(job.get("runs-on")) or ""))
    return match.group(1) if match else None


def _excluded(data, os_key: Optional[str], os_value, axis: str) -> List[str]:
    """Versions an ``exclude`` entry already removes on the runner whose matrix value is ``os_value``."""
    out = []
    entries = data.get("exclude") if isinstance(data, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and axis in entry and os_key in entry and _key(entry[os_key]) == _key(os_value):
            out.append(str(entry[axis]))
    return out


def _names_a_version_axis(matrix_node) -> bool:
    """A cheap look before laying the matrix out: a version key among its axes or includes."""
    keys = yn.keys(matrix_node) + [k for entry in yn.items(yn.get_value(matrix_node, "include")) for k in yn.keys(entry)]
    return any(VERSION_AXIS.match(k) for k in keys)


def reduction(job: Job) -> Optional[Reduction]:
    matrix_node = yn.get_value(job.get("strategy"), "matrix")
    if not yn.is_map(matrix_node) or not _names_a_version_axis(matrix_node):
        return None  # (and wflint.cost is not imported by a plain lint)
    from ..cost.matrix import job_matrix

    matrix = job_matrix(job.node)
    if matrix.combinations is None or matrix.capped:
        return None
    runners = jt.legs(job)
    combos = matrix.combinations
    if len(runners) != len(combos):
        return None
    data = yn.to_data(matrix_node)
    os_key = _os_key(job)
    best: Optional[Reduction] = None
    axes = dict.fromkeys(k for combo in combos for k in combo if VERSION_AXIS.match(str(k)))
    for axis in axes:
        def text(combo, axis=axis) -> Optional[str]:
            value = combo.get(axis)
            return value if isinstance(value, str) else None

        linux = {text(c) for c, r in zip(combos, runners) if r.os == "linux"}
        by_label: Dict[str, List[int]] = {}
        for index, runner in enumerate(runners):
            if runner.os in COSTLY:
                by_label.setdefault(runner.label, []).append(index)
        removed: List[int] = []
        middle: Dict[str, List[str]] = {}
        os_values: Dict[str, object] = {}
        for label, indices in by_label.items():
            os_value = combos[indices[0]].get(os_key) if os_key else None
            os_values[label] = os_value
            texts = {t for t in (text(combos[i]) for i in indices) if t is not None}
            gone = _excluded(data, os_key, os_value, axis) if os_key else []
            parsed = {t: _version(t) for t in texts | set(gone)}
            line = _lines([v for v in parsed.values() if v is not None])
            every = sorted({line[v] for v in parsed.values() if v is not None})
            if any(parsed[t] is not None and every[0] < line[parsed[t]] < every[-1] for t in gone):
                continue  # the author already dropped middle versions here
            ordered = sorted({line[parsed[t]] for t in texts if parsed[t] is not None})
            if len(ordered) < MIN_VERSIONS:
                continue
            low, high = ordered[0], ordered[-1]
            drop = sorted((t for t in texts if parsed[t] is not None and low < line[parsed[t]] < high and t in linux), key=parsed.get)
            if not drop:
                continue
            middle[label] = drop
            removed.extend(i for i in indices if text(combos[i]) in drop)
        if removed and (best is None or len(removed) > len(best.removed)):
            costly = [i for indices in by_label.values() for i in indices]
            on_costly = {t for i in costly for t in [text(combos[i])] if t is not None}
            shown = sorted(on_costly, key=lambda t: (_version(t) is None, _version(t) or (), t))
            best = Reduction(axis, len(combos), len(costly), removed, middle, shown, os_values, _quoted_values(matrix_node, axis))
    return best


def _usd_share(runners, removed: List[int]) -> Optional[float]:
    from ..cost.pricing import load

    prices = load()
    per_leg = [prices.per_minute(r.sku) for r in runners]
    if any(p is None for p in per_leg) or not sum(per_leg):
        return None
    return sum(per_leg[i] for i in removed) / sum(per_leg)


def _is_compat_workflow(wf: Workflow) -> bool:
    name = yn.scalar(wf.get("name")) or ""
    stem = re.split(r"[\\/]", wf.path)[-1].rsplit(".", 1)[0]
    return bool(_COMPAT_NAME.search(name) or _COMPAT_NAME.search(stem.replace("_", "-")))


def _tests_own_action(job: Job) -> bool:
    """The job runs the repository's own action (``uses: ./``): a setup-* style repository
    whose matrix of versions and OSes is what it tests."""
    return any((s.uses or "").startswith("./") and not (s.uses or "").startswith("./.github/") for s in job.steps)


def _advice(red: Reduction, os_key: Optional[str]) -> str:
    entries = [(red.os_values.get(label), v) for label, versions in red.middle.items() for v in versions]
    scalar = os_key and all(isinstance(o, (str, int, float)) and not isinstance(o, bool) for o, _ in entries)
    if scalar and len(entries) <= 4:
        listed = ", ".join(f"`{{{os_key}: {o}, {red.axis}: {_quoted(v, red)}}}`" for o, v in entries)
        return f"add to `strategy.matrix.exclude:` {listed}"
    if os_key:
        return (f"add {len(entries)} entries to `strategy.matrix.exclude:`, one `{{{os_key}: ..., {red.axis}: ...}}` "
                f"for each macOS/Windows `{os_key}` and middle version")
    return "exclude the middle versions on the macOS/Windows legs"


def _quoted(text: str, red: Reduction) -> str:
    """A version as the exclude entry must write it: quoted where the matrix quotes it."""
    return f"'{text}'" if text in red.quoted else text


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    events = per_change_events(wf)
    if not events or _is_compat_workflow(wf):
        return
    for job in wf.jobs:
        if not yn.is_map(job.node) or job.get("runs-on") is None or _tests_own_action(job):
            continue
        red = reduction(job)
        if red is None:
            continue
        runners = jt.legs(job)
        kinds = " and ".join(name for name in ("macOS", "Windows") if any(runners[i].os == name.lower() for i in red.removed))
        middle = sorted({v for versions in red.middle.values() for v in versions}, key=lambda t: _version(t) or ())
        keep = red.costly - len(red.removed)
        anchor = yn.get(yn.get_value(job.get("strategy"), "matrix"), red.axis)
        node = anchor[0] if anchor is not None else job.key
        yield Finding(
            span=yn.span(node),
            message=(
                f"Job `{job.id}` runs {len(red.shown)} `{red.axis}` values ({', '.join(red.shown)}) on its "
                f"{kinds} runners on every change: {red.costly} macOS/Windows jobs a run where {keep} would do "
                f"with the oldest and newest there and every version still tested on Linux. To drop "
                f"{', '.join(middle)} on those runners, {_advice(red, _os_key(job))}, or list the macOS/Windows "
                f"legs with `include:`."
            ),
            properties={"stake": stake(
                "share", jobs=[job.id], events=events, share=len(red.removed) / red.legs,
                usd_share=_usd_share(runners, red.removed),
            )},
        )


RULE = Rule(
    code="WFL031",
    slug="full-matrix-on-expensive-runners",
    summary="Every toolchain version of a matrix repeated on its macOS/Windows legs on every change",
    check=check,
    tags=("cost", "runners"),
    precision="medium",
    # Opt-in: a fresh strict review (seed 21) found 2 of its 17 findings false (12%, above the 10% bar).
    default=False,
)
