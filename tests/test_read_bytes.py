"""Reading a file: regular files only, never blocking, never more than the limit."""

import errno
import os

import pytest

from wflint import siblings
from wflint.source import MAX_BYTES, read_bytes


def test_a_regular_file_is_read_whole(tmp_path):
    path = tmp_path / "ci.yml"
    path.write_bytes(b"on: push\n" * 10_000)
    assert read_bytes(str(path)) == b"on: push\n" * 10_000
    (tmp_path / "empty.yml").write_bytes(b"")
    assert read_bytes(str(tmp_path / "empty.yml")) == b""


def test_at_most_the_limit_is_read(tmp_path):
    path = tmp_path / "big.yml"
    path.write_bytes(b"x" * (MAX_BYTES + 5000))
    assert len(read_bytes(str(path))) == MAX_BYTES + 1
    assert read_bytes(str(path), limit=10) == b"x" * 10


def test_a_folder_a_fifo_and_a_missing_file_are_errors(tmp_path):
    with pytest.raises(IsADirectoryError):
        read_bytes(str(tmp_path))
    os.mkfifo(tmp_path / "fifo.yml")
    with pytest.raises(OSError) as caught:
        read_bytes(str(tmp_path / "fifo.yml"))  # refused at once: no writer is waited for
    assert caught.value.errno == errno.EINVAL
    with pytest.raises(FileNotFoundError):
        read_bytes(str(tmp_path / "missing.yml"))


def test_a_fifo_among_the_siblings_is_left_out(tmp_path):
    (tmp_path / "a.yml").write_text("on: push\n")
    os.mkfifo(tmp_path / "b.yml")
    found = list(siblings.each((str(tmp_path), "")))
    assert [s.file for s in found] == ["a.yml"]
