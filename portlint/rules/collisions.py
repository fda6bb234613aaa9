"""PL4xx: two claims on one port.

Collision checks see every binding of the run at once. They group bindings by
scope and protocol and index them by port, so a repository with 100,000
bindings costs a few dictionary operations per port, never a pairwise loop.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator, Sequence

from portlint.bindings import PortBinding
from portlint.findings import Finding, Severity
from portlint.rules.base import RuleContext, project_rule

MAX_EXPANDED_RANGE = 65536


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


def describe(binding: PortBinding) -> str:
    kind = {"compose": "service", "kubernetes": "container"}.get(binding.kind, "owner")
    return f'{kind} "{binding.owner}"'


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
    for binding in sorted(bindings, key=lambda b: b.location):
        if binding.role != "host" or binding.project is None:
            continue
        index = by_scope[(binding.project, binding.protocol)]
        earlier: list[PortBinding] = []
        clash_port = -1
        for port in fixed_ports(binding):
            for other in index.get(port, ()):
                if other is binding or same_claim(other, binding) or other in earlier:
                    continue
                if ips_overlap(other.host_ip, binding.host_ip):
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
        yield ctx.finding(
            binding,
            f"host port {port}/{binding.protocol} is already published by "
            f"{describe(first)} ({where})",
            hint="give one of them another host port, or bind them to different host IPs",
            related=[b.location for b in earlier],
            port=port,
        )


RULES = (duplicate_host_port,)
