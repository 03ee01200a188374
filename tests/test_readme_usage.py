"""README.md's usage example is the real output of wflint over tests/data/demo."""

import subprocess
import sys

from helpers import REPO


def test_readme_usage_block_is_current():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_readme_usage.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, "README.md usage example is out of date: run `python3 scripts/gen_readme_usage.py`"
