"""Just enough of GitHub's ``${{ }}`` expressions for rules: the context properties they read."""

from __future__ import annotations

import re
from typing import List

_EXPRESSION = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_STRING = re.compile(r"'(?:[^']|'')*'")
_REFERENCE = re.compile(r"(?<![\w.])([A-Za-z_][\w-]*(?:\.[\w*-]+|\[[^\]]*\])*)")
_FUNCTIONS = {"format", "join", "contains", "startsWith", "endsWith", "toJSON", "fromJSON", "hashFiles",
              "success", "always", "cancelled", "failure", "true", "false", "null"}


def bodies(text: str) -> List[str]:
    return [m.group(1) for m in _EXPRESSION.finditer(text or "")]


def literal_text(text: str) -> str:
    """``text`` with every ``${{ }}`` removed: what is the same on every run."""
    return _EXPRESSION.sub("", text or "")


def references(text: str) -> List[str]:
    """Context properties read by the expressions in ``text``, e.g. ``github.ref``, ``inputs.env``."""
    out = []
    for body in bodies(text):
        body = _STRING.sub("''", body)
        for match in _REFERENCE.finditer(body):
            name = match.group(1)
            if name.split(".", 1)[0].split("[", 1)[0] not in _FUNCTIONS:
                out.append(name)
    return out
