"""SARIF 2.1.0 for GitHub code scanning.

Exactly one run. The driver lists every selected rule (and any other rule a
result names); locations are relative to the repository root (``%SRCROOT%``);
``primaryLocationLineHash`` hashes the rule, the path and the text of the
finding's line -- never its number -- so an alert survives lines added above
it; fixes become SARIF ``fixes``. What would exceed GitHub's upload limits is
left out, and the run's notifications (and ``warn``) say so.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import quote

from .. import __version__
from ..docs import page_for, page_url, section
from ..finding import Safety, Severity
from ..rules import Rule, all_rules
from . import repo_path

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
TOOL_URI = "https://github.com/wflint/wflint"
SRCROOT = "%SRCROOT%"

# GitHub's upload limits (docs.github.com, "SARIF support for code scanning").
MAX_RESULTS = 25_000
MAX_TAGS = 20
MAX_DESCRIPTION = 1_024
MAX_NAME = 255
MAX_GZIP_BYTES = 10_000_000  # 10 MB, read as decimal to stay on the safe side

LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "recommendation"}
PRECISIONS = ("very-high", "high", "medium", "low")
_RANK = {"error": 0, "warning": 1, "note": 2}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fingerprint(code: str, path: str, line_text: str, occurrence: int) -> str:
    """Stable across unrelated edits: rule, repository path, whitespace-normalised line, n-th such line."""
    normalised = " ".join(line_text.split())
    digest = hashlib.sha256("\0".join((code, path, normalised)).encode("utf-8")).hexdigest()
    return f"{digest[:32]}:{occurrence}"


def _rules(report, settings) -> List[Rule]:
    rules = list(settings.rules) if settings is not None else []
    known = {rule.code for rule in rules}
    catalogue = {rule.code: rule for rule in all_rules()}
    for f in report.findings:
        if f.code not in known:
            known.add(f.code)
            rules.append(catalogue.get(f.code) or Rule(code=f.code, slug=f.slug, summary=f.slug, source="?"))
    return rules


def _descriptor(rule: Rule, settings) -> Dict[str, Any]:
    severity = settings.severity.get(rule.slug, rule.severity) if settings is not None else rule.severity
    page = page_for(rule)
    what = section(page, "What it does") if page else None
    tags = []
    for tag in rule.tags:
        if tag.lower() != "security" and tag not in tags:
            tags.append(tag)
    descriptor: Dict[str, Any] = {
        "id": rule.code,
        "name": _clip(rule.slug, MAX_NAME),
        "shortDescription": {"text": _clip(rule.summary, MAX_DESCRIPTION)},
        "fullDescription": {"text": _clip(" ".join(what.split()) if what else rule.summary, MAX_DESCRIPTION)},
        "help": {"text": page, "markdown": page} if page else {"text": rule.summary},
        "defaultConfiguration": {"level": LEVEL[severity]},
        "properties": {"tags": tags[:MAX_TAGS], "problem.severity": PROBLEM_SEVERITY[severity]},
    }
    if rule.precision in PRECISIONS:  # a plugin may say something GitHub does not know
        descriptor["properties"]["precision"] = rule.precision
    url = page_url(rule)
    if url:
        descriptor["helpUri"] = url
    return descriptor


def _artifact(file, root: Optional[str]) -> Dict[str, Any]:
    rel = repo_path(file, root)
    if rel is not None:
        return {"uri": quote(rel, safe="/"), "uriBaseId": SRCROOT}
    if file.path is not None:
        return {"uri": Path(file.path).as_uri()}
    return {"uri": file.display}


def _region(source, start: int, end: int) -> Dict[str, int]:
    size = len(source.text)
    start_line, start_col = source.linecol(min(start, size))
    end_line, end_col = source.linecol(min(max(start, end), size))
    return {"startLine": start_line, "startColumn": start_col, "endLine": end_line, "endColumn": end_col}


def _fix(fix, artifact, source) -> Dict[str, Any]:
    newline = source.newline
    replacements = []
    for edit in sorted(fix.edits, key=lambda e: (e.start, e.end)):
        replacement: Dict[str, Any] = {"deletedRegion": _region(source, edit.start, edit.end)}
        if edit.content:
            replacement["insertedContent"] = {"text": edit.content.replace("\n", newline)}
        replacements.append(replacement)
    title = fix.title if fix.safety is Safety.SAFE else f"{fix.title} (unsafe: review before applying)"
    return {
        "description": {"text": title},
        "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
        "properties": {"safety": fix.safety.value},
    }


def _results(report, root: Optional[str], index: Dict[str, int]) -> List[Dict[str, Any]]:
    results = []
    for file in report.files:
        artifact = _artifact(file, root)
        key_path = repo_path(file, root) or file.display.replace("\\", "/")
        seen: Dict[tuple, int] = {}
        for f in file.findings:
            line_text = file.source.line_text(f.line) if file.source is not None else ""
            key = (f.code, " ".join(line_text.split()))
            occurrence = seen.get(key, 0)
            seen[key] = occurrence + 1
            result: Dict[str, Any] = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": LEVEL[f.severity],
                "message": {"text": f.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": artifact,
                            "region": {
                                "startLine": max(f.line, 1),
                                "startColumn": max(f.col, 1),
                                "endLine": max(f.end_line, f.line, 1),
                                "endColumn": max(f.end_col, 1),
                            },
                        }
                    }
                ],
                "partialFingerprints": {"primaryLocationLineHash": fingerprint(f.code, key_path, line_text, occurrence)},
            }
            if f.fix is not None and f.fix.edits and file.source is not None:
                result["fixes"] = [_fix(f.fix, artifact, file.source)]
            properties = {k: v for k, v in sorted(f.properties.items()) if k != "traceback"}
            if properties:
                result["properties"] = properties
            results.append(result)
    return results


def _most_severe(results: List[Dict[str, Any]], keep: int) -> List[Dict[str, Any]]:
    """The ``keep`` most severe results, in their original order."""
    order = sorted(range(len(results)), key=lambda i: (_RANK[results[i]["level"]], i))[:keep]
    return [results[i] for i in sorted(order)]


def _dump(doc: Dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def _gzip_size(text: str) -> int:
    data = text.encode("utf-8")
    return len(data) if len(data) <= MAX_GZIP_BYTES else len(gzip.compress(data))


def render(report, settings=None, warn: Optional[Callable[[str], None]] = None, **_) -> str:
    root = settings.repo_root if settings is not None else None
    rules = _rules(report, settings)
    index = {rule.code: i for i, rule in enumerate(rules)}
    notes: List[Dict[str, Any]] = []

    def note(level: str, text: str) -> None:
        notes.append({"level": level, "message": {"text": text}})
        if warn is not None and level == "warning":
            warn(text)

    errors = list(report.errors) + [file.error for file in report.files if file.error]
    for message in errors:
        note("error", message)
    results = _results(report, root, index)
    total = len(results)
    if total > MAX_RESULTS:
        results = _most_severe(results, MAX_RESULTS)
        note("warning", f"{total:,} results found, but GitHub code scanning accepts at most {MAX_RESULTS:,} per run: "
             f"this file holds the {MAX_RESULTS:,} most severe. Run wflint locally for the rest.")
    run: Dict[str, Any] = {
        "tool": {"driver": {"name": "wflint", "version": __version__, "informationUri": TOOL_URI,
                            "rules": [_descriptor(rule, settings) for rule in rules]}},
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": notes}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if root:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path(root).as_uri().rstrip("/") + "/"}}
    doc = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return _within_size_limit(doc, warn)


def _within_size_limit(doc: Dict[str, Any], warn: Optional[Callable[[str], None]]) -> str:
    """The SARIF text, compressed within GitHub's limit: fixes go first, then the least severe results."""
    run = doc["runs"][0]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    text = _dump(doc)
    if _gzip_size(text) <= MAX_GZIP_BYTES:
        return text
    for result in run["results"]:
        result.pop("fixes", None)
    dropped = {"level": "warning", "message": {"text": "The SARIF file would exceed GitHub's 10 MB (compressed) upload limit: suggested fixes left out."}}
    notes.append(dropped)
    messages = [dropped]
    text = _dump(doc)
    size = _gzip_size(text)
    if size > MAX_GZIP_BYTES:
        before = len(run["results"])
        trimmed: Dict[str, Any] = {"level": "warning", "message": {"text": ""}}
        notes.append(trimmed)  # in place while measuring, so the final file fits with it
        messages.append(trimmed)
        while size > MAX_GZIP_BYTES and run["results"]:
            results = run["results"]
            keep = min(len(results) - 1, int(len(results) * MAX_GZIP_BYTES / size * 0.95))
            run["results"] = _most_severe(results, max(keep, 0))
            trimmed["message"]["text"] = (
                "The SARIF file would exceed GitHub's 10 MB (compressed) upload limit: "
                f"{before - len(run['results']):,} of the least severe results left out."
            )
            text = _dump(doc)
            size = _gzip_size(text)
    if warn is not None:
        for message in messages:
            warn(message["message"]["text"])
    return text
