"""PL5xx: ports published to every network the host is on.

Judged on the binding after interpolation: ``${SQL_PORT:-127.0.0.1:13306}:3306``
publishes on loopback, and the scanner has already resolved it to that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from portlint import identity
from portlint.bindings import Location, PortBinding, Setting
from portlint.findings import Finding, Severity
from portlint.registry import exposure as table
from portlint.registry import wellknown
from portlint.registry.exposure import Exposure
from portlint.rules.base import FixInfo, Option, RuleContext, binding_rule, project_rule
from portlint.rules.collisions import is_wildcard
from portlint.rules.fixes import loopback_fix

MAX_CHECKED = 64  # container ports of one range mapping that are looked up

CONTROL_PORTS: dict[int, tuple[str, str]] = {
    2375: (
        "the Docker daemon API without TLS (root on the host for anyone who reaches it)",
        "use the Docker socket, or TLS on 2376 (DOCKER_TLS_CERTDIR)",
    ),
    23: ("telnet (logins in plain text)", "replace telnet with SSH"),
}


def _inner_ports(binding: PortBinding) -> range:
    """The port(s) the software inside listens on: the container side, else the port."""
    if binding.target is not None:
        end = binding.target_end if binding.target_end is not None else binding.target
        return range(binding.target, min(end, binding.target + MAX_CHECKED - 1) + 1)
    if binding.port is None:
        return range(0)
    return range(binding.port, min(binding.last_port or binding.port, binding.port + 63) + 1)


def _sensitive(binding: PortBinding, port: int) -> tuple[str, bool] | None:
    """What sensitive software listens on ``port``: (its name, whether the binding is it)."""
    entries = [e for e in wellknown.lookup(port, binding.protocol) if not e.macos]
    if not entries:
        return None
    own = [e for e in entries if identity.matches(identity.binding_names(binding), e.names)]
    if own:  # it is that software: its own class decides (sonarqube on 9000 is a web UI)
        if not any(e.sensitive for e in own):
            return None
        aliases = [a for e in own if e.sensitive for a in e.names]
        return identity.known_as(binding, aliases) or own[0].key, True
    if identity.known_as(binding) is not None:
        return None  # known to be another program (mosquitto on 9001 is not minio)
    # Unknown software: only a port with one owner says what listens there
    # (5432 is PostgreSQL; 9000 could be any of five products).
    owners = [e for e in entries if not e.squat]
    if len({e.key for e in owners}) == 1 and all(e.sensitive for e in owners):
        return owners[0].key, False
    return None


@binding_rule(
    "PL501",
    "sensitive-port-exposed",
    severity=Severity.WARNING,
    enabled=False,
    fix=FixInfo("publish the mapping on 127.0.0.1 (compose ports)", "unsafe"),
)
def sensitive_port_exposed(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A database, broker, cache, search, admin or daemon port published on all interfaces.

    ## When it fires
    A host binding with no host IP, `0.0.0.0` or `::` publishes a container
    port that belongs to a datastore, broker, cache, search engine, admin UI
    or daemon in the well-known table (PostgreSQL's 5432, Redis's 6379,
    Elasticsearch's 9200, RabbitMQ's management 15672 ...): either the
    service is that software (by the names PL201 uses), or nothing says what
    it is and the port has that one owner in the table. A port several
    products share (9000, 9200) only counts for a service known to be one of
    them, and a service known to be another program (mosquitto on 9001) is
    judged by its own ports. The message names a program as the service
    only when its names say so ("postgres port 5432/tcp ..."); otherwise it
    says whose default the port is. The host IP is
    judged after interpolation, so `${SQL_PORT:-127.0.0.1:13306}:3306` is a
    loopback binding and does not fire. Services with `network_mode: host`
    publish every port they listen on. A devcontainer's `forwardPorts` are
    forwarded to localhost by the editor and do not fire; its `appPort` does.
    A program in the exposure table (etcd, Consul, Redis, pgAdmin ...) is
    left to PL503-PL505, which judge it by what it is; a datastore in a
    compose file stays PL501's while PL504 leaves compose files out.

    Off by default: whether a published datastore is a risk depends on
    where the stack runs, which the files rarely say. Development stacks,
    samples and local environments publish their databases on purpose so
    tools on the host can connect (on twelve real repositories it fired 60
    times, once on something a maintainer would change). Turn it on for
    repositories that deploy: `extend-select = ["PL501"]`.

    ## Why it matters
    Docker's published ports bypass host firewalls such as ufw (Docker writes
    its own iptables rules). A development database with a default password
    on all interfaces is reachable from the café Wi-Fi or the whole VPC.

    ## How to fix
    Publish on loopback: `"127.0.0.1:5432:5432"`, or drop `ports:` and let
    other services reach it over the compose network.

    ## How to silence
    `# portlint: ignore[PL501]` on the line, for services meant to be public.
    """
    if binding.role != "host" or not is_wildcard(binding.host_ip):
        return
    if binding.editor_forward:
        return  # editors forward to localhost only (VS Code's remote.localPortHost default)
    for port in _inner_ports(binding):
        if port in CONTROL_PORTS:
            continue  # PL502 reports these, as errors
        row = _program(binding, port)
        if row is not None and (row.klass != "datastore" or binding.service is None):
            continue  # PL503-PL505 judge the program by what it is (PL504 skips compose)
        found = _sensitive(binding, port)
        if not found:
            continue
        name, itself = found
        host = _host_port_for(binding, port)
        published = "" if host == port else f" as host port {host}"
        where = f"port {port}/{binding.protocol} is published on all interfaces{published}"
        yield ctx.finding(
            binding,
            f"{name} {where}" if itself else f"{where}; it is the default port of {name}",
            hint=_loopback_hint(binding),
            port=binding.port,
            fix=loopback_fix(binding),
        )
        return


