"""``yamlrender.render_scalar`` writes any string so that it loads back as that very string,
in a block value, a flow collection and as a key (hypothesis), and plain only when safe."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wflint import yamlnode as yn
from wflint.yamlrender import plain_loads_back, render_flow, render_scalar

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20) | st.sampled_from(
    ["0x10", "0o17", "yes", "No", "ON", "1e3", "1_000", "12:30", "~", "null", ".inf", "-.5", "+1", "*/15 * * * *",
     "&a", "!x", "a: b", "a #b", "a,b", "[a]", "{a}", "- a", "? a", "%x", "@x", "`x", "'", '"', "\\", "a\tb", "a\nb", " a", "a "]
)


def _load(document: str):
    return yn.compose(document)


def _same_string(node, text: str) -> bool:
    return yn.is_scalar(node) and node.value == text and yn.tag(node).endswith(":str")


@given(TEXT)
def test_block_value_loads_back(text):
    root = _load("k: " + render_scalar(text) + "\n")
    assert _same_string(root.value[0][1], text)


@given(TEXT)
def test_flow_item_loads_back(text):
    root = _load("[" + render_scalar(text, flow=True) + ", x]\n")
    assert _same_string(root.value[0], text) and len(root.value) == 2


@given(TEXT)
def test_key_loads_back(text):
    root = _load(render_scalar(text, key=True) + ": v\n")
    assert _same_string(root.value[0][0], text)
    root = _load("{" + render_scalar(text, True, key=True) + ": v}\n")
    assert _same_string(root.value[0][0], text)


@given(st.lists(TEXT, max_size=4))
def test_flow_list_loads_back(items):
    root = _load("k: " + render_flow(items) + "\n")
    assert [n.value for n in root.value[0][1].value] == items


@pytest.mark.parametrize("text", ["0x10", "0o17", "yes", "1e3", "*/15 * * * *", "0,15 * * * *", "on", "12:30", "2001-01-01"])
def test_values_that_plain_would_change_are_quoted(text):
    assert render_scalar(text) != text or plain_loads_back(text)
    assert render_scalar(text, flow=True)[0] in "'\""


def test_plain_stays_plain_where_it_loads_back():
    assert render_scalar("main") == "main"
    assert render_scalar("ubuntu-latest", flow=True) == "ubuntu-latest"
    assert plain_loads_back("0,15,30,45 * * * *") and not plain_loads_back("0,15,30,45 * * * *", flow=True)
    assert not plain_loads_back("*/15 * * * *")
