"""The generic key rules, run through all three walkers (YAML, TOML, JSON)."""

from __future__ import annotations

import pytest

from portlint.scanners import json as jsonc
from portlint.scanners import toml, yaml
from portlint.scanners.base import ScanContext, ScanResult
from portlint.scanners.keys import key_kind, owner_for
from portlint.source import SourceFile


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("port", "port"),
        ("PORT", "port"),
        ("httpPort", "port"),
        ("HTTPPort", "port"),
        ("db_port", "port"),
        ("DB_PORT", "port"),
        ("grpc-port", "port"),
        ("server.port", "port"),
        ("containerPort", "port"),
        ("nodePort", "port"),
        ("ports", "ports"),
        ("forwardPorts", "ports"),
        ("exposed_ports", "ports"),
        ("listen", "address"),
        ("bind", "address"),
        ("address", "address"),
        ("listen_addr", "address"),
        ("bindAddress", "address"),
        ("metrics-address", "address"),
        ("port_count", None),
        ("ports_count", None),
        ("passport", None),
        ("Passport", None),
        ("transport", None),
        ("report_interval", None),
        ("support", None),
        ("portal", None),
        ("airport", None),
        ("bindings", None),
        ("listener", None),
        ("replicas", None),
    ],
)
def test_key_kind(key: str, kind: str | None) -> None:
    assert key_kind(key) == kind


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        (("redis", "master", "service", "ports", "redis"), "redis"),
        (("service", "port"), "chart"),
        (("server", "port"), "chart"),
        (("services", 0, "ports", 1, "port"), "chart"),
        (("api", "http", "port"), "api"),
        (("admin_port",), "admin"),
        (("env", "API_PORT"), "api"),
        (("containerEnv", "REDIS_URL"), "redis"),
        (("config", "redisPort"), "redis"),
        (("PORT",), "chart"),
    ],
)
def test_owner_for(path: tuple[str | int, ...], owner: str) -> None:
    assert owner_for(path, "chart") == owner


YAML_DOC = """\
api:
  port: 8080
  listen: "127.0.0.1:9090"
  upstream: http://auth:4000/login
  replicas: 3
"""
TOML_DOC = """\
[api]
port = 8080
listen = "127.0.0.1:9090"
upstream = "http://auth:4000/login"
replicas = 3
"""
JSON_DOC = """\
{"api": {
  "port": 8080,
  "listen": "127.0.0.1:9090",
  "upstream": "http://auth:4000/login",
  "replicas": 3
}}
"""


def _scan(name: str, text: str) -> ScanResult:
    source = SourceFile(name, text)
    module = {"yaml": yaml, "toml": toml, "json": jsonc}[name.rsplit(".", 1)[1]]
    return module.scan(source, ScanContext())


@pytest.mark.parametrize(
    ("name", "text", "cols"),
    [
        ("app.yaml", YAML_DOC, (9, 22, 25)),
        ("app.toml", TOML_DOC, (8, 21, 25)),
        ("app.json", JSON_DOC, (11, 24, 28)),
    ],
)
def test_same_document_in_three_formats(name: str, text: str, cols: tuple[int, ...]) -> None:
    result = _scan(name, text)
    assert result.problems == []
    got = [
        (b.location.line, b.location.column, b.role, b.owner, b.port, b.host_ip)
        for b in sorted(result.bindings, key=lambda b: b.location)
    ]
    assert got == [
        (2, cols[0], "listen", "api", 8080, None),
        (3, cols[1], "listen", "api", 9090, "127.0.0.1"),
        (4, cols[2], "url", "api", 4000, None),
    ]


@pytest.mark.parametrize(
    ("name", "text", "line", "col"),
    [
        ("a.yaml", "server:\n  port: 70000\n", 2, 9),
        ("a.toml", "[server]\nport = 70000\n", 2, 8),
        ("a.json", '{"server": {\n "port": "70000"}}\n', 2, 11),
    ],
)
def test_out_of_range_is_pl101(name: str, text: str, line: int, col: int) -> None:
    result = _scan(name, text)
    assert result.bindings == []
    assert [(p.code, p.location.line, p.location.column) for p in result.problems] == [
        ("PL101", line, col)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "port: 0\n",
        "port: -1\n",
        "port: '${PORT}'\n",
        "port: 80.5\n",
        "port: true\n",
        "address: 10.0.0.1\n",
        "address: '12:30'\n",
        "mac_address: '00:1B:44:11:3A:B7'\n",
        "homepage: http://example.com/x\n",
        "version: '8080'\n",
    ],
)
def test_not_ports(text: str) -> None:
    assert _scan("x.yaml", text) == ScanResult()


