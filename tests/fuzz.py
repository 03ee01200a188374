"""A mutation fuzzer for wflint's whole pipeline: bytes in, lint, fix, never a crash.

The target (``fuzz_one``) runs the bytes through the runner exactly as a file on
the command line would go (decode, load, lint, fix with unsafe fixes, re-lint)
and fails when anything raises, a rule reports ``internal-error`` or a fix is
abandoned; for input that loads, it also runs the semantic fix check
(``scripts/semantic_check.py``): each fix changes exactly the data it intends,
no untouched line, and fixing twice changes nothing more.

Inputs are built from seed workflows by random mutations that matter to YAML
(indicators, anchors and aliases, indentation, line breaks, encodings) and by
splicing seeds together.  The run is deterministic for a given ``--seed``.

CI runs it for about 20 seconds (``tests/test_fuzz.py``).  A longer local run::

    python3 tests/fuzz.py --seconds 600                 # built-in seeds
    python3 tests/fuzz.py --seconds 3600 --corpus ../shared/corpus/workflows
    python3 tests/fuzz.py --atheris                     # coverage-guided, if atheris is installed

A crashing input is written to ``fuzz-crash-<sha1>.yml`` in the current folder;
add it to ``REGRESSIONS`` in ``tests/test_fuzz.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from typing import Callable, List, Optional, Sequence

if __name__ == "__main__":  # run from a checkout: use its sources
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

import importlib.util

from wflint import runner
from wflint.discovery import STDIN, Target
from wflint.engine import Settings
from wflint.rules import all_rules
from wflint.source import DecodeError, Source


def _semantic_check():
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts", "semantic_check.py")
    spec = importlib.util.spec_from_file_location("wflint_semantic_check", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


semantic = _semantic_check()

SETTINGS = Settings(rules=[r for r in all_rules() if not r.system])

SEEDS = [
    b"on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n",
    b"name: CI\non: [push, pull_request]\nconcurrency: {group: x}\njobs:\n  a: {runs-on: x, steps: [{run: 'echo'}]}\n",
    b"on:\n  push:\n    branches: [main]\n  pull_request:\n  schedule:\n    - cron: '*/5 * * * *'\n      timezone: Europe/Paris\njobs:\n"
    b"  t:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest]\n    steps:\n    - run: |\n        echo a\n        echo b\n",
    b"defaults: &d\n  runs-on: ubuntu-latest\non:\n- push\n- workflow_dispatch\njobs:\n  a:\n    <<: *d\n    steps: [{run: x}]\n  b:\n    <<: *d\n    needs: a\n",
    b"\xef\xbb\xbfon: pull_request\r\njobs:\r\n  x:\r\n    runs-on: ubuntu-latest # c\r\n    timeout-minutes: 5\r\n",
    b"{on: {push: {paths: ['src/**']}, schedule: [{cron: '0 * * * *'}]}, jobs: {x: {uses: ./.github/workflows/y.yml}}}",
    b"'on':\n  push: ~\n  pull_request: {}\njobs:\n  x:\n    runs-on: [self-hosted, linux]\n    steps:\n      - name: >-\n          folded\n        run: echo\n",
    b"on:\n  push:\n    tags: ['v*']\n  schedule:\n    - cron: '0 3 * * *'\nconcurrency:\n  group: rel\n  cancel-in-progress: true\njobs:\n"
    b"  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-node@v4\n        with:\n          node-version: 20\n"
    b"      - run: npm ci\n      - uses: actions/upload-artifact@v4\n        with: {name: dist, path: dist}\n      - run: npm publish\n",
    b"on: [push, pull_request]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n      - run: pip install -r requirements.txt\n"
    b"      - uses: actions/upload-artifact@v4\n",
]

TOKENS = [
    b":", b": ", b"-", b"- ", b"[", b"]", b"{", b"}", b",", b"&a ", b"*a", b"<<: *a\n", b"!!str ", b"!!map ", b"? ",
    b"|", b">-", b"'", b'"', b"#", b"\n", b"\r\n", b"\r", b"\t", b" ", b"  ", b"    ", b"---\n", b"...\n", b"%YAML 1.1\n",
    b"\x00", b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\xe2\x80\xa8", b"\x85", b"~", b"null", b"on", b"push", b"jobs",
    b"runs-on", b"timeout-minutes", b"concurrency", b"schedule", b"cron", b"'*/1 * * * *'", b"paths", b"${{ x }}",
]


def fuzz_one(data: bytes, settings: Settings = SETTINGS) -> bool:
    """Raise AssertionError (or whatever escaped) when wflint mishandles ``data``; True if it loaded."""
    opts = runner.RunOptions(settings=settings, fix=True, unsafe_fixes=True, stdin=data)
    report = runner.check_file(Target(path=STDIN, display="-"), opts)
    internal = [f for f in report.findings if f.slug == "internal-error"]
    assert not internal, internal[0].message + "\n" + internal[0].properties.get("traceback", "")
    assert report.error is None or "cannot read" not in report.error, report.error
    if report.error:  # a fix abandoned because its result would not load: a wflint bug
        raise AssertionError(report.error)
    if report.failed:
        return False
    try:
        source = Source.from_bytes("-", data)
    except DecodeError:  # pragma: no cover - the runner reported it as failed
        return False
    outcome = semantic.check_text(source, settings)  # each fix: exactly its intended change
    assert not outcome.problems, f"{outcome.kind}: {outcome.problems[0]}"
    return True


def mutate(rng: random.Random, data: bytes, seeds: Sequence[bytes]) -> bytes:
    for _ in range(rng.randint(1, 4)):
        n = len(data)
        at = rng.randint(0, n)
        op = rng.randrange(8)
        if op == 0 and n:  # flip a byte
            i = rng.randrange(n)
            data = data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]
        elif op in (1, 2):  # insert a YAML-meaningful token
            data = data[:at] + rng.choice(TOKENS) + data[at:]
        elif op == 3 and n:  # delete a range
            data = data[:at] + data[at + rng.randint(1, 16) :]
        elif op == 4 and n:  # duplicate a range
            end = min(n, at + rng.randint(1, 40))
            data = data[:end] + data[at:end] + data[end:]
        elif op == 5:  # splice lines of another seed
            other = rng.choice(seeds).splitlines(keepends=True)
            if other:
                i = rng.randrange(len(other))
                data = data[:at] + b"".join(other[i : i + rng.randint(1, 4)]) + data[at:]
        elif op == 6:  # re-indent a line
            lines = data.splitlines(keepends=True)
            if lines:
                i = rng.randrange(len(lines))
                lines[i] = b" " * rng.choice([0, 1, 2, 3, 4, 8]) + lines[i].lstrip(b" ")
                data = b"".join(lines)
        else:  # change the encoding of the whole input
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            data = text.encode(rng.choice(["utf-16", "utf-8-sig", "utf-32", "utf-8"]))
    return data


def run(seconds: float, seed: int = 0, seeds: Optional[List[bytes]] = None, on_crash: Optional[Callable[[bytes, BaseException], None]] = None) -> int:
    """Fuzz for ``seconds``; returns the number of inputs tried. Raises on the first crash unless ``on_crash``."""
    rng = random.Random(seed)
    pool = list(seeds or SEEDS)
    deadline = time.monotonic() + seconds
    tried = 0
    while time.monotonic() < deadline:
        data = mutate(rng, rng.choice(pool), pool)
        tried += 1
        try:
            loaded = fuzz_one(data)
        except BaseException as exc:  # noqa: B902 - every escape is a finding
            if isinstance(exc, KeyboardInterrupt) or on_crash is None:
                raise
            on_crash(data, exc)
            continue
        if loaded and rng.random() < 0.05 and len(data) < 20_000:
            pool.append(data)  # keep some mutants that still load: deeper mutations later
    return tried


def _save(data: bytes, exc: BaseException) -> None:
    name = f"fuzz-crash-{hashlib.sha1(data).hexdigest()[:12]}.yml"
    with open(name, "wb") as handle:
        handle.write(data)
    print(f"crash: {type(exc).__name__}: {str(exc)[:200]} -> {name}", file=sys.stderr)


def _read_corpus(folder: str) -> List[bytes]:
    out = []
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if name.endswith((".yml", ".yaml")):
                with open(os.path.join(root, name), "rb") as handle:
                    out.append(handle.read())
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz wflint's load-lint-fix pipeline.")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--corpus", help="a folder of workflows to use as seeds besides the built-in ones")
    parser.add_argument("--atheris", action="store_true", help="coverage-guided fuzzing with atheris (pip install atheris)")
    args, rest = parser.parse_known_args(argv)
    seeds = SEEDS + (_read_corpus(args.corpus) if args.corpus else [])
    if args.atheris:
        import atheris  # type: ignore[import-not-found]

        atheris.Setup([sys.argv[0], *rest], fuzz_one)
        atheris.Fuzz()
        return 0
    crashes = []
    tried = run(args.seconds, args.seed, seeds, on_crash=lambda d, e: (crashes.append(d), _save(d, e)))
    print(f"seed {args.seed}: {tried:,} inputs in {args.seconds:g} s, {len(crashes)} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
