"""Which files to lint: the repository's workflows, or the paths given on the command line."""

from __future__ import annotations

import fnmatch
import os
from typing import Iterable, List, Optional, Sequence, Tuple

from .records import record

WORKFLOW_DIR = os.path.join(".github", "workflows")
EXTENSIONS = (".yml", ".yaml")
STDIN = "-"
_SKIP_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".wflint_cache"}


@record
class Target:
    """A file to check: the path to open and the path to show."""

    path: str  # what to open ("-" for stdin)
    display: str  # what to print
    named: bool = False  # named on the command line (not found in a folder)


def find_repo_root(start: str) -> str:
    """The closest folder at or above ``start`` holding ``.git``; ``start`` itself if none."""
    current = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return os.path.abspath(start)
        current = parent


def relative_to(absolute: str, base: str) -> Optional[str]:
    """``absolute`` relative to the folder ``base`` (both absolute), or None if it is outside."""
    prefix = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(prefix):  # the common case, without relpath's normalising
        return absolute[len(prefix):]
    try:
        rel = os.path.relpath(absolute, base)
    except ValueError:  # another drive on Windows
        return None
    return None if rel == os.pardir or rel.startswith(os.pardir + os.sep) else rel


def display_path(path: str, cwd: str) -> str:
    absolute = os.path.abspath(path)
    return relative_to(absolute, cwd) or absolute


def _is_workflow_name(name: str) -> bool:
    return name.lower().endswith(EXTENSIONS)


def _workflow_folder(folder: str) -> List[str]:
    try:
        with os.scandir(folder) as listing:
            # the listing tells a folder from a file without a stat per entry (symbolic links followed)
            names = [entry.name for entry in listing if _is_workflow_name(entry.name) and not _is_dir(entry)]
    except OSError:
        return []
    names.sort()
    start = os.path.join(folder, "")
    return [start + name for name in names]


def _is_dir(entry: "os.DirEntry") -> bool:
    try:
        return entry.is_dir()
    except OSError:  # as os.path.isdir: a link that cannot be followed is not a folder
        return False


def _folder(path: str) -> List[str]:
    """The workflows a folder given on the command line means: its ``.github/workflows`` (a
    repository); for ``.github`` itself, its ``workflows``; else every YAML file under it."""
    workflows = os.path.join(path, WORKFLOW_DIR)
    if os.path.basename(os.path.normpath(path)) == ".github":
        workflows = os.path.join(path, "workflows")
    if os.path.isdir(workflows):
        return _workflow_folder(workflows)
    return _walk_yaml(path)


def _walk_yaml(folder: str) -> List[str]:
    """YAML files under ``folder``; under any ``.github`` folder only those of its ``workflows``
    (labels.yml, dependabot.yml and issue templates are not workflows)."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
        if os.path.basename(root) == ".github":
            dirs[:] = [d for d in dirs if d == "workflows"]
            continue
        for name in sorted(files):
            if _is_workflow_name(name):
                found.append(os.path.join(root, name))
    return found


def discover(
    paths: Sequence[str],
    cwd: Optional[str] = None,
    exclude: Iterable[str] = (),
    root: Optional[str] = None,
    excluded: Optional[List[str]] = None,
) -> Tuple[List[Target], List[str]]:
    """Targets to lint, sorted by display path, and error messages for paths that do not exist.

    An ``exclude`` glob matches the display path, the file name, or (given ``root``) the
    path relative to the repository root.
    """
    cwd = os.path.abspath(cwd or os.getcwd())
    errors: List[str] = []
    files: List[str] = []
    named = set()
    stdin = False
    if not paths:
        root = find_repo_root(cwd)
        if not exclude and os.path.normcase("A") == "A":  # the usual run: one folder's files, in display order
            return _listed(os.path.join(root, WORKFLOW_DIR), cwd), errors
        files.extend(_workflow_folder(os.path.join(root, WORKFLOW_DIR)))
    for raw in paths:
        if raw == STDIN:
            stdin = True
            continue
        path = raw if os.path.isabs(raw) else os.path.join(cwd, raw)
        if os.path.isdir(path):
            files.extend(_folder(path))
        elif os.path.lexists(path):
            files.append(path)  # a file, a broken symlink or a loop: reading it says which
            named.add(os.path.normcase(os.path.abspath(path)))
        else:
            errors.append(f"{raw}: no such file or directory")
    patterns = list(exclude)
    seen = set()
    targets = []
    for path in files:
        absolute = os.path.abspath(path)
        display = relative_to(absolute, cwd) or absolute
        key = os.path.normcase(absolute)
        if key in seen:
            continue
        if patterns and _excluded(display, patterns, _relative(absolute, root)):
            if excluded is not None:
                excluded.append(display)  # found, and left out on purpose: not "nothing found"
            continue
        seen.add(key)
        targets.append(Target(path=path, display=display, named=key in named))
    targets.sort(key=lambda t: t.display)
    if stdin:
        targets.append(Target(path=STDIN, display="-", named=True))
    return targets, errors


def _listed(folder: str, cwd: str) -> List[Target]:
    """``discover``'s targets for the workflow files of one folder (nothing excluded): the
    folder's path is made absolute and relative once, not once a file."""
    folder = os.path.abspath(folder)
    paths = _workflow_folder(folder)  # sorted by name: by display path too (one folder)
    if not paths:
        return []
    start = len(folder) + len(os.sep)
    probe = relative_to(paths[0], cwd)  # how the folder shows, before each file's name
    shown = None if probe is None else probe[: len(probe) - (len(paths[0]) - start)]
    if shown is None:
        return [Target(path, path, False) for path in paths]
    return [Target(path, shown + path[start:], False) for path in paths]


def _relative(absolute: str, root: Optional[str]) -> Optional[str]:
    rel = relative_to(absolute, os.path.abspath(root)) if root else None
    return rel.replace(os.sep, "/") if rel is not None else None


def _excluded(display: str, patterns: Sequence[str], rel: Optional[str] = None) -> bool:
    posix = display.replace(os.sep, "/")
    return any(
        fnmatch.fnmatch(posix, p) or fnmatch.fnmatch(os.path.basename(posix), p) or (rel is not None and fnmatch.fnmatch(rel, p))
        for p in patterns
    )
