"""PL4xx: two claims on one port.

Collision checks see every binding of the run at once. They group bindings by
scope and protocol and index them by port, so a repository with 100,000
bindings costs a few dictionary operations per port, never a pairwise loop.
"""

from __future__ import annotations

import ipaddress
import posixpath
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from fnmatch import fnmatchcase

from portlint import identity
from portlint.bindings import Location, PortBinding, location_key
from portlint.findings import Finding, Severity
from portlint.rules._claims import (
    claimed_ports,
    describe,
    inside_pod,
    is_engine_picked,
    role_label,
    where,
)
from portlint.rules.base import Option, RuleContext, project_rule

MAX_EXPANDED_RANGE = 65536
MAX_RELATED = 20  # related locations shown per finding; also bounds the work per port


def ip_family(host_ip: str | None) -> int | None:
    """4 or 6 for an address, None for "all interfaces of both families"."""
    if host_ip is None or host_ip == "":
        return None
    try:
        return ipaddress.ip_address(host_ip.strip("[]")).version
    except ValueError:
        return None


def is_wildcard(host_ip: str | None) -> bool:
    return host_ip in (None, "", "0.0.0.0", "::")


def ips_overlap(a: str | None, b: str | None) -> bool:
    """Whether two host IPs can both receive one bind.

    No host IP means every interface of both families (what Docker does);
    ``0.0.0.0`` covers every IPv4 address and ``::`` every IPv6 address.
    """
    if a in (None, "") or b in (None, ""):
        return True
    if a == b:
        return True
    fa, fb = ip_family(a), ip_family(b)
    if fa != fb:
        return False
    return is_wildcard(a) or is_wildcard(b)


def same_claim(a: PortBinding, b: PortBinding) -> bool:
    """One claim reached twice (a base file and an override repeating it)."""
    return (
        a.owner == b.owner
        and a.host_ip == b.host_ip
        and a.port == b.port
        and a.end_port == b.end_port
        and a.protocol == b.protocol
        and a.target == b.target
        and a.target_end == b.target_end
    )


def fixed_ports(binding: PortBinding) -> range:
    """Ports a binding definitely occupies (an engine-picked range occupies none for sure)."""
    if binding.port is None:
        return range(0)
    if binding.end_port is not None and binding.target is not None and binding.target_end is None:
        return range(0)  # "8000-9000:80": the engine picks one; PL406 covers the overlap
    ports = binding.ports()
    return ports if len(ports) <= MAX_EXPANDED_RANGE else range(0)


