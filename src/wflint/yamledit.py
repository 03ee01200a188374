"""Text edits on YAML source anchored on node positions.

Fixes never re-serialise a document: they compute the smallest ``Edit`` that
adds or replaces one entry, written in the style of the surrounding text (block
or flow, the file's indentation, its sequence indentation).  ``\\n`` in an edit
becomes the file's own line ending when the fixer applies it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, List, Optional

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import yamlnode as yn
from .finding import Edit
from .source import Source

_PLAIN_SAFE = re.compile(r"^[A-Za-z0-9_$][A-Za-z0-9_ ./${}()|&='!<>-]*$")
_RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "~", "y", "n", ".inf", ".nan"}


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


# -- positions ------------------------------------------------------------------------


def content_end(source: Source, node: Node) -> Optional[int]:
    """Offset just past the last character that belongs to ``node``'s content, or None when
    the text does not show it (an alias as key or as sequence item, an explicit ``? key``).

    Block collections end where the next token starts (after trailing comments and
    blank lines), so their end is taken from their last child.  An alias is the node its
    anchor names, with the anchor's marks: where ``key: *alias`` ends is read from the text.
    Block scalars drop trailing line breaks unless they keep them (``|+``).
    """
    return _end_and_leaf(source, node)[0]


def _end_and_leaf(source: Source, node: Node):
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
    if _block_scalar_chomping(source, node) in ("clip", "strip"):
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
    return _end_and_leaf(source, value)


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
        if indent is not None and len(line) > indent:
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
    explicit = next((int(c) for c in indicators if c.isdigit()), None)
    if explicit is not None:
        line_start = text.rfind("\n", 0, indicator_at) + 1
        line = text[line_start:indicator_at]
        return len(line) - len(line.lstrip(" ")) + explicit
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


def _block_scalar_chomping(source: Source, node: Node) -> Optional[str]:
    """``clip``, ``strip`` or ``keep`` for a block scalar (``|``, ``>``), else None.

    The indicators are read right after ``|`` or ``>``, past any tag and anchor (an anchor
    may hold ``-`` or ``+``, and may stand on a line of its own).
    """
    if not isinstance(node, ScalarNode) or node.style not in ("|", ">"):
        return None
    header = _block_header(source, node)
    indicators = header[1] if header else ""
    return "keep" if "+" in indicators else "strip" if "-" in indicators else "clip"


def _last_leaf(node: Node) -> Node:
    """The node whose text comes last in a block collection (the node itself otherwise)."""
    while isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, MappingNode) else last
    return node


def insert_lines_after(source: Source, node: Node, lines: List[str], blank_before: bool = False) -> Optional[Edit]:
    """An edit inserting whole ``lines`` on the line after ``node``'s content (after its comment)."""
    return insert_lines_at_end(source, *_end_and_leaf(source, node), lines, blank_before)


def insert_lines_at_end(source: Source, end: Optional[int], leaf: Optional[Node], lines: List[str], blank_before: bool = False) -> Optional[Edit]:
    """Insert whole ``lines`` on the line after the content that ends at ``end`` with ``leaf``.

    None when ``end`` is unknown, or when that line does not exist yet and the content
    ends with a block scalar that would take the new line break into its value.
    """
    if end is None:
        return None
    if end and source.text[end - 1] in "\r\n":
        at: Optional[int] = end  # a kept block scalar already ends with its line break
    else:
        at = source.next_line_start(end)
    body = "\n".join(lines)
    if at is None:  # last line of a file without a final line break
        if leaf is not None and _block_scalar_chomping(source, leaf) in ("clip", "keep"):
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
    end = content_end(source, node)
    at = None if end is None else source.next_line_start(end)
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
    """Add ``key: value`` to ``mapping`` after the entry whose value is ``after`` (default: last entry).

    None when the entry's end cannot be told from the text (see ``entry_end``), or ``after``
    is no own entry of ``mapping`` (it comes from a merge key or an alias).
    """
    if not mapping.value:
        if not mapping.flow_style:
            return None
        open_at = _flow_open(source, mapping)  # empty flow mapping: `{}`
        return None if open_at is None else Edit.insert(open_at, f"{render_scalar(key, True, key=True)}: {render_flow(value, True)}")
    placed = placement(mapping)
    index = len(mapping.value) - 1
    if after is not None:
        index = next((i for i, (_, v) in enumerate(mapping.value) if v is after and placed[2 * i + 1]), None)
        if index is None:
            index = next((i for i, (_, v) in enumerate(mapping.value) if v is after), None)
        if index is None:  # the entry comes from a merge key: no place of its own to add to
            return None
    key_node, item = mapping.value[index]
    if not isinstance(key_node, ScalarNode):
        return None
    end, leaf = entry_end(source, key_node, item, placed[2 * index], placed[2 * index + 1])
    if mapping.flow_style:
        if end is None:
            return None
        return Edit.insert(end, f", {render_scalar(key, True, key=True)}: {render_flow(value, True)}")
    indent = key_node.start_mark.column
    if isinstance(value, (dict, list)) and value:
        lines = render_block({key: value}, indent, style)
    else:
        lines = [f"{' ' * indent}{render_scalar(key, key=True)}: {render_flow(value)}"]
    return insert_lines_at_end(source, end, leaf, lines, blank_before=blank_before)


def _flow_open(source: Source, mapping: MappingNode) -> Optional[int]:
    """The offset after ``{`` of a flow mapping, past any tag or anchor."""
    match = re.compile(r"(?:(?:![^\s{]*|&[^\s{]+)\s+)*\{").match(source.text, mapping.start_mark.index)
    return match.end() if match else None


def add_step_input(source: Source, step: Node, key: str, value: Any, style: Style, shared=frozenset()) -> Optional[Edit]:
    """Add ``key: value`` to a step's ``with:``, creating ``with:`` after ``uses:`` when it is absent.

    None when the step or its ``with:`` is also used elsewhere (``shared``: ids of nodes an
    alias repeats), or ``with:`` comes from a merge key: the edit would change the others too.
    """
    if not isinstance(step, MappingNode) or id(step) in shared:
        return None
    entry = yn.get(step, "with")
    if entry is None:
        return add_entry(source, step, "with", {key: value}, style, after=yn.get_value(step, "uses"))
    inputs = entry[1]
    if not yn.is_map(inputs) or id(inputs) in shared or own_entry(source, step, inputs) is None:
        return None  # `with:` is something else (an expression), or not this step's own
    return add_entry(source, inputs, key, value, style)


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


def requote(wf, schedule, new_expr: str) -> Optional[tuple]:
    """The edit that writes a plain cron's new expression quoted, when plain it would not load
    back as that string where it stands (``0,15 * * * *`` in a flow mapping); else None."""
    node = schedule.node
    flow = bool(getattr(schedule.entry, "flow_style", False))
    if node.style or plain_loads_back(new_expr, flow):
        return None
    return (Edit(node.start_mark.index, node.end_mark.index, render_scalar(new_expr, flow)),)
