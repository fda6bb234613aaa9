"""What a compose file is interpolated with: an include's ``env_file``, a ``.env`` template.

Bindings and PL104 come from one interpolation, so a variable the inventory
resolves is never reported as unset on the same line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portlint.bindings import Location
from tests.conftest import FIXTURES, run_cli
from tests.scanners.helpers import problems, scan

PROJECTS = FIXTURES / "projects"


def _check(name: str) -> list[str]:
    code, out, err = run_cli(["check", "-q", "--no-color", "."], cwd=PROJECTS / name)
    assert (code, err) == (1 if out else 0, "")
    return [line for line in out.splitlines() if not line.startswith("  ")]


def _ports(name: str) -> list[tuple[str, int, int, str, int]]:
    code, out, err = run_cli(["ports", "--format", "json", "."], cwd=PROJECTS / name)
    assert (code, err) == (0, "")
    return [
        (b["path"], b["line"], b["column"], b["role"], b["port"])
        for b in json.loads(out)["bindings"]
        if b["kind"] == "compose"
    ]


def test_include_env_file_feeds_bindings_and_pl104_alike() -> None:
    # CACHE_PORT is in the include's env_file: resolved, not reported (it was, as
    # the included file read on its own). CACHE_ADMIN_PORT is defined nowhere.
    assert _check("include-env-file") == [
        "cache/compose.yaml:6:20: warning PL104 variable CACHE_ADMIN_PORT is not set: "
        "port '127.0.0.1:${CACHE_ADMIN_PORT}:6401' does not resolve",
    ]
    assert ("cache/compose.yaml", 5, 20, "host", 16400) in _ports("include-env-file")


def test_env_template_is_read_when_there_is_no_env() -> None:
    assert _check("env-template") == [
        "compose.yaml:6:20: warning PL104 variable BOARD_DEBUG_PORT is not set: "
        "port '127.0.0.1:${BOARD_DEBUG_PORT}:9229' does not resolve",
    ]
    assert ("compose.yaml", 5, 20, "host", 13300) in _ports("env-template")


def test_template_origin_points_into_the_template(tmp_path: Path) -> None:
    files = {
        "compose.yaml": 'services:\n  web:\n    image: x\n    ports:\n      - "${WEB_PORT}:80"\n',
        ".env.example": "# copy me\nWEB_PORT=8181\n",
    }
    result = scan(tmp_path, files, "compose.yaml")
    assert problems(result) == []
    assert [b.port for b in result.bindings] == [8181]
    assert result.bindings[0].origin == Location(".env.example", 2, 10, 2, 14)


@pytest.mark.parametrize("name", [".env.sample", ".env.dist", "env-example"])
def test_other_template_names(tmp_path: Path, name: str) -> None:
    files = {
        "compose.yaml": 'services:\n  web:\n    image: x\n    ports:\n      - "${WEB_PORT}:80"\n',
        name: "WEB_PORT=8182\n",
    }
    result = scan(tmp_path, files, "compose.yaml")
    assert (problems(result), [b.port for b in result.bindings]) == ([], [8182])
    assert result.bindings[0].origin is not None
    assert result.bindings[0].origin.path == name


def test_a_real_env_wins_over_the_template(tmp_path: Path) -> None:
    files = {
        "compose.yaml": 'services:\n  web:\n    image: x\n    ports:\n      - "${WEB_PORT}:80"\n',
        ".env": "OTHER=1\n",
        ".env.example": "WEB_PORT=8183\n",
    }
    result = scan(tmp_path, files, "compose.yaml")
    # Compose reads .env only; the template is not a second source.
    assert [p[0] for p in problems(result)] == ["PL104"]
    assert [b.port for b in result.bindings if b.role == "host"] == []


def test_including_project_env_wins_over_include_env_file(tmp_path: Path) -> None:
    # As in Compose: the include's env_file gives defaults; what the including
    # project already defines (its .env, here a template) is kept.
    files = {
        "compose.yaml": (
            "include:\n  - path: db/compose.yaml\n    env_file:\n      - db/defaults.env\n"
            "services:\n  app:\n    image: a\n"
        ),
        ".env.example": "DB_PORT=15432\n",
        "db/compose.yaml": (
            'services:\n  db:\n    image: d\n    ports:\n      - "${DB_PORT}:5432"\n'
            '      - "${DB_ADMIN_PORT}:8080"\n'
        ),
        "db/defaults.env": "DB_PORT=5432\nDB_ADMIN_PORT=18080\n",
    }
    result = scan(tmp_path, files, "compose.yaml")
    assert problems(result) == []
    assert [
        (b.port, b.origin.path if b.origin else None) for b in result.bindings if b.role == "host"
    ] == [(15432, ".env.example"), (18080, "db/defaults.env")]


def test_include_without_env_file_reads_its_project_directory(tmp_path: Path) -> None:
    # No env_file: the .env of the include's project_directory (default: the
    # included file's folder) gives the defaults.
    files = {
        "compose.yaml": (
            "include:\n  - path: tools/a/compose.yaml\n    project_directory: tools\n"
            "  - tools/b/compose.yaml\n"
        ),
        "tools/.env": "A_PORT=17001\n",
        "tools/a/compose.yaml": 'services:\n  a:\n    image: a\n    ports: ["${A_PORT}:1"]\n',
        "tools/b/compose.yaml": 'services:\n  b:\n    image: b\n    ports: ["${B_PORT}:2"]\n',
        "tools/b/.env": "B_PORT=17002\n",
    }
    result = scan(tmp_path, files, "compose.yaml")
    assert problems(result) == []
    assert [(b.owner, b.port) for b in result.bindings if b.role == "host"] == [
        ("a", 17001),
        ("b", 17002),
    ]
    assert result.included == ("tools/a/compose.yaml", "tools/b/compose.yaml")
