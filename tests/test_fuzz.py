"""Fuzzing load-lint-fix over raw bytes (bounded in CI), and the crashes it found, kept as regressions.

The bounded run lasts ``WFLINT_FUZZ_SECONDS`` (default 20) with a fixed seed; see
``tests/fuzz.py`` for the longer local mode.
"""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

HERE = os.path.dirname(os.path.abspath(__file__))


def _load_fuzz():
    spec = importlib.util.spec_from_file_location("wflint_fuzz", os.path.join(HERE, "fuzz.py"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


fuzz = _load_fuzz()
SECONDS = float(os.environ.get("WFLINT_FUZZ_SECONDS", "20"))

# Inputs that once crashed wflint or made a fix produce a file that does not load.
REGRESSIONS = {
    # a second UTF-8 BOM: the C parser skipped it without counting it, every offset was one off
    "double-bom": b"\xef\xbb\xbf\xef\xbb\xbfon: pull_request\r\njobs:\r\n  x:\r\n    runs-on: u c\r\n",
    "double-bom-utf16": "\ufeffon: push\njobs: {}\n".encode("utf-16"),
    # a flow root: `${{ }}` was written plain inside `{...}`
    "flow-root-concurrency": b"{on: {push: {paths: ['src/**']}}, jobs: {x: {uses: ./.github/workflows/y.yml}}}",
    "flow-root-scalar-trigger": b"{on: push, jobs: {}}",
    # an empty flow mapping with a tag: the entry went inside the tag
    "tagged-empty-flow-mapping": b"on:\n  pull_request: !!map {}\njobs: {}\n",
    "anchored-empty-flow-mapping": b"on:\n  pull_request: &p {}\njobs: {}\n",
    # found by the property tests: `- push` at the column of `on:` became a root key
    "block-list-at-key-column": b"concurrency: ci-${{ github.ref }}\n\non:\n- push\n\njobs: {}",
    # a flow-mapping key without a colon: the value went after the next colon in the file
    "flow-key-without-colon": b"on: {push}\n\njobs: {}",
    # a line added after a `|` block scalar that ends the file without a line break gave it one
    "block-scalar-at-eof": b"jobs: {}\non:\n  push:\n    branches: [x]\n  workflow_dispatch:\n    inputs:\n      x:\n        description: |\n          text",
    # the trigger rewritten into mapping form dropped an anchor that an alias used
    "anchored-trigger": b"on: &a pull_request\njobs:\n  x:\n    runs-on: x\n    timeout-minutes: 5\n    env: {E: *a}\n",
    # the C parser breaks lines at U+2028, so its columns disagreed with the file's
    "line-separator": "on:\n  \u2028- push\njobs: {}\n".encode(),
    # a job that is an alias of another mapping: the timeout went into both
    "aliased-job": b"defaults: &d\n  runs-on: x\non: workflow_dispatch\njobs:\n  a: *d\n  b:\n    <<: *d\n",
    # ...while a job mapping shared only by jobs is fixed once, for all of them
    "job-shared-by-jobs": b"on: workflow_dispatch\njobs:\n  a: &j\n    runs-on: x\n  b: *j\n",
    # `on: [push]#c` became `on:#c`, which is no comment
    "comment-right-after-flow-list": b"on: [push, pull_request]#\njobs: {}\n",
    # a complex `? key` (a mapping) last in the event: paths-ignore landed inside the key
    "complex-key-last": b"on:\n  push:\n  pull_request:\n    ? paths:\n      - 'src/**'\n\njobs: {}\n",
    "complex-scalar-key-last": b"on:\n  pull_request:\n    ? paths\n\njobs: {}\n",
    # the style was read from the column of `&d`: fixes indented by 10
    "anchored-mapping-style": b"defaults: &d\n  runs-on: x\non: [push]\njobs:\n  a:\n    runs-on: x\n",
    # a tagged empty list item became an empty key
    "tagged-empty-trigger": b"on:\n- push\n- !!str\njobs: {}\n",
    # duplicate keys: no fix at all (GitHub rejects the file)
    "duplicate-on": b"on:\n- push\non: [pull_request]\njobs: {}\n",
    "duplicate-key-with-another-tag": b"on: push\njobs:\n  a:\n    runs-on: x\n!!map jobs:\n  b:\n    runs-on: y\n",
    "anchored-trigger-item": b"on: [&a push]\njobs:\n  x:\n    runs-on: x\n    timeout-minutes: 5\n    env: {E: *a}\n",
}


@pytest.mark.parametrize("data", list(REGRESSIONS.values()), ids=list(REGRESSIONS))
def test_regression(data):
    assert fuzz.fuzz_one(data)  # loads, and lint + every fix work


@given(st.binary(max_size=2000))
def test_random_bytes(data):
    fuzz.fuzz_one(data)


@given(st.sampled_from(fuzz.SEEDS), st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(fuzz.TOKENS)), max_size=6))
def test_seeds_with_inserted_tokens(seed, insertions):
    data = seed
    for at, token in insertions:
        at %= len(data) + 1
        data = data[:at] + token + data[at:]
    fuzz.fuzz_one(data)


@pytest.mark.skipif(SECONDS <= 0, reason="WFLINT_FUZZ_SECONDS is 0")
def test_bounded_fuzz_run():
    tried = fuzz.run(SECONDS, seed=20261125)
    assert tried > 100
