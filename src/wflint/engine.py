"""Load a workflow once, run every selected rule over it, and finish the findings."""

from __future__ import annotations

import os
from dataclasses import field
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Optional, Set, Tuple

from . import suppress, yamlnode
from .finding import Finding, LaterFix, Severity, Span
from .generated import generated_marker
from .lazyre import deferred
from .records import record

with deferred():  # the rules' patterns are compiled when first used: a one-file run uses a quarter
    from .rules import Context, Rule, all_rules, by_id
    from .rules import internal_error, invalid_workflow, invalid_yaml, unused_suppression
from .source import DecodeError, Source
from .workflow import Workflow, WorkflowError, build


@record
class Settings:
    """Everything that decides what a lint reports (the resolved configuration)."""

    rules: List[Rule] = field(default_factory=lambda: [r for r in all_rules() if r.default])
    options: Dict[str, Dict[str, Any]] = field(default_factory=dict)  # by slug
    severity: Dict[str, Severity] = field(default_factory=dict)  # by slug
    repo_root: Optional[str] = None
    extra: Dict[str, Any] = field(default_factory=dict)
    # Every known rule (built-in and plugins), selected or not: suppressions may name any.
    registry: List[Rule] = field(default_factory=all_rules)
    # (glob, slugs): rules that do not run on files whose repository path matches the glob.
    per_file_ignores: List[Tuple[str, FrozenSet[str]]] = field(default_factory=list)
    ignore_findings: List[suppress.FindingIgnore] = field(default_factory=list)
    cwd: Optional[str] = None  # the folder display paths are relative to (default: the process's)
    config_file: Optional[str] = None
    errors: List[str] = field(default_factory=list)  # e.g. plugins that failed to load: the run exits 2

    def enabled(self, slug: str) -> bool:
        return any(rule.slug == slug for rule in self.rules)

    def repo_path(self, display: str) -> Optional[str]:
        """The posix path of a file relative to the repository root (None for stdin or outside it)."""
        if display == "-" or not self.repo_root:
            return None
        from .discovery import relative_to

        absolute = os.path.normpath(os.path.join(self.cwd or os.getcwd(), display))
        rel = relative_to(absolute, os.path.abspath(self.repo_root))
        return rel.replace(os.sep, "/") if rel is not None else None

    def skipped_on(self, rel: Optional[str]) -> Set[str]:
        """Slugs that ``per-file-ignores`` turns off for this repository path."""
        if rel is None or not self.per_file_ignores:
            return set()
        out: Set[str] = set()
        for pattern, slugs in self.per_file_ignores:
            if suppress.path_matches(rel, pattern):
                out.update(slugs)
        return out


@record
class LintResult:
    """One file's lint: findings shown and hidden, the workflow, suppression comments."""

    findings: List[Finding]
    workflow: Optional[Workflow] = None
    load_error: bool = False  # the file could not be loaded as a workflow
    internal_error: bool = False
    directives: List[suppress.Directive] = field(default_factory=list)  # suppression comments
    hidden: List[Finding] = field(default_factory=list)  # priced below min-savings: not reported


def finish(finding: Finding, rule: Rule, source: Source, settings: Settings) -> Finding:
    start = min(finding.span.start, len(source.text))
    end = max(start, min(finding.span.end, len(source.text)))
    line, col = source.linecol(start)
    end_line, end_col = source.linecol(end)
    return finding.but(
        message=" ".join(finding.message.split()),  # one line, whatever a rule quoted
        code=rule.code,
        slug=rule.slug,
        severity=settings.severity.get(rule.slug, rule.severity),
        path=source.path,
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
    )


def load(source: Source) -> Tuple[Optional[Workflow], Optional[Tuple[Rule, str, int]]]:
    """The workflow, or the (rule, message, offset) that says why it cannot be loaded."""
    try:
        return build(source, yamlnode.compose(source.text)), None
    except yamlnode.YAMLLoadError as exc:
        return None, (invalid_yaml.RULE, exc.message, exc.offset)
    except WorkflowError as exc:
        return None, (invalid_workflow.RULE, exc.message, exc.offset)


def lint_source(source: Source, settings: Settings) -> LintResult:
    yamlnode.forget()  # the previous file's mapping indexes
    wf, problem = load(source)
    if problem is not None:
        rule, message, offset = problem
        message = message[:1].upper() + message[1:]
        if not message.endswith("."):
            message += "."
        finding = finish(Finding(span=Span(offset, offset), message=message), rule, source, settings)
        return LintResult([finding], None, load_error=True)
    assert wf is not None
    rel = settings.repo_path(source.path)
    skipped = settings.skipped_on(rel)
    findings: List[Finding] = []
    crashed = False
    for rule in settings.rules:
        if rule.system or rule.slug in skipped:
            continue
        ctx = Context(options=rule.options_with(settings.options.get(rule.slug)), repo_root=settings.repo_root,
                      settings=settings.extra, defer_fixes=True)
        try:
            produced = [finish(f, rule, source, settings) for f in rule.check(wf, ctx)]
        except Exception as exc:  # a rule bug must not stop the run
            crashed = True
            findings.append(_rule_failure(rule, exc, source, settings))
            continue
        findings.extend(produced)
    directives = suppress.scan(source, wf.root)
    findings = _silence(findings, directives, source, settings, rel, skipped)
    broke = False
    if any(f.fix is not None for f in findings):
        marker = generated_marker(source.text)
        if marker is not None:
            findings, broke = _build_fixes(findings, source, settings)  # only a fix that exists is "not fixed"
            findings = _unfixable_if_generated(findings, marker)
    hidden: List[Finding] = []
    if any("stake" in f.properties for f in findings):
        with deferred():  # only files with a cost finding build a cost model
            from .cost.findings import price

        cost = {"repo-root": settings.repo_root, **(settings.extra.get("cost") or {})}
        findings, hidden = price(findings, wf, cost, rel)
    # Fixes are built for the findings reported; a hidden finding is only counted (no fix).
    findings, broke_late = _build_fixes(findings, source, settings)
    hidden = [f.but(fix=None) if isinstance(f.fix, LaterFix) else f for f in hidden]
    findings.sort(key=lambda f: f.sort_key)
    return LintResult(findings, wf, internal_error=crashed or broke or broke_late, directives=directives, hidden=hidden)


