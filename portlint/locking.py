"""One writer at a time for files several runs append to (the allocation file).

``suggest --claim`` reads the allocation file, chooses a port and writes the
file back. Two runs doing that at once both start from the same text: one
claim is lost, or both choose the same port and the file no longer loads.
So a claim holds an exclusive lock from the read to the rename.

The lock is ``flock`` on a separate file beside the target (``ports.toml.lock``):
the target itself is replaced by a rename, and a lock on the replaced inode
would protect nothing. The lock file is never deleted: a run that unlinks it
while another waits on the old inode lets a third lock a new one, and two
runs would hold "the" lock at once. It is empty, and the kernel releases the
lock when its holder exits, however it exits, so it never goes stale.

POSIX only: on Windows the claim runs unlocked (portlint is Linux/macOS-first).
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from portlint.errors import UsageError
from portlint.safe_write import WriteFailed, WriteRefused, reason

LOCK_SUFFIX = ".lock"
LOCK_TIMEOUT = 10.0
"""Seconds to wait for another run's lock. A claim holds it for well under a
second; ten seconds of waiting means something is wrong, and saying so beats
hanging a pre-commit hook."""

_POLL = 0.02

if sys.platform == "win32":  # pragma: no cover - no flock; claims run unlocked

    def _try_lock(fd: int) -> bool:
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


def lock_path(path: str) -> str:
    """The lock file of ``path``: beside its real location, so a link and its
    target share one lock."""
    return os.path.realpath(path) + LOCK_SUFFIX


@contextmanager
def locked(path: str, *, shown: str, timeout: float | None = None) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` for the ``with`` block.

    The lock file is opened without following a link (a committed
    ``ports.toml.lock`` link must not create or open a file elsewhere) and
    without blocking (a FIFO planted there must not hang the run), and must be
    a regular file.
    """
    lock = lock_path(path)
    flags = os.O_RDWR | os.O_CREAT
    for name in ("O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC"):
        flags |= getattr(os, name, 0)
    try:
        fd = os.open(lock, flags, 0o666)
    except OSError as exc:
        raise WriteFailed(f"{shown}: cannot create the lock file {lock}: {reason(exc)}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise WriteRefused(f"{shown}: the lock file {lock} is not a regular file")
        wait = LOCK_TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + wait
        while True:
            try:
                if _try_lock(fd):
                    break
            except OSError as exc:  # e.g. ENOLCK on a file system without locks
                raise WriteFailed(f"{shown}: cannot lock {lock}: {reason(exc)}") from None
            if time.monotonic() >= deadline:
                raise UsageError(
                    f"{shown}: another portlint run has held the lock {lock} for "
                    f"{wait:g} seconds; nothing was claimed",
                    hint="try again when that run has finished",
                )
            time.sleep(_POLL)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
