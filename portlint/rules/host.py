"""PL6xx: ports the host itself already holds.

No file in the repository shows them: the operating system or a desktop
service binds them at boot (systemd-resolved on 53, the AirPlay Receiver on
5000), so a claim there fails with "address already in use" or splits the
traffic with the holder. The table of holders is
``portlint/data/hostheld.tsv`` (:mod:`portlint.registry.hostheld`).
"""

from __future__ import annotations

from collections.abc import Iterator

from portlint.bindings import PortBinding
from portlint.findings import Finding, Severity
from portlint.registry import hostheld
from portlint.rules._claims import claimed_ports, role_label
from portlint.rules.base import RuleContext, binding_rule

# Host addresses a claim may name that mean "every interface". Docker binds
# 0.0.0.0 and [::] when the mapping names none; a [::] socket also takes IPv4
# unless the program asks otherwise (Linux net.ipv6.bindv6only defaults to 0).
_EVERY_INTERFACE = frozenset({"", "0.0.0.0", "::", "[::]", "*"})
_LOOPBACK_NAMES = {"localhost": ("127.0.0.1", "::1")}


def _claim_address(binding: PortBinding) -> str | None:
    """The address the claim binds, "" for every interface, None when the files do not say.

    A published compose port or ``hostPort`` says (no host IP is every
    interface); ``network_mode: host`` and ``hostNetwork`` leave it to the
    program, which mostly listens everywhere; an editor forwards from the
    host's localhost. A dev server's ``PORT`` says nothing about its address.
    """
    if binding.editor_forward:
        return "127.0.0.1"
    if binding.role == "listen":
        return None
    ip = (binding.host_ip or "").strip()
    if ip.startswith("[") and ip.endswith("]") and ip != "[::]":
        ip = ip[1:-1]
    return "" if ip in _EVERY_INTERFACE else ip


def _is_loopback(ip: str) -> bool:
    return ip.startswith("127.") or ip == "::1" or ip == "localhost"


def overlaps(claim: str | None, holder: tuple[str, ...]) -> bool:
    """Whether a socket on ``claim`` meets the holder's sockets on ``holder`` addresses.

    Two listeners on one port and protocol collide when either takes every
    interface or both take the same address: 0.0.0.0:53 meets
    systemd-resolved's 127.0.0.53:53, 127.0.0.1:53 does not. An unknown
    claim address (None) meets only a holder on every interface.
    """
    if holder == ("*",):
        return True
    if claim is None:
        return False
    if claim == "":
        return True
    if holder == ("lan",):
        return not _is_loopback(claim)
    claims = _LOOPBACK_NAMES.get(claim, (claim,))
    return any(c in holder for c in claims)


def _platforms(binding: PortBinding) -> tuple[frozenset[str], frozenset[str]]:
    """(platforms, kinds of install) the binding can run on, as far as its files show.

    A Kubernetes node is a Linux server; a compose file that bind-mounts a
    Linux-only folder runs on Linux; a dev server a package script starts
    runs on a developer's workstation. Anything else may run anywhere.
    """
    if binding.k8s_object is not None or binding.kind in ("kubernetes", "helm"):
        return frozenset({"linux"}), frozenset({"server", "any"})
    platforms = frozenset({"linux"}) if binding.host_os == "linux" else frozenset()
    if binding.role == "listen":
        return platforms, frozenset({"desktop", "any"})
    return platforms, frozenset({"desktop", "server", "any"})


def holders(binding: PortBinding, port: int) -> list[hostheld.HostHeld]:
    """The table's holders of ``port`` that this claim meets on a platform it can run on."""
    platforms, installs = _platforms(binding)
    claim = _claim_address(binding)
    return [
        row
        for row in hostheld.lookup(port, binding.protocol)
        if (not platforms or row.platform in platforms)
        and row.where in installs
        and overlaps(claim, row.addresses)
    ]


def _message(label: str, row: hostheld.HostHeld) -> str:
    where = "" if row.every_interface else " at " + " and ".join(row.addresses)
    if row.addresses == ("lan",):
        where = " on each interface's address"
    since = "" if row.since == "unknown" else f" since {row.since}"
    return f"{label} is held on {row.platform_label} by {row.holder}{where}{since}"