def test_sibling_protocol_applies_to_ports_below() -> None:
    text = '[[services]]\nprotocol = "udp"\ninternal_port = 5353\nports = [{ port = 53 }]\n'
    result = _scan("fly.toml", text)
    assert [(b.port, b.protocol, b.location.line, b.location.column) for b in result.bindings] == [
        (5353, "udp", 3, 17),
        (53, "udp", 4, 19),
    ]


HELM_VALUES = """\
service:
  type: ClusterIP
  port: 80
  targetPort: 8081
deployment:
  containerPort: 8081
  extraContainerPorts:
    admin: 9901
"""


def test_helm_container_side_ports_are_container_role() -> None:
    """Pod-spec words in YAML values name a port inside the container, not a claim,
    and a chart's ``service.port`` is the Service's cluster port (role service)."""
    result = _scan("values.yaml", HELM_VALUES)
    got = [
        (b.location.line, b.location.column, b.port, b.role, ".".join(map(str, b.key_path)))
        for b in result.bindings
    ]
    assert got == [
        (3, 9, 80, "service", "service.port"),
        (4, 15, 8081, "container", "service.targetPort"),
        (6, 18, 8081, "container", "deployment.containerPort"),
        (8, 12, 9901, "container", "deployment.extraContainerPorts.admin"),
    ]


def test_service_port_outside_helm_values_stays_a_listening_port() -> None:
    """Only a chart's values file mirrors Kubernetes; an app config's service listens."""
    result = _scan("config.yaml", "service:\n  port: 8080\n")
    assert [(b.location.line, b.location.column, b.role) for b in result.bindings] == [
        (2, 9, "listen")
    ]


def test_netlify_dev_target_port_stays_a_listening_port() -> None:
    """In netlify.toml ``[dev] targetPort`` is the local framework server: a real claim."""
    result = _scan("netlify.toml", "[dev]\n  port = 8888\n  targetPort = 5173\n")
    got = [(b.location.line, b.location.column, b.port, b.role) for b in result.bindings]
    assert got == [(2, 10, 8888, "listen"), (3, 16, 5173, "listen")]


@pytest.mark.parametrize(
    ("name", "text", "line", "col"),
    [
        ("app.toml", '[database]\nhost = "db"\nport = 5432\n', 3, 8),
        ("app.yaml", "redis:\n  port: 6379\n  hostname: cache.internal\n", 2, 9),
        ("app.json", '{"smtp": {"server": "mail", "port": 587}}\n', 1, 37),
    ],
)
def test_port_beside_a_host_naming_another_machine_is_a_reference(
    name: str, text: str, line: int, col: int
) -> None:
    (binding,) = _scan(name, text).bindings
    assert (binding.location.line, binding.location.column, binding.role) == (line, col, "url")
    hosts = {"app.toml": "db", "app.yaml": "cache.internal", "app.json": "mail"}
    assert binding.host == hosts[name]


@pytest.mark.parametrize(
    "text",
    [
        '[server]\nhost = "0.0.0.0"\nport = 8080\n',
        '[server]\nhost = "127.0.0.1"\nport = 8080\n',
        '[server]\nhost = "localhost"\nport = 8080\n',
        '[server]\nhost = "::"\nport = 8080\n',
        '[server]\nhost = ""\nport = 8080\n',
        "[server]\nport = 8080\n",
        '[server]\nport = 8080\n[db]\nhost = "db"\n',  # another mapping's host
    ],
)
def test_port_beside_a_local_or_absent_host_stays_a_claim(text: str) -> None:
    (binding,) = _scan("app.toml", text).bindings
    assert (binding.location.line, binding.location.column, binding.role) == (
        text.split("\n").index("port = 8080") + 1,
        8,
        "listen",
    )
