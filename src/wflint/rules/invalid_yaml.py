"""invalid-yaml: the file is not one readable YAML document (reported by the loader)."""

from ..finding import Severity
from .base import Rule

RULE = Rule(
    code="WFL900",
    slug="invalid-yaml",
    summary="File is not valid YAML, not readable text, too large, or too deeply nested or aliased to load safely",
    severity=Severity.ERROR,
    tags=("correctness",),
    system=True,
)
