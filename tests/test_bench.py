"""The benchmark script runs, and finds the files a peer that aborts on one bad file accepts."""

import os
import stat
import subprocess
import sys

import pytest

from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench  # noqa: E402

GOOD = "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo {i}\n"


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    for owner in ("a__one", "b__two"):
        (root / owner).mkdir(parents=True)
        for i in range(3):
            (root / owner / f"w{i}.yml").write_text(GOOD.format(i=i))
    (root / "b__two" / ".hidden.yaml").write_text(GOOD.format(i=9))
    (root / "b__two" / "notes.txt").write_text("not a workflow")
    (root / "a__one" / "w1.yml").write_text("BAD\n")
    return root


def fake_tool(tmp_path, body):
    path = tmp_path / "fake-zizmor"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_collect_flattens_with_unique_names(corpus):
    files = bench.collect(corpus)
    assert sorted(files) == ["a__one__w0.yml", "a__one__w1.yml", "a__one__w2.yml", "b__two__.hidden.yaml", "b__two__w0.yml", "b__two__w1.yml", "b__two__w2.yml"]


@pytest.mark.skipif(sys.platform == "win32", reason="shell script stands in for zizmor")
def test_a_file_named_in_the_abort_message_is_left_out(corpus, tmp_path):
    zizmor = fake_tool(
        tmp_path,
        'bad=$(grep -l BAD .github/workflows/* | head -n 1)\n'
        'if [ -n "$bad" ]; then echo "fatal: no audit was performed" >&2; '
        'echo "error: failed to load file://./$bad as workflow" >&2; exit 1; fi\nexit 13\n',
    )
    files = bench.collect(corpus)
    notes = []
    accepted = bench.zizmor_accepted(zizmor, tmp_path / "work", files, sorted(files), notes.append)
    assert accepted == sorted(set(files) - {"a__one__w1.yml"})
    assert "a__one__w1.yml" in notes[0]


@pytest.mark.skipif(sys.platform == "win32", reason="shell script stands in for zizmor")
def test_an_unnamed_abort_is_bisected(corpus, tmp_path):
    zizmor = fake_tool(tmp_path, "if grep -q BAD .github/workflows/*; then echo 'something broke' >&2; exit 1; fi\nexit 0\n")
    files = bench.collect(corpus)
    accepted = bench.zizmor_accepted(zizmor, tmp_path / "work", files, sorted(files), lambda m: None)
    assert accepted == sorted(set(files) - {"a__one__w1.yml"})


def test_innermost_cause_is_quoted():
    stderr = "fatal: no audit was performed\nerror: x\n\nCaused by:\n    0: outer\n    1: inner cause\n\nStack backtrace:\n   0: frame\n"
    assert bench._first_error(stderr) == "inner cause"


def test_script_runs_on_a_tiny_corpus(corpus, tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench.py"), "--runs", "1", "--corpus", str(corpus), "--skip", "zizmor", "actionlint", "--in-place"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for row in ("| wflint --no-cache | 7 |", "| wflint (warm cache) | 7 |", "| wflint --fix --unsafe-fixes --diff | 7 |", "| wflint --version | 1 |"):
        assert row in result.stdout
    assert "- warm / cold:" in result.stdout
