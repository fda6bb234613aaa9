"""The IANA port registry: the snapshot shipped with portlint, or a newer one in the cache.

Loaded on first use and kept for the life of the process: ``portlint
--version`` and runs whose selected rules never ask about the registry do not
pay for it. Snapshots are produced by :mod:`portlint.registry.convert`;
``portlint registry update`` (:mod:`portlint.registry.update`) installs a
fresher one in the user cache folder, and whichever of the two has the later
registry date is used. Choosing costs one short read of each file's header.
"""

from __future__ import annotations

import os
import re
import sys
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Literal

from portlint.bindings import MAX_PORT
from portlint.source import read_bytes, read_text

RangeClass = Literal["system", "user", "dynamic"]

SYSTEM_MAX = 1023
USER_MAX = 49151
DYNAMIC_MIN = 49152  # RFC 6335: 49152-65535 is never assigned

_STATUS = {"a": "assigned", "r": "reserved", "u": "unassigned", "h": "historic"}
SNAPSHOT = os.path.join(os.path.dirname(__file__), "data", "iana-ports.tsv")
CACHE_FILE = "iana-ports.tsv"
SNAPSHOT_MARKER = b"#portlint-iana-snapshot\t"
MAX_SNAPSHOT_SIZE = 8 * 1024 * 1024  # the shipped snapshot is about 600 KB
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


@dataclass(frozen=True, slots=True)
class Entry:
    port: int
    end: int | None  # inclusive; None for a single port
    protocol: str  # "" when the record applies to every protocol
    status: str  # assigned / reserved / unassigned / historic
    name: str
    aliases: tuple[str, ...]
    description: str
    updated: str  # the record's own date, "" when IANA gives none

    @property
    def port_text(self) -> str:
        return f"{self.port}" if self.end is None else f"{self.port}-{self.end}"

    def applies_to(self, protocol: str | None) -> bool:
        return protocol is None or not self.protocol or self.protocol == protocol


def range_class(port: int) -> RangeClass:
    """IANA's three ranges (RFC 6335 section 6)."""
    if not 0 <= port <= MAX_PORT:
        raise ValueError(f"port {port} is out of range 0-{MAX_PORT}")
    if port <= SYSTEM_MAX:
        return "system"
    if port <= USER_MAX:
        return "user"
    return "dynamic"


RANGE_LABELS: dict[str, str] = {
    "system": "system (well-known) range 0-1023",
    "user": "registered (user) range 1024-49151",
    "dynamic": "dynamic/private range 49152-65535",
}


class Registry:
    """Lookups over one snapshot."""

    def __init__(
        self, date: str, source: str, entries: list[Entry], path: str = "", origin: str = ""
    ) -> None:
        self.date = date
        self.source = source
        self.path = path
        self.origin = origin  # "shipped" or "cache"
        self.entries = entries
        self._single: dict[int, list[Entry]] = {}
        ranges: list[Entry] = []
        for entry in entries:
            if entry.end is None:
                self._single.setdefault(entry.port, []).append(entry)
            else:
                ranges.append(entry)
        ranges.sort(key=lambda e: e.port)
        self._ranges = ranges
        self._range_starts = [e.port for e in ranges]
        self._max_span = max((e.end - e.port for e in ranges if e.end is not None), default=0)
        self._memo: dict[tuple[int, str | None], tuple[Entry, ...]] = {}

    def lookup(self, port: int, protocol: str | None = None) -> list[Entry]:
        """Every record covering ``port`` (for ``protocol``, if given), in registry order.

        Memoised: a large run asks about the same few thousand ports once per
        binding and per rule. Callers get a fresh list each time.
        """
        key = (port, protocol)
        cached = self._memo.get(key)
        if cached is None:
            cached = self._memo[key] = self._lookup(port, protocol)
        return list(cached)

    def _lookup(self, port: int, protocol: str | None) -> tuple[Entry, ...]:
        found = [e for e in self._single.get(port, ()) if e.applies_to(protocol)]
        idx = bisect_right(self._range_starts, port)
        while idx > 0:
            idx -= 1
            entry = self._ranges[idx]
            if entry.port < port - self._max_span:
                break
            if (
                entry.end is not None
                and entry.port <= port <= entry.end
                and entry.applies_to(protocol)
            ):
                found.append(entry)
        return tuple(sorted(found, key=lambda e: (e.port, e.protocol, e.name)))

    def assigned(self, port: int, protocol: str | None = None) -> list[Entry]:
        return [e for e in self.lookup(port, protocol) if e.status == "assigned"]

    def is_reserved(self, port: int, protocol: str | None = None) -> bool:
        return any(e.status == "reserved" for e in self.lookup(port, protocol))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for entry in self.entries:
            out[entry.status] = out.get(entry.status, 0) + 1
        return out


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return text.replace("\\\\", "\x00").replace("\\n", "\n").replace("\x00", "\\")


