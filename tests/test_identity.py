"""Owner identity: image normalisation, env-key owners, whole-word matching."""

from __future__ import annotations

import pytest

from portlint.identity import binding_names, env_key_owner, image_name, matches
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
    assert binding_names(binding) == ("postgresql", "db", "billing-db", "bitnami-postgresql-16")


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
