"""Resolve the settings of a run: rule selection, rule options, severities, excludes."""

from __future__ import annotations

import difflib
from typing import Iterable, List, Optional, Sequence, Tuple

from .discovery import find_repo_root
from .engine import Settings
from .rules import Rule, all_rules, by_id


class ConfigError(Exception):
    """A configuration or option error; the CLI prints it and exits 2."""


def load_plugins() -> Tuple[List[Rule], List[str]]:
    """Rules from third-party plugins and messages for plugins that failed to load."""
    return [], []


def _lookup(rule_id: str, table, origin: str) -> Rule:
    rule = table.get(rule_id.strip().lower())
    if rule is None:
        close = difflib.get_close_matches(rule_id.lower(), list(table), n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        raise ConfigError(f"{origin}: unknown rule `{rule_id}`{hint}")
    return rule


def select_rules(
    rules: Sequence[Rule],
    select: Optional[Iterable[str]],
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    origin: str = "command line",
) -> List[Rule]:
    table = by_id(rules)
    if select is None:
        chosen = [r for r in rules if r.default]
    else:
        chosen = []
        for rid in select:
            if rid.lower() == "all":
                chosen.extend(rules)
            else:
                chosen.append(_lookup(rid, table, origin))
    chosen.extend(_lookup(rid, table, origin) for rid in extend_select)
    ignored = {_lookup(rid, table, origin).slug for rid in ignore}
    seen = set()
    out = []
    for rule in chosen:
        if rule.slug in ignored or rule.slug in seen:
            continue
        seen.add(rule.slug)
        out.append(rule)
    return sorted(out, key=lambda r: r.code)


def resolve_settings(
    cwd: str,
    paths: Sequence[str] = (),
    config_file: Optional[str] = None,
    no_config: bool = False,
    select: Optional[Sequence[str]] = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    strict: bool = False,
) -> Tuple[Settings, List[str]]:
    rules = all_rules()
    chosen = select_rules(rules, select, extend_select, ignore)
    settings = Settings(rules=chosen, repo_root=find_repo_root(cwd))
    return settings, []
