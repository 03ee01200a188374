"""The other workflow files of a workflow's folder, for rules whose answer depends on them.

A workflow's artifacts may be read by another workflow (``workflow_run``); a rule that
only sees one file cannot tell.  When the file exists on disk (its path as given, or
under the repository root), its siblings in the same folder are read; what a rule derives
from them is memoised by the rule, once per folder and process.
Files that cannot be read or parsed are left out: they never stop the run.
"""

from __future__ import annotations

import bisect
import os
import re
from dataclasses import field
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from . import yamlnode as yn
from .reads import digest, note
from .records import record
from .source import DecodeError, Source, read_bytes

SUFFIXES = (".yml", ".yaml")
_NAME = re.compile(r"^name:[ \t]*([^#\n]+?)[ \t]*(?:#.*)?$", re.MULTILINE)


@record(frozen=True)
class Sibling:
    """One workflow file of the folder: its file name, ``name:``, text and ``workflow_run`` sources
    (the last two filled in by ``describe``)."""

    file: str
    name: Optional[str]
    text: str
    workflow_run: Tuple[str, ...] = field(default=())

    def names(self) -> Tuple[str, ...]:
        """What another workflow may call this one by: its ``name:``, else its path (GitHub's display name)."""
        return (self.name,) if self.name else (self.file, f".github/workflows/{self.file}")


def folder_of(path: str, repo_root: Optional[str]) -> Optional[str]:
    """The folder holding the workflow file ``path`` (display path), or None when it is not on disk."""
    if not path or path == "-":
        return None
    candidates = [path] if os.path.isabs(path) else ([os.path.join(repo_root, path)] if repo_root else []) + [path]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return os.path.dirname(os.path.abspath(candidate))
    return None


def siblings(path: str, repo_root: Optional[str]) -> List[Sibling]:
    """Every workflow file in the folder of ``path``, itself included (empty when not on disk);
    ``name`` and ``workflow_run`` are read by ``describe``."""
    key = folder_key(path, repo_root)
    return list(read(key)) if key else []


def folder_key(path: str, repo_root: Optional[str]) -> Optional[Tuple[str, str]]:
    """(the folder of ``path``, a digest of its listing), for memos of what is derived from
    the siblings (a rule's summary of the folder); None when the file is not on disk."""
    folder = folder_of(path, repo_root)
    if not folder:
        return None
    note(folder)
    return folder, digest(folder)  # memos follow the folder's changes between runs


def read(key: Tuple[str, str]) -> Tuple[Sibling, ...]:
    """The siblings of a ``folder_key``, kept for the last two folders asked about.  A folder
    may hold thousands of files: a rule that looks at each once reads them with ``each`` (one
    text at a time, nothing kept), or keeps only those it needs with ``read_containing``."""
    return _read_folder(*key)


@lru_cache(maxsize=2)
def _read_folder(folder: str, listing: str) -> Tuple[Sibling, ...]:
    return tuple(each((folder, listing)))


def read_containing(key: Tuple[str, str], needle: str) -> Tuple[Sibling, ...]:
    """The siblings whose text holds ``needle`` (case-sensitive: a word every match a rule
    looks for contains), read once per folder and needle: a few files, little to keep."""
    return _containing(key[0], key[1], needle)


@lru_cache(maxsize=32)
def _containing(folder: str, listing: str, needle: str) -> Tuple[Sibling, ...]:
    return tuple(sibling for sibling in each((folder, listing)) if needle in sibling.text)


_NAME_CHARS = re.compile(r"[A-Za-z0-9_.-]+")


def holding(key: Tuple, word: str) -> Optional[Set[str]]:
    """The files of the folder whose text contains ``word``, a workflow file name (letters,
    digits, ``_.-``, ending ``.yml``/``.yaml``); None for another word (read them all).

    Such a word, wherever it occurs, lies inside a run of those characters holding ``.yml`` or
    ``.yaml``: the folder's runs are indexed once, and a name is looked up in them."""
    if not _NAME_CHARS.fullmatch(word) or not word.endswith(SUFFIXES):
        return None
    joined, starts, files = _token_index(*key)
    out: Set[str] = set()
    at = joined.find(word)
    while at != -1:
        out |= files[bisect.bisect_right(starts, at) - 1]
        at = joined.find(word, at + 1)
    return out


@lru_cache(maxsize=4)
def _token_index(folder: str, *listing) -> Tuple[str, List[int], List[FrozenSet[str]]]:
    tokens: Dict[str, Set[str]] = {}
    for sibling in each((folder, "")):
        for token in set(_NAME_CHARS.findall(sibling.text)):
            if ".yml" in token or ".yaml" in token:
                tokens.setdefault(token, set()).add(sibling.file)
    names = list(tokens)
    starts, at = [], 0
    for token in names:
        starts.append(at)
        at += len(token) + 1
    return "\n".join(names), starts, [frozenset(tokens[token]) for token in names]


def listing(folder: str) -> Tuple[str, ...]:
    """The sorted entry names of ``folder`` (listed once per run while its digest holds);
    raises OSError when it cannot be listed."""
    return _listing(os.path.abspath(folder), digest(folder))


@lru_cache(maxsize=8)
def _listing(folder: str, listing: str) -> Tuple[str, ...]:
    return tuple(sorted(os.listdir(folder)))


def each(key: Tuple[str, str]) -> Iterator[Sibling]:
    """``read``, one sibling at a time: a rule that looks at each once holds one text at a time."""
    try:
        names = listing(key[0])
    except OSError:
        return
    for file in names:
        sibling = _sibling(key[0], file)
        if sibling is not None:
            yield sibling


def one(key: Tuple[str, str], file: str) -> Optional[Sibling]:
    """The sibling named ``file`` as ``each`` would give it (listed, a workflow name, readable
    text), without reading the others; None when there is none."""
    try:
        names = listing(key[0])
    except OSError:
        return None
    return _sibling(key[0], file) if file in names else None


def _sibling(folder: str, file: str) -> Optional[Sibling]:
    """The listed entry ``file`` of ``folder`` as a sibling: a workflow name and readable text."""
    if not file.endswith(SUFFIXES):
        return None
    try:
        text = Source.from_bytes(file, read_bytes(os.path.join(folder, file))).text
    except (OSError, DecodeError, ValueError):  # a FIFO or a folder named .yml is not read
        return None
    return Sibling(file, None, text)


def describe(sibling: Sibling) -> Sibling:
    """The sibling with its ``name:`` and ``workflow_run`` sources, parsed on demand
    (most rules need only the text; a folder can hold thousands of files)."""
    return _describe(sibling.file, sibling.text)


@lru_cache(maxsize=1024)
def _describe(file: str, text: str) -> Sibling:
    if "workflow_run" not in text:
        # Only `workflow_run` readers need the parse (their sources); the name is read from the
        # top-level `name:` line, as GitHub shows it.
        match = _NAME.search(text)
        return Sibling(file, match.group(1).strip().strip("'\"") if match else None, text)
    try:
        root = yn.compose(text)
    except yn.YAMLLoadError:
        root = None
    if not yn.is_map(root):
        return Sibling(file, None, text)
    on = yn.get_value(root, "on")
    sources = yn.get_value(yn.get_value(on, "workflow_run"), "workflows") if yn.is_map(on) else None
    listed = [yn.scalar(n) for n in yn.items(sources)] if yn.is_seq(sources) else [yn.scalar(sources)]
    return Sibling(file, yn.scalar(yn.get_value(root, "name")), text, tuple(s for s in listed if s))
