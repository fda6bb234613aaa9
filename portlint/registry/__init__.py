"""The IANA port registry, from the snapshot bundled with portlint.

Loaded on first use and kept for the life of the process: ``portlint
--version`` and runs whose selected rules never ask about the registry do not
pay for it. The snapshot is produced by :mod:`portlint.registry.convert`.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Literal

RangeClass = Literal["system", "user", "dynamic"]

SYSTEM_MAX = 1023
USER_MAX = 49151
DYNAMIC_MIN = 49152  # RFC 6335: 49152-65535 is never assigned
MAX_PORT = 65535

_STATUS = {"a": "assigned", "r": "reserved", "u": "unassigned", "h": "historic"}
SNAPSHOT = os.path.join(os.path.dirname(__file__), "data", "iana-ports.tsv")


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

    def __init__(self, date: str, source: str, entries: list[Entry], path: str = "") -> None:
        self.date = date
        self.source = source
        self.path = path
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

    def lookup(self, port: int, protocol: str | None = None) -> list[Entry]:
        """Every record covering ``port`` (for ``protocol``, if given), in registry order."""
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
        return sorted(found, key=lambda e: (e.port, e.protocol, e.name))

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


def snapshot_candidates() -> list[str]:
    """Snapshots to consider, newest source first: the user cache, then the bundled one."""
    return [SNAPSHOT]


@cache
def load() -> Registry:
    """The registry in use (loaded once per process)."""
    path = SNAPSHOT
    with open(path, encoding="utf-8") as fh:
        return parse_snapshot(fh.read(), path)


def lookup(port: int, protocol: str | None = None) -> list[Entry]:
    return load().lookup(port, protocol)
