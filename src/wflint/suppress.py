"""Inline suppression comments (``# wflint: ignore[...]``) and configuration-level ignores.

A directive is ``# wflint: ignore[...]`` or ``# wflint: ignore-file[...]`` in a YAML comment, at
its start or after another tool's directive (``# yamllint disable-line # wflint: ignore[...]``):

- ``key: value  # wflint: ignore[rule, ...]`` silences those rules on its own line;
- ``# wflint: ignore[rule, ...]`` alone on a line silences them on the next line that is
  neither blank nor a comment;
- ``# wflint: ignore-file[rule, ...]`` anywhere silences them in the whole file.

Rules are named by slug or code, case-insensitively; without brackets a directive names
every rule.  A ``#`` inside a quoted or block scalar is text, not a comment: the scalar
spans of the composed graph tell them apart.  Findings of the loader and the engine
(invalid-yaml, invalid-workflow, internal-error) are never suppressed.
"""

from __future__ import annotations

import bisect
import fnmatch
import re
from dataclasses import field
from typing import Dict, Iterable, List, Optional, Set, Tuple

from ruamel.yaml.nodes import Node, ScalarNode

from . import yamlnode as yn
from .finding import Edit, Finding, Span
from .records import record
from .source import Source

_DIRECTIVE = re.compile(r"#[ \t]*wflint:[ \t]*(ignore-file|ignore)(?![\w-])(?:\[([^\]\r\n]*)\])?")


@record
class Directive:
    """A suppression comment: where it is, what it silences, and whether it silenced anything."""

    start: int  # offset of the `#`
    end: int  # just past the directive (its closing bracket, or its keyword)
    line: int  # 1-based line of the comment
    file_level: bool
    ids: Optional[Tuple[str, ...]]  # lower-cased, as written; None: every rule
    own_line: bool
    target: Optional[int] = None  # the line it silences (None: file-level, or nothing follows)
    guard: Tuple[int, int] = (0, 0)  # text no fix may touch: the comment (to its line end), and up to its target
    used: Set[str] = field(default_factory=set)  # ids (or "*") that silenced a finding

    @property
    def text(self) -> str:
        return f"wflint: {'ignore-file' if self.file_level else 'ignore'}" + (
            "" if self.ids is None else "[" + ", ".join(self.ids) + "]"
        )


def _scalar_regions(root: Optional[Node], source: Source) -> List[Tuple[int, int]]:
    """Character ranges of the scalars that hold a `#` (block scalars: from their second line)."""
    regions = []
    text = source.text
    for node in yn.walk(root):
        if not isinstance(node, ScalarNode):
            continue
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ("|", ">"):
            # The header line (`run: |  # comment`) may carry a real comment.
            start = source.next_line_start(start) or end
        if end > start and ("#" in text[start:end]):
            regions.append((start, end))
    regions.sort()
    return regions


def _inside(offset: int, regions: List[Tuple[int, int]], starts: List[int]) -> bool:
    """Whether ``offset`` lies in one of the (disjoint, sorted) scalar regions."""
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < regions[i][1]


def _comment_starts(source: Source, line_start: int, stop: int, regions, starts) -> Iterable[int]:
    text = source.text
    for i in range(line_start, stop):
        if text[i] == "#" and (i == line_start or text[i - 1] in " \t") and not _inside(i, regions, starts):
            yield i


def _parse_ids(raw: Optional[str]) -> Optional[Tuple[str, ...]]:
    if raw is None:
        return None
    return tuple(part.lower() for part in re.split(r"[\s,]+", raw) if part)


def scan(source: Source, root: Optional[Node]) -> List[Directive]:
    """Every suppression directive in the file, in text order."""
    text = source.text
    if "wflint:" not in text:
        return []
    regions = None
    starts: List[int] = []
    out: List[Directive] = []
    for match in _DIRECTIVE.finditer(text):
        at = match.start()
        line, _ = source.linecol(at)
        line_start = source.line_starts[line - 1]
        if regions is None:
            regions = _scalar_regions(root, source)
            starts = [r[0] for r in regions]
        first_comment = next(_comment_starts(source, line_start, at + 1, regions, starts), None)
        if first_comment is None:
            continue  # inside a scalar
        own_line = text[line_start:first_comment].strip() == ""
        directive = Directive(
            start=at,
            end=match.end(),
            line=line,
            file_level=match.group(1) == "ignore-file",
            ids=_parse_ids(match.group(2)),
            own_line=own_line,
        )
        directive.guard = (first_comment, source.line_end(at))
        if not directive.file_level:
            if own_line:
                target = _next_code_line(source, line)
                directive.target = target
                if target is not None:
                    directive.guard = (first_comment, source.line_starts[target - 1])
            else:
                directive.target = line
        out.append(directive)
    return out


