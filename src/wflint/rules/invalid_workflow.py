"""invalid-workflow: the YAML document is not a workflow mapping (reported by the loader)."""

from ..finding import Severity
from .base import Rule

RULE = Rule(
    code="WFL901",
    slug="invalid-workflow",
    summary="YAML document is empty or not a mapping, so it cannot be a workflow",
    severity=Severity.ERROR,
    tags=("correctness",),
    system=True,
)
