"""Lint many files in worker processes when there are enough of them to pay off.

A worker gets a file's display path and bytes and sends back its ``FileReport``:
findings and small data only (frozen dataclasses); YAML nodes never cross
processes.  Results come back in the order the files were given, so output
does not depend on scheduling.

Starting a pool and shipping each file's bytes and findings costs a fixed
50 ms or so, the work of about 60 files here (``benchmarks/bench.py
--break-even`` measures it), and two workers halve the rest at best; so a run
needs ``MIN_FILES_PER_WORKER`` files per worker, and smaller runs (most
repositories) stay in this process.
``WFLINT_JOBS`` (or ``RunOptions.jobs``) sets the number of processes; 1 turns
parallelism off.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Iterable, List, Optional, Sequence, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from .discovery import Target
    from .runner import FileReport, RunOptions

MIN_FILES_PER_WORKER = 100
CHUNK = 16  # files per task: fewer round trips, still balanced

Item = Tuple["Target", bytes]

_options: Optional["RunOptions"] = None  # set in each worker by _init


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def workers_for(files: int, jobs: Optional[int] = None) -> int:
    """How many processes to use for ``files`` files (1: stay in this process)."""
    if jobs is None:
        env = os.environ.get("WFLINT_JOBS", "").strip()
        jobs = int(env) if env.isdigit() else None
    if jobs is not None:
        return max(1, min(jobs, files))
    return max(1, min(available_cpus(), files // MIN_FILES_PER_WORKER))


def lint_all(items: Sequence[Item], opts: "RunOptions") -> Iterable["FileReport"]:
    """``runner.lint_bytes`` for every item, in order."""
    from .discovery import STDIN
    from .runner import lint_bytes

    workers = workers_for(len(items), opts.jobs)
    if workers == 1 or any(target.path == STDIN for target, _ in items):
        return [lint_bytes(target, data, opts) for target, data in items]
    return _in_pool(items, opts, workers)


def _in_pool(items: Sequence[Item], opts: "RunOptions", workers: int) -> List["FileReport"]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .runner import lint_bytes

    import gc

    results: List["FileReport"] = []
    # What is loaded by now (modules, rules, settings) outlives the run: frozen, a worker's
    # garbage collections never scan it, so they never copy its pages either.
    gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init, initargs=(opts,)) as pool:
            for (_, data), (report, read_back) in zip(items, pool.map(_lint, items, chunksize=CHUNK)):
                if read_back:
                    report.raw = data  # decoded here only if an output asks for the text
                results.append(report)
    except (BrokenProcessPool, OSError):
        pass  # no processes here (a sandbox) or a worker died: finish in this process
    finally:
        gc.unfreeze()
    results.extend(lint_bytes(target, data, opts) for target, data in items[len(results):])
    return results


def _context():
    """``fork`` where it is the safe default (Linux): workers start without re-importing wflint."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _init(opts: "RunOptions") -> None:
    global _options
    _options = opts


def _lint(item: Item) -> Tuple["FileReport", bool]:
    """The file's report, and whether its text was left out: unless fixes were written, the
    report's text is the file's bytes decoded, which the parent holds (no need to send it back)."""
    from .runner import lint_bytes

    assert _options is not None
    target, data = item
    report = lint_bytes(target, data, _options)
    if report._source is not None and not (_options.fix and not _options.diff):
        report.source = None
        return report, True
    return report, False
