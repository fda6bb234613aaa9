"""PL4xx: two claims on one port.

Collision checks see every binding of the run at once. They group bindings by
scope and protocol and index them as port intervals (never port by port: a
repository may write ``"1-65535:1-65535"`` thousands of times), filed by host
IP so a binding only meets the claims it can collide with, and they stop after
MAX_RELATED of those: the work grows with the number of bindings, never with
the length of their ranges or the number of pairs.
"""

from __future__ import annotations

import ipaddress
import posixpath
from bisect import bisect_left, insort
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from itertools import islice
from typing import Any

from portlint import identity
from portlint.bindings import Location, Namespace, PortBinding, location_key
from portlint.findings import Finding, Severity
from portlint.globs import shortest_matching_folder
from portlint.rules._claims import (
    claimed_ports,
    describe,
    is_engine_picked,
    on_shared_machine,
    role_label,
    where,
)
from portlint.rules._intervals import (
    FirstMap,
    IntervalSet,
    PortTree,
    merged,
    path_nodes,
    span_nodes,
    tree_size,
)
from portlint.rules._together import (
    alternatives_key,
    format_twin_key,
    profiles_meet,
    run_groups,
)
from portlint.rules.base import FixInfo, Option, RuleContext, project_rule
from portlint.rules.fixes import PortPicker, new_port_fix

MAX_EXPANDED_RANGE = 65536
MAX_RELATED = 20  # related locations shown per finding; also bounds the work per port


@lru_cache(maxsize=1024)  # a repository writes a few host IPs, tens of thousands of times
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


IpKey = tuple[str, object]


@lru_cache(maxsize=1024)
def _stored_under(host_ip: str | None) -> tuple[IpKey, ...]:
    """The index keys a claim on ``host_ip`` is filed under (see :func:`_overlapping_keys`)."""
    family = ip_family(host_ip)
    if family is None:
        return (("all", None), ("ip", host_ip))
    return (("all", None), ("ip", host_ip), ("family", family))


@lru_cache(maxsize=1024)
def _overlapping_keys(host_ip: str | None) -> tuple[IpKey, ...]:
    """Disjoint index keys holding exactly the claims whose IP ``ips_overlap`` ``host_ip``.

    Looking up these few keys replaces testing every earlier claim, so a
    thousand services on a thousand different loopback addresses cost no
    pairwise loop.
    """
    if host_ip is None or host_ip == "":
        return (("all", None),)
    family = ip_family(host_ip)
    if is_wildcard(host_ip):
        return (("ip", None), ("ip", ""), ("family", family))
    if family is None:
        return (("ip", None), ("ip", ""), ("ip", host_ip))
    return (("ip", None), ("ip", ""), ("ip", host_ip), ("ip", "0.0.0.0" if family == 4 else "::"))


def _port_span(ports: range) -> tuple[int, int]:
    return ports.start, ports.stop - 1


class _SameClaims:
    """The claims of one scope that repeat one entry (see :func:`same_claim`).

    They overlap every other claim alike, so the index holds the group once;
    members are kept in order, each object once.
    """

    __slots__ = ("first", "ids", "lo", "members")

    def __init__(self, first: int, lo: int) -> None:
        self.first = first
        self.lo = lo
        self.members: list[tuple[int, PortBinding]] = []
        self.ids: set[int] = set()


def _meets(binding: PortBinding, group: _SameClaims) -> bool:
    """Whether the services can run at once: a group is one service, so one profile set."""
    return profiles_meet(binding.profiles, group.members[0][1].profiles)


def _first_order(group: _SameClaims) -> int:
    return group.first


class _DuplicateScope:
    """PL401's index of one project and protocol, on intervals."""

    __slots__ = ("groups", "size", "trees")

    def __init__(self, size: int) -> None:
        self.size = size
        self.groups: dict[tuple[object, ...], _SameClaims] = {}
        self.trees: dict[IpKey, PortTree[_SameClaims]] = {}

    def earlier(
        self, binding: PortBinding, lo: int, hi: int, own: _SameClaims | None
    ) -> list[tuple[int, int, PortBinding]]:
        """Up to MAX_RELATED earlier claims overlapping ``lo..hi``, as (first shared port, order).

        The order is what a port-by-port scan gives: by the lowest port shared,
        then in file order. The first MAX_RELATED claims come from the first
        MAX_RELATED groups in that order, so no more groups are looked at.
        """
        trees = [t for k in _overlapping_keys(binding.host_ip) if (t := self.trees.get(k))]
        chosen: list[tuple[int, _SameClaims]] = []
        covering = [found for tree in trees for found in tree.covering(lo)]
        for group in merged(covering, key=_first_order):
            if group is not own and _meets(binding, group):
                chosen.append((lo, group))
                if len(chosen) >= MAX_RELATED:
                    break
        if len(chosen) < MAX_RELATED and lo < hi:
            starting = [tree.starting(lo + 1, hi) for tree in trees]
            for start, group in merged(starting, key=lambda sg: (sg[0], sg[1].first)):
                if group is not own and _meets(binding, group):
                    chosen.append((start, group))
                    if len(chosen) >= MAX_RELATED:
                        break
        members = (
            [(shared, order, other) for order, other in group.members[:MAX_RELATED]]
            for shared, group in chosen
        )
        return list(islice(merged(members, key=lambda m: (m[0], m[1])), MAX_RELATED))

    def add(self, binding: PortBinding, lo: int, hi: int, order: int) -> None:
        key = _claim_key(binding)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _SameClaims(order, lo)
            for index_key in _stored_under(binding.host_ip):
                tree = self.trees.get(index_key)
                if tree is None:
                    tree = self.trees[index_key] = PortTree(self.size)
                tree.add(lo, hi, group)
        if id(binding) not in group.ids:
            group.ids.add(id(binding))
            group.members.append((order, binding))


