"""README.md's rules table is exactly what scripts/gen_rules_table.py makes from the registry."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from wflint.finding import Safety
from wflint.rules import Rule, all_rules

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.shipped_defaults  # the README shows the shipped defaults


def _script():
    spec = importlib.util.spec_from_file_location("gen_rules_table", ROOT / "scripts" / "gen_rules_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_table_matches_the_registry():
    gen = _script()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert gen.replace_table(readme, gen.table()) == readme, (
        f"README.md's rules table is out of date with the rule registry: run `{gen.COMMAND}`"
    )


def test_table_lists_every_rule_once_with_its_settings():
    gen = _script()
    text = gen.table()
    rows = [line for line in text.splitlines()[2:]]
    assert len(rows) == len(all_rules())
    for rule in all_rules():
        (row,) = [r for r in rows if r.startswith(f"| {rule.code} |")]
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[1] == f"[`{rule.slug}`](rules/{rule.slug}.md)"
        assert cells[2] == ("internal" if rule.system else "on" if rule.default else "with history" if rule.with_history else "off (opt-in)")
        assert cells[3] == (rule.fix.value if rule.fix else "-")


def test_a_new_rule_changes_the_table_and_check_mode_fails(tmp_path, capsys, monkeypatch):
    gen = _script()
    extra = Rule(code="WFL777", slug="made-up", summary="A | pipe stays in its cell", fix=Safety.SAFE, default=False)
    text = gen.table([*all_rules(), extra])
    assert "| WFL777 | [`made-up`](rules/made-up.md) | off (opt-in) | safe | A \\| pipe stays in its cell |" in text
    readme = tmp_path / "README.md"
    readme.write_text(f"x\n{gen.START}\nold\n{gen.END}\ny\n", encoding="utf-8")
    monkeypatch.setattr(gen, "README", readme)
    assert gen.main(["--check"]) == 1
    assert gen.COMMAND in capsys.readouterr().err
    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0
    written = readme.read_text(encoding="utf-8")
    assert written.startswith(f"x\n{gen.START}\n| code |") and written.endswith(f"{gen.END}\ny\n")
