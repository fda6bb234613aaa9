"""The shipped well-known table: stands alone, and matches its converter's output."""

from __future__ import annotations

import importlib.util

import pytest

from portlint.registry import wellknown
from tests.conftest import ROOT, SHARED


def test_table_loads_with_sources() -> None:
    table = wellknown.load()
    assert len(table.rows) >= 190
    assert all(row.sources and row.names for row in table.rows)
    (redis,) = [r for r in table.lookup(6379, "tcp") if not r.squat]
    assert (redis.key, redis.klass, redis.sensitive) == ("redis", "cache", True)
    (ray,) = [r for r in table.lookup(6379, "tcp") if r.squat]
    assert ray.key == "ray"
    assert {r.key for r in table.lookup(5000) if r.macos} == {"airplay"}
    assert all(r.generic for r in table.lookup(8080))
    assert table.lookup(8125, "tcp") == [] and table.lookup(8125, "udp")[0].key == "statsd"


def test_converter_reproduces_the_shipped_table() -> None:
    """Needs the survey in ../shared (a sibling of the repository): skipped in a plain clone."""
    survey = SHARED / "data" / "defacto-ports.md"
    if not survey.is_file():
        pytest.skip("the de facto ports survey is not present")
    spec = importlib.util.spec_from_file_location(
        "build_wellknown", ROOT / "tools" / "build_wellknown.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(survey.read_text(encoding="utf-8"))
    assert built == (ROOT / "portlint" / "data" / "wellknown.tsv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("port", "protocol", "owners"),
    [
        (9091, "tcp", {"pushgateway", "transmission", "authelia"}),
        (8200, "tcp", {"vault", "duplicati"}),
        (9200, "tcp", {"elasticsearch", "ocis"}),
        (9001, "tcp", {"minio", "mosquitto"}),
        (51413, "udp", {"transmission"}),
        (51820, "udp", {"wireguard"}),
        (9090, "tcp", {"prometheus"}),  # one owner: a stranger there still gets PL201
    ],
)
def test_shared_ports_list_every_popular_owner(port, protocol, owners) -> None:
    """Which programs a port belongs to decides whether PL201 can name an owner at all."""
    rows = [r for r in wellknown.lookup(port, protocol) if not r.squat and not r.macos]
    assert {r.key for r in rows} == owners
    assert all(s.startswith("https://") for r in rows for s in r.sources)


def test_the_table_lives_in_the_registry_layer() -> None:
    import importlib.util

    assert importlib.util.find_spec("portlint.wellknown") is None
    assert wellknown.__name__ == "portlint.registry.wellknown"
