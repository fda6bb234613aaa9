"""The shipped host-held table: every row sourced, and equal to its builder's output."""

from __future__ import annotations

import importlib.util

from portlint.registry import hostheld
from tests.conftest import ROOT


def _builder():
    spec = importlib.util.spec_from_file_location(
        "build_hostheld", ROOT / "tools" / "build_hostheld.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builder_reproduces_the_shipped_table() -> None:
    built = _builder().build()
    assert built == (ROOT / "portlint" / "data" / "hostheld.tsv").read_text(encoding="utf-8")


def test_every_row_has_https_sources_and_known_fields() -> None:
    rows = hostheld.load().rows
    assert rows
    for row in rows:
        assert row.sources, row.holder
        assert all(s.startswith("https://") for s in row.sources), row.holder
        assert row.platform in ("linux", "macos", "windows")
        assert row.where in ("desktop", "server", "any")
        assert row.since, row.holder  # "unknown" when no source says
        assert row.fix and row.holder
        assert set(row.protocols) <= {"tcp", "udp"}


def test_lookup_by_port_and_protocol() -> None:
    assert [r.holder for r in hostheld.lookup(53, "udp")] == [
        "systemd-resolved stub listener",
        "dnsmasq of libvirt's default network",
    ]
    (airplay,) = hostheld.lookup(5000, "tcp")
    assert (airplay.platform, airplay.every_interface) == ("macos", True)
    assert hostheld.lookup(5000, "udp") == []
    assert [r.platform for r in hostheld.lookup(5353)] == ["linux", "macos"]
    assert [r.holder for r in hostheld.lookup(138, "udp")] == ["NetBIOS name and datagram services"]


def test_a_foreign_table_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="host-held"):
        hostheld.parse_table("#portlint-wellknown\t1\tx\n")
