"""GitHub workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

The runner turns each line into an annotation on the file and line (relative to
the repository root). Escaping follows "Workflow commands for GitHub Actions":
in the message ``%``, CR and LF; in property values also ``:`` and ``,``.
"""

from __future__ import annotations

from typing import List, Tuple

from ..finding import Severity
from . import repo_path
from .text import figure, summary

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: List[Tuple[str, object]], message: str) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def render(report, settings=None, **_) -> str:
    root = settings.repo_root if settings is not None else None
    lines: List[str] = []
    for file in report.files:
        path = repo_path(file, root) or file.display.replace("\\", "/")
        for f in file.findings:
            props: List[Tuple[str, object]] = [("file", path), ("line", f.line)]
            if f.end_line == f.line:  # the runner takes columns only for a single-line range
                props += [("col", f.col), ("endLine", f.end_line), ("endColumn", f.end_col)]
            else:
                props += [("endLine", f.end_line)]
            props.append(("title", f"{f.code} {f.slug}"))
            lines.append(command(COMMAND.get(f.severity, "warning"), props, f.message + figure(f)))
    for message in list(report.errors) + [file.error for file in report.files if file.error]:
        lines.append(command("error", [("title", "wflint")], message))
    lines.append(summary(report, settings=settings))
    return "\n".join(lines) + "\n"
