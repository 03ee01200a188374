"""Files written by a generator: their leading comments say so, and a fix belongs in the generator.

Only the leading comment block is read (comment and blank lines before the first YAML
line), so a comment deep in the file, or a step that *runs* a generator, does not count.
"""

from __future__ import annotations

import re
from typing import Optional

_SAYS_GENERATED = re.compile(
    r"\b(?:do\s+not\s+edit|don'?t\s+edit|must\s+not\s+be\s+edited"
    r"|(?:auto-?|automatically\s+)generated"
    r"|(?:this|the)\s+(?:file|workflow)\s+(?:is|was|has\s+been)\s+(?:auto-?|automatically\s+)?generated"
    r"|code\s+generated\s+by)\b",
    re.IGNORECASE,
)
MAX_HEADER_LINES = 40


def generated_marker(text: str) -> Optional[str]:
    """The leading comment line that says the file is generated, or None."""
    for number, line in enumerate(text.splitlines()):
        if number >= MAX_HEADER_LINES:
            break
        stripped = line.strip()
        if not stripped or stripped in ("---", "%YAML 1.2", "%YAML 1.1") or stripped.startswith("%"):
            continue
        if not stripped.startswith("#"):
            break
        if _SAYS_GENERATED.search(stripped):
            comment = " ".join(stripped.lstrip("#").split())
            return comment if len(comment) <= 80 else comment[:77] + "..."
    return None
