"""The compose scanner: exact bindings and problems, with the line and column of each."""

from __future__ import annotations

from pathlib import Path

import pytest

from portlint.bindings import HOST, Location
from tests.scanners.helpers import problems, row, scan


def one_port(entry: str) -> str:
    return f"services:\n  web:\n    image: nginx\n    ports:\n      - {entry}\n"


# (entry on line 5, role, port, end_port, target, target_end, host_ip, proto, col, end col)
SHORT = [
    ('"3000"', "container", 3000, None, None, None, None, "tcp", 10, 14),
    ("3000", "container", 3000, None, None, None, None, "tcp", 9, 13),
    ('"3000-3005"', "container", 3000, 3005, None, None, None, "tcp", 10, 19),
    ('"8000:8000"', "host", 8000, None, 8000, None, None, "tcp", 10, 14),
    ('"9090-9091:8080-8081"', "host", 9090, 9091, 8080, 8081, None, "tcp", 10, 19),
    ('"8000-9000:80"', "host", 8000, 9000, 80, None, None, "tcp", 10, 19),
    ('"127.0.0.1:8001:8001"', "host", 8001, None, 8001, None, "127.0.0.1", "tcp", 20, 24),
    (
        '"127.0.0.1:5000-5010:5000-5010"',
        "host",
        5000,
        5010,
        5000,
        5010,
        "127.0.0.1",
        "tcp",
        20,
        29,
    ),
    ('"127.0.0.1::5000"', "container", 5000, None, None, None, "127.0.0.1", "tcp", 21, 25),
    ('"[::1]:6001:6001"', "host", 6001, None, 6001, None, "::1", "tcp", 16, 20),
    ('"::1:6000:6000"', "host", 6000, None, 6000, None, "::1", "tcp", 14, 18),
    ('"::::80"', "container", 80, None, None, None, "::", "tcp", 14, 16),
    ('"6060:6060/udp"', "host", 6060, None, 6060, None, None, "udp", 10, 14),
    ('"5000:5000/sctp"', "host", 5000, None, 5000, None, None, "sctp", 10, 14),
    ('"53:53/UDP"', "host", 53, None, 53, None, None, "udp", 10, 12),
    ('"0123:80"', "host", 123, None, 80, None, None, "tcp", 10, 14),
    ("'8080:80'", "host", 8080, None, 80, None, None, "tcp", 10, 14),
    ("8080:80", "host", 8080, None, 80, None, None, "tcp", 9, 13),
]


@pytest.mark.parametrize("case", SHORT, ids=[c[0] for c in SHORT])
def test_short_syntax_accepted(tmp_path: Path, case: tuple[object, ...]) -> None:
    entry, role, port, end, target, target_end, ip, proto, col, end_col = case
    result = scan(tmp_path, {"compose.yaml": one_port(str(entry))}, "compose.yaml")
    assert problems(result) == []
    assert [row(b) for b in result.bindings] == [
        ("web", role, port, end, target, target_end, ip, proto, ("compose.yaml", 5, col, end_col))
    ]
    assert result.bindings[0].key_path == ("services", "web", "ports", 0)
    assert result.bindings[0].project == "compose:."


REJECTED = [
    ('""', "PL102", 10, "empty port specification"),
    ('"tcp"', "PL102", 10, "invalid container port: 'tcp' in 'tcp'"),
    ('"asdf"', "PL102", 10, "invalid container port: 'asdf' in 'asdf'"),
    ('"9999999"', "PL102", 10, "invalid container port: '9999999' is not a port number"),
    ('"70000:80"', "PL101", 10, "host port 70000 is out of range 0-65535"),
    (
        '"9000-8000:80"',
        "PL102",
        10,
        "invalid range specified for host port: '9000-8000' (end before start)",
    ),
    ('"8000-:80"', "PL102", 10, "invalid host port: '' in '8000-:80'"),
    ('"80/xyz"', "PL102", 13, "invalid protocol 'xyz' in '80/xyz'"),
    ('"127.0.0.1:70000:80"', "PL101", 20, "host port 70000 is out of range 0-65535"),
    ('"8080:80000"', "PL101", 15, "container port 80000 is out of range 0-65535"),
    (
        '"localhost:1234:1234"',
        "PL102",
        10,
        "invalid IP address 'localhost' in 'localhost:1234:1234'",
    ),
    ('"127.0.1:8080:80"', "PL102", 10, "invalid IP address '127.0.1' in '127.0.1:8080:80'"),
    ('"0.0.0.0:1234-1235:"', "PL102", 10, "no container port specified in '0.0.0.0:1234-1235:'"),
    (
        '"80-81:8080-8082"',
        "PL103",
        10,
        "host range 80-81 and container range 8080-8082 differ in length",
    ),
    ("[8080, 80]", "PL102", 9, "port entry must be a string, a number or a mapping"),
]


