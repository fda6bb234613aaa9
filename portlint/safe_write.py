"""portlint's own writes: all or nothing, and never over somebody else's file.

Written to a temporary file in the target's folder, flushed to disk, then
renamed over the target, so a crash or a kill leaves either the old file or
the new one, never half of either. The target's permission bits are kept, a
symlinked target is written through (the link stays a link), and a target
that is not in portlint's own format is refused: a typo in ``-o`` must not
turn somebody's compose file into a baseline.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable

from portlint.errors import PortlintError

Validator = Callable[[bytes], bool]
"""Told the first bytes of an existing target, says whether portlint wrote it."""

HEAD_SIZE = 64 * 1024


class WriteRefused(PortlintError):
    """The target exists and is not a file portlint may replace."""


def starts_with(marker: bytes) -> Validator:
    """A validator for formats that announce themselves in their first bytes."""

    def check(head: bytes) -> bool:
        return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(marker)

    return check


def write_atomic(
    path: str,
    text: str | Iterable[str],
    *,
    is_ours: Validator | None = None,
    what: str = "a portlint file",
) -> None:
    """Replace ``path`` with ``text`` (a string, or chunks of one) in one rename.

    With ``is_ours``, an existing non-empty target is read first and the
    write is refused (:class:`WriteRefused`, exit 2) unless the validator
    recognises it as ``what``.
    """
    target = os.path.realpath(path)
    mode = _existing_mode(path, target, is_ours, what)
    if mode is None:  # a new file gets what open() would give it, not mkstemp's 0600
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=".portlint-", suffix=".tmp", dir=os.path.dirname(target))
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for chunk in (text,) if isinstance(text, str) else text:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_folder(os.path.dirname(target))


def _existing_mode(path: str, target: str, is_ours: Validator | None, what: str) -> int | None:
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteRefused(f"{path}: cannot inspect the existing file: {exc.strerror}") from None
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"{path}: refusing to replace something that is not a regular file")
    if is_ours is not None and st.st_size > 0:
        try:
            with open(target, "rb") as fh:
                head = fh.read(HEAD_SIZE)
        except OSError as exc:
            raise WriteRefused(f"{path}: cannot read the existing file: {exc.strerror}") from None
        if not is_ours(head):
            raise WriteRefused(
                f"{path}: refusing to replace a file that is not {what}",
                hint="move the file away or choose another output path",
            )
    return stat.S_IMODE(st.st_mode)


def _sync_folder(folder: str) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
