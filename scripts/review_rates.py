#!/usr/bin/env python3
"""Strict precision per rule, as a user sees it: the reviewed findings still reported today.

    python3 scripts/review_rates.py                   # every reviews/<slug>.tsv, default min-savings
    python3 scripts/review_rates.py --min-savings 120 # what another threshold would leave
    python3 scripts/review_rates.py --rule missing-concurrency --verbose

Each ``reviews/<slug>.seed<N>.tsv`` holds a seeded sample of a rule's corpus findings judged by
the strict definition (``true``, ``false``: acting on it saves nothing or breaks the workflow,
``cheap``: real but too small to matter).  The current review is seed ``CURRENT`` (30 findings,
or all when fewer, drawn from what ``wflint`` reports at the default threshold with
``scripts/rule_counts.py --rule SLUG --min-savings 150 --samples 30 --seed 22``, before estimates had their own bar); ``--seed 13``
recounts the first review (``reviews/<slug>.tsv``), ``--seed 21`` the second.  A rule's findings are priced by the cost model and
hidden under ``min-savings``, so this script lints each reviewed file again with the rule
alone and the threshold in force, and counts only the reviewed findings that are still
reported.  *Strict false rate* = (false + cheap still reported) / reviewed still reported: a
cheap finding the threshold does not hide is a false one for the user.  Findings that are no
longer reported (the rule changed after the review, or the threshold hides them) are counted
apart.  ``--repo-root`` lets the rules read each file's sibling workflows (as in the reviews
of artifact-retention).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import corpus  # noqa: E402  (scripts/corpus.py, beside this script)
from wflint.engine import Settings, lint_source, read_source  # noqa: E402
from wflint.rules import find  # noqa: E402

REVIEWS = HERE.parent / "reviews"
CORPUS = HERE.parent.parent / "shared" / "corpus" / "workflows"
SKIP = {"expert-pass"}
CURRENT = 22  # the seed of the review README's table and the policy test count
FIRST = 13  # the first review's files have no seed in their name


def reviews(folder: Path, only=None, seed: int = CURRENT):
    """(slug, path of the TSV) for each rule's review with this seed; with the default, each
    rule's newest review from seed ``CURRENT`` on (a rule changed after its seed-22 review was
    reviewed again on a fresh sample, seed 23)."""
    if seed != CURRENT:
        suffix = "" if seed == FIRST else f".seed{seed}"
        for tsv in sorted(folder.glob(f"*{suffix}.tsv")):
            slug = tsv.name[: -len(f"{suffix}.tsv")]
            if "." in slug or slug in SKIP or (only and slug not in only):
                continue
            yield slug, tsv
        return
    newest = {}
    for tsv in folder.glob("*.seed*.tsv"):
        slug, _, number = tsv.name[: -len(".tsv")].rpartition(".seed")
        if number.isdigit() and int(number) >= CURRENT and "." not in slug and not (only and slug not in only):
            if int(number) > newest.get(slug, (0, None))[0]:
                newest[slug] = (int(number), tsv)
    for slug in sorted(newest):
        yield slug, newest[slug][1]


def rows(tsv: Path):
    with tsv.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--reviews", type=Path, default=REVIEWS)
    parser.add_argument("--rule", action="append")
    parser.add_argument("--min-savings", type=corpus.min_savings, default="default",
                        help="default: the shipped thresholds (150 min/mo with history, 1,000 for estimates)")
    parser.add_argument("--seed", type=int, default=CURRENT, help=f"which review (default {CURRENT}; 13 is reviews/<slug>.tsv)")
    parser.add_argument("--repo-root", default=None)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table (README's precision table)")
    args = parser.parse_args(argv)
    args.corpus = corpus.enter(args.corpus)
    if args.corpus is None:
        return 2
    if args.markdown:
        print("| rule | default | seed | reviewed | still reported | true | false | cheap | strict false rate | no longer reported |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|")
    else:
        print(f"min-savings {args.min_savings} min/mo; strict false = (false + cheap) among the reviewed findings still reported")
        print(f"{'rule':<42} {'reviewed':>8} {'shown':>6} {'true':>5} {'false':>6} {'cheap':>6} {'strict':>7}  hidden/gone")
    for slug, tsv in reviews(args.reviews, set(args.rule or ()), args.seed):
        rule = find(slug)
        if rule is None:
            print(f"{slug:<42} (no such rule)")
            continue
        settings = Settings(rules=[rule], repo_root=args.repo_root, extra={"cost": {"min-savings": args.min_savings}})
        cache = {}
        shown, gone = Counter(), Counter()
        for row in rows(tsv):
            path = args.corpus / row["path"]
            if path not in cache:
                try:
                    result = lint_source(read_source(str(path), row["path"]), settings)
                    cache[path] = {f.line for f in result.findings}, {f.line for f in result.hidden}
                except OSError:
                    cache[path] = set(), set()
            lines, hidden = cache[path]
            verdict = row["verdict"].strip()
            line = int(row["line"])
            if line in lines:
                shown[verdict] += 1
            else:
                gone["hidden" if line in hidden else "gone"] += 1
                gone[f"{verdict}-{'hidden' if line in hidden else 'gone'}"] += 1
            if args.verbose:
                state = "shown" if line in lines else "hidden" if line in hidden else "gone"
                print(f"    {state:<6} {verdict:<5} {row['path']}:{line}")
        total = sum(shown.values())
        bad = shown["false"] + shown["cheap"]
        rate = f"{100 * bad / total:.0f}%" if total else "-"
        detail = ", ".join(f"{k} {v}" for k, v in sorted(gone.items()) if "-" in k)
        if args.markdown:
            default = "on" if rule.default else "with history" if rule.with_history else "opt-in"
            seed = tsv.name.rsplit(".seed", 1)[1][: -len(".tsv")] if ".seed" in tsv.name else str(FIRST)
            print(f"| `{slug}` | {default} | {seed} | {total + gone['hidden'] + gone['gone']} | {total} | {shown['true']} | {shown['false']} | "
                  f"{shown['cheap']} | {rate} | {detail or '-'} |")
            continue
        print(f"{slug:<42} {total + gone['hidden'] + gone['gone']:>8} {total:>6} {shown['true']:>5} {shown['false']:>6} "
              f"{shown['cheap']:>6} {rate:>7}  {detail}")
    return 0


def write_readme(argv) -> int:
    """``--readme [--check]``: README.md's block is this script's output (<!-- precision:start -->)."""
    import contextlib
    import io

    import readme_blocks

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(['--markdown'])
    if code:
        return code
    return readme_blocks.update('<!-- precision:start -->', '<!-- precision:end -->', out.getvalue(), argv)


if __name__ == "__main__":
    sys.exit(write_readme(sys.argv[1:]) if "--readme" in sys.argv[1:] else main())
