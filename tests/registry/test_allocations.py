"""The team's allocation file: format, errors with file and line, merging."""

from __future__ import annotations

import pytest

from portlint.errors import ConfigError
from portlint.registry.allocations import (
    claim_text,
    load_allocations,
    parse_allocations,
)

GOOD = """\
# Team port registry.
[[allocation]]
port = 10276
service = "billing-api"
owner = "payments"

[[allocation]]
ports = "10280-10289"
protocol = "udp"
service = "telemetry"
note = "one per collector"
"""


def test_parse_and_lookup(tmp_path) -> None:
    (tmp_path / "ports.toml").write_text(GOOD, encoding="utf-8")
    allocs = load_allocations(["ports.toml"], str(tmp_path))
    found = allocs.find(10276, "tcp")
    assert found is not None
    assert (found.service, found.owner, found.where) == ("billing-api", "payments", "ports.toml:2")
    assert allocs.find(10276, "udp") is None
    telemetry = allocs.find(10285, "udp")
    assert telemetry is not None and (telemetry.text, telemetry.line) == ("10280-10289/udp", 7)
    assert allocs.find(10290, "udp") is None
    assert [a.text for a in allocs.for_service(["nope", "billing-api"])] == ["10276/tcp"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[[allocation]]\nport = 10\nservice = 'x'\n"
            "[[allocation]]\nport = 70000\nservice = 'y'\n",
            "ports.toml:4: port 70000 is outside 1-65535",
        ),
        (
            "[[allocation]]\nports = '20-10'\nservice = 'x'\n",
            "ports.toml:1: range '20-10' is reversed",
        ),
        (
            "[[allocation]]\nport = 10\nports = '10-12'\nservice = 'x'\n",
            "ports.toml:1: an allocation needs exactly one of `port` or `ports`",
        ),
        ("[[allocation]]\nport = 10\n", "ports.toml:1: an allocation needs a `service` name"),
        (
            "[[allocation]]\nport = 10\nservice = 'x'\nprotocol = 'icmp'\n",
            "ports.toml:1: protocol must be tcp, udp or sctp, not 'icmp'",
        ),
        ("[[allocation]]\nport = '10'\nservice = 'x'\n", "ports.toml:1: `port` must be an integer"),
        (
            "[[allocation]]\nport = 10\nservice = 'x'\nteam = 'y'\n",
            "ports.toml:1: unknown key 'team'",
        ),
        ("[ports]\nx = 1\n", "ports.toml: unknown top-level key 'ports'"),
        ("[[allocation]\n", "ports.toml:1:13: invalid TOML: expected ']]' at the end of an"),
    ],
)
def test_invalid_allocations_name_file_and_line(text, message) -> None:
    with pytest.raises(ConfigError) as info:
        parse_allocations(text, "ports.toml")
    assert str(info.value).startswith(message)


def test_overlaps_across_files_are_errors(tmp_path) -> None:
    (tmp_path / "ports.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "shared.toml").write_text(
        "# org-wide\n\n[[allocation]]\nports = '10270-10279'\nservice = 'search'\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_allocations(["ports.toml", "shared.toml"], str(tmp_path))
    assert str(info.value).startswith(
        "ports.toml:2: allocation 10276/tcp (billing-api) overlaps 10270-10279/tcp (search) "
        "at shared.toml:3"
    )


def test_a_range_swallowing_later_entries_is_caught() -> None:
    text = (
        "[[allocation]]\nports = '100-200'\nservice = 'a'\n"
        "[[allocation]]\nport = 120\nservice = 'b'\n"
        "[[allocation]]\nport = 150\nservice = 'c'\n"
    )
    from portlint.registry.allocations import merge

    with pytest.raises(ConfigError, match=r"x.toml:4: allocation 120/tcp \(b\) overlaps"):
        merge(parse_allocations(text, "x.toml"))


def test_the_same_entry_in_two_files_counts_once(tmp_path) -> None:
    (tmp_path / "a.toml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.toml").write_text(GOOD, encoding="utf-8")
    assert len(load_allocations(["a.toml", "b.toml"], str(tmp_path))) == 2


def test_missing_file(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"nope\.toml: allocation file not found"):
        load_allocations(["nope.toml"], str(tmp_path))


def test_claim_text_keeps_everything_else() -> None:
    assert claim_text(GOOD, 10300, "tcp", "admin") == GOOD + (
        '\n[[allocation]]\nport = 10300\nprotocol = "tcp"\nservice = "admin"\n'
    )
    assert claim_text("# only a comment", 10300, "udp", 'we"ird').endswith(
        '# only a comment\n\n[[allocation]]\nport = 10300\nprotocol = "udp"\nservice = "we\\"ird"\n'
    )
    assert parse_allocations(claim_text("", 1, "tcp", 'a "b"'), "x")[0].service == 'a "b"'
