"""Text edits on YAML source anchored on node positions.

Fixes never re-serialise a document: they compute the smallest ``Edit`` that
adds or replaces one entry, written in the style of the surrounding text (block
or flow, the file's indentation, its sequence indentation).  ``\\n`` in an edit
becomes the file's own line ending when the fixer applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, List, Optional

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import yamlnode as yn
from .finding import Edit
from .source import Source

_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_$][A-Za-z0-9_ ./${}()|&='!<>-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~", "y", "n"}


@dataclass(frozen=True)
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


def render_scalar(value: Any, flow: bool = False) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    plain = (
        _PLAIN_SAFE.match(text)
        and text.lower() not in _RESERVED
        and ": " not in text
        and " #" not in text
        and text == text.strip()
        and not re.fullmatch(r"[-+]?[0-9][0-9_.:eE+-]*", text)
        and not (flow and any(c in text for c in ",[]{}"))
    )
    if plain:
        return text
    if "'" in text and '"' not in text and "\\" not in text and text.isprintable():
        return '"' + text + '"'
    return "'" + text.replace("'", "''") + "'"


def render_flow(value: Any, inside: bool = False) -> str:
    """Flow style; ``inside`` means within a flow collection, where ``,[]{}`` need quotes."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{render_scalar(k, True)}: {render_flow(v, True)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render_flow(v, True) for v in value) + "]"
    return render_scalar(value, inside)


def render_block(value: dict, indent: int, style: Style) -> List[str]:
    """Lines (without line breaks) of a block mapping at column ``indent``."""
    lines = []
    pad = " " * indent
    for key, item in value.items():
        if isinstance(item, dict) and item:
            lines.append(f"{pad}{render_scalar(key)}:")
            lines.extend(render_block(item, indent + style.unit, style))
        elif isinstance(item, (list, tuple)) and item:
            lines.append(f"{pad}{render_scalar(key)}:")
            dash = " " * (indent + style.seq_offset)
            for element in item:
                lines.append(f"{dash}- {render_flow(element)}")
        elif item is None:
            lines.append(f"{pad}{render_scalar(key)}:")
        else:
            lines.append(f"{pad}{render_scalar(key)}: {render_flow(item)}")
    return lines


# -- positions ------------------------------------------------------------------------


def content_end(source: Source, node: Node) -> int:
    """Offset just past the last character that belongs to ``node``'s content.

    Block collections end where the next token starts (after trailing comments and
    blank lines), so their end is taken from their last child; block scalars drop
    trailing line breaks unless they keep them (``|+``).
    """
    node = _last_leaf(node)
    start, end = node.start_mark.index, node.end_mark.index
    if _block_scalar_chomping(source, node) in ("clip", "strip"):
        while end > start and source.text[end - 1] in " \t\r\n":
            end -= 1
    return end