def _next_code_line(source: Source, line: int) -> Optional[int]:
    for number in range(line + 1, len(source.line_starts) + 1):
        stripped = source.line_text(number).strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def edit_conflicts(edit: Edit, directive: Directive) -> bool:
    """Whether applying ``edit`` would change, remove or move a suppression comment."""
    lo, hi = directive.guard
    if edit.start == edit.end:  # an insertion: harmless only before or after the guarded text
        if directive.own_line and edit.start == hi:
            return True  # new lines between the comment and the line it silences
        return lo < edit.start < hi or (edit.start == hi and not edit.content.startswith("\n"))
    return edit.start < hi and lo < edit.end


# -- matching ------------------------------------------------------------------------


def _names(finding: Finding) -> Tuple[str, str]:
    return finding.slug.lower(), finding.code.lower()


def _covers(directive: Directive, finding: Finding) -> Optional[str]:
    """The id of ``directive`` that names ``finding`` ("*" for every rule), or None."""
    if directive.ids is None:
        return "*"
    names = _names(finding)
    return next((i for i in directive.ids if i in names), None)


def apply_inline(findings: List[Finding], directives: List[Directive], never: Set[str]) -> List[Finding]:
    """The findings no directive silences; marks which directive ids were used."""
    if not directives:
        return findings
    by_line: Dict[int, List[Directive]] = {}
    file_level = []
    for d in directives:
        if d.file_level:
            file_level.append(d)
        elif d.target is not None:
            by_line.setdefault(d.target, []).append(d)
    kept = []
    for finding in findings:
        silenced = False
        if finding.slug not in never:
            for d in file_level + by_line.get(finding.line, []):
                hit = _covers(d, finding)
                if hit is not None:
                    d.used.add(hit)
                    silenced = True
        if not silenced:
            kept.append(finding)
    return kept


def unused(directives: List[Directive], known: Dict[str, str], enabled: Set[str]) -> List[Tuple[Span, str]]:
    """(span, message) for each directive (or named rule) that silenced nothing.

    ``known`` maps every rule code and slug (lower-cased) to its slug; ``enabled`` holds the
    slugs that ran on this file.  A rule that did not run could not have been silenced,
    so naming it is not reported.
    """
    out = []
    for d in directives:
        span = Span(d.start, d.end)
        where = "in this file" if d.file_level else (f"on line {d.target}" if d.target else "(no line follows it)")
        if d.ids is None:
            if "*" not in d.used:
                out.append((span, f"Suppression `{d.text}` silences nothing {where}."))
            continue
        if not d.ids:
            out.append((span, f"Suppression `{d.text}` names no rule, so it silences nothing."))
            continue
        for rule_id in d.ids:
            if rule_id in d.used:
                continue
            slug = known.get(rule_id)
            if slug is None:
                out.append((span, f"Suppression names `{rule_id}`, which is not a known rule."))
            elif slug in enabled:
                out.append((span, f"Suppression of `{rule_id}` silences nothing {where}."))
    return out


# -- configuration-level ignores -------------------------------------------------------


@record(frozen=True)
class FindingIgnore:
    """An ``ignore-findings`` entry: ``rule@path:line[:col]`` (path relative to the repository root)."""

    slug: str
    path: str
    line: int
    col: Optional[int] = None

    def matches(self, finding: Finding, rel: str) -> bool:
        return (
            finding.slug == self.slug
            and rel == self.path
            and finding.line == self.line
            and (self.col is None or finding.col == self.col)
        )


def path_matches(rel: str, pattern: str) -> bool:
    """A glob against a repository-relative posix path (``*`` also crosses folders);
    a pattern without ``/`` may also match the file name alone."""
    if fnmatch.fnmatchcase(rel, pattern):
        return True
    return "/" not in pattern and fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)
