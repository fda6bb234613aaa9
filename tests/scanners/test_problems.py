"""PL101 has one builder, and the port limit one definition."""

from __future__ import annotations

import ast
from pathlib import Path

from portlint.bindings import Location
from portlint.scanners import problems

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


def test_the_two_wordings_issue_13_will_unify() -> None:
    where = Location("x", 1, 1)
    one = problems.out_of_range(where, "port 70000", zero_allowed=False, port=70000, anchor="a")
    zero = problems.out_of_range(where, "port 70000 in PORT", zero_allowed=True, anchor="PORT")
    assert (one.code, one.message, one.hint, one.port) == (
        "PL101",
        "port 70000 is out of range (1-65535)",
        "use a port between 1 and 65535",
        70000,
    )
    assert (zero.message, zero.hint, zero.port) == (
        "port 70000 in PORT is out of range 0-65535",
        "ports are 0-65535",
        None,
    )
    assert problems.zero_is_not_a_port(where, "containerPort", anchor="a").message == (
        "containerPort 0 is not a port (1-65535)"
    )
