"""``.env`` files: the ports apps listen on, and the URLs that point at other services.

Grammar (the dotenv dialect Docker Compose reads)::

    # a comment line
    KEY=value               unquoted: trimmed; " #" starts a comment; ${OTHER} expands
    export KEY=value        "export " is ignored
    KEY = value             spaces around "=" are allowed
    KEY='literal $NOT'      single quotes: taken literally, may span lines
    KEY="a \\"b\\" ${X}"      double quotes: \\n \\t \\" \\\\ escapes, ${X} expands, may span lines
    KEY                     no "=": taken from the process environment; defines nothing here

``${OTHER}`` sees the keys defined above it (and the process environment
only with ``--use-environment``), as Compose does.

Why our own parser and not python-dotenv: we need the line and column of
every value (python-dotenv's parser keeps only the text), the interpolation
must follow the compose-spec rules and report unset variables instead of
reading ``os.environ``, and it would be a third runtime dependency for about
a hundred lines.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

from portlint.bindings import MAX_PORT, UNKNOWN, Location, Namespace, PortBinding
from portlint.findings import Problem
from portlint.scanners import direction, problems
from portlint.scanners._hosts import names_another_host
from portlint.scanners._urls import url_matches
from portlint.scanners.base import ScanContext, ScanResult
from portlint.scanners.interpolate import EnvValue, Interpolated, interpolate
from portlint.scanners.keys import connection_setting
from portlint.source import SourceFile

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_EXPORT = re.compile(r"export[ \t]+")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}

# PORT, PORTS, API_PORT, API_PORTS, REDIS_PORT_6379_TCP (Docker links), any case.
# The definition; _port_key_prefix() computes the same fullmatch without backtracking.
_PORT_KEY = re.compile(r"(?:(?P<owner>[A-Za-z0-9_.\-]+?)_)?PORTS?(?:_[A-Za-z0-9_]+)?", re.I)
# re.I also lets [A-Za-z] match four non-ASCII letters, and S match the long s.
_TAIL_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_\u0130\u0131\u017f\u212a"
)
_OWNER_CHARS = _TAIL_CHARS | frozenset(".-")
_NUMBER = re.compile(r"[0-9]+")
# scheme://[user[:password]@]host:port  - the host may be a bracketed IPv6 address.
_URL = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://(?:[^@/\s]*@)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^:/\s?#@,\[\]]+):(?P<port>[0-9]+)(?![0-9])"
)


@dataclass(frozen=True, slots=True)
class EnvEntry:
    key: str
    value: str  # resolved
    key_location: Location
    value_location: Location  # the value as written (inside quotes)
    raw: str  # the value as written, without quotes
    quote: str  # "", "'" or '"'
    expanded: Interpolated | None  # None for single-quoted (literal) values


@dataclass(slots=True)
class ParsedEnv:
    entries: list[EnvEntry]
    problems: list[Problem]

    def variables(self) -> dict[str, EnvValue]:
        """Later definitions win, as in Compose."""
        return {e.key: EnvValue(e.value, e.value_location) for e in self.entries}


def parse(source: SourceFile, environ: Mapping[str, str] | None = None) -> ParsedEnv:
    text = source.text
    n = len(text)
    known: dict[str, EnvValue] = {k: EnvValue(v) for k, v in (environ or {}).items()}
    entries: list[EnvEntry] = []
    problems: list[Problem] = []
    i = 0
    while i < n:
        line_end = _eol(text, i)
        j = _skip_blank(text, i, line_end)
        if j >= line_end or text[j] == "#":
            i = _next_line(text, line_end)
            continue
        export = _EXPORT.match(text, j, line_end)
        if export:
            j = export.end()
        key_match = _KEY.match(text, j, line_end)
        if key_match is None:
            problems.append(
                Problem(
                    "PL001",
                    source.location(j),
                    f"cannot parse .env line: {text[j:line_end].strip()!r}",
                    hint="write KEY=VALUE; quote values that hold spaces or '#'",
                )
            )
            i = _next_line(text, line_end)
            continue
        key = key_match.group()
        j = _skip_blank(text, key_match.end(), line_end)
        if j >= line_end or text[j] == "#":  # bare KEY: comes from the environment
            i = _next_line(text, line_end)
            continue
        if text[j] != "=":
            problems.append(
                Problem(
                    "PL001",
                    source.location(j),
                    f"cannot parse .env line: expected '=' after {key}",
                    hint="write KEY=VALUE",
                )
            )
            i = _next_line(text, line_end)
            continue
        j = _skip_blank(text, j + 1, line_end)
        quote = text[j] if j < line_end and text[j] in "'\"" else ""
        if quote:
            close = _closing_quote(text, j + 1, quote)
            if close < 0:
                problems.append(
                    Problem(
                        "PL001",
                        source.location(j),
                        f"unterminated {quote} quote in the value of {key}",
                        hint=f"close the quote with {quote}",
                    )
                )
                break
            raw_start, raw_end = j + 1, close
            raw = text[raw_start:raw_end]
            line_end = _eol(text, close + 1)
        else:
            raw_start = j
            raw_end = _unquoted_end(text, j, line_end)
            raw = text[raw_start:raw_end]
        expanded: Interpolated | None = None
        if quote == "'":
            value = raw
        else:
            unescaped = _unescape(raw) if quote == '"' else raw
            expanded = interpolate(unescaped, known)
            value = expanded.text
        entry = EnvEntry(
            key=key,
            value=value,
            key_location=source.location(key_match.start(), key_match.end()),
            value_location=source.location(raw_start, raw_end),
            raw=raw,
            quote=quote,
            expanded=expanded,
        )
        entries.append(entry)
        known[key] = EnvValue(value, entry.value_location)
        i = _next_line(text, line_end)
    return ParsedEnv(entries, problems)


def _eol(text: str, i: int) -> int:
    ends = [p for p in (text.find("\n", i), text.find("\r", i)) if p >= 0]
    return min(ends) if ends else len(text)


def _next_line(text: str, line_end: int) -> int:
    return line_end + (2 if text.startswith("\r\n", line_end) else 1)


def _skip_blank(text: str, i: int, stop: int) -> int:
    while i < stop and text[i] in " \t":
        i += 1
    return i


def _closing_quote(text: str, i: int, quote: str) -> int:
    while i < len(text):
        ch = text[i]
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if ch == quote:
            return i
        i += 1
    return -1


def _unquoted_end(text: str, i: int, line_end: int) -> int:
    """End of an unquoted value: before a " #" comment and trailing blanks."""
    end = line_end
    hash_at = i
    while True:
        hash_at = text.find("#", hash_at, line_end)
        if hash_at < 0:
            break
        if hash_at > i and text[hash_at - 1] in " \t":
            end = hash_at
            break
        hash_at += 1
    while end > i and text[end - 1] in " \t":
        end -= 1
    return end


def _unescape(raw: str) -> str:
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == "\\" and i + 1 < len(raw) and raw[i + 1] in _ESCAPES:
            nxt = raw[i + 1]
            # "\$" must stay a literal dollar through interpolation
            out.append("$$" if nxt == "$" else _ESCAPES[nxt])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _port_key_prefix(key: str) -> str | None:
    """``_PORT_KEY.fullmatch(key)``'s owner group ("" when it matched without one; None: no match).

    The regular expression retries its tail after every ``_PORT`` of a long
    key (quadratic: a 28 KB key cost 2.5 s); this reads the key once. The
    lazy owner means the first ``_PORT`` whose rest fits wins.
    """
    n = len(key)
    owner_ok = 0  # key[:owner_ok] holds owner characters only
    while owner_ok < n and key[owner_ok] in _OWNER_CHARS:
        owner_ok += 1
    tail_ok = n  # key[tail_ok:] holds tail characters only
    while tail_ok > 0 and key[tail_ok - 1] in _TAIL_CHARS:
        tail_ok -= 1

    def rest_fits(at: int) -> bool:
        """``PORTS?(?:_[A-Za-z0-9_]+)?`` matches ``key[at:]`` exactly."""
        word = key[at : at + 4]
        if not word.isascii() or word.upper() != "PORT":
            return False
        ends = (at + 5, at + 4) if key[at + 4 : at + 5] in ("s", "S", "\u017f") else (at + 4,)
        return any(
            end == n or (key[end] == "_" and end + 1 < n and tail_ok <= end + 1) for end in ends
        )

    underscore = key.find("_", 1)
    while 0 < underscore <= owner_ok:
        if rest_fits(underscore + 1):
            return key[:underscore]
        underscore = key.find("_", underscore + 1)
    return "" if rest_fits(0) else None


def port_key_owner(key: str, path: str) -> str | None:
    """Who a port-naming key belongs to (``API_PORT`` -> ``api``), or None for other keys.

    A bare ``PORT`` belongs to the app whose folder holds the file
    (``api/.env`` -> ``api``); at the top of the tree, to ``port`` itself.
    """
    owner = _port_key_prefix(key)
    if owner is None:
        return None
    if owner:
        return owner.lower()
    folder = posixpath.basename(posixpath.dirname(path))
    return folder if folder not in ("", ".", "..") else key.lower()


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    parsed = parse(source, ctx.environ)
    result = ScanResult(problems=list(parsed.problems))
    values = {e.key.upper(): (e.key, e.value) for e in parsed.entries}  # later wins
    for entry in parsed.entries:
        owner = port_key_owner(entry.key, source.path)
        if owner is not None:
            _port_values(source, entry, owner, _host_of(entry.key, values), result)
        _urls(source, entry, owner or _url_owner(entry.key), result)
    return result


_HOST_SUFFIXES = ("_HOST", "_HOSTNAME", "_ADDR", "_SERVER")


def _host_of(key: str, values: Mapping[str, tuple[str, str]]) -> str | None:
    """``DB_HOST=postgres`` beside ``DB_PORT``: another machine's name.

    None when the sibling is missing, empty, loopback or a wildcard: then
    ``DB_PORT`` is where this app listens.
    """
    prefix = _port_key_prefix(key)
    if not prefix:
        return None
    for suffix in _HOST_SUFFIXES:
        found = values.get(prefix.upper() + suffix)
        if found is not None:
            return names_another_host(found[1])
    return None


def _span_location(source: SourceFile, entry: EnvEntry, start: int, end: int) -> Location:
    """Location of resolved value characters ``[start, end)`` in the file."""
    if entry.quote == '"' and "\\" in entry.raw:
        return entry.value_location  # escapes shift columns: point at the whole value
    if entry.expanded is not None:
        start, end = entry.expanded.span(start, end)
    base = source.offset(entry.value_location.line, entry.value_location.column)
    return source.location(base + start, base + end)


def _origin(entry: EnvEntry, start: int, end: int) -> Location | None:
    if entry.expanded is None:
        return None
    return entry.expanded.origin(start, end)


def _port_values(
    source: SourceFile,
    entry: EnvEntry,
    owner: str,
    host: str | None,
    result: ScanResult,
) -> None:
    value = entry.value
    if not value.strip():
        return
    numbers = list(_NUMBER.finditer(value))
    # A claim only when the value is nothing but numbers (PORTS may list several).
    rest = _NUMBER.sub("", value).replace(",", "").replace(" ", "")
    if rest or not numbers or (len(numbers) > 1 and not entry.key.upper().endswith("PORTS")):
        return
    for match in numbers:
        loc = _span_location(source, entry, match.start(), match.end())
        digits = match.group()
        # int() of thousands of digits raises (and costs quadratic time before that)
        port = int(digits) if len(digits.lstrip("0")) <= 5 else MAX_PORT + 1
        if port > MAX_PORT:
            result.problems.append(
                problems.out_of_range(loc, f"port {match.group()} in {entry.key}", anchor=entry.key)
            )
            continue
        binding = PortBinding(
            location=loc,
            kind="dotenv",
            owner=owner,
            role="listen",
            port=port,
            text=entry.raw,
            key_path=(entry.key,),
            identities=_identities(owner),
            origin=_origin(entry, match.start(), match.end()),
            # on the host, or in the container the file configures: its comment may say
            namespace=_container_of(source) if _says_inside(source, loc.line) else UNKNOWN,
            env_key=entry.key,
        )
        if host is not None:
            binding = connection_setting(binding, host)
        folder = _folder_owner(source.path)
        binding = direction.apply(
            binding, (folder,) if folder else (), subject_is_owner=folder is None
        )
        result.bindings.append(binding)


# A comment that places the setting inside a container: "port inside the container",
# "in the app container", "container-side port", "container port".
_INSIDE = re.compile(
    r"\b(?:inside|in)\s+(?:the|a|an|its|each|this|that)?\s*(?:[\w-]+\s+)?container\b"
    r"|\bcontainer[- ]side\b|\bcontainer\s+port\b",
    re.IGNORECASE,
)
MAX_COMMENT_LINES = 8  # a comment block above a key, read for that key


def _says_inside(source: SourceFile, line: int) -> bool:
    """Whether the key's own comment (at the end of its line, or the block right
    above it) says the port is inside a container."""
    text = source.line_text(line)
    if " #" in text and _INSIDE.search(text.split(" #", 1)[1]):
        return True
    for above in range(line - 1, max(0, line - 1 - MAX_COMMENT_LINES), -1):
        text = source.line_text(above).strip()
        if not text.startswith("#"):
            return False
        if _INSIDE.search(text):
            return True
    return False


def _container_of(source: SourceFile) -> Namespace:
    """The container a ``.env`` configures: the one its file feeds, named by the file."""
    return Namespace("container", f"env:{source.path}")


def _urls(source: SourceFile, entry: EnvEntry, owner: str, result: ScanResult) -> None:
    for match in url_matches(_URL, entry.value):
        loc = _span_location(source, entry, match.start("port"), match.end("port"))
        port_text = match.group("port")
        if len(port_text.lstrip("0")) > 5 or int(port_text) > MAX_PORT:
            result.problems.append(
                problems.out_of_range(
                    loc,
                    f"port {port_text} in the URL in {entry.key}",
                    anchor=entry.key,
                )
            )
            continue
        host = match.group("host").strip("[]")
        result.bindings.append(
            PortBinding(
                location=loc,
                kind="dotenv",
                owner=owner,
                role="url",
                port=int(port_text),
                text=match.group(),
                key_path=(entry.key,),
                identities=(host,),
                host=host,
                env_key=entry.key,
            )
        )


def _folder_owner(path: str) -> str | None:
    """The app a ``.env`` belongs to: its folder's name (``gearman/defaults.env`` -> gearman).

    None at the top of the tree: a stack-wide ``.env`` names many services,
    and each key's first word is then its owner (``MYSQL_PORT``).
    """
    folder = posixpath.basename(posixpath.dirname(path)).lstrip(".")
    return folder or None


def _url_owner(key: str) -> str:
    """``DATABASE_URL`` -> ``database``: the app that holds the reference."""
    lowered = key.lower()
    for suffix in ("_url", "_uri", "_dsn", "_addr", "_address", "_endpoint"):
        if lowered.endswith(suffix) and len(lowered) > len(suffix):
            return lowered[: -len(suffix)]
    return lowered


def _identities(owner: str) -> tuple[str, ...]:
    dashed = owner.replace("_", "-")
    return (owner,) if dashed == owner else (owner, dashed)
