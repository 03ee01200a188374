"""Regenerate README.md's example job summary of the wflint action.

The fixture tests/data/action holds a repository's workflows before (``base``) and after
(``pr``) a pull request.  This script commits both in a temporary git repository (fixed
author and dates, so the commit ids are stable), writes the event file a runner would for
the pull request, runs the action's script (``wflint.action``) with the runner's
``GITHUB_*`` variables, and puts the job summary it wrote into README.md.

    python3 scripts/gen_readme_action.py          # rewrite the block in README.md
    python3 scripts/gen_readme_action.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import readme_blocks  # scripts/readme_blocks.py, beside this script
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "data" / "action"
START, END = "<!-- action-summary:start -->", "<!-- action-summary:end -->"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "wflint", "GIT_AUTHOR_EMAIL": "wflint@example.com", "GIT_AUTHOR_DATE": "2026-06-01T12:00:00Z",
    "GIT_COMMITTER_NAME": "wflint", "GIT_COMMITTER_EMAIL": "wflint@example.com", "GIT_COMMITTER_DATE": "2026-06-01T12:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
}


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout.strip()


def summary() -> str:
    """The job summary the action writes for the fixture's pull request."""
    sys.path.insert(0, str(REPO / "src"))
    from wflint import action

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        root = tmp_path / "repo"
        shutil.copytree(FIXTURE / "base", root)
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "commit", "-qm", "base")
        base = _git(root, "rev-parse", "HEAD")
        shutil.rmtree(root / ".github")
        shutil.copytree(FIXTURE / "pr" / ".github", root / ".github")
        _git(root, "add", "-A")
        _git(root, "commit", "-qm", "pull request")
        event = tmp_path / "event.json"
        event.write_text(json.dumps({"pull_request": {"number": 1, "base": {"sha": base}}}), encoding="utf-8")
        summary_file = tmp_path / "summary.md"
        env = {
            "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(root), "GITHUB_EVENT_NAME": "pull_request",
            "GITHUB_EVENT_PATH": str(event), "GITHUB_STEP_SUMMARY": str(summary_file),
            "GITHUB_OUTPUT": str(tmp_path / "output.txt"), "WFLINT_ARGS": "--no-cache", "WFLINT_FAIL_ON_FINDINGS": "false",
        }
        with mock.patch.dict(os.environ, env), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            action.main()
        return summary_file.read_text(encoding="utf-8")


def main() -> int:
    quoted = "\n".join(("> " + line).rstrip() for line in summary().rstrip("\n").splitlines())
    return readme_blocks.update(START, END, quoted, sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
