"""Rule documentation pages (``rules/<slug>.md``), shipped inside the package."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

try:
    from importlib.resources import files as _files
except ImportError:  # pragma: no cover - Python < 3.9
    _files = None


# In a checkout (or an editable install) the pages are the repository's rules/ folder.
_CHECKOUT_PAGES = Path(__file__).resolve().parents[2] / "rules"

# Where the built-in rules' pages are published (SARIF ``helpUri``).
PAGES_URL = "https://github.com/wflint/wflint/blob/main/rules/"


def page_url(rule) -> Optional[str]:
    """The published page of a built-in rule; None for a plugin's rule."""
    return None if getattr(rule, "source", None) else f"{PAGES_URL}{rule.slug}.md"


def section(markdown: str, heading: str) -> Optional[str]:
    """The text under ``## <heading>`` up to the next heading of level 1 or 2, stripped."""
    lines = markdown.splitlines()
    out = None
    in_code = False
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and re.match(r"^#{1,2}\s", line):
            if out is not None:
                break
            if line.lstrip("#").strip().lower() == heading.lower():
                out = []
            continue
        if out is not None:
            out.append(line)
    return "\n".join(out).strip() if out is not None else None


def page_for(rule) -> Optional[str]:
    """The Markdown page of a rule (built-in or plugin), or None if it has none."""
    doc = getattr(rule, "doc", None)
    if doc:
        return doc
    name = f"{rule.slug}.md"
    if _files is not None:
        try:
            return _files("wflint").joinpath("rule_docs").joinpath(name).read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError, OSError):
            pass
    candidate = _CHECKOUT_PAGES / name
    if candidate.is_file():
        return candidate.read_text(encoding="utf-8")
    return None


def render_terminal(markdown: str, colour: bool = False) -> str:
    """Markdown for a terminal: headings emphasised, fences shown as indented blocks."""
    out = []
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            out.append("    " + line)
            continue
        match = re.match(r"^(#+)\s+(.*)", line)
        if match:
            title = match.group(2)
            out.append(f"\x1b[1m{title}\x1b[0m" if colour else title)
            if len(match.group(1)) == 1 and not colour:
                out.append("=" * len(title))
            continue
        out.append(line)
    return "\n".join(out).rstrip() + "\n"
