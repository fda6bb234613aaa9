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


def test_the_table_lives_in_the_registry_layer() -> None:
    import importlib.util

    assert importlib.util.find_spec("portlint.wellknown") is None
    assert wellknown.__name__ == "portlint.registry.wellknown"
