"""The rule registry: every built-in rule, in one place, plus plugins from entry points.

To add a rule: write ``rules/<slug_with_underscores>.py`` defining ``RULE``, add its line
to ``CATALOG`` below, and write ``rules/<slug>.md`` at the repository root.

``CATALOG`` holds what choosing the rules of a run needs (code, slug, whether the rule is
on by default); a rule's module is imported when the rule is chosen, or when something asks
for its whole ``Rule`` (``all_rules()``, ``BUILTIN``): a run that lints one file with the
default rules loads 15 of the 36 rule modules.  ``tests/test_rules_catalog.py`` checks every
line against its module's ``RULE``.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from .base import Context, Rule

ON, OFF, HISTORY, SYSTEM = "on", "off", "history", "system"

# (code, slug, default): ON by default, OFF opt-in, HISTORY on when the run has a history
# file (``Rule.with_history``), SYSTEM reported by the loader or the engine (``Rule.system``).
CATALOG = (
    ("WFL001", "missing-concurrency", ON),
    ("WFL002", "cron-too-frequent", ON),
    ("WFL003", "missing-timeout", HISTORY),
    ("WFL004", "missing-path-filters", OFF),
    ("WFL005", "invalid-cron", ON),
    ("WFL006", "duplicate-triggers", HISTORY),
    ("WFL007", "missing-dependency-cache", OFF),
    ("WFL008", "artifact-retention", OFF),
    ("WFL009", "cancel-in-progress-on-release", OFF),
    ("WFL010", "concurrency-group-too-broad", ON),
    ("WFL011", "reusable-workflow-concurrency", ON),
    ("WFL012", "schedule-top-of-hour", OFF),
    ("WFL013", "timeout-too-long", OFF),
    ("WFL014", "tag-push-ignores-paths", OFF),
    ("WFL015", "matrix-fail-fast-disabled", OFF),
    ("WFL016", "checkout-full-history", OFF),
    ("WFL017", "expensive-runner", OFF),
    ("WFL018", "concurrency-group-never-matches", ON),
    ("WFL019", "docker-build-without-cache", OFF),
    ("WFL020", "static-cache-key", OFF),
    ("WFL021", "bot-job-on-full-runner", OFF),
    ("WFL022", "browser-download-every-run", OFF),
    ("WFL023", "full-clone-for-diff", OFF),
    ("WFL025", "release-build-on-pull-request", ON),
    ("WFL026", "build-without-compiler-cache", OFF),
    ("WFL027", "heavy-jobs-not-gated", OFF),
    ("WFL028", "skips-change-detection", ON),
    ("WFL029", "os-independent-work-on-expensive-runner", OFF),
    ("WFL030", "runner-idles-waiting", OFF),
    ("WFL031", "full-matrix-on-expensive-runners", OFF),
    ("WFL033", "scheduled-run-without-changes", OFF),
    ("WFL900", "invalid-yaml", SYSTEM),
    ("WFL901", "invalid-workflow", SYSTEM),
    ("WFL902", "duplicate-key", ON),
    ("WFL903", "unused-suppression", OFF),
    ("WFL999", "internal-error", SYSTEM),
)

__all__ = ["BUILTIN", "CATALOG", "Context", "Listed", "Rule", "all_rules", "by_id", "catalog", "find", "load"]


class Listed:
    """A built-in rule as ``CATALOG`` lists it: enough to choose it (``code``, ``slug``,
    ``default``, ``with_history``, ``system``); ``load()`` gives its ``Rule``."""

    __slots__ = ("code", "slug", "default", "with_history", "system", "source")
    # A rule the configuration does not name needs no option schema (``config.load_config``
    # loads the ``Rule`` of each rule it configures).
    options_schema: Mapping[str, Any] = {}

    def __init__(self, code: str, slug: str, default: str):
        self.code, self.slug = code, slug
        self.default = default in (ON, SYSTEM)
        self.with_history = default == HISTORY
        self.system = default == SYSTEM
        self.source = None  # built in, not a plugin's

    def load(self) -> Rule:
        return load(self.slug)

    def __repr__(self) -> str:
        return f"Listed({self.code!r}, {self.slug!r})"


_loaded: Dict[str, Rule] = {}


def load(slug: str) -> Rule:
    """The ``Rule`` of a built-in rule, its module imported on first use."""
    rule = _loaded.get(slug)
    if rule is None:
        module = importlib.import_module(f"{__name__}.{slug.replace('-', '_')}")
        rule = _loaded[slug] = module.RULE
    return rule


def catalog(extra: Iterable[Rule] = ()) -> List[Union[Listed, Rule]]:
    """Every rule for choosing among them, by code: built-ins as ``Listed`` (nothing imported),
    plugins' ``Rule``s as they are."""
    return sorted([*(Listed(*entry) for entry in CATALOG), *extra], key=lambda r: r.code)


def materialize(rules: Sequence[Union[Listed, Rule]]) -> List[Rule]:
    """The ``Rule`` of each (importing the modules of listed built-ins)."""
    return [rule.load() if isinstance(rule, Listed) else rule for rule in rules]


def all_rules(extra: Iterable[Rule] = ()) -> List[Rule]:
    """Every rule, built-in and ``extra``, by code (imports every built-in rule module)."""
    return sorted([*(load(slug) for _, slug, _ in CATALOG), *extra], key=lambda r: r.code)


def __getattr__(name: str):
    if name == "BUILTIN":  # every built-in Rule, in catalog order (imports them all)
        return [load(slug) for _, slug, _ in CATALOG]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def by_id(rules: Iterable[Union[Listed, Rule]]) -> Dict[str, Union[Listed, Rule]]:
    """Rules by code and by slug (both lower-cased)."""
    table: Dict[str, Union[Listed, Rule]] = {}
    for rule in rules:
        table[rule.code.lower()] = rule
        table[rule.slug.lower()] = rule
    return table


def find(rule_id: str, rules: Optional[Iterable[Rule]] = None) -> Optional[Rule]:
    return by_id(rules if rules is not None else all_rules()).get(rule_id.strip().lower())
