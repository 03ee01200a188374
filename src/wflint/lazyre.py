"""Regular expressions compiled on first use, for a quick start.

The rule modules hold some 120 patterns; a typical file uses a quarter of them, and
compiling all at import costs a short run (one file, pre-commit) about 25 ms.  While
``deferred()`` is active, ``re.compile`` called from a wflint module returns a
``LazyPattern``: it keeps the pattern text and compiles on the first method call, after
which the compiled pattern's methods are the object's own attributes (no indirection
on the hot path).  Modules compile with ``re.compile`` as usual; nothing changes for
code that runs outside the window (tests importing a rule module directly get real
patterns).

A ``LazyPattern`` is not an ``re.Pattern``: pass it to ``re.search(P, text)`` and the
``re`` module refuses it; call ``P.search(text)``.
"""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from typing import Iterator

_compile = re.compile
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner")


class LazyPattern:
    """``re.compile(pattern, flags)`` done when first used."""

    def __init__(self, pattern, flags=0):
        self.pattern = pattern
        self._flags = flags

    def _compiled(self):
        compiled = _compile(self.pattern, self._flags)
        for name in _METHODS:
            self.__dict__[name] = getattr(compiled, name)
        self.__dict__["_real"] = compiled
        return compiled

    def __getattr__(self, name):
        # only for what the instance does not hold yet: the methods before the first use,
        # and what the compiled pattern has besides them (flags, groups, groupindex)
        real = self.__dict__.get("_real") or self._compiled()
        return getattr(real, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self._flags!r})"


def _deferring(pattern, flags=0):
    caller = sys._getframe(1).f_globals.get("__name__", "")
    if caller.startswith("wflint.") and isinstance(flags, (int, re.RegexFlag)) and not isinstance(pattern, re.Pattern):
        return LazyPattern(pattern, flags)
    return _compile(pattern, flags)


@contextmanager
def deferred() -> Iterator[None]:
    """``re.compile`` in wflint modules imported inside the block returns ``LazyPattern``s."""
    if re.compile is not _compile:  # nested, or someone else's patch: leave it alone
        yield
        return
    re.compile = _deferring
    try:
        yield
    finally:
        re.compile = _compile
