"""duplicate-key: a mapping names the same key twice, which GitHub rejects."""

from __future__ import annotations

from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding, Severity
from ..workflow import Workflow
from .base import Context, Rule


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    for duplicate, first in yn.duplicate_keys(wf.root):
        line, col = wf.source.linecol(first.start_mark.index)
        yield Finding(
            span=yn.span(duplicate),
            message=f"Duplicate key `{duplicate.value}` (first defined at line {line}, column {col}); GitHub rejects the workflow.",
        )


RULE = Rule(
    code="WFL902",
    slug="duplicate-key",
    summary="Mapping has the same key twice; GitHub rejects such workflows",
    check=check,
    severity=Severity.ERROR,
    tags=("correctness",),
)
