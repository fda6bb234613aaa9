"""JSON and JSONC files: a parser that keeps positions, and the generic key rules.

The standard library's ``json`` gives values but no positions, and rejects the
comments and trailing commas that VS Code, devcontainers and tsconfig-style
files use everywhere. So this module has a small recursive-descent parser
that accepts JSON plus ``//`` and ``/* */`` comments and trailing commas in
every ``.json`` file (portlint is not a JSON validator: a commented
``settings.json`` is normal, not a finding) and records where each value is
written. A real syntax error is PL001 at the parser's line and column;
nesting deeper than :data:`MAX_DEPTH` is PL002.

Which files: every ``*.json`` and ``*.jsonc`` except lockfiles and compiler
configs (excluded by name in the scanner table, before they are even read),
and only when their text contains a word a port could hang from. Within a
file, the generic key rules (:mod:`portlint.scanners.keys`) apply; in
``package.json`` the ``scripts`` are also read for ``--port 3000``,
``--port=3000``, ``-p 3000`` and ``PORT=3000 cmd`` (role ``listen``, owner the
package name, key path ``("scripts", name)``).

A file whose top level names both ``apiVersion`` and ``kind`` is a Kubernetes
manifest written in JSON (``kubectl apply -f svc.json`` reads it like YAML):
its tree is handed to the Kubernetes scanner as YAML nodes, so it gets the same
bindings and rules as the YAML form, at the same positions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NoReturn

import yaml

from portlint.bindings import HOST, MAX_PORT, Location, PortBinding
from portlint.findings import Problem
from portlint.scanners import _yaml, keys, problems
from portlint.scanners._documents import is_documentation
from portlint.scanners._urls import url_matches
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile

MAX_DEPTH = 200
CANDIDATE = re.compile(r"port|listen|bind|addr|://", re.IGNORECASE)

_WS = re.compile(r"(?:[ \t\r\n\ufeff]+|//[^\r\n]*|/\*(?:[^*]|\*(?!/))*\*/)*")
_STRING = re.compile(r'"((?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*)"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}

Scalar = str | int | float | bool | None


@dataclass(slots=True)
class Member:
    key: str
    key_start: int  # inside the quotes
    key_end: int
    node: JNode


@dataclass(slots=True)
class JNode:
    """A JSON value and where it is written (strings: inside the quotes)."""

    start: int
    end: int
    scalar: Scalar = None
    members: list[Member] | None = None  # an object
    items: list[JNode] | None = None  # an array

    def get(self, key: str) -> JNode | None:
        for member in self.members or ():
            if member.key == key:
                return member.node
        return None


class JsonSyntaxError(ValueError):
    def __init__(self, offset: int, message: str, code: str = "PL001") -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.code = code


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip(self) -> None:
        match = _WS.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()
        if self.text.startswith("/*", self.pos):
            raise JsonSyntaxError(self.pos, "unterminated comment")

    def fail(self, expected: str) -> JsonSyntaxError:
        if self.pos >= len(self.text):
            return JsonSyntaxError(self.pos, f"expected {expected}, found the end of the file")
        found = self.text[self.pos]
        return JsonSyntaxError(self.pos, f"expected {expected}, found {found!r}")

    def document(self) -> JNode:
        self.skip()
        node = self.value(0)
        self.skip()
        if self.pos < len(self.text):
            raise self.fail("the end of the file")
        return node

    def value(self, depth: int) -> JNode:
        if depth > MAX_DEPTH:
            raise JsonSyntaxError(self.pos, f"nested deeper than {MAX_DEPTH} levels", "PL002")
        text, pos = self.text, self.pos
        char = text[pos : pos + 1]
        if char == "{":
            return self.obj(depth)
        if char == "[":
            return self.array(depth)
        if char == '"':
            start, value = self.string()
            return JNode(start, self.pos - 1, value)
        match = _NUMBER.match(text, pos)
        if match is not None and match.end() > pos:
            self.pos = match.end()
            raw = match.group(0)
            # int() refuses more than 4300 digits (a ValueError, and quadratic work before)
            whole = not (match.group(1) or match.group(2)) and len(raw) <= 4000
            number: int | float = int(raw) if whole else float(raw)
            return JNode(pos, self.pos, number)
        for word, literal in _LITERALS.items():
            if text.startswith(word, pos):
                self.pos = pos + len(word)
                return JNode(pos, self.pos, literal)
        raise self.fail("a value")

    def string(self) -> tuple[int, str]:
        match = _STRING.match(self.text, self.pos)
        if match is None:
            raise JsonSyntaxError(self.pos, "unterminated or invalid string")
        self.pos = match.end()
        raw = match.group(1)
        value = json.loads(match.group(0)) if "\\" in raw else raw
        return match.start(1), value

    def obj(self, depth: int) -> JNode:
        start = self.pos
        self.pos += 1
        members: list[Member] = []
        while True:
            self.skip()
            if self.text.startswith("}", self.pos):
                self.pos += 1
                return JNode(start, self.pos, members=members)
            if not self.text.startswith('"', self.pos):
                raise self.fail("a string key or '}'")
            key_start, key = self.string()
            key_end = self.pos - 1
            self.skip()
            if not self.text.startswith(":", self.pos):
                raise self.fail("':'")
            self.pos += 1
            self.skip()
            members.append(Member(key, key_start, key_end, self.value(depth + 1)))
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("}", self.pos):
                raise self.fail("',' or '}'")

    def array(self, depth: int) -> JNode:
        start = self.pos
        self.pos += 1
        items: list[JNode] = []
        while True:
            self.skip()
            if self.text.startswith("]", self.pos):
                self.pos += 1
                return JNode(start, self.pos, items=items)
            items.append(self.value(depth + 1))
            self.skip()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("]", self.pos):
                raise self.fail("',' or ']'")


def parse(source: SourceFile) -> JNode | Problem:
    """The document's tree, or the PL001/PL002 problem at the parser's position."""
    try:
        return _Parser(source.text).document()
    except JsonSyntaxError as exc:
        line, column = source.line_col(min(exc.offset, len(source.text)))
        where = Location(source.path, line, column)
        if exc.code == "PL002":
            return Problem("PL002", where, f"JSON {exc.message}: not scanned")
        return Problem("PL001", where, f"JSON syntax error: {exc.message}")


def leaves(
    root: JNode, skip: frozenset[tuple[str | int, ...]] = frozenset()
) -> Iterator[keys.Leaf]:
    """Every int and string value with its key path, except the subtrees in ``skip``."""
    stack: list[tuple[JNode, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if path in skip:
            continue
        if node.members is not None:
            stack.extend(reversed([(m.node, (*path, m.key)) for m in node.members]))
        elif node.items is not None:
            stack.extend(reversed([(n, (*path, i)) for i, n in enumerate(node.items)]))
        elif isinstance(node.scalar, str) or (
            isinstance(node.scalar, int) and not isinstance(node.scalar, bool)
        ):
            yield keys.Leaf(path, node.scalar, node.start, node.end)


# ``--port 3000``, ``--port=3000``, ``-p 3000``, ``-p=3000``, ``PORT=3000 cmd``
# (also after ``cross-env`` or ``&&``). ``-p 8080:80`` (docker) and ``-p .``
# (tsc) are not matched: the number must stand alone.
_SCRIPT_PORT = re.compile(
    r"(?:(?<=[\s;&|(])|^)(?:--port[=\s]\s*|-p[=\s]\s*|PORT=)([0-9]{1,5})(?![0-9:.\w])"
)


def _script_ports(
    source: SourceFile, root: JNode, ctx: keys.Context
) -> Iterator[PortBinding | Problem]:
    scripts = root.get("scripts")
    for member in scripts.members or () if scripts is not None else ():
        node = member.node
        if not isinstance(node.scalar, str):
            continue
        raw = source.text[node.start : node.end]
        for match in _SCRIPT_PORT.finditer(raw):
            number = int(match.group(1))
            start = node.start + match.start(1)
            location = source.location(start, node.start + match.end(1))
            if number == 0:
                continue
            if number > MAX_PORT:
                yield problems.out_of_range(
                    location,
                    f"port {number} in script {member.key!r}",
                    port=number,
                    anchor=f"scripts.{member.key}",
                )
                continue
            yield PortBinding(
                location=location,
                kind=ctx.kind,
                owner=ctx.default_owner,
                role="listen",
                port=number,
                text=match.group(0).strip(),
                key_path=("scripts", member.key),
                identities=ctx.identities,
                namespace=HOST,  # a dev server a package script starts runs on the host
            )


def _name(root: JNode) -> str | None:
    name = root.get("name")
    return name.scalar if name is not None and isinstance(name.scalar, str) else None


# portlint's own JSON and SARIF reports name the tool near their top. They are
# full of "port" keys about other files, and are not any project's config.
_OWN_REPORT = re.compile(
    r'\A\s*\{[^{}]{0,200}(?:"tool"\s*:\s*\{\s*"name"\s*:\s*"portlint"|'
    r'"\$schema"\s*:\s*"[^"]*sarif)'
)


_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _mark(index: int) -> yaml.Mark:
    # Positions are read from the index alone (``_yaml.location``), never from line/column.
    return yaml.Mark("<json>", index, 0, 0, None, 0)


def to_yaml_node(source: SourceFile, node: JNode) -> yaml.Node:
    """The YAML node tree a YAML loader would build from this JSON, with the same offsets.

    JSON is YAML's flow style, so this is exactly what ``kubectl`` sees; the
    nodes are built from portlint's own parse rather than by running the YAML
    loader again, which would refuse the comments and trailing commas this
    parser accepts. A string node spans its quotes, as a quoted YAML scalar does.
    """
    if node.members is not None:
        pairs = [
            (
                yaml.ScalarNode(
                    _yaml.STR_TAG, m.key, _mark(m.key_start - 1), _mark(m.key_end + 1), style='"'
                ),
                to_yaml_node(source, m.node),
            )
            for m in node.members
        ]
        return yaml.MappingNode(_MAP_TAG, pairs, _mark(node.start), _mark(node.end), True)
    if node.items is not None:
        values = [to_yaml_node(source, item) for item in node.items]
        return yaml.SequenceNode(_SEQ_TAG, values, _mark(node.start), _mark(node.end), True)
    value = node.scalar
    if isinstance(value, str):
        start, end = _mark(node.start - 1), _mark(node.end + 1)
        return yaml.ScalarNode(_yaml.STR_TAG, value, start, end, style='"')
    text = source.text[node.start : node.end]
    if value is None:
        tag = _NULL_TAG
    elif isinstance(value, bool):
        tag = _BOOL_TAG
    elif isinstance(value, int):
        tag = _yaml.INT_TAG
    else:
        tag = _FLOAT_TAG
    return yaml.ScalarNode(tag, text, _mark(node.start), _mark(node.end))


def _top_level(root: JNode) -> dict[str, str | None]:
    return {
        m.key: str(m.node.scalar) if isinstance(m.node.scalar, str) else None
        for m in root.members or ()
    }


def is_kubernetes(root: JNode) -> bool:
    """``apiVersion`` and ``kind`` strings at the top: what the API server requires."""
    return all(
        isinstance(getattr(root.get(key), "scalar", None), str) for key in ("apiVersion", "kind")
    )


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(name)  # NaN and Infinity: the standard has them not, and parse() refuses them


_DIGIT = re.compile(r"[0-9]")


def _may_be_port(value: object) -> bool:
    """Whether a value under a port or address key could give a port: a number, text
    with a digit in it (``"host:8080"``, ``"8080"``), or values below it (objects
    and arrays are lists here, see ``_Pairs``). Words
    (``"email_address": "Email address"`` in a translation) cannot."""
    if isinstance(value, str):
        return _DIGIT.search(value) is not None
    return isinstance(value, list) or (isinstance(value, int) and not isinstance(value, bool))


class _Pairs(list[tuple[str, object]]):
    """An object as ``json.loads`` read it, every member kept: parse() keeps a repeated
    key twice, so a port under the first of two ``port`` keys must be seen too."""


def _may_hold_ports(text: str) -> bool:
    """Whether a full parse could find anything: False only when the C parser reads the
    file as parse() would (the same grammar, no deeper than MAX_DEPTH), no key that
    ``keys.key_kind`` knows holds a number or a digit, the file is not a Kubernetes
    manifest and no URL in it names a port.

    The pre-check by words lets through nearly every file of a JavaScript
    repository ("support", "import", "https://"), and its translation
    catalogues are large: parse() builds a located node for every value in
    Python. ``json.loads`` reads the same text in C; a file it reads without
    a key a port could hang from is done with. The keys' rules only call a
    value a port under such a key (or a ``ports`` key above it), and a URL
    only with a port in it, which a search of the whole text finds.
    """
    if any(True for _ in url_matches(keys.URL, text)):
        return True
    try:
        root = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_Pairs)
    except (ValueError, RecursionError):
        return True  # parse() reports it, or reads what the C parser does not (comments)
    if isinstance(root, _Pairs) and any(key in ("apiVersion", "kind") for key, _ in root):
        return True  # perhaps a Kubernetes manifest: its own scanner decides
    stack: list[tuple[object, int]] = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True  # parse() reports how deep
        if isinstance(node, _Pairs):
            for key, value in node:
                if keys.key_kind(key) is not None and _may_be_port(value):
                    return True
                if isinstance(value, list) or depth + 1 > MAX_DEPTH:
                    stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node if isinstance(item, list))
            if node and depth + 1 > MAX_DEPTH:
                return True
    return False


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    is_package = source.path.rsplit("/", 1)[-1] == "package.json"
    if not is_package and CANDIDATE.search(source.text) is None:
        return ScanResult()  # cheap pre-check: no word a port could hang from
    if _OWN_REPORT.match(source.text):
        return ScanResult()
    if not is_package and not _may_hold_ports(source.text):
        return ScanResult()  # parsed in C: no key a port could hang from, no URL with a port
    root = parse(source)
    if isinstance(root, Problem):
        return ScanResult(problems=[root])
    if root.members is not None and is_documentation(_top_level(root)):
        return ScanResult()  # an API description or a JSON Schema: examples, not ports
    if root.members is not None and is_kubernetes(root):
        from portlint.scanners import kubernetes  # imported only when a manifest is found

        return kubernetes.scan_document(source, to_yaml_node(source, root), ctx)
    name = _name(root) if is_package and root.members is not None else None
    kctx = keys.Context(source, "json", keys.default_owner_for(source.path, name))
    bindings, problems = keys.scan_leaves(leaves(root), kctx)
    if is_package:
        for item in _script_ports(source, root, kctx):
            if isinstance(item, Problem):
                problems.append(item)
            else:
                bindings.append(item)
    return ScanResult(bindings, problems)
