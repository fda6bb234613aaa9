"""PL2xx: ports that belong to somebody else.

Three sources say who a port belongs to: the well-known table (what popular
software really listens on), the IANA registry, and the team's allocation
file. Identity matching (:mod:`portlint.identity`) decides whether the
binding *is* that somebody: ``postgres:16`` on 5432 is at home, an app
called ``billing`` on 5432 is not.
"""

from __future__ import annotations

from collections.abc import Iterator

from portlint import identity, registry
from portlint.bindings import PortBinding
from portlint.findings import Finding, Severity
from portlint.registry import hostheld, wellknown
from portlint.rules._claims import claimed_ports, describe, role_label
from portlint.rules.base import RuleContext, binding_rule

# IANA names that mean "HTTP of any kind": serving HTTP on them is their use.
_HTTP_NAMES = frozenset({"http", "https", "www", "www-http", "http-alt", "http-alt-alt"})


def _owner_list(keys: list[str]) -> str:
    keys = list(dict.fromkeys(keys))
    return keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " or " + keys[-1]


HOST_INSTALLED = frozenset(
    {"datastore", "cache", "broker", "search", "daemon", "infra", "mail", "remote", "vpn"}
)
"""Classes of software people install on the machine itself, as a system service.

A host port collides with a program only where that program runs. Databases,
caches, brokers, search engines, system daemons, DNS, mail, SSH and VPN
servers are installed from the OS's packages and listen before any project
starts; dashboards, web apps, admin UIs and dev tools run where their own
project starts them, and inside a repository PL401/PL402 meet them there.
"""