def _claim_key(binding: PortBinding) -> tuple[object, ...]:
    """What :func:`same_claim` compares, as a dictionary key."""
    return (
        binding.owner,
        binding.host_ip,
        binding.port,
        binding.end_port,
        binding.protocol,
        binding.target,
        binding.target_end,
    )


def find_duplicates(
    bindings: Sequence[PortBinding],
) -> Iterator[tuple[PortBinding, list[PortBinding], int]]:
    """Each binding that repeats an earlier claim in its scope, with the earlier ones.

    Bindings are taken in location order, so the first claimant is never the
    one reported; that is also where a suppression belongs. Claims are kept
    as intervals: ``"1-65535:1-65535"`` in 2,000 services costs what 2,000
    single ports cost.
    """
    hosts = [b for b in bindings if b.role == "host" and b.project is not None]
    hosts.sort(key=lambda b: location_key(b.location))
    size = tree_size(max((b.last_port or 0 for b in hosts), default=0))
    # A scope serves only its own later bindings: it goes after its last one.
    pending: dict[tuple[str, str], int] = {}
    for binding in hosts:
        scope_key = (binding.project or "", binding.protocol)
        pending[scope_key] = pending.get(scope_key, 0) + 1
    scopes: dict[tuple[str, str], _DuplicateScope] = {}
    for order, binding in enumerate(hosts):
        scope_key = (binding.project or "", binding.protocol)
        later = pending[scope_key] - 1
        if later:
            pending[scope_key] = later
        else:
            del pending[scope_key]
        ports = fixed_ports(binding)
        if not ports:
            if not later:
                scopes.pop(scope_key, None)
            continue
        lo, hi = _port_span(ports)
        scope = scopes.get(scope_key) if later else scopes.pop(scope_key, None)
        if scope is None:
            scope = _DuplicateScope(size)
            if later:
                scopes[scope_key] = scope
        found = scope.earlier(binding, lo, hi, scope.groups.get(_claim_key(binding)))
        if later:
            scope.add(binding, lo, hi, order)
        if found:
            yield binding, [other for _, _, other in found], found[0][0]


@project_rule(
    "PL401",
    "duplicate-host-port",
    severity=Severity.ERROR,
    fix=FixInfo(
        "move the later claim to the port `portlint suggest --near PORT` gives (in the `.env` "
        "the port comes from, if any) and claim it in the allocation file, if there is one",
        "unsafe",
    ),
    by_port=True,
)
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

    Compose profiles decide what starts: a service without `profiles` always
    starts, one with profiles only when one of them is active. Two services
    that both have profiles collide only when they share one (which profiles
    someone activates is not in the files); a service without profiles meets
    every other. Compose files of one folder that are separate projects
    (`docker-compose-v7.yml` beside `docker-compose.yml`) are alternatives and
    never meet; `compose.override.yaml` is merged with its base, as Compose
    does. Two services that are different implementations of one well-known
    service (one row of the table `portlint port N` shows: MySQL, MariaDB and
    Percona; Apache, nginx, Caddy and Traefik; MailHog and MailDev) are a
    choice the project offers, started one at a time, and do not fire; two
    services of the same program (two Redis) do. This can hide a reverse
    proxy and a web server that both publish 80 in one project.

    One written entry is one finding: when `extends` copies an entry into
    other services, the finding names the base service and its heirs.

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
    reported: dict[Location, _Duplicate] = {}
    picker = PortPicker(bindings, ctx.settings)
    for binding, earlier, port in find_duplicates(bindings):
        rivals = _one_per_location(
            [e for e in earlier if e.location != binding.location and not _alternatives(binding, e)]
        )
        inherited = any(e.location == binding.location for e in earlier)
        if not rivals and not inherited:
            continue  # alternatives of one service (MySQL and MariaDB): a developer starts one
        found = reported.get(binding.location)
        if found is None:
            reported[binding.location] = _Duplicate(binding, port, rivals, inherited)
            continue
        found.inherited = found.inherited or inherited
        seen = {r.location for r in found.rivals}
        found.rivals.extend(r for r in rivals if r.location not in seen)
    at: dict[Location, list[PortBinding]] = defaultdict(list)
    for b in bindings:
        if b.location in reported and b.role == "host":
            at[b.location].append(b)
    for location, dup in reported.items():
        base, heirs = _base_and_heirs(at[location])
        port, proto = dup.port, dup.binding.protocol
        one = len(heirs) == 1
        heir_names = ("service " if one else "services ") + " and ".join(
            f'"{h.owner}"' for h in heirs
        )
        if dup.rivals:
            first = dup.rivals[0]
            more = len(dup.rivals) - 1
            others = f" and {more} other{'s' if more > 1 else ''}" if more else ""
            message = (
                f"host port {port}/{proto} is already published by {describe(first)} "
                f"({where(first)}){others}"
            )
            if heirs:
                message += (
                    f"; {heir_names} {'inherits' if one else 'inherit'} this entry from "
                    f'"{base.owner}" via `extends` and {"claims" if one else "claim"} it too'
                )
            hint = "give one of them another host port, or bind them to different host IPs"
            fix = new_port_fix(base, port, picker) if not heirs else None
        else:
            fix = None
            message = (
                f"host port {port}/{proto} is published by service "
                f'"{base.owner}" and again by {heir_names}, which '
                f"{'inherits' if one else 'inherit'} this entry via `extends`"
            )
            hint = "Compose appends inherited `ports`: move the entry out of the base service"
        yield ctx.finding(
            base,
            message,
            hint=hint,
            related=[r.location for r in dup.rivals],
            port=port,
            fix=fix,
        )


