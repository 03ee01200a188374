"""The result cache notices a change to what the rules read besides the file: a sibling
workflow, a lock file, ``.git``'s origin/HEAD, the history file."""

import json
import os

import pytest

from wflint.cli import main
from wflint.reads import note, recording, signature

UPLOAD = """name: build
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make dist
      - uses: actions/upload-artifact@v4
        with:
          name: dist
          path: dist/
"""
# A sibling that lists the repository's artifacts: the uploads are read by other runs.
LISTS_ARTIFACTS = """on: workflow_dispatch
jobs:
  clean:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - run: gh api repos/o/r/actions/artifacts --paginate
"""
NPM = """name: test
on: pull_request
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npm test
"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(capsys, *args):
    main(["--format", "json", *args])
    out, _ = capsys.readouterr()
    return [(f["slug"], f["message"], f.get("fix")) for f in json.loads(out)["findings"]]


def cached_twice(capsys, count_lints, *args):
    """Two runs with nothing changed: the second is answered by the cache alone."""
    first = findings(capsys, *args)
    count_lints.clear()
    assert findings(capsys, *args) == first
    assert count_lints == []
    return first


def test_a_new_sibling_workflow_changes_a_cached_finding(repo, capsys, count_lints):
    (repo / ".github" / "workflows" / "build.yml").write_text(UPLOAD)
    args = ("--select", "artifact-retention", ".github/workflows/build.yml")
    before = cached_twice(capsys, count_lints, *args)
    assert [rule for rule, *_ in before] == ["artifact-retention"]
    (repo / ".github" / "workflows" / "clean.yml").write_text(LISTS_ARTIFACTS)
    assert findings(capsys, *args) == []
    assert count_lints == [os.path.join(".github", "workflows", "build.yml")]


def test_an_edited_sibling_workflow_changes_a_cached_finding(repo, capsys, count_lints):
    (repo / ".github" / "workflows" / "build.yml").write_text(UPLOAD)
    (repo / ".github" / "workflows" / "clean.yml").write_text(LISTS_ARTIFACTS)
    args = ("--select", "artifact-retention", ".github/workflows/build.yml")
    assert cached_twice(capsys, count_lints, *args) == []
    (repo / ".github" / "workflows" / "clean.yml").write_text(LISTS_ARTIFACTS.replace("actions/artifacts", "releases"))
    assert [rule for rule, *_ in findings(capsys, *args)] == ["artifact-retention"]


def test_a_new_lock_file_changes_a_cached_finding(repo, capsys, count_lints):
    (repo / ".github" / "workflows" / "test.yml").write_text(NPM)
    args = ("--select", "missing-dependency-cache")
    before = cached_twice(capsys, count_lints, *args)
    (repo / "package-lock.json").write_text("{}\n")
    after = findings(capsys, *args)
    assert count_lints == [os.path.join(".github", "workflows", "test.yml")]
    assert after != before
    count_lints.clear()
    assert findings(capsys, *args) == after and count_lints == []  # cached again under the new lock file
    (repo / "package-lock.json").unlink()
    assert findings(capsys, *args) == before


def test_origin_head_changes_a_cached_default_branch(repo, capsys, count_lints):
    wf = "on:\n  push:\n  pull_request:\njobs:\n  a:\n    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - run: make\n"
    (repo / ".github" / "workflows" / "ci.yml").write_text(wf)
    args = ("--select", "duplicate-triggers")
    before = cached_twice(capsys, count_lints, *args)
    assert [rule for rule, *_ in before] == ["duplicate-triggers"] and "trunk" not in json.dumps(before)
    refs = repo / ".git" / "refs" / "remotes" / "origin"
    refs.mkdir(parents=True)
    (refs / "HEAD").write_text("ref: refs/remotes/origin/trunk\n")
    after = findings(capsys, *args)
    assert count_lints == [os.path.join(".github", "workflows", "ci.yml")]
    assert "trunk" in json.dumps(after)


def test_a_new_history_file_changes_cached_findings(repo, capsys, count_lints):
    (repo / ".github" / "workflows" / "test.yml").write_text(NPM)
    cached_twice(capsys, count_lints)
    from wflint.cost import history as history_mod

    history = {"format": history_mod.FORMAT, "version": history_mod.VERSION, "workflows": {}}
    (repo / ".github" / "wflint-history.json").write_text(json.dumps(history))
    count_lints.clear()
    findings(capsys)
    assert count_lints == [os.path.join(".github", "workflows", "test.yml")]  # another settings fingerprint


def test_signature_follows_files_and_folders(tmp_path):
    assert signature(str(tmp_path / "absent")) is None
    (tmp_path / "a").write_text("1")
    file_sig, folder_sig = signature(str(tmp_path / "a")), signature(str(tmp_path))
    (tmp_path / "a").write_text("22")
    assert signature(str(tmp_path / "a")) != file_sig
    assert signature(str(tmp_path)) != folder_sig
    (tmp_path / "b").write_text("")
    assert [name for name, *_ in signature(str(tmp_path))] == ["a", "b"]


def test_notes_are_kept_only_while_recording(tmp_path):
    note(str(tmp_path / "before"))
    with recording() as seen:
        note(str(tmp_path / "x"))
        with recording() as inner:
            note(str(tmp_path / "y"))
        note(None)
    assert inner is seen and seen == {str(tmp_path / "x"), str(tmp_path / "y")}
    with recording() as again:
        pass
    assert again == set()