def _host_port_for(binding: PortBinding, port: int) -> int | None:
    """The host port that carries container ``port`` (ranges map pairwise)."""
    if binding.port is None or binding.target is None:
        return binding.port if binding.port is not None else None
    return binding.port + (port - binding.target)


def _span(start: int | None, end: int | None) -> str:
    return f"{start}" if end is None or end == start else f"{start}-{end}"


def _loopback_hint(binding: PortBinding) -> str:
    """The same mapping bound to 127.0.0.1, every port of it kept."""
    if binding.target_namespace is None or binding.target is None:
        return "bind it to 127.0.0.1 (or another private address) instead of all interfaces"
    proto = "" if binding.protocol == "tcp" else f"/{binding.protocol}"
    host = _span(binding.port, binding.end_port)
    target = _span(binding.target, binding.target_end)
    return f'publish it on loopback only: "127.0.0.1:{host}:{target}{proto}"'


@binding_rule(
    "PL502",
    "plaintext-control-port",
    severity=Severity.ERROR,
    fix=FixInfo("publish the mapping on 127.0.0.1 (compose ports)", "unsafe"),
)
def plaintext_control_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """An unauthenticated control port is published: Docker's 2375, telnet's 23.

    ## When it fires
    A host or node binding publishes port 2375 (the Docker Engine API without
    TLS) or 23 (telnet), as the host port or as the container port behind
    it, on any host IP.

    ## Why it matters
    Whoever reaches 2375 controls the Docker daemon, which means root on the
    host; it is among the first ports internet scanners try. Telnet sends
    logins in clear text.

    ## How to fix
    For Docker, use the socket (`/var/run/docker.sock`, mounted read-only
    where possible) or TLS on 2376. Replace telnet with SSH.

    ## How to silence
    `# portlint: ignore[PL502]` on the line, for an isolated lab.
    """
    if binding.role not in ("host", "node") or binding.protocol != "tcp":
        return
    for port in (binding.port, binding.target):
        if port in CONTROL_PORTS:
            where = "all interfaces" if is_wildcard(binding.host_ip) else binding.host_ip
            what, fix = CONTROL_PORTS[port]
            yield ctx.finding(
                binding,
                f"port {port}/tcp is published on {where}: {what}",
                hint=fix,
                port=port,
                fix=loopback_fix(binding) if is_wildcard(binding.host_ip) else None,
            )
            return


# --- PL503-PL506: programs by identity, every publishing route, doors ------------------

