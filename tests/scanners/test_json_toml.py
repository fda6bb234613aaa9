"""The position-keeping JSONC parser and the TOML locator."""

from __future__ import annotations

import pytest

from portlint.findings import Problem
from portlint.scanners import json as jsonc
from portlint.scanners import toml
from portlint.scanners.base import ScanContext
from portlint.source import SourceFile


def _ports(module: object, name: str, text: str) -> list[tuple[object, ...]]:
    result = module.scan(SourceFile(name, text), ScanContext())  # type: ignore[attr-defined]
    assert result.problems == []
    return [
        (b.anchor, b.port, b.location.line, b.location.column, b.location.end_column)
        for b in sorted(result.bindings, key=lambda b: b.location)
    ]


def test_jsonc_comments_trailing_commas_and_escapes() -> None:
    text = (
        "// settings\n"
        "{\n"
        '  /* block */ "a\\"b": "x", "port": 8080, // after\n'
        '  "list": [ 1, 2, ],\n'
        '  "url": "http:\\/\\/db:5432",\n'
        '  "db": {"port": "6543",},\n'
        "}\n"
    )
    assert _ports(jsonc, "s.json", text) == [
        ("port", 8080, 3, 36, 40),
        ("db.port", 6543, 6, 19, 23),
    ]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ('{"port": 80 "x": 1}', 1, 13, "JSON syntax error: expected ',' or '}', found '\"'"),
        ('{"port": }', 1, 10, "JSON syntax error: expected a value, found '}'"),
        ('{"port": 80', 1, 12, "JSON syntax error: expected ',' or '}', found the end of the file"),
        ('{\n  "port": 80 /* open\n}', 2, 14, "JSON syntax error: unterminated comment"),
        ("{'port': 80}", 1, 2, "JSON syntax error: expected a string key or '}', found \"'\""),
    ],
)
def test_json_errors_point_at_the_parser_position(
    text: str, line: int, col: int, message: str
) -> None:
    problem = jsonc.parse(SourceFile("s.json", text))
    assert isinstance(problem, Problem)
    assert (problem.code, problem.location.line, problem.location.column) == ("PL001", line, col)
    assert problem.message == message


def test_json_too_deep_is_skipped_not_crashed() -> None:
    problem = jsonc.parse(SourceFile("deep.json", "[" * 5000 + "]" * 5000))
    assert isinstance(problem, Problem)
    assert (problem.code, problem.location.column) == ("PL002", 202)


@pytest.mark.parametrize(
    ("script", "ports"),
    [
        ("next dev --port 3000", [3000]),
        ("vite --port=5173 --host", [5173]),
        ("next start -p 3001", [3001]),
        ("PORT=4000 node server.js", [4000]),
        ("cross-env PORT=4001 NODE_ENV=dev node a.js && serve -p 5000", [4001, 5000]),
        ("tsc -p tsconfig.json", []),
        ("docker run -p 8080:80 img", []),
        ("jest --maxWorkers 2", []),
        ("mkdir -p dist", []),
        ("next dev --port $PORT", []),
    ],
)
def test_package_json_scripts(script: str, ports: list[int]) -> None:
    text = '{"name": "web", "scripts": {"s": "' + script + '"}}'
    found = _ports(jsonc, "package.json", text)
    assert [p[1] for p in found if p[0] == "scripts.s"] == ports


def test_scripts_are_only_read_in_package_json() -> None:
    assert _ports(jsonc, "other.json", '{"scripts": {"s": "next dev --port 3000"}}') == []


TOML_TRICKY = """\
title = "a [not] table = 1"
multi = '''
port = 1
'''
server.http.port = 8001
"quoted.key".port = 8002
inline = { name = "x", port = 8003, nested = { admin_port = 8004 } }
arr = [
  { port = 8005 },  # comment
  { port = 8006 },
]

[[svc]]
port = 9001
[[svc.ports]]
port = 9011
[[svc]]
port = 9002
[[svc.ports]]
port = 9021
[[svc.ports]]
port = 9022
[svc.extra]
port = 0x2329
"""


def test_toml_locator_resolves_every_key_form() -> None:
    assert _ports(toml, "app.toml", TOML_TRICKY) == [
        ("server.http.port", 8001, 5, 20, 24),
        ("quoted.key.port", 8002, 6, 21, 25),
        ("inline.port", 8003, 7, 31, 35),
        ("inline.nested.admin_port", 8004, 7, 61, 65),
        ("arr[0].port", 8005, 9, 12, 16),
        ("arr[1].port", 8006, 10, 12, 16),
        ("svc[0].port", 9001, 14, 8, 12),
        ("svc[0].ports[0].port", 9011, 16, 8, 12),
        ("svc[1].port", 9002, 18, 8, 12),
        ("svc[1].ports[0].port", 9021, 20, 8, 12),
        ("svc[1].ports[1].port", 9022, 22, 8, 12),
        ("svc[1].extra.port", 9001, 24, 8, 14),
    ]


def test_toml_error_has_line_and_column() -> None:
    problem = toml.parse(SourceFile("a.toml", "[server]\nport = = 1\n"))
    assert isinstance(problem, Problem)
    assert (problem.code, problem.location.line, problem.location.column) == ("PL001", 2, 8)
    assert problem.message == "TOML syntax error: Invalid value"


_CATALOGUE = (
    '{"auth": {"invalid_email_address": "Invalid email address", "support": "Get support"},\n'
    ' "templates": {"address": "Address", "import": "Import", "docs": "https://example.com/a"},\n'
    ' "ip_address": "IP address", "count": 3, "port_hint": null, "listen": false}\n'
)


@pytest.mark.parametrize(
    "text",
    [
        _CATALOGUE,  # words under address keys, a URL without a port: nothing to find
        '{"server": {"port": 8080}}',
        '{"server": {"port": "8080"}}',
        '{"db_address": "db.internal:5432"}',
        '{"listen": 9000}',
        '{"ports": [80, 443]}',
        '{"ports": {"http": 80}}',
        '{"docs": "see http://localhost:3000/x"}',
        '{"\\u0070ort": 8080}',  # an escaped key is still "port"
        '{"port": 8080, "port": "auto"}',  # a repeated key: parse() keeps both
        '{"port": 70000}',  # out of range: a PL101
        '{"port": NaN}',  # not JSON: parse() reports it
        '// a comment\n{"port": 8080}',  # JSONC: the C parser refuses, parse() reads it
        '{"a": 1,}',  # a trailing comma, the same
        "[" * 201 + "]" * 201,  # deeper than MAX_DEPTH: PL002
        "[" * 200 + "1" + "]" * 200,
        '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": []}}',
        '{"name": "x", "scripts": {"dev": "vite --port 5173"}}',
    ],
)
def test_the_c_parse_pre_check_changes_no_result(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON file the C parser reads without a key that could hold a port is not
    parsed again with locations: every text here must scan as it does without that."""
    source = SourceFile("a/settings.json", text)
    checked = jsonc.scan(source, ScanContext())
    monkeypatch.setattr(jsonc, "_may_hold_ports", lambda _text: True)
    assert jsonc.scan(source, ScanContext()) == checked


def test_the_c_parse_pre_check_skips_a_translation_catalogue() -> None:
    """The comparison above would pass if nothing were ever skipped."""
    assert not jsonc._may_hold_ports(_CATALOGUE)
    assert jsonc._may_hold_ports('{"invalid_email_address": "user@host:25"}')
    assert jsonc._may_hold_ports('{"ip_address": 3}')
