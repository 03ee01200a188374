"""Output formats. Each module turns a ``RunReport`` into text and does nothing else."""

from __future__ import annotations

import os
from typing import Optional

FORMATS = ("text", "json", "sarif", "github")


def render(fmt: str, report, **kwargs) -> str:
    if fmt == "json":
        from . import json as module
    elif fmt == "sarif":
        from . import sarif as module  # type: ignore[no-redef]
    elif fmt == "github":
        from . import github as module  # type: ignore[no-redef]
    else:
        from . import text as module  # type: ignore[no-redef]
    return module.render(report, **kwargs)


def repo_path(file, repo_root: Optional[str]) -> Optional[str]:
    """A file's path relative to the repository root with ``/`` separators.

    None for stdin, without a root, or for a file outside the root.
    """
    if file.path is None or not repo_root:
        return None
    try:
        rel = os.path.relpath(file.path, repo_root)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return None
    return rel.replace(os.sep, "/")
