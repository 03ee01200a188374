"""internal-error: a rule raised an exception on this file (reported by the engine)."""

from ..finding import Severity
from .base import Rule

RULE = Rule(
    code="WFL999",
    slug="internal-error",
    summary="A rule failed on this file; the other rules and files were still checked",
    severity=Severity.ERROR,
    tags=("internal",),
    system=True,
)
