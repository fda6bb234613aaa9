"""Generic key rules: when a number in an arbitrary config file is a port.

Shared by the YAML (Helm ``values.yaml``, app configs), TOML and JSON
walkers. Each walker reduces its tree to :class:`Leaf` objects (a scalar, its
key path and where it is written); :func:`classify` decides, from the key
alone, whether the leaf names a port. The bar is deliberately high, because a
linter that calls ``replicas: 3`` a port is one people switch off:

=============================  ==========================================  ======
key (last path segment)        value                                       role
=============================  ==========================================  ======
``port``, ``*Port``,           int or numeric string, 1-65535              listen
``*_port``, ``*-port``         (``nodePort``: role ``node``;
                               in YAML ``containerPort``, ``targetPort``:
                               role ``container``)
``ports``, ``*Ports``,         list items / mapping values that are        listen
``*_ports``, ``*-ports``       ints or numeric strings (a mapping key
                               becomes the binding's ``port_name``;
                               YAML ``containerPorts``: role ``container``)
``listen``, ``bind``,          ``host:port``, ``:port``, ``[v6]:port``     listen
``address``, ``addr``,         (``listen``/``bind``: a bare number too;
``*_address``, ``*Addr``,      a URL: its port)
``listen_*``, ``bind*``
anything                       a URL with an explicit port                 url
=============================  ==========================================  ======

A ``listen`` port whose key names a server elsewhere (``smtp.port``, a
probe's ``port``, a load balancer's ``servers``) is then turned into a
reference (role ``url``) by :func:`portlint.scanners.direction.apply`, the
one place the direction table is applied (``.env`` files use it too).

Port 0 and negative numbers under a port key mean "pick one" or "off" and are
not bindings; a number above 65535 is PL101. ``port_count``, ``passport``,
``report_interval``, ``transport`` and friends match none of the patterns.

The owner is the first meaningful segment of the key path: segments made only
of structural words (``service``, ``master``, ``ports``, ``http``...) are
skipped, so ``redis.master.service.ports.redis`` belongs to ``redis``; then
the prefix of the port key itself (``redis_port`` -> ``redis``); then the
file's own name for itself (package name, fly app, chart folder), which the
caller passes as ``default_owner``. Generic bindings have ``project=None``:
they are repo-wide claims, not members of a compose project or a pod.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from portlint.bindings import MAX_PORT, Location, Namespace, PortBinding, Role, namespace_for_role
from portlint.findings import Problem
from portlint.scanners import direction, problems
from portlint.scanners._hosts import ADDRESS as _ADDRESS
from portlint.scanners._hosts import names_another_host
from portlint.scanners._urls import url_matches
from portlint.source import SourceFile

KeyKind = Literal["port", "ports", "address"]

# Accepted key spellings (the last segment of the key path):
#   port PORT Port            -> port        httpPort HTTPPort      -> port (camel case)
#   db_port DB_PORT grpc-port -> port        ports forwardPorts     -> ports
#   listen bind address addr listen_addr bindAddress metrics-address -> address
# Not ports: port_count, passport, transport, report_interval, support, portal.
_CAMEL_PORT = re.compile(r"[A-Za-z0-9]Port\Z")
_CAMEL_PORTS = re.compile(r"[A-Za-z0-9]Ports\Z")
_CAMEL_ADDR = re.compile(r"[A-Za-z0-9](?:Addr|Address)\Z")
_ADDRESS_WORDS = frozenset({"listen", "bind", "address", "addr"})

_HOSTLIKE = re.compile(r"[A-Za-z.*\[]")

# ``scheme://[userinfo@]host:port`` followed by a path, query, fragment, a
# separator or the end; the host may be a name, an IPv4 or a bracketed IPv6
# address. ``http://host`` (no explicit port) is left alone: the default port
# was never written down.
URL = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://"
    r"(?:[^\s/?#@\"'<>]*@)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.~%-]+)"
    r":(?P<port>[0-9]{1,6})"
    r"(?=$|[/?#\s\"',;)\]}>|])"
)

# Words that structure a config rather than name a piece of software.
STRUCTURAL = frozenset(
    (
        "app",
        "application",
        "applications",
        "bind",
        "config",
        "configs",
        "configuration",
        "container",
        "containerport",
        "containerports",
        "containers",
        "data",
        "default",
        "defaults",
        "dev",
        "endpoint",
        "endpoints",
        "env",
        "environment",
        "expose",
        "exposed",
        "external",
        "extra",
        "extraenv",
        "global",
        "grpc",
        "health",
        "healthcheck",
        "host",
        "hosts",
        "http",
        "http_service",
        "https",
        "ingress",
        "instance",
        "internal",
        "leader",
        "listen",
        "listener",
        "listeners",
        "liveness",
        "livenessprobe",
        "local",
        "main",
        "master",
        "metrics",
        "network",
        "networking",
        "networks",
        "node",
        "options",
        "params",
        "port",
        "ports",
        "primary",
        "private",
        "probe",
        "probes",
        "properties",
        "public",
        "readiness",
        "readinessprobe",
        "replica",
        "replicas",
        "script",
        "scripts",
        "secondary",
        "server",
        "servers",
        "service",
        "services",
        "services_ports",
        "setting",
        "settings",
        "slave",
        "spec",
        "startup",
        "startupprobe",
        "svc",
        "target",
        "tcp",
        "tool",
        "tools",
        "udp",
        "values",
    )
)
# ``API_PORT`` -> api, ``redisUrl`` -> redis, ``DATABASE_DSN`` -> database
_OWNER_SUFFIX = re.compile(
    r"(?i:[_.-](?:port|url|uri|dsn|addr|address|host))\Z"
    r"|(?<=[a-z0-9])(?:Port|Url|Uri|Dsn|Addr|Address|Host)\Z"
)
_WORD_SPLIT = re.compile(r"[_\-.\s]+|(?<=[a-z0-9])(?=[A-Z])")


def key_kind(key: str) -> KeyKind | None:
    """What a key says about its value: a port, a list of ports, an address, or nothing."""
    low = key.lower()
    if low == "port" or low.endswith(("_port", "-port", ".port")) or _CAMEL_PORT.search(key):
        return "port"
    if low == "ports" or low.endswith(("_ports", "-ports")) or _CAMEL_PORTS.search(key):
        return "ports"
    if (
        low in _ADDRESS_WORDS
        or low.endswith(("_address", "-address", "_addr", "-addr"))
        or low.startswith(("listen_", "listen-", "bind_", "bind-"))
        or _CAMEL_ADDR.search(key)
        or (low.startswith(("listen", "bind")) and key[6 if low[0] == "l" else 4 :][:1].isupper())
    ):
        return "address"
    return None


def is_structural(segment: str) -> bool:
    words = [w.lower() for w in _WORD_SPLIT.split(segment) if w]
    return not words or segment.lower() in STRUCTURAL or all(w in STRUCTURAL for w in words)


def owner_for(key_path: tuple[str | int, ...], default_owner: str) -> str:
    """The first meaningful key of the path (see the module docstring)."""
    *parents, last = key_path or ("",)
    for segment in parents:
        if isinstance(segment, str) and not is_structural(segment) and key_kind(segment) is None:
            return segment
    if isinstance(last, str) and _OWNER_SUFFIX.search(last):
        prefix = _OWNER_SUFFIX.sub("", last)
        if prefix and not is_structural(prefix):
            return prefix.lower() if last.isupper() else prefix
    return default_owner


@dataclass(frozen=True, slots=True)
class Leaf:
    """One scalar of a parsed document, reduced to what the key rules need.

    ``start``/``end`` delimit the value as written in ``source.text`` (inside
    the quotes for a quoted string), so a regex run on that slice gives exact
    columns even when the parser decoded escapes.
    """

    key_path: tuple[str | int, ...]
    value: int | str  # an int for numbers, the decoded text for strings
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Context:
    """What every binding from one file shares."""

    source: SourceFile
    kind: str  # scanner name: "yaml", "toml", "json", ...
    default_owner: str
    identities: tuple[str, ...] = ()
    helm_values: bool = False  # a chart's values*.yaml: Service ports are cluster ports


def numeric(value: int | str) -> int | None:
    """An int, or a string of decimal digits (surrounding blanks allowed); else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = value.strip()
    if text[:1] in "+-" and text[1:].isdigit() and len(text) <= 4000:  # int() stops at 4300
        return int(text)
    return int(text) if text.isdigit() and len(text) <= 6 else None


