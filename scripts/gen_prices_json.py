#!/usr/bin/env python3
"""Write src/wflint/cost/prices.json from prices.toml (the table wflint loads without a TOML parser).

    python3 scripts/gen_prices_json.py

prices.toml is the table people read and edit (it carries the sources); tests fail when the
two differ.
"""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "src" / "wflint" / "cost"

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def main() -> None:
    data = tomllib.loads((HERE / "prices.toml").read_text(encoding="utf-8"))
    text = json.dumps(data, indent=1, sort_keys=True) + "\n"
    (HERE / "prices.json").write_text(text, encoding="utf-8")
    print(f"wrote {HERE / 'prices.json'} ({len(data.get('prices', {}))} prices)")


if __name__ == "__main__":
    main()
