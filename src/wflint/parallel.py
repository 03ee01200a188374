"""Lint many files in worker processes when there are enough of them to pay off.

A worker gets a file's display path and bytes (or reads the file itself, when the run has
no cache to check the bytes against) and sends back its ``FileReport``:
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

Item = Tuple["Target", Optional[bytes]]  # the bytes, or None: the worker reads the file

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
    from .runner import check_file

    workers = workers_for(len(items), opts.jobs)
    if workers == 1 or any(target.path == STDIN for target, _ in items):
        return [check_file(target, opts, data) for target, data in items]
    return _in_pool(items, opts, workers)


def _in_pool(items: Sequence[Item], opts: "RunOptions", workers: int) -> List["FileReport"]:
    """Lint in ``workers`` processes: this one and ``workers - 1`` forked ones.

    The files go in chunks; the forked workers take them from the end, this process from
    the start, until it reaches one a worker already has.  This process would otherwise
    wait idle (one process fewer holds its memory), and its own results are not sent
    through a pipe.
    """
    import gc
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from .runner import check_file

    results: List[Optional["FileReport"]] = [None] * len(items)
    chunks = [range(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
    context = _context()
    forked = context.get_start_method() == "fork"
    if forked:
        _preload(items)
    # What is loaded by now (modules, rules, settings) outlives the run: frozen, a worker's
    # garbage collections never scan it, so they never copy its pages either.
    gc.freeze()
    # Forked workers find the files in the memory they share with this process (copied only
    # if written): a task names its files by position, and no file's bytes go through a pipe.
    _shared[:] = [items] if forked else []
    try:
        with ProcessPoolExecutor(workers - 1, mp_context=context, initializer=_init, initargs=(opts,)) as pool:
            if forked:
                futures = [pool.submit(_lint_shared, chunk.start, chunk.stop) for chunk in reversed(chunks)]
            else:
                futures = [pool.submit(_lint_chunk, [items[i] for i in chunk]) for chunk in reversed(chunks)]
            futures.reverse()  # futures[k] lints chunks[k]; the workers started with the last
            for future, chunk in zip(futures, chunks):
                if not future.cancel():
                    break  # a worker has this chunk, and every later one
                for i in chunk:
                    report, read_back = _light(check_file(items[i][0], opts, items[i][1]), opts, items[i][1] is not None)
                    if read_back:
                        report.raw = items[i][1]  # as for a worker's report: less to hold
                    results[i] = report
            paths: dict = {}  # one string per path the workers' lints read (a folder's files, for each file)
            for future, chunk in zip(futures, chunks):
                if future.cancelled():
                    continue
                for i, (report, read_back) in zip(chunk, future.result()):
                    if read_back:
                        report.raw = items[i][1]  # decoded here only if an output asks for the text
                    report.reads = tuple(paths.setdefault(path, path) for path in report.reads)
                    results[i] = report
    except (BrokenProcessPool, OSError):
        pass  # no processes here (a sandbox) or a worker died: finish in this process
    finally:
        _shared[:] = []
        gc.unfreeze()
    return [report if report is not None else check_file(target, opts, data)
            for report, (target, data) in zip(results, items)]


def _preload(items: Sequence[Item]) -> None:
    """Import before forking what a lint of this many files imports anyway, so the workers
    share it instead of each importing its own: the cost model (findings are priced in most
    workflows) and the cron arithmetic.  croniter is not among them: only a schedule spelled
    with what wflint's own expansion leaves to it (``L``, ``#``, ranges of names) imports it."""
    from . import cron  # noqa: F401
    from .cost import findings, model  # noqa: F401


def _context():
    """``fork`` where it is the safe default (Linux): workers start without re-importing wflint."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _init(opts: "RunOptions") -> None:
    global _options
    _options = opts


def _lint_chunk(chunk: List[Item]) -> List[Tuple["FileReport", bool]]:
    return [_lint(item) for item in chunk]


_shared: List[Sequence[Item]] = []  # [the items] while a forked pool lints them


def _lint_shared(start: int, stop: int) -> List[Tuple["FileReport", bool]]:
    """``_lint_chunk`` of the items at ``start:stop`` of the list the worker was forked with."""
    return _lint_chunk(list(_shared[0][start:stop]))


def _lint(item: Item) -> Tuple["FileReport", bool]:
    """The file's report, and whether its text was left out: unless fixes were written, the
    report's text is the file's bytes decoded, which the parent holds (no need to send it back)."""
    from .runner import check_file

    assert _options is not None
    target, data = item
    return _light(check_file(target, _options, data), _options, data is not None)


def _light(report: "FileReport", opts: "RunOptions", held: bool = True) -> Tuple["FileReport", bool]:
    """The report without its decoded text when that is the file's bytes decoded (unless
    fixes were written), and whether it was left out: ``report.raw`` decodes it on demand.

    ``held``: the parent holds the file's bytes.  When it does not (the file was read where
    it was linted), the text stays with a report that has findings (SARIF quotes their lines)
    and is dropped from one without: no output asks for it."""
    if report._source is not None and not (opts.fix and not opts.diff):
        if held:
            report.source = None
            return report, True
        if not report.findings:
            report.source = None
    return report, False