@binding_rule("PL601", "host-held-port", severity=Severity.WARNING)
def host_held_port(binding: PortBinding, ctx: RuleContext) -> Iterator[Finding]:
    """A port the host's own operating system or desktop services already hold.

    ## When it fires
    A claim on the host's network namespace (a published compose port,
    `network_mode: host`, a Kubernetes `hostPort` or `hostNetwork` port, a
    dev server a package script starts on the host, a devcontainer forward)
    takes a port that a common host OS or desktop service binds before any
    container starts, on an address the claim meets. The holders, each with
    its platform, addresses, the release where it began (when a source says)
    and its sources, are in `portlint/data/hostheld.tsv`; `portlint port N`
    shows them:

    - Linux: the systemd-resolved stub listener on 127.0.0.53:53 and
      127.0.0.54:53 (Ubuntu 17.10+, Fedora 33+), libvirt's dnsmasq on
      192.168.122.1:53, CUPS on localhost:631 (desktops), avahi-daemon on
      5353/udp (desktops), sshd on 22 (servers).
    - macOS: the AirPlay Receiver on 5000 and 7000 (macOS 12 Monterey and
      later), mDNSResponder on 5353/udp.
    - Windows: RPC 135, SMB 445, WSDAPI 5357, NetBIOS 137-139 (each
      interface's own address).

    Addresses decide: a holder on every interface meets every claim; a
    holder on one address meets a claim on every interface (no host IP,
    `0.0.0.0`, `::`) or on that address. So `"53:53/udp"` fires on Linux
    (it meets systemd-resolved's 127.0.0.53) and `"127.0.0.1:53:53/udp"`
    does not; `"127.0.0.1:139:139"` meets no NetBIOS socket. A dev server's
    port, whose address the files do not show, fires only for holders on
    every interface.

    Platforms decide too. A compose file that bind-mounts a folder only a
    Linux host has (`/mnt`, `/srv`, `/media`, `/home`; Docker Desktop on
    macOS cannot share them) is judged for Linux holders only. Kubernetes
    nodes are Linux servers: desktop holders (AirPlay, CUPS, avahi) never
    meet a `hostPort`. A dev server runs on a workstation: server holders
    (sshd) never meet it. Where the files do not say, every platform counts,
    because the same compose file runs on a Mac, a Windows laptop and a Linux
    server.

    ## Why it matters
    Docker fails to publish the port ("Error starting userland proxy: listen
    tcp4 0.0.0.0:53: bind: address already in use"), or a program started on
    the host fails to bind it, or, where both sockets share the port, clients
    reach the wrong program. No file in the repository shows the holder, so
    PL401 cannot see the collision. Pi-hole's Docker guide starts with freeing
    port 53 from systemd-resolved
    (https://github.com/pi-hole/docker-pi-hole#installing-on-ubuntu-or-fedora);
    on macOS 12 and later a service on 5000 fails with "bind: address already
    in use" while ControlCenter holds the port
    (https://github.com/chainloop-dev/chainloop/issues/155).

    ## How to fix
    The hint gives the usual fix for the holder: publish on one address the
    holder does not use (`127.0.0.1:53:53/udp`), publish another host port
    (`5001:5000`), or turn the holder off on machines that must serve the
    port (`DNSStubListener=no`, AirPlay Receiver off in System Settings).

    ## How to silence
    `# portlint: ignore[PL601]` at the end of the line or alone on the line
    above, or ignore PL601 for the file with `per-file-ignores`. A compose
    file meant for Linux servers only says so by its bind mounts, which also
    quiets the macOS and Windows holders.
    """
    for port in claimed_ports(binding):
        found = holders(binding, port)
        if found:
            label = f"{role_label(binding)} {port}/{binding.protocol}"
            first = found[0]
            message = _message(label, first)
            others = dict.fromkeys(
                f"on {row.platform_label} by {row.holder}" for row in found[1:] if row != first
            )
            if others:
                message += "; also " + "; ".join(others)
            yield ctx.finding(binding, message, hint=first.fix, port=port)
            return


RULES = (host_held_port,)
