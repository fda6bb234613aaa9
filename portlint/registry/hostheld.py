"""Ports the host operating system or a desktop service holds before any container starts.

The table (``portlint/data/hostheld.tsv``) is built by
``tools/build_hostheld.py``; each row names the holder, the platform, the
addresses it listens on, the release where it started (when a source says)
and its sources. Loaded once, on first use.

Layer: registry. Shipped reference data about port numbers, like the
well-known table; it imports nothing of portlint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

TABLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "hostheld.tsv")

PLATFORM_LABELS = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}


@dataclass(frozen=True, slots=True)
class HostHeld:
    port: int
    end: int  # inclusive; equals port for a single port
    protocols: tuple[str, ...]
    platform: str  # "linux", "macos", "windows"
    where: str  # "desktop", "server", "any": which installs hold it
    holder: str  # "systemd-resolved stub listener"
    addresses: tuple[str, ...]  # ("*",) every interface, ("lan",) each interface's own, or IPs
    since: str  # "macOS 12 Monterey"; "unknown" when no source says
    fix: str
    sources: tuple[str, ...]  # URLs

    @property
    def platform_label(self) -> str:
        return PLATFORM_LABELS.get(self.platform, self.platform)

    @property
    def every_interface(self) -> bool:
        return self.addresses == ("*",)


class Table:
    def __init__(self, header: str, rows: list[HostHeld]) -> None:
        self.header = header
        self.rows = rows
        self._by_port: dict[int, list[HostHeld]] = {}
        for row in rows:
            for port in range(row.port, row.end + 1):
                self._by_port.setdefault(port, []).append(row)

    def lookup(self, port: int, protocol: str | None = None) -> list[HostHeld]:
        rows = self._by_port.get(port, ())
        return [r for r in rows if protocol is None or protocol in r.protocols]


def parse_table(text: str) -> Table:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#portlint-hostheld\t1\t"):
        raise ValueError("not a portlint host-held ports table (version 1)")
    rows: list[HostHeld] = []
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        port, end, protocols, platform, where, holder, addresses, since, fix, sources = line.split(
            "\t"
        )
        rows.append(
            HostHeld(
                port=int(port),
                end=int(end) if end else int(port),
                protocols=tuple(protocols.split(",")),
                platform=platform,
                where=where,
                holder=holder,
                addresses=tuple(addresses.split(",")),
                since=since,
                fix=fix,
                sources=tuple(sources.split()),
            )
        )
    return Table(lines[0].split("\t", 2)[2], rows)


@cache
def load() -> Table:
    with open(TABLE, encoding="utf-8") as fh:
        return parse_table(fh.read())


def lookup(port: int, protocol: str | None = None) -> list[HostHeld]:
    return load().lookup(port, protocol)
