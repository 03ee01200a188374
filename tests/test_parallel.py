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


def test_no_pool_available_falls_back_to_this_process(many, capsys, monkeypatch):
    expected = lint(capsys, 1, monkeypatch)

    class NoProcesses:
        def __init__(self, *args, **kwargs):
            raise PermissionError("no semaphores in this sandbox")

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


def test_forked_workers_read_the_files_from_shared_memory(many, capsys, monkeypatch):
    expected = lint(capsys, 1, monkeypatch)
    sent = []
    submit = concurrent.futures.ProcessPoolExecutor.submit

    def recording(self, fn, *args, **kwargs):
        sent.append((fn.__name__, args))
        return submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures.ProcessPoolExecutor, "submit", recording)
    assert lint(capsys, 2, monkeypatch) == expected
    assert sent and {name for name, _ in sent} == {"_lint_shared"}
    assert all(isinstance(a, int) for _, args in sent for a in args)  # positions, no bytes
    assert parallel._shared == []  # nothing kept after the run


@pytest.mark.min_savings  # a spawned worker imports wflint afresh: the shipped settings on
@pytest.mark.shipped_defaults  # both sides, not this suite's patched ones
def test_workers_not_forked_get_the_files_sent(many, capsys, monkeypatch):
    expected = lint(capsys, 1, monkeypatch)
    import multiprocessing

    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context("spawn"))
    assert lint(capsys, 2, monkeypatch) == expected



PRELOAD = """
import sys
from wflint import parallel
parallel._preload([(None, sys.argv[1].encode())])
print(" ".join(name for name in ("wflint.cost.model", "wflint.cron", "croniter") if name in sys.modules))
"""


@pytest.mark.parametrize("text, imported", [
    ("on:\n  push:\n", "wflint.cost.model wflint.cron"),
    ("on:\n  schedule:\n    - cron: '0 0 * * *'\n", "wflint.cost.model wflint.cron"),
])
def test_what_every_worker_would_import_is_imported_before_forking(tmp_path, text, imported):
    from helpers import run_code

    done = run_code(PRELOAD, tmp_path, text)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == imported.split()


def test_workers_read_their_own_files_without_a_cache(many, capsys, monkeypatch):
    import os

    os.mkfifo(many / ".github" / "workflows" / "fifo.yml")  # a read error, reported by whoever reads it
    single = lint(capsys, 1, monkeypatch, "--format", "sarif")
    pooled = lint(capsys, 2, monkeypatch, "--format", "sarif")
    assert pooled == single
    assert "fifo.yml: cannot read: not a regular file" in single[2]
    assert '"snippet"' in single[1] or '"partialFingerprints"' in single[1]  # lines quoted from the text
