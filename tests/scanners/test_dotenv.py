""".env files: the dialect Compose reads, port claims and URL references, exact columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from portlint.bindings import Location
from portlint.scanners.dotenv import parse, port_key_owner
from portlint.source import SourceFile
from tests.scanners.helpers import problems, row, scan

DIALECT = """\
# comment line
PLAIN=hello world   # trailing comment
export EXPORTED=1
SPACED = value
SINGLE='literal ${PLAIN} # not a comment'
DOUBLE="a \\"quoted\\" ${EXPORTED}"
HASH=abc#def
EMPTY=
FROM_ENV
MULTI="line one
line two"
REF=${PLAIN:-x}-${NOPE:-y}
"""


def test_dialect() -> None:
    parsed = parse(SourceFile(".env", DIALECT))
    assert parsed.problems == []
    assert [(e.key, e.value) for e in parsed.entries] == [
        ("PLAIN", "hello world"),
        ("EXPORTED", "1"),
        ("SPACED", "value"),
        ("SINGLE", "literal ${PLAIN} # not a comment"),
        ("DOUBLE", 'a "quoted" 1'),
        ("HASH", "abc#def"),
        ("EMPTY", ""),
        ("MULTI", "line one\nline two"),
        ("REF", "hello world-y"),
    ]
    locations = {e.key: e.value_location for e in parsed.entries}
    assert locations["PLAIN"] == Location(".env", 2, 7, 2, 18)
    assert locations["SINGLE"] == Location(".env", 5, 9, 5, 41)
    assert locations["MULTI"] == Location(".env", 10, 8, 11, 9)


def test_malformed_lines_are_reported() -> None:
    parsed = parse(SourceFile(".env", "GOOD=1\n!bad line\nKEY value\nQ='open\n"))
    assert [(p.code, str(p.location), p.message) for p in parsed.problems] == [
        ("PL001", ".env:2:1", "cannot parse .env line: '!bad line'"),
        ("PL001", ".env:3:5", "cannot parse .env line: expected '=' after KEY"),
        ("PL001", ".env:4:3", "unterminated ' quote in the value of Q"),
    ]
    assert [e.key for e in parsed.entries] == ["GOOD"]


@pytest.mark.parametrize(
    ("key", "path", "owner"),
    [
        ("API_PORT", ".env", "api"),
        ("api_port", ".env", "api"),
        ("WEB_APP_PORT", ".env", "web_app"),
        ("REDIS_PORT_6379_TCP", ".env", "redis"),
        ("PORTS", ".env", "ports"),
        ("PORT", ".env", "port"),
        ("PORT", "services/billing/.env", "billing"),
        ("SUPPORT_EMAIL", ".env", None),
        ("TRANSPORT", ".env", None),
        ("PORTAL_URL", ".env", None),
    ],
)
def test_port_key_owner(key: str, path: str, owner: str | None) -> None:
    assert port_key_owner(key, path) == owner


ENV = """\
API_PORT=8080
export WEB_PORT="3000"
PORTS=9000,9001
BAD_PORT=70000
NOT_A_PORT=abc
LOG_PORT=
DATABASE_URL=postgres://app:s3cret@db:5432/app
REDIS_URL=redis://cache:6380/0
BROKER_URL=amqp://[fd00::5]:5672
HUGE_URL=http://x:99999/
ADMIN_PORT=${API_PORT}
"""


def test_scan_claims_and_references(tmp_path: Path) -> None:
    result = scan(tmp_path, {".env": ENV}, ".env")
    assert [row(b) for b in result.bindings] == [
        ("api", "listen", 8080, None, None, None, None, "tcp", (".env", 1, 10, 14)),
        ("web", "listen", 3000, None, None, None, None, "tcp", (".env", 2, 18, 22)),
        ("ports", "listen", 9000, None, None, None, None, "tcp", (".env", 3, 7, 11)),
        ("ports", "listen", 9001, None, None, None, None, "tcp", (".env", 3, 12, 16)),
        ("database", "url", 5432, None, None, None, None, "tcp", (".env", 7, 39, 43)),
        ("redis", "url", 6380, None, None, None, None, "tcp", (".env", 8, 25, 29)),
        ("broker", "url", 5672, None, None, None, None, "tcp", (".env", 9, 29, 33)),
        ("admin", "listen", 8080, None, None, None, None, "tcp", (".env", 11, 12, 23)),
    ]
    assert problems(result) == [
        ("PL101", 4, 10, "port 70000 in BAD_PORT is out of range 0-65535"),
        ("PL101", 10, 19, "port 99999 in the URL in HUGE_URL is out of range 0-65535"),
    ]
    assert result.bindings[4].host == "db"
    assert result.bindings[6].host == "fd00::5"
    assert result.bindings[7].origin == Location(".env", 1, 10, 1, 14)
    assert result.bindings[0].key_path == ("API_PORT",)


CLIENT_ENV = """\
DB_HOST=postgres
DB_PORT=5432
REDIS_PORT=6379
SMTP_SERVER=127.0.0.1
SMTP_PORT=2525
API_HOST=0.0.0.0
API_PORT=8080
CACHE_PORT=11211
CACHE_ADDR=memcached:11211
"""


def test_port_beside_a_host_naming_another_machine_is_a_reference(tmp_path: Path) -> None:
    """``DB_HOST=postgres`` makes ``DB_PORT`` where the app connects, not where it listens."""
    result = scan(tmp_path, {".env": CLIENT_ENV}, ".env")
    got = [
        (b.key_path[0], b.role, b.port, b.location.line, b.location.column, b.host)
        for b in result.bindings
    ]
    assert got == [
        ("DB_PORT", "url", 5432, 2, 9, "postgres"),  # DB_HOST names another host
        ("REDIS_PORT", "listen", 6379, 3, 12, None),  # no REDIS_HOST: still a claim
        # a loopback host is this machine, but "smtp" names the mail server the app uses
        ("SMTP_PORT", "url", 2525, 5, 11, None),
        ("API_PORT", "listen", 8080, 7, 10, None),  # wildcard host: a listener
        ("CACHE_PORT", "url", 11211, 8, 12, "memcached"),  # CACHE_ADDR names another host
    ]
