"""The team's own port registry: ``ports.toml`` and friends.

Register before you use: a team that writes its ports down never has two
services discover the same one at deploy time. The format::

    # ports.toml
    [[allocation]]
    port = 10276                 # or: ports = "10280-10289"
    protocol = "tcp"             # tcp (default), udp or sctp
    service = "billing-api"      # the compose service / container / env-key owner
    owner = "payments team"      # optional
    note = "public API"          # optional

Several files merge (a file may be shared between repositories). Which files:
``allocations = [...]`` in the config, or else ``./ports.toml`` when it exists.
A file that does not parse, an entry that is invalid, or two entries that
overlap is a :class:`ConfigError` naming the file and line, because every
PL2xx verdict depends on this file being right.
"""

from __future__ import annotations

import json
import os
import re
import sys
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from portlint.errors import ConfigError, toml_syntax_error
from portlint.identity import normalise
from portlint.project import display as shown_path
from portlint.source import MAX_SETTINGS_FILE_SIZE, confined, read_text

DEFAULT_FILE = "ports.toml"
PROTOCOLS = ("tcp", "udp", "sctp")
_KEYS = frozenset({"port", "ports", "protocol", "service", "owner", "note"})
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*allocation[ \t]*\]\]", re.MULTILINE)
_RANGE = re.compile(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?\Z")


@dataclass(frozen=True, slots=True, order=True)
class Allocation:
    protocol: str
    port: int
    end: int  # inclusive; equals port for one port
    service: str
    owner: str = ""
    note: str = ""
    path: str = ""
    line: int = 0  # 1-based line of the entry's [[allocation]] header

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def text(self) -> str:
        span = str(self.port) if self.end == self.port else f"{self.port}-{self.end}"
        return f"{span}/{self.protocol}"

    def covers(self, port: int, protocol: str) -> bool:
        return self.protocol == protocol and self.port <= port <= self.end


@dataclass(frozen=True, slots=True)
class AppendPoint:
    """The end of an allocation file, and how a table appended there must begin.

    A fix that moves a service to a new port claims the port here, with an
    exact insertion rather than a rewrite (see :func:`claim_block`).
    """

    path: str  # as displayed
    line: int  # 1-based: the end of the text
    column: int
    newline: str  # the file's own line break
    separator: str  # the line breaks that make the new table start after a blank line

    def claim(self, port: int, protocol: str, service: str) -> str:
        return self.separator + claim_block(port, protocol, service, self.newline)


def append_point(path: str, text: str) -> AppendPoint:
    nl = "\r\n" if "\r\n" in text else "\n"
    lines = re.split(r"\r\n|\r|\n", text)
    sep = "" if not text or text.endswith(nl * 2) else (nl if text.endswith(nl) else nl * 2)
    return AppendPoint(path, len(lines), len(lines[-1]) + 1, nl, sep)


class Allocations:
    """Merged, validated allocations, indexed for port and service lookups."""

    def __init__(
        self,
        entries: Iterable[Allocation],
        paths: Sequence[str] = (),
        append_point: AppendPoint | None = None,
    ) -> None:
        self.entries = tuple(sorted(entries))
        self.paths = tuple(paths)
        self.append_point = append_point  # where a claim goes (the first file's end)
        self._starts: dict[str, list[int]] = {}
        self._rows: dict[str, list[Allocation]] = {}
        self._by_service: dict[str, list[Allocation]] = {}
        for entry in self.entries:
            self._starts.setdefault(entry.protocol, []).append(entry.port)
            self._rows.setdefault(entry.protocol, []).append(entry)
            self._by_service.setdefault(normalise(entry.service), []).append(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, port: int, protocol: str) -> Allocation | None:
        """The allocation covering ``port``/``protocol`` (entries never overlap)."""
        starts = self._starts.get(protocol)
        if not starts:
            return None
        idx = bisect_right(starts, port) - 1
        if idx >= 0 and self._rows[protocol][idx].covers(port, protocol):
            return self._rows[protocol][idx]
        return None

    def find_any(self, port: int) -> Allocation | None:
        for protocol in PROTOCOLS:
            found = self.find(port, protocol)
            if found is not None:
                return found
        return None

    def for_service(self, names: Iterable[str]) -> list[Allocation]:
        """Allocations of the first name that has any (names are normalised)."""
        for name in names:
            found = self._by_service.get(name)
            if found:
                return found
        return []

    def services(self) -> frozenset[str]:
        return frozenset(self._by_service)


def _fail(where: str, message: str, hint: str | None = None) -> ConfigError:
    return ConfigError(f"{where}: {message}", hint=hint)


def _span(raw: dict[str, Any], where: str) -> tuple[int, int]:
    if ("port" in raw) == ("ports" in raw):
        raise _fail(where, "an allocation needs exactly one of `port` or `ports`")
    if "port" in raw:
        port = raw["port"]
        if not isinstance(port, int) or isinstance(port, bool):
            raise _fail(where, f"`port` must be an integer, not {port!r}", 'or use ports = "A-B"')
        start = end = port
    else:
        text = raw["ports"]
        match = _RANGE.match(text) if isinstance(text, str) else None
        if match is None:
            raise _fail(where, f'`ports` must look like "10280-10289", not {text!r}')
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if end < start:
            raise _fail(where, f"range {text!r} is reversed")
    for value in (start, end):
        if not 1 <= value <= 65535:
            raise _fail(where, f"port {value} is outside 1-65535")
    return start, end


def parse_allocations(text: str, path: str) -> list[Allocation]:
    """One file's allocations; raises :class:`ConfigError` naming the file and line."""
    # Imported here: most runs have no allocation file, and the rules import this module.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_syntax_error(path, text, exc) from None
    unknown = sorted(set(data) - {"allocation"})
    if unknown:
        raise _fail(path, f"unknown top-level key {unknown[0]!r}", "use [[allocation]] tables")
    raw_entries = data.get("allocation", [])
    if not isinstance(raw_entries, list):
        raise _fail(path, "`allocation` must be an array of tables ([[allocation]])")
    headers = [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]
    out: list[Allocation] = []
    for index, raw in enumerate(raw_entries):
        line = headers[index] if len(headers) == len(raw_entries) else 1
        where = f"{path}:{line}"
        if not isinstance(raw, dict):
            raise _fail(where, "an allocation must be a table")
        extra = sorted(set(raw) - _KEYS)
        if extra:
            raise _fail(where, f"unknown key {extra[0]!r}", "keys: " + ", ".join(sorted(_KEYS)))
        start, end = _span(raw, where)
        protocol = raw.get("protocol", "tcp")
        if protocol not in PROTOCOLS:
            raise _fail(where, f"protocol must be tcp, udp or sctp, not {protocol!r}")
        service = raw.get("service")
        if not isinstance(service, str) or not service.strip():
            raise _fail(where, "an allocation needs a `service` name")
        for key in ("owner", "note"):
            if not isinstance(raw.get(key, ""), str):
                raise _fail(where, f"`{key}` must be a string")
        out.append(
            Allocation(
                protocol=protocol,
                port=start,
                end=end,
                service=service.strip(),
                owner=raw.get("owner", ""),
                note=raw.get("note", ""),
                path=path,
                line=line,
            )
        )
    return out


def merge(entries: Iterable[Allocation], paths: Sequence[str] = ()) -> Allocations:
    """Check that no two entries overlap; the same entry in two files counts once."""
    unique: dict[tuple[str, int, int, str], Allocation] = {}
    for entry in entries:
        unique.setdefault((entry.protocol, entry.port, entry.end, normalise(entry.service)), entry)
    ordered = sorted(unique.values())
    widest: Allocation | None = None  # the entry reaching furthest so far, per protocol
    for after in ordered:
        before = widest
        if before is None or before.protocol != after.protocol or after.end > before.end:
            widest = after
        if before is not None and before.protocol == after.protocol and after.port <= before.end:
            raise ConfigError(
                f"{after.where}: allocation {after.text} ({after.service}) overlaps "
                f"{before.text} ({before.service}) at {before.where}",
                hint="each port belongs to one service; give one of them another port",
            )
    return Allocations(ordered, paths)


def load_allocations(paths: Sequence[str], cwd: str = ".") -> Allocations:
    """Read and merge allocation files; paths are shown relative to ``cwd``."""
    entries: list[Allocation] = []
    shown: list[str] = []
    point: AppendPoint | None = None
    for path in paths:
        full = path if os.path.isabs(path) else os.path.join(cwd, path)
        display = shown_path(full, cwd)
        try:
            text = read_text(full, MAX_SETTINGS_FILE_SIZE)
        except FileNotFoundError:
            raise ConfigError(f"{display}: allocation file not found") from None
        except OSError as exc:
            raise ConfigError(
                f"{display}: cannot read allocation file: {exc.strerror or exc}"
            ) from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{display}: cannot read allocation file: {exc}") from None
        entries.extend(parse_allocations(text, display))
        shown.append(display)
        if point is None:
            point = append_point(display, text)
    merged = merge(entries, shown)
    merged.append_point = point
    return merged


def configured_paths(configured: Sequence[str], root: str, cwd: str) -> list[str]:
    """The configured files (relative to the config's folder), else a ``ports.toml``.

    Without configuration the file is ``./ports.toml`` when there is one, else
    the project root's: a run from a subfolder still knows the team's ports.
    """
    if configured:
        return [p if os.path.isabs(p) else os.path.join(root, p) for p in configured]
    for folder in dict.fromkeys((cwd, root)):
        default = os.path.join(folder, DEFAULT_FILE)
        # a FIFO or a device there is read (and refused, loudly), not passed over
        if os.path.exists(default) and not os.path.isdir(default):
            return [default]
    return []


def load_configured_allocations(
    configured: Sequence[str], root: str, cwd: str
) -> Allocations | None:
    """The run's allocations: ``configured`` files (relative to the project ``root``),
    else ``./ports.toml``; None when neither.

    Paths, not a Config: the registry sits below configuration, so loading
    the team's ports never depends on how the settings were read.
    """
    root = root if os.path.isabs(root) else os.path.join(cwd, root)
    paths = configured_paths(configured, root, cwd)
    if paths and not configured:  # configured ones were checked with the config
        roots = (os.path.realpath(root), os.path.realpath(cwd))
        if confined(paths[0], roots) is None:
            shown = os.path.relpath(paths[0], cwd).replace(os.sep, "/")
            raise ConfigError(
                f"{shown}: a symbolic link to outside the project: not read",
                hint="keep the allocation file inside the project",
            )
    return load_allocations(paths, cwd) if paths else None


def claim_text(existing: str, port: int, protocol: str, service: str, note: str = "") -> str:
    """``existing`` with one allocation appended; every other byte is kept.

    The new lines use the file's own line ending, so a CRLF file stays CRLF.
    """
    nl = "\r\n" if "\r\n" in existing else "\n"
    block = claim_block(port, protocol, service, nl, note)
    if not existing:
        return block
    sep = "" if existing.endswith(nl * 2) else (nl if existing.endswith(nl) else nl * 2)
    return existing + sep + block


def claim_block(port: int, protocol: str, service: str, nl: str, note: str = "") -> str:
    """One ``[[allocation]]`` table, with ``nl`` line breaks."""
    block = f"[[allocation]]{nl}port = {port}{nl}protocol = {json.dumps(protocol)}{nl}"
    block += f"service = {json.dumps(service, ensure_ascii=False)}{nl}"
    if note:
        block += f"note = {json.dumps(note, ensure_ascii=False)}{nl}"
    return block
