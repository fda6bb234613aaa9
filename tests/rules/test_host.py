"""PL601 host-held-port: addresses, platforms and publishing routes, with exact locations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portlint.bindings import HOST
from portlint.rules.host import host_held_port, overlaps
from tests.conftest import run_cli
from tests.rules._helpers import bind, run, where


@pytest.mark.parametrize(
    ("claim", "holder", "meets"),
    [
        ("", ("*",), True),
        ("127.0.0.1", ("*",), True),  # a holder on every interface meets any claim
        (None, ("*",), True),
        ("", ("127.0.0.53", "127.0.0.54"), True),  # every interface meets one address
        ("127.0.0.1", ("127.0.0.53", "127.0.0.54"), False),
        ("127.0.0.53", ("127.0.0.53", "127.0.0.54"), True),
        (None, ("127.0.0.53",), False),  # the claim's address is unknown
        ("", ("lan",), True),
        ("192.168.1.10", ("lan",), True),
        ("127.0.0.1", ("lan",), False),
        ("::1", ("lan",), False),
        ("::1", ("127.0.0.1", "::1"), True),
        ("localhost", ("127.0.0.1", "::1"), True),
        ("10.0.0.5", ("127.0.0.1", "::1"), False),
    ],
)
def test_overlaps(claim, holder, meets) -> None:
    assert overlaps(claim, holder) is meets


@pytest.mark.parametrize(
    ("port", "protocol", "fields", "fires_with"),
    [
        (53, "udp", {}, "held on Linux by systemd-resolved stub listener at 127.0.0.53"),
        (53, "udp", {"host_ip": "0.0.0.0"}, "systemd-resolved"),
        (53, "udp", {"host_ip": "::"}, "systemd-resolved"),
        (53, "udp", {"host_ip": "127.0.0.1"}, None),
        (53, "tcp", {"host_ip": "127.0.0.53"}, "systemd-resolved"),
        (53, "udp", {"host_ip": "192.168.122.1"}, "by dnsmasq of libvirt's default network"),
        (5000, "tcp", {"host_ip": "127.0.0.1"}, "held on macOS by AirPlay Receiver"),
        (5000, "udp", {}, None),
        (5000, "tcp", {"host_os": "linux"}, None),  # the files show a Linux host
        (7000, "tcp", {}, "since macOS 12 Monterey"),
        (5353, "udp", {}, "avahi-daemon (mDNS); also on macOS by mDNSResponder"),
        (5353, "udp", {"host_os": "linux"}, "avahi-daemon (mDNS)"),
        (5353, "tcp", {}, None),
        (631, "tcp", {}, "CUPS print scheduler (cupsd) at 127.0.0.1 and ::1"),
        (631, "tcp", {"host_ip": "192.168.1.10"}, None),
        (445, "tcp", {}, "held on Windows by SMB server"),
        (5357, "tcp", {"host_ip": "127.0.0.1"}, "Web Services for Devices (WSDAPI)"),
        (5357, "tcp", {"host_os": "linux"}, None),
        (135, "tcp", {}, "held on Windows by RPC endpoint mapper (RpcSs)"),
        (135, "tcp", {"host_os": "linux"}, None),
        (445, "tcp", {"host_os": "linux"}, None),
        (139, "tcp", {"host_ip": "127.0.0.1"}, None),
        (137, "udp", {"host_ip": "10.0.0.5"}, "NetBIOS name and datagram services"),
        (22, "tcp", {}, "held on Linux by OpenSSH server (sshd)"),
        (123, "udp", {}, None),  # chronyd serves only when told to: not in the table
        (8080, "tcp", {}, None),
    ],
)
def test_compose_publish(port, protocol, fields, fires_with) -> None:
    found = run(host_held_port, [bind(port, protocol=protocol, line=7, column=10, **fields)])
    if fires_with is None:
        assert found == []
    else:
        (finding,) = found
        assert where(finding) == ("compose.yaml", 7, 10)
        assert fires_with in finding.message
        assert finding.port == port and finding.hint


def test_a_linux_host_names_only_linux_holders() -> None:
    (finding,) = run(host_held_port, [bind(5353, protocol="udp", host_os="linux")])
    assert finding.message == "host port 5353/udp is held on Linux by avahi-daemon (mDNS)"


def test_a_range_reports_its_first_held_port() -> None:
    (finding,) = run(host_held_port, [bind(6998, end_port=7005, host_ip="127.0.0.1")])
    assert finding.port == 7000
    assert finding.message.startswith("host port 7000/tcp is held on macOS")


def test_kubernetes_nodes_are_linux_servers() -> None:
    """A hostPort meets the stub resolver and sshd, never a desktop's AirPlay, CUPS or avahi."""

    def host_port(port: int, protocol: str = "tcp"):
        return bind(port, protocol=protocol, kind="kubernetes", owner="infra/DaemonSet/agent")

    assert run(host_held_port, [host_port(5000), host_port(631), host_port(5353, "udp")]) == []
    assert run(host_held_port, [host_port(445), host_port(139)]) == []
    found = run(host_held_port, [host_port(53, "udp"), host_port(22)])
    assert sorted(f.port for f in found) == [22, 53]


