"""The workflow files of a git commit and of the working tree, read with git (nothing checked out).

``git ls-tree`` lists ``.github/workflows`` at the commit, ``git cat-file --batch`` reads the
blobs in one process, and ``git diff -M --name-status`` gives git's own rename detection
between the commit and the working tree.  Only the top level of ``.github/workflows``
counts, as on GitHub.
"""

from __future__ import annotations

import os
import subprocess
from typing import Dict, List, Optional, Sequence, Tuple

WORKFLOWS = ".github/workflows"
_SUFFIXES = (".yml", ".yaml")


class GitError(Exception):
    """git is missing, the folder is not a repository, or the ref names no commit."""


def _git(root: str, args: Sequence[str], stdin: Optional[bytes] = None) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); --base reads the base commit with git") from None
    except OSError as exc:
        raise GitError(f"cannot run git in {root}: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed with exit code {proc.returncode}")
    return proc.stdout


def toplevel(cwd: str) -> str:
    """The root of the working tree that holds ``cwd``."""
    try:
        out = _git(cwd, ["rev-parse", "--show-toplevel"])
    except GitError as exc:
        if "not a git repository" in str(exc).lower():
            raise GitError(f"{cwd} is not in a git repository; --base compares against a commit of one") from None
        raise
    return os.path.normpath(out.decode("utf-8", "surrogateescape").strip())


def resolve(root: str, ref: str) -> str:
    """The commit id ``ref`` names."""
    if not ref or ref.startswith("-"):
        raise GitError(f"--base {ref!r}: not a commit")
    try:
        return _git(root, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"]).decode().strip()
    except GitError:
        raise GitError(f"--base {ref}: no such commit in {root} (fetch it first, e.g. `git fetch --depth=1 origin {ref}`)") from None


def _is_workflow(path: str) -> bool:
    return path.lower().endswith(_SUFFIXES)


def at_commit(root: str, commit: str) -> Dict[str, bytes]:
    """``{path: bytes}`` of the workflow files of ``commit`` (paths relative to ``root``, ``/``-separated)."""
    listing = _git(root, ["ls-tree", "-z", "--full-tree", commit, "--", f"{WORKFLOWS}/"])
    blobs: List[Tuple[str, str]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        _, kind, blob = meta.decode().split()
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind == "blob" and _is_workflow(path):
            blobs.append((path, blob))
    if not blobs:
        return {}
    out = _git(root, ["cat-file", "--batch"], stdin="".join(f"{blob}\n" for _, blob in blobs).encode())
    files: Dict[str, bytes] = {}
    pos = 0
    for path, _ in blobs:
        header_end = out.index(b"\n", pos)
        size = int(out[pos:header_end].split()[2])
        files[path] = out[header_end + 1 : header_end + 1 + size]
        pos = header_end + 1 + size + 1  # the object, then a newline
    return files


def in_worktree(root: str) -> Dict[str, bytes]:
    """``{path: bytes}`` of the workflow files in the working tree (unreadable files are skipped)."""
    folder = os.path.join(root, *WORKFLOWS.split("/"))
    files: Dict[str, bytes] = {}
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return files
    for name in names:
        full = os.path.join(folder, name)
        if _is_workflow(name) and os.path.isfile(full):
            try:
                with open(full, "rb") as handle:
                    files[f"{WORKFLOWS}/{name}"] = handle.read()
            except OSError:
                continue
    return files


def renames(root: str, commit: str) -> Dict[str, str]:
    """``{old path: new path}`` for the workflow files git sees renamed between ``commit`` and the working tree."""
    out = _git(root, ["diff", "-M", "--name-status", "-z", commit, "--", f"{WORKFLOWS}/"])
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    found: Dict[str, str] = {}
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status.startswith(("R", "C")):
            if status.startswith("R"):
                found[fields[i + 1]] = fields[i + 2]
            i += 3
        else:
            i += 2
    return found
