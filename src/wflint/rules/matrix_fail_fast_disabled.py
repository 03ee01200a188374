"""matrix-fail-fast-disabled (opt-in): ``fail-fast: false`` on a large matrix."""

from __future__ import annotations

import itertools
from typing import Iterator, List, Optional

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Workflow
from .base import Context, Rule

MAX_COMBINATIONS = 4096


def matrix_size(matrix) -> Optional[int]:
    """How many jobs a ``strategy.matrix`` mapping makes; None when an expression decides."""
    data = yn.to_data(matrix)
    if not isinstance(data, dict):
        return None
    dims = {}
    for key, value in data.items():
        if key in ("include", "exclude"):
            continue
        if not isinstance(value, list):
            return None
        dims[key] = value
    include = data.get("include", []) or []
    exclude = data.get("exclude", []) or []
    if not isinstance(include, list) or not isinstance(exclude, list):
        return None
    total = 1
    for values in dims.values():
        total *= len(values)
    if total > MAX_COMBINATIONS:
        return None
    names = list(dims)
    combos: List[dict] = [dict(zip(names, c)) for c in itertools.product(*dims.values())] if dims else []

    def matches(combo, entry):
        return isinstance(entry, dict) and all(combo.get(k) == v for k, v in entry.items() if k in combo)

    combos = [c for c in combos if not any(isinstance(e, dict) and e and all(c.get(k) == v for k, v in e.items()) for e in exclude)]
    extra = 0
    for entry in include:
        if not isinstance(entry, dict):
            return None
        if not combos or not any(matches(c, entry) for c in combos):
            extra += 1
    return len(combos) + extra


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    minimum = int(ctx.options.get("min-jobs", 6))
    for job in wf.jobs:
        strategy = job.get("strategy")
        entry = yn.get(strategy, "fail-fast")
        if entry is None or yn.scalar(entry[1]) not in ("false", "False", "FALSE"):
            continue
        size = matrix_size(yn.get_value(strategy, "matrix"))
        if size is None or size < minimum:
            continue
        yield Finding(
            span=yn.span(entry[1]),
            message=(
                f"Job `{job.id}` has `fail-fast: false` on a matrix of {size} jobs: when one fails, "
                f"the other {size - 1} still run to the end. Keep fail-fast on unless every result is needed."
            ),
            # one run in ten fails; the other jobs would stop about half-way (rules/matrix-fail-fast-disabled.md)
            properties={"matrix_jobs": size, "stake": stake("share", jobs=[job.id], share=0.1 * 0.5 * (size - 1) / size)},
        )


RULE = Rule(
    code="WFL015",
    slug="matrix-fail-fast-disabled",
    summary="fail-fast: false on a matrix of 6 or more jobs keeps every job running after one fails",
    check=check,
    default=False,
    options={"min-jobs": 6},
    options_schema={"min-jobs": {"type": "integer", "minimum": 2}},
    tags=("cost", "matrix"),
)
