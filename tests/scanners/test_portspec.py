"""The Compose short syntax: every accepted and rejected form, with the exact result."""

from __future__ import annotations

import pytest

from portlint.scanners.portspec import PortSpec, PortSpecError, parse_port_spec

ACCEPTED = [
    ("3000", PortSpec(3000, 3000, None, None, None, "tcp")),
    ("3000-3005", PortSpec(3000, 3005, None, None, None, "tcp")),
    ("8000:8000", PortSpec(8000, 8000, 8000, 8000, None, "tcp")),
    ("9090-9091:8080-8081", PortSpec(8080, 8081, 9090, 9091, None, "tcp")),
    ("8000-9000:80", PortSpec(80, 80, 8000, 9000, None, "tcp")),
    ("127.0.0.1:8001:8001", PortSpec(8001, 8001, 8001, 8001, "127.0.0.1", "tcp")),
    ("127.0.0.1:5000-5010:5000-5010", PortSpec(5000, 5010, 5000, 5010, "127.0.0.1", "tcp")),
    ("127.0.0.1::5000", PortSpec(5000, 5000, None, None, "127.0.0.1", "tcp")),
    ("[::1]:6001:6001", PortSpec(6001, 6001, 6001, 6001, "::1", "tcp")),
    ("::1:6000:6000", PortSpec(6000, 6000, 6000, 6000, "::1", "tcp")),
    ("::::80", PortSpec(80, 80, None, None, "::", "tcp")),
    ("6060:6060/udp", PortSpec(6060, 6060, 6060, 6060, None, "udp")),
    ("5000:5000/sctp", PortSpec(5000, 5000, 5000, 5000, None, "sctp")),
    ("53:53/UDP", PortSpec(53, 53, 53, 53, None, "udp")),
    ("0123:80", PortSpec(80, 80, 123, 123, None, "tcp")),
]


def _core(spec: PortSpec) -> tuple[object, ...]:
    return (
        spec.container,
        spec.container_end,
        spec.host,
        spec.host_end,
        spec.host_ip,
        spec.protocol,
    )


@pytest.mark.parametrize(("text", "expected"), ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_accepted(text: str, expected: PortSpec) -> None:
    assert _core(parse_port_spec(text)) == _core(expected)


REJECTED = [
    ("", "PL102", "empty port specification"),
    ("tcp", "PL102", "invalid container port: 'tcp' in 'tcp'"),
    ("asdf", "PL102", "invalid container port: 'asdf' in 'asdf'"),
    ("9999999", "PL102", "invalid container port: '9999999' is not a port number"),
    ("70000:80", "PL101", "host port 70000 is out of range 0-65535"),
    (
        "9000-8000:80",
        "PL102",
        "invalid range specified for host port: '9000-8000' (end before start)",
    ),
    ("8000-:80", "PL102", "invalid host port: '' in '8000-:80'"),
    ("80/xyz", "PL102", "invalid protocol 'xyz' in '80/xyz'"),
    ("localhost:1234:1234", "PL102", "invalid IP address 'localhost' in 'localhost:1234:1234'"),
    ("127.0.1:8080:80", "PL102", "invalid IP address '127.0.1' in '127.0.1:8080:80'"),
    ("0.0.0.0:1234-1235:", "PL102", "no container port specified in '0.0.0.0:1234-1235:'"),
    ("80-81:8080-8082", "PL103", "host range 80-81 and container range 8080-8082 differ in length"),
]


@pytest.mark.parametrize(
    ("text", "code", "message"), REJECTED, ids=[t or "empty" for t, *_ in REJECTED]
)
def test_rejected(text: str, code: str, message: str) -> None:
    with pytest.raises(PortSpecError) as info:
        parse_port_spec(text)
    assert (info.value.code, info.value.message) == (code, message)


@pytest.mark.parametrize(
    ("text", "host_offset", "container_offset"),
    [
        ("8080:80", 0, 5),
        ("127.0.0.1:8001:9001", 10, 15),
        ("80", None, 0),
        ("[::1]:6001:6002", 6, 11),
    ],
)
def test_offsets_point_at_the_numbers(
    text: str, host_offset: int | None, container_offset: int
) -> None:
    spec = parse_port_spec(text)
    assert (spec.host_offset, spec.container_offset) == (host_offset, container_offset)
