"""The result cache: a file's findings, kept until its bytes or the settings change.

``.wflint_cache/`` sits at the repository root with a ``.gitignore`` of ``*``.
Each run computes one *fingerprint* of everything besides the file that decides
its findings: wflint's version and code, the selected rules (plugins and their
versions included), rule options, severities and the rest of the resolved
settings.  Entries live in a folder named after it, one JSON file per display
path, holding the SHA-256 of the file's bytes and the findings they gave; a
re-run with different bytes or settings is a miss, and the entry is replaced.

Only the check path is cached (never ``--fix`` or ``--diff``), and never stdin.
Entries are written to a temporary file and renamed into place, and any entry
that cannot be read or understood is a miss, so a corrupt, truncated or
concurrently written cache never breaks a run.  Entries are JSON, not pickle:
reading a cache must not run code, even one someone committed to the repository.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
from typing import Any, Dict, List, Optional, Tuple

from . import __version__
from .finding import Edit, Finding, Fix, Safety, Severity, Span

CACHE_DIR = ".wflint_cache"
FORMAT = 1  # bump when the entry layout changes
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
    """Per-file entries under ``<root>/.wflint_cache/<fingerprint>/``."""

    def __init__(self, root: str, settings_fingerprint: str):
        self.base = os.path.join(root, CACHE_DIR)
        self.folder = os.path.join(self.base, settings_fingerprint)
        self._ready = False
        self.disabled = False

    @staticmethod
    def key(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    def _entry_path(self, display: str) -> str:
        name = hashlib.sha256(display.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        return os.path.join(self.folder, name + ".json")

    def get(self, display: str, data: bytes) -> Optional[Tuple[List[Finding], bool]]:
        """The cached ``(findings, failed)`` of these bytes at this path, or None."""
        if self.disabled:
            return None
        try:
            with open(self._entry_path(display), "rb") as handle:
                entry = json.loads(handle.read())
            if entry["path"] != display or entry["sha256"] != self.key(data):
                return None
            return [_finding_from(f) for f in entry["findings"]], bool(entry["failed"])
        except Exception:  # missing, truncated, corrupt or foreign: a miss
            return None

    def put(self, display: str, data: bytes, findings: List[Finding], failed: bool) -> None:
        """Store an entry; a cache that cannot be written is switched off for the run."""
        if self.disabled:
            return
        try:
            entry = {
                "path": display,
                "sha256": self.key(data),
                "failed": failed,
                "findings": [_finding_to(f) for f in findings],
            }
            text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):  # a plugin's property that JSON cannot hold: not cached
            return
        import tempfile

        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(text)
                os.replace(tmp, self._entry_path(display))
            except BaseException:
                _unlink(tmp)
                raise
        except OSError:  # read-only checkout, full disk...: lint on without a cache
            self.disabled = True

    def _prepare(self) -> None:
        if self._ready:
            return
        os.makedirs(self.folder, exist_ok=True)
        for name, content in ((".gitignore", "# Created by wflint.\n*\n"), ("CACHEDIR.TAG", _TAG)):
            path = os.path.join(self.base, name)
            if not os.path.exists(path):
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(content)
        self._ready = True


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _finding_to(f: Finding) -> Dict[str, Any]:
    fix = None
    if f.fix is not None:
        fix = [f.fix.title, f.fix.safety.value, [[e.start, e.end, e.content] for e in f.fix.edits]]
    return {
        "span": [f.span.start, f.span.end],
        "message": f.message,
        "fix": fix,
        "properties": f.properties,
        "code": f.code,
        "slug": f.slug,
        "severity": f.severity.value,
        "path": f.path,
        "pos": [f.line, f.col, f.end_line, f.end_col],
    }


_SAFETY = {s.value: s for s in Safety}
_SEVERITY = {s.value: s for s in Severity}


def _finding_from(d: Dict[str, Any]) -> Finding:
    fix = None
    if d["fix"] is not None:
        title, safety, edits = d["fix"]
        fix = Fix(title, tuple(Edit(s, e, c) for s, e, c in edits), _SAFETY[safety])
    line, col, end_line, end_col = d["pos"]
    return Finding.restore(
        span=Span(*d["span"]),
        message=d["message"],
        fix=fix,
        properties=dict(d["properties"]),
        code=d["code"],
        slug=d["slug"],
        severity=_SEVERITY[d["severity"]],
        path=d["path"],
        line=line,
        col=col,
        end_line=end_line,
        end_col=end_col,
    )
