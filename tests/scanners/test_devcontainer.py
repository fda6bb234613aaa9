"""devcontainer.json: whose port a ``"service:port"`` forward is."""

from __future__ import annotations

from pathlib import Path

from tests.scanners.helpers import scan

DEVCONTAINER = """\
{
  "name": "shop",
  "dockerComposeFile": ["compose.yaml"],
  "service": "app",
  "forwardPorts": ["db:5432", "queue:5672", 8000]
}
"""

COMPOSE = """\
services:
  app:
    image: mcr.microsoft.com/devcontainers/python:1-3.12-bookworm
    network_mode: service:db
  db:
    image: postgres:16
    container_name: shop-db
"""


def test_service_forward_is_owned_by_that_service(tmp_path: Path) -> None:
    files = {".devcontainer/devcontainer.json": DEVCONTAINER, ".devcontainer/compose.yaml": COMPOSE}
    result = scan(tmp_path, files, ".devcontainer/devcontainer.json")
    got = [
        (b.location.line, b.location.column, b.owner, b.identities, b.image)
        for b in result.bindings
    ]
    assert got == [
        (5, 24, "db", ("db", "shop-db", "postgres:16"), "postgres:16"),
        (5, 38, "queue", ("queue",), None),  # not in the compose file: known by name only
        (5, 45, "shop", ("shop",), None),  # a bare number is the dev container's own
    ]
