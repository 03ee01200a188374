"""Small helpers shared by the tests: lint or fix a workflow given as text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

from wflint.engine import lint_source, settings_for
from wflint.finding import Finding
from wflint.fixer import fix_source
from wflint.source import Source

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "workflows"


def run_code(code: str, cwd, *args: str) -> "subprocess.CompletedProcess[str]":
    """``python -c code args`` in ``cwd``: this checkout's ``src``, one process, a UTF-8 locale,
    and nothing else of the caller's environment (no site hooks that import modules)."""
    env = {"PYTHONPATH": str(REPO / "src"), "PATH": "/usr/bin:/bin", "WFLINT_JOBS": "1", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, env=env)


def lint(text: str, select: Optional[Sequence[str]] = None, options: Optional[Dict] = None, path: str = "ci.yml") -> List[Finding]:
    return lint_source(Source(path=path, text=text), settings_for(select, options)).findings


def slugs(text: str, select: Optional[Sequence[str]] = None, **kw) -> List[str]:
    return [f.slug for f in lint(text, select, **kw)]


def fix(text: str, select: Optional[Sequence[str]] = None, unsafe: bool = True, options: Optional[Dict] = None, path: str = "ci.yml") -> str:
    outcome = fix_source(Source(path=path, text=text), settings_for(select, options), unsafe=unsafe)
    assert outcome.error is None, outcome.error
    assert outcome.withheld == {}, outcome.withheld  # the guard found nothing to withhold
    return outcome.text


def fix_bytes(data: bytes, select: Optional[Sequence[str]] = None, unsafe: bool = True) -> bytes:
    source = Source.from_bytes("ci.yml", data)
    outcome = fix_source(source, settings_for(select), unsafe=unsafe)
    assert outcome.error is None, outcome.error
    assert outcome.withheld == {}, outcome.withheld  # the guard found nothing to withhold
    return source.encode(outcome.text)
