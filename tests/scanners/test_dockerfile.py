"""Dockerfile EXPOSE: ports, ranges, protocols, ARG/ENV defaults, continuations."""

from __future__ import annotations

from pathlib import Path

import pytest

from portlint.bindings import Location
from portlint.scanners.dockerfile import image_owner
from tests.scanners.helpers import problems, row, scan

DOCKERFILE = """\
ARG BASE=python:3.12
FROM $BASE AS build
ARG PORT=8080
ENV METRICS_PORT=9100
EXPOSE 80 443/tcp 8000-8010/udp $PORT ${PORT:-3000} \\
       ${UNSET:-3001}
# a comment
expose 5000/SCTP \\
# comment inside a continuation
       6000
EXPOSE ${METRICS_PORT}

FROM build AS final
EXPOSE $METRICS_PORT $PORT
"""


def test_expose_forms(tmp_path: Path) -> None:
    result = scan(tmp_path, {"api/Dockerfile": DOCKERFILE}, "api/Dockerfile")
    path = "api/Dockerfile"
    assert [row(b) for b in result.bindings] == [
        ("api", "container", 80, None, None, None, None, "tcp", (path, 5, 8, 10)),
        ("api", "container", 443, None, None, None, None, "tcp", (path, 5, 11, 14)),
        ("api", "container", 8000, 8010, None, None, None, "udp", (path, 5, 19, 28)),
        ("api", "container", 8080, None, None, None, None, "tcp", (path, 5, 33, 38)),
        ("api", "container", 8080, None, None, None, None, "tcp", (path, 5, 39, 52)),
        ("api", "container", 3001, None, None, None, None, "tcp", (path, 6, 8, 22)),
        ("api", "container", 5000, None, None, None, None, "sctp", (path, 8, 8, 12)),
        ("api", "container", 6000, None, None, None, None, "tcp", (path, 10, 8, 12)),
        ("api", "container", 9100, None, None, None, None, "tcp", (path, 11, 8, 23)),
        ("api", "container", 9100, None, None, None, None, "tcp", (path, 14, 8, 21)),
    ]
    assert result.bindings[3].origin == Location(path, 3, 10, 3, 14)
    # ENV carries into a stage built FROM another; ARG does not.
    assert problems(result) == [
        ("PL104", 14, 22, "variable PORT is not set: EXPOSE $PORT does not resolve")
    ]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "EXPOSE 80:80",
            ("PL102", 2, 8, "EXPOSE takes container ports only, not a mapping: '80:80'"),
        ),
        ("EXPOSE 70000", ("PL101", 2, 8, "exposed port 70000 is out of range 0-65535")),
        ("EXPOSE 80/xyz", ("PL102", 2, 8, "invalid protocol 'xyz' in '80/xyz'")),
        (
            "EXPOSE 90-80",
            ("PL102", 2, 8, "invalid range specified for exposed port: '90-80' (end before start)"),
        ),
        ("EXPOSE $", ("PL102", 2, 8, "invalid interpolation format: '$'")),
    ],
)
def test_expose_rejected(tmp_path: Path, line: str, expected: tuple[str, int, int, str]) -> None:
    result = scan(tmp_path, {"Dockerfile": f"FROM alpine\n{line}\n"}, "Dockerfile")
    assert (result.bindings, problems(result)) == ([], [expected])


def test_escape_directive(tmp_path: Path) -> None:
    text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nEXPOSE 80 `\n  443\n"
    result = scan(tmp_path, {"web.Dockerfile": text}, "web.Dockerfile")
    assert [(b.owner, b.port, str(b.location)) for b in result.bindings] == [
        ("web", 80, "web.Dockerfile:3:8"),
        ("web", 443, "web.Dockerfile:4:3"),
    ]


@pytest.mark.parametrize(
    ("path", "owner"),
    [
        ("Dockerfile", "Dockerfile"),
        ("api/Dockerfile", "api"),
        ("docker/worker.Dockerfile", "worker"),
        ("api/Dockerfile.dev", "api"),
        ("Containerfile", "Containerfile"),
    ],
)
def test_image_owner(path: str, owner: str) -> None:
    assert image_owner(path) == owner
