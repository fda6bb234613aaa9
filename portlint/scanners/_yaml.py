"""Safe YAML: node trees with positions, never Python objects.

portlint reads YAML with ``compose`` (nodes carry start and end marks) and
never ``load``: tags such as ``!!python/object/apply`` stay inert nodes, and
alias bombs cost nothing because aliases are shared node objects that the
walkers below visit once. libyaml's C composer is used when present; it is
several times faster than the pure-Python one and gives the same nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, TypeAlias

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from portlint.bindings import Location
from portlint.findings import Problem
from portlint.source import SourceFile

MAX_DEPTH = 200  # deeper than any real config; deeper input is hostile or generated
MAX_ALIAS_GROWTH = 100_000  # nodes that aliases may add when expanded; a bomb adds billions
MERGE_TAG = "tag:yaml.org,2002:merge"
STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"


class _DepthError(yaml.composer.ComposerError):
    """Raised by the pure-Python composer past MAX_DEPTH, before Python's own stack runs out."""


class GuardedSafeLoader(yaml.SafeLoader):
    """PyYAML's pure composer recurses once per level; stop it at MAX_DEPTH, not at RecursionError.

    libyaml stops by itself at 1,000 levels, and :func:`compose_documents`
    enforces MAX_DEPTH on its node trees afterwards, so both loaders agree.
    """

    _depth = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        self._depth += 1
        try:
            # The parent is the first node past the limit; point where it starts.
            if self._depth > MAX_DEPTH + 1 and parent is not None:
                message = f"nested deeper than {MAX_DEPTH} levels"
                raise _DepthError(None, None, message, parent.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


if TYPE_CHECKING:
    Loader: TypeAlias = type[yaml.SafeLoader] | type[yaml.CSafeLoader]
LOADER: Loader = getattr(yaml, "CSafeLoader", GuardedSafeLoader)  # libyaml when PyYAML has it
PURE_LOADER: Loader = GuardedSafeLoader

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


def compose_documents(source: SourceFile, loader: Loader | None = None) -> list[Node] | Problem:
    """Every document of a YAML stream as a node tree, or the PL001/PL002 problem.

    The trees that come back are safe to walk naively: no alias cycles, no
    alias bombs, at most MAX_DEPTH deep, no duplicate keys.
    """
    try:
        docs = list(yaml.compose_all(source.text, Loader=loader or LOADER))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _mark_location(source, mark)
        what = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, _DepthError) or "nesting depth" in what:
            return Problem(
                "PL002", where, f"YAML nested deeper than {MAX_DEPTH} levels: not scanned"
            )
        return Problem("PL001", where, f"YAML syntax error: {what}")
    except ReaderError as exc:  # a character YAML refuses (a control character)
        return _reader_problem(source, exc)
    except yaml.YAMLError as exc:
        return Problem("PL001", Location(source.path, 1, 1), f"YAML error: {exc}")
    except RecursionError:  # a loader without the guard, on a very deep document
        return Problem(
            "PL002",
            Location(source.path, 1, 1),
            f"YAML nested deeper than {MAX_DEPTH} levels: not scanned",
        )
    docs = [d for d in docs if d is not None]
    for doc in docs:
        problem = check_tree(source, doc)
        if problem is not None:
            return problem
    return docs


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def check_tree(source: SourceFile, root: Node) -> Problem | None:
    """The first reason a composed tree is unsafe or invalid to walk, in document order.

    One iterative pass over the distinct nodes (aliases are shared objects, so
    a billion laughs costs its few dozen nodes) computes each subtree's
    expanded size and height and finds cycles (an anchor used inside itself)
    and duplicate keys, which Compose and kubectl refuse too.
    """
    if "*" not in source.text:
        # No alias in the text, so every node is its own object: a plain tree
        # cannot loop or explode; only duplicate keys and depth remain.
        plain = _check_plain_tree(source, root)
        if plain is not _TOO_DEEP:
            return plain
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if isinstance(node, ScalarNode):  # most nodes: a leaf, no need to come back
            size[key] = height[key] = 1
            continue
        children = _children(node)
        if finished:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            height[key] = 1 + max((height[id(c)] for c in children), default=0)
            continue
        if key in size:
            continue
        if key in on_path:
            return Problem(
                "PL002",
                _start(source, node),
                "YAML anchor is used inside itself (a recursive alias): not scanned",
                hint="Compose and kubectl reject recursive anchors; replace the alias",
            )
        if isinstance(node, MappingNode):
            duplicate = _duplicate_key(source, node)
            if duplicate is not None:
                return duplicate
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))
    unique = len(size)
    if size[id(root)] - unique > MAX_ALIAS_GROWTH:
        node = root
        while True:  # descend to the smallest subtree that still explodes
            bigger = [c for c in _children(node) if size[id(c)] > MAX_ALIAS_GROWTH]
            if not bigger:
                break
            node = bigger[0]
        return Problem(
            "PL002",
            _start(source, node),
            f"YAML aliases expand to {size[id(root)]} nodes from {unique} (an alias bomb): "
            "not scanned",
        )
    if height[id(root)] > MAX_DEPTH:
        node = root
        for _ in range(MAX_DEPTH):
            node = max(_children(node), key=lambda c: height[id(c)])
        return Problem(
            "PL002",
            _start(source, node),
            f"YAML nested deeper than {MAX_DEPTH} levels: not scanned",
        )
    return None


