"""``portlint preflight``: before ``docker compose up``, is every host port still free?

The plan is what ``ports`` lists, narrowed to what starting the project binds
on this machine: compose ``ports`` (and ``network_mode: host`` services) of
the services whose profiles are active, a devcontainer's ``appPort``, dev
servers a package script starts on the host and, with ``--k8s``,
Kubernetes ``hostPort``/``nodePort``s. Each planned bind is held against
the kernel's socket tables (:mod:`portlint.commands._listening`) and, where
its unix socket is open to this user, the Docker Engine's list of published
ports (:mod:`portlint.commands._docker`).

When does an existing socket stop a bind? As Linux decides it for two
sockets without ``SO_REUSEPORT`` (docs/preflight.md has the table):

- a wildcard holds every address of its family: ``0.0.0.0:P`` blocks
  ``127.0.0.1:P`` and the other way round;
- two specific addresses never meet: ``127.0.0.1:P`` and ``192.168.1.5:P``
  coexist;
- ``[::]:P`` may also hold IPv4 (a dual-stack socket, the Linux default),
  and the tables do not say whether it does, so it counts as holding both;
- a compose port without a host IP is bound by Docker on ``0.0.0.0`` and
  ``[::]``, so any socket on that port and protocol blocks it; one written
  with ``::`` is bound IPv6-only;
- TCP and UDP are separate tables: a UDP socket never blocks a TCP bind.

A container of the compose project being checked is no conflict: running
``up`` again keeps it. The project is recognised by its compose project name
(``-p``, ``name:``, or the folder's name, as Compose derives it), compared
with the containers' ``com.docker.compose.project`` label.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from portlint.bindings import MAX_PORT, PortBinding
from portlint.commands._docker import Answer, Published
from portlint.commands._listening import Listener
from portlint.config import Config
from portlint.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError

SCHEMA_VERSION = 1
K8S_KINDS = ("kubernetes", "helm")
COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
PROXY = "docker-proxy"  # the process Docker's userland proxy holds published ports with
# Compose's own rule for a project name: lower case, then only a-z 0-9 _ - kept.
_NOT_IN_NAME = re.compile(r"[^a-z0-9_-]")


@dataclass(frozen=True, slots=True)
class Planned:
    """One host bind that starting the project would make."""

    binding: PortBinding
    address: str | None  # None: every address (Docker binds 0.0.0.0 and ::)
    first: int
    last: int
    protocol: str
    project: str | None  # the compose project name; None outside compose


@dataclass(frozen=True, slots=True)
class Holder:
    """Something that holds a planned port now: a socket or a container."""

    source: str  # "socket" or "container"
    protocol: str
    address: str
    port: int
    own: bool  # the checked project's own container (or its proxy): no conflict
    pid: int | None = None
    process: str | None = None
    uid: int | None = None
    other_user: bool = False
    container: str | None = None
    compose_project: str | None = None

    def who(self) -> str:
        if self.source == "container":
            project = f", compose project {self.compose_project}" if self.compose_project else ""
            return f"container {self.container}{project}"
        if self.pid is not None:
            return f"{self.process} (pid {self.pid})"
        if self.other_user:
            return f"another user's process (uid {self.uid})"
        return "an unknown process"

    def describe(self) -> str:
        return f"{self.who()} on {_show(self.address, self.port)}"


@dataclass(slots=True)
class Verdict:
    planned: Planned
    status: str  # "free", "taken", "own", "unknown"
    holders: list[Holder] = field(default_factory=list)
    busy: int = 0  # ports of a range that something else holds
    suggestion: int | None = None


@dataclass(slots=True)
class Report:
    verdicts: list[Verdict]
    sockets_seen: bool
    sockets_note: str
    docker: Answer
    projects: list[str]
    inactive: int  # host ports of services whose profiles are not active


# --- addresses ---------------------------------------------------------------------------


def _plain(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address, an IPv4-mapped IPv6 one as the IPv4 address it is; None if no IP."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def blocks(planned: str | None, held: str) -> bool:
    """Would a socket bound on ``held`` make binding ``planned`` (same port and
    protocol, None = every address) fail with EADDRINUSE? See the module's rules."""
    if planned is None:
        return True
    want, have = _plain(planned), _plain(held)
    if want is None or have is None:
        return True  # a host name or garbage: say taken rather than guess free
    if have.version == 6 and have.is_unspecified:
        return True  # [::] counts as dual-stack: it holds IPv4 as well
    if want.version != have.version:
        return False
    return want.is_unspecified or have.is_unspecified or want == have


