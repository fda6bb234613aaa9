"""Is anything listening on a port on this machine right now?

Read from the kernel's socket tables rather than by trying to bind, so asking
never disturbs a running service and needs no privileges. On Linux the
owning process is found through ``/proc/<pid>/fd``, which shows only the
caller's own processes unless it is root; others are reported without a name.
Other systems answer "unknown" instead of guessing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

_TCP_LISTEN = "0A"
_UDP_UNCONNECTED = "07"


@dataclass(frozen=True, slots=True)
class Listener:
    protocol: str  # "tcp" or "udp"
    address: str
    port: int
    pid: int | None = None
    process: str | None = None

    def describe(self) -> str:
        who = f" by {self.process} (pid {self.pid})" if self.pid is not None else ""
        return f"{self.protocol} {self.address}:{self.port}{who}"


def supported() -> bool:
    return os.path.exists("/proc/net/tcp")


def _hex_address(text: str) -> str:
    import ipaddress
    import struct

    raw = bytes.fromhex(text)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(struct.pack("<I", int(text, 16))))
    words = struct.unpack("<4I", raw)
    return str(ipaddress.IPv6Address(b"".join(struct.pack(">I", w) for w in words)))


def _socket_owners() -> dict[str, tuple[int, str]]:
    owners: dict[str, tuple[int, str]] = {}
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return owners
    for pid in pids:
        fd_dir = f"/proc/{pid}/fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue  # another user's process: not ours to see
        for fd in fds:
            try:
                target = os.readlink(f"{fd_dir}/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inode = target[8:-1]
                if inode not in owners:
                    try:
                        with open(f"/proc/{pid}/comm", encoding="utf-8") as fh:
                            name = fh.read().strip()
                    except OSError:
                        name = "?"
                    owners[inode] = (int(pid), name)
    return owners


def listeners(port: int, protocol: str | None = None) -> list[Listener]:
    """Sockets bound to ``port`` (TCP in LISTEN, UDP unconnected)."""
    found: list[tuple[str, str, int, str]] = []
    tables = [("tcp", "tcp"), ("tcp", "tcp6"), ("udp", "udp"), ("udp", "udp6")]
    for proto, table in tables:
        if protocol is not None and proto != protocol:
            continue
        try:
            with open(f"/proc/net/{table}", encoding="ascii") as fh:
                lines = fh.read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) < 10:
                continue
            addr, _, port_hex = fields[1].partition(":")
            state = fields[3]
            if int(port_hex, 16) != port:
                continue
            if (proto == "tcp" and state != _TCP_LISTEN) or (
                proto == "udp" and state != _UDP_UNCONNECTED
            ):
                continue
            found.append((proto, _hex_address(addr), port, fields[9]))
    if not found:
        return []
    owners = _socket_owners()
    out = []
    for proto, address, p, inode in found:
        pid, name = owners.get(inode, (None, None))
        out.append(Listener(proto, address, p, pid, name))
    return sorted(set(out), key=lambda item: (item.protocol, item.address))
