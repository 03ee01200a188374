"""Resolve the settings of a run: configuration file, rule selection, options, ignores, plugins.

The configuration lives at the repository root, in the first of: ``[tool.wflint]`` in
``pyproject.toml``, ``.wflint.toml``, ``.wflint.yaml`` (or ``.wflint.yml``).  ``--config FILE``
names another file; ``--no-config`` reads none.  Command-line options win over the file, as
in ruff: the file's ``select``/``extend-select``/``ignore`` apply first, then the command
line's (``--select`` replaces the selection, ``--extend-select`` adds, ``--ignore`` removes),
so ``--select missing-timeout`` runs that rule even when the file ignores it.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple

from .discovery import find_repo_root
from .engine import Settings
from .finding import Severity
from .plugins import load_plugins
from .records import record
from .rules import Listed, Rule, by_id, catalog, materialize
from .suppress import FindingIgnore

__all__ = ["ConfigError", "Config", "find_config", "load_config", "load_plugins", "resolve_settings", "select_rules"]

CANDIDATES = ("pyproject.toml", ".wflint.toml", ".wflint.yaml", ".wflint.yml")
GENERAL_KEYS = ("select", "extend-select", "ignore", "exclude", "per-file-ignores", "ignore-findings", "severity", "cost")
_FINDING = re.compile(r"^(?P<rule>[A-Za-z0-9_-]+)@(?P<path>[^@]+?):(?P<line>[0-9]+)(?::(?P<col>[0-9]+))?$")


class ConfigError(Exception):
    """A configuration or option error; the CLI prints it and exits 2."""


@record
class Config:
    """A configuration file's table, as read (validated by ``load_config``)."""

    file: str  # as shown in messages
    data: Dict[str, Any] = field(default_factory=dict)
    prefix: Tuple[str, ...] = ()  # ("tool", "wflint") inside pyproject.toml

    def where(self, *path: Any) -> str:
        from .configschema import key_path

        return f"{self.file}: {key_path(self.prefix, path)}"


# -- reading ---------------------------------------------------------------------


def _read_toml(path: str, shown: str) -> Dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python < 3.11
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {(exc.strerror or str(exc)).lower()}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not UTF-8 text: {exc.reason}") from None


