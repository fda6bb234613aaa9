"""The shipped exposure table: every row sourced, and equal to its builder's output."""

from __future__ import annotations

import importlib.util
from collections import Counter

from portlint.registry import exposure
from tests.conftest import ROOT


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_exposure", ROOT / "tools" / "build_exposure.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_reproduces_the_shipped_table() -> None:
    built = _builder().build()
    assert built == (ROOT / "portlint" / "data" / "exposure.tsv").read_text(encoding="utf-8")


def test_every_row_has_an_https_source() -> None:
    rows = exposure.load()
    assert rows
    for row in rows:
        assert row.source.startswith("https://"), row.software
        assert " " not in row.source, row.software


def test_every_row_is_complete() -> None:
    for row in exposure.load():
        assert row.klass in exposure.CLASSES
        assert row.severity in ("error", "warning")
        assert row.note
        if row.klass == "door":
            assert row.door is not None and row.door_in in ("arg", "env", "any")
        else:
            assert row.names and row.ports and row.door is None


def test_severity_follows_the_class() -> None:
    """Control planes and open datastores are errors; desktops and admin UIs warnings."""
    for row in exposure.programs():
        wanted = "error" if row.klass in ("control-plane", "datastore") else "warning"
        assert row.severity == wanted, row.software


def test_every_class_has_rows() -> None:
    counts = Counter(row.klass for row in exposure.load())
    assert set(counts) == set(exposure.CLASSES)


def test_lookups() -> None:
    (redis,) = [r for r in exposure.programs("datastore") if r.software == "Redis"]
    assert redis.has_port(6379) and not redis.has_port(6380) and redis.any_port
    assert redis.auth is not None and redis.auth.search("arg:redis-server --requirepass s3cret")
    (etcd,) = [r for r in exposure.programs("control-plane") if r.software == "etcd"]
    assert etcd.has_port(2379) and etcd.has_port(2380) and not etcd.has_port(2381)
    (es,) = [r for r in exposure.programs() if r.software.startswith("Elasticsearch")]
    assert es.open_before == 8
