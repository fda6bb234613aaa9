"""Owner identity: image normalisation, env-key owners, whole-word matching."""

from __future__ import annotations

import pytest

from portlint.identity import (
    binding_names,
    env_key_owner,
    image_name,
    image_org,
    known_as,
    matches,
)
from tests.rules._helpers import bind


@pytest.mark.parametrize(
    ("ref", "name"),
    [
        ("postgres:16", "postgres"),
        ("bitnami/postgresql:16", "postgresql"),
        ("docker.io/bitnami/postgresql:16.4.0@sha256:0e3c", "postgresql"),
        ("localhost:5000/acme/billing:1.2", "billing"),
        ("ghcr.io/acme/api", "api"),
        ("Redis@sha256:abcd", "redis"),
        ("docker.elastic.co/elasticsearch/elasticsearch:8.15.0", "elasticsearch"),
    ],
)
def test_image_name(ref, name) -> None:
    assert image_name(ref) == name


@pytest.mark.parametrize(
    ("key", "owner"),
    [
        ("POSTGRES_PORT", "postgres"),
        ("BILLING_API_HTTP_PORT", "billing-api"),
        ("REDIS_HOST_PORT", "redis"),
        ("PORT", None),
        ("postgres_port", None),
        ("POSTGRES_HOST", None),
    ],
)
def test_env_key_owner(key, owner) -> None:
    assert env_key_owner(key) == owner


def test_binding_names_collects_every_source() -> None:
    binding = bind(
        5432,
        owner="db",
        image="bitnami/postgresql:16",
        identities=("db", "billing-db", "bitnami/postgresql:16"),
        key_path=("services", "db", "ports", 0),
    )
    assert binding_names(binding) == (
        "postgresql",
        "db",
        "billing-db",
        "bitnami-postgresql-16",
        "bitnami",
    )


def test_binding_names_read_org_variable_camel_case_and_file_name() -> None:
    """Identity evidence beyond the service name: what each file offers."""
    front = bind(25, owner="front", image="ghcr.io/mailu/nginx:2024.06", identities=("front",))
    assert binding_names(front) == ("nginx", "front", "mailu")
    syslog = bind(514, owner="logs", identities=("logs",), text="${GRAYLOG_SYSLOG_UDP_PORT}:514")
    assert binding_names(syslog) == ("logs", "graylog-syslog")
    thanos = bind(
        10901, owner="kube-prometheus-stack", kind="yaml", path="chart/values.yaml",
        key_path=("prometheus", "thanosService", "port"),
    )  # fmt: skip
    assert binding_names(thanos) == (
        "kube-prometheus-stack", "prometheus", "thanosservice", "thanos-service",
    )  # fmt: skip
    cassandra = bind(
        9042, role="listen", owner="native_transport", kind="yaml", path="conf/cassandra.yaml",
        key_path=("native_transport_port",),
    )  # fmt: skip
    assert binding_names(cassandra)[-1] == "cassandra"
    compose = bind(2375, owner="api", path="docker-compose.yml")
    assert binding_names(compose) == ("api",)  # a compose file's name says nothing


@pytest.mark.parametrize(
    ("image", "org"),
    [
        ("ghcr.io/mailu/front:2024", "mailu"),
        ("portainer/portainer-ce", "portainer"),
        ("postgres:16", None),
        ("library/redis", None),
        ("registry.example.com/app:1", None),
        ("localhost:5000/app", None),
    ],
)
def test_image_org(image, org) -> None:
    assert image_org(image) == org


def test_known_as_names_what_the_files_say() -> None:
    search = bind(9600, owner="search", image="opensearchproject/opensearch:2")
    assert known_as(search) == "opensearch"
    cluster = bind(7000, owner="redis-cluster", identities=("redis-cluster",))
    assert known_as(cluster) == "redis-cluster"
    assert known_as(bind(8000, owner="billing")) is None


@pytest.mark.parametrize(
    ("names", "aliases", "expected"),
    [
        (["prometheus-postgres-exporter"], ["postgres-exporter"], True),
        (["cp-kafka"], ["kafka"], True),
        (["postgresql"], ["postgres"], False),  # spelling is not identity
        (["kafkaesque"], ["kafka"], False),
        (["redis"], ["Redis"], True),
    ],
)
def test_matches(names, aliases, expected) -> None:
    assert matches(names, aliases) is expected
