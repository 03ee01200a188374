"""What a job does, for the rules that judge work rather than missing keys.

Shared by release-build-on-pull-request, build-without-compiler-cache,
skips-change-detection and runner-idles-waiting: a job's shell text, the runner of each of
its matrix legs (through the cost model's matrix and runner classes), and whether its ``if:``
keeps it off pull requests.
"""

from __future__ import annotations

import re
from typing import List, Optional

from typing import TYPE_CHECKING

from .. import yamlnode as yn
from ..workflow import PR_EVENTS, Job, Step, Workflow

if TYPE_CHECKING:  # pragma: no cover
    from ..cost.runners import Runner


def run_text(step: Step) -> str:
    return yn.scalar(step.get("run")) or ""


def scripts(job: Job) -> str:
    """Every ``run:`` script of the job, one after the other."""
    return "\n".join(run_text(step) for step in job.steps)


def step_text(step: Step) -> str:
    """What a step does, as text: its ``uses``, ``run`` and ``with`` values."""
    parts = [step.uses or "", run_text(step)]
    for _, value in yn.entries(step.get("with")):
        parts.append(str(yn.to_data(value) or ""))
    return "\n".join(parts)


def env_text(wf: Workflow, job: Job) -> str:
    """The ``env:`` of the workflow, the job and its steps, as ``NAME=value`` lines."""
    nodes = [wf.get("env"), job.get("env"), *(step.get("env") for step in job.steps)]
    return "\n".join(f"{k}={yn.to_data(v)}" for node in nodes for k, v in ((yn.scalar(k), v) for k, v in yn.entries(node)))


def legs(job: Job) -> List["Runner"]:
    """The runner of each job a run of ``job`` starts (one per matrix combination).

    The cost model's matrix and runner classes are imported here, not at the top: a plain
    lint imports ``wflint.cost`` only when a rule's cheaper tests already matched a job.
    """
    runs_on = job.get("runs-on")
    if runs_on is None:
        return []
    from ..cost.estimate import _labels, _runners_per_combination
    from ..cost.matrix import job_matrix

    return _runners_per_combination(_labels(yn.to_data(runs_on)), job_matrix(job.node))


def os_legs(job: Job) -> List[Optional[str]]:
    """``linux`` / ``macos`` / ``windows`` (or None when unknown) for each leg."""
    return [runner.os for runner in legs(job)]


def expensive_legs(job: Job) -> int:
    return sum(1 for name in os_legs(job) if name in ("macos", "windows"))


# A matrix this big, or with this many macOS/Windows legs, makes a job heavy.
HEAVY_LEGS = 4
HEAVY_COSTLY_LEGS = 2


def heavy_matrix(job: Job) -> Optional[str]:
    """``"6 jobs a run, 2 on macOS/Windows"`` for a heavy matrix job, else None."""
    os_names = os_legs(job)
    costly = sum(1 for name in os_names if name in ("macos", "windows"))
    if len(os_names) >= HEAVY_LEGS or costly >= HEAVY_COSTLY_LEGS:
        return f"{len(os_names)} jobs a run" + (f", {costly} on macOS/Windows" if costly else "")
    return None


def pr_events(wf: Workflow) -> List[str]:
    return [name for name in PR_EVENTS if name in wf.triggers]


def condition(node) -> str:
    text = yn.scalar(node)
    return "" if text is None else str(text)


# An `if:` that keeps a job off pull requests: a check of the event, of a tag or branch ref,
# of a label, or of the repository's own event (``github.event_name == 'push'``).
_OFF_PR = re.compile(
    r"event_name\s*!=\s*['\"]pull_request|event_name\s*==\s*['\"](?!pull_request)\w+['\"]|"
    r"github\.ref\s*==|startsWith\(\s*github\.ref|github\.ref_type|refs/tags|refs/heads/|"
    r"\blabels?\b|github\.event\.label|workflow_dispatch|schedule|inputs\.|"
    r"contains\(\s*github\.event\.(head_commit|pull_request)\.(message|title|body)|"
    r"needs\.[\w-]+\.outputs",
    re.IGNORECASE,
)


_ON_PR = re.compile(r"event_name\s*==\s*['\"]pull_request", re.IGNORECASE)


def gated_off_pr(job: Job) -> bool:
    """The job's ``if:`` may skip it on pull requests (any test of event, ref, label or input
    that does not also let pull requests through)."""
    text = condition(job.get("if"))
    return bool(_OFF_PR.search(text)) and not _ON_PR.search(text)


def pr_runs(wf: Workflow) -> List[str]:
    """Pull-request events that run the workflow on every push to a pull request: not only
    on ``labeled`` / ``closed`` and the like."""
    out = []
    for name in pr_events(wf):
        types = yn.to_data(wf.triggers[name].filter("types"))
        if types is None or (isinstance(types, list) and "synchronize" in types) or types == "synchronize":
            out.append(name)
    return out


def needs(job: Job) -> List[str]:
    value = yn.to_data(job.get("needs"))
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, str)]
    return []


def pr_paths_filtered(wf: Workflow, ignore_counts: bool = False) -> bool:
    """Every pull-request event of the workflow lists the ``paths`` it runs for (or, with
    ``ignore_counts``, has ``paths-ignore`` too): it does not run for every change."""
    events = [wf.triggers[name] for name in pr_events(wf)]
    return bool(events) and all(t.has_filter("paths") or (ignore_counts and t.has_filter("paths-ignore")) for t in events)
