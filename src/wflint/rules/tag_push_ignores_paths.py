"""tag-push-ignores-paths: ``push`` with ``tags`` and path filters, which tag pushes ignore."""

from __future__ import annotations

import os
import re
from typing import Iterator

from .. import yamlnode as yn
from ..finding import Finding
from ..stake import stake
from ..textscan import may_contain
from ..workflow import Workflow
from .base import Context, Rule


# `refs/tags/`, `startsWith(github.ref, 'refs/tags')`, `github.ref_type == 'tag'`, `GITHUB_REF_TYPE`
TAG_TEST = re.compile(r"refs/tags|ref_type|GITHUB_REF_TYPE", re.IGNORECASE)


def _ignores_every_tag(push) -> bool:
    node = push.filter("tags-ignore")
    patterns = [yn.scalar(item) for item in yn.items(node)] or [yn.scalar(node)]
    return any(p in ("*", "**") for p in patterns)


def _tag_runs_intended(wf: Workflow) -> bool:
    """Tag runs are the point: a release workflow, jobs or steps that test for a tag ref, or
    a comment about tags anywhere in the file."""
    name = f"{os.path.basename(wf.path)} {yn.scalar(wf.get('name')) or ''}".lower()
    if re.search(r"release|publish|rc\b|candidate", name):
        return True
    if tests_for_tags(wf):
        return True
    # a comment about tags, not a suppression comment
    return re.search(r"#(?!\s*wflint:)[^\n]*\btags?\b", wf.text, re.IGNORECASE) is not None


def tests_for_tags(wf: Workflow) -> bool:
    """Jobs or steps test for a tag ref (``refs/tags/``, ``github.ref_type``): tag runs do something."""
    if not may_contain(wf.text, "refs/tags", "ref_type"):  # TAG_TEST's words, in any case
        return False
    return TAG_TEST.search(_outside_on(wf)) is not None


def _outside_on(wf: Workflow) -> str:
    """The file's text without its ``on:`` block (whose ``tags:`` filter is what is reported)."""
    return wf.text[: wf.on_key.start_mark.index] + wf.text[wf.on_value.end_mark.index :]


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
    # Strict reviews at seed 22 and 29 found every corpus finding false or cheap: tag runs are
    # usually a project's release check, and tags are too rare for most workflows to matter.
    default=False,
    tags=("cost", "triggers"),
)