@binding_rule("PL201", "well-known-port-conflict", severity=Severity.WARNING)
def well_known_port_conflict(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A port that widely deployed software listens on, claimed by something else.

    ## When it fires
    A port on the host's network namespace (a published compose port, host
    networking, a `hostPort` or nodePort, a dev server a package script
    starts; see "Namespaces" in docs/ports.md) is the default port of
    exactly one popular program that people install on the machine itself
    (a database, cache, broker, search engine, mail, DNS, SSH or VPN server,
    or a system daemon: PostgreSQL's 5432, Redis's 6379, Kafka's 9092 ...)
    and nothing about the binding says it is that program: not the service or
    container name, `container_name`, `hostname`, the image's name or
    organisation (`bitnami/postgresql:16` counts as postgresql,
    `ghcr.io/mailu/...` as mailu), the env key (`POSTGRES_PORT`) or the
    variable a compose mapping interpolates (`${GRAYLOG_SYSLOG_UDP_PORT}`),
    the Helm chart of a values file, nor a config file's own name
    (`cassandra.yaml`). A port several popular programs share (9000: MinIO,
    ClickHouse, Portainer, php-fpm ...; 9091: Transmission, Authelia,
    Pushgateway; 8200: Vault, Duplicati) names no owner and does not fire,
    and neither do ports that many programs default to (80, 443, 3000, 4200,
    5173, 8000, 8080, 8443, 8888, debugger ports such as 5678 and 9229 ...):
    they only count inside the repository (PL402), and neither do the ports
    of dashboards, web apps and dev tools (Loki's 3100, Grafana's 3000),
    which run where their own project starts them. A port inside a container
    or pod, or one whose namespace the files do not show (a key in an app's
    config file), squats on nothing. Ports the host operating system itself
    holds (the macOS AirPlay Receiver's 5000 and 7000, sshd's 22, the
    systemd-resolved stub's 53, mDNS 5353 ...) are left to PL601
    (host-held-port), which knows the host's platform and addresses, so one
    problem is reported once.
    A port the config connects to (`SMTP_PORT=25`, `OPEN_WEBUI_LLM_PORT=11434`,
    `datasource.port: 5432`) is that software's port by design and never
    fires (see "Direction" in docs/ports.md).
    The table ships with portlint and lists its sources; `portlint port N`
    shows it.

    ## Why it matters
    The developer who also runs that software locally (or the node that also
    hosts it) gets "address already in use", or worse, a client connects to
    the wrong program. Ray's head node on 6379 next to a Redis is a classic.

    ## How to fix
    Move the binding to a port nobody claims (`portlint suggest`). If it
    really is that software under another name, name the service or image
    after it.

    ## How to silence
    `# portlint: ignore[PL201]` at the end of the line or alone on the line
    above, or ignore PL201 for the file with `per-file-ignores`.
    """
    if binding.role not in ("host", "listen", "node"):
        return
    names: tuple[str, ...] | None = None
    for port in claimed_ports(binding):
        entries = wellknown.lookup(port, binding.protocol)
        if not entries:
            continue
        label = f"{role_label(binding)} {port}/{binding.protocol}"
        if any(e.macos for e in entries) or hostheld.load().lookup(port, binding.protocol):
            continue  # held by the host OS itself (AirPlay, sshd, resolved): PL601 judges it
        if any(e.generic for e in entries):
            continue  # claimed by many (5678 is every Python app's debugger): PL402 only
        owners = [e for e in entries if not e.squat]
        if len({e.key for e in owners}) != 1:
            continue  # nobody's, or shared by several programs (9000, 9091): no owner to name
        if owners[0].klass not in HOST_INSTALLED and not owners[0].host_agent:
            continue  # runs where its own project starts it: PL401/PL402 meet it there
        names = names if names is not None else identity.binding_names(binding)
        if any(identity.matches(names, e.names) for e in owners):
            continue
        squat = next((e for e in entries if e.squat and identity.matches(names, e.names)), None)
        hint = (
            squat.note
            if squat
            else (
                "pick a port no popular software uses (`portlint suggest`); if this is that "
                "software, name the service or image after it"
            )
        )
        who = owners[0].key
        yield ctx.finding(
            binding,
            f"{label} is the well-known port of {who}, but {describe(binding)} is not {who}",
            hint=hint,
            port=port,
        )
        return


def _registered_elsewhere(binding: PortBinding, port: int) -> list[registry.Entry]:
    entries = registry.load().assigned(port, binding.protocol)
    if not entries or any(e.name.lower() in _HTTP_NAMES for e in entries):
        return []
    if any(known.generic for known in wellknown.lookup(port, binding.protocol)):
        return []  # 3000, 8000, 8443 ...: what every dev server defaults to
    names = identity.binding_names(binding)
    for entry in entries:
        if identity.matches(names, (entry.name, *entry.aliases)):
            return []
    for known in wellknown.lookup(port, binding.protocol):
        if not known.squat and identity.matches(names, known.names):
            return []
    return entries


@binding_rule("PL202", "iana-registered-port", severity=Severity.NOTE, enabled=False)
def iana_registered_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A port IANA has assigned to a different service.

    ## When it fires
    A host, listening or node port is assigned in the IANA registry to a
    service the binding is not (judged by the same names as PL201, plus the
    IANA service name and aliases). HTTP ports (`http`, `https`, `http-alt`)
    fit any HTTP server, ports every dev server defaults to (3000, 8000,
    8443 ...) are nobody's in practice, and a port the team's allocation file
    gives out counts as assigned, so none of these fires. Off by default: most of the
    registered range is assigned to something, so this is a survey, not a
    gate.

    ## Why it matters
    The registered service may run on the same machines one day, and
    firewalls or scanners may label your traffic as that service.

    ## How to fix
    Prefer an unassigned port that your team registers in its allocation
    file (`portlint suggest --claim SERVICE`).

    ## How to silence
    Leave the rule off, or `# portlint: ignore[PL202]` on the line.
    """
    allocs = ctx.settings.allocations
    for port in claimed_ports(binding):
        if allocs is not None and allocs.find(port, binding.protocol) is not None:
            continue
        entries = _registered_elsewhere(binding, port)
        if entries:
            names = _owner_list(
                [f"{e.name} ({e.description})" if e.description else e.name for e in entries[:2]]
            )
            yield ctx.finding(
                binding,
                f"{role_label(binding)} {port}/{binding.protocol} is assigned by IANA to {names}",
                hint="use a port your team allocates (`portlint suggest --claim SERVICE`)",
                port=port,
            )
            return


def _own_de_facto_port(binding: PortBinding, port: int) -> bool:
    """The software's own well-known port (RabbitMQ's 15672, Graylog's 12201): no gamble."""
    return any(
        not known.squat and identity.matches(identity.binding_names(binding), known.names)
        for known in wellknown.lookup(port, binding.protocol)
    )


@binding_rule("PL203", "unassigned-port", severity=Severity.NOTE, enabled=False)
def unassigned_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A port nobody has registered: neither IANA nor the team.

    ## When it fires
    A host, listening or node port below 49152 has no IANA assignment for its
    protocol and is not in the team's allocation file. The software's own
    de facto port (RabbitMQ's 15672 on a `rabbitmq` service) does not fire:
    the same table as PL201 decides. Reserved ports are PL204's business and
    the dynamic range PL301's. Off by default.

    ## Why it matters
    An unregistered port is a gamble: the next service a colleague writes
    may pick the same "free" number, and nothing will say so until both run.

    ## How to fix
    Register it in the allocation file (`portlint suggest --claim SERVICE`
    picks one and writes it down).

    ## How to silence
    Leave the rule off, or `# portlint: ignore[PL203]` on the line.
    """
    allocs = ctx.settings.allocations
    reg = registry.load()
    for port in claimed_ports(binding):
        if port == 0 or port >= registry.DYNAMIC_MIN:
            continue
        if allocs is not None and allocs.find(port, binding.protocol) is not None:
            continue
        entries = reg.lookup(port, binding.protocol)
        if any(e.status in ("assigned", "reserved") for e in entries):
            continue
        if _own_de_facto_port(binding, port):
            continue
        yield ctx.finding(
            binding,
            f"{role_label(binding)} {port}/{binding.protocol} is not assigned by IANA "
            "and not in the team's allocations",
            hint="register it: `portlint suggest --claim SERVICE` or an [[allocation]] entry",
            port=port,
        )
        return


@binding_rule("PL204", "reserved-port", severity=Severity.NOTE, enabled=False)
def reserved_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A port IANA lists as Reserved.

    ## When it fires
    A host, listening or node port is marked Reserved in the IANA registry
    for its protocol and assigned to nobody (1024, 4173, 5060-5061 for some
    protocols ...). Off by default, like the other IANA surveys (PL202,
    PL203): a Reserved number is one IANA will not hand out, which harms no
    program that binds it today (on twelve real repositories all six
    findings were ports like Syncthing's 8384 and Varnish's 6081, nothing to
    change).

    ## Why it matters
    Reserved ports are held back on purpose: some have special meaning to
    stacks or tools, and IANA may hand them out later with conditions.

    ## How to fix
    Pick another port (`portlint suggest`).

    ## How to silence
    `# portlint: ignore[PL204]` on the line.
    """
    reg = registry.load()
    for port in claimed_ports(binding):
        entries = reg.lookup(port, binding.protocol)
        if any(e.status == "reserved" for e in entries) and not any(
            e.status == "assigned" for e in entries
        ):
            yield ctx.finding(
                binding,
                f"{role_label(binding)} {port}/{binding.protocol} is reserved by IANA",
                hint="pick a port that is neither reserved nor assigned (`portlint suggest`)",
                port=port,
            )
            return


@binding_rule("PL205", "allocation-conflict", severity=Severity.ERROR)
def allocation_conflict(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """The team's allocation file disagrees with the binding.

    ## When it fires
    The allocation file (`ports.toml`, or the files `allocations` names) gives
    this host, listening or node port to another service, or gives this
    service (matched by name, image or env key) other ports than this host
    or listening port. Silent when no allocation file is configured.

    ## Why it matters
    The allocation file is the team's memory of who owns which port. A
    binding that contradicts it is the collision it exists to prevent, found
    before deploy instead of after.

    ## How to fix
    Use the port the file allocates to the service, or update the file in the
    same change (and tell the owner of the other service).

    ## How to silence
    `# portlint: ignore[PL205]` on the line; better, fix the file.
    """
    allocs = ctx.settings.allocations
    ports = claimed_ports(binding, unknown_too=True)
    if allocs is None or not ports:
        return
    names = identity.binding_names(binding)
    for port in ports:
        found = allocs.find(port, binding.protocol)
        if found is not None:
            if identity.normalise(found.service) not in names:
                yield ctx.finding(
                    binding,
                    f"{role_label(binding)} {port}/{binding.protocol} is allocated to "
                    f"{found.service} ({found.where}), not to {describe(binding)}",
                    hint=f"use the port allocated to {describe(binding)}, or fix {found.path}",
                    port=port,
                )
                return
            continue
        own = allocs.for_service(names) if binding.role != "node" else []
        if own:
            first = own[0]
            listed = ", ".join(a.text for a in own[:3])
            yield ctx.finding(
                binding,
                f"{describe(binding)} is allocated {listed} ({first.where}), "
                f"not {role_label(binding)} {port}/{binding.protocol}",
                hint=f"use an allocated port, or add this one to {first.path}",
                port=port,
            )
            return


@binding_rule("PL206", "unallocated-port", severity=Severity.WARNING)
def unallocated_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A host or listening port missing from the team's allocation file.

    ## When it fires
    An allocation file is in use (`ports.toml` in the current folder, or
    `allocations = [...]` in the config), and a host or listening port is not
    in it. Without an allocation file this rule is silent, so it is on by
    default only in effect where a team has opted in. Services the file
    already knows under other ports are PL205's business.

    ## Why it matters
    The file only protects ports written in it. An unregistered port is the
    one a colleague will pick next.

    ## How to fix
    Add an `[[allocation]]` for it, or let `portlint suggest --claim SERVICE`
    choose a free port and record it.

    ## How to silence
    `# portlint: ignore[PL206]` on the line.
    """
    allocs = ctx.settings.allocations
    if allocs is None or binding.role not in ("host", "listen"):
        return
    for port in claimed_ports(binding, unknown_too=True):
        if allocs.find(port, binding.protocol) is not None:
            continue
        if allocs.for_service(identity.binding_names(binding)):
            return  # PL205 reports the service's other ports
        files = ", ".join(allocs.paths) or "the allocation file"
        yield ctx.finding(
            binding,
            f"{role_label(binding)} {port}/{binding.protocol} of {describe(binding)} is not "
            f"in {files}",
            hint=f"add an [[allocation]] with port = {port} and service = "
            f'"{binding.owner}", or run `portlint suggest --claim {binding.owner}`',
            port=port,
        )
        return


RULES = (
    well_known_port_conflict,
    iana_registered_port,
    unassigned_port,
    reserved_port,
    allocation_conflict,
    unallocated_port,
)
