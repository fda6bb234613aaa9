"""PL3xx: fixed ports in ranges that belong to the operating system or the cluster."""

from __future__ import annotations

from collections.abc import Iterator

from portlint import identity
from portlint.bindings import PortBinding
from portlint.findings import Finding, Severity
from portlint.registry import DYNAMIC_MIN
from portlint.rules._claims import claimed_ports, role_label
from portlint.rules.base import Option, RuleContext, binding_rule


def range_option(value: tuple[int, int] | None, fallback: tuple[int, int]) -> tuple[int, int]:
    """A ``range`` option, already parsed by its :class:`Option`; None: the run-wide setting."""
    return fallback if value is None else value


def _first_in(ports: range, lo: int, hi: int) -> int | None:
    if not ports or ports.start > hi or ports.stop - 1 < lo:
        return None
    return max(ports.start, lo)


@binding_rule("PL301", "dynamic-range-port", severity=Severity.WARNING)
def dynamic_range_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A fixed port in the dynamic range 49152-65535.

    ## When it fires
    A host, listening or node port is fixed at 49152 or above (or a fixed
    range reaches into it). A nodePort outside the cluster's nodePort range
    is PL304's business instead. A program on its own well-known default
    (WireGuard's 51820/udp, Transmission's 51413, Jenkins' agent port 50000,
    Gokapi's 53842: the table `portlint port N` shows), identified by the
    same names as PL201, made that choice itself and does not fire.

    ## Why it matters
    RFC 6335 leaves 49152-65535 to the operating system, which hands these
    ports out to outgoing connections. A busy host can hold yours at the
    moment the service starts, so it fails now and then, never on demand.

    ## How to fix
    Pick a port in the registered range 1024-49151 (`portlint suggest`).

    ## How to silence
    `# portlint: ignore[PL301]` on the line.
    """
    if binding.role == "node":
        lo, hi = ctx.settings.nodeport_range
        if binding.port is not None and not lo <= binding.port <= hi:
            return
    port = _first_in(claimed_ports(binding), DYNAMIC_MIN, 65535)
    if port is not None and not identity.own_port(binding, port):
        yield ctx.finding(
            binding,
            f"{role_label(binding)} {port}/{binding.protocol} is in the dynamic range 49152-65535",
            hint="use a port in 1024-49151 (`portlint suggest`)",
            port=port,
        )


@binding_rule(
    "PL302",
    "ephemeral-range-port",
    severity=Severity.WARNING,
    options=(
        Option(
            "range",
            "range",
            None,
            "ports the OS hands to outgoing connections; default: the run-wide "
            "`ephemeral-range` setting, 32768-60999 (Linux)",
        ),
    ),
)
def ephemeral_range_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A fixed host or listening port in the operating system's ephemeral range.

    ## When it fires
    A host or listening port lies in the ephemeral port range (Linux's
    default `net.ipv4.ip_local_port_range` is 32768-60999) but below 49152,
    where PL301 already speaks. Set the range with the `range` option (or the
    run-wide `ephemeral-range`) for other systems: Windows and macOS use
    49152-65535, which PL301 covers.

    ## Why it matters
    Outgoing connections borrow these ports; on a host with many of them
    (a CI runner, a proxy) your fixed port is sometimes taken when the
    service starts.

    ## How to fix
    Pick a port below 32768 (`portlint suggest`), or reserve it with
    `net.ipv4.ip_local_reserved_ports`.

    ## How to silence
    `# portlint: ignore[PL302]` on the line.
    """
    if binding.role not in ("host", "listen"):
        return
    lo, hi = range_option(ctx.options.get("range"), ctx.settings.ephemeral_range)
    port = _first_in(claimed_ports(binding), lo, min(hi, DYNAMIC_MIN - 1))
    if port is not None:
        yield ctx.finding(
            binding,
            f"{role_label(binding)} {port}/{binding.protocol} is in the ephemeral range {lo}-{hi}",
            hint=f"use a port below {lo} (`portlint suggest`)",
            port=port,
        )


@binding_rule("PL303", "privileged-port", severity=Severity.NOTE, enabled=False)
def privileged_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A host port below 1024.

    ## When it fires
    A host port (compose `ports`, `hostPort`) is between 1 and 1023. Off by
    default: publishing 80 and 443 is what reverse proxies are for.

    ## Why it matters
    Rootless Docker and Podman cannot bind ports below 1024 unless
    `net.ipv4.ip_unprivileged_port_start` is lowered, so the stack fails to
    start for whoever runs it rootless.

    ## How to fix
    Publish a high port (`"8080:80"`) and let a proxy or the firewall map
    the low one where it is needed.

    ## How to silence
    Leave the rule off, or `# portlint: ignore[PL303]` on the line.
    """
    if binding.role != "host":
        return
    port = _first_in(claimed_ports(binding), 1, 1023)
    if port is not None:
        yield ctx.finding(
            binding,
            f"host port {port}/{binding.protocol} is privileged (below 1024)",
            hint="rootless engines cannot bind it; publish a port above 1023 and map it "
            f'to this one inside the container, e.g. "{port + 8000}:{port}"',
            port=port,
        )


@binding_rule(
    "PL304",
    "nodeport-out-of-range",
    severity=Severity.ERROR,
    options=(
        Option(
            "range",
            "range",
            None,
            "the cluster's --service-node-port-range; default: the run-wide "
            "`nodeport-range` setting, 30000-32767",
        ),
    ),
)
def nodeport_out_of_range(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A nodePort outside the cluster's nodePort range.

    ## When it fires
    A Service's `nodePort` is outside 30000-32767, Kubernetes' default
    `--service-node-port-range`. Clusters started with another range set
    the `range` option.

    ## Why it matters
    The API server rejects the Service: `provided port is not in the valid
    range`. The manifest fails at apply time, usually in a pipeline.

    ## How to fix
    Use a nodePort inside the range, or leave `nodePort` out and let
    Kubernetes pick one.

    ## How to silence
    Set the `range` option to your cluster's range, or
    `# portlint: ignore[PL304]` on the line.
    """
    if binding.role != "node" or binding.port is None:
        return
    lo, hi = range_option(ctx.options.get("range"), ctx.settings.nodeport_range)
    if not lo <= binding.port <= hi:
        yield ctx.finding(
            binding,
            f"nodePort {binding.port}/{binding.protocol} is outside the nodePort range {lo}-{hi}",
            hint=f"use a port in {lo}-{hi}, or omit nodePort and let Kubernetes pick",
        )


RULES = (dynamic_range_port, ephemeral_range_port, privileged_port, nodeport_out_of_range)