@pytest.mark.parametrize("case", REJECTED, ids=[c[0] or "empty" for c in REJECTED])
def test_short_syntax_rejected(tmp_path: Path, case: tuple[str, str, int, str]) -> None:
    entry, code, col, message = case
    result = scan(tmp_path, {"compose.yaml": one_port(entry)}, "compose.yaml")
    assert result.bindings == []
    assert problems(result) == [(code, 5, col, message)]


def test_base60_trap_is_reported_and_read_as_the_text(tmp_path: Path) -> None:
    text = one_port("22:22") + "      - 2222:22\n      - 8080:80\n"
    result = scan(tmp_path, {"compose.yaml": text}, "compose.yaml")
    assert problems(result) == [
        ("PL105", 5, 9, "unquoted port mapping 22:22 is a base-60 number (1342) in YAML 1.1"),
        ("PL105", 6, 9, "unquoted port mapping 2222:22 is a base-60 number (133342) in YAML 1.1"),
    ]
    assert [(b.port, b.target, b.location.line, b.location.column) for b in result.bindings] == [
        (22, 22, 5, 9),
        (2222, 22, 6, 9),
        (8080, 80, 7, 9),
    ]
    assert result.problems[0].hint == 'quote it: "22:22"'


LONG = """\
services:
  api:
    image: ghcr.io/acme/api:1
    ports:
      - target: 8000
        published: 8080
        host_ip: 127.0.0.1
        protocol: tcp
        mode: host
        app_protocol: http
        name: web
      - target: 9000
        published: "9000-9010"
      - target: 53
        published: "5353"
        protocol: UDP
      - target: 7000
      - target: 7001
        host_ip: "::1"
        published: ""
"""


def test_long_syntax(tmp_path: Path) -> None:
    result = scan(tmp_path, {"compose.yaml": LONG}, "compose.yaml")
    assert problems(result) == []
    assert [row(b) for b in result.bindings] == [
        ("api", "host", 8080, None, 8000, None, "127.0.0.1", "tcp", ("compose.yaml", 6, 20, 24)),
        ("api", "host", 9000, 9010, 9000, None, None, "tcp", ("compose.yaml", 13, 21, 30)),
        ("api", "host", 5353, None, 53, None, None, "udp", ("compose.yaml", 15, 21, 25)),
        ("api", "container", 7000, None, None, None, None, "tcp", ("compose.yaml", 17, 17, 21)),
        ("api", "container", 7001, None, None, None, "::1", "tcp", ("compose.yaml", 18, 17, 21)),
    ]
    assert result.bindings[0].port_name == "web"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("published: 8080", ("PL102", 5, 9, "port entry has no target (the container port)")),
        ("target: 70000", ("PL101", 5, 17, "container port 70000 is out of range 0-65535")),
        ("target: 80-81", ("PL102", 5, 17, "invalid container port: '80-81' in '80-81'")),
        (
            "target: 80\n        published: 9-1",
            ("PL102", 6, 20, "invalid range specified for host port: '9-1' (end before start)"),
        ),
        (
            "target: 80\n        host_ip: localhost",
            ("PL102", 6, 18, "invalid IP address 'localhost' in 'localhost'"),
        ),
        (
            "target: 80\n        protocol: http",
            ("PL102", 6, 19, "invalid protocol 'http' in 'http'"),
        ),
    ],
)
def test_long_syntax_rejected(
    tmp_path: Path, body: str, expected: tuple[str, int, int, str]
) -> None:
    text = f"services:\n  web:\n    image: nginx\n    ports:\n      - {body}\n"
    result = scan(tmp_path, {"compose.yaml": text}, "compose.yaml")
    assert (result.bindings, problems(result)) == ([], [expected])


EXPOSE = """\
services:
  web:
    image: nginx
    expose:
      - "3000"
      - "8000-8010"
      - "8080/udp"
      - 9000
      - "8080:8080"
      - "80/xyz"
"""


def test_expose(tmp_path: Path) -> None:
    result = scan(tmp_path, {"compose.yaml": EXPOSE}, "compose.yaml")
    assert [row(b) for b in result.bindings] == [
        ("web", "container", 3000, None, None, None, None, "tcp", ("compose.yaml", 5, 10, 14)),
        ("web", "container", 8000, 8010, None, None, None, "tcp", ("compose.yaml", 6, 10, 19)),
        ("web", "container", 8080, None, None, None, None, "udp", ("compose.yaml", 7, 10, 14)),
        ("web", "container", 9000, None, None, None, None, "tcp", ("compose.yaml", 8, 9, 13)),
    ]
    assert problems(result) == [
        ("PL102", 9, 10, "expose takes container ports only, not a mapping: '8080:8080'"),
        ("PL102", 10, 10, "invalid protocol 'xyz' in '80/xyz'"),
    ]


