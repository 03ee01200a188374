"""concurrency-group-never-matches: a concurrency group that differs on every run, so nothing is cancelled."""

from __future__ import annotations

import re
from typing import Iterator, List, Optional, Tuple

from .. import yamlnode as yn
from ..expressions import bodies
from ..finding import Edit, Finding, Fix, Safety
from ..stake import stake
from ..workflow import Concurrency, Workflow
from ..yamledit import scalar_inner_span
from ..intent import Mismatch
from .base import Context, Rule

# Properties of the `github` context (docs: "Contexts reference"); any other `github.x` is empty.
GITHUB = {
    "action", "action_path", "action_ref", "action_repository", "action_status", "actor", "actor_id", "api_url",
    "base_ref", "env", "event", "event_name", "event_path", "graphql_url", "head_ref", "job", "job_workflow_sha",
    "path", "ref", "ref_name", "ref_protected", "ref_type", "repository", "repository_id", "repository_owner",
    "repository_owner_id", "repositoryUrl", "repository_visibility", "retention_days", "run_attempt", "run_id",
    "run_number", "secret_source", "server_url", "sha", "token", "triggering_actor", "workflow", "workflow_ref",
    "workflow_sha", "workspace",
}
# Mistyped properties with exactly one meaning: what the author meant.
MEANT = {"github.pull_request.": "github.event.pull_request.", "github.head_commit.": "github.event.head_commit."}
# Different on every run of a push or pull request (a new push is a new commit).
PER_RUN = ("github.run_id", "github.run_number", "github.sha", "github.workflow_sha", "github.event.after",
           "github.event.pull_request.head.sha", "github.event.head_commit.id")
PR_ONLY = ("github.head_ref", "github.base_ref", "github.event.pull_request", "github.event.number")
EVENTS = ("pull_request", "pull_request_target", "push")

_STRING = re.compile(r"'(?:[^']|'')*'")
_NAME = re.compile(r"[A-Za-z_][\w-]*(?:\.[\w*-]+)*")


def classify(name: str, event: str) -> str:
    """``empty``, ``per-run`` or ``stable``: what one context property is on a run of ``event``."""
    root, _, rest = name.partition(".")
    if root == "github":
        prop = rest.split(".", 1)[0]
        if prop not in GITHUB:
            return "empty"
        if event == "push" and name.startswith(PR_ONLY):
            return "empty"
        if name in PER_RUN:
            return "per-run"
        return "stable"
    if root == "inputs":
        return "empty"  # only workflow_dispatch and workflow_call runs have inputs
    return "stable"  # vars, matrix, env...: the same from one run to the next


def evaluate(body: str, event: str) -> Tuple[Optional[str], bool]:
    """What one ``${{ }}`` gives on a run of ``event`` and whether it was its first operand.

    Only ``a || b || 'c'`` chains of properties and strings are read; anything else
    (functions, comparisons, ``&&``) gives None: not judged.
    """
    operands = [part.strip() for part in _STRING.sub("''", body).split("||")]
    if any("'" in part and part != "''" for part in operands):
        return None, False
    for index, part in enumerate(operands):
        if part == "''":
            literal = _STRING.findall(body)
            if literal and literal[0] != "''":
                return "stable", index == 0
            continue
        if not _NAME.fullmatch(part):
            return None, False
        kind = classify(part, event)
        if kind != "empty":
            return kind, index == 0
    return "empty", False


def never_matches(group: str, event: str, fallback_ok: bool) -> Optional[bool]:
    """True when the group differs on every run of ``event``; None when it cannot be judged.

    With ``fallback_ok`` a per-run value reached only as a fallback (``a || github.sha``)
    does not count: on push that idiom means "never cancel pushes" on purpose.
    """
    per_run = False
    for body in bodies(group):
        kind, first = evaluate(body, event)
        if kind is None:
            return None
        if kind == "per-run" and (first or not fallback_ok):
            per_run = True
    return per_run


def _cancel_events(node) -> Optional[Tuple[str, ...]]:
    """The events on which ``cancel-in-progress`` is true (None: never)."""
    value = (yn.scalar(yn.get_value(node, "cancel-in-progress")) or "").strip() if yn.is_map(node) else ""
    if value.lower() == "true":
        return EVENTS
    if value.startswith("${{"):
        squeezed = value.replace(" ", "").replace('"', "'")
        if "event_name=='pull_request'" in squeezed or "event_name!='push'" in squeezed:
            return ("pull_request",)
        if "event_name=='push'" in squeezed:
            return ("push",)
        return EVENTS
    return None


