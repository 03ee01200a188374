"""The result cache: a file's findings, kept until its bytes or the settings change.

``.wflint_cache/`` sits at the repository root with a ``.gitignore`` of ``*`` and a
``CACHEDIR.TAG``.  Each run computes one *fingerprint* of everything besides the
file that decides its findings: wflint's version and code, the selected rules
(plugins and their versions included), rule options, severities and the rest of
the resolved settings.  All entries made under it live in one index file,
``<fingerprint>.json``, mapping each display path to the SHA-256 of the file's
bytes and the findings they gave; a re-run with different bytes or settings is
a miss, and the entry is replaced.  Some rules read other files than the one they
check (sibling workflows, lock files, ``.git``, a called workflow: ``reads``); an
entry also keeps those paths and a digest of their ``reads.signature`` (sizes and
modification times, a folder's listing), and a change to any of them is a miss
too.  Each path is looked at once per run, however many entries name it.  The index is read once, on the first
lookup, and ``save`` rewrites it once at the end of a run that changed it (a
warm run opens one file instead of one per workflow).

Only the check path is cached (never ``--fix`` or ``--diff``), and never stdin.
The index is written to a temporary file in the same folder and renamed into
place, so readers see the old index or the new one, never half of one; an index
or entry that cannot be read or understood is a miss, so a corrupt, truncated or
foreign cache never breaks a run.  Concurrent runs each write their whole index:
the last one wins, and what the others added only costs misses next time.  A
cache that cannot be written is switched off for the run.  Saving removes what
is older than a day in the folder besides the current index (other settings'
indexes, older layouts, temporary files of interrupted runs), so the folder
holds about one index per settings used that day.  Entries are JSON, not pickle:
reading a cache must not run code, even one someone committed to the repository.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
from typing import Any, Dict, List, Optional, Sequence, Tuple

from . import __version__
from .finding import Edit, Finding, Fix, Safety, Severity, Span
from .reads import digest

CACHE_DIR = ".wflint_cache"
FORMAT = 3  # bump when the index layout changes
STALE = 24 * 3600  # seconds: older index files of other settings are removed when saving
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# wflint's result cache (https://bford.info/cachedir/)\n"


def fingerprint(settings: Any) -> str:
    """A digest of the settings and of the wflint code that lint under them."""
    data = {"format": FORMAT, "wflint": __version__, "code": _code_signature(), "settings": _canonical(settings)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


def _code_signature() -> List[Tuple[str, int, int]]:
    """Size and modification time of wflint's own modules, so an edited checkout never reuses results."""
    package = os.path.dirname(os.path.abspath(__file__))
    out = []
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                out.append((os.path.relpath(os.path.join(folder, name), package), info.st_size, info.st_mtime_ns))
    return out