# Words a deployment adds to a program's name without making it another program
# (``redis-master``, ``etcd-0``, ``consul-server``); anything else makes it one
# (``redis-commander`` is a web UI, ``mongo-express`` too).
ROLE_WORDS = frozenset(
    {
        "master",
        "replica",
        "primary",
        "secondary",
        "server",
        "node",
        "headless",
        "leader",
        "follower",
        "cluster",
        "main",
        "svc",
        "service",
        "standalone",
        "single",
        "dev",
        "local",
        "agent",
        "ui",
        "alpine",
    }
)
# A command line longer than this is not a command line; the table's patterns read
# no further (they search with ``.*``, so their cost grows with the text).
MAX_COMMAND_LINE = 8192
_SERVICE_TYPES = ("LoadBalancer", "NodePort", "externalIPs")
_TAG_MAJOR = re.compile(r"v?(\d+)(?:[.\-_]|$)")


def _route(binding: PortBinding) -> str | None:
    """How the port is reached from beyond the machine or cluster, or None."""
    if binding.role == "host":
        if binding.editor_forward or not is_wildcard(binding.host_ip):
            return None
        return "published on all interfaces"
    if (
        binding.role == "container"
        and binding.service is not None
        and "ports" in binding.key_path[:3]
        and is_wildcard(binding.host_ip)
    ):
        # compose ``ports: ["6379"]``: Docker publishes it on a host port it picks
        return "published on all interfaces (on a host port Docker picks)"
    if binding.role == "node":
        if binding.exposure is not None:
            return None  # its Service's own port reports it, once
        return f"published on every node as nodePort {binding.port}"
    if binding.role in ("service", "listen") and binding.exposure in _SERVICE_TYPES:
        return {
            "LoadBalancer": "exposed by a LoadBalancer Service",
            "NodePort": "exposed on every node by a NodePort Service",
        }.get(binding.exposure, "exposed on the Service's externalIPs")
    if binding.role == "url" and binding.exposure in ("Ingress", "HTTPRoute"):
        route = binding.k8s_object or binding.exposure
        return f"routed from outside the cluster by {route}"
    return None


def _routed_ports(binding: PortBinding) -> list[tuple[int, int | None]]:
    """(port the program listens on, host or node port it is reached at)."""
    if binding.role in ("service", "node", "listen") and binding.port is not None:
        inner = [binding.port]
        if binding.role == "service" and binding.target is not None:
            inner.append(binding.target)
        return [(p, binding.port if binding.role == "node" else None) for p in inner]
    if binding.role == "url":
        return [(binding.port, None)] if binding.port is not None else []
    return [(p, _host_port_for(binding, p)) for p in _inner_ports(binding)]


def _candidate_names(binding: PortBinding) -> list[str]:
    """The names that say which program this is: the image when there is one, else the
    service, container and workload names (a route's: the Service it sends to)."""
    if binding.role == "url":
        return [identity.normalise(binding.identities[-1])] if binding.identities else []
    if binding.image:
        return [identity.normalise(identity.image_name(binding.image))]
    names = [binding.service] if binding.service else []
    names.extend(binding.identities)
    return list(dict.fromkeys(identity.normalise(n) for n in names if n))


def _is(name: str, aliases: Sequence[str]) -> bool:
    """``name`` is one of ``aliases``, maybe behind a release prefix and before role
    words: ``release-redis-master`` is redis, ``redis-commander`` is not."""
    words = name.split("-")
    for alias in aliases:
        size = len(alias.split("-"))
        for start in range(len(words) - size + 1):
            if "-".join(words[start : start + size]) != alias:
                continue
            rest = words[start + size :]
            if all(w in ROLE_WORDS or w.isdigit() for w in rest):
                return True
    return False


def _major(image: str | None) -> int | None:
    if not image:
        return None
    ref = image.split("@", 1)[0]
    tail = ref.rsplit("/", 1)[-1]
    if ":" not in tail:
        return None
    match = _TAG_MAJOR.match(tail.rsplit(":", 1)[1])
    return int(match.group(1)) if match else None


def _settings_text(settings: Sequence[Setting]) -> list[tuple[str, Setting | None]]:
    """What the table's patterns read: the command line as one ``arg:`` string, and each
    variable as ``env:KEY=value``."""
    args = [s for s in settings if s.kind == "arg"]
    out: list[tuple[str, Setting | None]] = []
    if args:
        out.append(("arg:" + " ".join(s.text for s in args)[:MAX_COMMAND_LINE], None))
    out.extend((f"env:{s.text[:MAX_COMMAND_LINE]}", s) for s in settings if s.kind == "env")
    return out


