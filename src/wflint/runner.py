"""One run over many files: read, lint, optionally fix or diff, collect the results.

The CLI builds ``RunOptions`` and formats the ``RunReport``; this module does the work.
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import field
from typing import TYPE_CHECKING, Any, Callable, List, Optional, Sequence, Tuple

from . import parallel
from .discovery import STDIN, Target, discover, find_repo_root
from .engine import Settings, decode_error_finding, internal_error_finding, lint_source
from .finding import Finding
from .reads import new_run, recording
from .records import record
from .rules import internal_error
from .source import MAX_BYTES, DecodeError, Source, read_bytes

HIDDEN = "below_min_savings"  # the property of a finding priced below min-savings (cost/findings.py)

if TYPE_CHECKING:  # pragma: no cover
    from .cache import Cache


@record
class RunOptions:
    """What a run checks and how: paths, settings, fixing, the cache."""

    paths: Sequence[str] = ()
    settings: Settings = field(default_factory=Settings)
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    exclude: Sequence[str] = ()
    cwd: Optional[str] = None
    stdin: Optional[bytes] = None  # for tests; else read sys.stdin when "-" is given
    use_cache: bool = True
    jobs: Optional[int] = None  # worker processes; None: $WFLINT_JOBS, else as many as pay off


@record
class FileReport:
    """One file's outcome: findings, fixes, errors, and its text when an output needs it."""

    display: str
    path: Optional[str] = None  # absolute path (None for stdin): for repository-relative locations
    findings: List[Finding] = field(default_factory=list)
    hidden: List[Finding] = field(default_factory=list)  # priced below min-savings: counted, not shown
    error: Optional[str] = None  # could not be read or written (no position)
    failed: bool = False  # could not be loaded, or a rule crashed
    fixed: List[Finding] = field(default_factory=list)
    diff: str = ""
    fixed_text: Optional[bytes] = None  # for stdin under --fix
    remaining: Optional[int] = None  # under --diff: findings the fixed text would still have
    not_workflow: Optional[str] = None  # a YAML mapping without `on:` or `jobs:`: not checked, this says why
    named: bool = False  # named on the command line: a non-workflow is reported, not skipped quietly
    reads: Tuple[str, ...] = ()  # other files and folders the rules read (``reads``): the cache checks them
    raw: Optional[bytes] = field(default=None, repr=False)  # a cache hit's bytes, decoded when ``source`` is asked for
    _source: Optional[Source] = field(default=None, repr=False)

    @property
    def source(self) -> Optional[Source]:
        """The text the findings' offsets and fixes refer to (None if it could not be decoded).

        A cache hit decodes it only here, on first use: most output formats never ask.
        """
        if self._source is None and self.raw is not None:
            try:
                self._source = Source.from_bytes(self.display, self.raw)
            except DecodeError:
                pass
            self.raw = None
        return self._source

    @source.setter
    def source(self, value: Optional[Source]) -> None:
        self._source = value
        self.raw = None


@record
class RunReport:
    """Every file's report and the run's own errors, for the formatters."""

    files: List[FileReport] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)  # usage errors: nonexistent paths
    order: Optional[Callable[[Finding], Any]] = None  # sort every finding by this key (``--sort savings``)
    fix: bool = False  # the run applied fixes (--fix without --diff)
    unsafe_fixes: bool = False  # ... unsafe ones included
    excluded: List[str] = field(default_factory=list)  # files found and left out by `exclude`

    @property
    def checked(self) -> List[FileReport]:
        """The files that were checked (not those found not to be workflows)."""
        return [r for r in self.files if r.not_workflow is None]

    @property
    def not_workflows(self) -> List[str]:
        """Messages for the files named on the command line that are not workflows."""
        return [r.not_workflow for r in self.files if r.not_workflow is not None and r.named]

    @property
    def skipped(self) -> int:
        """YAML files found in folders that are not workflows (dependabot.yml, a tool's config)."""
        return sum(1 for r in self.files if r.not_workflow is not None and not r.named)

    @property
    def findings(self) -> List[Finding]:
        found = [f for report in self.files for f in report.findings]
        return sorted(found, key=self.order) if self.order else found

    @property
    def fixed(self) -> List[Finding]:
        return [f for report in self.files for f in report.fixed]

    @property
    def hidden(self) -> List[Finding]:
        return [f for report in self.files for f in report.hidden]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.error or r.failed for r in self.files)

    @property
    def would_change(self) -> bool:
        return any(r.diff for r in self.files)