def _read_yaml(path: str, shown: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read: {(exc.strerror or str(exc)).lower()}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not UTF-8 text: {exc.reason}") from None
    try:
        data = YAML(typ="safe", pure=True).load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f":{mark.line + 1}:{mark.column + 1}" if mark is not None else ""
        raise ConfigError(f"{shown}{at}: invalid YAML: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise ConfigError(f"{shown}: invalid YAML: {exc}") from None
    return _undot({} if data is None else data, shown)


def _undot(data: Any, shown: str) -> Any:
    """``rule.option: value`` at the top of a YAML file means what the dotted key means in TOML."""
    if not isinstance(data, dict) or not any(isinstance(k, str) and "." in k for k in data):
        return data
    out: Dict[Any, Any] = {}
    for key, value in data.items():
        if isinstance(key, str) and "." in key:
            key, option = key.split(".", 1)
            value = {option: value}
        if key not in out:
            out[key] = value
        elif isinstance(out[key], dict) and isinstance(value, dict) and not set(out[key]) & set(value):
            out[key] = {**out[key], **value}
        else:
            clash = sorted(set(out[key]) & set(value)) if isinstance(out[key], dict) and isinstance(value, dict) else []
            raise ConfigError(f"{shown}: {key}{'.' + str(clash[0]) if clash else ''}: set twice")
    return out


def _display(path: str, cwd: str) -> str:
    rel = os.path.relpath(path, cwd) if os.path.isabs(path) else path
    return path if rel.startswith("..") else rel


def _not_nested(data: Any, shown: str) -> Any:
    """A ``[tool.wflint]`` table belongs in pyproject.toml: say so instead of "tool: unknown key"."""
    if isinstance(data, dict) and isinstance(data.get("tool"), dict):
        raise ConfigError(
            f"{shown}: tool: this file holds wflint's settings at its top level (`select = [...]`, "
            "`[cron-too-frequent]`); `[tool.wflint]` is only for pyproject.toml: move its keys to the top"
        )
    return data


def read_config(path: str, cwd: str, explicit: bool = False) -> Optional[Config]:
    """The configuration in ``path``; None for a pyproject.toml without ``[tool.wflint]`` (unless explicit)."""
    shown = _display(path, cwd)
    name = os.path.basename(path).lower()
    if name.endswith((".yaml", ".yml")):
        return Config(shown, _not_nested(_read_yaml(path, shown), shown))
    if not name.endswith(".toml"):
        raise ConfigError(f"{shown}: unknown configuration format (expected a .toml, .yaml or .yml file)")
    data = _read_toml(path, shown)
    if name != "pyproject.toml":
        return Config(shown, _not_nested(data, shown))
    tool = data.get("tool")
    section = tool.get("wflint") if isinstance(tool, dict) else None
    if section is None:
        if explicit:
            raise ConfigError(f"{shown}: has no [tool.wflint] table")
        return None
    return Config(shown, section, ("tool", "wflint"))


def find_config(root: str, cwd: str) -> Optional[Config]:
    for name in CANDIDATES:
        path = os.path.join(root, name)
        if os.path.isfile(path):
            config = read_config(path, cwd)
            if config is not None:
                return config
    return None


# -- validating ------------------------------------------------------------------


def load_config(config: Config, rules: Sequence[Rule]) -> Config:
    """Validate ``config`` against the schema and the rule registry; raises ConfigError."""
    from .configschema import errors, schema_for

    if not isinstance(config.data, dict):
        where = ".".join(config.prefix) or "the file"
        raise ConfigError(f"{config.file}: {where}: expected a table of settings, got {type(config.data).__name__}")
    # Every problem in one run: the schema's and the unknown rule names (of well-typed entries).
    # Only the rules the file configures need their options' schema (and their modules).
    configured = [r.load() if isinstance(r, Listed) and r.slug in config.data else r for r in rules]
    problems = errors(config.data, schema_for(configured), config.file, config.prefix)
    problems += _check_rule_names(config, rules)
    if problems:
        raise ConfigError("\n".join(problems))
    return config


def _unknown_rule(where: str, rule_id: str, table: Dict[str, Rule]) -> str:
    import difflib

    close = difflib.get_close_matches(rule_id.lower(), list(table), n=1)
    if close:
        rule = table[close[0]]
        hint = f" (did you mean `{rule.code if close[0] == rule.code.lower() else rule.slug}`?)"
    else:
        hint = " (see `wflint rules`)"
    return f"{where}: unknown rule `{rule_id}`{hint}"


def _strings(value: Any) -> List[Tuple[int, str]]:
    """(index, entry) for the string entries of a list (the schema reports the others)."""
    return [(i, v) for i, v in enumerate(value) if isinstance(v, str)] if isinstance(value, list) else []


def _check_rule_names(config: Config, rules: Sequence[Rule]) -> List[str]:
    table = by_id(rules)
    data = config.data
    out = []
    for key in ("select", "extend-select", "ignore"):
        for i, rule_id in _strings(data.get(key)):
            if rule_id.strip().lower() not in table and rule_id.strip().lower() != ALL:
                out.append(_unknown_rule(config.where(key, i), rule_id, table))
    per_file = data.get("per-file-ignores")
    for pattern, ids in (per_file.items() if isinstance(per_file, dict) else ()):
        for i, rule_id in _strings(ids):
            if rule_id.lower() not in table and rule_id.lower() != ALL:
                out.append(_unknown_rule(config.where("per-file-ignores", pattern, i), rule_id, table))
    severity = data.get("severity")
    for rule_id in (severity if isinstance(severity, dict) else ()):
        if rule_id.lower() not in table:
            out.append(_unknown_rule(config.where("severity", rule_id), rule_id, table))
    for i, entry in _strings(data.get("ignore-findings")):
        rule_id = entry.split("@", 1)[0]
        if rule_id.lower() not in table:
            out.append(_unknown_rule(config.where("ignore-findings", i), rule_id, table))
    return out


# -- resolving -------------------------------------------------------------------


ALL = "all"


@record
class Selection:
    """One layer of rule selection: the configuration file's, then the command line's."""

    select: Optional[Sequence[str]] = None  # None: keep the selection so far
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    origin: str = "command line"


def _resolve_ids(ids: Iterable[str], table: Dict[str, Rule], rules: Sequence[Rule], origin: str, option: str,
                 problems: List[str]) -> List[Rule]:
    out: List[Rule] = []
    for rid in ids:
        key = rid.strip().lower()
        if key == ALL:
            out.extend(rules)
        elif key in table:
            out.append(table[key])
        else:
            problems.append(_unknown_rule(f"{origin}: {option}" if origin == "command line" else origin, rid, table))
    return out


def select_layers(rules: Sequence[Rule], layers: Sequence[Selection], history: bool = False) -> List[Rule]:
    """The rules to run, like ruff: start from the default rules; each layer in turn (the
    configuration, then the command line) replaces the selection with its ``select`` if it has
    one, adds its ``extend-select``, then removes its ``ignore``.  A later layer wins: the command
    line's ``--select missing-timeout`` runs that rule even if the file ignores it.  ``all``
    works in every list.  Every unknown rule name of every layer is reported in one ConfigError.
    With ``history`` (the run has a history file), the rules marked ``with_history`` are default.
    """
    table = by_id(rules)
    problems: List[str] = []
    chosen: Dict[str, Rule] = {r.slug: r for r in rules if r.default or (history and r.with_history)}
    for layer in layers:
        if layer.select is not None:
            chosen = {r.slug: r for r in _resolve_ids(layer.select, table, rules, layer.origin, "--select", problems)}
        for rule in _resolve_ids(layer.extend_select, table, rules, layer.origin, "--extend-select", problems):
            chosen.setdefault(rule.slug, rule)
        for rule in _resolve_ids(layer.ignore, table, rules, layer.origin, "--ignore", problems):
            chosen.pop(rule.slug, None)
    if problems:
        raise ConfigError("\n".join(problems))
    return sorted(chosen.values(), key=lambda r: r.code)


def select_rules(
    rules: Sequence[Rule],
    select: Optional[Iterable[str]],
    extend_select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    origin: str = "command line",
) -> List[Rule]:
    """One layer of selection over the default rules (see ``select_layers``)."""
    return select_layers(rules, [Selection(None if select is None else list(select), list(extend_select), list(ignore), origin)])


def repo_root(paths: Sequence[str], cwd: str) -> str:
    """The repository of the first path given (a folder holding ``.git`` at or above it);
    else, and for paths in no repository, that of the current folder."""
    for raw in paths:
        if raw == "-":
            continue
        path = raw if os.path.isabs(raw) else os.path.join(cwd, raw)
        root = find_repo_root(path if os.path.isdir(path) else os.path.dirname(path) or cwd)
        if os.path.exists(os.path.join(root, ".git")):
            return root
        break
    return find_repo_root(cwd)


def _finding_ignore(entry: str, table: Dict[str, Rule]) -> FindingIgnore:
    match = _FINDING.match(entry)
    assert match is not None  # the schema's pattern checked it
    path = match.group("path").replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    col = match.group("col")
    return FindingIgnore(table[match.group("rule").lower()].slug, path, int(match.group("line")), int(col) if col else None)


def resolve_settings(
    cwd: str,
    paths: Sequence[str] = (),
    config_file: Optional[str] = None,
    no_config: bool = False,
    select: Optional[Sequence[str]] = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    strict: bool = False,
    cost: Optional[Dict[str, Any]] = None,
) -> Tuple[Settings, List[str]]:
    """The settings of a run and the exclude globs; raises ConfigError."""
    plugins, problems = load_plugins()
    rules = catalog(plugins)  # built-in rules' modules are imported once chosen
    root = repo_root(paths, cwd)
    config: Optional[Config] = None
    if config_file and not no_config:
        path = config_file if os.path.isabs(config_file) else os.path.join(cwd, config_file)
        config = read_config(path, cwd, explicit=True)
    elif not no_config:
        config = find_config(root, cwd)
    data: Dict[str, Any] = {}
    problems_found: List[str] = []
    if config is not None:
        try:
            data = load_config(config, rules).data
        except ConfigError as exc:
            problems_found.extend(str(exc).splitlines())
    table = by_id(rules)
    # Names from the file were checked above: an unknown one here comes from the command line.
    layers = [
        Selection(
            select=[] if select is not None and not select else select,
            extend_select=[*extend_select, *(["unused-suppression"] if strict else [])],
            ignore=list(ignore),
        )
    ]
    if select is not None and not select:
        problems_found.append("command line: --select: empty selection (name rules by code or slug, or `all`)")
    if not problems_found:
        layers.insert(0, Selection(data.get("select"), data.get("extend-select", []), data.get("ignore", []), config.file if config else ""))
    cost_resolved: Dict[str, Any] = {}
    try:
        cost_resolved = cost_settings(data.get("cost", {}), cost or {}, root, cwd)
    except ConfigError as exc:
        problems_found.extend(str(exc).splitlines())
    try:
        chosen = select_layers(rules, layers, history=bool(cost_resolved.get("history")))
    except ConfigError as exc:
        problems_found.extend(str(exc).splitlines())
    if problems_found:
        raise ConfigError("\n".join(problems_found))
    settings = Settings(rules=materialize(chosen), repo_root=root, registry=rules, cwd=cwd, errors=list(problems))
    settings.config_file = config.file if config is not None else None
    for rule in rules:
        if isinstance(data.get(rule.slug), dict):
            settings.options[rule.slug] = dict(data[rule.slug])
    for rule_id, level in data.get("severity", {}).items():
        settings.severity[table[rule_id.lower()].slug] = Severity(level)
    per_file: List[Tuple[str, FrozenSet[str]]] = []
    for pattern, ids in data.get("per-file-ignores", {}).items():
        slugs = {r.slug for r in rules} if any(i.lower() == ALL for i in ids) else {table[i.lower()].slug for i in ids}
        per_file.append((pattern.replace("\\", "/"), frozenset(slugs)))
    settings.per_file_ignores = per_file
    settings.ignore_findings = [_finding_ignore(e, table) for e in data.get("ignore-findings", [])]
    settings.extra["cost"] = cost_resolved
    return settings, list(data.get("exclude", []))


HISTORY_FILE = ".github/wflint-history.json"


def cost_settings(table: Dict[str, Any], overrides: Dict[str, Any], root: str, cwd: str) -> Dict[str, Any]:
    """``[tool.wflint.cost]`` with the command line's ``--min-savings``/``--history`` applied.

    Paths become absolute (the file's relative to the repository root, the command line's to
    the current folder); the history file is found at ``.github/wflint-history.json`` when it
    exists, and its digest is kept so that the result cache notices a new history.
    """
    out = {k: v for k, v in table.items() if k != "prices"}
    if "prices" in table and "prices-file" not in table:
        out["prices-file"] = table["prices"]
    for key in ("history", "prices-file"):
        if isinstance(out.get(key), str) and not os.path.isabs(out[key]):
            out[key] = os.path.join(root, out[key])
    for key, value in overrides.items():
        if value is None:
            continue
        out[key] = os.path.join(cwd, value) if key in ("history", "prices-file") and not os.path.isabs(value) else value
    out.setdefault("min-savings", "default")  # cost/defaults.py MIN_SAVINGS, read when a finding is priced
    if "history" not in out:
        default = os.path.join(root, *HISTORY_FILE.split("/"))
        if os.path.isfile(default):
            out["history"] = default
    if out.get("history"):
        if not os.path.isfile(out["history"]):
            raise ConfigError(f"{_display(out['history'], cwd)}: history file not found (write one with `wflint usage --save`)")
        from .cost.history import HistoryError, load

        try:
            load(out["history"])
        except HistoryError as exc:
            raise ConfigError(str(exc)) from None
        import hashlib  # here: a run without history never loads OpenSSL

        with open(out["history"], "rb") as handle:
            out["history-digest"] = hashlib.sha256(handle.read()).hexdigest()
    return out