def _authenticated(row: Exposure, binding: PortBinding) -> bool:
    if row.open_before is not None:
        major = _major(binding.image)
        if major is None or major >= row.open_before:
            return True  # a version whose default is safe, or one the files do not say
    if row.auth is None:
        return False
    return any(row.auth.search(text) for text, _s in _settings_text(binding.settings))


def _program(binding: PortBinding, port: int) -> Exposure | None:
    """The table row of the program behind ``binding`` that listens on ``port``."""
    names = _candidate_names(binding)
    if not names:
        return None
    rows = _rows_named(tuple(names))
    if binding.protocol not in ("tcp", "udp"):
        return None
    for row in rows:
        if row.has_port(port) and binding.protocol in row.protocols:
            return row
    own = [r for r in rows if r.any_port and binding.protocol in r.protocols]
    # A one-port program moved to another port is still that program; a port that
    # is another row's of the same program (Consul's DNS 8600) is not its API.
    if len(own) == 1 and not any(r.has_port(port) for r in rows):
        return own[0]
    return None


@lru_cache(maxsize=4096)
def _rows_named(names: tuple[str, ...]) -> tuple[Exposure, ...]:
    """The program rows one of ``names`` is (see :func:`_is`).

    Asked for every routed port of every binding; the table is fixed for the
    run (``table.load`` is cached). A repository of many services asks with
    thousands of different names (``svc12-api``), so each is tried only
    against the rows one of whose aliases starts with one of its words: a
    name matches an alias only where the alias's words appear in it.
    """
    words = {word for name in names for word in name.split("-")}
    index = _rows_by_first_word()
    near = {id(r) for word in words for r in index.get(word, ())}
    if not near:
        return ()
    return tuple(r for r in table.programs() if id(r) in near and _is_one_of(names, r.names))


@lru_cache(maxsize=1)
def _rows_by_first_word() -> dict[str, list[Exposure]]:
    """Program rows by the first word of each of their aliases."""
    index: dict[str, list[Exposure]] = {}
    for row in table.programs():
        for alias in row.names:
            rows = index.setdefault(alias.split("-", 1)[0], [])
            if row not in rows:
                rows.append(row)
    return index


@lru_cache(maxsize=4096)
def _is_one_of(names: tuple[str, ...], aliases: tuple[str, ...]) -> bool:
    """Whether one of ``names`` is one of ``aliases`` (:func:`_is`), for a few names many times."""
    return any(_is(n, aliases) for n in names)


def _exposed(binding: PortBinding, ctx: RuleContext, klass: str) -> Iterator[Finding]:
    route = _route(binding)
    if route is None:
        return
    for port, host in _routed_ports(binding):
        if binding.role == "host" and port in CONTROL_PORTS:
            continue  # PL502 reports these
        row = _program(binding, port)
        if row is None or row.klass != klass or _authenticated(row, binding):
            continue
        moved = f" as host port {host}" if host is not None and host != port else ""
        if binding.role == "node":
            moved = ""
        yield ctx.finding(
            binding,
            f"{row.software} port {port}/{binding.protocol} is {route}{moved}: {row.note}",
            hint=_fix_hint(binding),
            port=binding.port,
            fix=loopback_fix(binding),  # compose ``ports`` only: the scanner placed the edit
        )
        return


def _fix_hint(binding: PortBinding) -> str:
    if binding.role == "container":  # compose ``ports: ["8500"]``
        proto = "" if binding.protocol == "tcp" else f"/{binding.protocol}"
        ports = _span(binding.port, binding.end_port)
        return f'publish it on loopback only: "127.0.0.1::{ports}{proto}"'
    if binding.role == "host" and binding.k8s_object is not None:
        if "hostNetwork" in binding.key_path:
            return "drop `hostNetwork: true`, or make the program listen on 127.0.0.1"
        return "set `hostIP: 127.0.0.1`, or drop the hostPort and use a ClusterIP Service"
    if binding.role == "host":
        return _loopback_hint(binding)
    if binding.role == "url":
        return "put authentication in front of the route, or do not route it from outside"
    return "make it a ClusterIP Service and reach it with `kubectl port-forward`"


