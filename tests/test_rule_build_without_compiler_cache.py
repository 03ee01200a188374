"""build-without-compiler-cache (WFL026): minimal workflows, positive and negative."""

from __future__ import annotations

import pytest

from catalog_helpers import lint

SLUG = "build-without-compiler-cache"

CMAKE = """\
on: [push, pull_request]
jobs:
  build:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-14]
    steps:
      - uses: actions/checkout@v4
      - run: |
          cmake -B build -DCMAKE_BUILD_TYPE=Release
          cmake --build build -j4
"""


def test_cmake_matrix_without_ccache():
    (finding,) = lint(SLUG, CMAKE)
    assert "`cmake -B`" in finding.message and "on Linux and macOS (2 jobs a run)" in finding.message
    assert "ccache" in finding.message
    assert finding.properties["stake"] == {
        "measure": "share", "jobs": ["build"], "events": ["pull_request", "push"], "share": 0.35,
    }


@pytest.mark.parametrize(
    "extra",
    [
        "      - uses: hendrikmuhs/ccache-action@v1.2\n",
        "      - uses: mozilla-actions/sccache-action@v0.0.6\n",
        "      - uses: actions/cache@v4\n        with: {path: ~/.ccache, key: 'ccache-${{ github.sha }}'}\n",
        "      - uses: some/setup-cpp@v1\n        with:\n          cache: true\n",
    ],
)
def test_a_cache_in_the_job_silences_it(extra):
    text = CMAKE.replace("      - uses: actions/checkout@v4\n", "      - uses: actions/checkout@v4\n" + extra)
    assert lint(SLUG, text) == []


def test_launcher_in_env_counts_as_a_cache():
    text = CMAKE.replace("jobs:\n", "env:\n  CMAKE_CXX_COMPILER_LAUNCHER: sccache\njobs:\n")
    assert lint(SLUG, text) == []


def test_cpp_on_one_linux_runner_is_left_alone():
    assert lint(SLUG, CMAKE.replace("[ubuntu-latest, macos-14]", "[ubuntu-latest]")) == []


@pytest.mark.parametrize(
    "runs_on",
    ["[self-hosted, linux]", "my-build-pool"],
)
def test_self_hosted_and_custom_labels_keep_their_folders(runs_on):
    text = CMAKE.replace("${{ matrix.os }}", runs_on)
    assert lint(SLUG, text) == []


def test_rare_triggers_and_release_jobs():
    assert lint(SLUG, CMAKE.replace("on: [push, pull_request]", "on: {schedule: [{cron: '0 3 * * 1'}]}")) == []
    assert lint(SLUG, CMAKE.replace("  build:\n", "  release:\n")) == []


RUST = """\
on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: {command}
"""


@pytest.mark.parametrize(
    "command, found",
    [
        ("cargo test --workspace", 1),
        ("cargo +nightly clippy --all-targets", 1),
        ("cargo fmt --check", 0),  # formats, compiles nothing
        ("cargo install cargo-deny && cargo deny check", 0),
        ("bazel test //...", 1),
        ("bazel build --nobuild //...", 0),
        ("bazel test --disk_cache=~/.cache/bazel-disk //...", 0),
        ("sudo apt-get install -y bazel build-essential", 0),
        ("pyenv install 3.13.0", 1),
        ("echo cmake --build is documented", 0),
    ],
)
def test_commands(command, found):
    assert len(lint(SLUG, RUST.format(command=command))) == found


def test_rust_cache_and_vm_builds():
    cached = RUST.format(command="cargo test").replace("      - run:", "      - uses: Swatinem/rust-cache@v2\n      - run:")
    assert lint(SLUG, cached) == []
    vm = RUST.format(command="cargo test").replace("      - run:", "      - uses: vmactions/freebsd-vm@v1\n      - run:")
    assert lint(SLUG, vm) == []


def test_local_action_may_cache_unless_the_repository_shows_it(tmp_path):
    text = RUST.format(command="cargo test").replace("      - run:", "      - uses: ./.github/actions/setup\n      - run:")
    assert lint(SLUG, text) == []  # no repository: the action may cache
    folder = tmp_path / ".github" / "actions" / "setup"
    folder.mkdir(parents=True)
    (folder / "action.yml").write_text("runs:\n  using: composite\n  steps:\n    - run: rustup show\n      shell: bash\n")
    assert len(lint(SLUG, text, repo_root=str(tmp_path))) == 1
    (folder / "action.yml").write_text("runs:\n  using: composite\n  steps:\n    - uses: Swatinem/rust-cache@v2\n")
    assert lint(SLUG, text, repo_root=str(tmp_path)) == []


def test_flow_style_and_anchors():
    text = """\
on: [push]
jobs:
  a: &job
    runs-on: windows-latest
    steps: [{uses: actions/checkout@v4}, {run: "meson setup build && meson compile -C build"}]
  b: *job
"""
    assert sorted(f.message.split("`")[1] for f in lint(SLUG, text)) == ["a", "b"]