INTERPOLATED = """\
services:
  api:
    image: ghcr.io/acme/api:${TAG:-1}
    ports:
      - "${API_PORT}:8000"
      - "${BIND:-127.0.0.1}:${DEBUG_PORT:-5678}:5678"
      - "${MISSING}:9000"
      - "$$HOME:80"
      - target: 8000
        published: ${ALT_PORT:?set ALT_PORT}
"""


def test_interpolation_points_at_the_expression_and_remembers_the_env_value(
    tmp_path: Path,
) -> None:
    files = {"compose.yaml": INTERPOLATED, ".env": "# ports\nAPI_PORT=8081\n"}
    result = scan(tmp_path, files, "compose.yaml")
    assert [row(b) for b in result.bindings] == [
        ("api", "host", 8081, None, 8000, None, None, "tcp", ("compose.yaml", 5, 10, 21)),
        ("api", "host", 5678, None, 5678, None, "127.0.0.1", "tcp", ("compose.yaml", 6, 29, 48)),
        ("api", "container", 9000, None, None, None, None, "tcp", ("compose.yaml", 7, 21, 25)),
        ("api", "container", 8000, None, None, None, None, "tcp", ("compose.yaml", 9, 17, 21)),
    ]
    assert result.bindings[0].origin == Location(".env", 2, 10, 2, 14)
    assert result.bindings[1].origin is None  # a default, not an .env value
    assert problems(result) == [
        ("PL104", 7, 10, "variable MISSING is not set: port '${MISSING}:9000' does not resolve"),
        (
            "PL102",
            8,
            10,
            "invalid host port: '$HOME' in '$HOME:80'",
        ),
        (
            "PL104",
            10,
            20,
            "required variable ALT_PORT is not set: set ALT_PORT: "
            "port '${ALT_PORT:?set ALT_PORT}' does not resolve",
        ),
    ]


def test_env_file_replaces_the_dotenv_and_environment_wins(tmp_path: Path) -> None:
    text = one_port('"${WEB_PORT}:80"')
    files = {"compose.yaml": text, ".env": "WEB_PORT=8000\n", "ci.env": "WEB_PORT=8001\n"}
    assert scan(tmp_path, files, "compose.yaml").bindings[0].port == 8000
    by_flag = scan(tmp_path, files, "compose.yaml", env_files=("ci.env",))
    assert (by_flag.bindings[0].port, by_flag.bindings[0].origin) == (
        8001,
        Location("ci.env", 1, 10, 1, 14),
    )
    environ = scan(tmp_path, files, "compose.yaml", environ={"WEB_PORT": "8002"})
    assert (environ.bindings[0].port, environ.bindings[0].origin) == (8002, None)