def _same_place(published: str, held: str) -> bool:
    """Is ``held`` a socket Docker opens for a port published on ``published``?
    The same address, or any wildcard for a wildcard: Docker's proxy holds
    ``0.0.0.0`` and ``[::]`` for one port the engine may list once."""
    a, b = _plain(published), _plain(held)
    if a is None or b is None:
        return False
    return a == b or (a.is_unspecified and b.is_unspecified)


def _show(address: str | None, port: int, last: int | None = None) -> str:
    ports = f"{port}-{last}" if last is not None and last != port else str(port)
    if address is None:
        return f"*:{ports}"
    return f"[{address}]:{ports}" if ":" in address else f"{address}:{ports}"


# --- the plan -----------------------------------------------------------------------------


def _active(binding: PortBinding, profiles: Sequence[str]) -> bool:
    """Compose starts a service with profiles only when one of them is active (``*``: all)."""
    return not binding.profiles or "*" in profiles or bool(set(binding.profiles) & set(profiles))


def normalise_name(name: str) -> str:
    return _NOT_IN_NAME.sub("", name.lower())


def _declared_name(path: str, max_size: int) -> str | None:
    """A compose file's top-level ``name:``, when written as a literal."""
    from portlint.scanners import _yaml
    from portlint.source import SourceFile, read_source

    source = read_source(os.path.abspath(path), path, max_size)
    if not isinstance(source, SourceFile):
        return None  # unreadable: `check` reports it; the folder's name stands
    docs = _yaml.compose_documents(source)
    if not isinstance(docs, list) or not docs:
        return None
    name = _yaml.scalar(_yaml.get(docs[0], "name"))
    return name if name and "$" not in name else None


def project_name(binding: PortBinding, config: Config, environ: dict[str, str]) -> str | None:
    """The compose project name Compose would give this binding's project.

    ``COMPOSE_PROJECT_NAME`` (with ``--use-environment``), then a literal
    ``name:`` in the binding's file or its folder's default-named files,
    then the project folder's name.
    """
    if binding.kind != "compose":
        return None
    if environ.get("COMPOSE_PROJECT_NAME"):
        return normalise_name(environ["COMPOSE_PROJECT_NAME"])
    folder = binding.project_dir or os.path.dirname(binding.location.path) or "."
    files = [binding.location.path, *(os.path.join(folder, n) for n in COMPOSE_NAMES)]
    for path in files:
        if os.path.isfile(path):
            name = _declared_name(path, config.max_file_size)
            if name:
                return normalise_name(name)
    return normalise_name(os.path.basename(os.path.abspath(folder)))


def plan(
    bindings: Iterable[PortBinding],
    config: Config,
    *,
    profiles: Sequence[str] = (),
    k8s: bool = False,
    name: str | None = None,
    environ: dict[str, str] | None = None,
) -> tuple[list[Planned], int]:
    """The host binds starting the project makes, and how many inactive profiles skip."""
    env = environ or {}
    names: dict[str | None, str | None] = {}
    out: list[Planned] = []
    seen: set[tuple[object, ...]] = set()
    inactive = 0
    for b in bindings:
        if b.port is None or b.port == 0 or b.namespace is None or b.namespace.kind != "host":
            continue
        if b.role not in ("host", "listen", "node", "container"):
            continue
        if (b.kind in K8S_KINDS and not k8s) or b.editor_forward:
            continue  # an editor's forward moves to another port when this one is busy
        if b.protocol not in ("tcp", "udp", "sctp"):
            continue
        if not _active(b, profiles):
            inactive += 1
            continue
        if b.kind == "compose":
            if b.project not in names:
                names[b.project] = normalise_name(name) if name else project_name(b, config, env)
            project = names[b.project]
        else:
            project = None
        last = min(b.end_port or b.port, MAX_PORT)
        key = (b.kind, b.owner, b.host_ip, b.port, last, b.protocol, project)
        if key in seen:
            continue  # an override repeating its base's mapping binds it once
        seen.add(key)
        out.append(Planned(b, b.host_ip, b.port, last, b.protocol, project))
    return out, inactive


# --- what holds what ----------------------------------------------------------------------


def _holders(
    p: Planned,
    port: int,
    sockets: dict[tuple[str, int], list[Listener]],
    published: dict[tuple[str, int], list[Published]],
) -> list[Holder]:
    containers = [c for c in published.get((p.protocol, port), []) if blocks(p.address, c.address)]
    own = [c for c in containers if p.project is not None and c.project == p.project]
    out = [
        Holder(
            "container",
            c.protocol,
            c.address,
            c.port,
            c in own,
            container=c.container,
            compose_project=c.project,
        )
        for c in containers
    ]
    for s in sockets.get((p.protocol, port), []):
        if not blocks(p.address, s.address):
            continue
        # The proxy (or a hidden process) on the very address an own container
        # publishes is that container's: Docker holds the port for it.
        mine = s.process in (PROXY, None) and any(_same_place(c.address, s.address) for c in own)
        out.append(
            Holder(
                "socket",
                s.protocol,
                s.address,
                s.port,
                mine,
                pid=s.pid,
                process=s.process,
                uid=s.uid,
                other_user=s.other_user,
            )
        )
    return out


