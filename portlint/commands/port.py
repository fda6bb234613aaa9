"""``portlint port N``: everything portlint knows about one port number."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from typing import Any

from portlint import registry
from portlint.bindings import PortBinding
from portlint.commands._listening import Listener
from portlint.errors import EXIT_CLEAN
from portlint.registry.wellknown import WellKnown


@dataclass(slots=True)
class PortInfo:
    port: int
    protocol: str | None
    range_class: str
    registry_date: str
    entries: list[registry.Entry]
    listening: list[Listener] | None  # None: not checked (see listening_note)
    extra: dict[str, Any] = field(default_factory=dict)
    listening_note: str = ""  # why the sockets were not looked at

    @property
    def reserved_for(self) -> list[str]:
        """Protocols IANA reserves this port for ("all" for a protocol-less record)."""
        return sorted({e.protocol or "all" for e in self.entries if e.status == "reserved"})

    @property
    def assigned(self) -> list[registry.Entry]:
        return [e for e in self.entries if e.status in ("assigned", "historic")]

    @property
    def reserved(self) -> bool:
        return any(e.status == "reserved" for e in self.entries)


def describe_port(port: int, protocol: str | None, listening: bool = True) -> PortInfo:
    reg = registry.load()
    found: list[Listener] | None = None
    note = "--no-listening"
    if listening:
        from portlint.commands import _listening as sockets

        note = "" if sockets.supported() else "this system has no /proc/net socket tables"
        if not note:
            found = sockets.listeners(port, protocol if protocol in ("tcp", "udp") else None)
    return PortInfo(
        port=port,
        protocol=protocol,
        range_class=registry.range_class(port),
        registry_date=reg.date,
        entries=reg.lookup(port, protocol),
        listening=found,
        listening_note=note,
    )


def entry_text(entry: registry.Entry) -> str:
    where = (
        f"{entry.port_text}/{entry.protocol}"
        if entry.protocol
        else (f"{entry.port_text} (all protocols)")
    )
    desc = entry.description.replace("\n", " ")
    if not entry.name:  # IANA's nameless rows are "Reserved" or "Unassigned" themselves
        extra = "" if desc.lower() in ("", entry.status) else f": {desc}"
        return f"  {where}  {entry.status}{extra}"
    names = ", ".join((entry.name, *entry.aliases))
    status = "" if entry.status == "assigned" else f" [{entry.status}]"
    return f"  {where}  {names}" + (f": {desc}" if desc else "") + status


def render_text(info: PortInfo) -> str:
    label = f"{info.port}/{info.protocol}" if info.protocol else str(info.port)
    lines = [f"port {label}", f"  range: {registry.RANGE_LABELS[info.range_class]}"]
    if info.range_class == "dynamic":
        lines.append(
            "  IANA never assigns this range; operating systems hand it out to outgoing connections"
        )
    lines.append(f"IANA registry (as of {info.registry_date}):")
    shown = [e for e in info.entries if e.status != "unassigned"]
    lines.extend(entry_text(e) for e in shown)
    # No record for a protocol means the port is not assigned for it.
    covered = {e.protocol for e in shown}
    wanted = [info.protocol] if info.protocol else ["tcp", "udp"]
    free = [p for p in wanted if p not in covered and "" not in covered]
    if free:
        partial = info.protocol or len(free) < len(wanted) or shown
        what = f" for {'/'.join(free)}" if partial else ""
        lines.append(f"  unassigned in the IANA registry{what} (as of {info.registry_date})")
    reserved = info.reserved_for
    if not reserved:
        lines.append("  reserved: no")
    elif "all" in reserved or set(wanted) <= set(reserved):
        lines.append("  reserved: yes (IANA keeps it unassigned on purpose)")
    else:
        lines.append(f"  reserved: for {'/'.join(reserved)} only")
    for title, rows in info.extra.items():
        lines.append(f"{title}:")
        lines.extend(f"  {row}" for row in rows)
    if info.listening is None:
        lines.append(f"listening now: not checked ({info.listening_note})")
    elif not info.listening:
        lines.append("listening now: nothing on this machine")
    else:
        lines.append("listening now:")
        lines.extend(f"  {item.describe()}" for item in info.listening)
    return "\n".join(lines) + "\n"


def _use(binding: PortBinding, port: int) -> str:
    """How a binding uses ``port``: its own role, or the container side of a mapping."""
    own = binding.port is not None and binding.port <= port <= (binding.last_port or binding.port)
    return binding.role if own else f"{binding.role} (container side)"


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
    data.update(
        {key.replace(" ", "_").replace("-", "_"): value for key, value in info.extra.items()}
    )
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def wellknown_text(w: WellKnown) -> str:
    """One well-known user of a port, as ``portlint port N`` and the port map show it."""
    return (
        f"{w.software} ({', '.join(w.names[:3])})"
        + (" [taken on macOS]" if w.macos else "")
        + (" [claimed by many programs]" if w.generic else "")
    )


def add_repository_sections(info: PortInfo, repo: str | None) -> None:
    """Well-known users, the team's allocation and uses in ``repo`` (None: skip the scan)."""
    import os

    from portlint.commands import load_config
    from portlint.registry import hostheld, wellknown
    from portlint.registry.allocations import load_configured_allocations

    users = [wellknown_text(w) for w in wellknown.lookup(info.port, info.protocol)]
    info.extra["well-known users"] = users or ["none in portlint's table"]
    held = [
        h.platform_label
        + ("" if h.where == "any" else f" {h.where}s")
        + f": {h.holder} on "
        + ("every interface" if h.every_interface else ", ".join(h.addresses))
        + ("" if h.since == "unknown" else f", since {h.since}")
        for h in hostheld.lookup(info.port, info.protocol)
    ]
    if held:  # PL601's table: only the few ports a host OS holds
        info.extra["held by the host"] = held
    cwd = os.getcwd()
    config = load_config(cwd).config
    allocations = load_configured_allocations(config.allocations, config.root, cwd)
    if allocations is not None:
        protocols = (info.protocol,) if info.protocol else ("tcp", "udp", "sctp")
        found = [a for p in protocols if (a := allocations.find(info.port, p)) is not None]
        info.extra["team allocation"] = [
            f"{a.text} {a.service}" + (f" ({a.owner})" if a.owner else "") + f" at {a.where}"
            for a in found
        ] or [f"not allocated in {', '.join(allocations.paths)}"]
    if repo is None:
        return
    from portlint.commands.suggest import repository_bindings

    uses = [
        b
        for b in repository_bindings([repo], config, cwd)
        if b.port is not None
        and (info.protocol is None or b.protocol == info.protocol)
        and (b.port <= info.port <= (b.last_port or b.port) or b.target == info.port)
    ]
    rows = [
        f"{b.location}  {_use(b, info.port)} {b.owner!r} ({b.text or b.port})" for b in uses[:20]
    ]
    if len(uses) > 20:
        rows.append(f"... and {len(uses) - 20} more")
    info.extra["used in this repository"] = rows or ["nowhere"]


def parse_port_argument(text: str) -> tuple[int, str | None]:
    from portlint.errors import UsageError

    number, _, proto = text.partition("/")
    if not number.isdigit():
        raise UsageError(f"{text!r} is not a port number", hint="write e.g. 5432 or 5432/tcp")
    port = int(number)
    if port > 65535:
        raise UsageError(f"port {port} is out of range 0-65535")
    protocol = proto.lower() or None
    if protocol not in (None, "tcp", "udp", "sctp", "dccp"):
        raise UsageError(f"unknown protocol {proto!r}", hint="use tcp, udp, sctp or dccp")
    return port, protocol


def run(args: argparse.Namespace) -> int:
    port, protocol = parse_port_argument(args.port)
    info = describe_port(port, protocol, listening=not args.no_listening)
    add_repository_sections(info, None if args.no_repo else args.repo)
    sys.stdout.write(render_json(info) if args.format == "json" else render_text(info))
    return EXIT_CLEAN