def _parent_key(key_path: tuple[str | int, ...]) -> str | None:
    if len(key_path) >= 2 and isinstance(key_path[-2], str):
        return key_path[-2]
    return None


def classify(leaf: Leaf, ctx: Context) -> Iterator[PortBinding | Problem]:
    """Bindings (and PL101 problems) for one leaf, by the key rules."""
    last = leaf.key_path[-1] if leaf.key_path else None
    kind = key_kind(last) if isinstance(last, str) else None
    parent = _parent_key(leaf.key_path)
    if kind is None and parent is not None and key_kind(parent) == "ports":
        # ``ports: [80, 443]`` (last is an index) or ``ports: {http: 80}`` (last is a name)
        kind = "port"
    if kind == "port" or kind == "ports":
        number = numeric(leaf.value)
        if number is not None:
            yield from _number(leaf, ctx, number, kind_key=last, parent=parent)
            return
    if isinstance(leaf.value, str):
        if kind == "address" or kind == "port":
            found = _address(leaf, leaf.value, ctx, allow_bare=_bare_ok(last))
            if found is not None:
                yield from found
                return
        yield from urls(leaf, ctx, role="listen" if kind == "address" else "url")
    elif kind == "address" and _bare_ok(last):
        yield from _number(leaf, ctx, leaf.value, kind_key=last, parent=parent)