def _canonical(value: Any) -> Any:
    """JSON-able, order-independent data for a settings value."""
    from .rules import Rule

    if isinstance(value, Rule):
        return {
            "code": value.code,
            "slug": value.slug,
            "severity": value.severity.value,
            "source": value.source,
            "source_version": _distribution_version(value.source),
            "options": _canonical(dict(value.options)),
        }
    if isinstance(value, enum.Enum):
        return _canonical(value.value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return sorted((str(k), _canonical(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    pattern = getattr(value, "pattern", None)  # a compiled regular expression
    if isinstance(pattern, str):
        return ["pattern", pattern, getattr(value, "flags", 0)]
    return [type(value).__qualname__, repr(value)]


def _distribution_version(name: Optional[str]) -> Optional[str]:
    if not name:
        return None
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # not an installed distribution: the name alone
        return None


def clean(root: str) -> bool:
    """Remove the cache under ``root``; True if there was one."""
    import shutil

    folder = os.path.join(root, CACHE_DIR)
    if not os.path.isdir(folder) or os.path.islink(folder):
        return False
    shutil.rmtree(folder)
    return True


class Cache:
    """One index per settings fingerprint: ``<root>/.wflint_cache/<fingerprint>.json``."""

    def __init__(self, root: str, settings_fingerprint: str):
        self.base = os.path.join(root, CACHE_DIR)
        self.fingerprint = settings_fingerprint
        self.path = os.path.join(self.base, settings_fingerprint + ".json")
        self.disabled = False
        self._entries: Optional[Dict[str, Any]] = None  # display path -> [sha256, failed, findings, reads, digest]
        self._table: List[str] = []  # the index's sorted paths, which its entries' ``reads`` ranges refer to
        self._changed = False
        self._digests: Dict[Tuple[str, ...], str] = {}  # this run's digest of each set of read paths

    def _reads_digest(self, paths: Sequence[str]) -> str:
        key = tuple(paths)
        if key not in self._digests:
            data = "\0".join(p + "\0" + digest(p) for p in key)
            self._digests[key] = hashlib.sha256(data.encode()).hexdigest()[:16]
        return self._digests[key]

    @staticmethod
    def key(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def _index(self) -> Dict[str, Any]:
        if self._entries is None:
            self._entries, self._table = _read_index(self.path, self.fingerprint)
        return self._entries

    def _paths(self, reads: Any) -> List[str]:
        """An entry's read paths: a list, or as written, ``{"r": [start, stop, ...]}`` ranges of
        the index's sorted ``paths`` table (a reusable workflow reads all its siblings: the
        same thousands of paths for each, written once)."""
        if isinstance(reads, dict):
            ranges = reads["r"]
            return [path for start, stop in zip(ranges[::2], ranges[1::2]) for path in self._table[start:stop]]
        return list(reads)

    def get(self, display: str, data: bytes) -> Optional[Tuple[List[Finding], bool, bool]]:
        """The cached ``(findings, failed, not a workflow)`` of these bytes at this path, or None."""
        if self.disabled:
            return None
        try:
            entry = self._index()[display]
            sha256, failed, findings, reads, digest = entry[:5]
            reads = self._paths(reads)
            if sha256 != self.key(data) or (reads and digest != self._reads_digest(reads)):
                return None
            return [_finding_from(f, display) for f in findings], bool(failed), len(entry) > 5 and entry[5] is True
        except Exception:  # missing, malformed or foreign: a miss
            return None

    def put(self, display: str, data: bytes, findings: List[Finding], failed: bool, reads: Sequence[str] = (),
            not_workflow: bool = False) -> None:
        """Remember an entry (``reads``: the other paths its lint read; ``not_workflow``: a YAML
        file without ``on:`` or ``jobs:``, not checked); ``save`` writes the index."""
        if self.disabled:
            return
        reads = sorted(reads)
        digest = self._reads_digest(reads) if reads else ""
        entry = [self.key(data), bool(failed), [_finding_to(f, display) for f in findings], reads, digest]
        if not_workflow:
            entry.append(True)
        try:
            json.dumps(entry, allow_nan=False)
        except (TypeError, ValueError):  # a plugin's property that JSON cannot hold: not cached
            return
        self._index()[display] = entry
        self._changed = True

    def save(self) -> None:
        """Write the index if a ``put`` changed it; a cache that cannot be written is switched off."""
        if self.disabled or not self._changed:
            return
        import tempfile

        entries: Dict[str, Any] = {}
        lists: Dict[str, List[str]] = {}
        for display, entry in self._index().items():
            try:
                lists[display] = self._paths(entry[3])
            except Exception:
                lists[display] = []  # a damaged entry, written as it is (a miss when read)
            entries[display] = entry
        table = sorted({path for paths in lists.values() for path in paths})
        ids = {path: i for i, path in enumerate(table)}
        for display, paths in lists.items():
            if paths and isinstance(entries[display], list):
                ranges: List[int] = []
                for i in sorted(ids[path] for path in paths):
                    if ranges and ranges[-1] == i:
                        ranges[-1] = i + 1
                    else:
                        ranges.extend((i, i + 1))
                entries[display] = [*entries[display][:3], {"r": ranges}, *entries[display][4:]]
        text = json.dumps({"fingerprint": self.fingerprint, "entries": entries, "paths": table},
                          ensure_ascii=False, separators=(",", ":"))
        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.base)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, self.path)
            except BaseException:
                _unlink(tmp)
                raise
        except OSError:  # read-only checkout, full disk...: lint on without a cache
            self.disabled = True
            return
        self._changed = False
        _prune(self.base, keep=os.path.basename(self.path))

    def _prepare(self) -> None:
        os.makedirs(self.base, exist_ok=True)
        for name, content in ((".gitignore", "# Created by wflint.\n*\n"), ("CACHEDIR.TAG", _TAG)):
            path = os.path.join(self.base, name)
            if not os.path.exists(path):
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(content)


def _read_index(path: str, settings_fingerprint: str) -> Tuple[Dict[str, Any], List[str]]:
    """The entries and path table of an index file; empty if it is missing, unreadable, corrupt or foreign."""
    try:
        with open(path, "rb") as handle:
            index = json.loads(handle.read())
        entries = index["entries"]
        table = index.get("paths", [])
        if index["fingerprint"] == settings_fingerprint and isinstance(entries, dict):
            return entries, table if isinstance(table, list) else []
    except Exception:
        pass
    return {}, []


def _prune(base: str, keep: str) -> None:
    """Remove what other settings, older layouts or interrupted runs left more than ``STALE`` seconds ago."""
    import shutil
    import time

    cutoff = time.time() - STALE
    try:
        with os.scandir(base) as scan:
            for item in scan:
                if item.name in (keep, ".gitignore", "CACHEDIR.TAG") or item.stat(follow_symlinks=False).st_mtime > cutoff:
                    continue
                if item.is_dir(follow_symlinks=False):
                    shutil.rmtree(item.path, ignore_errors=True)
                else:
                    _unlink(item.path)
    except OSError:  # pruning is housekeeping: never an error
        pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _finding_to(f: Finding, display: str) -> List[Any]:
    fix = None
    if f.fix is not None:
        fix = [f.fix.title, f.fix.safety.value, [[e.start, e.end, e.content] for e in f.fix.edits]]
    path = None if f.path == display else f.path
    return [f.code, f.slug, f.severity.value, f.message, f.span.start, f.span.end, f.line, f.col, f.end_line, f.end_col, fix, f.properties, path]


_SAFETY = {s.value: s for s in Safety}
_SEVERITY = {s.value: s for s in Severity}


def _finding_from(item: List[Any], display: str) -> Finding:
    code, slug, severity, message, start, end, line, col, end_line, end_col, fix, properties, path = item
    if fix is not None:
        title, safety, edits = fix
        fix = Fix(title, tuple(Edit(s, e, c) for s, e, c in edits), _SAFETY[safety])
    return Finding.restore(
        span=Span(start, end),
        message=message,
        fix=fix,
        properties=dict(properties),
        code=code,
        slug=slug,
        severity=_SEVERITY[severity],
        path=display if path is None else path,
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
    )
