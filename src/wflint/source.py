"""A workflow file's text: decoding, byte-order mark, line endings and positions.

Every offset in wflint is a character offset into ``Source.text``: the decoded
file without its byte-order mark.  ``Source.encode`` turns an edited text back
into bytes with the original mark and encoding, so an edit touches only the
characters it names.
"""

from __future__ import annotations

import bisect
import codecs
import errno
import os
import re
import stat
from itertools import accumulate
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Line breaks as an editor (and GitHub's annotations) count them.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


# Real workflows are well under 200 KB; past this size a file is not loaded at all.
MAX_BYTES = 2 * 1024 * 1024

# A FIFO opened without O_NONBLOCK would wait for a writer; with it, it opens and is refused.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)


def read_bytes(path: str, limit: int = MAX_BYTES + 1) -> bytes:
    """At most ``limit`` bytes of the regular file at ``path`` (``MAX_BYTES + 1``: enough to
    tell it is too large).  OSError for anything else: IsADirectoryError for a folder, EINVAL
    for a FIFO or a device (which would block, or never end).

    One open, one status and the reads (``open(path, "rb").read(n)`` also asks whether the
    file is a terminal, seeks, and maps a buffer of ``n`` bytes).
    """
    if os.name != "posix":  # pragma: no cover - Windows cannot open a folder to ask what it is
        _refuse_unless_regular(os.stat(path).st_mode)
        with open(path, "rb") as handle:
            return handle.read(limit)
    fd = os.open(path, _OPEN_FLAGS)
    try:
        status = os.fstat(fd)
        _refuse_unless_regular(status.st_mode)
        chunks = []
        left = limit
        while left > 0:
            asked = min(left, status.st_size + 1 if not chunks else 1 << 16)
            chunk = os.read(fd, asked)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            if len(chunk) < asked:
                break  # a regular file reads short only at its end: no read to hear it again
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


def _refuse_unless_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory")
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "not a regular file")


class DecodeError(ValueError):
    """The bytes are not text wflint can read.

    ``offset`` is the byte offset of the first bad byte and ``before`` the text
    decoded up to it, so the problem can be shown at its line and column.
    """

    def __init__(self, message: str, offset: int = 0, before: str = ""):
        super().__init__(message)
        self.offset = offset
        self.before = before


@dataclass
class Source:
    """Decoded file text plus what is needed to write it back byte for byte."""

    path: str
    text: str
    bom: bytes = b""
    encoding: str = "utf-8"
    _line_starts: Optional[List[int]] = field(default=None, repr=False, compare=False)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "Source":
        if len(data) > MAX_BYTES:
            raise DecodeError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB, too large to be a workflow; not loaded")
        bom, encoding = b"", "utf-8"
        for mark, name in _BOMS:
            if data.startswith(mark):
                bom, encoding = mark, name
                break
        mark = bom
        while mark and data.startswith(mark, len(bom)):  # a repeated mark stays with the first:
            bom += mark  # the C parser skips it without counting it, which would shift every offset
        body = data[len(bom):]
        if not bom and b"\x00" in body[:8192]:
            at = body.index(b"\x00")
            raise DecodeError(
                f"cannot read the file as text: binary file (NUL byte at byte offset {at}), not a YAML workflow",
                at,
                body[:at].decode("utf-8", errors="replace"),
            )
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError as exc:
            at = exc.start + len(bom)
            raise DecodeError(
                f"cannot read the file as text: not valid {encoding.upper()} (byte 0x{body[exc.start]:02x} at byte offset {at})",
                at,
                body[: exc.start].decode(encoding),
            ) from None
        return cls(path=path, text=text, bom=bom, encoding=encoding)

    def encode(self, text: Optional[str] = None) -> bytes:
        return self.bom + (self.text if text is None else text).encode(self.encoding)

    # -- line endings -------------------------------------------------------
    @property
    def newline(self) -> str:
        """The file's own line ending: the first one found, else ``\\n``."""
        match = _LINE_BREAK.search(self.text)
        return match.group(0) if match else "\n"

    # -- positions ----------------------------------------------------------
    @property
    def line_starts(self) -> List[int]:
        if self._line_starts is None:
            text = self.text
            if "\r" in text:
                self._line_starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]
            else:  # `\n` only: each line's length plus one, summed (no match objects)
                self._line_starts = list(accumulate(map((1).__add__, map(len, text.split("\n")[:-1])), initial=0))
        return self._line_starts

    def linecol(self, offset: int) -> Tuple[int, int]:
        """1-based line and column of a character offset."""
        if self._line_starts is None and "\r" not in self.text:
            # `\n` only: the line breaks before the offset, counted, without laying out every
            # line's start (most files are asked for one or two positions)
            text = self.text
            return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
        starts = self.line_starts
        index = bisect.bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        starts = self.line_starts
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def line_end(self, offset: int) -> int:
        """Offset of the line break ending the line that holds ``offset`` (or len(text))."""
        match = _LINE_BREAK.search(self.text, offset)
        return match.start() if match else len(self.text)

    def next_line_start(self, offset: int) -> Optional[int]:
        """Offset just after the line break ending the line of ``offset``; None at the last line."""
        match = _LINE_BREAK.search(self.text, offset)
        return match.end() if match else None