def find_duplicates(
    bindings: Sequence[PortBinding],
) -> Iterator[tuple[PortBinding, list[PortBinding], int]]:
    """Each binding that repeats an earlier claim in its scope, with the earlier ones.

    Bindings are taken in location order, so the first claimant is never the
    one reported; that is also where a suppression belongs.
    """
    by_scope: dict[tuple[str, str], dict[int, list[PortBinding]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for binding in sorted(bindings, key=lambda b: location_key(b.location)):
        if binding.role != "host" or binding.project is None:
            continue
        index = by_scope[(binding.project, binding.protocol)]
        earlier: list[PortBinding] = []
        seen: set[int] = set()  # ids: a range meets the same claim on many ports
        clash_port = -1
        for port in fixed_ports(binding):
            for other in index.get(port, ()):
                if len(earlier) >= MAX_RELATED:
                    break
                if other is binding or id(other) in seen or same_claim(other, binding):
                    continue
                if ips_overlap(other.host_ip, binding.host_ip):
                    seen.add(id(other))
                    earlier.append(other)
                    if clash_port < 0:
                        clash_port = port
            index[port].append(binding)
        if earlier:
            yield binding, earlier, clash_port


@project_rule("PL401", "duplicate-host-port", severity=Severity.ERROR)
def duplicate_host_port(bindings: Sequence[PortBinding], ctx: RuleContext) -> Iterator[Finding]:
    """One Compose project or one pod publishes the same host port twice.

    ## When it fires
    Two services of one Compose project (its base file, overrides, `extends`
    and `include`s together), or two containers of one pod, bind the same host
    port and protocol on overlapping host IPs. No host IP means every
    interface, so it overlaps every specific IP; `0.0.0.0` overlaps every IPv4
    address and `::` every IPv6 address. `127.0.0.1:8080` and `127.0.0.2:8080`
    do not collide. Ranges collide when they share a port. The same entry
    repeated by an override is one claim, not two.

    ## Why it matters
    The second container fails to start with "port is already allocated",
    and which one wins depends on start order.

    ## How to fix
    Give one of the services another host port (`portlint suggest` proposes
    a free one), or bind them to different host IPs.

    ## How to silence
    The finding sits on the second claim (in file order); put
    `# portlint: ignore[PL401]` there.
    """
    for binding, earlier, port in find_duplicates(bindings):
        first = earlier[0]
        where = f"{first.location.path}:{first.location.line}:{first.location.column}"
        if first.location == binding.location:
            # One line, two services: the second inherits the entry through `extends`.
            message = (
                f"host port {port}/{binding.protocol} is published by {describe(first)} and "
                f'again by service "{binding.owner}", which inherits this entry via `extends`'
            )
            hint = "Compose appends inherited `ports`: move the entry out of the base service"
        else:
            message = (
                f"host port {port}/{binding.protocol} is already published by "
                f"{describe(first)} ({where})"
            )
            hint = "give one of them another host port, or bind them to different host IPs"
        yield ctx.finding(
            binding,
            message,
            hint=hint,
            related=[b.location for b in earlier],
            port=port,
        )


# --- PL402: the same port claimed in two places of one repository -----------


def _claimant(binding: PortBinding) -> tuple[str, str]:
    """Who claims: one owner of one project (or of one file, outside projects)."""
    return (binding.project or binding.location.path, binding.owner)


def _link(location: Location) -> tuple[str, int, int]:
    return (location.path, location.line, location.column)


def independent_folders(patterns: Sequence[str]) -> Callable[[str], str | None]:
    """Map a file path to the ``independent`` folder holding it (None: none does).

    A pattern matches a folder path (``examples/*`` matches ``examples/web``);
    the shortest matching ancestor wins, so everything below one sample
    belongs to that sample.
    """
    cache: dict[str, str | None] = {}
    globs = tuple(p.strip().rstrip("/") for p in patterns if p.strip())

    def folder_of(path: str) -> str | None:
        if path in cache:
            return cache[path]
        folder = posixpath.dirname(path)
        found: str | None = None
        parts = folder.split("/") if folder else []
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if any(fnmatchcase(prefix, glob) for glob in globs):
                found = prefix
                break
        cache[path] = found
        return found

    return folder_of


Claimant = tuple[str, str]


class _Claim:
    """One claim with the facts the conflict test needs, precomputed once."""

    __slots__ = ("binding", "claimant", "node", "order", "project", "wildcard")

    def __init__(
        self, order: int, binding: PortBinding, claimant: Claimant, project: str | None
    ) -> None:
        self.order = order  # position in path order
        self.binding = binding
        self.claimant = claimant
        self.project = project
        self.node = binding.role == "node"
        self.wildcard = binding.host_ip in (None, "")

    def contests(self, other: _Claim) -> bool:
        """Whether an earlier claim on the same port and protocol conflicts with this one."""
        if other.claimant == self.claimant:
            return False  # one claim reached twice (an override, an interpolated .env value)
        if other.project is not None and other.project == self.project:
            return False  # one compose project or pod: PL401's business
        if other.node and self.node:
            return False  # PL404's business
        if self.wildcard or other.wildcard:
            return True
        return ips_overlap(other.binding.host_ip, self.binding.host_ip)


def _inside_a_service(bindings: Sequence[PortBinding]) -> set[tuple[str, int]]:
    """(folder name, port) pairs a compose service listens on inside its container.

    An app's own ``.env`` or config in ``frontend/`` saying ``PORT=5173`` is
    the port of the ``frontend`` service's container, not a second claim.
    """
    inside: set[tuple[str, int]] = set()
    for b in bindings:
        if b.kind != "compose":
            continue
        port = b.target if b.role == "host" else b.port if b.role == "container" else None
        if port is None:
            continue
        for name in {b.owner, *b.identities}:
            inside.add((name, port))
    return inside


def _project_folder(project: str) -> str | None:
    """The folder of a compose project key (``compose:api`` or ``compose:api/stack.yml``)."""
    kind, _, rest = project.partition(":")
    if kind != "compose" or not rest:
        return None
    return posixpath.dirname(rest) if rest.endswith((".yml", ".yaml")) else rest


def _env_file_ports(bindings: Sequence[PortBinding]) -> dict[tuple[str, int], list[PortBinding]]:
    """(.env path, port) -> the compose bindings of the project that ``.env`` configures.

    A ``.env`` beside a compose file, or one a service names in ``env_file:``,
    belongs to that project; a port there is keyed by the binding's host port
    and by its container port.
    """
    out: dict[tuple[str, int], list[PortBinding]] = defaultdict(list)
    for b in bindings:
        if b.kind != "compose" or b.role not in ("host", "container"):
            continue
        folders = {posixpath.dirname(b.location.path)}
        folder = _project_folder(b.project) if b.project else None
        if folder is not None:
            folders.add("" if folder == "." else folder)
        envs = {posixpath.join(f, ".env") for f in folders}
        envs.update(value for key, value in b.extra if key == "env_file")
        ports = {b.target} if b.role == "host" else {b.port}
        if b.role == "host" and not is_engine_picked(b):
            ports.add(b.port)
        for env in envs:
            for port in ports:
                if port is not None:
                    out[(env, port)].append(b)
    return out


def _project_env_claim(
    b: PortBinding, env_ports: dict[tuple[str, int], list[PortBinding]]
) -> PortBinding | None:
    """The compose binding a project's ``.env`` port repeats, if any.

    ``PORT=3000`` beside ``"3000:3000"`` is the service's own port: one claim,
    not two. A bare ``PORT`` is the project's app; a named key
    (``REDIS_PORT``) must name the service (its name, container name or
    image), so ``ADMIN_PORT`` sharing a value with another service still
    collides.
    """
    if b.kind != "dotenv" or b.role != "listen" or b.port is None:
        return None
    candidates = env_ports.get((b.location.path, b.port))
    if not candidates:
        return None
    key = str(b.key_path[0]).upper() if b.key_path else ""
    if key in ("PORT", "PORTS"):
        return candidates[0]
    names = identity.binding_names(b)
    for candidate in candidates:
        if identity.matches(names, identity.binding_names(candidate)):
            return candidate
    return None


def _claims(bindings: Sequence[PortBinding]) -> list[_Claim]:
    """Claims in path order; an interpolated port belongs to the claimant of its .env value."""
    inside = _inside_a_service(bindings)
    env_ports = _env_file_ports(bindings)
    services = {id(b): s for b in bindings if (s := _project_env_claim(b, env_ports)) is not None}

    def in_container(b: PortBinding) -> bool:
        """The ``.env`` port is the service's container port only: no host claim at all."""
        service = services.get(id(b))
        return service is not None and b.port not in claimed_ports(service)

    echoes = {_link(b.origin) for b in bindings if b.origin is not None}
    found = [
        b
        for b in bindings
        if b.role in ("host", "listen", "node")
        and (b.origin is not None or _link(b.location) not in echoes)  # the .env value
        and b.port is not None
        and not (
            b.role == "listen"
            and (
                inside_pod(b)
                or in_container(b)
                or (posixpath.basename(posixpath.dirname(b.location.path)), b.port) in inside
            )
        )
    ]
    found.sort(key=lambda b: (b.location.path, b.location.line, b.location.column))
    at: dict[tuple[str, int, int], Claimant] = {}
    used_in: dict[tuple[str, int, int], str | None] = {}  # .env value -> project using it
    for binding in found:
        service = services.get(id(binding))
        at.setdefault(_link(binding.location), _claimant(service or binding))
        if service is not None:
            used_in.setdefault(_link(binding.location), service.project)
        if binding.origin is not None:
            used_in.setdefault(_link(binding.origin), binding.project)
    out = []
    for order, binding in enumerate(found):
        here = _link(binding.location)
        own = at[here]
        if binding.origin is not None:
            own = at.get(_link(binding.origin), own)
        project = binding.project if binding.project is not None else used_in.get(here)
        out.append(_Claim(order, binding, own, project))
    return out


def find_repository_conflicts(
    bindings: Sequence[PortBinding], independent: Sequence[str] = ()
) -> Iterator[tuple[PortBinding, int, list[PortBinding]]]:
    """Each claimant of a port after the first, with up to MAX_RELATED earlier claimants.

    Earlier claims are kept per port and per ``independent`` folder, once per
    claimant, so a claim only looks at claims it can conflict with and stops
    after MAX_RELATED: the work grows linearly with the number of bindings.
    """
    folder_of = independent_folders(independent) if independent else None
    index: dict[tuple[str, int], dict[str | None, list[_Claim]]] = {}
    seen: set[tuple[str, int, Claimant]] = set()
    for claim in _claims(bindings):
        binding = claim.binding
        folder = folder_of(binding.location.path) if folder_of is not None else None
        reported = False
        single = binding.port if binding.end_port is None else None
        ports = (single,) if single is not None else claimed_ports(binding)
        for port in ports:
            mark = (binding.protocol, port, claim.claimant)
            if mark in seen:
                continue  # this claimant already holds the port (and was judged then)
            seen.add(mark)
            buckets = index.setdefault((binding.protocol, port), {})
            if not reported and buckets:
                pools = (
                    list(buckets.values())
                    if folder is None
                    else [buckets.get(None, []), buckets.get(folder, [])]
                )
                earlier = _earlier_contestants(pools, claim)
                if earlier:
                    reported = True
                    yield binding, port, earlier
            buckets.setdefault(folder, []).append(claim)


def _earlier_contestants(pools: Sequence[Sequence[_Claim]], claim: _Claim) -> list[PortBinding]:
    earlier: list[_Claim] = []
    for pool in pools:
        for other in pool:
            if claim.contests(other):
                earlier.append(other)
                if len(earlier) >= MAX_RELATED:
                    break
        if len(earlier) >= MAX_RELATED:
            break
    if len(pools) > 1:
        earlier.sort(key=lambda c: c.order)
    return [c.binding for c in earlier]


@project_rule(
    "PL402",
    "repository-port-conflict",
    severity=Severity.WARNING,
    options=(
        Option(
            "independent",
            "list[str]",
            [],
            "globs of folders whose projects never run together (`examples/*`); "
            "claims in two different such folders do not conflict",
        ),
    ),
)
def repository_port_conflict(
    bindings: Sequence[PortBinding], ctx: RuleContext
) -> Iterator[Finding]:
    """Two owners anywhere in the repository claim the same port.

    ## When it fires
    Different owners claim the same host, listening or node port and
    protocol outside the one Compose project or pod that PL401 covers: two
    compose projects, a compose file and a `.env`, two keys of one `.env`, a
    Kubernetes `hostPort` and a compose service. Each contested port is
    reported once per claimant after the first (in path order), with the
    earlier claimants as related locations, never once per pair. The same
    claim reached twice (a `.env` value interpolated into a compose file, an
    override repeating its base) is one claim.

    A repository of independent samples (each publishing 3000 or 8080) can set
    the `independent` option to the folders whose projects never run
    together, e.g. `independent = ["examples/*"]`; portlint suggests it when
    more than ten of these findings come from sibling folders.

    ## Why it matters
    In a product repository the projects run side by side on one laptop or
    host, and the second one to start fails with "address already in use".

    ## How to fix
    Give one owner another port (`portlint suggest`), or record which service
    owns it in the allocation file.

    ## How to silence
    Set `independent` for sample collections; otherwise the finding sits on
    the later claim, where `# portlint: ignore[PL402]` goes.
    """
    independent = ctx.options.get("independent") or ()
    if isinstance(independent, str):
        independent = (independent,)
    for binding, port, earlier in find_repository_conflicts(bindings, tuple(independent)):
        first = earlier[0]
        more = len(earlier) - 1
        others = ""
        if more:
            at_least = "at least " if len(earlier) >= MAX_RELATED else ""
            others = f" and {at_least}{more} other{'s' if more > 1 else ''}"
        yield ctx.finding(
            binding,
            f"{role_label(binding)} {port}/{binding.protocol} is also claimed by "
            f"{describe(first)} ({where(first)}){others}",
            hint="give one of them another port, or, if these projects never run together, "
            "list their folders in PL402's `independent` option",
            related=[b.location for b in earlier],
            port=port,
        )


SIBLING_HINT_THRESHOLD = 10


def sibling_note(findings: Sequence[Finding]) -> str | None:
    """The one-line suggestion of `independent`, when sample folders dominate PL402.

    A finding counts when its location and its first related location sit in
    different sub-folders of one parent (``examples/a`` vs ``examples/b``).
    """
    counts: dict[str, int] = defaultdict(int)
    for finding in findings:
        if finding.code != "PL402" or not finding.related:
            continue
        a = posixpath.dirname(finding.location.path).split("/")
        b = posixpath.dirname(finding.related[0].path).split("/")
        common = 0
        while common < min(len(a), len(b)) and a[common] == b[common] and a[common]:
            common += 1
        if common < len(a) and common < len(b):
            counts["/".join(a[:common]) or "."] += 1
    if not counts:
        return None
    parent, count = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    if count <= SIBLING_HINT_THRESHOLD:
        return None
    glob = "*" if parent == "." else f"{parent}/*"
    return (
        f"{count} PL402 findings are between sibling folders of {parent}/; if their projects "
        f'never run together, set PL402\'s option independent = ["{glob}"]'
    )


# --- PL403: one network namespace, one port ----------------------------------


def _namespace(binding: PortBinding) -> tuple[str, str] | None:
    """The network namespace a binding listens in (None: not known to be shared)."""
    if binding.project is None:
        return None
    if binding.kind == "kubernetes":
        if dict(binding.extra).get("container_group") == "initContainers":
            return None  # init containers run before the others, one at a time
        return (binding.project, "")
    if binding.kind == "compose":
        mode = dict(binding.extra).get("network_mode", "")
        kind, _, target = mode.partition(":")
        if kind in ("service", "container") and target:
            return (binding.project, target)
        return (binding.project, binding.owner)
    return None


def _inner_ports(binding: PortBinding) -> range:
    """The ports a binding listens on inside its namespace."""
    if binding.kind == "compose" and binding.role == "host" and binding.target is not None:
        end = binding.target_end if binding.target_end is not None else binding.target
        return range(binding.target, end + 1)
    if binding.role == "container" and binding.port is not None:
        ports = binding.ports()
        return ports if len(ports) <= MAX_EXPANDED_RANGE else range(0)
    return range(0)


@project_rule("PL403", "duplicate-container-port", severity=Severity.ERROR)
def duplicate_container_port(
    bindings: Sequence[PortBinding], ctx: RuleContext
) -> Iterator[Finding]:
    """Two containers sharing one network namespace declare the same port.

    ## When it fires
    Two containers of one pod, or a compose service and the services that
    join it with `network_mode: "service:NAME"`, declare the same container
    port and protocol (`containerPort`, `expose`, the container side of
    `ports`).

    ## Why it matters
    Containers in one network namespace share `localhost` and every port; the
    second process to bind gets "address already in use" and the pod or
    service crash-loops.

    ## How to fix
    Configure one of the processes to listen on another port.

    ## How to silence
    The finding sits on the second declaration; `# portlint: ignore[PL403]`
    goes there.
    """
    first_by: dict[tuple[tuple[str, str], str, int], PortBinding] = {}
    declared: set[tuple[tuple[tuple[str, str], str, int], str]] = set()
    for binding in sorted(bindings, key=lambda b: location_key(b.location)):
        space = _namespace(binding)
        if space is None:
            continue
        for port in _inner_ports(binding):
            key = (space, binding.protocol, port)
            first = first_by.setdefault(key, binding)
            if (key, binding.owner) in declared:
                continue
            declared.add((key, binding.owner))
            if first.owner != binding.owner:
                shared = (
                    "the same pod"
                    if binding.kind == "kubernetes"
                    else f'the network namespace of service "{space[1]}"'
                )
                yield ctx.finding(
                    binding,
                    f"container port {port}/{binding.protocol} is already declared by "
                    f"{describe(first)} ({where(first)}) in {shared}",
                    hint="containers sharing a network namespace share its ports; "
                    "make one of them listen on another port",
                    related=[first.location],
                    port=port,
                )
                break


# --- PL404: two Services, one nodePort ---------------------------------------


@project_rule("PL404", "duplicate-node-port", severity=Severity.ERROR)
def duplicate_node_port(bindings: Sequence[PortBinding], ctx: RuleContext) -> Iterator[Finding]:
    """Two Services use the same nodePort.

    ## When it fires
    Two different Services (by name) set the same `nodePort` and protocol.
    The same Service repeated by an overlay is one claim.

    ## Why it matters
    A nodePort is opened on every node of the cluster; the API server refuses
    the second Service with "provided port is already allocated".

    ## How to fix
    Give one Service another nodePort, or omit `nodePort` and let Kubernetes
    pick one.

    ## How to silence
    `# portlint: ignore[PL404]` on the second Service's `nodePort`.
    """
    first_by: dict[tuple[str, int], PortBinding] = {}
    owners: set[tuple[str, int, str]] = set()
    for binding in sorted(bindings, key=lambda b: location_key(b.location)):
        if binding.role != "node" or binding.port is None:
            continue
        first = first_by.setdefault((binding.protocol, binding.port), binding)
        mark = (binding.protocol, binding.port, binding.owner)
        if mark in owners:
            continue  # the same Service again (an overlay): one claim
        owners.add(mark)
        if first.owner != binding.owner:
            yield ctx.finding(
                binding,
                f"nodePort {binding.port}/{binding.protocol} is already used by "
                f"{describe(first)} ({where(first)})",
                hint="give one Service another nodePort, or omit it and let Kubernetes pick",
                related=[first.location],
            )


# --- PL405: names that point at nothing ---------------------------------------


@project_rule("PL405", "dangling-target-port", severity=Severity.WARNING)
def dangling_target_port(bindings: Sequence[PortBinding], ctx: RuleContext) -> Iterator[Finding]:
    """A Service targetPort name or probe port name no container declares.

    ## When it fires
    A Service's `targetPort` is a port name (`targetPort: http`) and no
    container port in the same manifest set (the folder holding the Service)
    has that name; or a liveness, readiness or startup probe names a port its
    own pod does not declare. Ingress backends naming Service ports are not
    checked.

    ## Why it matters
    Kubernetes accepts the manifest, then the Service has no endpoints or the
    probe fails forever: traffic goes nowhere, pods restart in a loop.

    ## How to fix
    Name the container port (`ports: [{name: http, containerPort: 8080}]`) or
    use the number.

    ## How to silence
    `# portlint: ignore[PL405]` on the reference.
    """
    by_pod: dict[str, set[str]] = defaultdict(set)
    by_folder: dict[str, set[str]] = defaultdict(set)
    refs: list[tuple[PortBinding, str, str]] = []
    for binding in bindings:
        extra = dict(binding.extra)
        if binding.port is None and "ref" in extra:
            refs.append((binding, extra["ref"], extra.get("port_name", "")))
        elif binding.role == "container" and extra.get("name"):
            by_folder[posixpath.dirname(binding.location.path)].add(extra["name"])
            if binding.project is not None:
                by_pod[binding.project].add(extra["name"])
    for binding, ref, name in sorted(refs, key=lambda r: location_key(r[0].location)):
        folder = posixpath.dirname(binding.location.path)
        if ref == "targetPort" and name not in by_folder[folder]:
            yield ctx.finding(
                binding,
                f'targetPort "{name}" of {describe(binding)} names no container port '
                + (f"in {folder}/" if folder else "in the manifests beside it"),
                hint=f'name a container port "{name}", or use the port number',
            )
        elif ref == "probe":
            declared = by_pod[binding.project] if binding.project else by_folder[folder]
            if name not in declared:
                yield ctx.finding(
                    binding,
                    f'probe port "{name}" of {describe(binding)} is not a port name of its pod',
                    hint=f'name the container port "{name}", or use the port number',
                )


# --- PL406: an engine-picked range over a fixed port --------------------------


@project_rule("PL406", "possible-host-port-overlap", severity=Severity.WARNING)
def possible_host_port_overlap(
    bindings: Sequence[PortBinding], ctx: RuleContext
) -> Iterator[Finding]:
    """A host port range the engine picks from overlaps a fixed host port.

    ## When it fires
    A compose mapping like `"8000-9000:80"` lets the engine pick any free host
    port in the range, and another service of the same project publishes a
    fixed host port inside it (`"8080:8080"`), on the same protocol and
    overlapping host IPs.

    ## Why it matters
    Start order decides: if the ranged service starts first and picks 8080,
    the fixed one fails. It works on one machine and fails on the next.

    ## How to fix
    Move the range or the fixed port so they do not overlap.

    ## How to silence
    `# portlint: ignore[PL406]` on the range.
    """
    fixed: dict[tuple[str, str], list[tuple[int, PortBinding]]] = defaultdict(list)
    ranged: list[PortBinding] = []
    for binding in bindings:
        if binding.role != "host" or binding.project is None or binding.port is None:
            continue
        if is_engine_picked(binding):
            ranged.append(binding)
        else:
            for port in fixed_ports(binding):
                fixed[(binding.project, binding.protocol)].append((port, binding))
    for entries in fixed.values():
        entries.sort(key=lambda e: (e[0], location_key(e[1].location)))
    for binding in sorted(ranged, key=lambda b: location_key(b.location)):
        entries = fixed.get((binding.project or "", binding.protocol), [])
        end = binding.last_port or 0
        i = bisect_left(entries, binding.port or 0, key=lambda e: e[0])
        while i < len(entries) and entries[i][0] <= end:
            port, other = entries[i]
            if ips_overlap(other.host_ip, binding.host_ip):
                yield ctx.finding(
                    binding,
                    f"host port range {binding.port}-{end}/{binding.protocol} includes "
                    f"{port}, published by {describe(other)} ({where(other)})",
                    hint="the engine may pick that port first; move the range or the fixed port",
                    related=[other.location],
                    port=port,
                )
                break
            i += 1


RULES = (
    duplicate_host_port,
    repository_port_conflict,
    duplicate_container_port,
    duplicate_node_port,
    dangling_target_port,
    possible_host_port_overlap,
)
