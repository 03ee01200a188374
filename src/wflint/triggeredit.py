"""Edits of ``on:``: give one event a filter, turning ``on: push`` or ``on: [a, b]`` into
the mapping form when needed.  Shared by the rules whose fixes add trigger filters."""

from __future__ import annotations

import re
from typing import Dict, List, Optional

from ruamel.yaml.nodes import ScalarNode

from . import yamlnode as yn
from .finding import Edit
from .workflow import Workflow
from .yamledit import Style, add_entry, insert_lines_at, render_block, render_flow, set_null_value

_EVENT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


def add_to_trigger(wf: Workflow, name: str, key: str, value, also: Optional[Dict[str, dict]] = None) -> Optional[List[Edit]]:
    """Edits that add ``key: value`` to the event ``name`` of ``on:``; None if it cannot be done safely.

    In the mapping form only that event changes.  The string and list forms become a
    mapping; there each event of ``also`` gets its own entries too (so one conversion
    serves every finding it fixes) and the other events keep a null value.
    """
    style = wf.style
    if _anchored(wf, wf.on_value) or any(_anchored(wf, item) for item in yn.items(wf.on_value)):
        return None  # rewriting the value would drop an anchor that an alias may use
    form = wf.on_form
    if form == "map":
        trigger = wf.triggers[name]
        config = trigger.config
        if id(wf.on_value) in wf.shared or id(trigger.key) in wf.shared or (config is not None and id(config) in wf.shared):
            return None  # an alias or a merge key uses this mapping elsewhere: adding to it would change that too
        if yn.is_null(config):
            return set_null_value(wf.source, trigger.key, config, {key: value}, style, flow=bool(wf.on_value.flow_style))
        if yn.is_map(config):
            edit = add_entry(wf.source, config, key, value, style)
            return [edit] if edit else None
        return None
    if form not in ("scalar", "list"):
        return None
    events = [yn.scalar(wf.on_value)] if form == "scalar" else [yn.scalar(item) for item in wf.on_value.value]
    if not all(e and _EVENT_NAME.fullmatch(e) for e in events):
        return None  # only event names are rewritten as keys
    if len(set(events)) != len(events) or any(id(item) in wf.shared for item in yn.items(wf.on_value)):
        return None  # `- push` twice would become two `push:` keys; an aliased item is written elsewhere
    extra = dict(also or {})
    extra.setdefault(name, {})[key] = value
    mapping = {e: extra.get(e) for e in events}
    if wf.root.flow_style:
        return [Edit(wf.on_value.start_mark.index, wf.on_value.end_mark.index, render_flow(mapping, inside=True))]
    return _to_block_mapping(wf, mapping, style)


def _anchored(wf: Workflow, node) -> bool:
    """The node's text starts with an anchor (``&name``), after any tag."""
    return node is not None and re.match(r"(?:![^\s]*\s+)?&", wf.source.text[node.start_mark.index :]) is not None


def _to_block_mapping(wf: Workflow, mapping: dict, style: Style) -> Optional[List[Edit]]:
    src = wf.source
    node = wf.on_value
    indent = wf.on_key.start_mark.column + style.unit
    if isinstance(node, ScalarNode) or node.flow_style:
        start, end = node.start_mark.index, node.end_mark.index
        if node.start_mark.line != node.end_mark.line or node.start_mark.line != wf.on_key.start_mark.line:
            return None
        while start > 0 and src.text[start - 1] in " \t":
            start -= 1
        keep_comment = " " if src.text[end : end + 1] == "#" else ""  # `[push]#c`: keep `#c` a comment
        return [Edit(start, end, keep_comment), insert_lines_at(src, end, render_block(mapping, indent, style))]
    # A block sequence: turn each `- event` into `event:` in place, keeping comments between items.
    edits = []
    for item in node.value:
        dash = item.start_mark.index - 1
        while dash >= 0 and src.text[dash] == " ":
            dash -= 1
        if dash < 0 or src.text[dash] != "-" or item.start_mark.line != item.end_mark.line:
            return None
        name = item.value
        # `on:` with `- push` under it at the same column: the new key must be indented
        dash_col = src.linecol(dash)[1] - 1
        key_col = dash_col if dash_col > wf.on_key.start_mark.column else wf.on_key.start_mark.column + style.unit
        edits.append(Edit(dash, item.end_mark.index, " " * (key_col - dash_col) + f"{name}:"))
        if mapping[name]:
            edits.append(insert_lines_at(src, item.end_mark.index, render_block(mapping[name], key_col + style.unit, style)))
    return edits
