"""Hostile and broken inputs: each gets a clear message, and the other files of the run are still checked.

Every test lints the bad file together with ``good.yml`` (which has three findings)
and asserts the exact message, the exit code, and that ``good.yml`` was checked.
"""

from __future__ import annotations

import codecs
import os
import shutil
import stat
import subprocess
import sys
import tracemalloc

import pytest

from wflint import runner, yamlnode
from wflint.cli import main
from wflint.discovery import Target
from wflint.source import MAX_BYTES, Source

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")

GOOD = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make
"""
GOOD_FINDINGS = ["good.yml:1:1: WFL001 [missing-concurrency]", "good.yml:1:5: WFL004 [missing-path-filters]", "good.yml:3:3: WFL003 [missing-timeout]"]
FIXABLE = "on: push\njobs: {}\n"  # only missing-concurrency (safe; opt-in without history) applies
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ["on: push", "jobs: {}", "a0: &a0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def lint(tmp_path, monkeypatch, capsys):
    """Write ``name -> bytes`` next to good.yml, run wflint on both, return (code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yml").write_text(GOOD)

    def run(files, *args, paths=None):
        for name, data in files.items():
            (tmp_path / name).write_bytes(data if isinstance(data, bytes) else data.encode())
        # missing-concurrency and missing-path-filters are opt-in: selected so good.yml has a safe fix
        code = main([*args, "--no-cache", "--extend-select", "missing-concurrency,missing-path-filters,missing-timeout",
                     *(paths or sorted([*files, "good.yml"]))])
        out, err = capsys.readouterr()
        if "--fix" in args:
            assert (tmp_path / "good.yml").read_text() != GOOD, "good.yml was not fixed"
            (tmp_path / "good.yml").write_text(GOOD)
        else:
            for line in GOOD_FINDINGS:
                assert line in out, f"good.yml was not checked:\n{out}"
        return code, out, err

    return run


def finding_line(out: str, path: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith(path + ":")]
    assert len(lines) == 1, out
    return lines[0]


@pytest.mark.parametrize(
    "data, expected",
    [
        ("", "bad.yml:1:1: WFL901 [invalid-workflow] The file holds no YAML document; a workflow needs `on:` and `jobs:`."),
        ("# only a comment\n\n# another\n", "bad.yml:1:1: WFL901 [invalid-workflow] The file holds no YAML document; a workflow needs `on:` and `jobs:`."),
        ("on: push\njobs: {}\n---\non: pull_request\njobs: {}\n", "bad.yml:3:1: WFL900 [invalid-yaml] Several YAML documents in one file; a workflow is one document."),
        ("just a string\n", "bad.yml:1:1: WFL901 [invalid-workflow] The document is a scalar, not a mapping; a workflow is a mapping with `on:` and `jobs:`."),
        ("- on\n- push\n", "bad.yml:1:1: WFL901 [invalid-workflow] The document is a list, not a mapping; a workflow is a mapping with `on:` and `jobs:`."),
        ('on: "push\njobs: {}\n', "bad.yml:3:1: WFL900 [invalid-yaml] While scanning a quoted scalar: found unexpected end of stream."),
        ("on:\n  push:\n    branches: [main]\n bad: 1\njobs: {}\n", "bad.yml:4:2: WFL900 [invalid-yaml] While parsing a block mapping: did not find expected key."),
        ("on:\n\tpush: {}\njobs: {}\n", "bad.yml:2:1: WFL900 [invalid-yaml] While scanning for the next token: found character that cannot start any token."),
        ("on: push\njobs: {a: *nothing}\n", "bad.yml:2:11: WFL900 [invalid-yaml] Found undefined alias `*nothing`."),
    ],
    ids=["empty", "only-comments", "several-documents", "scalar-root", "list-root", "unclosed-quote", "bad-indentation", "tab-indentation", "undefined-alias"],
)
def test_not_a_loadable_workflow(lint, data, expected):
    code, out, _ = lint({"bad.yml": data})
    assert finding_line(out, "bad.yml") == expected
    assert code == 2


def test_duplicate_keys_are_reported(lint):
    code, out, _ = lint({"dup.yml": "on: push\nconcurrency: x\njobs:\n  a:\n    runs-on: x\n    timeout-minutes: 5\n    runs-on: y\non: pull_request\n"})
    dups = [line for line in out.splitlines() if "WFL902" in line]
    assert dups == [
        "dup.yml:7:5: WFL902 [duplicate-key] Duplicate key `runs-on` (first defined at line 5, column 5); GitHub rejects the workflow.",
        "dup.yml:8:1: WFL902 [duplicate-key] Duplicate key `on` (first defined at line 1, column 1); GitHub rejects the workflow.",
    ]
    assert code == 1


@pytest.mark.parametrize(
    "bom, encoding",
    [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le")],
)
def test_byte_order_marks_are_read_and_kept_by_fixes(lint, tmp_path, bom, encoding):
    data = bom + FIXABLE.replace("\n", "\r\n").encode(encoding)
    code, out, _ = lint({"bom.yml": data})
    assert "bom.yml:1:1: WFL001 [missing-concurrency]" in out and "bom.yml:1:5: WFL004 [missing-path-filters]" in out
    assert code == 1
    code, out, _ = lint({"bom.yml": data}, "--fix")
    fixed = (tmp_path / "bom.yml").read_bytes()
    assert fixed.startswith(bom)
    assert fixed[len(bom):].decode(encoding) == "on: push\r\nconcurrency:\r\n  group: ${{ github.workflow }}-${{ github.event.pull_request.number || github.ref }}\r\n  cancel-in-progress: ${{ github.event_name == 'pull_request' }}\r\njobs: {}\r\n"


def test_invalid_utf8_is_reported_at_the_bad_byte(lint):
    code, out, _ = lint({"bad.yml": b"on: push\nname: caf\xe9\njobs: {}\n"})
    assert finding_line(out, "bad.yml") == (
        "bad.yml:2:10: WFL900 [invalid-yaml] Cannot read the file as text: not valid UTF-8 (byte 0xe9 at byte offset 18)."
    )
    assert code == 2


def test_invalid_utf16_is_reported(lint):
    data = codecs.BOM_UTF16_LE + "on: push\n".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le")  # lone surrogate
    code, out, _ = lint({"bad.yml": data})
    assert finding_line(out, "bad.yml") == (
        "bad.yml:2:1: WFL900 [invalid-yaml] Cannot read the file as text: not valid UTF-16-LE (byte 0x00 at byte offset 20)."
    )
    assert code == 2


def test_binary_file_named_yml(lint):
    code, out, _ = lint({"bin.yml": b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256))})
    assert finding_line(out, "bin.yml") == (
        "bin.yml:1:8: WFL900 [invalid-yaml] Cannot read the file as text: binary file (NUL byte at byte offset 7), not a YAML workflow."
    )
    assert code == 2


