"""What is dangerous to publish on every interface, from the table shipped with portlint.

The table (``portlint/data/exposure.tsv``) is built by ``tools/build_exposure.py``;
each row names a program by identity (image, service, container or chart
names), its ports, a class that sets the risk, and the URL the fact comes
from. Door rows are settings (flags, variables) that turn a program's
protection off. Loaded once, on first use.

Layer: registry. Shipped reference data, like the well-known table; it
imports nothing of portlint.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache

TABLE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "exposure.tsv")

CLASSES = ("control-plane", "datastore", "remote-desktop", "admin", "door")


@dataclass(frozen=True, slots=True)
class Exposure:
    klass: str  # one of CLASSES
    severity: str  # "error" or "warning"
    software: str  # display name: "Redis"
    names: tuple[str, ...]  # identity names; empty for a door that fits any program
    ports: tuple[tuple[int, int], ...]  # inclusive spans; empty: any published port
    protocols: tuple[str, ...]
    flags: frozenset[str]  # anyport
    auth: re.Pattern[str] | None  # settings that turn authentication on
    open_before: int | None  # first major version whose default is safe
    door: re.Pattern[str] | None  # for a door row: the setting that opens it
    door_in: str  # where the door is looked for: "arg", "env" or "any"; "" for a program
    note: str
    source: str  # an https URL

    @property
    def any_port(self) -> bool:
        """A one-port program: any port published from its container is the program."""
        return "anyport" in self.flags

    def has_port(self, port: int) -> bool:
        return any(lo <= port <= hi for lo, hi in self.ports)


def _ports(text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    for part in filter(None, text.split(",")):
        lo, _, hi = part.partition("-")
        spans.append((int(lo), int(hi or lo)))
    return tuple(spans)


def parse_table(text: str) -> tuple[Exposure, ...]:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#portlint-exposure\t1\t"):
        raise ValueError("not a portlint exposure table (version 1)")
    rows = []
    for line in lines[1:]:
        if not line or line.startswith("#"):
            continue
        klass, sev, software, names, ports, protos, flags, auth, before, door, note, src = (
            line.split("\t")
        )
        rows.append(
            Exposure(
                klass=klass,
                severity=sev,
                software=software,
                names=tuple(n for n in names.split(",") if n),
                ports=_ports(ports),
                protocols=tuple(protos.split(",")),
                flags=frozenset(f for f in flags.split(",") if f),
                auth=re.compile(auth) if auth else None,
                open_before=int(before) if before else None,
                door=re.compile(door.partition(":")[2]) if door else None,
                door_in=door.partition(":")[0],
                note=note,
                source=src,
            )
        )
    return tuple(rows)


@cache
def load() -> tuple[Exposure, ...]:
    with open(TABLE, encoding="utf-8") as fh:
        return parse_table(fh.read())


def programs(klass: str | None = None) -> tuple[Exposure, ...]:
    """The program rows (every class but doors), optionally of one class."""
    return tuple(r for r in load() if r.klass != "door" and (klass is None or r.klass == klass))


def doors() -> tuple[Exposure, ...]:
    return tuple(r for r in load() if r.klass == "door")