def judge(
    planned: Sequence[Planned],
    listeners: Sequence[Listener] | None,
    docker: Answer,
) -> list[Verdict]:
    """Each planned bind with what holds it now (``listeners`` None: tables not read)."""
    sockets: dict[tuple[str, int], list[Listener]] = {}
    for s in listeners or ():
        sockets.setdefault((s.protocol, s.port), []).append(s)
    published: dict[tuple[str, int], list[Published]] = {}
    for c in docker.published:
        published.setdefault((c.protocol, c.port), []).append(c)
    seen = listeners is not None
    verdicts = []
    for p in planned:
        all_holders: list[Holder] = []
        busy = 0
        for port in range(p.first, p.last + 1):
            found = _holders(p, port, sockets, published)
            all_holders.extend(found)
            busy += any(not h.own for h in found)
        size = p.last - p.first + 1
        # A range is Docker's choice of one free port in it: taken only when none is.
        if busy and busy == size:
            status = "taken"
        elif any(h.own for h in all_holders) and not busy:
            status = "own"
        elif seen and p.protocol in ("tcp", "udp"):
            status = "free"
        else:
            status = "unknown"  # sctp, or no socket tables: not seen is not free
        verdicts.append(Verdict(p, status, all_holders, busy))
    return verdicts


def add_suggestions(
    verdicts: Sequence[Verdict],
    bindings: Sequence[PortBinding],
    listeners: Sequence[Listener] | None,
    docker: Answer,
    config: Config,
    cwd: str,
) -> None:
    """A replacement for each taken single port, as ``suggest`` picks one, and free now.

    Every port something listens on now, or a container publishes, counts as
    used, as do the ones suggested for earlier rows: no two rows get the same.
    """
    from portlint.commands.suggest import allocations_with, ephemeral_range
    from portlint.registry.free import suggest, used_ports

    taken = [v for v in verdicts if v.status == "taken" and v.planned.first == v.planned.last]
    if not taken:
        return
    used = used_ports(bindings)
    used.update(s.port for s in listeners or ())
    used.update(c.port for c in docker.published)
    allocations = allocations_with(config, cwd, None)
    ephemeral = ephemeral_range(config)
    for verdict in taken:
        found = suggest(1, verdict.planned.first, used, allocations, ephemeral)
        if found:
            verdict.suggestion = found[0]
            used.add(found[0])


# --- output ---------------------------------------------------------------------------------


def _what(p: Planned) -> str:
    b = p.binding
    if b.kind == "compose":
        project = f", project {p.project}" if p.project else ""
        return f"service {b.owner}{project}"
    if b.kind in K8S_KINDS:
        return f"{'nodePort' if b.role == 'node' else 'hostPort'} of {b.owner}"
    if b.key_path[:1] == ("scripts",) and len(b.key_path) > 1:
        return f"script {b.key_path[1]} of {b.owner}"
    return f"{b.kind} {b.owner}"


def render_text(report: Report, cwd: str) -> str:
    lines = []
    for v in report.verdicts:
        p = v.planned
        where = f"{p.protocol} {_show(p.address, p.first, p.last)}"
        head = f"{p.binding.location}: {v.status} {where} ({_what(p)})"
        others = [h for h in v.holders if not h.own]
        if v.status == "taken":
            held = "; ".join(dict.fromkeys(h.describe() for h in others))
            size = p.last - p.first + 1
            range_note = f"all {size} ports held, e.g. " if size > 1 else ""
            hint = f" (hint: use {v.suggestion}, free now)" if v.suggestion is not None else ""
            if not report.docker.asked and any(h.process == PROXY for h in others):
                held += " (a container's port: Docker was not asked which)"
            lines.append(f"{head}: held by {range_note}{held}{hint}")
        elif v.status == "own":
            mine = "; ".join(dict.fromkeys(h.describe() for h in v.holders if h.own))
            lines.append(f"{head}: this project's running {mine}")
        elif v.busy:
            held = "; ".join(dict.fromkeys(h.describe() for h in others))
            lines.append(f"{head}: {v.busy} of {p.last - p.first + 1} ports held ({held})")
        elif v.status == "unknown":
            lines.append(f"{head}: not seen")
        else:
            lines.append(head)
    if not report.verdicts:
        lines.append("no host ports to bind")
    lines.append("")
    if report.sockets_seen:
        lines.append("sockets: read from /proc/net (tcp, tcp6, udp, udp6)")
    else:
        lines.append(f"sockets: not seen ({report.sockets_note})")
    if report.docker.asked:
        lines.append(f"docker: asked {report.docker.socket}")
    else:
        lines.append(f"docker: not asked ({report.docker.note})")
    if report.inactive:
        lines.append(
            f"skipped: {report.inactive} host port(s) of services whose profiles are not active"
            " (--profile)"
        )
    counts = {s: sum(v.status == s for v in report.verdicts) for s in STATUSES}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines.append(f"{len(report.verdicts)} host port(s): {summary or 'none'}")
    return "\n".join(lines) + "\n"


