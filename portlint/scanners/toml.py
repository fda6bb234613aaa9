"""TOML files (``fly.toml``, ``netlify.toml``, ``.streamlit/config.toml``, app configs).

``tomllib`` (``tomli`` before Python 3.11) decides what the file means and
whether it is valid: a syntax error is PL001 at the line and column it
reports. It gives no positions, so :class:`_Locator` walks the text once more
and records where every value is written, with its key path resolved the way
TOML resolves it: ``[table]`` and ``[[array.of.tables]]`` headers (an
intermediate array of tables means its latest element), dotted keys
(``a.b.c = 1``), quoted keys, inline tables and arrays (of inline tables) over
several lines. Because the document already parsed, the locator can be
lenient; values always come from ``tomllib``, never from the locator, so
``0x1F90``, ``8_080`` and escapes mean what TOML says.

Then the generic key rules (:mod:`portlint.scanners.keys`) decide which values
are ports. The default owner is the ``app`` (``fly.toml``) or
``[project] name`` (``pyproject.toml``), else the file's folder or stem.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from typing import Any

from portlint.bindings import Location
from portlint.findings import Problem
from portlint.scanners import keys
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CANDIDATE = re.compile(r"port|listen|bind|addr|://", re.IGNORECASE)
_ERROR_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BLANK = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")
_INLINE_BLANK = re.compile(r"[ \t]*")
_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?)?"
    r"|\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
)
_BARE_VALUE = re.compile(r"[^\s,\]}#]+")

Path = tuple[str | int, ...]


class _Locator:
    """Yields ``(key path, start, end)`` for every scalar value in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.table: Path = ()
        self.arrays: dict[Path, int] = {}  # array-of-tables path -> latest index

    def skip(self, pattern: re.Pattern[str] = _BLANK) -> None:
        match = pattern.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()

    def run(self) -> Iterator[tuple[Path, int, int]]:
        text = self.text
        while True:
            self.skip()
            if self.pos >= len(text):
                return
            if text.startswith("[[", self.pos):
                self.pos += 2
                names = self.key()
                self.pos = text.index("]]", self.pos) + 2
                full = (*self.resolve(names[:-1]), names[-1])
                self.arrays[full] = self.arrays.get(full, -1) + 1
                self.table = (*full, self.arrays[full])
            elif text.startswith("[", self.pos):
                self.pos += 1
                names = self.key()
                self.pos = text.index("]", self.pos) + 1
                self.table = self.resolve(names)
            else:
                names = self.key()
                self.skip(_INLINE_BLANK)
                self.pos += 1  # "="
                self.skip(_INLINE_BLANK)
                yield from self.value((*self.table, *names))

    def resolve(self, names: list[str]) -> Path:
        path: Path = ()
        for name in names:
            path = (*path, name)
            if path in self.arrays:
                path = (*path, self.arrays[path])
        return path

    def key(self) -> list[str]:
        names: list[str] = []
        while True:
            self.skip(_INLINE_BLANK)
            char = self.text[self.pos : self.pos + 1]
            if char == '"':
                start, end = self.basic_string()
                raw = self.text[start:end]
                names.append(_decode_basic(raw))
            elif char == "'":
                start, end = self.literal_string()
                names.append(self.text[start:end])
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if match is None:
                    raise ValueError(f"no key at offset {self.pos}")
                names.append(match.group(0))
                self.pos = match.end()
            self.skip(_INLINE_BLANK)
            if not self.text.startswith(".", self.pos):
                return names
            self.pos += 1

    def basic_string(self) -> tuple[int, int]:
        """A ``"..."`` string at pos; returns the span inside the quotes."""
        text = self.text
        i = self.pos + 1
        start = i
        while i < len(text) and text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        self.pos = i + 1
        return start, i

    def literal_string(self) -> tuple[int, int]:
        start = self.pos + 1
        end = self.text.index("'", start)
        self.pos = end + 1
        return start, end

    def multiline(self, quote: str) -> tuple[int, int]:
        text = self.text
        i = self.pos + 3
        start = i
        while True:
            if quote == '"' and text[i] == "\\":
                i += 2
                continue
            if text.startswith(quote * 3, i):
                extra = 0
                while extra < 2 and text.startswith(quote, i + 3 + extra):
                    extra += 1
                end = i + extra
                self.pos = end + 3
                return start, end
            i += 1

    def value(self, path: Path) -> Iterator[tuple[Path, int, int]]:
        text = self.text
        char = text[self.pos : self.pos + 1]
        if text.startswith('"""', self.pos) or text.startswith("'''", self.pos):
            yield (path, *self.multiline(char))
        elif char == '"':
            yield (path, *self.basic_string())
        elif char == "'":
            yield (path, *self.literal_string())
        elif char == "{":
            self.pos += 1
            while True:
                self.skip()
                if text.startswith("}", self.pos):
                    self.pos += 1
                    return
                if text.startswith(",", self.pos):
                    self.pos += 1
                    continue
                names = self.key()
                self.skip(_INLINE_BLANK)
                self.pos += 1  # "="
                self.skip(_INLINE_BLANK)
                yield from self.value((*path, *names))
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self.skip()
                if text.startswith("]", self.pos):
                    self.pos += 1
                    return
                if text.startswith(",", self.pos):
                    self.pos += 1
                    continue
                yield from self.value((*path, index))
                index += 1
        else:
            match = _DATETIME.match(text, self.pos) or _BARE_VALUE.match(text, self.pos)
            end = match.end() if match is not None else self.pos + 1
            yield path, self.pos, end
            self.pos = end


