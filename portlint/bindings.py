"""The value objects every scanner produces and every rule consumes.

Lines and columns are 1-based everywhere in portlint; scanners convert once,
at their boundary, so no rule or reporter ever adds one.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Literal, TypeVar

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

MAX_PORT = 65535
"""The largest port number; 0 is a port only where a scanner's format allows it."""

NamespaceKind = Literal["host", "container", "pod", "cluster-service", "unknown"]


@dataclass(frozen=True, slots=True, order=True)
class Namespace:
    """The network namespace a port listens in: only ports in one namespace can collide.

    - ``host``: the machine's own (compose published ``ports``,
      ``network_mode: host``, k8s ``hostPort``/``hostNetwork``, ``nodePort``s,
      devcontainer forwards); ``id`` is ``""``: portlint knows one host.
    - ``container``: one compose container's own; ``id`` is
      ``"<project>/<service>"`` (``network_mode: service:X`` joins X's).
    - ``pod``: one Kubernetes pod's, shared by its containers; ``id`` is the
      manifest's folder and the binding's ``project`` (``deploy:k8s:ns/Kind/name``):
      a workload of the same name in another folder is another application.
      A Helm chart's values are its pods' (``helm:<chart folder>``).
    - ``cluster-service``: one Service's ClusterIP; ``id`` as for ``pod``.
    - ``unknown``: the file does not say (an app's ``PORT``, a Dockerfile
      ``EXPOSE``, a port key in a config file); ``id`` is ``""``.
    """

    kind: NamespaceKind
    id: str = ""


HOST = Namespace("host")
UNKNOWN = Namespace("unknown")


def namespace_for_role(role: Role) -> Namespace | None:
    """The namespace a binding of ``role`` listens in when the file says nothing more.

    Host and node ports are the host's; a reference listens nowhere; anything
    else (an app's ``PORT``, a container-side key in a config file) is in a
    namespace the file does not name.
    """
    if role in ("host", "node"):
        return HOST
    return None if role == "url" else UNKNOWN


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
class Setting:
    """One word of a command line, or one variable, of the program behind a binding.

    ``kind`` is ``"arg"`` (compose ``command``/``entrypoint``, Kubernetes
    ``command``/``args``: one entry per list item, or the whole string) or
    ``"env"`` (``KEY=value``, as written after interpolation). The exposure
    rules read them for flags that turn protection off.
    """

    kind: Literal["arg", "env"]
    text: str
    location: Location

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", _text(self.text))  # ``DEBUG=1`` in a thousand services


