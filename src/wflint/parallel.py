"""Lint many files in several processes when there are enough of them to pay off.

On Linux the process forks (``_in_forks``): the children see the files in memory they
share with it, claim chunks of them through a small shared table, and send back their
``FileReport``s (findings and small data only; YAML nodes never cross processes) through a
pipe.  Elsewhere a process pool is started (``_in_pool``) and each task sends its files.
Either way this process lints too, from the start of the list while the others work from
the end, and results come back in the order the files were given, so output does not
depend on scheduling.

Starting the other processes and shipping the findings back costs a fixed amount of time,
the work of a few dozen files (``benchmarks/bench.py --break-even`` measures it), and two
processes halve the rest at best; so a run needs ``MIN_FILES_PER_WORKER`` files per
process, and smaller runs (most repositories) stay in this process.
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
    if _forking():
        return _in_forks(items, opts, workers)
    return _in_pool(items, opts, workers)


def _in_forks(items: Sequence[Item], opts: "RunOptions", workers: int) -> List["FileReport"]:
    """Lint in this process and ``workers - 1`` forked copies of it, with no pool machinery.

    The children see the files in the memory they share with this process (copied only if
    written), and claim chunks of them through a two-number table in shared memory, under a
    POSIX record lock (held per process, released by the kernel if its holder dies): this
    process takes chunks from the start, the children from the end, until they meet.  A
    child sends the reports of each chunk through its own pipe as it finishes it, and this
    process unpickles them between its own chunks (not all at the end).  A chunk a child
    claimed but whose reports never arrived (the child died) is linted here at the end, as is
    everything when no child can be started.
    """
    import gc

    results = _Results(items, opts)
    chunks = results.chunks
    _preload()
    # What is loaded by now (modules, rules, settings) outlives the run: frozen, a child's
    # garbage collections never scan it, so they never copy its pages either.
    gc.freeze()
    children: List[Tuple[int, int]] = []  # (process id, the pipe its reports come through)
    table = None
    try:
        table = _ClaimTable(len(chunks))
        for _ in range(workers - 1):
            reader, writer = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: lint chunks from the end, send the reports, exit
                _child(items, chunks, table, writer, opts)
            os.close(writer)
            children.append((pid, reader))
    except OSError:
        pass  # no shared memory or no processes here (a sandbox): whoever started lints the rest
    inboxes = [_Inbox(reader) for _, reader in children]

    def receive(wait: bool) -> None:
        for inbox in inboxes:
            for k, reports in inbox.pump(wait):
                results.store(k, reports)

    try:
        while table is not None:
            k = table.take(from_end=False)
            if k is None:
                break
            results.own(k)
            receive(wait=False)  # what the children sent meanwhile: unpickled while they work
        receive(wait=True)
    finally:
        for pid, reader in children:
            _reap(pid, reader)
        if table is not None:
            table.close()
        gc.unfreeze()
    return results.finished()


class _Results:
    """The reports of a run over several processes, by the items' positions: this process's
    own (``own``), the others' (``store``), and what is missing linted here at the end."""

    def __init__(self, items: Sequence[Item], opts: "RunOptions"):
        self.items = items
        self.opts = opts
        self.chunks = [range(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
        self.reports: List[Optional["FileReport"]] = [None] * len(items)
        self.paths: dict = {}  # one string per path the others' lints read (a folder's files, for each file)

    def own(self, k: int) -> None:
        """Lint chunk ``k`` in this process."""
        for i in self.chunks[k]:
            report, read_back = _lint_one(self.items[i], self.opts)
            if read_back:
                report.raw = self.items[i][1]  # as for another process's report: less to hold
            self.reports[i] = report

    def store(self, k: int, reports: List[Tuple["FileReport", bool]]) -> None:
        """Keep another process's reports of chunk ``k``."""
        for i, (report, read_back) in zip(self.chunks[k], reports):
            if read_back:
                report.raw = self.items[i][1]  # decoded here only if an output asks for the text
            report.reads = tuple(self.paths.setdefault(path, path) for path in report.reads)
            self.reports[i] = report

    def finished(self) -> List["FileReport"]:
        """Every report, in the items' order: a file no process reported on is linted here."""
        from .runner import check_file

        return [report if report is not None else check_file(target, self.opts, data)
                for report, (target, data) in zip(self.reports, self.items)]


class _ClaimTable:
    """Which chunks are still free: [next from the start, one past the last from the end],
    in memory shared by forked processes, read and changed under a POSIX record lock."""

    def __init__(self, chunks: int):
        import mmap
        import struct

        self._fd = os.memfd_create("wflint-chunks", os.MFD_CLOEXEC) if hasattr(os, "memfd_create") else _temp_fd()
        os.ftruncate(self._fd, 8)
        self._memory = mmap.mmap(self._fd, 8)
        self._pair = struct.Struct("ii")
        self._pair.pack_into(self._memory, 0, 0, chunks)

    def take(self, from_end: bool) -> Optional[int]:
        """The next free chunk from the start or the end (None: none is left)."""
        import fcntl

        fcntl.lockf(self._fd, fcntl.LOCK_EX)
        try:
            start, end = self._pair.unpack_from(self._memory, 0)
            if start >= end:
                return None
            if from_end:
                end -= 1
                taken = end
            else:
                taken = start
                start += 1
            self._pair.pack_into(self._memory, 0, start, end)
            return taken
        finally:
            fcntl.lockf(self._fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self._memory.close()
        os.close(self._fd)


def _temp_fd() -> int:  # pragma: no cover - a Linux without memfd_create
    import tempfile

    handle, name = tempfile.mkstemp(prefix="wflint-chunks-")
    os.unlink(name)
    return handle


def _child(items: Sequence[Item], chunks: List[range], table: _ClaimTable, writer: int, opts: "RunOptions") -> None:
    """A forked child's whole life: never returns (``os._exit``: no parent's exit handlers, no
    flush of the output buffers it inherited)."""
    code = 1
    try:
        import pickle

        while True:
            k = table.take(from_end=True)
            if k is None:
                break
            reports = [_lint_one(items[i], opts) for i in chunks[k]]
            payload = pickle.dumps((k, reports), protocol=pickle.HIGHEST_PROTOCOL)
            data = memoryview(len(payload).to_bytes(4, "big") + payload)
            while data:
                data = data[os.write(writer, data):]
        code = 0
    except BaseException:  # noqa: BLE001 - anything: this process's reports are redone by the parent
        pass
    finally:
        os._exit(code)


class _Inbox:
    """The reports a child sends, one frame per chunk: its length (4 bytes), then a pickle of
    (chunk, reports).  A frame cut short (the child died while writing) is never read."""

    def __init__(self, reader: int):
        self._reader = reader
        self._buffer = bytearray()
        self._open = True
        os.set_blocking(reader, False)

    def pump(self, wait: bool) -> List[Tuple[int, list]]:
        """The frames complete by now; ``wait``: every frame, until the child closes the pipe."""
        import pickle

        if wait and self._open:
            os.set_blocking(self._reader, True)
        while self._open:
            try:
                part = os.read(self._reader, 1 << 16)
            except BlockingIOError:
                break
            if not part:
                self._open = False
            self._buffer += part
        frames = []
        start = 0
        view = memoryview(self._buffer)
        while len(view) - start >= 4:
            size = int.from_bytes(view[start:start + 4], "big")
            if len(view) - start - 4 < size:
                break
            frames.append(pickle.loads(view[start + 4:start + 4 + size]))
            start += 4 + size
        view.release()
        del self._buffer[:start]
        return frames


def _reap(pid: int, reader: int) -> None:
    """Close a child's pipe and wait for it (killed first if it is still running: an interrupt)."""
    import signal

    try:
        os.close(reader)
    except OSError:
        pass
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass


def _in_pool(items: Sequence[Item], opts: "RunOptions", workers: int) -> List["FileReport"]:
    """Lint in a pool of ``workers - 1`` processes and this one, where processes are not forked
    (macOS, Windows): each task sends its files (display path, and the bytes when this process
    read them) to a worker that imported wflint afresh.

    The files go in chunks; the workers take them from the end, this process from the start,
    until it reaches one a worker already has.  This process would otherwise wait idle, and
    its own results are not sent through a pipe.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    results = _Results(items, opts)
    chunks = results.chunks
    try:
        with ProcessPoolExecutor(workers - 1, mp_context=_context(), initializer=_init, initargs=(opts,)) as pool:
            futures = [pool.submit(_lint_chunk, [items[i] for i in chunk]) for chunk in reversed(chunks)]
            futures.reverse()  # futures[k] lints chunks[k]; the workers started with the last
            for k, future in enumerate(futures):
                if not future.cancel():
                    break  # a worker has this chunk, and every later one
                results.own(k)
            for k, future in enumerate(futures):
                if not future.cancelled():
                    results.store(k, future.result())
    except (BrokenProcessPool, OSError):
        pass  # no processes here (a sandbox) or a worker died: finish in this process
    return results.finished()


def _preload() -> None:
    """Import before forking what a lint of this many files imports anyway, so the workers
    share it instead of each importing its own: the cost model (findings are priced in most
    workflows) and the cron arithmetic.  croniter is not among them: only a schedule spelled
    with what wflint's own expansion leaves to it (``L``, ``#``, ranges of names) imports it."""
    from . import cron  # noqa: F401
    from .cost import findings, model  # noqa: F401


def _forking() -> bool:
    """Fork where it is the safe default (Linux): children start without re-importing wflint."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _context():
    """The start method of a pool's workers where processes are not forked."""
    import multiprocessing

    return multiprocessing.get_context()


def _init(opts: "RunOptions") -> None:
    global _options
    _options = opts


def _lint_chunk(chunk: List[Item]) -> List[Tuple["FileReport", bool]]:
    return [_lint(item) for item in chunk]


def _lint(item: Item) -> Tuple["FileReport", bool]:
    """``_lint_one`` in a pool's worker, with the options ``_init`` set."""
    assert _options is not None
    return _lint_one(item, _options)


def _lint_one(item: Item, opts: "RunOptions") -> Tuple["FileReport", bool]:
    """The file's report, and whether its text was left out: unless fixes were written, the
    report's text is the file's bytes decoded, which the parent holds (no need to send it back)."""
    from .runner import check_file

    target, data = item
    return _light(check_file(target, opts, data), opts, data is not None)


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