def unified_diff(display: str, old: str, new: str) -> str:
    """A ``git apply``-able diff, with the no-newline marker where a side lacks a final newline."""
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    out = []
    import difflib

    for line in difflib.unified_diff(old_lines, new_lines, f"a/{display}", f"b/{display}"):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\r\n") + "\n")
            continue
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _read(target: Target, opts: RunOptions) -> bytes:
    """The file's bytes, at most ``MAX_BYTES + 1`` of them (enough to tell it is too large)."""
    if target.path == STDIN:
        if opts.stdin is not None:
            return opts.stdin
        if opts.fix and not opts.diff:
            return sys.stdin.buffer.read()  # all of it: `--fix -` writes it back, whatever its size
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    return read_bytes(target.path)


def _describe_os_error(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return "broken symbolic link"
    return (exc.strerror or str(exc)).lower()


def check_file(target: Target, opts: RunOptions, data: Optional[bytes] = None) -> FileReport:
    """Lint the file, reading it first unless its bytes are given."""
    if data is None:
        try:
            data = _read(target, opts)
        except OSError as exc:
            return _read_error(target, exc)
    return lint_bytes(target, data, opts)


def _report_for(target: Target, **fields) -> FileReport:
    path = None if target.path == STDIN else os.path.abspath(target.path)
    return FileReport(display=target.display, path=path, named=target.named, **fields)


def _read_error(target: Target, exc: OSError) -> FileReport:
    return _report_for(target, error=f"{target.display}: cannot read: {_describe_os_error(target.path, exc)}")


def lint_bytes(target: Target, data: bytes, opts: RunOptions) -> FileReport:
    """Lint (and fix) the bytes read from ``target``; whatever goes wrong stays in this file's report."""
    try:
        with recording() as seen:
            report = _lint_bytes(target, data, opts)
        report.reads = tuple(sorted(seen))
        return report
    except Exception as exc:  # a wflint bug: report it, keep checking the other files
        import traceback

        finding = internal_error_finding(target.display, exc, traceback.format_exc(), opts.settings)
        unchanged = data if target.path == STDIN and opts.fix and not opts.diff else None
        return _report_for(target, findings=[finding], failed=True, fixed_text=unchanged)


def _lint_bytes(target: Target, data: bytes, opts: RunOptions) -> FileReport:
    report = _report_for(target)
    if target.path == STDIN and opts.fix and not opts.diff:
        report.fixed_text = data  # `--fix -` always writes the workflow: unchanged unless a fix applies
    settings = opts.settings
    try:
        source = Source.from_bytes(target.display, data)
    except DecodeError as exc:
        report.findings = [decode_error_finding(target.display, exc, settings)]
        report.failed = True
        return report
    result = lint_source(source, settings)
    if result.workflow is not None and not _looks_like_workflow(result.workflow):
        report.not_workflow = _not_a_workflow(target.display)
        return report
    report.source = source
    report.findings = result.findings
    report.hidden = result.hidden
    report.failed = result.load_error or result.internal_error
    if not (opts.fix or opts.diff) or result.load_error:
        return report
    from .fixer import WriteError, annotate

    outcome = fix_source(source, settings, unsafe=opts.unsafe_fixes, first=result)
    if outcome.error:
        report.error = f"{target.display}: {outcome.error}"
    report.findings = annotate(result.findings, outcome.withheld)
    if not outcome.changed:
        return report
    new_bytes = source.encode(outcome.text)
    if opts.diff:
        report.diff = unified_diff(target.display, source.text, outcome.text)
        report.fixed = outcome.fixed
        report.remaining = len(outcome.result.findings) if outcome.result else None
        return report
    if target.path == STDIN:
        report.fixed_text = new_bytes
    else:
        try:
            write_atomic(target.path, data, new_bytes)
        except WriteError as exc:
            report.error = f"{target.display}: cannot write: {exc}"
            return report
        except OSError as exc:
            report.error = f"{target.display}: cannot write: {_describe_os_error(target.path, exc)}"
            return report
    report.fixed = outcome.fixed
    assert outcome.result is not None
    report.source = Source(path=source.path, text=outcome.text, bom=source.bom, encoding=source.encoding)
    report.findings = annotate(outcome.result.findings, outcome.withheld)
    report.hidden = outcome.result.hidden
    report.failed = outcome.result.load_error or outcome.result.internal_error
    return report


def fix_source(*args, **kwargs):
    """``fixer.fix_source``, imported when a run fixes (a plain lint never loads the fixer)."""
    from .fixer import fix_source as fix

    return fix(*args, **kwargs)


def write_atomic(*args, **kwargs):
    """``fixer.write_atomic``, imported when a run writes a fix."""
    from .fixer import write_atomic as write

    return write(*args, **kwargs)


def _not_a_workflow(display: str) -> str:
    return f"{display}:1:1: not a workflow: no `on:` or `jobs:` key (not checked)"


def _looks_like_workflow(wf) -> bool:
    """A mapping with an ``on:`` or a ``jobs:`` key (dependabot.yml, labels and tool configs have neither)."""
    return wf.on_key is not None or wf.get("jobs") is not None


def run(opts: RunOptions) -> RunReport:
    """Read every target, take what the cache holds, lint the rest (in parallel when it pays)."""
    excluded: List[str] = []
    new_run()
    targets, errors = discover(opts.paths, cwd=opts.cwd, exclude=opts.exclude, root=opts.settings.repo_root, excluded=excluded)
    cache = _open_cache(opts)
    files: List[Optional[FileReport]] = [None] * len(targets)
    todo: List[Tuple[int, Target, Optional[bytes]]] = []
    for index, target in enumerate(targets):
        if cache is None and target.path != STDIN:
            todo.append((index, target, None))  # read where it is linted: a worker reads its own files
            continue
        try:
            data = _read(target, opts)
        except OSError as exc:
            files[index] = _read_error(target, exc)
            continue
        hit = cache.get(target.display, data) if cache and target.path != STDIN else None
        if hit is not None:
            shown = [f for f in hit[0] if HIDDEN not in f.properties]
            hidden = [f for f in hit[0] if HIDDEN in f.properties]
            files[index] = _report_for(target, findings=shown, hidden=hidden, failed=hit[1], raw=data,
                                       not_workflow=_not_a_workflow(target.display) if hit[2] else None)
        else:
            todo.append((index, target, data))
    for (index, target, data), file in zip(todo, parallel.lint_all([(t, d) for _, t, d in todo], opts)):
        files[index] = file
        if cache and target.path != STDIN and _cacheable(file):
            cache.put(target.display, data, file.findings + file.hidden, file.failed, file.reads,  # hidden ones carry HIDDEN
                      not_workflow=file.not_workflow is not None)
    if cache:
        cache.save()
    return RunReport(
        files=[f for f in files if f is not None],
        errors=[*opts.settings.errors, *errors],
        fix=opts.fix and not opts.diff,
        unsafe_fixes=opts.unsafe_fixes,
        excluded=excluded,
    )


def _open_cache(opts: RunOptions) -> Optional["Cache"]:
    """The run's cache, or None: ``--no-cache``, ``--fix`` and ``--diff`` runs use none."""
    if not opts.use_cache or opts.fix or opts.diff:
        return None
    from .cache import Cache, fingerprint

    root = opts.settings.repo_root or find_repo_root(opts.cwd or os.getcwd())
    return Cache(root, fingerprint(opts.settings))


def _cacheable(file: FileReport) -> bool:
    """Results that the bytes and settings alone decide (not an I/O error or a crash)."""
    return file.error is None and not any(f.slug == internal_error.RULE.slug for f in file.findings)
