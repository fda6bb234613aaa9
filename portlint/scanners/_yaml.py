"""Safe YAML: node trees with positions, never Python objects.

portlint reads YAML with ``compose`` (nodes carry start and end marks) and
never ``load``: tags such as ``!!python/object/apply`` stay inert nodes, and
alias bombs cost nothing because aliases are shared node objects that the
walkers below visit once. libyaml's C composer is used when present; it is
several times faster than the pure-Python one and gives the same nodes.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from portlint.bindings import Location
from portlint.findings import Problem
from portlint.source import SourceFile

LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml when PyYAML was built with it
MAX_DEPTH = 200  # deeper than any real config; deeper input is hostile or generated
MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"

__all__ = [
    "MappingNode",
    "Node",
    "ScalarNode",
    "SequenceNode",
    "compose_documents",
    "get",
    "items",
    "location",
]


def compose_documents(
    source: SourceFile, loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader] | None = None
) -> list[Node] | Problem:
    """Every document of a YAML stream as a node tree, or the PL001/PL002 problem."""
    try:
        docs = list(yaml.compose_all(source.text, Loader=loader or LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        if "nesting depth" in what:
            return Problem("PL002", Location(source.path, line, col), f"YAML {what}: not scanned")
        return Problem("PL001", Location(source.path, line, col), f"YAML syntax error: {what}")
    except yaml.YAMLError as exc:
        return Problem("PL001", Location(source.path, 1, 1), f"YAML error: {exc}")
    except RecursionError:
        return Problem("PL002", Location(source.path, 1, 1), "YAML nested too deeply: not scanned")
    return [d for d in docs if d is not None]


def location(source: SourceFile, node: Node) -> Location:
    """Where a node's text starts and ends; a quoted scalar points inside the quotes."""
    start, end = node.start_mark, node.end_mark
    line, col = start.line + 1, start.column + 1
    end_line, end_col = end.line + 1, end.column + 1
    if isinstance(node, ScalarNode) and node.style in ("'", '"') and end_line == line:
        col += 1
        end_col -= 1
    return Location(source.path, line, col, end_line, end_col)


def items(node: Node) -> Iterator[tuple[str, Node, Node]]:
    """(key, key node, value node) of a mapping, with ``<<`` merge keys applied.

    Explicit keys win over merged ones, and earlier merge sources win over later
    ones, as YAML's merge-key spec says. Non-string keys are yielded as their
    scalar text; complex keys are skipped.
    """
    if not isinstance(node, MappingNode):
        return
    seen: set[str] = set()
    merged: list[MappingNode] = []
    for key_node, value_node in node.value:
        if key_node.tag == MERGE_TAG:
            if isinstance(value_node, MappingNode):
                merged.append(value_node)
            elif isinstance(value_node, SequenceNode):
                merged.extend(v for v in value_node.value if isinstance(v, MappingNode))
            continue
        if not isinstance(key_node, ScalarNode):
            continue
        seen.add(key_node.value)
        yield key_node.value, key_node, value_node
    visited: set[int] = {id(node)}
    for source_node in merged:
        if id(source_node) in visited:
            continue
        visited.add(id(source_node))
        for key, key_node, value_node in items(source_node):
            if key not in seen:
                seen.add(key)
                yield key, key_node, value_node


def get(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    # Fast path (the scanners' hottest call): explicit keys win over merged
    # ones, so only a miss in a mapping with ``<<`` needs the full walk.
    merges = False
    for key_node, value_node in node.value:
        if key_node.tag == MERGE_TAG:
            merges = True
        elif key_node.value == key and isinstance(key_node, ScalarNode):
            found: Node = value_node
            return found
    if not merges:
        return None
    for k, _kn, v in items(node):
        if k == key:
            return v
    return None


def scalar(node: Node | None) -> str | None:
    """A scalar's text, or None for anything else (including null)."""
    if isinstance(node, ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return str(node.value)
    return None


def is_plain_int(node: Node) -> bool:
    """True when YAML would read the scalar as an integer (unquoted, int tag)."""
    return isinstance(node, ScalarNode) and not node.style and node.tag == INT_TAG
