"""``portlint port N``: everything portlint knows about one port number."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from portlint import registry
from portlint.listening import Listener


@dataclass(slots=True)
class PortInfo:
    port: int
    protocol: str | None
    range_class: str
    registry_date: str
    entries: list[registry.Entry]
    listening: list[Listener] | None  # None: not checked or not supported here
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def assigned(self) -> list[registry.Entry]:
        return [e for e in self.entries if e.status in ("assigned", "historic")]

    @property
    def reserved(self) -> bool:
        return any(e.status == "reserved" for e in self.entries)


def describe_port(port: int, protocol: str | None, listening: bool = True) -> PortInfo:
    reg = registry.load()
    found: list[Listener] | None = None
    if listening:
        from portlint import listening as sockets

        if sockets.supported():
            found = sockets.listeners(port, protocol if protocol in ("tcp", "udp") else None)
    return PortInfo(
        port=port,
        protocol=protocol,
        range_class=registry.range_class(port),
        registry_date=reg.date,
        entries=reg.lookup(port, protocol),
        listening=found,
    )


def _entry_text(entry: registry.Entry) -> str:
    proto = entry.protocol or "all protocols"
    names = ", ".join((entry.name, *entry.aliases)) if entry.name else "(no name)"
    desc = entry.description.replace("\n", " ")
    status = "" if entry.status == "assigned" else f" [{entry.status}]"
    return f"  {entry.port_text}/{proto}  {names}: {desc}{status}"


def render_text(info: PortInfo) -> str:
    label = f"{info.port}/{info.protocol}" if info.protocol else str(info.port)
    lines = [f"port {label}", f"  range: {registry.RANGE_LABELS[info.range_class]}"]
    if info.range_class == "dynamic":
        lines.append(
            "  IANA never assigns this range; operating systems hand it out to outgoing connections"
        )
    lines.append(f"IANA registry (as of {info.registry_date}):")
    if info.assigned:
        lines.extend(_entry_text(e) for e in info.assigned)
    elif info.reserved:
        lines.append("  reserved by IANA: not to be used")
    else:
        what = f" for {info.protocol}" if info.protocol else ""
        lines.append(f"  unassigned in the IANA registry{what} (as of {info.registry_date})")
    if info.assigned and info.reserved:
        lines.extend(_entry_text(e) for e in info.entries if e.status == "reserved")
    lines.append(f"  reserved: {'yes' if info.reserved else 'no'}")
    for title, rows in info.extra.items():
        lines.append(f"{title}:")
        lines.extend(f"  {row}" for row in rows)
    if info.listening is None:
        lines.append("listening now: not checked (unsupported on this system)")
    elif not info.listening:
        lines.append("listening now: nothing on this machine")
    else:
        lines.append("listening now:")
        lines.extend(f"  {item.describe()}" for item in info.listening)
    return "\n".join(lines) + "\n"


def render_json(info: PortInfo) -> str:
    data: dict[str, Any] = {
        "version": 1,
        "port": info.port,
        "protocol": info.protocol,
        "range": info.range_class,
        "registry_date": info.registry_date,
        "assigned": bool(info.assigned),
        "reserved": info.reserved,
        "iana": [
            {
                "port": e.port,
                "end_port": e.end,
                "protocol": e.protocol or None,
                "status": e.status,
                "name": e.name or None,
                "aliases": list(e.aliases),
                "description": e.description,
            }
            for e in info.entries
        ],
        "listening": None
        if info.listening is None
        else [
            {
                "protocol": item.protocol,
                "address": item.address,
                "pid": item.pid,
                "process": item.process,
            }
            for item in info.listening
        ],
    }
    data.update({key.replace(" ", "_"): value for key, value in info.extra.items()})
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def add_repository_sections(info: PortInfo, repo: str | None) -> None:
    """Well-known users, the team's allocation and uses in ``repo`` (None: skip the scan)."""
    import os

    from portlint import wellknown
    from portlint.config import resolve
    from portlint.registry.allocations import load_configured_allocations

    users = [
        f"{w.software} ({', '.join(w.names[:3])})"
        + (" [taken on macOS]" if w.macos else "")
        + (" [claimed by many programs]" if w.generic else "")
        for w in wellknown.lookup(info.port, info.protocol)
    ]
    info.extra["well-known users"] = users or ["none in portlint's table"]
    cwd = os.getcwd()
    config = resolve(cwd).config
    allocations = load_configured_allocations(config, cwd)
    if allocations is not None:
        protocols = (info.protocol,) if info.protocol else ("tcp", "udp", "sctp")
        found = [a for p in protocols if (a := allocations.find(info.port, p)) is not None]
        info.extra["team allocation"] = [
            f"{a.text} {a.service}" + (f" ({a.owner})" if a.owner else "") + f" at {a.where}"
            for a in found
        ] or [f"not allocated in {', '.join(allocations.paths)}"]
    if repo is None:
        return
    from portlint.suggest import repository_bindings

    uses = [
        b
        for b in repository_bindings([repo], config, cwd)
        if b.port is not None
        and (info.protocol is None or b.protocol == info.protocol)
        and (b.port <= info.port <= (b.last_port or b.port) or b.target == info.port)
    ]
    rows = [f"{b.location}  {b.role} {b.owner!r} ({b.text or b.port})" for b in uses[:20]]
    if len(uses) > 20:
        rows.append(f"... and {len(uses) - 20} more")
    info.extra["used in this repository"] = rows or ["nowhere"]
