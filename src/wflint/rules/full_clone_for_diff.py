"""full-clone-for-diff: ``git clone`` of a whole history in a job that only needs the files."""

from __future__ import annotations

import re
from typing import Iterator, List, Optional

from .. import yamlnode as yn
from ..finding import Edit, Finding, Fix, Safety
from ..stake import stake
from ..workflow import Job, Step, Workflow
from ..intent import Mismatch
from .base import Context, Rule

CLONE = re.compile(r"\bgit\s+clone\b")
# Options that already limit what a clone downloads (or ask for everything on purpose).
LIMITED = re.compile(r"--depth\b|--filter\b|--shallow-(since|exclude)\b|--bare\b|--mirror\b|--reference\b")
# Git commands that only need the files of the tip (a shallow clone can commit and push).
TIP_ONLY = {"clone", "config", "add", "commit", "push", "status", "remote", "submodule", "lfs", "rm", "mv", "init",
            "ls-files", "diff-index", "update-index", "switch", "checkout"}
_GIT = re.compile(r"\bgit\s+(?:-C\s+\S+\s+|-c\s+\S+\s+)*([a-z][\w-]*)((?:[ \t]+[^\s;&|]+)*)")
NO_SHALLOW = re.compile(r"shallow|unshallow|full history", re.IGNORECASE)
DEPTH = " --depth 1"
# Share of the job's minutes a clone of the tip saves (see rules/full-clone-for-diff.md).
MINUTES = 0.3


def _scripts(job: Job) -> List[str]:
    return [yn.scalar(step.get("run")) or "" for step in job.steps]


def tip_only(job: Job) -> bool:
    """Every git command of the job works in a clone of the tip alone.

    ``checkout``/``switch`` count only to create or change to a new branch (``-b``, ``-c``,
    ``--orphan``); checking out a tag or an older commit needs the history.
    """
    for script in _scripts(job):
        for match in _GIT.finditer(script):
            command, args = match.group(1), match.group(2)
            if command not in TIP_ONLY:
                return False
            if command in ("checkout", "switch") and not re.search(r"(^|\s)(-b|-B|-c|-C|--orphan)\s", args + " "):
                return False
            if command == "clone" and re.search(r"\s--branch\s+v?\d", args):
                return False  # a release tag: fine shallow, but say nothing mechanical about it
    return True


def _clone_line(script: str) -> Optional[str]:
    for line in re.sub(r"\\\n", " ", script).splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or not CLONE.search(stripped):
            continue
        if not LIMITED.search(stripped):
            return stripped
    return None


def _fix(wf: Workflow, step: Step) -> Optional[Fix]:
    node = step.get("run")
    if node is None or id(node) in wf.shared or node.style in ('"', "'"):
        return None
    start, end = node.start_mark.index, node.end_mark.index
    raw = wf.text[start:end]
    value = yn.scalar(node) or ""
    found = list(CLONE.finditer(raw))
    if len(found) != len(CLONE.findall(value)) or len(found) != 1:
        return None  # folded or escaped text, or several clones: leave them to the author
    line_end = raw.find("\n", found[0].end())
    if LIMITED.search(raw[found[0].end() : None if line_end < 0 else line_end]) or raw[found[0].end() : found[0].end() + 1] not in (" ", "\t"):
        return None
    at = start + found[0].end()
    return Fix("Clone only the tip (`--depth 1`)", (Edit(at, at, DEPTH),), Safety.UNSAFE)


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    for job in wf.jobs:
        if not yn.is_map(job.node):
            continue
        safe: Optional[bool] = None
        for step in job.steps:
            script = yn.scalar(step.get("run")) or ""
            line = _clone_line(script)
            if line is None or NO_SHALLOW.search(wf.text[step.node.start_mark.index : step.node.end_mark.index]):
                continue
            if safe is None:
                safe = tip_only(job)
            shown = " ".join(line.split())[:70]
            advice = (
                "Add `--depth 1`: no other git command of the job reads history."
                if safe
                else "Add `--filter=blob:none` (history without file contents, fetched on demand) or `--depth 1` if "
                "the job does not read the history."
            )
            yield Finding(
                span=yn.span(step.get("run")),
                message=f"`{shown}` in job `{job.id}` downloads the repository's whole history on every run. {advice}",
                fix=_fix(wf, step) if safe else None,
                properties={"stake": stake("share", jobs=[job.id], minutes_per_run=MINUTES)},
            )
            break


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """full-clone-for-diff: the step's script gains ` --depth 1` after its one `git clone`."""
    for job in wf.jobs:
        for step in job.steps:
            run = step.get("run")
            if run is not None and run.start_mark.index == finding.span.start:
                before = data["jobs"][job.id]["steps"][step.index]
                after = fixed["jobs"][job.id]["steps"][step.index]["run"]
                expected = re.sub(r"\bgit(\s+)clone\b", lambda m: f"git{m.group(1)}clone --depth 1", before["run"], count=1)
                if after != expected:
                    raise Mismatch(f"the script became {after!r}")
                before["run"] = after
                return
    raise Mismatch("no run step at the finding")


RULE = Rule(
    code="WFL023",
    slug="full-clone-for-diff",
    summary="git clone without --depth or --filter downloads a whole history on every run",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    default=False,
    tags=("cost", "checkout"),
    precision="low",
)
