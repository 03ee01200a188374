"""Regenerate README.md's usage example from a real run over tests/data/demo.

    python3 scripts/gen_readme_usage.py          # rewrite the block in README.md
    python3 scripts/gen_readme_usage.py --check  # exit 1 if README.md is out of date
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

import readme_blocks  # scripts/readme_blocks.py, beside this script

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "tests" / "data" / "demo"
START, END = "<!-- usage:start -->", "<!-- usage:end -->"
COMMANDS = [[], ["--diff", "--unsafe-fixes"], ["--fix", "--unsafe-fixes"], []]


def transcript() -> str:
    sys.path.insert(0, str(REPO / "src"))
    from wflint.cli import main

    out = []
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "demo"
        shutil.copytree(DEMO, root)
        # a clone records the remote's default branch, which duplicate-triggers' fix needs
        (root / ".git" / "refs" / "remotes" / "origin").mkdir(parents=True)
        (root / ".git" / "refs" / "remotes" / "origin" / "HEAD").write_text("ref: refs/remotes/origin/main\n")
        os.chdir(root)
        try:
            for args in COMMANDS:
                buffer = io.StringIO()
                with contextlib.redirect_stdout(buffer):
                    code = main(["--no-cache", *args])
                out.append("$ " + " ".join(["wflint", *args]))
                out.append(buffer.getvalue().rstrip("\n"))
                out.append(f"$ echo $?\n{code}")
        finally:
            os.chdir(cwd)
    return "```console\n" + "\n".join(out) + "\n```"


def main() -> int:
    return readme_blocks.update(START, END, transcript(), sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
