#!/usr/bin/env python3
"""Count each rule's findings over the real-workflow corpus, and dump samples for a precision review.

    python3 scripts/rule_counts.py                       # every rule: findings, files, fixable
    python3 scripts/rule_counts.py --rule WFL006 --samples 25 [--context 6]
    python3 scripts/rule_counts.py --corpus DIR --repo-root DIR
    python3 scripts/rule_counts.py --rule WFL001 --min-savings default --samples 30 --seed 23   # what users see

Each rule runs alone (as with ``--select RULE``), so opt-in rules are counted too.
Samples are drawn with a fixed seed: the same command shows the same findings.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import corpus  # noqa: E402  (scripts/corpus.py, beside this script)
from wflint.engine import Settings, lint_source, read_source  # noqa: E402
from wflint.rules import all_rules, find  # noqa: E402
from wflint.source import DecodeError  # noqa: E402

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "workflows"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rule", action="append", help="only these rules (code or slug); repeatable")
    parser.add_argument("--samples", type=int, default=0, help="print N sample findings per rule with context")
    parser.add_argument("--context", type=int, default=4, help="lines of context around a sample")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--repo-root", default=None, help="repository root given to the rules (default: none)")
    parser.add_argument("--min-savings", type=corpus.min_savings, default=0.0,
                        help="hide priced findings saving fewer minutes a month; `default`: the shipped thresholds, as `wflint` does (default 0: count all)")
    args = parser.parse_args(argv)
    args.corpus = corpus.enter(args.corpus)
    if args.corpus is None:
        return 2
    rules = [find(r) for r in args.rule] if args.rule else [r for r in all_rules() if not r.system]
    if any(r is None for r in rules):
        print("unknown rule", file=sys.stderr)
        return 2
    sources = []
    for path in corpus.files(args.corpus):
        try:
            sources.append(read_source(str(path), os.path.relpath(path, args.corpus)))
        except (OSError, DecodeError):
            continue
    print(f"{len(sources)} files in {args.corpus}")
    print(f"{'rule':<40} {'findings':>8} {'files':>6} {'fixable':>7}")
    samples = {}
    for rule in rules:
        settings = Settings(rules=[rule], repo_root=args.repo_root, extra={"cost": {"min-savings": args.min_savings}})
        found = []
        for source in sources:
            result = lint_source(source, settings)
            found.extend((source, f) for f in result.findings if f.code == rule.code)
        files = len({f.path for _, f in found})
        fixable = sum(1 for _, f in found if f.fix is not None)
        label = f"{rule.code} {rule.slug}" + ("" if rule.default else " (opt-in)")
        print(f"{label:<40} {len(found):>8} {files:>6} {fixable:>7}")
        samples[rule.code] = found
    if args.samples:
        rng = random.Random(args.seed)
        for rule in rules:
            found = samples[rule.code]
            picked = sorted(rng.sample(found, min(args.samples, len(found))), key=lambda p: (p[1].path, p[1].line))
            print(f"\n######## {rule.code} {rule.slug}: {len(picked)} of {len(found)} findings")
            for n, (source, f) in enumerate(picked, 1):
                print(f"\n=== [{n}] {f.path}:{f.line}:{f.col}  {f.message}")
                low, high = max(1, f.line - args.context), f.line + args.context
                for line in range(low, high + 1):
                    if line <= len(source.line_starts):
                        mark = ">" if line == f.line else " "
                        print(f"{mark}{line:5} | {source.line_text(line)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
