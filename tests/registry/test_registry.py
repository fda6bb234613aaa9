"""Known facts against the shipped snapshot, and the converter against IANA's exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portlint import registry
from portlint.registry.convert import build_snapshot, classify, merge, read_csv, read_xml
from tests.conftest import SHIPPED_DATE

IANA = Path(__file__).resolve().parents[3] / "shared" / "data" / "iana"
XML = IANA / "service-names-port-numbers.xml"
CSV = IANA / "service-names-port-numbers.csv"
needs_shared = pytest.mark.skipif(not XML.exists(), reason="../shared/data/iana is not present")


def test_snapshot_is_dated_and_complete() -> None:
    reg = registry.load()
    assert reg.date == SHIPPED_DATE
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", reg.date)
    assert reg.source == "service-names-port-numbers.xml"
    assert len(reg.entries) > 13000


@pytest.mark.parametrize(
    ("port", "protocol", "names"),
    [
        (22, "tcp", ["ssh"]),
        (443, "tcp", ["https"]),
        (5432, "tcp", ["postgresql"]),
        (6379, "tcp", ["redis"]),
        (8080, "tcp", ["http-alt"]),
        (4480, "tcp", ["agtp"]),  # new in the 2026-08-17 registry
    ],
)
def test_assigned_ports(port: int, protocol: str, names: list[str]) -> None:
    assert [e.name for e in registry.load().assigned(port, protocol)] == names


def test_several_names_on_one_port_are_aliases() -> None:
    (entry,) = registry.load().assigned(80, "tcp")
    assert (entry.name, entry.aliases, entry.description) == (
        "http",
        ("www", "www-http"),
        "World Wide Web HTTP",
    )


def test_range_row() -> None:
    (entry,) = registry.load().lookup(10276, "tcp")
    assert (entry.port, entry.end, entry.protocol, entry.status) == (10262, 10287, "", "unassigned")


def test_empty_protocol_applies_to_every_protocol() -> None:
    for proto in ("tcp", "udp", "sctp", "dccp"):
        assert [e.status for e in registry.load().lookup(49151, proto)] == ["reserved"]


@pytest.mark.parametrize(("port", "protocol"), [(0, "tcp"), (1024, "udp"), (49151, "tcp")])
def test_reserved_ports(port: int, protocol: str) -> None:
    assert registry.load().is_reserved(port, protocol)


def test_no_row_for_a_protocol_means_not_assigned_for_it() -> None:
    reg = registry.load()
    assert reg.assigned(5432, "tcp") and not reg.lookup(5432, "sctp")


def test_multi_line_description_survives() -> None:
    (entry,) = registry.load().assigned(4646, "tcp")
    assert entry.name == "dots-signal"
    assert entry.description.startswith("Distributed Denial-of-Service Open Threat Signaling")
    assert "\n" not in entry.description  # hard wraps are joined


def test_nothing_above_49151() -> None:
    assert max((e.end or e.port) for e in registry.load().entries) == 49151


@pytest.mark.parametrize(
    ("port", "expected"),
    [
        (0, "system"),
        (1023, "system"),
        (1024, "user"),
        (49151, "user"),
        (49152, "dynamic"),
        (65535, "dynamic"),
    ],
)
def test_range_class(port: int, expected: str) -> None:
    assert registry.range_class(port) == expected


@pytest.mark.parametrize("port", [-1, 65536])
def test_range_class_rejects_non_ports(port: int) -> None:
    with pytest.raises(ValueError):
        registry.range_class(port)


@pytest.mark.parametrize(
    ("name", "description", "status"),
    [
        ("", "Unassigned", "unassigned"),
        ("", "Reserved", "reserved"),
        ("http", "WWW", "assigned"),
        ("", "De-registered", "historic"),
        ("x", "Removed 2020-01-01", "historic"),
    ],
)
def test_classify(name: str, description: str, status: str) -> None:
    assert classify(name, description) == status


def test_an_export_excerpt_converts_to_the_shipped_rows() -> None:
    """The converter on data the repository holds: every row it builds from a
    30-record excerpt of the export is, byte for byte, the shipped snapshot's row."""
    excerpt = Path(__file__).parents[1] / "fixtures" / "registry-export" / "excerpt.xml"
    built = build_snapshot(excerpt.read_bytes(), "service-names-port-numbers.xml")
    shipped = Path(registry.SNAPSHOT).read_text(encoding="utf-8").splitlines(keepends=True)
    ports = {"0", "7", "22", "80", "443", "1024", "4480", "5432", "6379", "8080", "49151"}
    ports |= {"49152", "225", "249"}  # 225-241, 249-255: the two range records
    expected = [shipped[0]] + [row for row in shipped[1:] if row.split("\t", 1)[0] in ports]
    assert built == "".join(expected)
    assert len(expected) == 27


# Needs IANA's full export in ../shared (a sibling of the repository): skipped in a plain clone;
# test_an_export_excerpt_converts_to_the_shipped_rows covers the converter there.
@needs_shared
def test_shipped_snapshot_is_rebuilt_exactly_from_shared() -> None:
    rebuilt = build_snapshot(XML.read_bytes(), source=XML.name)
    assert rebuilt == Path(registry.SNAPSHOT).read_text(encoding="utf-8")


@needs_shared
def test_csv_and_xml_give_the_same_facts() -> None:
    """Both exports agree wherever the registry did not change between them.

    The CSV is dated 2026-02-25, the XML 2026-08-17; rows touched after the
    CSV's date (new assignments carved out of unassigned ranges) are left out.
    """
    csv_date, csv_records = read_csv(CSV.read_bytes())
    xml_date, xml_records = read_xml(XML.read_bytes())
    assert (csv_date, xml_date) == ("2026-02-25", "2026-08-17")

    def facts(records: list) -> set[tuple[object, ...]]:
        return {
            (r.start, r.end, r.protocol, r.status, r.name, tuple(r.aliases)) for r in merge(records)
        }

    changed = {r.start for r in xml_records if r.updated > csv_date}
    changed |= {
        p for r in xml_records if r.updated > csv_date and r.end for p in range(r.start, r.end + 1)
    }
    csv_facts = {f for f in facts(csv_records) if f[0] not in changed}
    xml_facts = {f for f in facts(xml_records) if f[0] not in changed}
    assert len(csv_facts) > 12000
    only_csv, only_xml = csv_facts - xml_facts, xml_facts - csv_facts
    # Unassigned ranges that were split by a later assignment differ in their bounds.
    assert all(f[3] == "unassigned" for f in only_csv | only_xml), (only_csv, only_xml)
    for port, proto in [(22, "tcp"), (80, "tcp"), (5432, "udp"), (8080, "tcp")]:
        from_csv = {f for f in csv_facts if f[0] == port and f[2] == proto}
        from_xml = {f for f in xml_facts if f[0] == port and f[2] == proto}
        assert from_csv == from_xml != set()


def test_converter_rejects_garbage() -> None:
    from portlint.errors import UsageError

    with pytest.raises(UsageError):
        build_snapshot(b"<?xml version='1.0'?><nope", source="x.xml")
    with pytest.raises(UsageError):
        build_snapshot(b"a,b\n1,2\n", source="x.csv")