def _bare_ok(key: str | int | None) -> bool:
    """``listen: 8080`` and ``bind: 8080`` are ports; ``address: 8080`` is too odd to trust."""
    return isinstance(key, str) and key.lower().startswith(("listen", "bind"))


def _number(
    leaf: Leaf,
    ctx: Context,
    number: int,
    *,
    kind_key: str | int | None,
    parent: str | None,
) -> Iterator[PortBinding | Problem]:
    raw = ctx.source.text[leaf.start : leaf.end]
    stripped = raw.strip()
    start = leaf.start + raw.find(stripped) if stripped else leaf.start
    location = ctx.source.location(start, start + len(stripped))
    anchor = _anchor(leaf.key_path)
    if number <= 0:
        return  # 0 is "pick any free port", negatives are "off"
    if number > MAX_PORT:
        yield problems.out_of_range(location, f"port {number}", port=number, anchor=anchor)
        return
    name = None
    if isinstance(kind_key, str) and parent is not None and key_kind(parent) == "ports":
        name = kind_key
    is_node = isinstance(kind_key, str) and kind_key.lower() == "nodeport"
    role: Role = "listen"
    if is_node:
        role = "node"
    elif ctx.kind == "yaml" and _container_side(kind_key, parent):
        role = "container"
    elif (ctx.helm_values and _service_side(kind_key, parent)) or _fly_edge_port(
        ctx, leaf.key_path
    ):
        role = "service"  # a load balancer's own port: per Service, per Fly app
    yield _binding(leaf, ctx, location, role, number, stripped, port_name=name)


def _fly_edge_port(ctx: Context, key_path: tuple[str | int, ...]) -> bool:
    """``fly.toml``'s ``[[services.ports]] port``: the app's public port on Fly's proxy.

    Every Fly app has its own addresses, so ten apps that all serve 443 share
    nothing; the port the app itself listens on is ``internal_port``, which
    stays a listening claim.
    """
    name = ctx.source.path.rsplit("/", 1)[-1]
    return (
        ctx.kind == "toml"
        and name.startswith("fly")
        and name.endswith(".toml")
        and len(key_path) >= 3
        and key_path[0] == "services"
        and "ports" in key_path[1:]
    )


# Kubernetes words for the port inside a container, as Helm values spell them
# (``containerPort``, ``service.targetPort``, ``containerPorts: {http: 8080}``).
# ``metricsContainerPort`` and ``extraContainerPorts`` too.
_CONTAINER_SIDE = ("containerport", "targetport", "containerports")


