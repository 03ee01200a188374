#!/usr/bin/env python3
"""Choose ``min-savings`` from the corpus: per rule, how many findings each threshold hides and
what share of the estimated waste the findings it keeps still cover.

    python3 scripts/savings_threshold.py                     # thresholds 10 30 60 120 min/mo
    python3 scripts/savings_threshold.py --thresholds 5 30 --corpus DIR

Every rule whose findings carry a stake runs (opt-in rules too), with the static estimate
(the corpus has no run history) and private-repository prices.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from corpus import enter, files as corpus_files  # noqa: E402  (scripts/corpus.py, beside this script)
from wflint.cost.findings import figure  # noqa: E402
from wflint.engine import Settings, lint_source, read_source  # noqa: E402
from wflint.rules import all_rules  # noqa: E402
from wflint.source import DecodeError  # noqa: E402

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "workflows"


def figures(corpus: Path):
    """(rule slug, minutes, monthly?) for every priced finding of the corpus."""
    rules = [r for r in all_rules() if not r.system]
    settings = Settings(rules=rules)
    settings.extra["cost"] = {"min-savings": 0}
    out = []
    for path in corpus_files(corpus):
        try:
            source = read_source(str(path), str(path.relative_to(corpus)))
        except (OSError, DecodeError):
            continue
        for finding in lint_source(source, settings).findings:
            minutes = figure(finding)
            if minutes is not None:
                out.append((finding.slug, minutes, "minutes_per_month" in finding.properties))
    return out


def table(found, thresholds):
    by_rule = defaultdict(list)
    for slug, minutes, monthly in found:
        by_rule[slug].append((minutes, monthly))
    head = ["rule", "findings"] + [f"hidden <{t:g}" for t in thresholds] + [f"waste kept <{t:g}" for t in thresholds]
    rows = []
    totals = {t: [0, 0.0] for t in thresholds}
    all_waste = 0.0
    for slug in sorted(by_rule):
        items = by_rule[slug]
        waste = sum(m for m, monthly in items if monthly)
        all_waste += waste
        row = [slug, str(len(items))]
        shares = []
        for t in thresholds:
            hidden = [m for m, _ in items if m < t]
            kept = sum(m for m, monthly in items if monthly and m >= t)
            totals[t][0] += len(hidden)
            totals[t][1] += kept
            row.append(str(len(hidden)))
            shares.append(f"{100 * kept / waste:.1f}%" if waste else "-")
        rows.append(row + shares)
    rows.append(["all", str(len(found))] + [str(totals[t][0]) for t in thresholds]
                + [f"{100 * totals[t][1] / all_waste:.1f}%" if all_waste else "-" for t in thresholds])
    widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(head, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[10, 30, 60, 120])
    args = parser.parse_args(argv)
    args.corpus = enter(args.corpus)
    if args.corpus is None:
        return 2
    found = figures(args.corpus)
    print(table(found, args.thresholds))
    monthly = sum(m for _, m, is_monthly in found if is_monthly)
    print(f"\n{len(found)} priced findings; estimated waste {monthly:,.0f} min/mo in all (static estimate, private prices).")
    return 0


def write_readme(argv) -> int:
    """``--readme [--check]``: README.md's block is this script's output (<!-- threshold:start -->)."""
    import contextlib
    import io

    import readme_blocks

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(['--thresholds', '150', '300', '1000', '2000'])
    if code:
        return code
    return readme_blocks.update('<!-- threshold:start -->', '<!-- threshold:end -->', out.getvalue(), argv)


if __name__ == "__main__":
    sys.exit(write_readme(sys.argv[1:]) if "--readme" in sys.argv[1:] else main())
