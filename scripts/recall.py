#!/usr/bin/env python3
"""Recall by minutes: which share of the expert's sized waste do wflint's rules flag?

    python3 scripts/recall.py [--all-rules] [--verbose] [--review reviews/expert-pass.tsv]

Reads the expert pass (``reviews/expert-pass.tsv``: path, job, pattern, minutes, usd,
reason; ``#`` lines are notes) and lints each workflow it names from the corpus, with the
default rules (or every rule with ``--all-rules``).  An item counts as flagged when a
finding of a rule that addresses its pattern (``PATTERN_RULES`` below) is reported on
its job — the finding's line lies inside the job's mapping — or anywhere in the file
when the item's job is ``*`` (waste of the whole workflow) or the pattern is a
workflow-level one (``WORKFLOW_LEVEL``).  It prints the flagged share of the minutes
and of the dollars, overall and per pattern.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from wflint.engine import Settings, lint_source, load, read_source  # noqa: E402
from wflint.rules import all_rules  # noqa: E402

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "workflows"
DEFAULT_REVIEW = HERE.parent / "reviews" / "expert-pass.tsv"

# Issue 14's patterns -> the slugs of the rules whose action removes that waste.  A slug no
# rule has yet (written in parallel, or not written) simply never matches; keep this table
# in step with the registry when rules are added or renamed.
PATTERN_RULES = {
    0: {"missing-concurrency", "missing-dependency-cache"},  # other: superseded runs, installs
    1: {"release-build-on-pull-request"},  # full wheel/release builds nothing downloads
    2: {"build-without-compiler-cache"},  # compiled builds without a compiler/build cache
    3: {"heavy-jobs-not-gated"},  # heavy jobs not behind a cheap check
    4: {"expensive-runner", "os-independent-work-on-expensive-runner", "full-matrix-on-expensive-runners"},
    5: {"runner-idles-waiting"},  # sleep/poll loops
    6: {"emulated-job-overlaps-native"},
    7: {"upstream-tests-on-every-pr"},
    8: {"scheduled-run-without-changes", "cron-too-frequent"},
    9: {"concurrency-group-never-matches"},
    10: {"bot-job-on-full-runner"},
    11: {"full-clone-for-diff", "checkout-full-history"},
    12: {"skips-change-detection"},
    13: {"docker-build-without-cache"},
    14: {"browser-download-every-run"},
    15: {"static-cache-key"},
    16: {"shared-schedule-concurrency"},
}
# Patterns whose waste belongs to the workflow, not to one job.
WORKFLOW_LEVEL = {0, 8, 9, 16}


def read_items(path: Path):
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def job_lines(source):
    """job id -> (first line, last line) of its mapping, 1-based."""
    wf, problem = load(source)
    if problem is not None:
        return {}
    return {job.id: (job.key.start_mark.line + 1, job.node.end_mark.line + 1) for job in wf.jobs}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--review", type=Path, default=DEFAULT_REVIEW)
    parser.add_argument("--all-rules", action="store_true", help="opt-in rules too")
    parser.add_argument("--verbose", action="store_true", help="one line per item")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir() or not args.review.is_file():
        print(f"needs {args.corpus} and {args.review}", file=sys.stderr)
        return 2
    rules = [r for r in all_rules() if not r.system and (args.all_rules or r.default)]
    settings = Settings(rules=rules)
    items = read_items(args.review)
    findings, jobs = {}, {}
    for path in sorted({item["path"] for item in items}):
        source = read_source(str(args.corpus / path), path)
        findings[path] = [(f.slug, f.line) for f in lint_source(source, settings).findings]
        jobs[path] = job_lines(source)
    total = defaultdict(float)
    hit = defaultdict(float)
    for item in items:
        pattern, minutes, usd = int(item["pattern"]), float(item["minutes"]), float(item["usd"])
        wanted = PATTERN_RULES.get(pattern, set())
        span = None if item["job"] == "*" or pattern in WORKFLOW_LEVEL else jobs[item["path"]].get(item["job"])
        if item["job"] != "*" and pattern not in WORKFLOW_LEVEL and span is None:
            print(f"warning: {item['path']}: no job `{item['job']}`", file=sys.stderr)
        flagged = any(
            slug in wanted and (span is None or span[0] <= line <= span[1]) for slug, line in findings[item["path"]]
        )
        for key in ("all", pattern):
            total[key, "min"] += minutes
            total[key, "usd"] += usd
            if flagged:
                hit[key, "min"] += minutes
                hit[key, "usd"] += usd
        if args.verbose:
            print(f"{'FLAGGED' if flagged else 'missed '} {pattern:>2} {minutes:>8.0f} min {usd:>7.1f} USD  {item['path']} {item['job']}")

    def share(key, unit):
        return 100.0 * hit[key, unit] / total[key, unit] if total[key, unit] else 0.0

    label = "all rules" if args.all_rules else "default rules"
    print(f"{len(items)} items, {len(findings)} workflows, {label}")
    print(f"flagged: {hit['all', 'min']:.0f} of {total['all', 'min']:.0f} minutes ({share('all', 'min'):.1f}%), "
          f"{hit['all', 'usd']:.0f} of {total['all', 'usd']:.0f} USD ({share('all', 'usd'):.1f}%)")
    for pattern in sorted({int(i["pattern"]) for i in items}):
        print(f"  pattern {pattern:>2}: {share(pattern, 'min'):5.1f}% of {total[pattern, 'min']:>8.0f} min, "
              f"{share(pattern, 'usd'):5.1f}% of {total[pattern, 'usd']:>6.0f} USD")
    return 0


if __name__ == "__main__":
    sys.exit(main())
