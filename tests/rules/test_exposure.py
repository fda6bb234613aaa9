"""PL501/PL502 on hand-built bindings: host IPs are already interpolated."""

from __future__ import annotations

import pytest

from portlint.rules.exposure import plaintext_control_port, sensitive_port_exposed
from tests.rules._helpers import bind, run


@pytest.mark.parametrize(
    ("host_ip", "fires"),
    [(None, True), ("0.0.0.0", True), ("::", True), ("127.0.0.1", False), ("::1", False)],
)
def test_wildcard_ips(host_ip, fires) -> None:
    binding = bind(15432, owner="db", image="postgres:16", target=5432, host_ip=host_ip)
    found = run(sensitive_port_exposed, [binding])
    assert bool(found) is fires
    if fires:
        assert found[0].message == (
            "postgres port 5432/tcp is published on all interfaces as host port 15432"
        )
        assert found[0].hint == 'publish it on loopback only: "127.0.0.1:15432:5432"'


def test_ambiguous_port_needs_identity() -> None:
    unknown = bind(9000, owner="worker", target=9000)
    minio = bind(9000, owner="storage", image="minio/minio", target=9000)
    sonar = bind(9000, owner="sonarqube", target=9000)
    found = run(sensitive_port_exposed, [unknown, minio, sonar])
    assert [f.message for f in found] == ["minio port 9000/tcp is published on all interfaces"]


def test_network_mode_host_container_port() -> None:
    binding = bind(6379, owner="cache", image="redis:7")  # network_mode: host -> host role
    assert [f.port for f in run(sensitive_port_exposed, [binding])] == [6379]


def test_control_ports() -> None:
    found = run(
        plaintext_control_port,
        [
            bind(2375, owner="dind", target=2375, line=9),
            bind(12375, owner="dind", target=2375, host_ip="127.0.0.1", line=10),
            bind(2376, owner="dind", target=2376, line=11),
            bind(2323, owner="router", target=23, line=12),
            bind(2375, role="container", owner="dind", line=13),
        ],
    )
    assert [(f.location.line, f.message) for f in found] == [
        (
            9,
            "port 2375/tcp is published on all interfaces: the Docker daemon API without TLS "
            "(root on the host for anyone who reaches it)",
        ),
        (
            10,
            "port 2375/tcp is published on 127.0.0.1: the Docker daemon API without TLS "
            "(root on the host for anyone who reaches it)",
        ),
        (12, "port 23/tcp is published on all interfaces: telnet (logins in plain text)"),
    ]
    # PL501 leaves the control ports to PL502
    assert run(sensitive_port_exposed, [bind(2375, owner="dind", target=2375)]) == []


def test_range_mapping_keeps_every_port_in_the_hint() -> None:
    """ "20-21:20-21" publishes FTP's 21 as host port 21; the fix keeps both ports."""
    ftp = bind(20, owner="ftp", end_port=21, target=20, target_end=21)
    mongo = bind(37017, owner="mongo", image="mongo:7", end_port=37019, target=27017,
                 target_end=27019)  # fmt: skip
    found = run(sensitive_port_exposed, [ftp, mongo])
    assert [(f.message, f.hint) for f in found] == [
        (
            "ftp port 21/tcp is published on all interfaces",
            'publish it on loopback only: "127.0.0.1:20-21:20-21"',
        ),
        (
            "mongo port 27017/tcp is published on all interfaces as host port 37017",
            'publish it on loopback only: "127.0.0.1:37017-37019:27017-27019"',
        ),
    ]
