"""README.md's example job summary is what the action writes for tests/data/action."""

import shutil
import subprocess
import sys

import pytest

from helpers import REPO


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (the example commits the fixture)")
def test_readme_action_summary_is_current():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_readme_action.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, "README.md's action summary is out of date: run `python3 scripts/gen_readme_action.py`\n" + proc.stderr
