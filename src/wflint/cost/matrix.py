"""The jobs a ``strategy.matrix`` generates, when the matrix is written out statically.

GitHub's rules: the axes (every key but ``include``/``exclude``) multiply; an
``exclude`` entry removes each combination it partially matches; then each
``include`` entry is merged into every combination whose *original* values it does
not contradict, and becomes a combination of its own when it fits none.  A run has at
most 256 matrix jobs.  A matrix (or an axis, or the include/exclude list) given by an
expression such as ``${{ fromJSON(...) }}`` is unknown.
"""

from __future__ import annotations

import itertools
import json
from typing import Any, Dict, List, Optional

from .. import yamlnode as yn
from ..records import record

MAX_JOBS = 256
_EXPANSION_LIMIT = 65536  # larger products are not laid out; they are capped anyway

Combination = Dict[str, Any]


@record(frozen=True)
class Matrix:
    """A job's matrix: how many jobs one run starts, and their combinations when laid out."""

    size: Optional[int]  # jobs per run; None when unknown
    combinations: Optional[List[Combination]] = None  # None when unknown or not laid out
    reason: str = ""  # why the size is unknown or capped
    capped: bool = False


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _is_expr(value: Any) -> bool:
    return isinstance(value, str) and "${{" in value


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON (``1`` is not ``1.0`` nor ``true``); two strings are compared as they are."""
    if type(a) is str and type(b) is str:
        return a == b
    return _key(a) == _key(b)


def _matches(combination: Combination, partial: Combination) -> bool:
    return all(k in combination and _same(combination[k], v) for k, v in partial.items())


def _entries(value: Any, what: str) -> List[Combination]:
    if value is None:
        return []
    if not isinstance(value, list) or any(not isinstance(e, dict) for e in value):
        raise ValueError(f"`{what}` is {'an expression' if _is_expr(value) else 'not a list of mappings'}")
    return value


def expand(matrix: Any) -> Matrix:
    """The combinations of a matrix given as plain data (``yamlnode.to_data``)."""
    if matrix is None:
        return Matrix(1, [{}])
    if not isinstance(matrix, dict):
        return Matrix(None, reason="the matrix is an expression" if _is_expr(matrix) else "the matrix is not a mapping")
    axes = {k: v for k, v in matrix.items() if k not in ("include", "exclude")}
    for name, values in axes.items():
        if not isinstance(values, list):
            return Matrix(None, reason=f"axis `{name}` is {'an expression' if _is_expr(values) else 'not a list'}")
    try:
        include = _entries(matrix.get("include"), "include")
        exclude = _entries(matrix.get("exclude"), "exclude")
    except ValueError as exc:
        return Matrix(None, reason=str(exc))
    product = 1
    for values in axes.values():
        product *= len(values)
    if product > _EXPANSION_LIMIT:
        return Matrix(MAX_JOBS, None, reason=f"{product:,} combinations before include/exclude; GitHub allows {MAX_JOBS}", capped=True)
    if axes:
        names = list(axes)
        base = [dict(zip(names, combo)) for combo in itertools.product(*(axes[n] for n in names))]
    else:
        base = []
    base = [c for c in base if not any(_matches(c, ex) for ex in exclude)]
    combos = [dict(c) for c in base]
    extra: List[Combination] = []
    for entry in include:
        added = False
        for combo, original in zip(combos, base):
            if all(k not in original or _same(original[k], v) for k, v in entry.items()):
                combo.update(entry)
                added = True
        if not added:
            extra.append(dict(entry))
    combos.extend(extra)
    if not axes and not include:
        return Matrix(1, [{}])
    if len(combos) > MAX_JOBS:
        return Matrix(MAX_JOBS, combos[:MAX_JOBS], reason=f"{len(combos)} combinations; GitHub allows {MAX_JOBS}", capped=True)
    return Matrix(len(combos), combos)


def job_matrix(job_node) -> Matrix:
    """The matrix of a job node (1 job when it has no ``strategy.matrix``); worked out once
    per node and lint (the estimate and several rules ask)."""
    if job_node is None:
        return _job_matrix(job_node)
    return yn.memo(job_node, "matrix", _job_matrix)


def _job_matrix(job_node) -> Matrix:
    strategy = yn.get_value(job_node, "strategy")
    if strategy is None:
        return Matrix(1, [{}])
    if yn.scalar(strategy) and "${{" in yn.scalar(strategy):
        return Matrix(None, reason="the strategy is an expression")
    entry = yn.get(strategy, "matrix")
    if entry is None:
        return Matrix(1, [{}])
    return expand(yn.to_data(entry[1]))


def size_bound(job_node) -> int:
    """At least as many jobs as one run of the job starts (``job_matrix(job_node).size or 1``),
    from the matrix's shape alone (nothing laid out): each axis at least one value, excludes
    removing none, each ``include`` entry a job of its own, at most ``MAX_JOBS``."""
    matrix = yn.get_value(yn.get_value(job_node, "strategy"), "matrix")
    if not yn.is_map(matrix):
        return 1  # no matrix, or one given by an expression: one job as the model counts it
    product, extra = 1, 0
    for key, value in yn.entries(matrix):
        name = yn.scalar(key) if isinstance(key, yn.ScalarNode) else None
        length = len(value.value) if yn.is_seq(value) else 1
        if name == "include":
            extra += length
        elif name != "exclude":
            product *= max(length, 1)
            if product > MAX_JOBS:
                return MAX_JOBS
    return max(1, min(product + extra, MAX_JOBS))


def jobs_per_run_floor(jobs) -> int:
    """Jobs a run starts at least: each job's matrix size, 1 when unknown (``Workflow.jobs``)."""
    total = 0
    for job in jobs:
        if not yn.is_map(job.node) or (yn.get(job.node, "runs-on") is None and yn.get(job.node, "uses") is None):
            continue
        size = job_matrix(job.node).size
        total += size if size is not None else 1
    return total