def _last_leaf(node: Node) -> Node:
    """The node whose text comes last in a block collection (the node itself otherwise)."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def _block_scalar_chomping(source: Source, node: Node) -> Optional[str]:
    """``clip``, ``strip`` or ``keep`` for a block scalar (``|``, ``>``), else None."""
    if not isinstance(node, ScalarNode) or node.style not in ("|", ">"):
        return None
    header = source.text[node.start_mark.index : source.line_end(node.start_mark.index)].split("#", 1)[0]
    return "keep" if "+" in header else "strip" if "-" in header else "clip"


def insert_lines_after(source: Source, node: Node, lines: List[str], blank_before: bool = False) -> Optional[Edit]:
    """An edit inserting whole ``lines`` on the line after ``node``'s content (after its comment).

    None when that line does not exist yet and ``node``'s text ends with a block
    scalar that would take the new line break into its value.
    """
    anchor = content_end(source, node)
    if anchor and source.text[anchor - 1] in "\r\n":
        at: Optional[int] = anchor  # a kept block scalar already ends with its line break
    else:
        at = source.next_line_start(anchor)
    body = "\n".join(lines)
    if at is None:  # last line of a file without a final line break
        if _block_scalar_chomping(source, _last_leaf(node)) in ("clip", "keep"):
            return None
        return Edit.insert(len(source.text), "\n" + ("\n" if blank_before else "") + body)
    if blank_before:
        body = "\n" + body
    return Edit.insert(at, body + "\n")


def insert_lines_at(source: Source, offset: int, lines: List[str]) -> Edit:
    """Insert whole ``lines`` at the start of the line after the one holding ``offset``."""
    at = source.next_line_start(offset)
    if at is None:  # the last line of a file without a final line break
        return Edit.insert(len(source.text), "\n" + "\n".join(lines))
    return Edit.insert(at, "\n".join(lines) + "\n")


def next_line_is_blank(source: Source, node: Node) -> bool:
    at = source.next_line_start(content_end(source, node))
    if at is None:
        return False
    return source.text[at : source.line_end(at)].strip() == ""


def add_entry(
    source: Source,
    mapping: MappingNode,
    key: str,
    value: Any,
    style: Style,
    after: Optional[Node] = None,
    blank_before: bool = False,
) -> Optional[Edit]:
    """Add ``key: value`` to ``mapping`` after the entry whose value is ``after`` (default: last entry)."""
    if after is None:
        after = mapping.value[-1][1] if mapping.value else None
    if mapping.flow_style or after is None:
        if after is None:  # empty flow mapping: `{}`
            open_at = source.text.index("{", mapping.start_mark.index) + 1  # after any tag or anchor
            return Edit.insert(open_at, f"{render_scalar(key, True)}: {render_flow(value, True)}")
        return Edit.insert(content_end(source, after), f", {render_scalar(key, True)}: {render_flow(value, True)}")
    key_node = next((k for k, v in mapping.value if v is after), None)
    if key_node is None:  # the entry comes from a merge key: no place of its own to add to
        return None
    if not isinstance(key_node, ScalarNode) or source.text[key_node.start_mark.index - 2 : key_node.start_mark.index] == "? ":
        return None  # a complex (`? `) key: where its entry ends is not where a new line may go
    indent = key_node.start_mark.column
    if isinstance(value, (dict, list)) and value:
        lines = render_block({key: value}, indent, style)
    else:
        lines = [f"{' ' * indent}{render_scalar(key)}: {render_flow(value)}"]
    return insert_lines_after(source, after, lines, blank_before=blank_before)


def add_step_input(source: Source, step: Node, key: str, value: Any, style: Style) -> Optional[Edit]:
    """Add ``key: value`` to a step's ``with:``, creating ``with:`` after ``uses:`` when it is absent."""
    inputs = yn.get_value(step, "with")
    if yn.is_map(inputs):
        return add_entry(source, inputs, key, value, style)
    if inputs is None:
        return add_entry(source, step, "with", {key: value}, style, after=yn.get_value(step, "uses"))
    return None  # `with:` is something else (an alias to a non-mapping, an expression)


def set_null_value(source: Source, key: ScalarNode, value: Optional[Node], data: dict, style: Style, flow: bool) -> List[Edit]:
    """Give a key whose value is null (``push:`` or ``push: ~``) a mapping value."""
    edits: List[Edit] = []
    if flow:
        rendered = render_flow(data, inside=True)
        if value is not None and value.end_mark.index > value.start_mark.index:
            return [Edit(value.start_mark.index, value.end_mark.index, rendered)]
        after_key = re.match(r"[ \t]*:", source.text[key.end_mark.index :])
        if after_key is None:  # `{push}`: a key with no colon at all
            return [Edit.insert(key.end_mark.index, ": " + rendered)]
        return [Edit.insert(key.end_mark.index + after_key.end(), " " + rendered)]
    if value is not None and value.end_mark.index > value.start_mark.index:
        # `push: ~` / `push: null`: drop the null, keep anything after it on the line
        start = value.start_mark.index
        while start > 0 and source.text[start - 1] == " ":
            start -= 1
        edits.append(Edit(start, value.end_mark.index, ""))
    edits.append(insert_lines_at(source, key.end_mark.index, render_block(data, key.start_mark.column + style.unit, style)))
    return edits


def scalar_inner_span(source: Source, node: ScalarNode) -> Optional[tuple]:
    """(start, end) of a scalar's characters inside its quotes, if they read literally.

    None when the scalar is a block scalar or uses escapes, so a replacement can
    keep the original quoting exactly.
    """
    start, end = node.start_mark.index, node.end_mark.index
    raw = source.text[start:end]
    if node.style in ("'", '"'):
        if len(raw) < 2 or raw[0] != node.style or raw[-1] != node.style:
            return None
        start, end = start + 1, end - 1
        raw = raw[1:-1]
    elif node.style:
        return None
    if raw != node.value:
        return None
    return start, end
