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


# --- PL503-PL507 ----------------------------------------------------------------------

from portlint.bindings import Location, Setting  # noqa: E402
from portlint.rules.exposure import (  # noqa: E402
    _is,
    admin_interface_exposed,
    control_plane_exposed,
    debugger_exposed,
    open_datastore_exposed,
    protection_disabled,
)


@pytest.mark.parametrize(
    ("name", "fires"),
    [
        ("redis", True),
        ("redis-master", True),
        ("release-redis-replica-0", True),
        ("gb-redis-follower", True),
        ("redis-commander", False),
        ("redis-exporter", False),
        ("myredis", False),
    ],
)
def test_a_name_is_the_program_only_with_role_words(name, fires) -> None:
    assert _is(name, ("redis",)) is fires


def test_the_image_decides_over_the_name() -> None:
    """A service called etcd that runs nginx is nginx; one called store running etcd is etcd."""
    proxy = bind(2379, owner="etcd", image="nginx:1.27", target=2379, line=3)
    store = bind(12379, owner="store", image="bitnami/etcd:3.5", target=2379, line=4)
    built = bind(4646, owner="nomad", target=4646, line=5)  # no image: the name says
    found = run(control_plane_exposed, [proxy, store, built])
    assert [(f.location.line, f.message.split(":")[0]) for f in found] == [
        (4, "etcd port 2379/tcp is published on all interfaces as host port 12379"),
        (5, "HashiCorp Nomad HTTP API port 4646/tcp is published on all interfaces"),
    ]


@pytest.mark.parametrize(
    ("host_ip", "fires"),
    [(None, True), ("", True), ("0.0.0.0", True), ("::", True), ("127.0.0.1", False),
     ("::1", False), ("10.0.0.5", False)],
)  # fmt: skip
def test_host_ip_decides(host_ip, fires) -> None:
    binding = bind(2379, owner="etcd", image="etcd", target=2379, host_ip=host_ip)
    assert bool(run(control_plane_exposed, [binding])) is fires


def test_editor_forwards_never_fire() -> None:
    binding = bind(2379, owner="etcd", image="etcd", kind="devcontainer", editor_forward=True)
    assert run(control_plane_exposed, [binding]) == []


def test_datastore_auth_and_version() -> None:
    def redis(*settings: Setting, line: int) -> object:
        return bind(6379, owner="cache", image="redis:7", target=6379, line=line,
                    kind="kubernetes", project="k8s:default/Pod/cache",
                    settings=settings)  # fmt: skip

    at = Location("k8s.yaml", 9, 1)
    open_ = redis(line=1)
    password = redis(Setting("arg", "--requirepass", at), Setting("arg", "x", at), line=2)
    env = redis(Setting("env", "REDIS_PASSWORD=s3cret", at), line=3)
    empty = redis(Setting("env", "REDIS_PASSWORD=", at), line=4)
    es7 = bind(9200, owner="es", image="elasticsearch:7.17.9", target=9200, line=5,
               kind="kubernetes", project="k8s:default/Pod/es")  # fmt: skip
    es8 = bind(9200, owner="es", image="elasticsearch:8.13.0", target=9200, line=6,
               kind="kubernetes", project="k8s:default/Pod/es")  # fmt: skip
    es = bind(9200, owner="es", image="elasticsearch", target=9200, line=7,
              kind="kubernetes", project="k8s:default/Pod/es")  # fmt: skip
    found = run(open_datastore_exposed, [open_, password, env, empty, es7, es8, es])
    assert [f.location.line for f in found] == [1, 4, 5]


def test_compose_datastores_need_the_option() -> None:
    cache = bind(6379, owner="cache", image="redis:7", target=6379)
    assert run(open_datastore_exposed, [cache]) == []
    found = run(open_datastore_exposed, [cache], options={"compose": True})
    assert [f.port for f in found] == [6379]


def test_one_port_programs_fire_where_they_were_moved() -> None:
    moved = bind(7000, owner="cache", image="redis:7", target=7000, line=1)
    sentinel = bind(26379, owner="sentinel", image="redis:7", target=26379, line=2)
    found = run(open_datastore_exposed, [moved, sentinel], options={"compose": True})
    assert [f.port for f in found] == [7000, 26379]