def parse_snapshot(text: str, path: str = "") -> Registry:
    lines = text.split("\n")
    header = lines[0].split("\t")
    if len(header) < 3 or header[0] != "#portlint-iana-snapshot" or header[1] != "1":
        raise ValueError(f"{path or 'snapshot'}: not a portlint registry snapshot (version 1)")
    entries: list[Entry] = []
    append = entries.append
    for line in lines[1:]:
        if not line:
            continue
        start, end, proto, status, name, aliases, updated, desc = line.split("\t", 7)
        append(
            Entry(
                int(start),
                int(end) if end else None,
                proto,
                _STATUS[status],
                name,
                tuple(aliases.split(",")) if aliases else (),
                _unescape(desc),
                updated,
            )
        )
    return Registry(header[2], header[3] if len(header) > 3 else "", entries, path)


def cache_dir(
    environ: dict[str, str] | os._Environ[str] | None = None, platform: str | None = None
) -> str:
    """The user cache folder for portlint: the platform's usual place.

    ``PORTLINT_CACHE_DIR`` wins everywhere (for CI and tests); then
    ``$XDG_CACHE_HOME/portlint`` (default ``~/.cache/portlint``) on Linux and
    other Unixes, ``~/Library/Caches/portlint`` on macOS and
    ``%LOCALAPPDATA%\\portlint`` on Windows.
    """
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if env.get("PORTLINT_CACHE_DIR"):
        return env["PORTLINT_CACHE_DIR"]
    home = env.get("HOME") or os.path.expanduser("~")
    if platform == "win32":
        base = env.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
    elif platform == "darwin":
        base = os.path.join(home, "Library", "Caches")
    else:
        xdg = env.get("XDG_CACHE_HOME", "")
        base = xdg if os.path.isabs(xdg) else os.path.join(home, ".cache")
    return os.path.join(base, "portlint")


def cache_path() -> str:
    return os.path.join(cache_dir(), CACHE_FILE)


def snapshot_date(path: str) -> str | None:
    """The registry date in a snapshot's header line, or None if it is not a snapshot."""
    try:
        head = read_bytes(path, MAX_SNAPSHOT_SIZE, prefix=4096).split(b"\n", 1)[0]
    except OSError:
        return None
    if not head.startswith(SNAPSHOT_MARKER):
        return None
    fields = head.decode("utf-8", "replace").rstrip("\n").split("\t")
    if len(fields) < 3 or fields[1] != "1" or not _DATE.match(fields[2]):
        return None
    return fields[2]


def snapshot_candidates() -> list[tuple[str, str]]:
    """(path, origin) of the snapshots to consider, the one to use first.

    The cache wins only with a strictly later registry date: an old or broken
    cache never hides a newer portlint release's shipped snapshot.
    """
    shipped = (SNAPSHOT, "shipped")
    cached = cache_path()
    cache_date = snapshot_date(cached)
    if cache_date is not None and cache_date > (snapshot_date(SNAPSHOT) or ""):
        return [(cached, "cache"), shipped]
    return [shipped]


MIN_RECORDS = 10_000  # IANA's registry has held more than this for decades


def read_registry() -> Registry:
    """The registry to use, read now (no memo; :func:`load` is the memoised one).

    A cache snapshot that does not parse, or that lost records (a truncated
    copy parses up to its last whole line), falls back to the shipped one:
    a short registry would call assigned ports free.
    """
    candidates = snapshot_candidates()
    for path, origin in candidates[:-1]:
        try:
            text = read_text(path, MAX_SNAPSHOT_SIZE)
            reg = parse_snapshot(text, path)
        except (OSError, ValueError, KeyError):
            continue
        if len(reg.entries) < MIN_RECORDS or not text.endswith("\n"):
            continue
        reg.origin = origin
        return reg
    path, origin = candidates[-1]
    with open(path, encoding="utf-8") as fh:
        reg = parse_snapshot(fh.read(), path)
    reg.origin = origin
    return reg


@cache
def load() -> Registry:
    """The registry in use (loaded once per process)."""
    return read_registry()


def lookup(port: int, protocol: str | None = None) -> list[Entry]:
    return load().lookup(port, protocol)