def test_20_megabyte_file_is_refused_without_loading(lint):
    job = "  j{}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n"
    body = "on: push\njobs:\n" + "".join(job.format(i) for i in range(20 * 1024 * 1024 // len(job)))
    assert len(body) > 19 * 1024 * 1024
    code, out, _ = lint({"big.yml": body})
    assert finding_line(out, "big.yml") == (
        "big.yml:1:1: WFL900 [invalid-yaml] File is larger than 2 MB, too large to be a workflow; not loaded."
    )
    assert code == 2


def test_a_file_just_under_the_size_limit_is_linted():
    text = "on: push\njobs: {}\n" + "# padding\n" * ((MAX_BYTES - 20) // 10)
    assert len(text) <= MAX_BYTES
    assert Source.from_bytes("x.yml", text.encode()).text == text


@pytest.mark.parametrize(
    "text, where",
    [
        ("on: push\njobs: {}\nx: " + "[" * 10_000 + "]" * 10_000 + "\n", "3:1003"),
        ("on: push\njobs: {}\nx: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n", "3:4000"),
        ("on: push\njobs: {}\nx:\n" + "- " * 10_000 + "1\n", "4:1999"),
        ("on: push\njobs: {}\nx:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 1100)) + " " * 1100 + "end: 1\n", "1003:1001"),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "block-mappings"],
)
def test_nesting_10000_levels_deep(lint, text, where):
    code, out, _ = lint({"deep.yml": text})
    assert finding_line(out, "deep.yml") == f"deep.yml:{where}: WFL900 [invalid-yaml] Nesting deeper than 1000 levels."
    assert code == 2


def test_deep_nesting_with_the_pure_python_parser(monkeypatch):
    monkeypatch.setattr(yamlnode, "c_parser_available", lambda: False)
    with pytest.raises(yamlnode.YAMLLoadError, match="deeper than 1000") as caught:
        yamlnode.compose("x:\n" + "- " * 10_000 + "1\n")
    assert caught.value.offset == 3 + 2 * 999
    # 990 levels are allowed, and the pure composer's recursion has room for them
    assert yamlnode.compose("x:\n" + "- " * 990 + "1\n") is not None


def test_nesting_up_to_the_limit_loads_with_the_c_parser():
    assert yamlnode.compose("x: " + "[" * 998 + "]" * 998 + "\n") is not None
    with pytest.raises(yamlnode.YAMLLoadError):
        yamlnode.compose("x: " + "[" * 1000 + "]" * 1000 + "\n")


def test_deep_nesting_does_not_crash_the_interpreter():
    """100,000 levels crashed the recursive C composer; a separate process proves it no longer does."""
    code = "import wflint.yamlnode as y\ntry:\n y.compose('x: ' + '[' * 100000 + ']' * 100000)\nexcept y.YAMLLoadError as e:\n print(e)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "nesting deeper than 1000 levels"


def test_alias_bomb_is_reported_not_expanded(lint):
    code, out, _ = lint({"bomb.yml": billion_laughs()})
    assert finding_line(out, "bomb.yml") == (
        "bomb.yml:8:5: WFL900 [invalid-yaml] Aliases would expand to more than 200,000 extra nodes (an alias bomb); not expanded."
    )
    assert code == 2


def test_alias_bomb_memory_stays_small():
    tracemalloc.start()
    try:
        with pytest.raises(yamlnode.YAMLLoadError, match="alias bomb"):
            yamlnode.compose(billion_laughs())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024  # 9**10 nodes would be gigabytes


def test_aliases_that_nest_too_deep_when_expanded():
    lines = ["a0: &a0 [" + "[" * 200 + "]" * 200 + "]"]
    for i in range(1, 8):
        lines.append(f"a{i}: &a{i} " + "[" * 200 + f"*a{i - 1}" + "]" * 200)
    with pytest.raises(yamlnode.YAMLLoadError, match="aliases nest deeper than 1000 levels when expanded"):
        yamlnode.compose("\n".join(lines) + "\n")


def test_alias_cycle_is_reported(lint):
    code, out, _ = lint({"cycle.yml": "on: push\njobs: &j {a: *j}\n"})
    assert finding_line(out, "cycle.yml") == "cycle.yml:2:7: WFL900 [invalid-yaml] An alias refers to a node that contains it (a cycle)."
    assert code == 2


def test_only_nodes_added_by_aliases_count_towards_the_bomb_limit(monkeypatch):
    monkeypatch.setattr(yamlnode, "MAX_ALIAS_EXPANSION", 1000)
    # 5,000 nodes and no alias: a large file, nothing expanded, nothing to report
    assert yamlnode.compose("x: [" + ", ".join(["1"] * 5000) + "]\n") is not None
    # 100 nodes used 11 times: 1,000 extra nodes are fine, 1,100 are not
    items = ", ".join(["1"] * 99)
    assert yamlnode.compose(f"a: &a [{items}]\nb: [" + ", ".join(["*a"] * 10) + "]\n") is not None
    with pytest.raises(yamlnode.YAMLLoadError, match="more than 1,000 extra nodes"):
        yamlnode.compose(f"a: &a [{items}]\nb: [" + ", ".join(["*a"] * 11) + "]\n")


def test_directory_named_like_a_workflow_is_skipped_in_the_workflow_folder(tmp_path, monkeypatch, capsys):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "x.yml").mkdir()
    (folder / "good.yml").write_text(GOOD)
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache", "--extend-select", "missing-concurrency"]) == 1
    out, err = capsys.readouterr()
    assert "(1 file checked)" in out and err == ""


def test_directory_that_turns_up_where_a_file_was_found(tmp_path):
    (tmp_path / "x.yml").mkdir()
    report = runner.check_file(Target(str(tmp_path / "x.yml"), "x.yml"), runner.RunOptions())
    assert report.error == "x.yml: cannot read: is a directory"


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: os.symlink("missing.yml", p), "bad.yml: cannot read: broken symbolic link"),
        (lambda p: os.symlink(os.path.basename(p), p), "bad.yml: cannot read: symbolic link loop"),
        (lambda p: os.mkfifo(p), "bad.yml: cannot read: not a regular file"),
        (lambda p: os.symlink("/dev/zero", p), "bad.yml: cannot read: not a regular file"),
    ],
    ids=["broken-symlink", "symlink-loop", "fifo", "device"],
)
def test_unreadable_paths(lint, tmp_path, make, message):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no symbolic links or FIFOs on this platform")
    make(str(tmp_path / "bad.yml"))
    code, out, err = lint({}, paths=["bad.yml", "good.yml"])
    assert err == f"wflint: error: {message}\n"
    assert code == 2


def _as_unprivileged(args):
    """``args`` run without the capabilities that let root ignore permissions, or None if impossible."""
    if not ROOT:
        return list(args)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *args]
    probe = subprocess.run([*command[:2], sys.executable, "-c", "pass"], capture_output=True)
    return command if probe.returncode == 0 else None


