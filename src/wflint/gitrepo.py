"""Facts about the repository a workflow lives in, read from ``.git`` without running git.

Only local files are read (never the network): the default branch from
``refs/remotes/origin/HEAD``.  Worktrees (``.git`` as a file naming the real folder)
are understood.
"""

from __future__ import annotations

import os
import re
from typing import Optional

from .reads import note


def _read(path: str) -> Optional[str]:
    note(path)
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def git_dirs(repo_root: Optional[str]):
    """(git dir, common dir) of the repository at ``repo_root``, or (None, None)."""
    if not repo_root:
        return None, None
    dot_git = os.path.join(repo_root, ".git")
    if os.path.isdir(dot_git):
        return dot_git, dot_git
    text = _read(dot_git)
    if not text or not text.startswith("gitdir:"):
        return None, None
    git_dir = text[len("gitdir:"):].strip()
    if not os.path.isabs(git_dir):
        git_dir = os.path.normpath(os.path.join(repo_root, git_dir))
    common = _read(os.path.join(git_dir, "commondir"))
    if common:
        common = common.strip()
        common = common if os.path.isabs(common) else os.path.normpath(os.path.join(git_dir, common))
    return git_dir, common or git_dir


def default_branch(repo_root: Optional[str]) -> Optional[str]:
    """The branch ``origin/HEAD`` points at (what ``git symbolic-ref`` would say), if recorded."""
    for folder in git_dirs(repo_root):
        if not folder:
            continue
        text = _read(os.path.join(folder, "refs", "remotes", "origin", "HEAD"))
        if text:
            match = re.match(r"ref:\s*refs/remotes/origin/(\S+)", text.strip())
            if match:
                return match.group(1)
    return None


def origin_name(repo_root: Optional[str]) -> str:
    """``owner/name`` of the ``origin`` remote in ``.git/config``, else ``""``.

    The same in every clone of a repository, whatever its folder is called.
    """
    _, common = git_dirs(repo_root)
    text = _read(os.path.join(common, "config")) if common else None
    section = None
    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line.replace('"', "").replace(" ", "").lower()
        elif section == "[remoteorigin]" and "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            match = re.search(r"[:/]([^/:]+/[^/]+?)(?:\.git)?/?$", value) if key.lower() == "url" else None
            if match:
                return match.group(1)
    return ""
