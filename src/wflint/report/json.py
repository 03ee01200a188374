"""The JSON report. Its shape is versioned by ``schema`` and documented in README.md."""

from __future__ import annotations

import json
from typing import Any, Dict

from .. import __version__

SCHEMA_VERSION = 1


def finding_dict(f) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "code": f.code,
        "slug": f.slug,
        "severity": f.severity.value,
        "message": f.message,
        "path": f.path,
        "line": f.line,
        "column": f.col,
        "end_line": f.end_line,
        "end_column": f.end_col,
        "fix": None,
        "properties": {k: v for k, v in sorted(f.properties.items()) if k != "traceback"},
    }
    if f.fix is not None:
        out["fix"] = {
            "title": f.fix.title,
            "safety": f.fix.safety.value,
            "edits": [{"start": e.start, "end": e.end, "content": e.content} for e in f.fix.edits],
        }
    return out


def render(report, **_) -> str:
    data = {
        "schema": SCHEMA_VERSION,
        "tool": {"name": "wflint", "version": __version__},
        "files_checked": len(report.checked),
        "findings": [finding_dict(f) for f in report.findings],
        "fixed": [finding_dict(f) for f in report.fixed],
        "hidden_below_min_savings": len(getattr(report, "hidden", ())),
        "errors": list(report.errors) + [r.error for r in report.files if r.error],
        "not_workflows": report.not_workflows,  # files named on the command line that are not workflows
        "skipped": report.skipped,  # YAML files found in folders that are not workflows
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