STATUSES = ("free", "taken", "own", "unknown")


def _holder_dict(h: Holder) -> dict[str, Any]:
    return {
        "source": h.source,
        "protocol": h.protocol,
        "address": h.address,
        "port": h.port,
        "own": h.own,
        "pid": h.pid,
        "process": h.process,
        "uid": h.uid,
        "other_user": h.other_user,
        "container": h.container,
        "compose_project": h.compose_project,
    }


def render_json(report: Report) -> str:
    data = {
        "version": SCHEMA_VERSION,
        "sockets": {"seen": report.sockets_seen, "note": report.sockets_note or None},
        "docker": {
            "asked": report.docker.asked,
            "socket": report.docker.socket,
            "note": report.docker.note or None,
        },
        "projects": report.projects,
        "inactive": report.inactive,
        "ports": [
            {
                "path": v.planned.binding.location.path,
                "line": v.planned.binding.location.line,
                "column": v.planned.binding.location.column,
                "kind": v.planned.binding.kind,
                "owner": v.planned.binding.owner,
                "role": v.planned.binding.role,
                "project": v.planned.project,
                "host_ip": v.planned.address,
                "port": v.planned.first,
                "end_port": v.planned.last if v.planned.last != v.planned.first else None,
                "protocol": v.planned.protocol,
                "status": v.status,
                "busy": v.busy,
                "holders": [_holder_dict(h) for h in v.holders],
                "suggestion": v.suggestion,
            }
            for v in report.verdicts
        ],
    }
    return json.dumps(data, indent=2) + "\n"


# --- the command --------------------------------------------------------------------------


def build_report(args: argparse.Namespace, config: Config, cwd: str) -> Report:
    from portlint.commands import _docker
    from portlint.commands import _listening as sockets
    from portlint.commands.ports import collect

    if args.files and args.paths:
        raise UsageError("give folders or -f files, not both", hint="-f names the compose files")
    paths = list(args.files) if args.files else list(args.paths)
    for path in args.files:
        if not os.path.isfile(path):
            raise UsageError(f"-f {path}: no such file")
    bindings = collect(paths, config, cwd)
    environ = dict(os.environ) if config.use_environment else {}
    profiles = list(args.profile)
    if not profiles and environ.get("COMPOSE_PROFILES"):
        profiles = [p.strip() for p in environ["COMPOSE_PROFILES"].split(",") if p.strip()]
    planned, inactive = plan(
        bindings,
        config,
        profiles=profiles,
        k8s=args.k8s,
        name=args.project_name,
        environ=environ,
    )
    seen = sockets.supported()
    listeners = sockets.all_listeners() if seen else None
    note = "" if seen else "this system has no /proc/net socket tables; nothing is known free"
    docker = _docker.Answer(False, None, "--no-docker") if args.no_docker else _docker.ask()
    verdicts = judge(planned, listeners, docker)
    add_suggestions(verdicts, bindings, listeners, docker, config, cwd)
    projects = sorted({p.project for p in planned if p.project})
    return Report(verdicts, seen, note, docker, projects, inactive)


def run(args: argparse.Namespace) -> int:
    import dataclasses

    from portlint.commands import config_from_args

    if args.project_name is not None and not normalise_name(args.project_name):
        raise UsageError(f"-p {args.project_name!r} is no compose project name")
    config = dataclasses.replace(
        config_from_args(args).config, use_environment=args.use_environment
    )
    cwd = os.getcwd()
    report = build_report(args, config, cwd)
    fmt = args.format
    sys.stdout.write(render_json(report) if fmt == "json" else render_text(report, cwd))
    return EXIT_FINDINGS if any(v.status == "taken" for v in report.verdicts) else EXIT_CLEAN
