"""``portlint ports``: golden inventories of realistic projects, and the three formats.

Regenerate a golden after an intended change with
``cd tests/fixtures/projects/NAME && python -m portlint ports --format json . > ports.golden``
and review the diff line by line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

PROJECTS = FIXTURES / "projects"
GOLDENS = sorted(PROJECTS.glob("*/ports.golden"))
KEYS = [
    "path", "line", "column", "kind", "owner", "role", "host_ip", "port", "end_port",
    "protocol", "target", "target_end", "text", "profiles", "namespace", "direction",
    "identity",
]  # fmt: skip


@pytest.mark.parametrize("golden", GOLDENS, ids=[g.parent.name for g in GOLDENS])
def test_inventory_matches_golden(golden: Path) -> None:
    code, out, err = run_cli(["ports", "--format", "json", "."], cwd=golden.parent)
    assert (code, err) == (0, "")
    assert json.loads(out) == json.loads(golden.read_text(encoding="utf-8"))


def test_json_schema_shape() -> None:
    _, out, _ = run_cli(["ports", "--format", "json", "rails-stack"], cwd=PROJECTS)
    data = json.loads(out)
    assert data["version"] == 3
    assert all(list(b) == KEYS for b in data["bindings"])
    web = next(b for b in data["bindings"] if b["owner"] == "web")
    assert web == {
        "path": "rails-stack/docker-compose.yml",
        "line": 7,
        "column": 10,
        "kind": "compose",
        "owner": "web",
        "role": "host",
        "host_ip": None,
        "port": 3001,
        "end_port": None,
        "protocol": "tcp",
        "target": 3000,
        "target_end": None,
        "text": "${RAILS_PORT:-3000}:3000",
        "profiles": [],
        "namespace": {"kind": "host", "id": None},
        "direction": "listen",
        "identity": None,
    }
    mail = [b for b in data["bindings"] if b["owner"] == "mailcatcher"]
    assert [(b["role"], b["port"], b["target"], b["profiles"]) for b in mail] == [
        ("host", 1080, 1080, ["debug"]),
        ("container", 1025, None, ["debug"]),
    ]


def test_text_table() -> None:
    code, out, _ = run_cli(["ports", "."], cwd=PROJECTS / "override")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        *("LOCATION", "KIND", "OWNER", "ROLE", "HOST", "IP", "PORT", "TARGET", "PROTO"),
        *("NAMESPACE", "IDENTITY"),
    ]
    assert [line.split() for line in lines[1:]] == [
        [
            "compose.override.yaml:5:10",
            "compose",
            "app",
            "host",
            "*",
            "8080",
            "8080",
            "tcp",
            "host",
        ],
        [
            *("compose.override.yaml:6:20", "compose", "app", "host", "127.0.0.1", "5005"),
            *("5005", "tcp", "host"),
        ],
        [
            *("compose.override.yaml:10:10", "compose", "worker", "host", "*", "9000", "9000"),
            *("tcp", "host"),
        ],
        [
            *("compose.override.yaml:15:10", "compose", "admin", "host", "*", "5005", "5005"),
            *("tcp", "host"),
        ],
        ["compose.yaml:5:10", "compose", "app", "host", "*", "8080", "8080", "tcp", "host"],
        [
            *("compose.yaml:10:10", "compose", "worker", "container", "*", "9000", "tcp"),
            *("container", "./worker"),
        ],
    ]
    # columns line up: every row starts its cells where the header does
    assert all(len(line) <= len(lines[0]) for line in lines)


def test_markdown_table() -> None:
    code, out, _ = run_cli(["ports", "--format", "markdown", "observability"], cwd=PROJECTS)
    lines = out.splitlines()
    assert code == 0
    assert lines[:2] == [
        "| location | kind | owner | role | host ip | port | target | proto | namespace "
        "| identity |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    assert (
        "| `observability/docker-compose.yml:36:10` | compose | otel-collector | host | * "
        "| 8888-8889 | 8888-8889 | tcp | host | opentelemetry-collector |"
    ) in lines
    assert (
        "| `observability/docker-compose.yml:52:10` | compose | node-exporter | host | * "
        "| 9100 |  | tcp | host | node-exporter |"
    ) in lines


def test_env_file_flag(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(
        'services:\n  web:\n    image: nginx\n    ports:\n      - "${WEB_PORT}:80"\n'
    )
    (tmp_path / "ci.env").write_text("WEB_PORT=8088\n")
    _, without, _ = run_cli(["ports", "--format", "json", "compose.yaml"], cwd=tmp_path)
    _, with_file, _ = run_cli(
        ["ports", "--format", "json", "--env-file", "ci.env", "compose.yaml"], cwd=tmp_path
    )
    assert [(b["role"], b["port"]) for b in json.loads(without)["bindings"]] == [("container", 80)]
    assert [(b["role"], b["port"]) for b in json.loads(with_file)["bindings"]] == [("host", 8088)]


def test_missing_path_is_a_usage_error() -> None:
    code, out, err = run_cli(["ports", "rails-stack/Gemfile.missing"], cwd=PROJECTS)
    assert (code, out) == (2, "")
    assert err == "portlint: error: rails-stack/Gemfile.missing: no such file or directory\n"


# PL401 sees the whole compose project: base + override, extends, include, interpolation.
CHECKS = {
    "override": [
        "compose.override.yaml:15:10: error PL401 host port 5005/tcp is already published by "
        'service "app" (compose.override.yaml:6:20)',
    ],
    "extends": [
        'compose.yaml:12:10: error PL401 host port 9404/tcp is published by service "metrics-base" '
        'and again by service "billing-metrics", which inherits this entry via `extends`',
    ],
    "include": [
        # 9090 is Prometheus's, but Prometheus is not a host service: no PL201
        "monitoring/compose.yaml:7:10: error PL401 host port 9090/tcp is already published by "
        'service "app" (compose.yaml:8:10)',
    ],
    "env-interpolation": [
        "compose.yaml:19:20: warning PL104 variable DOCS_ALT_PORT is not set: "
        "port '${DOCS_ALT_PORT}' does not resolve",
    ],
    "observability": [],
    "rails-stack": [],
    "django-node": [],
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check_sees_the_whole_project(name: str) -> None:
    code, out, err = run_cli(["check", "-q", "--no-color", "."], cwd=PROJECTS / name)
    assert err == ""
    assert [line for line in out.splitlines() if not line.startswith("  ")] == CHECKS[name]
    assert code == (1 if CHECKS[name] else 0)
