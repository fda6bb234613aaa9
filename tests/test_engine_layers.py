"""The engine's and the reporters' import rules, function-local imports counted.

In the spirit of import-linter: a reporter renders a finished run and
imports neither the engine nor the rule catalogue; scanners know nothing of
suppressions; inside the engine, ``scan`` <- ``batch`` <- ``run`` only.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "portlint"


def imports(path: Path) -> set[str]:
    """Every portlint module a file imports, at any depth (function-local too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("portlint"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("portlint"):
            assert node.module is not None
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def offending(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in sorted((PACKAGE / folder).glob("*.py")):
        for name in sorted(imports(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                out.append(f"{path.name} imports {name}")
    return out


def test_reporters_take_the_run_and_nothing_from_the_engine_or_rules() -> None:
    assert offending("reporters", ("portlint.engine", "portlint.rules", "portlint.baseline")) == []


def test_scanners_do_not_import_the_engine_or_suppressions() -> None:
    assert offending("scanners", ("portlint.engine", "portlint.suppression")) == []


def test_the_engine_imports_one_way() -> None:
    order = ["scan", "batch", "run"]  # each may import only those before it
    problems = []
    for i, name in enumerate(order):
        found = imports(PACKAGE / "engine" / f"{name}.py")
        for later in order[i + 1 :]:
            if any(n.startswith(f"portlint.engine.{later}") for n in found):
                problems.append(f"{name} imports {later}")
    assert problems == []


def test_the_model_imports_only_the_model() -> None:
    model = {"portlint.bindings", "portlint.findings", "portlint.results"}
    found = imports(PACKAGE / "results.py") | imports(PACKAGE / "findings.py")
    assert {n.rsplit(".", 1)[0] if n not in model else n for n in found} <= model
