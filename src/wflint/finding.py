"""The data model shared by rules, the engine, the fixer and the reporters."""

from __future__ import annotations

import dataclasses
import enum
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Tuple


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


class Safety(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value


@dataclass(frozen=True)
class Span:
    """Half-open character range ``[start, end)`` in ``Source.text``."""

    start: int
    end: int


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` with ``content``.

    ``\\n`` in ``content`` is written with the file's own line ending.
    """

    start: int
    end: int
    content: str

    @classmethod
    def insert(cls, at: int, content: str) -> "Edit":
        return cls(at, at, content)


@dataclass(frozen=True)
class Fix:
    """A finding's fix: a title, the edits it makes and whether it is safe."""

    title: str
    edits: Tuple[Edit, ...]
    safety: Safety = Safety.SAFE


class LaterFix:
    """A fix not built yet: ``make()`` returns the ``Fix`` (or None when none can be made).

    Inside the engine a rule may attach this instead of a ``Fix`` (``rules.base.fix_later``):
    the engine builds the fixes of the findings it reports, after pricing, and drops those of
    findings priced below the bar, which are only counted.  No ``LaterFix`` leaves the engine.
    """

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Optional[Fix]]):
        self.make = make


@dataclass(frozen=True)
class Finding:
    """One problem at one place.

    Rules create findings with ``span``, ``message`` and optionally ``fix`` and
    ``properties``; the engine fills in ``code``, ``slug``, ``severity``, ``path``
    and the 1-based positions.
    """

    span: Span
    message: str
    fix: Optional[Fix] = None
    properties: Dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    code: str = ""
    slug: str = ""
    severity: Severity = Severity.WARNING
    path: str = ""
    line: int = 0
    col: int = 0
    end_line: int = 0
    end_col: int = 0

    @classmethod
    def restore(cls, **fields: Any) -> "Finding":
        """Rebuild a finding from all of its fields (the cache's fast path; skips ``__init__``).

        The caller passes every field (``FIELDS``); nothing is checked here.
        """
        finding = object.__new__(cls)
        finding.__dict__.update(fields)
        return finding

    def but(self, **changes: Any) -> "Finding":
        """This finding with some fields changed: ``dataclasses.replace`` for the engine's hot
        paths (a copy of the fields, without ``replace``'s field walk and keyword call)."""
        finding = object.__new__(type(self))
        values = finding.__dict__
        values.update(self.__dict__)
        for name in changes:
            if name not in values:
                raise TypeError(f"Finding has no field {name!r}")
        values.update(changes)
        return finding

    @property
    def sort_key(self):
        return (self.path, self.line, self.col, self.code, self.message)


FIELDS = tuple(f.name for f in dataclasses.fields(Finding))
