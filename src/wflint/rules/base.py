"""What a rule is: the interface shared by built-in rules and plugins."""

from __future__ import annotations

from dataclasses import field
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, Tuple, Union

from ..finding import Finding, Fix, LaterFix, Safety, Severity
from ..records import record
from ..workflow import Workflow


@record
class Context:
    """What a rule's ``check`` gets beside the workflow."""

    options: Mapping[str, Any] = field(default_factory=dict)
    repo_root: Optional[str] = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    defer_fixes: bool = False  # the engine's runs: see ``fix_later``


def fix_later(ctx: Context, make: Callable[[], Optional[Fix]]) -> Union[Fix, LaterFix, None]:
    """A finding's fix built by ``make()``: at once, or (in the engine) only if the finding is
    reported.  Most cost findings are priced below the bar and only counted; building their
    edits would be wasted.  ``make`` may run after ``check`` moved on: it must capture what it
    needs (``lambda job=job: ...``)."""
    return LaterFix(make) if ctx.defer_fixes else make()


CheckFn = Callable[[Workflow, Context], Iterable[Finding]]


def _no_check(wf: Workflow, ctx: Context) -> Iterable[Finding]:
    return ()


@record(frozen=True)
class Rule:
    """A rule: stable ``code`` and ``slug``, a one-line ``summary`` and a ``check`` generator.

    ``fix`` says whether the rule's fix is safe or unsafe (None: no fix).
    ``options`` holds the defaults of the rule's options and ``options_schema``
    the JSON schema of each (used to validate configuration).
    ``intent`` (required with a fix) applies to the data of the file before a fix exactly
    the change the fix means to make (see ``wflint.intent``); the fixer withholds a fix whose
    result differs from it anywhere else.
    ``default`` is False for opt-in rules; ``with_history`` turns an opt-in rule on by default
    when the run has a history file (``wflint usage --save``): a rule whose waste depends on
    how busy the repository is, which only history shows.  ``source`` names a plugin's
    distribution (None for built-in rules; set by the plugin loader).  ``doc`` is a
    plugin's Markdown page for ``wflint rule`` (built-in pages live in ``rules/``).
    """

    code: str
    slug: str
    summary: str
    check: CheckFn = _no_check
    severity: Severity = Severity.WARNING
    fix: Optional[Safety] = None
    default: bool = True
    with_history: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    options_schema: Mapping[str, Any] = field(default_factory=dict)
    tags: Tuple[str, ...] = ()
    precision: str = "high"
    source: Optional[str] = None
    # Findings of this rule come from the loader or the engine, not from ``check``.
    system: bool = False
    doc: Optional[str] = None
    intent: Optional[Callable[..., None]] = None

    def options_with(self, overrides: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        merged = dict(self.options)
        if overrides:
            merged.update(overrides)
        return merged
