"""README's precision table is the output of scripts/review_rates.py over the reviews and the corpus."""

import subprocess
import sys

import pytest

from helpers import REPO, SHARED


@pytest.mark.skipif(not (SHARED / "corpus" / "workflows").is_dir(), reason="../shared/corpus is not available")
def test_readme_precision_table_is_current():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "review_rates.py"), "--markdown"],
                          capture_output=True, text=True, check=True)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- precision:start -->\n", 1)[1].split("<!-- precision:end -->", 1)[0]
    assert block == proc.stdout, "README's precision table is out of date: run `python3 scripts/review_rates.py --markdown`"


@pytest.mark.skipif(not (SHARED / "corpus" / "workflows").is_dir(), reason="../shared/corpus is not available")
def test_default_rules_meet_the_precision_policy():
    """Every default-on rule with a review: at most 10% false, at most 40% false or cheap, among
    the reviewed findings it still reports (README: Precision under strict review)."""
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "review_rates.py"), "--markdown"],
                          capture_output=True, text=True, check=True)
    for row in proc.stdout.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        slug, default, shown, false, cheap = cells[0].strip("`"), cells[1], int(cells[3]), int(cells[5]), int(cells[6])
        if default != "on" or not shown:
            continue
        assert false <= 0.10 * shown, (slug, false, shown)
        assert false + cheap <= 0.40 * shown, (slug, false, cheap, shown)
