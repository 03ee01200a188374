#!/usr/bin/env python3
"""Write README.md's rules table from the rule registry.

    python3 scripts/gen_rules_table.py          # rewrite the table in README.md
    python3 scripts/gen_rules_table.py --check  # exit 1 if README.md's table is out of date

The table sits between ``<!-- rules-table:start -->`` and ``<!-- rules-table:end -->``.
Internal rules (load and engine errors) are listed after the others and marked as such.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wflint.rules import all_rules  # noqa: E402

README = ROOT / "README.md"
START, END = "<!-- rules-table:start -->", "<!-- rules-table:end -->"
COMMAND = "python3 scripts/gen_rules_table.py"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(rules=None) -> str:
    rules = all_rules() if rules is None else rules
    ordered = [r for r in rules if not r.system] + [r for r in rules if r.system]
    lines = [
        "| code | rule | default | fix | summary |",
        "|---|---|---|---|---|",
    ]
    for rule in ordered:
        default = "internal" if rule.system else ("on" if rule.default else "with history" if rule.with_history else "off (opt-in)")
        fix = rule.fix.value if rule.fix else "-"
        slug = f"[`{rule.slug}`](rules/{rule.slug}.md)"
        lines.append(f"| {rule.code} | {slug} | {default} | {fix} | {_cell(rule.summary)} |")
    return "\n".join(lines) + "\n"


def replace_table(text: str, new_table: str) -> str:
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no `{START}` ... `{END}` markers")
    return text[: start + len(START)] + "\n" + new_table + text[end:]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when README.md differs")
    args = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    new = replace_table(text, table())
    if args.check:
        if new != text:
            print(f"README.md's rules table is out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if new != text:
        with open(README, "w", encoding="utf-8", newline="") as handle:  # Path.write_text has no newline= before 3.10
            handle.write(new)
        print("README.md: rules table updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
