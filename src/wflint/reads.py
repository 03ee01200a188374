"""What a lint read besides the file itself, so that the result cache notices when it changes.

Some rules look outside the file they check: the other workflows of its folder, lock files
under the repository root, ``.git`` (``origin/HEAD``, the origin remote), a local action's
``action.yml``, a called reusable workflow, the prices file.  Each place that reads (or only
probes) such a path calls ``note(path)``; ``recording()`` collects the paths noted while one
file is linted, and ``signature(path)`` is what the cache compares between runs: the size
and modification time of a file, the names, sizes and times of a folder's entries, None
when it does not exist.  Noting is outside any memoised reader, so a second file reading
the same (memoised) data records it too.  ``digest(path)`` is a short digest of the
signature, computed once per run (``new_run`` forgets them: a long-lived process).
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional, Set

_seen: Optional[Set[str]] = None  # the paths noted by the lint in progress, if one records
_digests: Dict[str, str] = {}  # this run's digest of each path's signature


_absolute: Dict[Any, str] = {}  # one string per path noted this run: every report's reads share it


def note(path: Optional[str]) -> None:
    """Record that the lint in progress read or probed ``path`` (a file or a folder)."""
    if _seen is not None and path:
        key = path if os.path.isabs(path) else (os.getcwd(), path)
        found = _absolute.get(key)
        if found is None:
            if len(_absolute) >= 100_000:
                _absolute.clear()
            found = _absolute[key] = os.path.abspath(path)
        _seen.add(found)


@contextmanager
def recording() -> Iterator[Set[str]]:
    """Collect the paths noted inside the block (nested blocks share the outer set)."""
    global _seen
    outer = _seen
    if outer is not None:
        yield outer
        return
    _seen = set()
    try:
        yield _seen
    finally:
        _seen = None


def signature(path: str) -> Any:
    """JSON-able data that changes when the file or folder at ``path`` changes (None if absent)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not os.path.isdir(path):
        return [info.st_size, info.st_mtime_ns]
    entries: List[Any] = []
    try:
        with os.scandir(path) as scan:
            for entry in scan:
                try:
                    st = entry.stat()
                    entries.append([entry.name, st.st_size, st.st_mtime_ns])
                except OSError:
                    entries.append([entry.name, None, None])
    except OSError:
        return [info.st_mtime_ns]
    entries.sort()
    return entries


def digest(path: str) -> str:
    """A short digest of ``signature(path)``, computed once per run."""
    found = _digests.get(path)
    if found is None:
        import hashlib  # here: a run that reads nothing besides its files never loads OpenSSL
        import json

        data = json.dumps(signature(path), separators=(",", ":")).encode()
        found = _digests[path] = hashlib.sha256(data).hexdigest()[:16]
    return found


def new_run() -> None:
    """Forget the digests of an earlier run (files may have changed since)."""
    _digests.clear()
    _absolute.clear()
