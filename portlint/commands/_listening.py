"""Is anything listening on a port on this machine right now?

Read from the kernel's socket tables rather than by trying to bind, so asking
never disturbs a running service and needs no privileges. On Linux the
owning process is found through ``/proc/<pid>/fd``, which shows only the
caller's own processes unless it is root; for the others the table still
gives the owner's uid, so they are reported as another user's process,
without a name. Other systems answer "unknown" instead of guessing.

The tables are those of the caller's network namespace: a port published by
a container is seen here only when the engine holds it on the host (Docker's
``docker-proxy``); ``commands._docker`` asks the engine for the rest.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

_TCP_LISTEN = "0A"
_UDP_UNCONNECTED = "07"
_TABLES = (("tcp", "tcp"), ("tcp", "tcp6"), ("udp", "udp"), ("udp", "udp6"))


@dataclass(frozen=True, slots=True)
class Listener:
    protocol: str  # "tcp" or "udp"
    address: str  # as the kernel holds it: "127.0.0.1", "::", "::ffff:10.0.0.1"
    port: int
    pid: int | None = None
    process: str | None = None
    uid: int | None = None  # the socket's owner, from the table (None: not read)

    @property
    def other_user(self) -> bool:
        """A socket whose process this user may not look into (its name stays hidden)."""
        return self.pid is None and self.uid is not None and self.uid != os.geteuid()

    def who(self) -> str:
        if self.pid is not None:
            return f"{self.process} (pid {self.pid})"
        if self.other_user:
            return f"another user's process (uid {self.uid})"
        return "an unknown process"

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


def _socket_owners(wanted: set[str]) -> dict[str, tuple[int, str]]:
    """The process holding each socket inode in ``wanted`` that this user may see."""
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
            if not target.startswith("socket:["):
                continue
            inode = target[8:-1]
            if inode in wanted and inode not in owners:
                try:
                    with open(f"/proc/{pid}/comm", encoding="utf-8") as fh:
                        name = fh.read().strip()
                except OSError:
                    name = "?"
                owners[inode] = (int(pid), name)
        if len(owners) == len(wanted):
            break
    return owners


def _table_rows(protocol: str | None) -> list[tuple[str, str, int, int, str]]:
    """(protocol, address, port, uid, inode) of every bound-and-waiting socket."""
    found: list[tuple[str, str, int, int, str]] = []
    for proto, table in _TABLES:
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
            if (proto == "tcp" and state != _TCP_LISTEN) or (
                proto == "udp" and state != _UDP_UNCONNECTED
            ):
                continue
            uid = int(fields[7]) if fields[7].isdigit() else -1
            found.append((proto, _hex_address(addr), int(port_hex, 16), uid, fields[9]))
    return found


def all_listeners(protocol: str | None = None) -> list[Listener]:
    """Every TCP socket in LISTEN and every unconnected UDP socket, with its owner."""
    rows = _table_rows(protocol)
    if not rows:
        return []
    owners = _socket_owners({row[4] for row in rows})
    out = set()
    for proto, address, port, uid, inode in rows:
        pid, name = owners.get(inode, (None, None))
        out.add(Listener(proto, address, port, pid, name, None if uid < 0 else uid))
    return sorted(out, key=lambda item: (item.port, item.protocol, item.address, item.pid or 0))


def listeners(port: int, protocol: str | None = None) -> list[Listener]:
    """Sockets bound to ``port`` (TCP in LISTEN, UDP unconnected)."""
    rows = [row for row in _table_rows(protocol) if row[2] == port]
    if not rows:
        return []
    owners = _socket_owners({row[4] for row in rows})
    out = []
    for proto, address, p, _uid, inode in rows:
        pid, name = owners.get(inode, (None, None))
        out.append(Listener(proto, address, p, pid, name))
    return sorted(set(out), key=lambda item: (item.protocol, item.address))
