"""The parsed workflow that rules query: triggers, schedules, jobs and steps, all with positions."""

from __future__ import annotations

from dataclasses import field
from functools import cached_property
from typing import Dict, List, Optional, Set, Tuple

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from . import yamlnode as yn
from .records import record
from .source import Source

LOCAL_CALL = ("./.github/workflows/", "$/.github/workflows/")


def callee_file(uses: Optional[str]) -> Optional[str]:
    """The file name a ``uses: ./.github/workflows/x.yml`` calls (None: not a call of the folder's own)."""
    if not uses or not uses.startswith(LOCAL_CALL) or "${{" in uses:
        return None
    return uses.split("@", 1)[0].rsplit("/", 1)[-1]

# Events that take branch/path filters.
PUSH_LIKE = ("push", "pull_request", "pull_request_target")
PR_EVENTS = ("pull_request", "pull_request_target")


class WorkflowError(Exception):
    """The file parsed as YAML but is not a workflow (``invalid-workflow``)."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


@record
class Trigger:
    """One event of ``on:``.  ``key`` names the event; ``config`` is its mapping form value."""

    name: str
    key: ScalarNode
    config: Optional[Node] = None

    def filter(self, name: str) -> Optional[Node]:
        """The node of a filter (``branches``, ``paths``...) if the event sets it."""
        return yn.get_value(self.config, name)

    def has_filter(self, name: str) -> bool:
        return yn.get(self.config, name) is not None


@record
class Schedule:
    """One ``schedule:`` entry: its cron text, nodes and optional timezone."""

    cron: Optional[str]
    node: Node  # the cron value node (or the entry when cron is missing)
    entry: Node
    timezone: Optional[str] = None
    timezone_node: Optional[Node] = None

    @property
    def shown(self) -> str:
        """The cron expression on one line, for messages (a block scalar may hold line breaks)."""
        return " ".join((self.cron or "").split())


@record
class Step:
    """One step of a job, by index, over its YAML node."""

    index: int
    node: Node

    def get(self, key: str) -> Optional[Node]:
        return yn.get_value(self.node, key)

    @cached_property  # asked by many rules; the node never changes
    def uses(self) -> Optional[str]:
        return yn.scalar(self.get("uses"))

    @cached_property
    def action(self) -> Optional[str]:
        """``owner/repo[/path]`` of a ``uses:`` action, lower-cased, without ``@ref``."""
        uses = self.uses
        if not uses or uses.startswith(("./", "docker://")):
            return None
        return uses.split("@", 1)[0].lower()

    def with_(self, key: str) -> Optional[Node]:
        return yn.get_value(self.get("with"), key)


@record
class Job:
    """One job of ``jobs:``: its id, key node and value node."""

    id: str
    key: ScalarNode
    node: Node

    def get(self, key: str) -> Optional[Node]:
        return yn.get_value(self.node, key)

    def entry(self, key: str):
        return yn.get(self.node, key)

    @property
    def calls_reusable_workflow(self) -> bool:
        return yn.get(self.node, "uses") is not None

    @property
    def local_callee(self) -> Optional[str]:
        """The file name of the reusable workflow of the same folder the job calls
        (``uses: ./.github/workflows/x.yml``), or None."""
        return callee_file(yn.scalar(self.get("uses")))

    @property
    def steps(self) -> List[Step]:
        """The job's steps (the same ``Step`` objects on every call, in a new list)."""
        return list(self._steps)

    @cached_property
    def _steps(self) -> Tuple[Step, ...]:
        return tuple(Step(i, node) for i, node in enumerate(yn.items(self.get("steps"))))


@record
class Concurrency:
    """A ``concurrency`` key: at workflow level (``job`` None) or of one job."""

    node: Node  # its value: a group string or a mapping
    job: Optional[Job] = None

    @property
    def where(self) -> str:
        return "workflow" if self.job is None else f"job `{self.job.id}`"

    @property
    def group(self) -> Optional[Node]:
        """The group's node: the value itself, or its ``group`` entry."""
        return yn.get_value(self.node, "group") if yn.is_map(self.node) else self.node

    def get(self, key: str) -> Optional[Node]:
        return yn.get_value(self.node, key)


