"""Reading a file safely, and turning offsets into 1-based locations.

Everything that comes out of a repository is untrusted: FIFOs would block,
device files never end, binaries and other encodings produce garbage. This
module decides once, per file, whether it is text we can scan; anything else
becomes a PL002 ``skipped-file`` problem naming the file and the reason.
"""

from __future__ import annotations

import codecs
import os
import stat
from bisect import bisect_right
from dataclasses import dataclass, field

from portlint.bindings import Location
from portlint.findings import Problem, Severity

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024  # bytes; config files are small, lockfiles are not

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(slots=True)
class SourceFile:
    path: str  # as shown to the user (relative POSIX path)
    text: str  # decoded, BOM removed, line endings untouched
    encoding: str = "utf-8"  # the codec that decoded it: utf-8, utf-8-sig, utf-16, utf-32
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            text = self.text
            find = text.find
            # Universal newlines: \r\n, \r and \n all end a line, as YAML says.
            i = 0
            n = len(text)
            while True:
                j = find("\n", i)
                k = find("\r", i, j if j >= 0 else n)
                if k >= 0:
                    nxt = k + 2 if text.startswith("\r\n", k) else k + 1
                elif j >= 0:
                    nxt = j + 1
                else:
                    break
                starts.append(nxt)
                i = nxt
            self._line_starts = starts
        return self._line_starts

    def location(self, offset: int, end: int | None = None) -> Location:
        """A 1-based location for a character offset (and optional end offset)."""
        line, col = self.line_col(offset)
        if end is None:
            return Location(self.path, line, col)
        end_line, end_col = self.line_col(end)
        return Location(self.path, line, col, end_line, end_col)

    def line_col(self, offset: int) -> tuple[int, int]:
        starts = self.line_starts
        idx = bisect_right(starts, offset) - 1
        return idx + 1, offset - starts[idx] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of :meth:`line_col` (1-based in, 0-based offset out)."""
        return self.line_starts[line - 1] + column - 1

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        start = starts[line - 1]
        stop = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:stop].rstrip("\r\n")


def decode(data: bytes, path: str) -> SourceFile | Problem:
    """Decode bytes as text, or explain why they are not text we scan.

    UTF-8 is the norm; a byte-order mark selects UTF-16 or UTF-32, which are
    decoded (Compose and kubectl read UTF-16 too) and reported as a PL002 note
    by :func:`encoding_note`, so a reader learns why other tools may choke.
    """
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding = name
            break
    if encoding == "utf-8" and b"\x00" in data[:8192]:
        return _skip(path, "binary file (NUL byte)")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        label = _LABELS.get(encoding, encoding.upper())
        return _skip(
            path,
            f"not valid {label} text (byte {exc.start}): not scanned",
            hint="save the file as UTF-8",
        )
    if "\x00" in text:
        return _skip(path, "binary file (NUL character)")
    return SourceFile(path=path, text=text, encoding=encoding)


_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}


def encoding_note(source: SourceFile) -> Problem | None:
    """A PL002 note for a file decoded from UTF-16/32: scanned, but said so."""
    if source.encoding not in ("utf-16", "utf-32"):
        return None
    label = _LABELS[source.encoding]
    return Problem(
        "PL002",
        Location(source.path, 1, 1),
        f"{label} text with a byte-order mark: decoded and scanned",
        hint="save it as UTF-8; JSON and many YAML tools read nothing else",
        severity=Severity.NOTE,
    )


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_OPEN_FLAGS |= getattr(os, "O_BINARY", 0)


def read_source(
    abs_path: str, display_path: str, max_size: int = DEFAULT_MAX_FILE_SIZE
) -> SourceFile | Problem:
    """Read one file without ever blocking, opening a FIFO or device, or reading a huge file.

    The type and size are checked before the file is opened, and again on the
    open descriptor, so a file swapped for a FIFO in between is still refused.
    ``O_NONBLOCK`` makes even that open return at once instead of waiting for a
    writer.
    """
    try:
        st = os.stat(abs_path)
    except OSError as exc:
        return _unreadable(display_path, exc)
    if not stat.S_ISREG(st.st_mode):
        return _skip(display_path, f"{_kind(st.st_mode)}, not a regular file: never opened")
    if st.st_size > max_size:
        return _too_large(display_path, st.st_size, max_size)
    try:
        fd = os.open(abs_path, _OPEN_FLAGS)
    except OSError as exc:
        return _unreadable(display_path, exc)
    try:
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return _skip(display_path, f"{_kind(st.st_mode)}, not a regular file: not read")
            if st.st_size > max_size:
                return _too_large(display_path, st.st_size, max_size)
            # Ask for the size fstat saw (plus one byte, to notice growth):
            # read(max_size + 1) would allocate 2 MiB per file, which costs
            # more than reading a whole config file.
            data = fh.read(min(st.st_size, max_size) + 1)
            if len(data) > st.st_size:  # grew since fstat: read on, to the cap
                data += fh.read(max_size + 1 - len(data))
    except OSError as exc:
        return _unreadable(display_path, exc)
    if len(data) > max_size:  # grew while we looked
        return _too_large(display_path, len(data), max_size)
    return decode(data, display_path)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a special file"


def _unreadable(path: str, exc: OSError) -> Problem:
    reason = exc.strerror or type(exc).__name__
    return _skip(path, f"cannot be read: {reason[:1].lower()}{reason[1:]}")


def _too_large(path: str, size: int, max_size: int) -> Problem:
    return _skip(
        path,
        f"larger than max-file-size ({size} > {max_size} bytes): not scanned",
        hint="raise `max-file-size` or exclude the file",
    )


def _skip(path: str, reason: str, hint: str | None = None) -> Problem:
    return Problem("PL002", Location(path, 1, 1), reason, hint=hint)