def _alternatives(a: PortBinding, b: PortBinding) -> bool:
    """Two compose services that are different implementations of one service.

    Compose starts what it is asked to (``docker compose up mysql``), so a
    project may offer MySQL and MariaDB on one port; the containers of a
    pod always start together, so there is no choice there.
    """
    return a.service is not None and b.service is not None and identity.same_role(a, b)


def _one_per_location(claims: Sequence[PortBinding]) -> list[PortBinding]:
    """One claim per written entry: an entry ``extends`` copies is named by its base."""
    by_location: dict[Location, list[PortBinding]] = defaultdict(list)
    for claim in claims:
        by_location[claim.location].append(claim)
    return [_base_and_heirs(here)[0] for here in by_location.values()]


class _Duplicate:
    """One reported location of PL401: its port and every earlier rival."""

    __slots__ = ("binding", "inherited", "port", "rivals")

    def __init__(
        self, binding: PortBinding, port: int, rivals: list[PortBinding], inherited: bool
    ) -> None:
        self.binding = binding
        self.port = port
        self.rivals = rivals
        self.inherited = inherited


def _base_and_heirs(here: Sequence[PortBinding]) -> tuple[PortBinding, list[PortBinding]]:
    """The service that wrote an entry, and those that inherit it through ``extends``.

    Every service of an ``extends`` chain yields the entry at the base's
    line; the base is the service the key path names (``services.web.ports``).
    """
    owners = list(dict.fromkeys(b.owner for b in here))
    by_owner = {b.owner: b for b in here}
    named = next(
        (
            o
            for o in owners
            if len(by_owner[o].key_path) > 1
            and by_owner[o].key_path[0] == "services"
            and by_owner[o].key_path[1] == o
        ),
        owners[0],
    )
    return by_owner[named], [by_owner[o] for o in owners if o != named]


# --- PL402: the same port claimed in two places of one repository -----------


def _claimant(binding: PortBinding) -> tuple[str, str]:
    """Who claims: one owner of one project (or of one file, outside projects).

    One config written in two formats (``a.toml`` and ``a.yml``) is one claimant.
    """
    return (binding.project or format_twin_key(binding.location.path), binding.owner)


def _link(location: Location) -> tuple[str, int, int]:
    return (location.path, location.line, location.column)


DEFAULT_INDEPENDENT = tuple(
    f"**/{folder}/*" for folder in ("examples", "example", "samples", "sample", "demos")
)
"""Each sample of a collection is run on its own, from its folder (``cd
examples/x && docker compose up``): a folder of examples says so by its name,
whatever networks the samples share as a template. ``**/`` lets the folder sit
at any depth, and ``/*`` makes each of its subfolders one sample."""


def independent_folders(patterns: Sequence[str]) -> Callable[[str], str | None]:
    """Map a file path to the ``independent`` folder holding it (None: none does).

    A pattern is a gitignore-style glob matched against folder paths
    (``examples/*`` matches ``examples/web``); the shortest matching ancestor
    wins, so everything below one sample belongs to that sample.
    """
    cache: dict[str, str | None] = {}
    globs = tuple(p.strip() for p in patterns if p.strip())

    def folder_of(path: str) -> str | None:
        if path not in cache:
            cache[path] = shortest_matching_folder(globs, posixpath.dirname(path))
        return cache[path]

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


def _inside_a_service(
    bindings: Sequence[PortBinding], asked: set[tuple[str, int | None]]
) -> set[tuple[str, int]]:
    """(folder name, port) pairs a compose service listens on inside its container.

    An app's own ``.env`` or config in ``frontend/`` saying ``PORT=5173`` is
    the port of the ``frontend`` service's container, not a second claim.
    Only the ``asked`` pairs are kept: every compose binding gives some.
    """
    inside: set[tuple[str, int]] = set()
    for b in bindings:
        if b.service is None:
            continue
        port = b.target if b.role == "host" else b.port if b.role == "container" else None
        if port is None:
            continue
        for name in {b.owner, *b.identities}:
            if (name, port) in asked:
                inside.add((name, port))
    return inside