@record
class Workflow:
    """A loaded workflow: its source, root mapping, triggers and jobs."""

    source: Source
    root: MappingNode
    on_key: Optional[ScalarNode] = None
    on_value: Optional[Node] = None
    triggers: Dict[str, Trigger] = field(default_factory=dict)
    jobs: List[Job] = field(default_factory=list)
    schedules: List[Schedule] = field(default_factory=list)
    _aliases: Optional[Tuple[Dict[int, int], Set[int]]] = field(default=None, repr=False, compare=False)
    _concurrency: Optional[List[Concurrency]] = field(default=None, repr=False, compare=False)

    @property
    def shared(self) -> Set[int]:
        """ids of the nodes an alias repeats somewhere, and of all they contain: an edit there
        changes every place the alias stands for."""
        if self._aliases is None:
            self._aliases = self._alias_uses()
        return self._aliases[1]

    def _alias_uses(self) -> Tuple[Dict[int, int], Set[int]]:
        if yn.plainly_a_tree(self.source.text) or yn.known_tree(self.root):  # no alias: no walk over every node
            return yn.UsedOnce(), set()
        return yn.alias_uses(self.root)

    @property
    def uses(self) -> Dict[int, int]:
        """How many times each node (by id) is used in the document."""
        if self._aliases is None:
            self._aliases = self._alias_uses()
        return self._aliases[0]

    @property
    def path(self) -> str:
        return self.source.path

    @property
    def text(self) -> str:
        return self.source.text

    def get(self, key: str) -> Optional[Node]:
        return yn.get_value(self.root, key)

    def entry(self, key: str):
        return yn.get(self.root, key)

    @property
    def on_form(self) -> Optional[str]:
        """``scalar`` (``on: push``), ``list`` (``on: [push]``), ``map``, or None."""
        if isinstance(self.on_value, ScalarNode):
            return None if yn.is_null(self.on_value) else "scalar"
        if yn.is_seq(self.on_value):
            return "list"
        if yn.is_map(self.on_value):
            return "map"
        return None

    def has_trigger(self, *names: str) -> bool:
        return any(name in self.triggers for name in names)

    @property
    def only_workflow_call(self) -> bool:
        return set(self.triggers) == {"workflow_call"}

    @cached_property
    def style(self):
        """How the file indents (``yamlrender.Style``), worked out once for every fix that needs it."""
        from .yamlrender import detect_style

        return detect_style(self.root)

    def concurrency(self) -> List[Concurrency]:
        """Every ``concurrency`` key: the workflow's first, then each job's (looked up once;
        each caller gets its own list)."""
        if self._concurrency is None:
            found = []
            for job in [None, *self.jobs]:
                node = self.get("concurrency") if job is None else job.get("concurrency")
                if node is not None:
                    found.append(Concurrency(node, job))
            self._concurrency = found
        return list(self._concurrency)


def _find_on(root: MappingNode):
    for key, value in yn.entries(root):
        if isinstance(key, ScalarNode) and key.value == "on":
            return key, value
    return None, None


def build(source: Source, root: Optional[Node]) -> Workflow:
    """Build the model of a composed document; raises WorkflowError if it is not a mapping."""
    if root is None:
        raise WorkflowError("the file holds no YAML document; a workflow needs `on:` and `jobs:`", 0)
    if not isinstance(root, MappingNode):
        kind = "a list" if yn.is_seq(root) else "a scalar"
        raise WorkflowError(f"the document is {kind}, not a mapping; a workflow is a mapping with `on:` and `jobs:`", root.start_mark.index)
    wf = Workflow(source=source, root=root)
    wf.on_key, wf.on_value = _find_on(root)
    value = wf.on_value
    if isinstance(value, ScalarNode) and yn.scalar(value):
        wf.triggers[value.value] = Trigger(value.value, value)
    elif yn.is_seq(value):
        for item in value.value:
            name = yn.scalar(item)
            if name and name not in wf.triggers:
                wf.triggers[name] = Trigger(name, item)
    elif yn.is_map(value):
        for key, config in yn.entries(value):
            if isinstance(key, ScalarNode) and key.value not in wf.triggers:
                wf.triggers[key.value] = Trigger(key.value, key, config)
    schedule = wf.triggers.get("schedule")
    if schedule is not None:
        for entry in yn.items(schedule.config):
            cron_entry = yn.get(entry, "cron")
            tz_entry = yn.get(entry, "timezone")
            wf.schedules.append(
                Schedule(
                    cron=yn.scalar(cron_entry[1]) if cron_entry else None,
                    node=cron_entry[1] if cron_entry else entry,
                    entry=entry,
                    timezone=yn.scalar(tz_entry[1]) if tz_entry else None,
                    timezone_node=tz_entry[1] if tz_entry else None,
                )
            )
    for key, node in yn.entries(wf.get("jobs")):
        if isinstance(key, ScalarNode):
            wf.jobs.append(Job(key.value, key, node))
    return wf


def load(source: Source) -> Workflow:
    """Parse once and build the model. Raises ``yamlnode.YAMLLoadError`` or ``WorkflowError``."""
    return build(source, yn.compose(source.text))
