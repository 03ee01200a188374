"""The configuration schema (shipped as ``config_schema.json``) and readable validation errors.

The JSON file describes the general keys; each rule adds a table keyed by its slug whose
properties are the rule's ``options_schema``, so plugin options are validated too.
jsonschema is imported here only, and this module only when a configuration is loaded.
"""

from __future__ import annotations

import copy
import difflib
import json
from pathlib import Path
from typing import Any, Iterable, List, Sequence

SCHEMA_FILE = Path(__file__).with_name("config_schema.json")
_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a table",
    "null": "nothing",
}


def base_schema() -> dict:
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def schema_for(rules: Iterable[Any]) -> dict:
    """The full schema: the shipped one plus one table per rule, keyed by slug."""
    schema = base_schema()
    # Not a JSON-schema keyword (validators ignore it): lets an error say "options are keyed by slug".
    schema["x-rule-codes"] = {rule.code.lower(): rule.slug for rule in rules}
    for rule in rules:
        schema["properties"][rule.slug] = {
            "description": f"Options of {rule.code} ({rule.slug}).",
            "type": "object",
            "additionalProperties": False,
            "properties": copy.deepcopy(dict(rule.options_schema)),
        }
    return schema


def key_path(prefix: Sequence[str], path: Iterable[Any]) -> str:
    out = ".".join(prefix)
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value) if isinstance(value, str) else str(value)


def _expected(error) -> str:
    kind = error.validator
    rule = error.validator_value
    number = "an integer" if error.schema.get("type") == "integer" else "a number"
    if kind == "type":
        types = rule if isinstance(rule, list) else [rule]
        return " or ".join(_TYPE_NAMES.get(t, t) for t in types)
    if kind == "minimum":
        return f"{number} ≥ {rule}"
    if kind == "maximum":
        return f"{number} ≤ {rule}"
    if kind == "exclusiveMinimum":
        return f"{number} > {rule}"
    if kind == "exclusiveMaximum":
        return f"{number} < {rule}"
    if kind == "enum":
        return "one of " + ", ".join(_show(v) for v in rule)
    if kind == "const":
        return _show(rule)
    if kind == "minItems":
        return f"a list of at least {rule} item{'s' if rule != 1 else ''}"
    if kind == "maxItems":
        return f"a list of at most {rule} items"
    if kind == "minLength":
        return "a non-empty string" if rule == 1 else f"a string of at least {rule} characters"
    if kind == "maxLength":
        return f"a string of at most {rule} characters"
    if kind == "pattern":
        if "@" in str(rule):
            return "`rule@path:line` or `rule@path:line:col`"
        return f"a string matching `{rule}`"
    if kind == "uniqueItems":
        return "a list without repeated items"
    return error.message


def _unknown_keys(error, where: str) -> List[str]:
    known = sorted(error.schema.get("properties", {}))
    extra = sorted(set(error.instance) - set(known))
    out = []
    codes = error.schema.get("x-rule-codes", {})
    for key in extra:
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        if str(key).lower() in codes:
            hint = f" (did you mean `{codes[str(key).lower()]}`? rule options are keyed by slug)"
        else:
            hint = f" (did you mean `{close[0]}`?)" if close else ""
        if known and len(known) <= 12:
            hint += f"; expected one of: {', '.join(known)}"
        elif not known:
            hint += "; this table takes no keys"
        else:
            hint += "; expected a setting or a rule slug (see `wflint rules`)"
        out.append(f"{where}{'.' if where else ''}{key}: unknown key{hint}")
    return out


def errors(data: Any, schema: dict, file: str, prefix: Sequence[str] = ()) -> List[str]:
    """One line per problem: ``file: key.path: what was expected, what was found``."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    out: List[str] = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        where = key_path(prefix, error.absolute_path)
        if error.validator == "additionalProperties" and error.schema.get("additionalProperties") is False:
            base = ".".join(prefix) if not error.absolute_path else where
            out.extend(f"{file}: {line}" for line in _unknown_keys(error, base))
            continue
        out.append(f"{file}: {where}: expected {_expected(error)}, got {_show(error.instance)}")
    return out
