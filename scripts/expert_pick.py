#!/usr/bin/env python3
"""Pick the corpus workflows worth an expert's reading: the most jobs per run, the most expensive runners.

    python3 scripts/expert_pick.py [--count 50] [--corpus DIR]

Each workflow is estimated with ``wflint.cost.estimate`` (matrices expanded, runners
classified and priced at list price). Half of the pick is taken by jobs per run and half
by dollars per minute of one run (every job one minute at its runner's list price, so a
macOS leg weighs about ten Linux legs); a file picked by both lets the next one in.
Ties break on the path, so the pick is the same every time.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from wflint.cost import pricing  # noqa: E402
from wflint.cost.estimate import estimate_file  # noqa: E402

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "workflows"


def estimates(corpus: Path):
    prices = pricing.load()
    for path in sorted(p for p in corpus.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()):
        est, _ = estimate_file(str(path), os.path.relpath(path, corpus), prices)
        if est.error and not est.jobs:
            continue
        yield est


def pick(corpus: Path, count: int):
    rows = [(e.path, e.jobs_per_run_floor, e.per_run()["floor_usd"], e) for e in estimates(corpus)]
    by_jobs = sorted(rows, key=lambda r: (-r[1], r[0]))
    by_usd = sorted(rows, key=lambda r: (-r[2], r[0]))
    chosen, seen = [], set()
    for a, b in zip(by_jobs, by_usd):
        for row in (a, b):
            if row[0] not in seen and len(chosen) < count:
                seen.add(row[0])
                chosen.append(row)
        if len(chosen) >= count:
            break
    return chosen


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    print("path\tjobs_per_run\tusd_per_job_minute\trunners")
    for path, jobs, usd, est in pick(args.corpus, args.count):
        runners = {}
        for job in est.jobs:
            for sku, n in job.runners.items():
                runners[sku] = runners.get(sku, 0) + n
        shown = ",".join(f"{k}x{v}" for k, v in sorted(runners.items()))
        print(f"{path}\t{jobs}\t{usd:.3f}\t{shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