def test_file_without_read_permission(tmp_path):
    (tmp_path / "good.yml").write_text(GOOD)
    (tmp_path / "secret.yml").write_text(FIXABLE)
    (tmp_path / "secret.yml").chmod(0)
    command = _as_unprivileged([sys.executable, "-m", "wflint", "--no-cache", "--min-savings", "0",
                                  "--extend-select", "missing-concurrency,missing-path-filters,missing-timeout", "good.yml", "secret.yml"])
    if command is None:
        pytest.skip("running as root, and setpriv cannot drop the capability to read any file")
    try:
        proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=60)
    finally:
        (tmp_path / "secret.yml").chmod(0o644)
    assert proc.stderr == "wflint: error: secret.yml: cannot read: permission denied\n"
    assert all(line in proc.stdout for line in GOOD_FINDINGS)
    assert proc.returncode == 2


def test_read_only_file_under_fix(lint, tmp_path):
    (tmp_path / "ro.yml").write_text(FIXABLE)
    (tmp_path / "ro.yml").chmod(0o444)
    (tmp_path / "other.yml").write_text(FIXABLE)
    code, out, err = lint({}, "--fix", paths=["good.yml", "other.yml", "ro.yml"])
    assert err == "wflint: error: ro.yml: cannot write: the file is read-only; not fixed\n"
    assert (tmp_path / "ro.yml").read_text() == FIXABLE
    assert stat.S_IMODE((tmp_path / "ro.yml").stat().st_mode) == 0o444
    assert "concurrency:" in (tmp_path / "other.yml").read_text()  # the other files were fixed
    assert "ro.yml:1:1: WFL001 [missing-concurrency]" in out  # still reported: not fixed
    assert code == 2


