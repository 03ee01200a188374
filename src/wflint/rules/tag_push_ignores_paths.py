"""tag-push-ignores-paths: ``push`` with ``tags`` and path filters, which tag pushes ignore."""

from __future__ import annotations

import os
import re
from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..workflow import Workflow
from .base import Context, Rule


def _ignores_every_tag(push) -> bool:
    node = push.filter("tags-ignore")
    patterns = [yn.scalar(item) for item in yn.items(node)] or [yn.scalar(node)]
    return any(p in ("*", "**") for p in patterns)


def _tag_runs_intended(wf: Workflow) -> bool:
    """A release workflow, or a comment in ``on:`` about tags: tag runs are the point."""
    name = f"{os.path.basename(wf.path)} {yn.scalar(wf.get('name')) or ''}".lower()
    if re.search(r"release|publish|rc\b|candidate", name):
        return True
    block = wf.text[wf.on_key.start_mark.index : wf.on_value.end_mark.index]
    return re.search(r"#(?!\s*wflint:)[^\n]*\btags?\b", block, re.IGNORECASE) is not None  # not a suppression


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    push = wf.triggers.get("push")
    if push is None:
        return
    tags = next((name for name in ("tags", "tags-ignore") if push.has_filter(name)), None)
    if tags is None or (tags == "tags-ignore" and _ignores_every_tag(push)) or _tag_runs_intended(wf):
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
            properties={"stake": stake("tag", events=["push"])},
        )


RULE = Rule(
    code="WFL014",
    slug="tag-push-ignores-paths",
    summary="push with tags and paths/paths-ignore: path filters are ignored for tag pushes",
    check=check,
    tags=("cost", "triggers"),
)
