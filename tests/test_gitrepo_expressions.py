"""Repository facts read from .git without git, and the context references of expressions."""

from __future__ import annotations

from wflint.expressions import literal_text, references
from wflint.gitrepo import default_branch, origin_name


def test_default_branch_from_a_clone(tmp_path):
    git = tmp_path / ".git"
    (git / "refs" / "remotes" / "origin").mkdir(parents=True)
    (git / "refs" / "remotes" / "origin" / "HEAD").write_text("ref: refs/remotes/origin/develop\n")
    assert default_branch(str(tmp_path)) == "develop"


def test_worktree_reads_the_common_folder(tmp_path):
    main = tmp_path / "main" / ".git"
    (main / "refs" / "remotes" / "origin").mkdir(parents=True)
    (main / "refs" / "remotes" / "origin" / "HEAD").write_text("ref: refs/remotes/origin/main\n")
    own = main / "worktrees" / "wt"
    own.mkdir(parents=True)
    (own / "commondir").write_text("../..\n")
    wt = tmp_path / "wt"
    wt.mkdir()
    (wt / ".git").write_text(f"gitdir: {own}\n")
    assert default_branch(str(wt)) == "main"


def test_no_repository(tmp_path):
    assert default_branch(str(tmp_path)) is None and default_branch(None) is None


def test_expression_references():
    group = "${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}-x"
    assert references(group) == ["github.workflow", "github.event.pull_request.number", "github.ref"]
    assert literal_text(group) == "--x"
    assert references("${{ format('{0}-{1}', github.head_ref, inputs.name) }}") == ["github.head_ref", "inputs.name"]
    assert references("${{ startsWith(github.ref, 'refs/tags/') && 'a' || matrix.os }}") == ["github.ref", "matrix.os"]
    assert references("plain text") == []


def test_origin_name(tmp_path):
    assert origin_name(str(tmp_path)) == "" and origin_name(None) == ""
    (tmp_path / ".git").mkdir()
    for url, name in [("https://github.com/acme/widgets.git", "acme/widgets"), ("git@github.com:acme/tool", "acme/tool")]:
        (tmp_path / ".git" / "config").write_text(f'[core]\n\tbare = false\n[remote "origin"]\n\turl = {url}\n')
        assert origin_name(str(tmp_path)) == name