def _decode_basic(raw: str) -> str:
    if "\\" not in raw:
        return raw
    try:
        decoded = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return decoded if isinstance(decoded, str) else raw


def _lookup(data: Any, path: Path) -> Any:
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
        elif not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def _editor_position(source: SourceFile, line: int, column: int) -> tuple[int, int]:
    """tomllib counts lines at ``\\n`` only; a stray ``\\r`` (invalid TOML) also ends one for us.

    Found by fuzzing: without this, an error after a lone CR pointed past the end of its line.
    """
    text = source.text
    offset = 0
    for _ in range(line - 1):
        nl = text.find("\n", offset)
        if nl < 0:
            return line, column
        offset = nl + 1
    return source.line_col(min(offset + column - 1, len(text)))


def parse(source: SourceFile) -> dict[str, Any] | Problem:
    try:
        return tomllib.loads(source.text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _ERROR_AT.search(message)
        if match is not None:
            line, column = _editor_position(source, int(match.group(1)), int(match.group(2)))
            message = message[: match.start()] + message[match.end() :]
        else:
            line, column = len(source.line_starts), 1
            message = message.replace(" (at end of document)", " at the end of the file")
        return Problem(
            "PL001", Location(source.path, line, column), f"TOML syntax error: {message}"
        )
    except RecursionError:  # tomllib recurses once per nested array or inline table
        return Problem(
            "PL001",
            Location(source.path, 1, 1),
            "TOML syntax error: arrays or tables nested too deeply to read",
        )
    except ValueError:  # tomllib's int() of a number thousands of digits long
        return Problem(
            "PL001",
            Location(source.path, 1, 1),
            "TOML syntax error: a number too long to read (thousands of digits)",
        )


def leaves(source: SourceFile, data: dict[str, Any]) -> tuple[list[keys.Leaf], Problem | None]:
    """Located int and string values; a problem if the locator lost its way.

    The locator only runs on text ``tomllib`` accepted, so losing its way is a
    portlint bug; the values located before that point are still reported.
    """
    found: list[keys.Leaf] = []
    locator = _Locator(source.text)
    try:
        for path, start, end in locator.run():
            value = _lookup(data, path)
            if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
                found.append(keys.Leaf(path, value, start, end))
    except (ValueError, IndexError):
        line, column = source.line_col(min(locator.pos, len(source.text)))
        return found, Problem(
            "PL002",
            Location(source.path, line, column),
            "TOML layout portlint cannot follow: the rest of the file is not scanned",
            hint="please report this file to portlint",
        )
    return found, None


def _own_name(data: dict[str, Any]) -> str | None:
    app = data.get("app")
    if isinstance(app, str) and app:
        return app
    project = data.get("project")
    name = project.get("name") if isinstance(project, dict) else None
    return name if isinstance(name, str) and name else None


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    if CANDIDATE.search(source.text) is None:
        return ScanResult()
    data = parse(source)
    if isinstance(data, Problem):
        return ScanResult(problems=[data])
    kctx = keys.Context(source, "toml", keys.default_owner_for(source.path, _own_name(data)))
    found, lost = leaves(source, data)
    bindings, problems = keys.scan_leaves(found, kctx)
    if lost is not None:
        problems.append(lost)
    return ScanResult(bindings, problems)
