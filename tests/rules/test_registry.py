"""PL2xx: well-known, IANA and allocation verdicts on hand-built bindings."""

from __future__ import annotations

import pytest

from portlint.bindings import HOST
from portlint.registry.allocations import Allocation, merge
from portlint.rules.base import Settings
from portlint.rules.registry import (
    allocation_conflict,
    iana_registered_port,
    reserved_port,
    unallocated_port,
    unassigned_port,
    well_known_port_conflict,
)
from tests.rules._helpers import bind, run


@pytest.mark.parametrize(
    ("owner", "image", "port", "fires_with"),
    [
        ("db", "postgres:16", 5432, None),
        ("reporting", "bitnami/postgresql:16", 5432, None),
        ("cache", "redis:7", 6379, None),
        ("billing", None, 5432, 'well-known port of postgresql, but service "billing"'),
        ("worker", "node:20", 6379, "well-known port of redis"),
        ("head", "rayproject/ray:2.9.0", 6379, "well-known port of redis"),
        ("search", "opensearchproject/opensearch:2", 9200, None),
        ("queue", "confluentinc/cp-kafka:7.6.0", 9092, None),
        ("web", "ghcr.io/acme/web:1", 8080, None),  # generic: only PL402 counts
        ("web", "ghcr.io/acme/web:1", 3000, None),
        # held by macOS itself: PL601 (host-held-port) judges them, not PL201
        ("api", "python:3.12", 5000, None),
        ("worker", "ghcr.io/acme/worker:1", 7000, None),
        ("files", "ghcr.io/acme/files:1", 9000, None),  # shared by several programs: no owner
        ("torrents", "lscr.io/linuxserver/transmission", 9091, None),
        # Prometheus runs where its own project starts it, not as a host service
        ("exporter", "ghcr.io/acme/exporter:1", 9090, None),
        ("catalog", "ghcr.io/acme/catalog:1", 27017, 'port of mongodb, but service "catalog"'),
        ("minio", "minio/minio", 9000, None),
    ],
)
def test_well_known_matching(owner, image, port, fires_with) -> None:
    binding = bind(port, owner=owner, image=image, identities=(owner, image) if image else (owner,))
    found = run(well_known_port_conflict, [binding])
    if fires_with is None:
        assert found == []
    else:
        (finding,) = found
        assert fires_with in finding.message
        assert finding.port == port


def test_ray_gets_its_own_hint() -> None:
    binding = bind(6379, owner="ray-head", image="rayproject/ray:2.9.0", line=17, column=20)
    (finding,) = run(well_known_port_conflict, [binding])
    assert (finding.location.line, finding.location.column) == (17, 20)
    assert finding.hint is not None and "ray start --head --port" in finding.hint


def test_env_key_owner_is_identity() -> None:
    # a .env an app on the host reads (placement: a package.json beside it)
    on_host = {"kind": "dotenv", "path": ".env", "project": None, "namespace": HOST}
    ok = bind(5432, role="listen", owner="POSTGRES_PORT", **on_host)
    bad = bind(5432, role="listen", owner="REDIS_PORT", **on_host)
    assert run(well_known_port_conflict, [ok]) == []
    (finding,) = run(well_known_port_conflict, [bad])
    assert finding.message.startswith(
        "listening port 5432/tcp is the well-known port of postgresql"
    )


def test_container_ports_and_urls_never_fire() -> None:
    bindings = [bind(5432, role="container", owner="billing"), bind(5432, role="url", owner="x")]
    assert run(well_known_port_conflict, bindings) == []


def test_iana_registered_port() -> None:
    mine = bind(8140, owner="puppet")
    other = bind(8140, owner="dashboard", line=5, column=20)
    http = bind(8080, owner="dashboard")
    (finding,) = run(iana_registered_port, [mine, other, http])
    assert (finding.location.line, finding.message) == (
        5,
        "host port 8140/tcp is assigned by IANA to puppet (The Puppet master service)",
    )


def _allocations(*entries: tuple[int, int, str]) -> Settings:
    allocs = merge(
        (
            Allocation("tcp", port, end, service, path="ports.toml", line=1 + 4 * i)
            for i, (port, end, service) in enumerate(entries)
        ),
        ["ports.toml"],
    )
    return Settings(allocations=allocs)


