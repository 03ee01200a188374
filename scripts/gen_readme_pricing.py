"""Regenerate README.md's priced-findings example from the history fixtures in tests/data/history.

    python3 scripts/gen_readme_pricing.py          # rewrite the block in README.md
    python3 scripts/gen_readme_pricing.py --check  # exit 1 if README.md is out of date

The example repository is copied to a temporary folder, `wflint usage --save` builds its
history from the fixture gh, REST and billing files, and `wflint --sort savings` runs there
with the history and again without it.
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
DATA = REPO / "tests" / "data" / "history"
SOURCES = ["rest-runs.json", "rest-jobs.json", "gh-run-list.json", "gh-run-view-jobs.json", "billing-detailed.csv"]
START, END = "<!-- pricing:start -->", "<!-- pricing:end -->"


def _run(main, args) -> str:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(io.StringIO()):
        main(args)
    return buffer.getvalue().rstrip("\n")


def transcript() -> str:
    sys.path.insert(0, str(REPO / "src"))
    from wflint.cli import main

    out = []
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(DATA / "repo", root)
        (root / ".git").mkdir()
        os.chdir(root)
        try:
            sources = [str(DATA / name) for name in SOURCES]
            out.append("$ wflint usage rest-runs.json rest-jobs.json gh-run-list.json gh-run-view-jobs.json billing-detailed.csv --save")
            out.append(_run(main, ["usage", *sources, "--save"]))
            out.append("$ wflint --sort savings")
            out.append(_run(main, ["--no-cache", "--sort", "savings"]))
            os.unlink(root / ".github" / "wflint-history.json")
            out.append("$ rm .github/wflint-history.json && wflint --sort savings   # the static estimate")
            out.append(_run(main, ["--no-cache", "--sort", "savings"]))
        finally:
            os.chdir(cwd)
    return "```console\n" + "\n".join(out) + "\n```"


def main(argv) -> int:
    return readme_blocks.update(START, END, transcript(), argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