def test_kubernetes_routes() -> None:
    def svc(exposure: str | None, line: int, role: str = "service", port: int = 8500) -> object:
        return bind(port, role=role, owner="default/Service/consul", kind="kubernetes",
                    project="k8s:default/Service/consul", identities=("consul",),
                    target=port, exposure=exposure, line=line,
                    k8s_object="Service/consul")  # fmt: skip

    route = bind(8500, role="url", owner="default/Ingress/ui", kind="kubernetes", project=None,
                 identities=("ui", "consul-server"), exposure="Ingress", line=5,
                 k8s_object="Ingress/ui", ref="ingress")  # fmt: skip
    bindings = [
        svc("LoadBalancer", 1),
        svc("NodePort", 2),
        svc(None, 3),  # ClusterIP
        svc("NodePort", 4, role="node", port=30500),  # its Service port reports it
        route,
    ]
    found = run(control_plane_exposed, bindings)
    assert [(f.location.line, f.message.split(":")[0]) for f in found] == [
        (1, "HashiCorp Consul HTTP API port 8500/tcp is exposed by a LoadBalancer Service"),
        (2, "HashiCorp Consul HTTP API port 8500/tcp is exposed on every node by a NodePort "
            "Service"),
        (5, "HashiCorp Consul HTTP API port 8500/tcp is routed from outside the cluster by "
            "Ingress/ui"),
    ]  # fmt: skip


def test_admin_interfaces() -> None:
    vnc = bind(5900, owner="browser", image="selenium/standalone-chrome:4", target=5900, line=1)
    grid = bind(4444, owner="browser", image="selenium/standalone-chrome:4", target=4444, line=2)
    pga = bind(5050, owner="pgadmin", image="dpage/pgadmin4", target=80, line=3)
    found = run(admin_interface_exposed, [vnc, grid, pga])
    assert [(f.location.line, f.port) for f in found] == [(1, 5900), (3, 5050)]


def _published(service: str, image: str, port: int, *settings: tuple[str, str, int], host_ip=None):
    return bind(port, owner=service, image=image, target=port, host_ip=host_ip,
                settings=tuple(Setting(k, t, Location("compose.yaml", line, 7))  # type: ignore[arg-type]
                               for k, t, line in settings))  # fmt: skip


def test_doors_need_a_published_service_and_the_right_program() -> None:
    redis = _published("cache", "redis:7", 6379, ("arg", "redis-server", 3),
                       ("arg", "--protected-mode", 4), ("arg", "no", 5))  # fmt: skip
    local = _published("cache2", "redis:7", 6379, ("arg", "--protected-mode no", 8),
                       host_ip="127.0.0.1")  # fmt: skip
    other = _published("queue", "rabbitmq:3", 5672, ("arg", "--protected-mode no", 9))
    trust = _published("db", "postgres:16", 5432, ("env", "POSTGRES_HOST_AUTH_METHOD=trust", 11))
    found = run(protection_disabled, [redis, local, other, trust])
    assert [(f.location.line, f.message.split(" on ")[0]) for f in found] == [
        (4, "`--protected-mode no`"),
        (11, "`POSTGRES_HOST_AUTH_METHOD=trust`"),
    ]


def test_traefik_insecure_api_needs_8080_published() -> None:
    def traefik(*ports: tuple[int, str | None]) -> list[object]:
        return [
            bind(p, owner="proxy", image="traefik:v3", target=p, host_ip=ip, line=20 + p % 7,
                 settings=(Setting("arg", "--api.insecure=true", Location("c.yaml", 5, 9)),))
            for p, ip in ports
        ]  # fmt: skip

    assert run(protection_disabled, traefik((80, None), (8080, "127.0.0.1"))) == []
    found = run(protection_disabled, traefik((80, None), (8080, None)))
    assert [(f.location.line, f.location.column) for f in found] == [(5, 9)]


def test_debuggers_need_their_port_published() -> None:
    args = ("arg", "node --inspect=0.0.0.0:9230 app.js", 6)
    published = _published("web", "node:20", 9230, args)
    other = _published("web2", "node:20", 3000, args)
    default = _published("web3", "node:20", 9229, ("env", "NODE_OPTIONS=--inspect=0.0.0.0", 7))
    found = run(debugger_exposed, [published, other, default])
    assert [(f.location.line, f.location.column, f.port) for f in found] == [
        (6, 7, 9230),  # the setting's location is not a one-line span: its start
        (7, 7, 9229),
    ]


def test_a_container_port_alone_is_published_on_a_port_docker_picks() -> None:
    ports = bind(8500, role="container", owner="consul", image="hashicorp/consul",
                 key_path=("services", "consul", "ports", 0), line=1)  # fmt: skip
    local = bind(8500, role="container", owner="consul", image="hashicorp/consul",
                 key_path=("services", "consul", "ports", 1), host_ip="127.0.0.1",
                 line=2)  # fmt: skip
    exposed = bind(8500, role="container", owner="consul", image="hashicorp/consul",
                   key_path=("services", "consul", "expose", 0), line=3)  # fmt: skip
    found = run(control_plane_exposed, [ports, local, exposed])
    assert [(f.location.line, f.hint) for f in found] == [
        (1, 'publish it on loopback only: "127.0.0.1::8500"')
    ]