@binding_rule(
    "PL503",
    "control-plane-exposed",
    severity=Severity.ERROR,
    fix=FixInfo("publish the mapping on 127.0.0.1 (compose ports)", "unsafe"),
)
def control_plane_exposed(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A container or cluster control plane is reachable from outside the machine or cluster.

    ## When it fires
    A program in portlint's exposure table of control planes (the kubelet's
    10250, the Kubernetes API server's 6443, etcd's 2379-2380, Nomad's
    4646-4648, Consul's 8500) is published: a compose port on all
    interfaces (no host IP, `0.0.0.0`, `::`; `127.0.0.1`, `::1` and
    `[::1]` are local), a container port alone (`"2379"`, which Docker
    publishes on a host port it picks) or a port listed under
    `network_mode: host`, a Kubernetes
    `hostPort` or `hostNetwork: true` pod, a `nodePort`, a Service of type
    NodePort or LoadBalancer or with `externalIPs` (also a Helm chart's
    values `service:` block with that `type`), or an Ingress or Gateway
    `HTTPRoute` that routes to it. The program is known by its
    image, else by its service, container or workload name (a route's by
    the Service it sends to): `release-etcd-0` is etcd, `etcd-browser` is
    not, and a program on another program's port is judged as what it is.
    A port number alone never fires. Docker's 2375 is PL502's. A devcontainer's
    `forwardPorts` stay on localhost and never fire.

    ## Why it matters
    Whoever reaches these APIs runs containers or commands on the machine
    or reads every secret of the cluster: etcd stores them all
    (https://etcd.io/docs/v3.5/op-guide/security/), the kubelet runs
    commands in pods (https://kubernetes.io/docs/reference/networking/ports-and-protocols/),
    Nomad and Consul ship with ACLs off
    (https://developer.hashicorp.com/nomad/docs/deploy/production/requirements).
    The table row of each program carries its source.

    ## How to fix
    Publish on loopback (`"127.0.0.1:2379:2379"`), keep the Service a
    ClusterIP and use `kubectl port-forward`, or require client
    certificates (etcd `--client-cert-auth`) and ACLs.

    ## How to silence
    `# portlint: ignore[PL503]` on the line, for a lab that is meant to be
    reachable; `ignore = ["PL503"]` in the configuration.
    """
    yield from _exposed(binding, ctx, "control-plane")


@binding_rule(
    "PL504",
    "open-datastore-exposed",
    severity=Severity.ERROR,
    fix=FixInfo("publish the mapping on 127.0.0.1 (compose ports)", "unsafe"),
    options=(
        Option(
            "compose",
            "bool",
            False,
            "judge compose ports too; off by default because development stacks publish "
            "their datastores on purpose",
        ),
    ),
)
def open_datastore_exposed(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A datastore that needs no password by default is reachable from outside.

    ## When it fires
    Redis, Memcached, MongoDB, Elasticsearch before 8 or ZooKeeper (by
    image, else by service or workload name, as PL503 judges) is published
    by any route PL503 follows, and nothing in its command or environment
    turns authentication on: Redis `--requirepass` or `REDIS_PASSWORD`,
    MongoDB `MONGO_INITDB_ROOT_USERNAME` or `--auth`, memcached SASL,
    Elasticsearch `xpack.security.enabled=true`, ZooKeeper SASL. An
    Elasticsearch image tagged 8 or later, or with no tag the files show,
    has security on by default and does not fire. Redis, Memcached and
    MongoDB are one-port programs: moved to another port they still fire.

    ## Why it matters
    The official Redis image turns protected mode off so other containers
    can connect (https://hub.docker.com/_/redis); the official MongoDB image
    starts without access control unless a root user is set
    (https://hub.docker.com/_/mongo); Elasticsearch before 8 kept security
    off on the basic licence
    (https://www.elastic.co/guide/en/elasticsearch/reference/6.8/get-started-enable-security.html);
    exposed memcached servers were used for record DDoS amplification
    (https://github.com/memcached/memcached/wiki/DDOS). Docker's published
    ports bypass host firewalls such as ufw.

    ## How to fix
    Publish on loopback (`"127.0.0.1:6379:6379"`) or not at all (other
    services reach it over the compose network), and set a password.

    ## How to silence
    `# portlint: ignore[PL504]` on the line, for a throwaway local stack;
    `ignore = ["PL504"]` in the configuration.
    """
    if binding.service is not None and not ctx.options["compose"]:
        return
    yield from _exposed(binding, ctx, "datastore")


@binding_rule(
    "PL505",
    "admin-interface-exposed",
    severity=Severity.WARNING,
    enabled=False,
    fix=FixInfo("publish the mapping on 127.0.0.1 (compose ports)", "unsafe"),
)
def admin_interface_exposed(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A remote desktop, admin UI or debugger is reachable from outside.

    ## When it fires
    A program in the exposure table's remote-desktop class (RDP's 3389,
    VNC's 5900-5903, including Selenium's browser images) or admin class
    (Caddy's admin API 2019, phpMyAdmin, Adminer, pgAdmin, the Node.js
    inspector 9229, debugpy 5678, the Prometheus server 9090) is published
    by any route PL503 follows, judged by its image or name as PL503 does.
    Database admin UIs fire on whatever port they are published from.

    Off by default: on twelve real repositories its six findings were all
    development stacks that publish an admin UI for the developer (and
    pgAdmin, phpMyAdmin and Adminer ask for a login of their own). Turn it
    on for repositories that deploy: `extend-select = ["PL505"]`.

    ## Why it matters
    A remote desktop is a login prompt for the whole network; a VNC
    password is at most eight characters (https://www.rfc-editor.org/rfc/rfc6143).
    Caddy's admin API loads any configuration without authentication
    (https://caddyserver.com/docs/api); a debugger runs any code in the
    process (https://nodejs.org/en/learn/getting-started/debugging);
    Prometheus has no authentication of its own
    (https://prometheus.io/docs/operating/security/).

    ## How to fix
    Publish on loopback (`"127.0.0.1:5900:5900"`) and reach it through SSH
    or a VPN, or put authentication in front of the route.

    ## How to silence
    `# portlint: ignore[PL505]` on the line; `ignore = ["PL505"]` in the
    configuration.
    """
    yield from _exposed(binding, ctx, "admin")
    yield from _exposed(binding, ctx, "remote-desktop")


@project_rule("PL506", "protection-disabled-on-exposed-service", severity=Severity.ERROR)
def protection_disabled(bindings: Sequence[PortBinding], ctx: RuleContext) -> Iterator[Finding]:
    """A flag or variable turns protection off on a service that is published.

    ## When it fires
    A compose `command`, `entrypoint` or `environment`, or a Kubernetes
    container's `command`, `args` or `env`, holds one of the exposure
    table's error doors, and the same service or pod is published by a
    route PL503 follows:
    - Redis `--protected-mode no`, an empty `REDIS_PASSWORD` or
      `ALLOW_EMPTY_PASSWORD=yes`;
    - dockerd `-H tcp://0.0.0.0:2375` (when 2375 is published);
    - Traefik `--api.insecure=true`;
    - kubelet `--anonymous-auth=true`;
    - `MYSQL_ALLOW_EMPTY_PASSWORD`, `MARIADB_ALLOW_EMPTY_ROOT_PASSWORD`,
      `POSTGRES_HOST_AUTH_METHOD=trust`, Elasticsearch
      `xpack.security.enabled=false`.

    Program-specific doors count only on that program (by image, else by
    name, as PL503 judges). The finding points at the setting. A setting on
    a service that nothing publishes does not fire: the door matters when
    it can be reached.

    ## Why it matters
    Each removes the one check between the network and the program:
    protected mode refuses outside clients while Redis has no password
    (https://redis.io/docs/latest/develop/reference/errors/common/denied/),
    Traefik's insecure mode serves its API and dashboard without
    authentication
    (https://doc.traefik.io/traefik/reference/install-configuration/api-dashboard/),
    `POSTGRES_HOST_AUTH_METHOD=trust` accepts every connection without a
    password (https://hub.docker.com/_/postgres). Each door's row in the
    exposure table carries its source.

    ## How to fix
    Drop the setting and set a password, or publish the service on
    loopback only (`"127.0.0.1:6379:6379"`).

    ## How to silence
    `# portlint: ignore[PL506]` on the setting's line.
    """
    yield from _doors(bindings, ctx, "error")


@project_rule("PL507", "debugger-exposed", severity=Severity.WARNING)
def debugger_exposed(bindings: Sequence[PortBinding], ctx: RuleContext) -> Iterator[Finding]:
    """A debugger listens on every interface and its port is published.

    ## When it fires
    A command line or variable (`NODE_OPTIONS`, `JAVA_TOOL_OPTIONS`, ...)
    starts a debugger on all interfaces: Node.js `--inspect=0.0.0.0:9229`
    (or `--inspect-brk`), debugpy `--listen 0.0.0.0:5678`, Java
    `-agentlib:jdwp=...address=*:5005`; and the port it names (else the
    debugger's default) is published from the same service or pod by a
    route PL503 follows. The finding points at the flag.

    ## Why it matters
    A debugger runs any code in the process and asks for no password
    (https://nodejs.org/en/learn/getting-started/debugging,
    https://docs.oracle.com/en/java/javase/21/docs/specs/jpda/conninv.html).
    Inside a container `0.0.0.0` is needed for the host to connect; the
    published port decides who else can.

    ## How to fix
    Publish the debugger's port on loopback: `"127.0.0.1:9229:9229"`.

    ## How to silence
    `# portlint: ignore[PL507]` on the flag's line.
    """
    yield from _doors(bindings, ctx, "warning")


def _doors(bindings: Sequence[PortBinding], ctx: RuleContext, severity: str) -> Iterator[Finding]:
    published: dict[tuple[str, str], list[PortBinding]] = {}
    for binding in bindings:
        if binding.settings and _route(binding) is not None:
            published.setdefault(_unit(binding), []).append(binding)
    seen: set[Location] = set()
    for group in published.values():
        first = group[0]
        ports = {port for b in group for port, _host in _routed_ports(b)}
        names = tuple(_candidate_names(first))
        for row in table.doors():
            if row.severity != severity:
                continue
            if row.names and not _is_one_of(names, row.names):
                continue
            found = _door(row, first.settings)
            if found is None:
                continue
            where, text, wanted = found
            if wanted is not None and wanted not in ports:
                continue
            if where in seen:
                continue
            seen.add(where)
            yield ctx.finding(
                where,
                f"{_shown(text)} on {_who(first)}, which is {_route(first)}: {row.note}",
                hint="remove the setting and require a password, or publish it on loopback only"
                if severity == "error"
                else "publish the debugger's port on loopback only",
                port=wanted if wanted is not None else first.port,
            )


def _unit(binding: PortBinding) -> tuple[str, str]:
    """The service or container whose settings these are."""
    return (binding.project or binding.location.path, binding.service or binding.owner)


def _door(row: Exposure, settings: Sequence[Setting]) -> tuple[Location, str, int | None] | None:
    """Where the door is written, its text, and the port it opens (None: any published)."""
    if row.door is None:
        return None
    args = [s for s in settings if s.kind == "arg"]
    if row.door_in in ("arg", "any") and args:
        line = " ".join(s.text for s in args)[:MAX_COMMAND_LINE]
        match = row.door.search(line)
        if match is not None:
            at = match.start("at") if "at" in row.door.groupindex else match.start()
            offset = 0
            for arg in args:
                if at < offset + len(arg.text) + 1:
                    shown = line[at : match.end()]
                    return _within(arg, at - offset), shown, _door_port(match, row)
                offset += len(arg.text) + 1
    if row.door_in in ("env", "any"):
        for setting in settings:
            if setting.kind != "env":
                continue
            match = row.door.search(setting.text[:MAX_COMMAND_LINE])
            if match is not None:
                return setting.location, setting.text, _door_port(match, row)
    return None


def _within(setting: Setting, offset: int) -> Location:
    """The location ``offset`` characters into a one-line setting written as read."""
    loc = setting.location
    if (
        offset
        and loc.end_line == loc.line
        and loc.end_column is not None
        and loc.end_column - loc.column == len(setting.text)
    ):
        return Location(loc.path, loc.line, loc.column + offset)
    return Location(loc.path, loc.line, loc.column)


def _door_port(match: re.Match[str], row: Exposure) -> int | None:
    port = match.groupdict().get("port")
    if port:
        return int(port)
    return row.ports[0][0] if row.ports else None


def _shown(text: str) -> str:
    text = text.strip()
    return f"`{text if len(text) <= 60 else text[:57] + '...'}`"


def _who(binding: PortBinding) -> str:
    if binding.service:
        return f"service {binding.service}"
    return binding.k8s_object or binding.owner


RULES = (
    sensitive_port_exposed,
    plaintext_control_port,
    control_plane_exposed,
    open_datastore_exposed,
    admin_interface_exposed,
    protection_disabled,
    debugger_exposed,
)