def _service_side(kind_key: str | int | None, parent: str | None) -> bool:
    """A chart's ``service.port`` / ``servicePort``: the Kubernetes Service's own port.

    Every Service has its own cluster IP, so two charts that both expose port
    80 share nothing; the nodePort beside it is what reaches the nodes.
    """
    key = kind_key.lower() if isinstance(kind_key, str) else ""
    if key in ("serviceport", "service_port", "service-port"):
        return True
    return (
        key in ("port", "ports")
        and isinstance(parent, str)
        and (parent.lower().endswith("service"))
    )


def _container_side(kind_key: str | int | None, parent: str | None) -> bool:
    """In YAML, a port inside a container (role ``container``), not a machine-wide claim.

    Helm charts mirror the pod spec in their values: ``containerPort: 8080`` and
    the Service's ``targetPort: 8080`` are one number in the pod's own network
    namespace, as a manifest's ``containerPort`` is; reading them as listening
    ports made a chart collide with itself and with every compose file
    publishing 8080. Only YAML: netlify.toml's ``[dev] targetPort`` is the
    local dev server's port, a real listening claim.
    """
    for key in (kind_key, parent):
        if isinstance(key, str) and re.sub(r"[_.-]", "", key.lower()).endswith(_CONTAINER_SIDE):
            return True
    return False


def _address(
    leaf: Leaf, value: str, ctx: Context, *, allow_bare: bool
) -> list[PortBinding | Problem] | None:
    """The binding of a ``host:port`` value; None when the value is not an address."""
    match = _ADDRESS.match(value)
    if match is None:
        return None
    host = match.group("host")
    if host is None and not allow_bare:
        return None
    if host and not _HOSTLIKE.search(host):
        return None
    number = int(match.group("port"))
    digits = match.group("port")
    raw = ctx.source.text[leaf.start : leaf.end]
    at = raw.rfind(digits)
    start = leaf.start + (at if at >= 0 else 0)
    location = ctx.source.location(start, start + len(digits))
    if number == 0:
        return []
    if number > MAX_PORT:
        return [
            problems.out_of_range(
                location,
                f"port {number}",
                port=number,
                anchor=_anchor(leaf.key_path),
            )
        ]
    named = host if host and not _is_ip(host) else None
    host_ip = _host_ip(host)
    return [
        _binding(leaf, ctx, location, "listen", number, value.strip(), host=named, host_ip=host_ip)
    ]


def urls(leaf: Leaf, ctx: Context, *, role: Role) -> Iterator[PortBinding | Problem]:
    raw = ctx.source.text[leaf.start : leaf.end]
    if "://" not in raw:
        return
    for match in url_matches(URL, raw):
        number = int(match.group("port"))
        start = leaf.start + match.start("port")
        location = ctx.source.location(start, leaf.start + match.end("port"))
        if number == 0:
            continue
        if number > MAX_PORT:
            yield problems.out_of_range(
                location,
                f"port {number} in url {match.group(0)}",
                port=number,
                anchor=_anchor(leaf.key_path),
            )
            continue
        host = match.group("host")
        yield _binding(
            leaf,
            ctx,
            location,
            role,
            number,
            match.group(0),
            host=host.strip("[]"),
            host_ip=_host_ip(host) if role == "listen" else None,
        )


def _binding(
    leaf: Leaf,
    ctx: Context,
    location: Location,
    role: Role,
    port: int,
    text: str,
    *,
    port_name: str | None = None,
    host: str | None = None,
    host_ip: str | None = None,
) -> PortBinding:
    return PortBinding(
        location=location,
        kind=ctx.kind,
        owner=owner_for(leaf.key_path, ctx.default_owner),
        role=role,
        port=port,
        host_ip=host_ip,
        text=text,
        key_path=leaf.key_path,
        identities=ctx.identities,
        host=host,
        namespace=_namespace(ctx, location.path, role),
        port_name=port_name,
    )


