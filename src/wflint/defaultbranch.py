"""Which branch is a repository's default, from what the repository itself shows; never a guess.

In order: the ``default-branch`` option; ``refs/remotes/origin/HEAD`` (``gitrepo``); a
comparison of ``github.event.repository.default_branch`` with a literal in the workflow;
the one branch every sibling workflow (the same ``.github/workflows`` folder) that filters
``push`` by branch names.  None when nothing says, and the fix that needs it is not offered.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import List, Optional, Tuple

from . import yamlnode as yn
from .gitrepo import default_branch as origin_head
from .reads import digest, note

_LITERAL = r"""(?:'([^'\s]+)'|"([^"\s]+)")"""
_COMPARED = re.compile(
    r"github\.event\.repository\.default_branch\s*==\s*" + _LITERAL + r"|" + _LITERAL + r"\s*==\s*github\.event\.repository\.default_branch"
)
_BRANCH_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_BRANCH_PATTERN = re.compile(r"[A-Za-z0-9*][A-Za-z0-9._/*+?-]*")
MAX_SIBLINGS = 200
MAX_SIBLING_BYTES = 1_000_000


def infer(option: Optional[str], repo_root: Optional[str], text: str, path: str) -> Tuple[Optional[str], str]:
    """(the default branch, how it is known) or (None, why not)."""
    if option:
        return option, "the `default-branch` option"
    branch = origin_head(repo_root)
    if branch:
        return branch, "refs/remotes/origin/HEAD"
    compared = {next(g for g in m.groups() if g) for m in _COMPARED.finditer(text)}
    if len(compared) == 1:
        return compared.pop(), "a comparison with `github.event.repository.default_branch`"
    folder = _workflows_folder(path, repo_root)
    if folder is not None:
        branch = _sibling_push_branch(folder, os.path.basename(path))
        if branch:
            return branch, "the branch the other workflows of the folder run `push` on"
    return None, (
        "the default branch is unknown (no `refs/remotes/origin/HEAD`, and the other workflows do not agree on one "
        "`push` branch); set the rule's `default-branch` option"
    )


def _workflows_folder(path: str, repo_root: Optional[str]) -> Optional[str]:
    folder = os.path.dirname(os.path.abspath(path)) if path and path != "-" else None
    if folder and folder.replace(os.sep, "/").endswith(".github/workflows") and os.path.isdir(folder):
        return folder
    if repo_root:
        note(os.path.join(repo_root, ".github", "workflows"))
    if repo_root and os.path.isdir(os.path.join(repo_root, ".github", "workflows")):
        return os.path.join(repo_root, ".github", "workflows")
    return None


def _sibling_push_branch(folder: str, own_name: str) -> Optional[str]:
    note(folder)
    names = _push_branches_by_file(folder, digest(folder))  # the memo follows the folder's changes
    agreed = {branch for name, branch, _ in names if name != own_name and branch}
    return agreed.pop() if len(agreed) == 1 else None


def sibling_branches(path: str, repo_root: Optional[str]) -> List[str]:
    """The branches and branch patterns the other workflows of the folder name in their
    ``push`` and pull-request ``branches`` filters (``main``, ``3.5.x``, ``release/**``): the
    repository's long-lived branches, as far as its workflows tell (wildcards and negations left out)."""
    folder = _workflows_folder(path, repo_root)
    if folder is None:
        return []
    note(folder)
    own = os.path.basename(path)
    found: List[str] = []
    for name, _, named in _push_branches_by_file(folder, digest(folder)):
        found += [b for b in named if name != own and b not in found]
    return found


def _listing(folder: str) -> Tuple[str, ...]:
    try:
        return tuple(sorted(e for e in os.listdir(folder) if e.endswith((".yml", ".yaml")))[:MAX_SIBLINGS])
    except OSError:
        return ()


@lru_cache(maxsize=32)
def _push_branches_by_file(folder: str, listing_digest: str) -> Tuple[Tuple[str, Optional[str], Tuple[str, ...]], ...]:
    """(file name, the single literal branch its ``push`` is limited to else None, the branches
    and patterns its ``push`` and pull-request ``branches`` filters name)."""
    out = []
    for name in _listing(folder):
        try:
            with open(os.path.join(folder, name), encoding="utf-8-sig") as handle:
                text = handle.read(MAX_SIBLING_BYTES + 1)
            if len(text) > MAX_SIBLING_BYTES:
                continue
            root = yn.compose(text)
        except (OSError, UnicodeError, yn.YAMLLoadError, RecursionError):
            continue
        on = yn.get_value(root, "on") if yn.is_map(root) else None
        push = yn.get_value(on, "push")
        branches = yn.get_value(push, "branches")
        names = [yn.scalar(item) for item in yn.items(branches)] if yn.is_seq(branches) else [yn.scalar(branches)]
        literal = [b for b in names if b and _BRANCH_NAME.fullmatch(b)]
        named = []
        for event in ("push", "pull_request", "pull_request_target"):
            for item in yn.strings(yn.get_value(yn.get_value(on, event), "branches")):
                if _BRANCH_PATTERN.fullmatch(item) and item not in ("*", "**") and item not in named:
                    named.append(item)
        out.append((name, literal[0] if len(literal) == 1 and len(names) == 1 else None, tuple(named)))
    return tuple(out)
