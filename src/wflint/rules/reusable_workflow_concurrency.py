"""reusable-workflow-concurrency: a callee whose concurrency group collides with its caller's."""

from __future__ import annotations

import re
from typing import Iterator

from .. import yamlnode as yn
from ..expressions import literal_text, references
from ..finding import Finding
from ..stake import stake
from ..workflow import Workflow
from .base import Context, Rule


def collides(group: str) -> bool:
    """True when the group is built from ``github.workflow`` alone (plus separators).

    In a callee that is the caller's workflow name: the group equals that of every other
    callee of the same caller run built the same way, and of a caller whose group is
    ``${{ github.workflow }}``.
    """
    names = references(group)
    if not names or any(name != "github.workflow" for name in names):
        return False
    return re.fullmatch(r"[\s\-_/:.|]*", literal_text(group)) is not None


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    if "workflow_call" not in wf.triggers:
        return
    for concurrency in wf.concurrency():
        node = concurrency.group
        group = yn.scalar(node)
        if group is None or not collides(group):
            continue
        yield Finding(
            span=yn.span(node),
            message=(
                f"Concurrency group `{group}` of the {concurrency.where} in a reusable workflow: `github.workflow` is the "
                "caller's name there, so the group can equal the caller's and the run cancels itself or waits on "
                "its caller forever. Add a fixed suffix naming this workflow, or an input."
            ),
            # calls that cancel themselves or wait and are run again (rules/reusable-workflow-concurrency.md)
            properties={"stake": stake("share", jobs=[] if concurrency.job is None else [concurrency.job.id],
                                       events=["workflow_call"], share=0.1)},
        )


RULE = Rule(
    code="WFL011",
    slug="reusable-workflow-concurrency",
    summary="Reusable workflow's concurrency group is github.workflow alone, shared with its caller",
    check=check,
    tags=("correctness", "concurrency"),
)
