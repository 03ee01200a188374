"""Text edits on YAML source anchored on node positions.

Fixes never re-serialise a document: they compute the smallest ``Edit`` that
adds or replaces one entry, written in the style of the surrounding text (block
or flow, the file's indentation, its sequence indentation).  ``\\n`` in an edit
becomes the file's own line ending when the fixer applies it.
"""

from __future__ import annotations

import re
from typing import Any, List, Optional

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from . import yamlnode as yn
from .finding import Edit
from .source import Source
from .yamlpos import block_chomping, content_end, end_and_leaf, entry_end, own_entry, placement  # noqa: F401
from .yamlrender import Style, plain_loads_back, render_block, render_flow, render_scalar  # noqa: F401


def insert_lines_after(source: Source, node: Node, lines: List[str], blank_before: bool = False) -> Optional[Edit]:
    """An edit inserting whole ``lines`` on the line after ``node``'s content (after its comment)."""
    return insert_lines_at_end(source, *end_and_leaf(source, node), lines, blank_before)


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
        if leaf is not None and block_chomping(source, leaf) in ("clip", "keep"):
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
