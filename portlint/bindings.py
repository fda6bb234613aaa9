"""The value objects every scanner produces and every rule consumes.

Lines and columns are 1-based everywhere in portlint; scanners convert once,
at their boundary, so no rule or reporter ever adds one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["host", "container", "listen", "node", "service", "url"]
"""Where a port is bound.

- ``host``: published on the host (compose ``ports``, k8s ``hostPort``); collides.
- ``container``: inside a container or pod network namespace only.
- ``listen``: an application's own listening port (``.env`` ``PORT``, app config).
- ``node``: a Kubernetes ``nodePort``, bound on every node.
- ``service``: a Kubernetes Service's cluster port.
- ``url``: a reference to somebody else's port (``postgres://db:5432``); never a claim.
"""

ROLES: tuple[Role, ...] = ("host", "container", "listen", "node", "service", "url")

CLAIM_ROLES: frozenset[str] = frozenset({"host", "listen", "node"})
"""Roles that occupy a port on a shared machine, so two of them can collide."""

PROTOCOLS: tuple[str, ...] = ("tcp", "udp", "sctp")


@dataclass(frozen=True, slots=True, order=True)
class Location:
    path: str  # POSIX, relative to the current directory where possible
    line: int  # 1-based
    column: int  # 1-based, in characters (code points)
    end_line: int | None = None  # 1-based, inclusive
    end_column: int | None = None  # 1-based, exclusive

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def location_key(loc: Location) -> tuple[str, int, int, int | None, int | None]:
    """A location's own order as a plain tuple.

    Sorting by it gives exactly the dataclass order, but the comparisons run
    in C instead of through the generated ``__lt__`` (tens of thousands of
    bindings and findings are sorted per run).
    """
    return (loc.path, loc.line, loc.column, loc.end_line, loc.end_column)


@dataclass(frozen=True, slots=True)
class PortBinding:
    """One port number as written in one file, with what it means there.

    A compose mapping ``"8080:80"`` yields one ``host`` binding (port 8080,
    target 80). A container-only entry (``"3000"``) yields a ``container``
    binding: portlint never invents the random host port Compose would pick.
    """

    location: Location  # points at the port number as written
    kind: str  # scanner name: "compose", "dotenv", "kubernetes", ...
    owner: str  # compose service, k8s workload/container, env key owner
    role: Role
    port: int | None  # None when the host side is left to the engine
    end_port: int | None = None  # inclusive end of a range; None for one port
    protocol: str = "tcp"
    host_ip: str | None = None  # None means all interfaces
    target: int | None = None  # container side of a compose mapping
    target_end: int | None = None
    text: str = ""  # the literal as written: "8080", "${API_PORT:-8080}"
    key_path: tuple[str | int, ...] = ()  # ("services", "web", "ports", 0)
    profiles: tuple[str, ...] = ()
    project: str | None = None  # collision scope: one compose project or pod
    identities: tuple[str, ...] = ()  # names that say what software this is
    image: str | None = None
    origin: Location | None = None  # where an interpolated value was defined
    extra: tuple[tuple[str, str], ...] = field(default=())  # scanner-specific facts

    @property
    def last_port(self) -> int | None:
        return self.end_port if self.end_port is not None else self.port

    @property
    def anchor(self) -> str:
        """The key path as text: stable across reformatting, used by fingerprints."""
        out = ""
        for part in self.key_path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out

    def ports(self) -> range:
        if self.port is None:
            return range(0)
        return range(self.port, (self.last_port or self.port) + 1)
