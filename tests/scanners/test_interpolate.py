"""Compose-spec interpolation: every form, with what it resolves to and where it came from."""

from __future__ import annotations

import pytest

from portlint.bindings import Location
from portlint.scanners.interpolate import EnvValue, interpolate, resolve_text

DOTENV = Location(".env", 3, 10, 3, 14)
VARS = {"PORT": EnvValue("8080", DOTENV), "EMPTY": EnvValue(""), "IP": EnvValue("127.0.0.1")}

RESOLVES = [
    ("$PORT:80", "8080:80"),
    ("${PORT}:80", "8080:80"),
    ("${UNSET:-3000}:80", "3000:80"),
    ("${EMPTY:-3000}:80", "3000:80"),
    ("${EMPTY-3000}:80", ":80"),
    ("${UNSET-3000}:80", "3000:80"),
    ("${PORT:?need it}", "8080"),
    ("${PORT?need it}", "8080"),
    ("${EMPTY?need it}", ""),
    ("${PORT:+9000}", "9000"),
    ("${EMPTY:+9000}", ""),
    ("${EMPTY+9000}", "9000"),
    ("${UNSET+9000}", ""),
    ("$$PORT", "$PORT"),
    ("${UNSET:-${PORT}}", "8080"),
    ("${IP}:${PORT}:80", "127.0.0.1:8080:80"),
    ("80", "80"),
]


@pytest.mark.parametrize(("text", "expected"), RESOLVES, ids=[t for t, _ in RESOLVES])
def test_resolves(text: str, expected: str) -> None:
    result = interpolate(text, VARS)
    assert (result.text, result.unresolved, result.error) == (expected, [], None)


UNRESOLVED = [
    ("${UNSET}:80", ":80", "UNSET", 0, 8, "variable UNSET is not set"),
    ("$UNSET:80", ":80", "UNSET", 0, 6, "variable UNSET is not set"),
    (
        "${UNSET:?set it in .env}",
        "",
        "UNSET",
        0,
        24,
        "required variable UNSET is not set: set it in .env",
    ),
    ("${EMPTY:?}", "", "EMPTY", 0, 10, "required variable EMPTY is empty"),
    ("${UNSET?x}", "", "UNSET", 0, 10, "required variable UNSET is not set: x"),
    ("80:${UNSET:-${ALSO}}", "80:", "ALSO", 12, 19, "variable ALSO is not set"),
]


@pytest.mark.parametrize(
    ("text", "resolved", "name", "start", "end", "message"),
    UNRESOLVED,
    ids=[u[0] for u in UNRESOLVED],
)
def test_unresolved(
    text: str, resolved: str, name: str, start: int, end: int, message: str
) -> None:
    result = interpolate(text, VARS)
    assert result.text == resolved
    assert [(u.name, u.start, u.end, u.message) for u in result.unresolved] == [
        (name, start, end, message)
    ]


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("$", 0, "invalid interpolation format: '$'"),
        ("80:$-1", 3, "invalid interpolation format: '$-1'"),
        ("${PORT", 0, "invalid interpolation: unclosed '${' in '${PORT'"),
        ("${}", 0, "invalid interpolation format: '${}'"),
        ("${PORT:x}", 0, "invalid interpolation format: '${PORT:x}'"),
    ],
)
def test_invalid_templates(text: str, offset: int, message: str) -> None:
    assert interpolate(text, VARS).error == (offset, message)


@pytest.mark.parametrize(("text", "expected"), RESOLVES, ids=[t for t, _ in RESOLVES])
def test_resolve_text_is_the_text_interpolate_gives(text: str, expected: str) -> None:
    assert resolve_text(text, VARS) == expected


@pytest.mark.parametrize("text", ["127.0.0.1:8080:80", "", "postgres:16"])
def test_literal_text_maps_one_to_one(text: str) -> None:
    result = interpolate(text, VARS)  # no ``$``: the fast path, one literal piece
    assert (result.text, result.unresolved, result.error, result.used) == (text, [], None, [])
    # What the general path builds for literal text (``$$`` forces it): one piece, no name.
    general = interpolate(text + "$$", VARS)
    assert result.pieces == general.pieces[:-1]
    assert (result.origin(0, len(text)), result.external(0, len(text))) == (None, [])


def test_span_maps_a_substituted_value_to_its_whole_expression() -> None:
    result = interpolate("${IP}:${PORT}:80", VARS)
    assert result.text == "127.0.0.1:8080:80"
    assert result.span(10, 14) == (6, 13)  # "8080" came from "${PORT}"
    assert result.span(15, 17) == (14, 16)  # the literal "80" maps one to one
    assert result.origin(10, 14) == DOTENV
    assert result.origin(15, 17) is None


def test_default_values_have_no_origin() -> None:
    result = interpolate("${UNSET:-3000}", VARS)
    assert (result.span(0, 4), result.origin(0, 4)) == ((0, 14), None)