def _namespace(ctx: Context, path: str, role: Role) -> Namespace | None:
    """A chart's values configure its own pods and Services, never the host's ports.

    Each chart is its own application: its pods listen in their own network
    namespaces and its Services on their own ClusterIPs (a ``hostPort`` or
    ``nodePort`` key is still the node's). Elsewhere the file alone does
    not say where a port listens.
    """
    if ctx.helm_values and role in ("listen", "container", "service"):
        chart = f"helm:{posixpath.dirname(path) or '.'}"
        return Namespace("cluster-service" if role == "service" else "pod", chart)
    return namespace_for_role(role)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _host_ip(host: str | None) -> str | None:
    """The literal IP a listener binds to; ``None`` for every interface or a host name."""
    if not host or host == "*":
        return None
    if host.lower() == "localhost":
        return "127.0.0.1"
    return host.strip("[]") if _is_ip(host) else None


def _anchor(key_path: tuple[str | int, ...]) -> str:
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_PROTOCOLS = {"tcp": "tcp", "udp": "udp", "sctp": "sctp"}

# Keys that say which machine a sibling ``port`` lives on.
HOST_KEYS = frozenset({"host", "hostname", "server", "address"})


def connection_setting(binding: PortBinding, host: str) -> PortBinding:
    """A listening port turned into what it is: the port of ``host``, a reference."""
    return dataclasses.replace(
        binding,
        role="url",
        host_ip=None,
        namespace=None,
        host=host,
    )


def scan_leaves(leaves: Iterable[Leaf], ctx: Context) -> tuple[list[PortBinding], list[Problem]]:
    """Classify every leaf; a sibling ``protocol = "udp"`` applies to the ports beside and below it.

    (``[[services]] protocol = "udp"`` in ``fly.toml``, ``protocol: UDP`` in a
    values file.) The nearest enclosing ``protocol`` wins.
    """
    bindings: list[PortBinding] = []
    problems: list[Problem] = []
    protocols: dict[tuple[str | int, ...], str] = {}
    hosts: dict[tuple[str | int, ...], tuple[str, str]] = {}
    for leaf in leaves:
        last = leaf.key_path[-1] if leaf.key_path else None
        if last == "protocol" and isinstance(leaf.value, str):
            proto = _PROTOCOLS.get(leaf.value.strip().lower())
            if proto is not None:
                protocols[leaf.key_path[:-1]] = proto
        if isinstance(last, str) and last.lower() in HOST_KEYS and isinstance(leaf.value, str):
            hosts[leaf.key_path[:-1]] = (last, leaf.value)
        for item in classify(leaf, ctx):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                bindings.append(item)
    if protocols:
        bindings = [_with_protocol(b, protocols) for b in bindings]
    if hosts:
        bindings = [_with_host(b, hosts) for b in bindings]
    owners = (ctx.default_owner, *ctx.identities)
    bindings = [direction.apply(b, owners) for b in bindings]
    return bindings, problems


def _with_host(
    binding: PortBinding, hosts: dict[tuple[str | int, ...], tuple[str, str]]
) -> PortBinding:
    """``{host: db, port: 5432}``: the port of ``db``, which this app connects to.

    Only a ``port`` key beside the host key counts; a ``ports`` list or a
    ``listen`` address says where this app itself listens.
    """
    last = binding.key_path[-1] if binding.key_path else None
    if binding.role != "listen" or not isinstance(last, str) or key_kind(last) != "port":
        return binding
    sibling = hosts.get(binding.key_path[:-1])
    if sibling is None:
        return binding
    host = names_another_host(sibling[1])
    return connection_setting(binding, host) if host is not None else binding


def _with_protocol(
    binding: PortBinding, protocols: dict[tuple[str | int, ...], str]
) -> PortBinding:
    if binding.role == "url":
        return binding
    path = binding.key_path
    for cut in range(len(path) - 1, -1, -1):
        proto = protocols.get(path[:cut])
        if proto is not None:
            return dataclasses.replace(binding, protocol=proto)
    return binding


def default_owner_for(path: str, fallback: str | None = None) -> str:
    """A file's name for itself when its keys name nobody: ``fallback``, else its folder or stem."""
    if fallback:
        return fallback
    parts = path.replace("\\", "/").split("/")
    stem = parts[-1].split(".")[0] or parts[-1].lstrip(".").split(".")[0]
    folder = parts[-2].lstrip(".") if len(parts) >= 2 else ""
    if stem.lower() in ("values", "config", "settings", "application", "app", "devcontainer"):
        return folder or stem
    return stem or folder or path