def test_process_environment_is_ignored_unless_asked(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("WEB_PORT", "8003")
    result = scan(tmp_path, {"compose.yaml": one_port('"${WEB_PORT}:80"')}, "compose.yaml")
    assert [p[0] for p in problems(result)] == ["PL104"]
    assert [(b.role, b.port) for b in result.bindings] == [("container", 80)]


HOST_NETWORK = """\
services:
  exporter:
    image: prom/node-exporter
    network_mode: host
    profiles: [metrics, ops]
    ports:
      - "9101:9100"
    expose:
      - "9100"
"""


def test_network_mode_host_turns_container_ports_into_host_ports(tmp_path: Path) -> None:
    result = scan(tmp_path, {"compose.yaml": HOST_NETWORK}, "compose.yaml")
    assert [row(b) for b in result.bindings] == [
        ("exporter", "host", 9100, None, None, None, None, "tcp", ("compose.yaml", 7, 15, 19)),
        ("exporter", "host", 9100, None, None, None, None, "tcp", ("compose.yaml", 9, 10, 14)),
    ]
    assert {b.profiles for b in result.bindings} == {("metrics", "ops")}
    assert [(b.namespace, b.target_namespace) for b in result.bindings] == [(HOST, None)] * 2


def test_project_keys(tmp_path: Path) -> None:
    text = one_port('"80:80"')
    files = {"compose.yaml": text, "compose.override.yaml": text, "stack.yml": text}
    for name, project in [
        ("compose.yaml", "compose:."),
        ("compose.override.yaml", "compose:."),
        ("stack.yml", "compose:stack.yml"),
    ]:
        assert scan(tmp_path, files, name).bindings[0].project == project
    nested = scan(
        tmp_path, {"deploy/docker-compose.prod.yml": text}, "deploy/docker-compose.prod.yml"
    )
    assert nested.bindings[0].project == "compose:deploy"


EXTENDS = """\
services:
  base:
    image: ghcr.io/acme/base:1
    ports:
      - "8080:8080"
  api:
    extends: base
    ports:
      - "8081:8080"
  worker:
    extends:
      file: common/services.yml
      service: java
    image: ghcr.io/acme/worker:1
  loop:
    extends: loop
    image: x
"""

COMMON = """\
services:
  java:
    image: eclipse-temurin:21
    container_name: java-app
    expose:
      - "${JMX_PORT:-9010}"
"""


def test_extends_brings_the_base_ports_with_their_own_locations(tmp_path: Path) -> None:
    files = {"compose.yaml": EXTENDS, "common/services.yml": COMMON}
    result = scan(tmp_path, files, "compose.yaml")
    assert problems(result) == []
    assert [(*row(b), b.project) for b in result.bindings] == [
        (
            "base",
            "host",
            8080,
            None,
            8080,
            None,
            None,
            "tcp",
            ("compose.yaml", 5, 10, 14),
            "compose:.",
        ),
        (
            "api",
            "host",
            8081,
            None,
            8080,
            None,
            None,
            "tcp",
            ("compose.yaml", 9, 10, 14),
            "compose:.",
        ),
        (
            "api",
            "host",
            8080,
            None,
            8080,
            None,
            None,
            "tcp",
            ("compose.yaml", 5, 10, 14),
            "compose:.",
        ),
        (
            "worker",
            "container",
            9010,
            None,
            None,
            None,
            None,
            "tcp",
            ("common/services.yml", 6, 10, 27),
            "compose:.",
        ),
    ]
    worker = result.bindings[3]
    assert (worker.image, worker.identities) == (
        "ghcr.io/acme/worker:1",
        ("worker", "java-app", "ghcr.io/acme/worker:1"),
    )
    assert worker.key_path == ("services", "java", "expose", 0)


INCLUDER = """\
include:
  - path: monitoring/compose.yaml
    env_file: monitoring/ports.env
  - compose.yaml
services:
  app:
    image: ghcr.io/acme/app:1
    ports:
      - "9090:9090"
"""

INCLUDED = """\
include:
  - ../compose.yaml
services:
  prometheus:
    image: prom/prometheus
    ports:
      - "${PROM_PORT}:9090"
"""


def test_include_joins_the_project_and_stops_at_cycles(tmp_path: Path) -> None:
    files = {
        "compose.yaml": INCLUDER,
        "monitoring/compose.yaml": INCLUDED,
        "monitoring/ports.env": "PROM_PORT=9091\n",
    }
    result = scan(tmp_path, files, "compose.yaml")
    assert problems(result) == []
    assert [(b.owner, b.port, str(b.location), b.project) for b in result.bindings] == [
        ("prometheus", 9091, "monitoring/compose.yaml:7:10", "compose:."),
        ("app", 9090, "compose.yaml:9:10", "compose:."),
    ]
    assert result.bindings[0].origin == Location("monitoring/ports.env", 1, 11, 1, 15)


def test_first_document_only_and_yaml_errors(tmp_path: Path) -> None:
    text = one_port('"80:80"') + "---\n" + one_port('"81:81"')
    assert [b.port for b in scan(tmp_path, {"compose.yaml": text}, "compose.yaml").bindings] == [80]
    broken = scan(tmp_path, {"compose.yaml": "services:\n  web: [\n"}, "compose.yaml")
    assert [p[0:3] for p in problems(broken)] == [("PL001", 3, 1)]


def test_shapes_compose_refuses_are_reported_not_skipped(tmp_path: Path) -> None:
    text = (
        "services:\n"
        '  a:\n    image: x\n    ports: "8080:80"\n'
        "  b:\n    image: y\n    ports: {8087: 80}\n"
        '  c:\n    image: z\n    ports:\n      -\n      - "9090:90"\n'
        "  d:\n    image: w\n    ports:\n"
    )
    result = scan(tmp_path, {"compose.yaml": text}, "compose.yaml")
    assert problems(result) == [
        ("PL102", 4, 13, "`ports` of service 'a' must be a list"),  # inside the quotes
        ("PL102", 7, 12, "`ports` of service 'b' must be a list"),
        ("PL102", 11, 8, "empty entry in `ports` of service 'c'"),
    ]
    # The good entry after the empty one keeps its own index in the key path.
    assert [(b.port, b.key_path) for b in result.bindings] == [
        (9090, ("services", "c", "ports", 1))
    ]