def test_unassigned_port_counts_allocations_as_assigned() -> None:
    binding = bind(10276, owner="billing-api")
    (finding,) = run(unassigned_port, [binding])
    assert finding.message == (
        "host port 10276/tcp is not assigned by IANA and not in the team's allocations"
    )
    assert run(unassigned_port, [binding], _allocations((10276, 10276, "billing-api"))) == []
    assert run(unassigned_port, [bind(55000)]) == []  # dynamic range: PL301's business


def test_reserved_port() -> None:
    (finding,) = run(reserved_port, [bind(4173, owner="preview"), bind(5173, owner="dev")])
    assert finding.message == "host port 4173/tcp is reserved by IANA"


def test_allocation_conflict_both_directions() -> None:
    settings = _allocations((10276, 10276, "billing-api"), (10280, 10289, "reports"))
    wrong_port = bind(10300, owner="billing-api", line=7, column=20)
    taken = bind(10276, owner="reports", line=11, column=20)
    fine = [bind(10276, owner="billing-api"), bind(10285, owner="reports")]
    env = bind(10281, role="listen", owner="REPORTS_PORT", kind="dotenv", project=None)
    found = run(allocation_conflict, [wrong_port, taken, *fine, env], settings)
    assert [(f.location.line, f.message) for f in found] == [
        (
            7,
            'service "billing-api" is allocated 10276/tcp (ports.toml:1), not host port 10300/tcp',
        ),
        (
            11,
            "host port 10276/tcp is allocated to billing-api (ports.toml:1), "
            'not to service "reports"',
        ),
    ]
    assert run(allocation_conflict, [wrong_port, taken]) == []  # no allocation file


def test_unallocated_port_only_with_allocations() -> None:
    admin = bind(10400, owner="admin", line=10, column=20)
    assert run(unallocated_port, [admin]) == []
    settings = _allocations((10276, 10276, "billing-api"))
    (finding,) = run(unallocated_port, [admin, bind(10276, owner="billing-api")], settings)
    assert finding.location.line == 10
    assert finding.message == 'host port 10400/tcp of service "admin" is not in ports.toml'
    # a service the file knows under another port is PL205's, not PL206's
    assert run(unallocated_port, [bind(10300, owner="billing-api")], settings) == []
    # nodePorts are the cluster's business
    assert run(unallocated_port, [bind(30080, role="node", kind="kubernetes")], settings) == []


def test_kubernetes_env_port_listens_inside_its_pod() -> None:
    """A container's env ``PORT`` is judged like its containerPort: not on a shared machine.

    Only the pod's ``hostPort`` reaches a node, so only it meets PL201/PL202.
    """
    pod = "k8s:default/Deployment/pricing"
    env_port = bind(
        7000,
        role="listen",
        kind="kubernetes",
        owner="default/Deployment/pricing/server",
        path="deploy/pricing.yaml",
        line=22,
        column=23,
        project=pod,
    )
    host_port = bind(
        6379,
        role="host",
        kind="kubernetes",
        owner="default/Deployment/pricing/debug-proxy",
        path="deploy/pricing.yaml",
        line=29,
        column=25,
        project=pod,
    )
    assert run(well_known_port_conflict, [env_port]) == []
    assert run(iana_registered_port, [env_port]) == []
    found = run(well_known_port_conflict, [env_port, host_port])
    assert [(f.location.line, f.location.column, f.port) for f in found] == [(29, 25, 6379)]
    assert "well-known port of redis" in found[0].message


def test_unassigned_port_spares_the_softwares_own_de_facto_port() -> None:
    """15672 is RabbitMQ's management UI: on a rabbitmq service it is no gamble."""
    own = bind(15672, owner="mq", image="rabbitmq:3.13-management", line=8, column=9)
    other = bind(15672, owner="reports", line=14, column=9)
    found = run(unassigned_port, [own, other])
    assert [(f.location.line, f.location.column, f.port) for f in found] == [(14, 9, 15672)]


def test_host_port_zero_is_the_engine_picking_not_a_reserved_port() -> None:
    """'0:80' asks Docker for any free host port; IANA's reserved 0 is not claimed."""
    from portlint.rules.registry import reserved_port

    assert run(reserved_port, [bind(0, owner="web", target=80)]) == []
    assert [f.port for f in run(reserved_port, [bind(1024, owner="web", target=80)])] == [1024]
