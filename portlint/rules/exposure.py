"""PL5xx: ports published to every network the host is on.

Judged on the binding after interpolation: ``${SQL_PORT:-127.0.0.1:13306}:3306``
publishes on loopback, and the scanner has already resolved it to that.
"""

from __future__ import annotations

from collections.abc import Iterator

from portlint import identity
from portlint.bindings import PortBinding
from portlint.findings import Finding, Severity
from portlint.registry import wellknown
from portlint.rules.base import FixInfo, RuleContext, binding_rule
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


RULES = (sensitive_port_exposed, plaintext_control_port)
