"""What a fix means to change in a workflow's data: the vocabulary of each rule's ``intent``.

A rule with a fix declares ``Rule(intent=...)``: a function
``intent(expected, wf, finding, options, fixed)`` that applies, to ``expected`` (the plain data
of the text before the fix, ``yamlnode.to_data``), exactly the change the fix of ``finding``
means to make, reading what it may need from ``fixed`` (the data after).  It raises ``Mismatch``
when ``fixed`` shows a change the fix must not make.  The fixer's guard and
``scripts/semantic_check.py`` both compare ``expected`` with ``fixed``: any other difference
means the fix changed what the workflow does, and it is withheld.
"""

from __future__ import annotations

from typing import Any, Callable, Dict

from . import yamlnode as yn
from .finding import Finding
from .workflow import Workflow

Intent = Callable[[Any, Workflow, Finding, Dict[str, Any], Any], None]


class Mismatch(Exception):
    """A fix changed something it does not intend."""


def plain(value):
    """A Python option value as ``to_data`` reads it back from YAML."""
    if value is True or value is False:
        return str(value).lower()
    return value if isinstance(value, str) else str(value)


def event_config(data, wf: Workflow, finding: Finding) -> dict:
    """The mapping of the event whose key the finding points at; `on:` in scalar or list form
    becomes the mapping form (the other events with no value)."""
    event = next((t.name for t in wf.triggers.values() if t.key.start_mark.index == finding.span.start), None)
    if event is None:
        raise Mismatch("no event at the finding")
    on = data.get("on")
    if isinstance(on, str):
        on = data["on"] = {on: None}
    elif isinstance(on, list):
        on = data["on"] = {name: None for name in on}
    if not isinstance(on, dict) or event not in on:
        raise Mismatch(f"no event `{event}` in `on:`")
    if not isinstance(on[event], dict):
        on[event] = {}
    return on[event]


def step_with(data, wf: Workflow, finding: Finding, fixed):
    """The ``with`` mappings (expected, fixed) of the step whose ``uses`` the finding points at."""
    for job in wf.jobs:
        for step in job.steps:
            uses = yn.entry_span(step.node, "uses")
            if uses is not None and uses.start == finding.span.start:
                try:
                    expected = data["jobs"][job.id]["steps"][step.index]
                    after = fixed["jobs"][job.id]["steps"][step.index]["with"]
                except (KeyError, IndexError, TypeError):
                    raise Mismatch(f"job `{job.id}` step {step.index + 1} has no `with:` after the fix") from None
                if not isinstance(expected.get("with"), dict):
                    expected["with"] = {}
                if not isinstance(after, dict):
                    raise Mismatch("the step's `with` is not a mapping after the fix")
                return expected["with"], after
    raise Mismatch("no step at the finding")


def schedule_index(wf: Workflow, finding: Finding) -> int:
    for index, schedule in enumerate(wf.schedules):
        if schedule.node.start_mark.index == finding.span.start:
            return index
    raise Mismatch("no schedule at the finding")


def fixed_cron(fixed, index: int) -> str:
    try:
        return str(fixed["on"]["schedule"][index]["cron"])
    except (KeyError, IndexError, TypeError):
        raise Mismatch(f"schedule {index + 1} has no cron after the fix") from None


def describe(expected, actual, path: str = "") -> str:
    """Where two data trees first differ, in one line."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual), key=str):
            if expected.get(key, "<missing>") != actual.get(key, "<missing>"):
                return describe(expected.get(key, "<missing>"), actual.get(key, "<missing>"), f"{path}.{key}")
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for i, (a, b) in enumerate(zip(expected, actual)):
            if a != b:
                return describe(a, b, f"{path}[{i}]")
    shown = lambda v: "missing" if v == "<missing>" else repr(v)  # noqa: E731
    text = f"at {path or 'the top'}: expected {shown(expected)}, got {shown(actual)}"
    return text if len(text) <= 200 else text[:197] + "..."
