"""Build ``portlint/data/hostheld.tsv``: ports the host OS holds before any container starts.

A developer tool, never run at lint time. The rows live below, each with the
URLs that back it; the output stands alone, so PL601 and ``portlint port``
need neither this script nor the network.

    python tools/build_hostheld.py > portlint/data/hostheld.tsv

Columns:

- ``port``, ``end``: the port, and the last port of a range ("" for one port).
- ``protocols``: ``tcp``, ``udp`` or ``tcp,udp``.
- ``platform``: ``linux``, ``macos`` or ``windows``.
- ``where``: ``desktop`` (a workstation install holds it), ``server`` (a
  server install holds it) or ``any``. Kubernetes nodes are Linux servers, so
  a desktop-only holder never meets a ``hostPort``.
- ``holder``: the program that holds the port.
- ``addresses``: where it listens: ``*`` (every interface), ``lan`` (each
  interface's own address, loopback excepted) or a comma list of addresses.
  A claim collides with it only where the two addresses overlap (see
  ``portlint.rules.host``).
- ``since``: the OS release where the holder became a default, as its source
  says it; ``unknown`` when no source we read says.
- ``fix``: the usual way out.
- ``sources``: space-separated https URLs.

Left out on purpose, with the reason a source gives:

- NTP 123/udp: chronyd (the client on Fedora, RHEL and newer Ubuntu) opens the
  NTP server port only for addresses an ``allow`` directive names; the default
  allows none (https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/7/html/system_administrators_guide/sect-understanding_chrony_and-its_configuration).
  systemd-timesyncd is a client and listens nowhere.
- Hyper-V / WSL "excluded port ranges" on Windows: Windows reserves them anew
  at each boot (``netsh int ipv4 show excludedportrange``), so no fixed
  numbers can be written down.
- rpcbind's 111: no source we could read says which installs start it by
  default; it stays out until one does.
"""

from __future__ import annotations

import sys

Row = tuple[int, int | None, str, str, str, str, str, str, str, tuple[str, ...]]

SYSTEMD_RESOLVED = (
    "https://www.freedesktop.org/software/systemd/man/latest/systemd-resolved.service.html"
)
PIHOLE_UBUNTU = "https://github.com/pi-hole/docker-pi-hole#installing-on-ubuntu-or-fedora"
APPLE_PORTS = "https://support.apple.com/en-us/103229"
MS_PORTS = (
    "https://support.microsoft.com/en-us/help/832017/"
    "service-overview-and-network-port-requirements-for-windows"
)
# A Windows netstat: 135, 445 and 5357 listen on 0.0.0.0; 139 is not among
# the 0.0.0.0 listeners (NetBIOS binds each adapter's own address).
WIN_NETSTAT = "https://github.com/Ducatel/Visual-Studio-Linux-Build-Box/issues/4"
AIRPLAY_FIX = (
    "turn off AirPlay Receiver (System Settings > General > AirDrop & Handoff) "
    "or publish another host port"
)

