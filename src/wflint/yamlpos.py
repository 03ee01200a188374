"""Where things end in YAML text: the last character of a node's content, read from the text
where the parser's marks do not say it (an alias carries its anchor's marks; a merge key, an
explicit ``? key`` or a block scalar's trailing lines need reading)."""

from __future__ import annotations

import re
from typing import List, Optional

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import yamlnode as yn
from .source import Source


def content_end(source: Source, node: Node) -> Optional[int]:
    """Offset just past the last character that belongs to ``node``'s content, or None when
    the text does not show it (an alias as key or as sequence item, an explicit ``? key``).

    Block collections end where the next token starts (after trailing comments and
    blank lines), so their end is taken from their last child.  An alias is the node its
    anchor names, with the anchor's marks: where ``key: *alias`` ends is read from the text.
    Block scalars drop trailing line breaks unless they keep them (``|+``).
    """
    return end_and_leaf(source, node)[0]


def end_and_leaf(source: Source, node: Node):
    """(``content_end``, the node whose text ends there, or None when it is an alias)."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        placed = placement(node)
        if isinstance(node, MappingNode):
            key, value = node.value[-1]
            return entry_end(source, key, value, placed[-2], placed[-1])
        if not placed[-1]:
            return None, None
        node = node.value[-1]
    start, end = node.start_mark.index, node.end_mark.index
    if block_chomping(source, node) in ("clip", "strip"):
        end = _block_scalar_text_end(source, node, start, end)
    return end, node


def entry_end(source: Source, key: Node, value: Node, key_placed: bool = True, value_placed: bool = True):
    """(where the entry ``key: value`` of a block mapping ends, the node ending there).

    (None, None) for an alias as key or an explicit ``? key``; for ``key: *alias`` the
    end is read from the text (the node is None).
    """
    if not key_placed or _explicit_key(source, key):
        return None, None
    if not value_placed:
        return _alias_end(source, key.end_mark.index), None
    if yn.is_null(value) and value.start_mark.index == value.end_mark.index:
        colon = re.compile(r"[ \t]*:").match(source.text, key.end_mark.index)
        return (colon.end(), key) if colon else (None, None)  # `push:` ends at its colon
    return end_and_leaf(source, value)


def placement(node: Node) -> List[bool]:
    """For each child of a collection (keys and values in turn), whether its marks are its own.

    A child that is an alias repeats a node written earlier, so it starts before the text
    that precedes it in this collection: those are the children whose marks are elsewhere.
    """
    children = [child for pair in node.value for child in pair] if isinstance(node, MappingNode) else list(node.value)
    reached = node.start_mark.index
    out = []
    for child in children:
        own = child.start_mark.index >= reached
        if own:
            reached = max(reached, child.end_mark.index)
        out.append(own)
    return out


def own_entry(source: Source, mapping: MappingNode, value: Node) -> Optional[ScalarNode]:
    """The key of the entry of ``mapping`` (not merged, not aliased) whose value is ``value``."""
    placed = placement(mapping)
    for index, (key, item) in enumerate(mapping.value):
        if item is value and isinstance(key, ScalarNode) and placed[2 * index] and not yn._is_merge_key(key):
            return key
    return None


_ALIAS_AFTER_KEY = re.compile(r"[ \t]*:(?:[ \t]*(?:#[^\r\n]*)?\r?\n)*[ \t]*\*[^\s,\[\]{}]+")


def _alias_end(source: Source, key_end: int) -> Optional[int]:
    """Where ``key: *alias`` ends, read from the text after the key (None if it is not that)."""
    match = _ALIAS_AFTER_KEY.match(source.text, key_end)
    return match.end() if match else None


def _explicit_key(source: Source, key: Node) -> bool:
    """Whether the key is written as ``? key`` (its entry may end anywhere, even without a value)."""
    before = source.text[: key.start_mark.index].rstrip(" \t")
    return before.endswith("?") and (len(before) == 1 or before[-2] in " \t\r\n")


def _block_scalar_text_end(source: Source, node: ScalarNode, start: int, end: int) -> int:
    """The end of a clipped or stripped block scalar's last line that belongs to its value.

    Trailing lines that are empty, or hold no more spaces than the block's indentation,
    are not part of the value; a whitespace-only line indented deeper is (its extra spaces are).
    """
    text = source.text
    indent = _block_indent(source, node)
    while end > start:
        line_start = text.rfind("\n", start, end - 1) + 1
        line = text[line_start:end].rstrip("\r\n")
        if line.strip(" ") or line_start <= start:
            break
        if len(line) > (indent or 0):
            break
        end = line_start
    while end > start and text[end - 1] in "\r\n":
        end -= 1
    return end


def _block_indent(source: Source, node: ScalarNode) -> Optional[int]:
    """The content indentation of a block scalar (None if it has no content line)."""
    header = _block_header(source, node)
    if header is None:
        return None
    indicator_at, indicators = header
    text = source.text
    if any(c.isdigit() for c in indicators):
        # An explicit indentation is relative to the parent node's, which the text shows only
        # indirectly (a tag or anchor may stand on the line before): count any space as content.
        return 0
    newline = text.find("\n", indicator_at)
    at = newline + 1 if newline >= 0 else len(text)
    while at < node.end_mark.index:
        line_end = text.find("\n", at)
        line_end = len(text) if line_end < 0 else line_end
        line = text[at:line_end].rstrip("\r")
        if line.strip(" "):
            return len(line) - len(line.lstrip(" "))
        at = line_end + 1
    return None


_BLOCK_HEADER = re.compile(r"(?:(?:![^\s]*|&[^\s]+)[ \t]*(?:#[^\r\n]*)?(?:\r?\n[ \t]*)?)*([|>])([1-9+-]{0,2})")


def _block_header(source: Source, node: Node):
    """(offset of ``|``/``>``, its indicators) of a block scalar, after any tag and anchor."""
    match = _BLOCK_HEADER.match(source.text, node.start_mark.index)
    return (match.start(1), match.group(2)) if match else None


def block_chomping(source: Source, node: Node) -> Optional[str]:
    """``clip``, ``strip`` or ``keep`` for a block scalar (``|``, ``>``), else None.

    The indicators are read right after ``|`` or ``>``, past any tag and anchor (an anchor
    may hold ``-`` or ``+``, and may stand on a line of its own).
    """
    if not isinstance(node, ScalarNode) or node.style not in ("|", ">"):
        return None
    header = _block_header(source, node)
    indicators = header[1] if header else ""
    return "keep" if "+" in indicators else "strip" if "-" in indicators else "clip"
