"""Writing values as YAML text in a file's own style: indentation, block or flow, and
scalars quoted exactly when their plain form would not load back as the same value."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, List, Optional

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import yamlnode as yn
from .records import record

_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_$][A-Za-z0-9_ ./${}()|&='!<>-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~", "y", "n", ".inf", ".nan"}


@record(frozen=True)
class Style:
    """How a file indents: spaces per mapping level, and where ``-`` sits under its key."""

    unit: int = 2
    seq_offset: int = 2


def detect_style(root: Optional[Node]) -> Style:
    unit = seq_offset = None
    for node in yn.mappings(root):
        if node.flow_style:
            continue
        for key, value in node.value:
            if unit is None and isinstance(value, MappingNode) and not value.flow_style and value.value:
                delta = value.value[0][0].start_mark.column - key.start_mark.column  # not the mark of `&anchor`
                if delta > 0:
                    unit = delta
            if seq_offset is None and isinstance(value, SequenceNode) and not value.flow_style and value.value:
                delta = value.start_mark.column - key.start_mark.column
                if delta >= 0 and value.start_mark.line > key.start_mark.line:
                    seq_offset = delta
        if unit is not None and seq_offset is not None:
            break
    unit = unit or 2
    return Style(unit=unit, seq_offset=unit if seq_offset is None else seq_offset)


# -- rendering ---------------------------------------------------------------------


def render_scalar(value: Any, flow: bool = False, key: bool = False) -> str:
    """``value`` as a YAML scalar that loads back as the same value where it is written.

    ``flow``: inside a flow collection (``[...]``, ``{...}``); ``key``: as a mapping key.
    Booleans, None and numbers are written as such.  A string of common characters is
    written plain only when the plain form loads back as that very string there, under YAML 1.2 and 1.1 alike
    (``0x10``, ``yes``, ``1e3``, ``*/15 * * * *`` and ``a, b`` in a flow are quoted);
    otherwise single-quoted, or double-quoted with escapes when it holds characters that
    single quotes cannot carry (line breaks, tabs, control characters).
    """
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if _PLAIN_SAFE.match(text) and plain_loads_back(text, flow, key):
        return text
    if text.isprintable():
        if "'" in text and '"' not in text and "\\" not in text:
            return '"' + text + '"'
        return "'" + text.replace("'", "''") + "'"
    return '"' + "".join(_escape(c) for c in text) + '"'


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _escape(char: str) -> str:
    """One character inside a double-quoted YAML scalar."""
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char.isprintable():
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


_CONTEXTS = {
    (False, False): "k: {}\n",
    (True, False): "[{}]\n",
    (False, True): "{}: v\n",
    (True, True): "{{{}: v}}\n",
}


@lru_cache(maxsize=4096)
def plain_loads_back(text: str, flow: bool = False, key: bool = False) -> bool:
    """Whether ``text`` written plain loads back as the same string (checked by loading it)."""
    if not text or text.lower() in _RESERVED or text != text.strip() or text[0] in "*&!|>'\"%@`#?:-,[]{}":
        return False
    if ": " in text or " #" in text or re.fullmatch(r"[-+.]?[0-9][0-9_.:eExXoObB+-]*", text):
        return False  # a mapping, a comment, or a number in YAML 1.1 or 1.2
    if flow and any(c in text for c in ",[]{}"):
        return False
    try:
        root = yn.compose(_CONTEXTS[(flow, key)].format(text))
    except yn.YAMLLoadError:
        return False
    if flow and not key:
        nodes = root.value if isinstance(root, SequenceNode) else []
    elif isinstance(root, MappingNode) and len(root.value) == 1:
        nodes = [root.value[0][0 if key else 1]]
    else:
        nodes = []
    return len(nodes) == 1 and isinstance(nodes[0], ScalarNode) and nodes[0].value == text and yn.tag(nodes[0]).endswith(":str")


def render_flow(value: Any, inside: bool = False) -> str:
    """Flow style; ``inside`` means within a flow collection, where ``,[]{}`` need quotes."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_scalar(k, True, key=True)}: {render_flow(v, True)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render_flow(v, True) for v in value) + "]"
    return render_scalar(value, inside)


def render_block(value: dict, indent: int, style: Style) -> List[str]:
    """Lines (without line breaks) of a block mapping at column ``indent``."""
    lines = []
    pad = " " * indent
    for key, item in value.items():
        if isinstance(item, dict) and item:
            lines.append(f"{pad}{render_scalar(key, key=True)}:")
            lines.extend(render_block(item, indent + style.unit, style))
        elif isinstance(item, (list, tuple)) and item:
            lines.append(f"{pad}{render_scalar(key, key=True)}:")
            dash = " " * (indent + style.seq_offset)
            for element in item:
                lines.append(f"{dash}- {render_flow(element)}")
        elif item is None:
            lines.append(f"{pad}{render_scalar(key, key=True)}:")
        else:
            lines.append(f"{pad}{render_scalar(key, key=True)}: {render_flow(item)}")
    return lines
