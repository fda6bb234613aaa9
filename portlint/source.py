"""Reading a file safely, and turning offsets into 1-based locations.

Everything that comes out of a repository is untrusted: FIFOs would block,
device files never end, binaries and other encodings produce garbage. This
module decides once, per file, whether it is text we can scan; anything else
becomes a PL002 ``skipped-file`` problem naming the file and the reason.
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

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
        starts = self._line_starts  # computed once; the property only on the first call
        if starts is None:
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

MAX_SETTINGS_FILE_SIZE = 1024 * 1024
"""Config files and allocation files: TOML written by hand, parsed by a pure-Python
parser. A thousand allocations take about 100 KB; ten times that is still a
sane file, and a megabyte parses in well under a second."""

MAX_BASELINE_SIZE = 32 * 1024 * 1024
"""Baselines are machine-written JSON (about 300 bytes a finding, C-parsed):
room for the findings limit of many runs, far below what would hurt memory."""


class Refused(OSError):
    """A file the guarded reader will not read; ``strerror`` says why, in words.

    An ``OSError``, so every caller that already reports "cannot read X:
    <strerror>" reports these too, with no new except clause.
    """

    def __init__(self, reason: str, *, kind: str = "", opened: bool = False) -> None:
        super().__init__(errno.EINVAL, reason)
        self.kind = kind  # "a FIFO (named pipe)", ...; "" when the size is the reason
        self.opened = opened  # refused on the open descriptor, not before opening


class TooLarge(Refused):
    def __init__(self, size: int, max_size: int) -> None:
        super().__init__(f"larger than {max_size} bytes ({size} bytes)")
        self.size = size
        self.max_size = max_size


_PSEUDO_DEVICES: frozenset[int] | None = None


def _pseudo_devices() -> frozenset[int]:
    """The devices of /proc and /sys: their "regular" files are the kernel talking.

    They report size 0 and then produce whatever the kernel holds (a
    process's environment, in ``/proc/self/environ``), so they are refused
    like devices, whatever path or link leads to them.
    """
    global _PSEUDO_DEVICES
    if _PSEUDO_DEVICES is None:
        devices = set()
        try:
            ordinary = os.stat("/").st_dev  # where a container has no /sys, only a folder
        except OSError:
            ordinary = -1
        for folder in ("/proc", "/sys"):
            try:
                dev = os.stat(folder).st_dev
            except OSError:
                continue
            if dev != ordinary:
                devices.add(dev)
        _PSEUDO_DEVICES = frozenset(devices)
    return _PSEUDO_DEVICES


def _check(st: os.stat_result, max_size: int, opened: bool) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        raise Refused(f"{kind}, not a regular file", kind=kind, opened=opened)
    if st.st_dev in _pseudo_devices():
        kind = "a kernel file (/proc or /sys)"
        raise Refused(f"{kind}, not a regular file", kind=kind, opened=opened)
    if st.st_size > max_size:
        raise TooLarge(st.st_size, max_size)


def read_bytes(
    path: str, max_size: int, *, nofollow: bool = False, prefix: int | None = None
) -> bytes:
    """The bytes of a regular file of at most ``max_size`` bytes; else an ``OSError``.

    The one reader for every file portlint reads, scanned or not (config,
    baseline, allocations, env files, registry snapshots): a device never
    ends, a FIFO blocks until someone writes, procfs makes up its content,
    and a config file cannot be allowed to cost gigabytes. The type and size
    are checked before opening (a FIFO is never opened) and again on the open
    descriptor (a file swapped in between is still refused). ``O_NONBLOCK``
    makes even that open return at once. At most ``max_size + 1`` bytes are
    read, however the file grows. ``nofollow`` refuses a symbolic link as the
    last component: for a caller that resolved the path itself and decided
    about it (see :func:`confined`); ``prefix`` reads only that many bytes
    (a header), once the file passed the checks. Raises :class:`Refused` (or
    :class:`TooLarge`) for a file it will not read, and the ``OSError`` of
    the failed call for one it cannot.
    """
    _check(os.stat(path), max_size, opened=False)
    flags = _OPEN_FLAGS | (getattr(os, "O_NOFOLLOW", 0) if nofollow else 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        _check(st, max_size, opened=True)
        if prefix is not None:
            return _read_up_to(fd, prefix)
        # Ask for the size fstat saw (plus one byte, to notice growth):
        # reading max_size + 1 would allocate the whole cap for every small file.
        data = _read_up_to(fd, min(st.st_size, max_size) + 1)
        if len(data) > st.st_size:  # grew since fstat: read on, to the cap
            data += _read_up_to(fd, max_size + 1 - len(data))
    finally:
        os.close(fd)
    if len(data) > max_size:  # grew while we looked
        raise TooLarge(len(data), max_size)
    return data


def _read_up_to(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd``, fewer only at its end: plain ``os.read`` calls,
    without the buffered file object each read of a small file would build."""
    parts: list[bytes] = []
    got = 0
    while got < size:  # a short read is not yet the end: only an empty one is
        more = os.read(fd, size - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_text(path: str, max_size: int) -> str:
    """:func:`read_bytes` as UTF-8 text with universal newlines, as ``open(path).read()`` gives.

    Raises ``OSError`` (including :class:`Refused`) or ``UnicodeDecodeError``.
    """
    text = read_bytes(path, max_size).decode("utf-8")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def confined(path: str, roots: Sequence[str], folders: set[str] | None = None) -> str | None:
    """``path`` with its links resolved, if that lies inside one of ``roots``, else None.

    Files a repository names (a compose ``env_file`` or ``include``, a ``.env``
    that is a symbolic link, ``env-files`` in its config) stay inside the
    project: ``/etc/...``, ``../..``, ``~`` and a committed link to outside
    are refused, and so is anything under a ``.git`` folder, where a checkout
    keeps its credentials. ``roots`` are real paths (``os.path.realpath``).
    ``folders``: a caller's memo of the folders below a root already found to
    be folders and not links, for the many paths of one run that share them.
    """
    real = _real_path(path, roots, folders)
    for root in roots:
        try:
            rel = os.path.relpath(real, root) if real != root else ""
        except ValueError:  # another drive, on Windows
            continue
        parts = rel.split(os.sep)
        if parts[0] != ".." and not os.path.isabs(rel) and ".git" not in parts:
            return real
    return None


def _real_path(path: str, roots: Sequence[str], folders: set[str] | None = None) -> str:
    """``os.path.realpath(path)``, resolving only the part below a root when it can.

    A compose scan looks for five env files per folder, most of them absent,
    and ``realpath`` tests every component from ``/`` down, each time. A root
    is real already, so a normalised absolute path written below one is
    resolved once none of its components below the root is a link: each is
    ``lstat``-ed, and a link among them sends the whole path to ``realpath``.
    A component that cannot be ``lstat``-ed (missing, or not a folder) ends
    the walk, as it ends ``realpath``'s: nothing below it exists to be a link.
    A folder in ``folders`` is not asked again; one found is added to it.
    """
    # normpath keeps a leading "//" (POSIX leaves it to the system); realpath does not.
    if os.path.isabs(path) and os.path.normpath(path) == path and not path.startswith("//"):
        for root in roots:
            prefix = root if root.endswith(os.sep) else root + os.sep
            if not path.startswith(prefix):
                continue
            current = prefix
            parts = path[len(prefix) :].split(os.sep)
            last = len(parts) - 1
            for i, part in enumerate(parts):
                current = current + part
                if folders is not None and i < last and current in folders:
                    current += os.sep
                    continue
                try:
                    mode = os.lstat(current).st_mode
                except OSError:
                    return path
                if stat.S_ISLNK(mode):
                    return os.path.realpath(path)
                if folders is not None and i < last and stat.S_ISDIR(mode):
                    folders.add(current)
                current += os.sep
            return path
    return os.path.realpath(path)


def read_source(
    abs_path: str,
    display_path: str,
    max_size: int = DEFAULT_MAX_FILE_SIZE,
    *,
    nofollow: bool = False,
) -> SourceFile | Problem:
    """Read one file to scan through :func:`read_bytes`; a file it refuses is a PL002 problem."""
    try:
        data = read_bytes(abs_path, max_size, nofollow=nofollow)
    except TooLarge as exc:
        return _too_large(display_path, exc.size, max_size)
    except Refused as exc:
        when = "not read" if exc.opened else "never opened"
        return _skip(display_path, f"{exc.kind}, not a regular file: {when}")
    except OSError as exc:
        return _unreadable(display_path, exc)
    return decode(data, display_path)


def read_stream(stream: BinaryIO, display_path: str, max_size: int) -> SourceFile | Problem:
    """Standard input (``portlint check -``) as :func:`read_source` reads a file.

    The same limits: at most ``max_size`` bytes are kept (one more is read,
    to notice a longer stream, which is then refused unread to the end), and
    the bytes go through :func:`decode` (NUL, UTF-8, byte-order marks). A
    stream has no size to check first, so the size in the reason is a bound.
    """
    try:
        data = stream.read(max_size + 1)
    except OSError as exc:
        return _unreadable(display_path, exc)
    if len(data) > max_size:
        return _skip(
            display_path,
            f"larger than max-file-size (more than {max_size} bytes): not scanned",
            hint="raise `max-file-size`",
        )
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
