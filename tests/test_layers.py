"""portlint's layers, enforced: one-way imports, function-local ones counted.

In the spirit of import-linter, but with no new dependency. The table below
is the architecture the README describes: a module may import modules of its
own group, of an earlier layer, and nothing else. Groups that share a layer
(scanners and rules; the engine and the reporters) must not import each
other. Every ``import`` anywhere in a file counts, inside functions and under
``TYPE_CHECKING`` too, because a hidden import is still a dependency and
hidden imports are how the cycles of issue 11 went unnoticed.

A new module must be placed in the table (the test says so); a module that
needs to import upwards is a design question, not a line to add here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "portlint"

# Low to high. Each layer is a list of groups; each group a list of module
# prefixes ("portlint.rules" covers the package and everything under it).
# ``portlint`` itself means the package ``__init__`` only.
LAYERS: list[tuple[str, list[list[str]]]] = [
    ("foundation", [["portlint", "portlint.errors"]]),
    ("model", [["portlint.bindings", "portlint.findings", "portlint.results"]]),
    # Escapes text from a repository; generic over dataclasses, so it needs no scanner type.
    ("printable", [["portlint.printable"]]),
    (
        "io",
        [
            [
                "portlint.source",
                "portlint.safe_write",
                "portlint.locking",
                "portlint.globs",
                "portlint.gitignore",
                "portlint.project",
                "portlint.gitfiles",
            ]
        ],
    ),
    ("knowledge", [["portlint.registry", "portlint.identity", "portlint.placement"]]),
    ("config", [["portlint.config"]]),
    ("scanners | rules", [["portlint.scanners"], ["portlint.rules"]]),
    ("discovery", [["portlint.discovery"]]),
    ("engine | reporters", [["portlint.engine"], ["portlint.reporters"]]),
    ("commands", [["portlint.commands"]]),
    ("cli", [["portlint.cli", "portlint.__main__"]]),
]


def module_files() -> dict[str, Path]:
    """Every module under portlint/, by dotted name (a package by its own name)."""
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph(files: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the portlint modules it imports, at any depth, relative ones resolved.

    ``from portlint.registry import wellknown`` is an edge to the submodule
    when one exists by that name, else to the package.
    """
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    target = alias.name
                    while target and target not in files:
                        target = target.rpartition(".")[0]
                    if target:
                        found.add(target)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if source != "portlint" and not source.startswith("portlint."):
                    continue
                for alias in node.names:
                    full = f"{source}.{alias.name}"
                    found.add(full if full in files else source)
        graph[name] = {t for t in found if t in files and t != name}
    return graph


def placement(module: str) -> list[tuple[int, int]]:
    """The (layer, group) positions whose prefixes cover ``module``."""
    hits = []
    for layer, (_, groups) in enumerate(LAYERS):
        for group, prefixes in enumerate(groups):
            for prefix in prefixes:
                if module == prefix or (prefix != "portlint" and module.startswith(prefix + ".")):
                    hits.append((layer, group))
    return hits


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path that returns to its start, or None (iterative DFS)."""
    colour: dict[str, int] = dict.fromkeys(graph, 0)  # 0 new, 1 on the path, 2 done
    for start in sorted(graph):
        if colour[start]:
            continue
        path = [start]
        stack = [iter(sorted(graph[start]))]
        colour[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = 2
                stack.pop()
            elif colour[nxt] == 1:
                return [*path[path.index(nxt) :], nxt]
            elif colour[nxt] == 0:
                colour[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph[nxt])))
    return None


def violations(graph: dict[str, set[str]]) -> list[str]:
    out = []
    for module in sorted(graph):
        [(layer, group)] = placement(module)
        for target in sorted(graph[module]):
            [(t_layer, t_group)] = placement(target)
            if t_layer > layer:
                out.append(f"{module} ({LAYERS[layer][0]}) imports {target} ({LAYERS[t_layer][0]})")
            elif t_layer == layer and t_group != group:
                out.append(f"{module} imports {target}: independent groups of {LAYERS[layer][0]}")
    return out


FILES = module_files()
GRAPH = import_graph(FILES)


def test_the_graph_sees_function_local_imports() -> None:
    # cli.py imports ``portlint.__version__`` only inside a function.
    assert "portlint" in GRAPH["portlint.cli"]
    assert "portlint.registry.wellknown" in GRAPH["portlint.scanners.direction"]


def test_there_is_no_import_cycle() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_every_module_sits_in_exactly_one_layer() -> None:
    misplaced = {m: placement(m) for m in sorted(FILES) if len(placement(m)) != 1}
    assert misplaced == {}, "place each module in LAYERS exactly once"


def test_imports_go_one_way_down_the_layers() -> None:
    assert violations(GRAPH) == []


@pytest.mark.parametrize(
    ("module", "target", "expected"),
    [
        ("portlint.findings", "portlint.engine.run", "(model) imports portlint.engine.run"),
        ("portlint.scanners.keys", "portlint.rules.base", "independent groups of scanners"),
        ("portlint.reporters.text", "portlint.engine.scan", "independent groups of engine"),
        ("portlint.config", "portlint.rules", "(config) imports portlint.rules"),
    ],
)
def test_an_upward_or_sideways_import_is_reported(module: str, target: str, expected: str) -> None:
    graph = {m: set(targets) for m, targets in GRAPH.items()}
    graph[module].add(target)
    [problem] = violations(graph)
    assert problem.startswith(module) and expected in problem


def test_a_cycle_is_found_and_printed() -> None:
    graph = {m: set(targets) for m, targets in GRAPH.items()}
    graph["portlint.bindings"].add("portlint.findings")  # findings imports bindings
    assert find_cycle(graph) == ["portlint.bindings", "portlint.findings", "portlint.bindings"]
