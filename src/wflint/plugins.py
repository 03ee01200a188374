"""Third-party rules, registered through the entry-point group ``wflint.rules``.

Each entry point loads to a ``Rule`` or to a list (or tuple) of them.  A plugin that
fails to import, gives something else, or reuses a code or slug already taken yields
one message naming it; the other rules still run.
"""

from __future__ import annotations

import dataclasses
import os
import re
import sys
from typing import Iterable, List, Tuple

from .rules import CATALOG, Rule

GROUP = "wflint.rules"
CODE = re.compile(r"^[A-Z]{2,8}[0-9]{1,6}$")
SLUG = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Top-level configuration keys a plugin slug must not shadow.
RESERVED = {"select", "extend-select", "ignore", "per-file-ignores", "ignore-findings", "exclude", "severity", "all"}


def _declared_anywhere() -> bool:
    """Whether some ``entry_points.txt`` on ``sys.path`` may name the group.

    A cheap look before importing ``importlib.metadata`` (which alone costs more than
    linting a small repository): it reads only the entry-point files of installed
    distributions.  A zipped egg or wheel on the path is left to importlib.metadata.
    """
    needle = GROUP.encode()
    for entry in sys.path:
        folder = entry or "."
        if os.path.isfile(folder):
            if folder.endswith((".egg", ".whl")):
                return True
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(folder, name, "entry_points.txt"), "rb") as handle:
                        if needle in handle.read():
                            return True
                except OSError:
                    continue
    return False


def _entry_points() -> Iterable[Tuple[str, object]]:
    """(distribution name, entry point) for every entry point of the group, each once."""
    if not _declared_anywhere():
        return
    from importlib import metadata

    seen = set()
    for dist in metadata.distributions():
        try:
            # Reading the small entry_points.txt first keeps this cheap: METADATA is parsed
            # only for distributions that declare wflint rules.
            text = dist.read_text("entry_points.txt")
            if not text or GROUP not in text:
                continue
            eps = [ep for ep in dist.entry_points if ep.group == GROUP]
            name = dist.metadata["Name"] or "?"
        except Exception:  # a broken distribution on the path: not ours to judge
            continue
        for ep in eps:
            key = (name.lower(), ep.name, ep.value)
            if key in seen:  # the same distribution found twice on sys.path
                continue
            seen.add(key)
            yield name, ep


def _problem(rule: object, where: str, taken: dict) -> str:
    if not isinstance(rule, Rule):
        return f"{where} gave {type(rule).__name__}, not a wflint Rule (or a list of them)"
    if not CODE.match(rule.code):
        return f"{where}: rule code `{rule.code}` is not letters then digits (like `ACME001`)"
    if not SLUG.match(rule.slug) or rule.slug in RESERVED:
        return f"{where}: rule slug `{rule.slug}` is not usable (lower-case words joined by `-`, not a configuration key)"
    if not callable(rule.check):
        return f"{where}: rule `{rule.slug}` has no callable `check`"
    for ident in (rule.code.lower(), rule.slug):
        if ident in taken:
            return f"{where}: rule `{rule.slug}` ({rule.code}) reuses `{ident}`, already taken by {taken[ident]}"
    return ""


def load_plugins() -> Tuple[List[Rule], List[str]]:
    """Rules from third-party plugins, and a message for each plugin that could not be used."""
    taken = {}
    for code, slug, _ in CATALOG:
        taken[code.lower()] = taken[slug] = "a built-in rule"
    rules: List[Rule] = []
    problems: List[str] = []
    for dist, ep in _entry_points():
        where = f"plugin `{dist}` (entry point `{ep.name} = {ep.value}`)"
        try:
            loaded = ep.load()
        except Exception as exc:  # noqa: BLE001 - any failure of third-party code
            problems.append(f"{where} failed to load: {type(exc).__name__}: {exc}; its rules are skipped")
            continue
        candidates = list(loaded) if isinstance(loaded, (list, tuple)) else [loaded]
        mine = dict(taken)
        problem = ""
        for candidate in candidates:
            problem = _problem(candidate, where, mine)
            if problem:
                break
            mine[candidate.code.lower()] = mine[candidate.slug] = f"plugin `{dist}`"
        if problem or not candidates:
            problems.append((problem or f"{where} gave an empty list of rules") + "; its rules are skipped")
            continue
        taken = mine
        rules.extend(dataclasses.replace(c, source=dist, system=False) for c in candidates)
    return rules, problems
