"""tag-push-ignores-paths: ``push`` with ``tags`` and path filters, which tag pushes ignore."""

from __future__ import annotations

from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding
from ..workflow import Workflow
from .base import Context, Rule


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    push = wf.triggers.get("push")
    if push is None:
        return
    tags = next((name for name in ("tags", "tags-ignore") if push.has_filter(name)), None)
    if tags is None:
        return
    for name in ("paths", "paths-ignore"):
        entry = yn.get(push.config, name)
        if entry is None:
            continue
        yield Finding(
            span=yn.span(entry[0]),
            message=(
                f"`push` has `{tags}` and `{name}`, but path filters are not evaluated for tag pushes: "
                "every matching tag runs the whole workflow whatever it changed."
            ),
        )


RULE = Rule(
    code="WFL014",
    slug="tag-push-ignores-paths",
    summary="push with tags and paths/paths-ignore: path filters are ignored for tag pushes",
    check=check,
    tags=("cost", "triggers"),
)
