"""Ports that widely deployed software listens on, from the table shipped with portlint.

The table (``portlint/data/wellknown.tsv``) is built by
``tools/build_wellknown.py`` from a survey of product documentation plus the
IANA ports of software people commonly run; each row carries its sources.
It is loaded once, on first use, so runs that never ask pay nothing.

Layer: registry. Like the IANA snapshot, it is shipped reference data about
port numbers that rules and commands consult; it imports nothing of portlint.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

TABLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "wellknown.tsv")

SENSITIVE_CLASSES = frozenset({"datastore", "cache", "broker", "search", "admin", "daemon"})
"""Classes whose ports should never face every interface (PL501)."""


@dataclass(frozen=True, slots=True)
class WellKnown:
    port: int
    end: int  # inclusive; equals port for a single port
    protocols: tuple[str, ...]
    software: str  # display name: "PostgreSQL"
    names: tuple[str, ...]  # identity names, canonical first: ("postgresql", "postgres", ...)
    klass: str  # datastore, cache, broker, search, admin, daemon, web, dev, ...
    flags: frozenset[str]  # generic, squat, macos
    note: str  # a hint specific to this software, "" when none
    sources: tuple[str, ...]  # URLs

    @property
    def key(self) -> str:
        return self.names[0]

    @property
    def generic(self) -> bool:
        """Many unrelated programs default to this port (3000, 8080): no owner to name."""
        return "generic" in self.flags

    @property
    def squat(self) -> bool:
        """A de facto user of a port that belongs to other software (Ray on 6379)."""
        return "squat" in self.flags

    @property
    def macos(self) -> bool:
        return "macos" in self.flags

    @property
    def host_agent(self) -> bool:
        """Runs on the machine itself whatever its class (node_exporter, syslog)."""
        return "host" in self.flags

    @property
    def sensitive(self) -> bool:
        return self.klass in SENSITIVE_CLASSES and not self.generic


class Table:
    def __init__(self, header: str, rows: list[WellKnown]) -> None:
        self.header = header
        self.rows = rows
        self._by_port: dict[int, list[WellKnown]] = {}
        for row in rows:
            for port in range(row.port, row.end + 1):
                self._by_port.setdefault(port, []).append(row)

    def lookup(self, port: int, protocol: str | None = None) -> list[WellKnown]:
        rows = self._by_port.get(port, ())
        return [r for r in rows if protocol is None or protocol in r.protocols]

    def __contains__(self, port: int) -> bool:
        return port in self._by_port


def parse_table(text: str) -> Table:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#portlint-wellknown\t1\t"):
        raise ValueError("not a portlint well-known ports table (version 1)")
    rows: list[WellKnown] = []
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        port, end, protocols, software, names, klass, flags, note, sources = line.split("\t")
        rows.append(
            WellKnown(
                port=int(port),
                end=int(end) if end else int(port),
                protocols=tuple(protocols.split(",")),
                software=software,
                names=tuple(names.split(",")),
                klass=klass,
                flags=frozenset(f for f in flags.split(",") if f),
                note=note,
                sources=tuple(sources.split()),
            )
        )
    return Table(lines[0].split("\t", 2)[2], rows)


@cache
def load() -> Table:
    with open(TABLE, encoding="utf-8") as fh:
        return parse_table(fh.read())


def lookup(port: int, protocol: str | None = None) -> list[WellKnown]:
    return load().lookup(port, protocol)