def mistyped(group: str) -> List[str]:
    out = []
    for body in bodies(group):
        for name in _NAME.findall(_STRING.sub("''", body)):
            if name.startswith("github.") and name.split(".")[1] not in GITHUB:
                out.append(name)
    return out


def _fix(wf: Workflow, node) -> Optional[Fix]:
    group = yn.scalar(node) or ""
    meant = {name: next((new + name[len(old):] for old, new in MEANT.items() if name.startswith(old)), None) for name in mistyped(group)}
    if not meant or None in meant.values() or id(node) in wf.shared:
        return None
    inner = scalar_inner_span(wf.source, node)
    if inner is None:
        return None
    edits = []
    for match in re.finditer(r"(?<![\w.])github\.[\w.-]+", wf.text[inner[0]:inner[1]]):
        if match.group(0) in meant:
            start = inner[0] + match.start()
            edits.append(Edit(start, start + len(match.group(0)), meant[match.group(0)]))
    shown = ", ".join(f"`{old}` → `{new}`" for old, new in sorted(meant.items()))
    return Fix(f"Correct {shown} in the concurrency group", tuple(edits), Safety.UNSAFE)


def _judge(wf: Workflow, concurrency: Concurrency) -> Optional[Finding]:
    node = concurrency.group
    group = yn.scalar(node)
    cancels = _cancel_events(concurrency.node)
    if group is None or cancels is None or not bodies(group):
        return None
    triggers = [e for e in EVENTS if e in wf.triggers and (e in cancels or (e == "pull_request_target" and "pull_request" in cancels))]
    events = [e for e in triggers if never_matches(group, e, fallback_ok=(e == "push")) is True]
    if not events:
        return None
    typos = mistyped(group)
    why = (
        f"`{typos[0]}` is not a property of the `github` context (always empty), so the group falls back to a value that "
        if typos else "the group holds a value that "
    )
    return Finding(
        span=yn.span(node),
        message=(
            f"Concurrency group `{' '.join(group.split())}` of the {concurrency.where} never matches an earlier run on "
            f"{', '.join(events)}: {why}changes on every run, so `cancel-in-progress` cancels nothing and superseded runs "
            "finish. "
            + (f"Use `{next(new + typos[0][len(old):] for old, new in MEANT.items() if typos[0].startswith(old))}`."
               if typos and any(typos[0].startswith(old) for old in MEANT)
               else "Build the group from `github.event.pull_request.number || github.ref` instead of a per-run value.")
        ),
        fix=_fix(wf, node),
        properties={"stake": stake("superseded", jobs=[concurrency.job.id] if concurrency.job else (), events=events)},
    )


def check(wf: Workflow, ctx: Context) -> Iterator[Finding]:
    for concurrency in wf.concurrency():
        finding = _judge(wf, concurrency)
        if finding is not None:
            yield finding


def intent(data, wf: Workflow, finding: Finding, options, fixed) -> None:
    """concurrency-group-never-matches: only mistyped `github.*` properties in the group change."""
    owners = [((), wf.root)] + [(("jobs", job.id), job.node) for job in wf.jobs]
    for path, owner in owners:
        node = yn.get_value(owner, "concurrency")
        group = yn.get_value(node, "group") if yn.is_map(node) else node
        if group is not None and group.start_mark.index == finding.span.start:
            before, after = data, fixed
            for key in path:
                before, after = before[key], after[key]
            old = before["concurrency"]["group"] if isinstance(before["concurrency"], dict) else before["concurrency"]
            new = after["concurrency"]["group"] if isinstance(after["concurrency"], dict) else after["concurrency"]
            expected = old
            for wrong, right in MEANT.items():
                expected = re.sub(r"(?<![\w.])" + re.escape(wrong), right, expected)
            if new != expected:
                raise Mismatch(f"concurrency group became {new!r}, expected {expected!r}")
            if isinstance(before["concurrency"], dict):
                before["concurrency"]["group"] = new
            else:
                before["concurrency"] = new
            return
    raise Mismatch("no concurrency group at the finding")


RULE = Rule(
    code="WFL018",
    slug="concurrency-group-never-matches",
    summary="Concurrency group differs on every run (a per-run value or a mistyped context), so nothing is cancelled",
    check=check,
    intent=intent,
    fix=Safety.UNSAFE,
    tags=("cost", "concurrency"),
)
