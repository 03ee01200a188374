"""unused-suppression: a ``# wflint: ignore[...]`` comment that silences nothing (reported by the engine)."""

from ..finding import Severity
from .base import Rule

RULE = Rule(
    code="WFL903",
    slug="unused-suppression",
    summary="Suppression comment silences no finding (opt-in; on with --strict)",
    severity=Severity.WARNING,
    default=False,
    tags=("suppression",),
)