def _build_fixes(findings: List[Finding], source: Source, settings: Settings) -> Tuple[List[Finding], bool]:
    """The findings with each ``LaterFix`` built (see ``rules.base.fix_later``), and whether
    building one failed: as a failing ``check``, the rule's bug becomes an internal-error finding."""
    out: List[Finding] = []
    broke = False
    for finding in findings:
        if isinstance(finding.fix, LaterFix):
            try:
                finding = finding.but(fix=finding.fix.make())
            except Exception as exc:  # a rule bug must not stop the run
                broke = True
                rule = next(r for r in settings.rules if r.slug == finding.slug)
                out.append(_rule_failure(rule, exc, source, settings))
                continue
        out.append(finding)
    return out, broke


def _rule_failure(rule: Rule, exc: Exception, source: Source, settings: Settings) -> Finding:
    """The internal-error finding for a rule that raised (in ``check`` or building a fix)."""
    import traceback

    where = f"plugin `{rule.source}`" if rule.source else "wflint"
    message = (
        f"Rule {rule.code} ({rule.slug}) failed on this file: {type(exc).__name__}: {exc}. "
        f"This is a bug in {where}; please report it with the file (run with --verbose for the traceback)."
    )
    finding = Finding(span=Span(0, 0), message=message, properties={"traceback": traceback.format_exc(), "rule": rule.slug})
    return finish(finding, internal_error.RULE, source, settings)


def _unfixable_if_generated(findings: List[Finding], marker: str) -> List[Finding]:
    """A generated file gets no fix: the finding says to change its generator instead."""
    note = f" Not fixed: the file says it is generated (`{marker}`); change its generator instead."
    return [
        f.but(fix=None, message=f.message + note, properties=dict(f.properties, generated=marker))
        if f.fix is not None else f
        for f in findings
    ]


def _silence(findings, directives, source: Source, settings: Settings, rel: Optional[str], skipped: Set[str]) -> List[Finding]:
    """Drop what suppression comments and ``ignore-findings`` silence; report unused comments."""
    never = {internal_error.RULE.slug}  # a crashed rule is never hidden
    findings = suppress.apply_inline(findings, directives, never)
    slug = unused_suppression.RULE.slug
    if directives and settings.enabled(slug) and slug not in skipped:
        known = {key: rule.slug for key, rule in by_id(settings.registry).items()}
        ran = {r.slug for r in settings.rules if r.slug not in skipped}
        for span, message in suppress.unused(directives, known, ran):
            findings.append(finish(Finding(span=span, message=message), unused_suppression.RULE, source, settings))
    if settings.ignore_findings and rel is not None:
        findings = [
            f for f in findings
            if f.slug in never or not any(entry.matches(f, rel) for entry in settings.ignore_findings)
        ]
    return findings


def read_source(path: str, display: str) -> Source:
    """Read and decode a file; raises OSError or DecodeError."""
    with open(path, "rb") as handle:
        data = handle.read()
    return Source.from_bytes(display, data)


def decode_error_finding(display: str, exc: DecodeError, settings: Settings) -> Finding:
    """The ``invalid-yaml`` finding for bytes that are not text, at the first bad byte."""
    source = Source(path=display, text=exc.before)
    message = str(exc)
    message = message[:1].upper() + message[1:] + "."
    end = len(exc.before)
    return finish(Finding(span=Span(end, end), message=message), invalid_yaml.RULE, source, settings)


def internal_error_finding(display: str, exc: BaseException, trace: str, settings: Settings) -> Finding:
    """The ``internal-error`` finding for an exception outside any rule (loading, fixing)."""
    message = (
        f"wflint failed on this file: {type(exc).__name__}: {exc}. "
        "This is a bug in wflint; please report it with the file (run with --verbose for the traceback)."
    )
    finding = Finding(span=Span(0, 0), message=message, properties={"traceback": trace})
    return finish(finding, internal_error.RULE, Source(path=display, text=""), settings)


def settings_for(select: Optional[Iterable[str]] = None, options: Optional[Mapping[str, Dict[str, Any]]] = None) -> Settings:
    """Settings with the default rules (or those named in ``select``) and rule options."""
    from .rules import by_id

    rules = all_rules()
    if select is None:
        chosen = [r for r in rules if r.default]
    else:
        table = by_id(rules)
        chosen = [table[s.lower()] for s in select]
    return Settings(rules=chosen, options={k: dict(v) for k, v in (options or {}).items()})