def test_file_changed_between_read_and_write_is_not_overwritten(tmp_path, monkeypatch):
    path = tmp_path / "race.yml"
    path.write_text(FIXABLE)
    real_fix = runner.fix_source

    def fix_while_someone_edits(*args, **kwargs):
        outcome = real_fix(*args, **kwargs)
        path.write_text(FIXABLE + "# edited meanwhile\n")
        return outcome

    monkeypatch.setattr(runner, "fix_source", fix_while_someone_edits)
    from wflint.engine import Settings
    from wflint.rules import find

    options = runner.RunOptions(fix=True, settings=Settings(rules=[find("missing-concurrency")]))
    report = runner.check_file(Target(str(path), "race.yml"), options)
    assert report.error == "race.yml: cannot write: the file changed since it was read; not overwritten"
    assert path.read_text() == FIXABLE + "# edited meanwhile\n"
    assert report.fixed == []


def test_fix_through_a_symlink_keeps_the_link(tmp_path, monkeypatch, capsys):
    (tmp_path / "real.yml").write_text(FIXABLE)
    os.symlink("real.yml", tmp_path / "link.yml")
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache", "--fix", "--extend-select", "missing-concurrency", "link.yml"]) != 2
    assert os.path.islink(tmp_path / "link.yml")
    assert "concurrency:" in (tmp_path / "real.yml").read_text()


def test_fix_keeps_the_file_mode(tmp_path, monkeypatch, capsys):
    path = tmp_path / "x.yml"
    path.write_text(FIXABLE)
    path.chmod(0o640)
    monkeypatch.chdir(tmp_path)
    assert main(["--no-cache", "--fix", "--extend-select", "missing-concurrency", "x.yml"]) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".wflint-")]  # no temporary file left


def test_unexpected_exception_while_checking_a_file_is_contained(lint, monkeypatch):
    real = runner.lint_source

    def explode(source, settings):
        if source.path == "boom.yml":
            raise RuntimeError("kaboom")
        return real(source, settings)

    monkeypatch.setattr(runner, "lint_source", explode)
    code, out, _ = lint({"boom.yml": FIXABLE})
    assert finding_line(out, "boom.yml") == (
        "boom.yml:1:1: WFL999 [internal-error] wflint failed on this file: RuntimeError: kaboom. "
        "This is a bug in wflint; please report it with the file (run with --verbose for the traceback)."
    )
    assert code == 2