def test_dev_servers_meet_only_holders_on_every_interface() -> None:
    """A ``PORT`` a package script starts on a workstation: its address is not written."""

    def dev(port: int):
        # placed on the host by the package.json beside it (portlint.placement)
        return bind(
            port, role="listen", kind="dotenv", owner="web", key_path=("PORT",), namespace=HOST
        )

    (finding,) = run(host_held_port, [dev(5000)])
    assert "AirPlay" in finding.message and finding.message.startswith("listening port 5000/tcp")
    assert run(host_held_port, [dev(631)]) == []  # CUPS holds loopback; the server's address?
    assert run(host_held_port, [dev(22)]) == []  # sshd is a server's, not a workstation's


def test_editor_forwards_come_from_localhost() -> None:
    forward = bind(5000, kind="devcontainer", editor_forward=True, host_ip=None)
    assert "AirPlay" in run(host_held_port, [forward])[0].message
    # CUPS listens on the forward's own address (localhost); NetBIOS does not
    assert run(host_held_port, [bind(631, kind="devcontainer", editor_forward=True)])
    assert run(host_held_port, [bind(139, kind="devcontainer", editor_forward=True)]) == []


def test_container_ports_claim_nothing() -> None:
    inside = bind(53, role="container", protocol="udp")
    assert run(host_held_port, [inside]) == []


def _findings(root: Path) -> list[tuple[str, int, int, str]]:
    code, out, err = run_cli(
        ["check", ".", "--format", "json", "--exit-zero", "--no-cache", "--select", "PL601"],
        cwd=root,
    )
    assert code == 0, err
    return sorted(
        (f["location"]["path"], f["location"]["line"], f["location"]["column"], f["message"])
        for f in json.loads(out)["findings"]
    )


def test_routes_to_the_host(make_project) -> None:
    """Every publishing route that reaches the host, from real files."""
    root = make_project(
        {
            # a dev server npm starts on the host: its PORT is the host's
            "web/package.json": '{"name": "web", "scripts": {"dev": "flask run"}}\n',
            "web/.env": "PORT=5000\n",
            # the same variable in a folder that builds an image: the container's
            "api/Dockerfile": "FROM python:3.12\n",
            "api/.env": "PORT=5000\n",
            "compose.yaml": (
                "services:\n"
                "  relay:\n"
                "    image: ghcr.io/acme/relay:1\n"
                "    network_mode: host\n"
                "    ports:\n"
                '      - "7000"\n'
            ),
            "k8s/dns.yaml": (
                "apiVersion: v1\n"
                "kind: Pod\n"
                "metadata:\n"
                "  name: resolver\n"
                "spec:\n"
                "  hostNetwork: true\n"
                "  containers:\n"
                "    - name: dns\n"
                "      image: ghcr.io/acme/dns:1\n"
                "      ports:\n"
                "        - containerPort: 53\n"
                "          protocol: UDP\n"
                "        - containerPort: 5000\n"
            ),
            ".devcontainer/devcontainer.json": '{"image": "python:3.12", "forwardPorts": [5000]}\n',
        }
    )
    got = [(path, line, col, msg.split(" is held")[0]) for path, line, col, msg in _findings(root)]
    assert got == [
        (".devcontainer/devcontainer.json", 1, 43, "host port 5000/tcp"),
        ("compose.yaml", 6, 10, "host port 7000/tcp"),
        ("k8s/dns.yaml", 11, 26, "host port 53/udp"),
        ("web/.env", 1, 6, "listening port 5000/tcp"),
    ]