ROWS: tuple[Row, ...] = (
    (
        22,
        None,
        "tcp",
        "linux",
        "server",
        "OpenSSH server (sshd)",
        "*",
        "unknown",
        "publish the container's SSH on another host port (2222:22)",
        (
            "https://gitlab.com/gitlab-org/gitlab/-/issues/22660",
            "https://github.com/gogits/gogs/issues/1788",
        ),
    ),
    (
        53,
        None,
        "tcp,udp",
        "linux",
        "any",
        "systemd-resolved stub listener",
        "127.0.0.53,127.0.0.54",
        "Ubuntu 17.10, Fedora 33",
        "publish on one address (127.0.0.1:53:53 or the LAN address), or set "
        "DNSStubListener=no in /etc/systemd/resolved.conf",
        (
            SYSTEMD_RESOLVED,
            PIHOLE_UBUNTU,
            "https://github.com/jerob/docker-ispconfig/issues/23",
        ),
    ),
    (
        53,
        None,
        "tcp,udp",
        "linux",
        "any",
        "dnsmasq of libvirt's default network",
        "192.168.122.1",
        "unknown",
        "publish on another address than libvirt's bridge (127.0.0.1:53:53)",
        (
            "https://docs.redhat.com/en/documentation/red_hat_enterprise_linux/7/html/"
            "virtualization_deployment_and_administration_guide/"
            "sect-networking_protocols-dns_and_dhcp",
            "https://listman.redhat.com/archives/libvir-list/2010-March/021609.html",
        ),
    ),
    (
        135,
        None,
        "tcp",
        "windows",
        "any",
        "RPC endpoint mapper (RpcSs)",
        "*",
        "unknown",
        "publish another host port",
        (MS_PORTS, WIN_NETSTAT),
    ),
    (
        137,
        138,
        "udp",
        "windows",
        "any",
        "NetBIOS name and datagram services",
        "lan",
        "unknown",
        "publish on 127.0.0.1, or another host port",
        (MS_PORTS, APPLE_PORTS),
    ),
    (
        139,
        None,
        "tcp",
        "windows",
        "any",
        "NetBIOS session service",
        "lan",
        "unknown",
        "publish on 127.0.0.1, or another host port",
        (MS_PORTS, WIN_NETSTAT, "https://github.com/dperson/samba/issues/454"),
    ),
    (
        445,
        None,
        "tcp",
        "windows",
        "any",
        "SMB server (System)",
        "*",
        "unknown",
        "publish another host port",
        (
            MS_PORTS,
            WIN_NETSTAT,
            "https://github.com/docker/for-win/issues/3",
            "https://github.com/dperson/samba/issues/454",
        ),
    ),
    (
        631,
        None,
        "tcp",
        "linux",
        "desktop",
        "CUPS print scheduler (cupsd)",
        "127.0.0.1,::1",
        "unknown",
        "publish on another address than loopback, or another host port",
        ("https://github.com/OpenPrinting/cups/blob/master/conf/cupsd.conf.in",),
    ),
    (
        5000,
        None,
        "tcp",
        "macos",
        "desktop",
        "AirPlay Receiver (ControlCenter)",
        "*",
        "macOS 12 Monterey",
        AIRPLAY_FIX,
        (
            APPLE_PORTS,
            "https://github.com/chainloop-dev/chainloop/issues/155",
            "https://www.connected.app/ports/5000",
        ),
    ),
    (
        5357,
        None,
        "tcp",
        "windows",
        "any",
        "Web Services for Devices (WSDAPI)",
        "*",
        "unknown",
        "publish another host port",
        (
            "https://www.iana.org/assignments/service-names-port-numbers/",
            WIN_NETSTAT,
            "https://github.com/volatilityfoundation/volatility3/issues/756",
        ),
    ),
    (
        5353,
        None,
        "udp",
        "linux",
        "desktop",
        "avahi-daemon (mDNS)",
        "*",
        "unknown",
        "do not publish 5353/udp (use network_mode: host if the container must "
        "answer mDNS), or stop avahi-daemon",
        (
            "https://github.com/GhostWriters/DockSTARTer/issues/568",
            "https://github.com/homebridge/docker-homebridge/issues/107",
        ),
    ),
    (
        5353,
        None,
        "udp",
        "macos",
        "any",
        "mDNSResponder (Bonjour)",
        "*",
        "unknown",
        "do not publish 5353/udp on a Mac",
        (APPLE_PORTS,),
    ),
    (
        7000,
        None,
        "tcp",
        "macos",
        "desktop",
        "AirPlay Receiver (ControlCenter)",
        "*",
        "macOS 12 Monterey",
        AIRPLAY_FIX,
        (APPLE_PORTS, "https://www.connected.app/ports/5000"),
    ),
)

HEADER = (
    "#portlint-hostheld\t1\tports a host OS or desktop service holds before any "
    "container starts; built by tools/build_hostheld.py, sources per row"
)
COLUMNS = "#port\tend\tprotocols\tplatform\twhere\tholder\taddresses\tsince\tfix\tsources"


def build() -> str:
    out = [HEADER, COLUMNS]
    # by port; rows of one port keep their order above (the likelier holder first)
    for port, end, protocols, platform, where, holder, addresses, since, fix, sources in sorted(
        ROWS, key=lambda r: r[0]
    ):
        fields = (str(port), "" if end is None else str(end), protocols, platform, where)
        out.append("\t".join((*fields, holder, addresses, since, fix, " ".join(sources))))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.stdout.write(build())
