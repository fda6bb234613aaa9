"""PL101 has one builder, and the port limit one definition."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from portlint.bindings import Location
from portlint.scanners import problems
from tests.conftest import run_cli

PACKAGE = Path(__file__).resolve().parent.parent.parent / "portlint"


def _modules() -> list[tuple[str, ast.Module]]:
    return [
        (str(path.relative_to(PACKAGE)), ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def test_pl101_is_built_only_by_the_builder() -> None:
    built = [
        name
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "PL101"
        and isinstance(node.func, ast.Name)
        and node.func.id in ("Problem", "PortSpecError")
    ]
    assert built == ["scanners/portspec.py", "scanners/problems.py", "scanners/problems.py"]


def test_max_port_is_defined_once() -> None:
    defined = [
        name
        for name, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "MAX_PORT" for t in node.targets)
    ]
    assert defined == ["bindings.py"]


def test_pl101_has_one_wording() -> None:
    """Issue 13: one range (0-65535, the numbers a port field holds), one hint, everywhere."""
    where = Location("x", 1, 1)
    one = problems.out_of_range(where, "port 70000", port=70000, anchor="a")
    assert (one.code, one.message, one.hint, one.port) == (
        "PL101",
        "port 70000 is out of range 0-65535",
        "ports are 0-65535; a fixed port is 1 or more (IANA reserves 0)",
        70000,
    )
    zero = problems.zero_is_not_a_port(where, "containerPort", anchor="a")
    assert (zero.message, zero.hint) == (
        "containerPort 0 is not a fixed port: 0 asks for any free one",
        "ports are 0-65535; a fixed port is 1 or more (IANA reserves 0)",
    )


PL101_PROJECT = {
    "compose.yaml": 'services:\n  web:\n    image: nginx\n    ports: ["70000:80"]\n',
    ".env": "PORT=70000\n",
    "k8s.yaml": (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "  - name: c\n    image: nginx\n    ports:\n    - containerPort: 70000\n"
    ),
    "app.json": '{"server": {"port": 70000}}\n',
    ".devcontainer/devcontainer.json": '{"forwardPorts": [70000]}\n',
    "Dockerfile": "FROM nginx\nEXPOSE 70000\n",
}


def test_pl101_reads_the_same_in_every_scanner(
    make_project: Callable[[Mapping[str, str]], Path],
) -> None:
    root = make_project(PL101_PROJECT)
    _code, out, _ = run_cli(["check", "--select", "PL101", "--format", "json", "."], cwd=root)
    findings = json.loads(out)["findings"]
    assert sorted(f["location"]["path"] for f in findings) == sorted(PL101_PROJECT)
    assert {re.sub(r"^.*?70000( in [A-Z_]+)?", "", f["message"]) for f in findings} == {
        " is out of range 0-65535"
    }
    assert {f["hint"] for f in findings} == {
        "ports are 0-65535; a fixed port is 1 or more (IANA reserves 0)"
    }