def _env_file_ports(
    bindings: Sequence[PortBinding], asked: set[tuple[str, int | None]]
) -> dict[tuple[str, int], list[PortBinding]]:
    """(.env path, port) -> the compose bindings of the project that ``.env`` configures.

    A ``.env`` beside a compose file, or one a service names in ``env_file:``,
    belongs to that project; a port there is keyed by the binding's host port
    and by its container port. Only the ``asked`` keys are kept.
    """
    out: dict[tuple[str, int], list[PortBinding]] = defaultdict(list)
    for b in bindings:
        if b.service is None or b.role not in ("host", "container"):
            continue
        folders = {posixpath.dirname(b.location.path)}
        folder = b.project_dir
        if folder is not None:
            folders.add("" if folder == "." else folder)
        envs = {posixpath.join(f, ".env") for f in folders}
        envs.update(b.env_files)
        ports = {b.target} if b.role == "host" else {b.port}
        if b.role == "host" and not is_engine_picked(b):
            ports.add(b.port)
        for env in envs:
            for port in ports:
                if port is not None and (env, port) in asked:
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
    if b.env_key is None or b.role != "listen" or b.port is None:
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
    listening = [b for b in bindings if b.role == "listen" and b.port is not None]
    inside = _inside_a_service(
        bindings,
        {
            (posixpath.basename(posixpath.dirname(b.location.path)), b.port)
            for b in listening
            if on_shared_machine(b)
        },
    )
    env_ports = _env_file_ports(
        bindings, {(b.location.path, b.port) for b in listening if b.env_key is not None}
    )
    del listening
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
        and on_shared_machine(b)
        and not (
            b.role == "listen"
            and (
                in_container(b)
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
        out.append(_Claim(order, binding, own, alternatives_key(project)))
    return out


class _Runs:
    """Claims in order, in runs of one project.

    A claim never contests its own project (PL401's business), so skipping
    that project costs one step per run, however many of its claims there are.
    """

    __slots__ = ("runs",)

    def __init__(self, first: _Claim) -> None:
        self.runs: list[tuple[str | None, list[_Claim]]] = [(first.project, [first])]

    def append(self, claim: _Claim) -> None:
        if self.runs[-1][0] == claim.project:
            self.runs[-1][1].append(claim)
        else:
            self.runs.append((claim.project, [claim]))

    def outside(self, project: str | None) -> Iterator[_Claim]:
        for owner, claims in self.runs:
            if project is None or owner != project:
                yield from claims


def _claim_order(claim: _Claim) -> int:
    return claim.order


_MIXED = object()
"""``_ClaimIndex.by_start``'s value where claims of two projects start at one port."""


class _ClaimIndex:
    """PL402's earlier claims of one partition (protocol, folder, role, host IP) as intervals.

    Most partitions of a repository hold a handful of claims (one compose
    project's, on one host IP), and a 100,000-file repository has tens of
    thousands of them: up to SMALL filings are a flat list
    ``[lo, hi, claim, ...]`` searched in full, a few dozen bytes each. Beyond
    that they move to a segment tree (``span_nodes``), where a node holding one
    claim holds it bare and one holding more holds its ``_Runs``.
    """

    __slots__ = ("by_start", "flat", "nodes", "size", "starts")

    SMALL = 24

    def __init__(self, size: int) -> None:
        self.size = size
        self.flat: list[Any] | None = []  # lo, hi, claim, lo, hi, claim, ...
        self.nodes: dict[int, _Claim | _Runs] = {}
        self.starts: list[int] = []
        # the project of the claims starting at a port, or _MIXED for several
        self.by_start: dict[int, object] = {}

    def add(self, lo: int, hi: int, nodes: list[int], claim: _Claim) -> None:
        """File ``claim`` on ``lo..hi``. ``nodes``: its ``span_nodes``, or empty until an
        index needs them (every index of a run has one size, so the first to compute them
        leaves them there for the others)."""
        flat = self.flat
        if flat is not None:
            if len(flat) < 3 * self.SMALL:
                flat += (lo, hi, claim)
                return
            self.flat = None
            for i in range(0, len(flat), 3):
                self._file(flat[i], span_nodes(self.size, flat[i], flat[i + 1]), flat[i + 2])
        if not nodes:
            nodes.extend(span_nodes(self.size, lo, hi))
        self._file(lo, nodes, claim)

    def _file(self, lo: int, nodes: Sequence[int], claim: _Claim) -> None:
        for node in nodes:
            held = self.nodes.get(node)
            if held is None:
                self.nodes[node] = claim
            elif isinstance(held, _Runs):
                held.append(claim)
            else:
                runs = self.nodes[node] = _Runs(held)
                runs.append(claim)
        if lo not in self.by_start:
            insort(self.starts, lo)
            self.by_start[lo] = claim.project
        elif (owner := self.by_start[lo]) is not _MIXED and owner != claim.project:
            self.by_start[lo] = _MIXED

    def covering(self, port: int, project: str | None) -> Iterator[Iterable[_Claim]]:
        """The claims on ``port`` outside ``project``, as streams in claim order."""
        flat = self.flat
        if flat is not None:
            found = []
            for i in range(0, len(flat), 3):
                if flat[i] <= port <= flat[i + 1]:
                    claim = flat[i + 2]
                    if project is None or claim.project != project:
                        found.append(claim)
            if found:
                yield found
            return
        for node in path_nodes(self.size, port):
            held = self.nodes.get(node)
            if held is None:
                continue
            if isinstance(held, _Runs):
                yield held.outside(project)
            elif project is None or held.project != project:
                yield (held,)

    def first_start(self, lo: int, hi: int, project: str | None) -> int | None:
        """The first start in ``lo..hi`` of a claim outside ``project``."""
        flat = self.flat
        if flat is not None:
            best: int | None = None
            for i in range(0, len(flat), 3):
                start = flat[i]
                if (
                    lo <= start <= hi
                    and (best is None or start < best)
                    and (project is None or flat[i + 2].project != project)
                ):
                    best = start
            return best
        i = bisect_left(self.starts, lo)
        while i < len(self.starts) and self.starts[i] <= hi:
            owner = self.by_start[self.starts[i]]
            if owner is _MIXED or project is None or owner != project:
                return self.starts[i]
            i += 1
        return None


Conflict = tuple[PortBinding, int, list[PortBinding]]


class _LastRun:
    """The last conflicts and claims computed, for the same list of bindings.

    PL402 and the contested-port count (``contested_ports``) group the same
    bindings with the same options in one run; grouping is the costliest step
    of a cold run, so the second asks here. Keyed by the list's identity (the
    list is held, so its id cannot be reused) and length; a run never changes
    its bindings after placing them.
    """

    __slots__ = ("bindings", "claims", "conflicts", "evidence", "size")

    def __init__(self) -> None:
        self.bindings: Sequence[PortBinding] | None = None
        self.size = -1
        self.claims: list[_Claim] | None = None
        self.conflicts: dict[tuple[object, ...], list[Conflict]] = {}
        self.evidence: list[Sequence[PortBinding] | None] = []

    def fresh(self, bindings: Sequence[PortBinding]) -> None:
        if self.bindings is not bindings or self.size != len(bindings):
            self.bindings, self.size = bindings, len(bindings)
            self.claims = None
            self.conflicts = {}
            self.evidence = []


_LAST = _LastRun()


def find_repository_conflicts(
    bindings: Sequence[PortBinding],
    independent: Sequence[str] = (),
    *,
    one_space: bool = True,
    run_together: Sequence[Sequence[str]] = (),
    evidence: Sequence[PortBinding] | None = None,
) -> list[Conflict]:
    """``_find_repository_conflicts``, computed once per bindings and options.

    ``evidence``: every binding of the run, when ``bindings`` are only those
    sharing ports with a change (``engine.incremental``); which projects run
    together is learnt from all of them.
    """
    _LAST.fresh(bindings)
    key = (
        tuple(independent),
        one_space,
        tuple(tuple(group) for group in run_together),
        None if evidence is None else id(evidence),
    )
    found = _LAST.conflicts.get(key)
    if found is None:
        _LAST.evidence.append(evidence)  # held, so its id is not reused while keyed
        found = _LAST.conflicts[key] = list(
            _find_repository_conflicts(
                bindings,
                independent,
                one_space=one_space,
                run_together=run_together,
                evidence=evidence,
            )
        )
    return found


def _shared_claims(bindings: Sequence[PortBinding]) -> list[_Claim]:
    _LAST.fresh(bindings)
    if _LAST.claims is None:
        _LAST.claims = _claims(bindings)
    return _LAST.claims


def _find_repository_conflicts(
    bindings: Sequence[PortBinding],
    independent: Sequence[str] = (),
    *,
    one_space: bool = True,
    run_together: Sequence[Sequence[str]] = (),
    evidence: Sequence[PortBinding] | None = None,
) -> Iterator[Conflict]:
    """Each claimant of a port after the first, with up to MAX_RELATED earlier claimants.

    A claim is judged on the ports its claimant did not hold yet, at the
    first of them an earlier claim contests. Earlier claims are kept as
    intervals, filed by protocol, ``independent`` folder, role and host IP,
    so a claim only looks at claims it can conflict with (minus its own
    project's, skipped a run at a time) and stops after MAX_RELATED: the work
    grows with the number of bindings, not with their ranges or their pairs.
    """
    folder_of = independent_folders(independent) if independent else None
    claims = _shared_claims(bindings)
    groups = run_groups(
        ((c.binding, c.binding.project) for c in claims),
        bindings if evidence is None else evidence,
        one_space=one_space,
        run_together=run_together,
    )
    size = tree_size(max((c.binding.last_port or 0 for c in claims), default=0))
    # An index serves only the later claims of its protocol and run group, and a
    # claimant's held ports only its own later claims: each goes once the last
    # of those is judged, so what is kept is what is still to be asked.
    # Likewise a claim is filed under a folder or host IP key only while a later
    # claim may look there (a repository without samples never looks by folder).
    pending: dict[tuple[str, str], int] = {}
    holding: dict[Claimant, int] = {}
    asked: dict[object, int] = {}
    for claim, group in zip(claims, groups, strict=True):
        part = (claim.binding.protocol, group)
        pending[part] = pending.get(part, 0) + 1
        holding[claim.claimant] = holding.get(claim.claimant, 0) + 1
        for key in (
            *_looked_up(claim.binding, folder_of),
            *_overlapping_keys(claim.binding.host_ip),
        ):
            asked[key] = asked.get(key, 0) + 1
    indexes: dict[tuple[str, str], dict[tuple[object, bool, IpKey], _ClaimIndex]] = {}
    held: dict[Claimant, dict[str, IntervalSet]] = {}  # by protocol
    for claim, group in zip(claims, groups, strict=True):
        binding = claim.binding
        part = (binding.protocol, group)
        later = pending[part] - 1
        if later:
            pending[part] = later
            partition = indexes.get(part)
        else:
            del pending[part]
            partition = indexes.pop(part, None)
        again = holding[claim.claimant] - 1
        if again:
            holding[claim.claimant] = again
            mine = held.get(claim.claimant)
        else:
            del holding[claim.claimant]
            mine = held.pop(claim.claimant, None)
        holds = mine.get(binding.protocol) if mine is not None else None
        folder = folder_of(binding.location.path) if folder_of is not None else None
        folders = _looked_up(binding, folder_of)
        for key in (*folders, *_overlapping_keys(binding.host_ip)):
            asked[key] -= 1
        if binding.end_port is None:
            lo = hi = binding.port or 0
        else:
            ports = claimed_ports(binding)
            if not ports:
                continue
            lo, hi = _port_span(ports)
        pieces = [(lo, hi)] if holds is None else holds.gaps(lo, hi)  # not held yet
        if not pieces:
            continue
        nodes = (False,) if claim.node else (False, True)
        found = (
            [
                index
                for f in folders
                for n in nodes
                for k in _overlapping_keys(binding.host_ip)
                if (index := partition.get((f, n, k))) is not None
            ]
            if partition
            else []
        )
        for piece_lo, piece_hi in pieces if found else ():
            port: int | None = piece_lo
            earlier = _contestants(found, piece_lo, claim)
            if not earlier and piece_lo < piece_hi:
                starts = [i.first_start(piece_lo + 1, piece_hi, claim.project) for i in found]
                port = min((s for s in starts if s is not None), default=None)
                earlier = _contestants(found, port, claim) if port is not None else []
            if port is not None and earlier:
                yield binding, port, earlier
                break
        if again:
            if holds is None:
                holds = held.setdefault(claim.claimant, {})[binding.protocol] = IntervalSet()
            for piece_lo, piece_hi in pieces:
                holds.add(piece_lo, piece_hi)
        if not later:
            continue
        if partition is None:
            partition = indexes[part] = {}
        stored = ("*",) if folder_of is None else ("*", folder)
        for piece_lo, piece_hi in pieces:
            spans: list[int] = []  # filled by the first index that needs them
            for f in stored:
                if not asked.get(f):
                    continue
                for k in _stored_under(binding.host_ip):
                    if not asked.get(k):
                        continue
                    index = partition.get((f, claim.node, k))
                    if index is None:
                        index = partition[(f, claim.node, k)] = _ClaimIndex(size)
                    index.add(piece_lo, piece_hi, spans, claim)


def _looked_up(
    binding: PortBinding, folder_of: Callable[[str], str | None] | None
) -> tuple[str | None, ...]:
    """The folder keys under which a claim looks for earlier claims: every claim's
    (``*``) outside an ``independent`` folder; inside one, those outside any (None)
    and its own folder's."""
    folder = folder_of(binding.location.path) if folder_of is not None else None
    return ("*",) if folder is None else (None, folder)


def _contestants(indexes: Sequence[_ClaimIndex], port: int, claim: _Claim) -> list[PortBinding]:
    """The first MAX_RELATED earlier claims on ``port`` that contest ``claim``, in order."""
    streams = [stream for i in indexes for stream in i.covering(port, claim.project)]
    return [c.binding for c in islice(merged(streams, key=_claim_order), MAX_RELATED)]


@project_rule(
    "PL402",
    "repository-port-conflict",
    severity=Severity.WARNING,
    fix=FixInfo(
        "move the later claim to the port `portlint suggest --near PORT` gives (in the `.env` "
        "the port comes from, if any) and claim it in the allocation file, if there is one",
        "unsafe",
    ),
    options=(
        Option(
            "independent",
            "list[str]",
            list(DEFAULT_INDEPENDENT),
            "globs of folders whose projects never run together; claims in two "
            "different such folders do not conflict. The default makes every "
            "sample of an `examples/` or `samples/` folder (at any depth) its own; "
            "a list you set replaces it",
        ),
        Option(
            "run-together",
            "list[list[str]]",
            [],
            'groups of folder globs whose projects run at the same time (`[["api", "web"]]`); '
            "claims in folders of one group conflict",
        ),
    ),
    by_port=True,
)
def repository_port_conflict(
    bindings: Sequence[PortBinding], ctx: RuleContext
) -> Iterator[Finding]:
    """Two owners that run at the same time claim the same port.

    ## When it fires
    Different owners claim the same host, listening or node port and
    protocol outside the one Compose project or pod that PL401 covers, and
    the files show that they run at the same time:

    - the repository keeps an allocation file (`ports.toml`): its ports are
      one space, so every claim meets every other;
    - the `run-together` option puts their folders in one group;
    - two compose projects join the same `external` network, or one names
      the other's `container_name` (in `external_links`, a URL or a `*_HOST`
      value of `environment`);
    - a `.env` that a compose project reads (beside it, or an `env_file`)
      belongs to that project; two keys of one file belong together.

    Without such evidence two projects are independent: a sample collection's
    examples, a devcontainer and a self-host compose file, an app's `.env`
    and a compose stack elsewhere. Each sample below an `examples/`,
    `example/`, `samples/`, `sample/` or `demos/` folder is independent of
    the others even when they share a network (the `independent` option's
    default; setting the option replaces it).

    Only ports on the host's network namespace meet: published compose
    ports, host networking, `hostPort`s and nodePorts, dev servers a package
    script starts, and a `.env` or config of an app the folders show running
    on the host (a `package.json` beside it, no Dockerfile). A port inside a
    container or pod (a chart's values, a config in a folder a Dockerfile
    builds) meets nothing outside it, and one whose namespace the files do
    not show is left out; `portlint ports` shows each binding's namespace.

    Ports independent projects share are not findings; one line
    after the findings counts them, and `portlint ports --contested` lists
    them with every claimant. Compose files of one folder that are separate
    projects (`docker-compose.yml` and `docker-compose-v7.yml`) are
    alternatives, never two claimants; so is one config in two formats
    (`traefik.sample.toml` and `traefik.sample.yml`).

    Each contested port is reported once per claimant after the first (in
    path order), with the earlier claimants as related locations, never once
    per pair. The same claim reached twice (a `.env` value interpolated into a
    compose file, an override repeating its base) is one claim. The
    `independent` option still separates folders inside one run group. A
    port a config connects to is a reference, not a claim, and never
    conflicts: `DB_PORT`, `SMTP_PORT`, `APACHE_PHP_UPSTREAM_PORT`,
    `datasource.port`, a load balancer's `servers`, a probe's `port` (see
    "Direction" in docs/ports.md).

    ## Why it matters
    Projects that run side by side on one laptop or host cannot share a
    port: the second one to start fails with "address already in use".

    ## How to fix
    Give one owner another port (`portlint suggest`), or record which service
    owns it in the allocation file.

    ## How to silence
    List folders that never run together in `independent`; otherwise the
    finding sits on the later claim, where `# portlint: ignore[PL402]` goes.
    """
    independent, together = _together_options(ctx.options)
    one_space = ctx.settings.allocations is not None
    found = find_repository_conflicts(
        bindings,
        independent,
        one_space=one_space,
        run_together=together,
        evidence=ctx.settings.whole,
    )
    picker = PortPicker(bindings, ctx.settings)
    for binding, port, earlier in found:
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
            fix=new_port_fix(binding, port, picker),
        )


def _together_options(
    options: Mapping[str, object],
) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """PL402's ``independent`` globs and ``run-together`` groups, as tuples."""
    independent = options.get("independent") or ()
    if isinstance(independent, str):
        independent = (independent,)
    together = options.get("run-together") or ()
    groups = tuple(
        (group,) if isinstance(group, str) else tuple(str(g) for g in group)
        for group in together  # type: ignore[attr-defined]
    )
    return tuple(str(i) for i in independent), groups  # type: ignore[attr-defined]


Contested = tuple[int, str, list[PortBinding]]


def contested_ports(
    bindings: Sequence[PortBinding],
    options: Mapping[str, object],
    *,
    one_space: bool,
    evidence: Sequence[PortBinding] | None = None,
) -> list[Contested]:
    """Ports more than one independent project claims: (port, protocol, claimants).

    These are what PL402 would report if every project ran at the same time,
    minus what it reports with the evidence it has: ports that need a person
    to say whether the projects run together. ``evidence``: see
    :func:`find_repository_conflicts`.
    """
    if one_space:
        return []
    independent, together = _together_options(options)
    reported = {
        (id(b), port)
        for b, port, _ in find_repository_conflicts(
            bindings, independent, one_space=False, run_together=together, evidence=evidence
        )
    }
    by_port: dict[tuple[int, str], list[PortBinding]] = {}
    members: dict[tuple[int, str], set[int]] = {}  # a crowded port has thousands
    # Streamed, not kept: nothing else asks for the conflicts of one space, and in a
    # large repository they are tens of thousands of lists of related claims.
    # A claimant is met once per later claim that names it: it is told apart by
    # identity there (a binding's hash covers its thirty-six fields), and equal
    # bindings are merged once per port at the end.
    every = _find_repository_conflicts(bindings, independent, evidence=evidence)
    for binding, port, earlier in every:
        if (id(binding), port) in reported:
            continue
        key = (port, binding.protocol)
        claimants = by_port.setdefault(key, [])
        seen = members.setdefault(key, set())
        for b in (*earlier, binding):
            if id(b) not in seen:
                seen.add(id(b))
                claimants.append(b)
    return [
        (port, proto, list(dict.fromkeys(claimants)))
        for (port, proto), claimants in sorted(by_port.items())
    ]


def contested_note(count: int) -> str | None:
    """The one line after the findings that says how many ports need a person's answer."""
    if not count:
        return None
    ports = "1 host port is" if count == 1 else f"{count} host ports are"
    return f"{ports} used by more than one independent project: `portlint ports --contested`"


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


def _namespace(binding: PortBinding) -> Namespace | None:
    """The container or pod namespace a binding's inner ports listen in (None: no such one)."""
    if binding.project is None:
        return None
    if binding.container_group == "initContainers":
        return None  # init containers run before the others, one at a time
    space = binding.target_namespace or binding.namespace
    if space is None or space.kind not in ("container", "pod"):
        return None
    return space


def _last_applied(bindings: Sequence[PortBinding]) -> dict[Namespace, str]:
    """Pod namespace -> the file whose copy of the workload ``kubectl apply`` keeps.

    Applying a folder applies its files in name order; an object of the same
    kind, namespace and name in a later file replaces the earlier one, so
    its containers never share a pod with the replaced copy's.
    """
    last: dict[Namespace, str] = {}
    for binding in bindings:
        space = binding.namespace
        if space is not None and space.kind == "pod":
            path = binding.location.path
            if space not in last or path > last[space]:
                last[space] = path
    return last


def _service_of(space: Namespace, binding: PortBinding) -> str:
    """The service whose container namespace ``space`` is (its id is ``<project>/<service>``)."""
    return space.id.removeprefix(f"{binding.project}/")


def _inner_ports(binding: PortBinding) -> range:
    """The ports a binding listens on inside its namespace."""
    if binding.target_namespace is not None and binding.target is not None:
        end = binding.target_end if binding.target_end is not None else binding.target
        return range(binding.target, end + 1)
    if binding.role == "container" and binding.port is not None:
        ports = binding.ports()
        return ports if len(ports) <= MAX_EXPANDED_RANGE else range(0)
    return range(0)


@project_rule("PL403", "duplicate-container-port", severity=Severity.ERROR, by_port=True)
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
    # Per namespace and protocol: which binding first declared each port, and
    # the ports each owner declared, both as intervals. A port-by-port scan
    # stops at the first clash, so the ports after it stay undeclared.
    spaces: dict[tuple[Namespace, str], tuple[FirstMap[PortBinding], dict[str, IntervalSet]]]
    spaces = {}
    applied = _last_applied(bindings if ctx.settings.whole is None else ctx.settings.whole)
    declaring: list[tuple[PortBinding, Namespace, range]] = []
    for binding in bindings:
        space = _namespace(binding)
        if space is None:
            continue
        if space.kind == "pod" and applied.get(space) != binding.location.path:
            continue  # an earlier file's copy of the object: the later one replaces it
        ports = _inner_ports(binding)
        if ports:
            declaring.append((binding, space, ports))
    declaring.sort(key=lambda d: location_key(d[0].location))
    # A namespace's intervals serve only its own later bindings: they go after its last.
    pending: dict[tuple[Namespace, str], int] = {}
    for binding, space, _ in declaring:
        pending[(space, binding.protocol)] = pending.get((space, binding.protocol), 0) + 1
    for binding, space, ports in declaring:
        lo, hi = _port_span(ports)
        key = (space, binding.protocol)
        later = pending[key] - 1
        if later:
            pending[key] = later
            first_by, declared_by = spaces.setdefault(key, (FirstMap(), {}))
        else:
            del pending[key]
            first_by, declared_by = spaces.pop(key) if key in spaces else (FirstMap(), {})
        declared = declared_by.setdefault(binding.owner, IntervalSet())
        # The first port already declared by someone, not yet by this owner: a port
        # another owner declared first (a port this owner declared first is its own).
        clash: int | None = None
        port: int | None = lo
        while port is not None and port <= hi:
            port = first_by.next_set(port)
            if port is None or port > hi:
                break
            span = declared.containing(port)
            if span is None:
                clash = port
                break
            port = span[1] + 1
        stop = hi if clash is None else clash
        first_by.fill(lo, stop, binding)
        declared.add(lo, stop)
        first = first_by.get(clash) if clash is not None else None
        if clash is not None and first is not None and first.owner != binding.owner:
            shared = (
                "the same pod"
                if space.kind == "pod"
                else f'the network namespace of service "{_service_of(space, binding)}"'
            )
            yield ctx.finding(
                binding,
                f"container port {clash}/{binding.protocol} is already declared by "
                f"{describe(first)} ({where(first)}) in {shared}",
                hint="containers sharing a network namespace share its ports; "
                "make one of them listen on another port",
                related=[first.location],
                port=clash,
            )


# --- PL404: two Services, one nodePort ---------------------------------------


@project_rule("PL404", "duplicate-node-port", severity=Severity.ERROR, by_port=True)
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
    nodes = [b for b in bindings if b.role == "node" and b.port is not None]
    nodes.sort(key=lambda b: location_key(b.location))
    for binding in nodes:
        assert binding.port is not None
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
        if binding.port is None and binding.ref is not None:
            refs.append((binding, binding.ref, binding.ref_name or ""))
        elif binding.role == "container" and binding.port_name:
            by_folder[posixpath.dirname(binding.location.path)].add(binding.port_name)
            if binding.project is not None:
                by_pod[binding.project].add(binding.port_name)
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


@project_rule("PL406", "possible-host-port-overlap", severity=Severity.WARNING, by_port=True)
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
    hosts = [
        b for b in bindings if b.role == "host" and b.project is not None and b.port is not None
    ]
    ranged = [b for b in hosts if is_engine_picked(b)]
    wanted = {(b.project or "", b.protocol) for b in ranged}  # the scopes a range asks about
    fixed: dict[tuple[str, str], list[PortBinding]] = defaultdict(list)
    for binding in hosts:
        scope = (binding.project or "", binding.protocol)
        if scope in wanted and not is_engine_picked(binding) and fixed_ports(binding):
            fixed[scope].append(binding)
    del hosts
    size = tree_size(max((b.last_port or 0 for b in bindings if b.port is not None), default=0))
    # Per scope, the fixed claims as intervals in location order (rank), filed by host IP.
    trees: dict[tuple[str, str], dict[IpKey, PortTree[tuple[int, PortBinding]]]] = {}
    for scope, entries in fixed.items():
        entries.sort(key=lambda b: location_key(b.location))
        by_ip: dict[IpKey, PortTree[tuple[int, PortBinding]]] = {}
        for rank, other in enumerate(entries):
            lo, hi = _port_span(fixed_ports(other))
            for index_key in _stored_under(other.host_ip):
                by_ip.setdefault(index_key, PortTree(size)).add(lo, hi, (rank, other))
        trees[scope] = by_ip
    for binding in sorted(ranged, key=lambda b: location_key(b.location)):
        by_ip = trees.get((binding.project or "", binding.protocol), {})
        start, end = binding.port or 0, binding.last_port or 0
        if start > end:
            continue
        # The lowest port of the range some fixed claim holds; the first such claim.
        found: tuple[int, int, PortBinding] | None = None
        for tree in (t for k in _overlapping_keys(binding.host_ip) if (t := by_ip.get(k))):
            for lst in tree.covering(start):
                rank, other = lst[0]
                if found is None or (start, rank) < found[:2]:
                    found = (start, rank, other)
            if found is not None and found[0] == start:
                continue
            for at, (rank, other) in tree.starting(start + 1, end):
                if found is None or (at, rank) < found[:2]:
                    found = (at, rank, other)
                break
        if found is not None:
            port, _, other = found
            yield ctx.finding(
                binding,
                f"host port range {binding.port}-{end}/{binding.protocol} includes "
                f"{port}, published by {describe(other)} ({where(other)})",
                hint="the engine may pick that port first; move the range or the fixed port",
                related=[other.location],
                port=port,
            )


RULES = (
    duplicate_host_port,
    repository_port_conflict,
    duplicate_container_port,
    duplicate_node_port,
    dangling_target_port,
    possible_host_port_overlap,
)
