"""Placement: which network namespace a port listens in when its own file does not say."""

from __future__ import annotations

import json

import pytest

from portlint.bindings import HOST, UNKNOWN, Location, Namespace, PortBinding
from portlint.placement import place
from tests.conftest import run_cli


def _listen(path: str, port: int = 8080) -> PortBinding:
    return PortBinding(
        location=Location(path, 1, 6),
        kind="dotenv",
        owner="app",
        role="listen",
        port=port,
        namespace=UNKNOWN,
    )


@pytest.mark.parametrize(
    ("files", "path", "expected"),
    [
        # a Dockerfile builds the folder: the config is baked into that image's containers
        (["api/Dockerfile", "api/.env"], "api/.env", Namespace("container", "image:api")),
        (["api/api.Dockerfile"], "api/.env", Namespace("container", "image:api")),
        (["Containerfile"], "svc/conf/app.yaml", Namespace("container", "image:.")),
        # an app started with npm on the host
        (["web/package.json"], "web/.env", HOST),
        # in one folder the Dockerfile wins: the app ships in the image
        (["web/package.json", "web/Dockerfile"], "web/.env", Namespace("container", "image:web")),
        # the nearest folder decides
        (["Dockerfile", "web/package.json"], "web/config/app.json", HOST),
        (["package.json", "api/Dockerfile"], "api/.env", Namespace("container", "image:api")),
        # neither: the files do not say
        (["web/compose.yaml", "README.md"], "web/.env", UNKNOWN),
        (["other/Dockerfile"], "web/.env", UNKNOWN),
    ],
)
def test_nearest_folder_decides(files: list[str], path: str, expected: Namespace) -> None:
    (placed,) = place([_listen(path)], files)
    assert placed.namespace == expected


def test_only_unknown_namespaces_change() -> None:
    published = PortBinding(Location("web/compose.yaml", 5, 10), "compose", "web", "host", 80)
    published = PortBinding(**{**_fields(published), "namespace": HOST})
    reference = PortBinding(**{**_fields(_listen("web/.env")), "namespace": None, "role": "url"})
    inside = PortBinding(
        **{**_fields(_listen("web/.env")), "namespace": Namespace("container", "env:web/.env")}
    )
    bindings = [published, reference, inside]
    assert place(bindings, ["web/Dockerfile", "web/package.json"]) == bindings


def _fields(b: PortBinding) -> dict[str, object]:
    return {name: getattr(b, name) for name in PortBinding.__dataclass_fields__}


def test_check_and_inventory_use_the_placement(make_project) -> None:
    """Two host apps on one port collide; the same settings baked into images do not."""
    root = make_project(
        {
            "web/package.json": '{"name": "web", "scripts": {"dev": "vite"}}\n',
            "web/.env": "PORT=5170\n",
            "admin/package.json": '{"name": "admin", "scripts": {"dev": "vite"}}\n',
            "admin/.env": "PORT=5170\n",
            "ports.toml": "",  # one port space: the team runs them together
            "billing/Dockerfile": "FROM python:3.12\nCOPY . /app\n",
            "billing/.env": "PORT=6170\n",
            "search/Dockerfile": "FROM python:3.12\nCOPY . /app\n",
            "search/.env": "PORT=6170\n",
        }
    )
    code, out, _ = run_cli(["check", "-q", "--no-color", "--select", "PL402", "."], cwd=root)
    found = [line.split(": ", 1)[0] for line in out.splitlines() if not line.startswith("  ")]
    assert found == ["web/.env:1:6"]
    assert code == 1
    _, out, _ = run_cli(["ports", "--format", "json", "."], cwd=root)
    spaces = {b["path"]: b["namespace"] for b in json.loads(out)["bindings"]}
    assert spaces == {
        "admin/.env": {"kind": "host", "id": None},
        "web/.env": {"kind": "host", "id": None},
        "billing/.env": {"kind": "container", "id": "image:billing"},
        "search/.env": {"kind": "container", "id": "image:search"},
    }


def test_env_comment_saying_inside_the_container(make_project) -> None:
    root = make_project(
        {
            "package.json": '{"name": "app"}\n',
            ".env": (
                "# The port the API listens on inside the container\n"
                "API_PORT=8080\n"
                "METRICS_PORT=9464 # container port, published by compose\n"
                "DEV_PORT=8080\n"
                "# a note that mentions no container\n"
                "ADMIN_PORT=9464\n"
            ),
        }
    )
    _, out, _ = run_cli(["ports", "--format", "json", "."], cwd=root)
    by_line = {b["line"]: b["namespace"]["kind"] for b in json.loads(out)["bindings"]}
    assert by_line == {2: "container", 3: "container", 4: "host", 6: "host"}
