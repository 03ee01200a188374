"""Which files a run checks: the repository's workflow folder found from wherever it starts."""

from __future__ import annotations

import os

import pytest

from wflint.discovery import discover


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name in ("b.yml", "a.yaml", "C.YML", "notes.txt", "z.yml"):
        (folder / name).write_text("on: push\n")
    (folder / "dir.yml").mkdir()  # a folder with a workflow's name is not a file
    (folder / "link.yml").symlink_to(folder / "b.yml")
    (tmp_path / "src" / "deep").mkdir(parents=True)
    return tmp_path


def _rows(targets):
    return [(t.path, t.display, t.named) for t in targets]


@pytest.mark.parametrize("where", ["", ".github", ".github/workflows", "src", "src/deep"])
def test_the_usual_run_finds_what_the_general_path_finds(repo, where):
    cwd = str(repo / where) if where else str(repo)
    fast, errors = discover([], cwd=cwd)
    # an exclude pattern that matches nothing takes the general path: each file on its own
    general, _ = discover([], cwd=cwd, exclude=["no-such-file-anywhere"])
    assert errors == [] and _rows(fast) == _rows(general)
    assert [os.path.basename(t.path) for t in fast] == ["C.YML", "a.yaml", "b.yml", "link.yml", "z.yml"]
    if where == ".github/workflows":
        assert fast[0].display == "C.YML"
    elif where == "":
        assert fast[0].display == os.path.join(".github", "workflows", "C.YML")
    elif where.startswith("src"):
        assert os.path.isabs(fast[0].display)  # outside the working folder: shown absolute
