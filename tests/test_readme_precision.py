"""README's precision table is the output of scripts/review_rates.py over the current review
(seed 22) and the corpus, and every default-on rule meets the strict policy."""

import subprocess
import sys

import pytest

from helpers import REPO, SHARED

CORPUS = SHARED / "corpus" / "workflows"


def _table():
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "review_rates.py"), "--markdown"],
                          capture_output=True, text=True, check=True)
    return proc.stdout


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not available")
def test_readme_precision_table_is_current():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- precision:start -->\n", 1)[1].split("<!-- precision:end -->", 1)[0]
    assert block == _table(), "README's precision table is out of date: run `python3 scripts/review_rates.py --readme`"


def test_every_default_rule_has_a_current_review():
    from wflint.rules import all_rules

    sys.path.insert(0, str(REPO / "scripts"))
    import review_rates

    reviewed = {slug for slug, _ in review_rates.reviews(REPO / "reviews")}
    missing = sorted(r.slug for r in all_rules() if r.default and not r.system and r.slug not in reviewed)
    assert not missing, f"default-on rules without a seed-{review_rates.CURRENT} review: {missing}"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not available")
def test_default_rules_meet_the_precision_policy():
    """Every default-on rule: at most 10% of the reviewed findings it still reports are false,
    cheap counted as false (README: Precision under strict review)."""
    for row in _table().splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        slug, default, shown, false, cheap = cells[0].strip("`"), cells[1], int(cells[4]), int(cells[6]), int(cells[7])
        if default != "on" or not shown:
            continue
        assert false + cheap <= 0.10 * shown, (slug, false, cheap, shown)
