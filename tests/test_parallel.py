"""Worker processes give the same report, in the same order, as linting in one process."""

import concurrent.futures

import pytest

from wflint import parallel
from wflint.cli import main
from wflint.runner import RunOptions, run

TEMPLATES = [
    "on: [push, pull_request]\njobs:\n  j{i}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {i}\n",
    "on:\n  schedule:\n    - cron: '*/{m} * * * *'\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n",
    "on: [push\njobs: {{}}\n",  # invalid YAML
    "on: push\njobs:\n  a: &a\n    runs-on: x\n  b: *a\n",
]


@pytest.fixture
def many(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    wfdir = tmp_path / ".github" / "workflows"
    wfdir.mkdir(parents=True)
    for i in range(120):
        text = TEMPLATES[i % len(TEMPLATES)].format(i=i, m=1 + i % 9)
        (wfdir / f"w{i:03d}.yml").write_text(text)
    (wfdir / "binary.yml").write_bytes(b"on: push\n\x00\x01")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(capsys, jobs, monkeypatch, *args):
    monkeypatch.setenv("WFLINT_JOBS", str(jobs))
    code = main(["--no-cache", "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_pool_and_single_process_give_the_same_report(many, capsys, monkeypatch):
    single = lint(capsys, 1, monkeypatch)
    pooled = lint(capsys, 2, monkeypatch)
    assert pooled == single
    assert single[0] == 2 and '"invalid-yaml"' in single[1]


def test_fixes_in_the_pool_match(many, capsys, monkeypatch):
    single = lint(capsys, 1, monkeypatch, "--diff", "--unsafe-fixes")
    pooled = lint(capsys, 2, monkeypatch, "--diff", "--unsafe-fixes")
    assert pooled == single


def test_report_is_sorted_by_path(many):
    report = run(RunOptions(cwd=str(many), use_cache=False, jobs=2))
    displays = [f.display for f in report.files]
    assert displays == sorted(displays) and len(displays) == 121


def test_no_processes_falls_back_to_this_process(many, capsys, monkeypatch):
    expected = lint(capsys, 1, monkeypatch)

    def no_fork():
        raise PermissionError("no processes in this sandbox")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    assert lint(capsys, 2, monkeypatch) == expected


def test_no_pool_available_falls_back_to_this_process(many, capsys, monkeypatch):
    import multiprocessing

    expected = lint(capsys, 1, monkeypatch)

    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise PermissionError("no semaphores in this sandbox")

    monkeypatch.setattr(parallel, "_forking", lambda: False)  # the pool's platforms
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoProcesses)
    assert lint(capsys, 2, monkeypatch) == expected


def test_worker_count(monkeypatch):
    monkeypatch.delenv("WFLINT_JOBS", raising=False)
    monkeypatch.setattr(parallel, "available_cpus", lambda: 4)
    assert parallel.workers_for(1) == 1
    assert parallel.workers_for(parallel.MIN_FILES_PER_WORKER * 2 - 1) == 1
    assert parallel.workers_for(parallel.MIN_FILES_PER_WORKER * 2) == 2
    assert parallel.workers_for(10_000) == 4
    assert parallel.workers_for(10_000, jobs=1) == 1
    assert parallel.workers_for(3, jobs=8) == 3
    monkeypatch.setenv("WFLINT_JOBS", "3")
    assert parallel.workers_for(10_000) == 3
    monkeypatch.setenv("WFLINT_JOBS", "many")  # not a number: ignored
    assert parallel.workers_for(10_000) == 4


def _recording_linter(monkeypatch, log, then=None):
    """check_file, writing the process that linted each file to ``log`` (``then`` runs after)."""
    import os

    from wflint import runner

    real = runner.check_file

    def check_file(target, opts, data=None):
        report = real(target, opts, data)
        with open(log, "a") as out:
            out.write(f"{os.getpid()} {target.display}\n")
        if then is not None:
            then(target)
        return report

    monkeypatch.setattr(runner, "check_file", check_file)


def test_forked_children_lint_from_the_end_and_this_process_from_the_start(many, capsys, monkeypatch, tmp_path):
    import os

    expected = lint(capsys, 1, monkeypatch)
    log = tmp_path / "who.log"
    _recording_linter(monkeypatch, log)
    monkeypatch.setattr(parallel, "_in_pool", None)  # fork platforms start no pool
    assert lint(capsys, 2, monkeypatch) == expected
    rows = [line.split(" ", 1) for line in log.read_text().splitlines()]
    assert len(rows) == 121 and len({display for _, display in rows}) == 121  # each file once
    mine = sorted(display for pid, display in rows if pid == str(os.getpid()))
    theirs = sorted(display for pid, display in rows if pid != str(os.getpid()))
    assert mine and theirs and max(mine) < min(theirs)


@pytest.mark.parametrize("files", [1, 20])  # in its first chunk; after sending a chunk
def test_a_child_that_dies_leaves_its_files_to_this_process(many, capsys, monkeypatch, tmp_path, files):
    import os

    expected = lint(capsys, 1, monkeypatch)
    parent = os.getpid()
    linted = []

    def die(target):
        if os.getpid() != parent:
            linted.append(target)
            if len(linted) == files:
                os._exit(3)  # the reports of its current chunk never arrive

    log = tmp_path / "who.log"
    _recording_linter(monkeypatch, log, die)
    assert lint(capsys, 2, monkeypatch) == expected
    pids = [line.split(" ", 1)[0] for line in log.read_text().splitlines()]
    sizes = [len(range(start, min(start + parallel.CHUNK, 121))) for start in range(0, 121, parallel.CHUNK)][::-1]
    sent = max(sum(sizes[:n]) for n in range(len(sizes) + 1) if sum(sizes[:n]) < files)  # its chunks from the end
    redone = files - sent  # the files of its unsent chunk, linted twice
    assert sum(pid != str(parent) for pid in pids) == files and len(pids) == 121 + redone


def test_an_interrupt_stops_the_children_too(many, monkeypatch, tmp_path):
    import os

    parent = os.getpid()

    def interrupt(target):
        if os.getpid() == parent and target.display.endswith("w010.yml"):
            raise KeyboardInterrupt

    _recording_linter(monkeypatch, tmp_path / "who.log", interrupt)
    with pytest.raises(KeyboardInterrupt):
        run(RunOptions(cwd=str(many), use_cache=False, jobs=2))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left running or unreaped


@pytest.mark.min_savings  # a spawned worker imports wflint afresh: the shipped settings on
@pytest.mark.shipped_defaults  # both sides, not this suite's patched ones
def test_workers_not_forked_get_the_files_sent(many, capsys, monkeypatch):
    expected = lint(capsys, 1, monkeypatch)
    import multiprocessing

    monkeypatch.setattr(parallel, "_forking", lambda: False)  # macOS, Windows
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    assert lint(capsys, 2, monkeypatch) == expected


PRELOAD = """
import sys
from wflint import parallel
parallel._preload()
print(" ".join(name for name in ("wflint.cost.model", "wflint.cron", "croniter") if name in sys.modules))
"""


def test_what_every_worker_would_import_is_imported_before_forking(tmp_path):
    from helpers import run_code

    done = run_code(PRELOAD, tmp_path, "")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["wflint.cost.model", "wflint.cron"]  # not croniter: see cron.parse


def test_workers_read_their_own_files_without_a_cache(many, capsys, monkeypatch):
    import os

    os.mkfifo(many / ".github" / "workflows" / "fifo.yml")  # a read error, reported by whoever reads it
    single = lint(capsys, 1, monkeypatch, "--format", "sarif")
    pooled = lint(capsys, 2, monkeypatch, "--format", "sarif")
    assert pooled == single
    assert "fifo.yml: cannot read: not a regular file" in single[2]
    assert '"snippet"' in single[1] or '"partialFingerprints"' in single[1]  # lines quoted from the text
