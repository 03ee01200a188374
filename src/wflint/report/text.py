"""``path:line:col: CODE [slug] message`` lines and a summary, coloured only on a terminal."""

from __future__ import annotations

from typing import List

from ..finding import Safety

_COLOURS = {"error": "31", "warning": "33", "info": "36", "path": "1", "code": "1;35", "dim": "2", "ok": "32"}


def _paint(text: str, what: str, colour: bool) -> str:
    return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if colour else text


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def figure(f) -> str:
    """`` (≈ 420 min/mo, $2.52/mo, estimate)`` for a priced finding (`` (≈ $4.65/mo storage, estimate)``
    for a storage stake), else ``""``."""
    props = f.properties
    for per, unit in (("month", "/mo"), ("hang", " per hang")):
        minutes = props.get(f"minutes_per_{per}")
        if minutes is not None:
            usd = props.get(f"usd_per_{per}") or 0
            return f" (≈ {minutes:,} min{unit}, ${usd:,.2f}{unit}, {props.get('basis', 'estimate')})"
    if "usd_per_month" in props:  # storage (artifact-retention): dollars only
        return f" (≈ ${props['usd_per_month']:,.2f}/mo storage, {props.get('basis', 'estimate')})"
    return ""


def render(report, colour: bool = False, show_fixes: bool = True, verbose: bool = False, statistics: bool = False,
           list_fixed: bool = False, settings=None, **_) -> str:
    lines: List[str] = []
    diffs = [file.diff for file in report.files if file.diff]
    if statistics and not diffs:
        return "\n".join([*_statistics(report.findings), summary(report, colour)]) + "\n"
    no_fix, safe, unsafe = (_paint(m, "dim", colour) for m in ("", " [*]", " [unsafe fix]"))
    if not show_fixes:
        safe = unsafe = no_fix
    for f in [] if diffs else report.findings:  # --diff: the diff is the report
        marker = no_fix if f.fix is None else safe if f.fix.safety is Safety.SAFE else unsafe
        location, code = f"{f.path}:{f.line}:{f.col}:", f.code
        if colour:
            location = _paint(location, "path", True)
            code = _paint(code, f.severity.value if f.severity.value in _COLOURS else "code", True)
        lines.append(f"{location} {code} [{f.slug}] {f.message}{figure(f)}{marker}")
        if verbose and "traceback" in f.properties:
            lines.extend("    " + t for t in f.properties["traceback"].rstrip().splitlines())
    for diff in diffs:
        lines.append(diff.rstrip("\n"))
    if list_fixed:
        lines.extend(_fixed(report, would=bool(diffs)))
    lines.append(summary(report, colour, settings))
    return "\n".join(lines) + "\n"


def _fixed(report, would: bool) -> List[str]:
    """``--show-fixes``: what ``--fix`` applied (or ``--diff`` would apply), file by file, in the
    order applied (a finding fixed in a later pass has its position in the text of that pass)."""
    out = []
    for file in report.files:
        for f in file.fixed:
            title = f" ({f.fix.title})" if f.fix is not None else ""
            out.append(f"{'would fix' if would else 'fixed'} {f.path}:{f.line}:{f.col}: {f.code} [{f.slug}]{title}")
    return out


def _statistics(findings) -> List[str]:
    """``count  CODE  slug [*]`` per rule, most frequent first (as ``ruff --statistics``); the
    marker is the listing's: ``[*]`` some have a safe fix, ``[unsafe fix]`` only unsafe ones."""
    counts: dict = {}
    for f in findings:
        entry = counts.setdefault((f.code, f.slug), [0, set()])
        entry[0] += 1
        if f.fix is not None:
            entry[1].add(f.fix.safety)
    width = len(f"{max((n for n, _ in counts.values()), default=0):,}")
    out = []
    for (code, slug), (n, safeties) in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0][0])):
        marker = " [*]" if Safety.SAFE in safeties else " [unsafe fix]" if safeties else ""
        out.append(f"{n:>{width},}  {code}  {slug}{marker}")
    return out


def _hidden(report, settings) -> str:
    hidden = len(getattr(report, "hidden", ()))
    if not hidden:
        return ""
    from ..cost.findings import min_savings, min_savings_estimate

    cost = (getattr(settings, 'extra', None) or {}).get('cost') or {'min-savings': 'default'}
    bar, estimate, superseded = min_savings(cost), min_savings_estimate(cost), min_savings_estimate(cost, "superseded")
    shown = f"{bar:,g} min/mo" if estimate == bar else f"{bar:,g} min/mo, {estimate:,g} for estimates"
    if superseded != estimate:
        shown += f", {superseded:,g} for estimated superseded runs"
    return f"{_plural(hidden, 'finding')} below min-savings ({shown}) hidden; `--min-savings 0` shows them."


def summary(report, colour: bool = False, settings=None) -> str:
    findings = report.findings
    files = len(report.checked)
    parts = []
    if report.would_change:  # --diff: what the diff fixes, and what it leaves
        left = sum(len(f.findings) if f.remaining is None else f.remaining for f in report.files)
        parts.append(f"Would fix {_plural(len(report.fixed), 'finding')}; {left:,} would remain ({_plural(files, 'file')} checked).")
    else:
        if report.fixed:
            parts.append(f"Fixed {_plural(len(report.fixed), 'finding')}.")
        if findings:
            parts.append(_found(report, findings, files))
        elif not report.has_errors:
            parts.append(_paint(f"All checks passed ({_plural(files, 'file')} checked).", "ok", colour))
    hidden = _hidden(report, settings)
    if hidden:
        parts.append(hidden)
    if report.skipped:
        parts.append(f"{_plural(report.skipped, 'YAML file')} without `on:` or `jobs:` skipped.")
    errors = len(report.errors) + sum(1 for f in report.files if f.error)
    if errors:
        parts.append(f"{_plural(errors, 'error')} (see above).")
    return " ".join(parts) if parts else f"{_plural(files, 'file')} checked."


def _found(report, findings, files: int) -> str:
    with_findings = len({f.path for f in findings})
    text = f"Found {_plural(len(findings), 'finding')} in {_plural(with_findings, 'file')} ({_plural(files, 'file')} checked)."
    safe = sum(1 for f in findings if f.fix is not None and f.fix.safety is Safety.SAFE)
    unsafe = sum(1 for f in findings if f.fix is not None and f.fix.safety is Safety.UNSAFE)
    hints = []
    if report.fix:
        # The run just tried these fixes: a fix still offered could not be applied (an error
        # above says why, such as a read-only file); never suggest the command just run.
        tried = safe + (unsafe if report.unsafe_fixes else 0)
        if tried:
            hints.append(f"{tried:,} with a fix that was not applied")
        if unsafe and not report.unsafe_fixes:
            hints.append(f"{unsafe:,} fixable with `--fix --unsafe-fixes`")
    else:
        if safe:
            hints.append(f"{safe:,} fixable with `--fix`")
        if unsafe:
            hints.append(f"{unsafe:,} {'more' if safe else 'fixable'} with `--fix --unsafe-fixes`")
    return text + (" " + ", ".join(hints) + "." if hints else "")
