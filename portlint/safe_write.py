"""portlint's own writes: all or nothing, and never over somebody else's file.

Written to a temporary file in the target's folder, flushed to disk, then
renamed over the target, so a crash or a kill leaves either the old file or
the new one, never half of either. The target's permission bits are kept, a
symlinked target is written through (the link stays a link), and a target
that is not in portlint's own format is refused: a typo in ``-o`` must not
turn somebody's compose file into a baseline.

A write that fails (disk full, read-only folder, no permission) is a
:class:`WriteFailed` with the system's one-line reason, never a traceback. A
kill between the temporary file and the rename leaves a ``.portlint-*.tmp``
behind; the next write into that folder removes such leftovers once they are
clearly abandoned (see :func:`remove_stale_temporaries`).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable

from portlint.errors import PortlintError

Validator = Callable[[bytes], bool]
"""Told the first bytes of an existing target, says whether portlint wrote it."""

HEAD_SIZE = 64 * 1024


TEMP_PREFIX = ".portlint-"
TEMP_SUFFIX = ".tmp"
STALE_AFTER = 60.0
"""Seconds without a change after which a temporary file of ours is abandoned.

A live write touches its temporary file until the rename (the last write,
then fsync and chmod take well under a second), so a minute-old one belongs
to a run that was killed, also when it was written from another machine or
container sharing the folder, where its pid means nothing here."""

# mkstemp's names: the prefix (with the writer's pid since this version), 8 of
# [a-z0-9_], the suffix. Nothing else is ever removed.
_TEMP_NAME = re.compile(r"\.portlint-(?:(\d{1,10})-)?[a-z0-9_]{8}\.tmp\Z")


class WriteRefused(PortlintError):
    """The target exists and is not a file portlint may replace."""


class WriteFailed(PortlintError):
    """The system refused the write (disk full, read-only, permission denied)."""


def starts_with(marker: bytes) -> Validator:
    """A validator for formats that announce themselves in their first bytes."""

    def check(head: bytes) -> bool:
        return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(marker)

    return check


def write_atomic(
    path: str,
    text: str | bytes | Iterable[str],
    *,
    is_ours: Validator | None = None,
    what: str = "a portlint file",
    streams: bool = False,
) -> None:
    """Replace ``path`` with ``text`` (a string, or chunks of one) in one rename.

    ``bytes`` are written as they are (``check --fix`` keeps a file's BOM and
    line endings); text is written as UTF-8 with its line breaks untouched.

    With ``is_ours``, an existing non-empty target is read first and the
    write is refused (:class:`WriteRefused`, exit 2) unless the validator
    recognises it as ``what``. With ``streams`` (paths the user typed, such
    as ``--output-file /dev/stdout``), a character device or a FIFO is
    written to directly: there is no file to replace, and a rename over
    ``/dev/stdout`` can only fail.
    """
    if streams and _is_stream(path):
        _write_stream(path, text.decode("utf-8") if isinstance(text, bytes) else text, what)
        return
    target = os.path.realpath(path)
    mode = _existing_mode(path, target, is_ours, what)
    if mode is None:  # a new file gets what open() would give it, not mkstemp's 0600
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    folder = os.path.dirname(target)
    remove_stale_temporaries(folder)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=TEMP_SUFFIX, dir=folder
        )
    except OSError as exc:
        raise _failed(path, what, exc) from None
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                for chunk in (text,) if isinstance(text, str) else text:
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _failed(path, what, exc) from None
        raise
    _sync_folder(folder)


def ensure_inside(path: str, root: str, *, shown: str, hint: str) -> str:
    """``path``'s real location, refused unless it lies inside ``root`` (links resolved).

    For writes the repository asks for (its config's ``baseline`` and
    ``allocations``, a committed ``ports.toml``): a checkout must not make
    portlint write in the home folder of whoever runs it. Paths typed on the
    command line never come here.
    """
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
        return real
    leads = "" if os.path.abspath(path) == real else f" (it leads to {real})"
    raise WriteRefused(f"{shown}: refusing to write outside the project {base}{leads}", hint=hint)


def remove_stale_temporaries(folder: str, *, now: float | None = None) -> list[str]:
    """Delete abandoned ``.portlint-*.tmp`` files in ``folder``; the names removed.

    Only regular files of our exact naming, owned by this user, unchanged for
    :data:`STALE_AFTER` seconds, and, when the name carries a pid, whose
    process is gone on this machine. Age alone protects a writer on another
    machine or in another container (pids are not comparable there); the pid
    protects a writer here that is slow past the minute. A concurrent run may
    sweep the same folder: losing that race is a FileNotFoundError, ignored.
    """
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or now - st.st_mtime < STALE_AFTER:
            continue
        if uid is not None and st.st_uid != uid:
            continue
        if match.group(1) is not None and _alive(int(match.group(1))):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return sorted(removed)


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists here (unknown counts as alive: keep the file)."""
    if sys.platform == "win32":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        return True
    if pid <= 0:
        return False  # never a writer's pid; kill(0, ...) would mean our own group
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # EPERM: it exists, under another user
    return True


def _failed(path: str, what: str, exc: OSError) -> WriteFailed:
    return WriteFailed(f"{path}: cannot write {what}: {reason(exc)}")


def reason(exc: OSError) -> str:
    """The system's reason in a sentence: ``no space left on device``."""
    text = exc.strerror or str(exc) or type(exc).__name__
    return text[:1].lower() + text[1:]


def _is_stream(path: str) -> bool:
    try:
        mode = os.stat(path).st_mode  # follows /dev/stdout to the pipe itself
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _write_stream(path: str, text: str | Iterable[str], what: str) -> None:
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            for chunk in (text,) if isinstance(text, str) else text:
                fh.write(chunk)
    except OSError as exc:
        raise _failed(path, what, exc) from None


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
