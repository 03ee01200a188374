"""The price table: USD per minute by runner SKU, shipped with wflint and overridable.

A SKU names a runner class: ``linux-2`` (2-core Linux x64), ``linux-arm-4``,
``windows-8``, ``macos-3`` (standard macOS), ``self-hosted``.  An override file is
TOML or JSON with the same ``prices`` table; its entries replace or add to the
shipped ones.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import field
from typing import Dict, FrozenSet, Optional

from ..records import record

SHIPPED = os.path.join(os.path.dirname(__file__), "prices.toml")  # the table to read and edit
# The same table as JSON (scripts/gen_prices_json.py; a test compares them): a lint loads it
# without a TOML parser.
SHIPPED_DATA = os.path.join(os.path.dirname(__file__), "prices.json")


class PriceError(ValueError):
    """A prices file that cannot be read or has a bad entry."""


@record
class PriceTable:
    """USD per minute by runner SKU, with the table's date and source."""

    prices: Dict[str, float]
    date: str
    source: str
    reference: str = "linux-2"
    standard: FrozenSet[str] = field(default_factory=frozenset)
    public: bool = False  # a public repository: standard runners cost nothing

    def per_minute(self, sku: Optional[str]) -> Optional[float]:
        """USD per minute, or None for a runner class with no known price."""
        if sku is None or sku not in self.prices:
            return None
        if self.public and sku in self.standard:
            return 0.0
        return self.prices[sku]

    def multiplier(self, sku: Optional[str]) -> Optional[float]:
        """The price relative to the reference runner (2-core Linux = 1x)."""
        price = self.prices.get(sku) if sku else None
        base = self.prices.get(self.reference)
        if price is None or not base:
            return None
        return price / base


def _read(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise PriceError(f"{path}: cannot read the prices file: {exc.strerror or exc}") from None
    try:
        if path.lower().endswith(".json"):
            return json.loads(data.decode("utf-8"))
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python < 3.11
            import tomli as tomllib
        return tomllib.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise PriceError(f"{path}: not a valid prices file: {exc}") from None


def _prices(data: dict, origin: str) -> Dict[str, float]:
    table = data.get("prices", {})
    if not isinstance(table, dict):
        raise PriceError(f"{origin}: `prices` must be a table of SKU = USD per minute")
    out = {}
    for sku, value in table.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise PriceError(f"{origin}: price of `{sku}` must be a number >= 0, got {value!r}")
        out[str(sku)] = float(value)
    return out


def load(override: Optional[str] = None, public: bool = False) -> PriceTable:
    """The shipped table, with the entries of ``override`` (a file path) applied."""
    data = _read(SHIPPED_DATA)
    prices = _prices(data, SHIPPED)
    date, source = str(data["date"]), str(data["source"])
    if override:
        extra = _read(override)
        prices.update(_prices(extra, override))
        date = str(extra.get("date", f"{date} + {os.path.basename(override)}"))
        source = str(extra.get("source", override))
    standard = frozenset(data.get("standard", {}).get("skus", ()))
    return PriceTable(prices, date, source, str(data.get("reference", "linux-2")), standard, public)


def configured_prices_file(repo_root: str) -> Optional[str]:
    """``[tool.wflint.cost] prices-file`` (or ``prices``) from the repository's pyproject.toml.

    A minimal hook until the configuration module exposes a ``cost`` section; the path is
    taken relative to the repository root.
    """
    path = os.path.join(repo_root, "pyproject.toml")
    if not os.path.isfile(path):
        return None
    try:
        data = _read(path)
    except PriceError:
        return None  # the lint reports a broken pyproject; cost falls back to the shipped table
    section = data.get("tool", {}).get("wflint", {}).get("cost", {})
    value = section.get("prices-file", section.get("prices")) if isinstance(section, dict) else None
    if not isinstance(value, str) or not value:
        return None
    return value if os.path.isabs(value) else os.path.join(repo_root, value)