@dataclass(frozen=True, slots=True)
class Edit:
    """One exact text replacement: what ``portlint check --fix`` writes.

    Fixes are edits at spans the scanners recorded, never a re-serialisation
    of the file, so comments, quoting, indentation and line endings outside
    the span stay byte for byte. Defined beside :class:`Location` because a
    scanner may know an edit before any rule runs (where a host IP would go).
    """

    location: Location  # the span replaced: start, and end_line/end_column (exclusive); an
    # insertion has end == start
    replacement: str
    expect: str | None = None  # the text the span must hold; the fix is refused otherwise
    # (the file changed since the scan, or the span was not what the rule assumed)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "replacement", _text(self.replacement))
        if self.expect is not None:
            put(self, "expect", _text(self.expect))


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
    # Evidence that a compose project runs with others (PL402): pairs of
    # ("external_network", name), ("container_name", name) and ("refers", host)
    # - a network it joins, its own container name, another's it names.
    together: tuple[tuple[str, str], ...] = ()
    host: str | None = None
    """The host name written with the port (a URL's host, ``db`` in ``db:5432``, a sibling
    ``host:`` key's value): with it a listening-looking port is known to be another
    machine's (see ``scanners.direction``)."""
    namespace: Namespace | None = None
    """Where ``port`` listens; ``None`` for a reference (role ``url``, or a
    Kubernetes reference by name), which listens nowhere."""
    target_namespace: Namespace | None = None
    """Where ``target`` listens when no binding of its own declares it: a
    compose mapping's container side. (A k8s ``hostPort``'s target is its
    ``containerPort``, a binding of its own, so it stays ``None``.)"""
    service: str | None = None  # the compose service this binding belongs to
    project_dir: str | None = None  # the compose project's folder ("." at the root)
    env_files: tuple[str, ...] = ()  # the compose service's ``env_file:`` paths
    env_key: str | None = None  # the variable of an env file (``.env``) that holds the port
    k8s_object: str | None = None  # the Kubernetes object, "Kind/name" (the pod's workload)
    container: str | None = None  # the Kubernetes container
    container_group: str | None = None  # "containers", "initContainers", "ephemeralContainers"
    port_name: str | None = None  # the port's own name (k8s ``name:``)
    ref: str | None = None  # a reference by name: "targetPort", "ingress", "probe"
    ref_name: str | None = None  # the port name such a reference names
    host_os: str | None = None
    """The host operating system the files show this binding runs on (``"linux"``
    when its compose file bind-mounts a host folder that only a Linux host has),
    None when they do not say."""
    editor_forward: bool = False
    """An editor forwards it from the host's localhost only (devcontainer
    ``forwardPorts``, VS Code's ``remote.localPortHost`` default), whatever
    ``host_ip`` says."""
    settings: tuple[Setting, ...] = ()
    """The command-line words and variables of the service or container the
    binding belongs to (compose, Kubernetes), with their locations."""
    exposure: str | None = None
    """How a Kubernetes port reaches beyond the cluster: ``"LoadBalancer"``,
    ``"NodePort"`` or ``"externalIPs"`` on a Service's port, ``"Ingress"`` or
    ``"HTTPRoute"`` on a route's reference to a Service (whose name then joins
    ``identities``); None when it does not."""
    loopback: Edit | None = None
    """The edit that publishes this binding on 127.0.0.1 instead, keeping the rest
    of the entry (compose ``ports`` written in the file scanned); None when the
    scanner cannot place one."""

    def __post_init__(self) -> None:
        # Equal values (``"tcp"``, ``("services", "web", "ports", 0)``, the namespace of
        # all of one service's bindings) become one object: a 100,000-file run holds
        # hundreds of thousands of bindings until its last rule.
        put = object.__setattr__
        put(self, "text", _text(self.text))
        put(self, "owner", _text(self.owner))
        put(self, "protocol", _text(self.protocol))
        put(self, "key_path", _same_words(self.key_path))
        if self.identities:
            put(self, "identities", _same_words(self.identities))
        if self.profiles:
            put(self, "profiles", _same_words(self.profiles))
        if self.env_files:
            put(self, "env_files", _same_words(self.env_files))
        if self.together:
            put(self, "together", _same(self.together))
        if self.namespace is not None:
            put(self, "namespace", _same(self.namespace))
        if self.target_namespace is not None:
            put(self, "target_namespace", _same(self.target_namespace))
        for name in _OPTIONAL_TEXTS:
            value = getattr(self, name)
            if value is not None:
                put(self, name, _text(value))

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


_OPTIONAL_TEXTS = (
    "host_ip",
    "project",
    "image",
    "host",
    "service",
    "project_dir",
    "env_key",
    "k8s_object",
    "container",
    "port_name",
    "exposure",
)

_SHARED: dict[object, object] = {}
"""One object per equal tuple or namespace of recent bindings. Most such values repeat
within one file or service (its namespace, its identities); the few every file
repeats come back right after the table is emptied, which it is every
_SHARED_LIMIT values: a table of every distinct value would cost more than it saves."""

_SHARED_LIMIT = 1 << 12

T = TypeVar("T")


def _same(value: T) -> T:
    found = _SHARED.get(value)
    if found is None:
        if len(_SHARED) >= _SHARED_LIMIT:
            _SHARED.clear()
        _SHARED[value] = found = value
    return found  # type: ignore[return-value]


W = TypeVar("W", bound=tuple[object, ...])


def _same_words(value: W) -> W:
    """``_same`` for a tuple of words: a new one is stored with its strings interned."""
    found = _SHARED.get(value)
    if found is None:
        if len(_SHARED) >= _SHARED_LIMIT:
            _SHARED.clear()
        found = tuple(sys.intern(v) if type(v) is str else v for v in value)
        _SHARED[found] = found
    return found  # type: ignore[return-value]


def _text(value: str) -> str:
    return sys.intern(value) if type(value) is str else value