_TOO_DEEP = Problem("PL002", Location("", 1, 1), "")  # marker: let the full check explain


def _check_plain_tree(source: SourceFile, root: Node) -> Problem | None:
    """check_tree for a tree without aliases: the same answer, cheaper in the common case.

    Runs for every YAML document of a run. A level-by-level pass (lists
    extended in C, no tuple per node) measures the height and looks for a
    repeated key; only a tree that has one goes through :func:`_first_duplicate`,
    which finds the same first problem in document order as the full check.
    """
    level: list[Node] = [root]
    height = 0
    while level:
        height += 1
        below: list[Node] = []
        for node in level:
            if isinstance(node, MappingNode):
                if _repeats_a_key(node):
                    return _first_duplicate(source, root)
                for pair in node.value:
                    below.extend(pair)
            elif isinstance(node, SequenceNode):
                below.extend(node.value)
        level = below
    return _TOO_DEEP if height > MAX_DEPTH else None


def _repeats_a_key(node: MappingNode) -> bool:
    """Whether :func:`_duplicate_key` would find something in ``node``."""
    keys = [
        (k.tag, k.value) for k, _v in node.value if isinstance(k, ScalarNode) and k.tag != MERGE_TAG
    ]
    return len(set(keys)) != len(keys)


def _first_duplicate(source: SourceFile, root: Node) -> Problem | None:
    """check_tree for a tree without aliases: one pre-order pass, same first problem.

    Duplicate keys are found in the same document order as the full check;
    a tree deeper than MAX_DEPTH returns ``_TOO_DEEP`` so the full check
    picks the node to report, exactly as it always did.
    """
    stack: list[tuple[Node, int]] = [(root, 1)]
    deepest = 1
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
        if isinstance(node, ScalarNode):
            continue
        if isinstance(node, MappingNode):
            duplicate = _duplicate_key(source, node)
            if duplicate is not None:
                return duplicate
        below = depth + 1
        stack.extend((child, below) for child in reversed(_children(node)))
    return _TOO_DEEP if deepest > MAX_DEPTH else None


def _duplicate_key(source: SourceFile, node: MappingNode) -> Problem | None:
    seen: dict[tuple[str, str], Node] = {}
    for key_node, _value in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag == MERGE_TAG:
            continue
        ident = (key_node.tag, key_node.value)
        first = seen.setdefault(ident, key_node)
        if first is not key_node:
            first_loc = location(source, first)
            return Problem(
                "PL001",
                _start(source, key_node),
                f"duplicate key {key_node.value!r} in one mapping (first at line {first_loc.line})",
                hint="YAML forbids repeated keys, and Compose and kubectl refuse the file",
                related=(first_loc,),
            )
    return None


def _start(source: SourceFile, node: Node) -> Location:
    """Where a node starts, as a problem location: the same whichever loader found it."""
    line, col = source.line_col(node.start_mark.index)
    return Location(source.path, line, col)


def _reader_problem(source: SourceFile, exc: ReaderError) -> Problem:
    """PL001 at the refused character, on one line.

    ``str(exc)`` spans two lines and counts bytes under libyaml, characters
    under the pure loader; the first occurrence of the character is where the
    reader stopped, whichever loader ran.
    """
    char = exc.character
    offset = source.text.find(chr(char)) if isinstance(char, int) else -1
    where = source.location(offset) if offset >= 0 else Location(source.path, 1, 1)
    what = f"unacceptable character #x{char:04x}: " if isinstance(char, int) else ""
    return Problem("PL001", where, f"YAML error: {what}{exc.reason}")


def _mark_location(source: SourceFile, mark: yaml.Mark | None) -> Location:
    if mark is None:
        return Location(source.path, 1, 1)
    line, col = source.line_col(min(mark.index, len(source.text)))
    return Location(source.path, line, col)


def location(source: SourceFile, node: Node) -> Location:
    """Where a node's text starts and ends; a quoted scalar points inside the quotes.

    Lines come from the marks' character offsets, not their line numbers:
    YAML also breaks lines at NEL, U+2028 and U+2029, which editors do not.
    """
    start, end = node.start_mark, node.end_mark
    line, col = source.line_col(start.index)
    end_line, end_col = source.line_col(min(end.index, len(source.text)))
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
