"""Variable interpolation by the compose-spec rules, keeping track of where text came from.

Accepted forms (compose-spec "Interpolation"; shells and Dockerfiles use the
same subset)::

    $$              a literal dollar sign
    $VAR            VAR: [_A-Za-z][_A-Za-z0-9]*
    ${VAR}
    ${VAR:-default} default when VAR is unset or empty
    ${VAR-default}  default when VAR is unset
    ${VAR:?error}   an error when VAR is unset or empty
    ${VAR?error}    an error when VAR is unset
    ${VAR:+alt}     alt when VAR is set and not empty, else empty
    ${VAR+alt}      alt when VAR is set, else empty

Defaults and alternatives may themselves hold ``${...}``. Any other ``$`` is an
invalid template, which makes Compose refuse the file.

A linter has to point at what the user wrote, not at the resolved text, so
the result keeps a map from every resolved character back to the original:
literal text maps one to one, and a substituted value maps to the whole
``${...}`` expression that produced it (plus, when the value came from a
``.env`` file, the location of that value).

Each substituted run also records where its value came from (an env file,
or the environment): a message about the resolved text must not quote a
value from another file, which may be a secret (see ``Interpolated.external``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from portlint.bindings import Location

_NAME = re.compile(r"[_A-Za-z][_A-Za-z0-9]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


@dataclass(frozen=True, slots=True)
class EnvValue:
    """A variable's value and, when it came from a file, where that value is written."""

    value: str
    location: Location | None = None


Variables = Mapping[str, EnvValue]


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of resolved text and the original text it came from (0-based offsets)."""

    start: int  # in the original text
    end: int
    out_start: int  # in the resolved text
    out_end: int
    name: str | None = None  # the variable, when this run was substituted
    origin: Location | None = None  # where the variable's value is defined
    # (variable, where it is defined) when the run holds a value not written in
    # this text: an env file's path, or "the environment"
    external: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A variable that is unset with no default, or a ``?`` error that fired."""

    name: str
    start: int  # the whole ``${...}`` expression in the original text
    end: int
    message: str


@dataclass(slots=True)
class Interpolated:
    text: str
    pieces: list[Piece] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    error: tuple[int, str] | None = None  # (offset, message) of an invalid template
    used: list[tuple[str, str]] = field(default_factory=list)  # every external value, any depth

    def span(self, out_start: int, out_end: int) -> tuple[int, int]:
        """The original text that produced resolved text ``[out_start, out_end)``.

        Literal text maps character by character; anything inside a substituted
        value maps to the whole expression that produced it.
        """
        lo: int | None = None
        hi = 0
        for piece in self.pieces:
            if not (piece.out_start < out_end and out_start < piece.out_end):
                continue
            if piece.name is None and piece.end - piece.start == piece.out_end - piece.out_start:
                start = piece.start + max(out_start, piece.out_start) - piece.out_start
                end = piece.start + min(out_end, piece.out_end) - piece.out_start
            else:
                start, end = piece.start, piece.end
            lo = start if lo is None else min(lo, start)
            hi = max(hi, end)
        return (out_start, out_end) if lo is None else (lo, hi)

    def external(self, out_start: int, out_end: int) -> list[tuple[str, str]]:
        """(variable, where defined) of external values in resolved text ``[out_start, out_end)``.

        A message builder quotes resolved text only when this is empty (or
        names the file being reported): otherwise it names the variable and
        its file, never the value.
        """
        return [
            piece.external
            for piece in self.pieces
            if piece.external is not None
            and piece.out_start < max(out_end, out_start + 1)
            and out_start < piece.out_end
        ]

    def origin(self, out_start: int, out_end: int) -> Location | None:
        """Where the resolved text ``[out_start, out_end)`` was defined, if one variable gave it."""
        for piece in self.pieces:
            if piece.out_start <= out_start and out_end <= piece.out_end and piece.name:
                return piece.origin
        return None


class _Invalid(Exception):
    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


def interpolate(text: str, variables: Variables) -> Interpolated:
    """Resolve ``text``; never raises (invalid templates land in ``error``)."""
    if "$" not in text:  # most values: all literal, one piece (what _expand would build)
        return Interpolated(text, [Piece(0, len(text), 0, len(text))] if text else [])
    result = Interpolated(text="")
    out: list[str] = []
    try:
        _expand(text, 0, len(text), variables, out, result, top=True)
    except _Invalid as exc:
        result.error = (exc.offset, exc.message)
    result.text = "".join(out)
    return result


def resolve_text(text: str, variables: Variables) -> str:
    """``interpolate(text, variables).text``, without building the map back when
    ``text`` holds no ``$`` (image names, environment values: most of what is read)."""
    return text if "$" not in text else interpolate(text, variables).text


def _closing_brace(text: str, start: int, stop: int) -> int:
    """Offset of the ``}`` closing a ``${`` whose body starts at ``start``."""
    depth = 1
    i = start
    while i < stop:
        if text.startswith("${", i):
            depth += 1
            i += 2
            continue
        if text[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise _Invalid(start - 2, f"invalid interpolation: unclosed '${{' in {text!r}")


def _expand(
    text: str,
    start: int,
    stop: int,
    variables: Variables,
    out: list[str],
    result: Interpolated,
    *,
    top: bool,
) -> None:
    """Append the resolution of ``text[start:stop]`` to ``out``.

    Pieces are recorded only at the top level; a nested default belongs to the
    expression that holds it, and its whole value maps to that expression.
    """
    i = start
    literal_start = start
    # The length of what ``out`` holds, kept as it grows: summing it again for
    # every piece made ``$$$$...`` quadratic (10,000 ``$`` took 12 s).
    written = sum(len(s) for s in out)

    def emit(piece: str) -> None:
        nonlocal written
        out.append(piece)
        written += len(piece)

    def flush(upto: int) -> None:
        if upto > literal_start:
            pos = written
            emit(text[literal_start:upto])
            if top:
                result.pieces.append(Piece(literal_start, upto, pos, pos + upto - literal_start))

    while i < stop:
        dollar = text.find("$", i, stop)
        if dollar < 0:
            break
        flush(dollar)
        pos = written
        nxt = text[dollar + 1] if dollar + 1 < stop else ""
        if nxt == "$":
            emit("$")
            if top:
                result.pieces.append(Piece(dollar, dollar + 2, pos, pos + 1))
            i = literal_start = dollar + 2
            continue
        used = len(result.used)
        if nxt == "{":
            close = _closing_brace(text, dollar + 2, stop)
            value, name, origin = _braced(text, dollar, close, variables, result)
            end = close + 1
        else:
            match = _NAME.match(text, dollar + 1, stop)
            if match is None:
                raise _Invalid(dollar, f"invalid interpolation format: {text[dollar:stop]!r}")
            name = match.group()
            end = match.end()
            found = variables.get(name)
            if found is None:
                result.unresolved.append(
                    Unresolved(name, dollar, end, f"variable {name} is not set")
                )
                value, origin = "", None
            else:
                value, origin = found.value, found.location
                result.used.append(_external(name, found))
        emit(value)
        if top:
            external = result.used[used] if len(result.used) > used and value else None
            result.pieces.append(Piece(dollar, end, pos, pos + len(value), name, origin, external))
        i = literal_start = end
    flush(stop)


def _external(name: str, found: EnvValue) -> tuple[str, str]:
    return name, found.location.path if found.location is not None else "the environment"


def _braced(
    text: str, dollar: int, close: int, variables: Variables, result: Interpolated
) -> tuple[str, str, Location | None]:
    """Resolve ``${...}`` spanning ``text[dollar:close + 1]``: (value, name, origin)."""
    body_start = dollar + 2
    match = _NAME.match(text, body_start, close)
    if match is None:
        raise _Invalid(dollar, f"invalid interpolation format: {text[dollar : close + 1]!r}")
    name = match.group()
    rest = match.end()
    found = variables.get(name)
    if rest == close:
        if found is None:
            result.unresolved.append(
                Unresolved(name, dollar, close + 1, f"variable {name} is not set")
            )
            return "", name, None
        result.used.append(_external(name, found))
        return found.value, name, found.location
    op = next((o for o in _OPERATORS if text.startswith(o, rest)), None)
    if op is None:
        raise _Invalid(dollar, f"invalid interpolation format: {text[dollar : close + 1]!r}")
    arg_start = rest + len(op)
    is_set = found is not None
    is_full = found is not None and found.value != ""
    active = is_full if op.startswith(":") else is_set
    kind = op[-1]
    if kind == "-":
        if active and found is not None:
            result.used.append(_external(name, found))
            return found.value, name, found.location
        return _nested(text, arg_start, close, variables, result), name, None
    if kind == "+":
        if active:
            return _nested(text, arg_start, close, variables, result), name, None
        return "", name, None
    # "?": required
    if active and found is not None:
        result.used.append(_external(name, found))
        return found.value, name, found.location
    used = len(result.used)
    detail = _nested(text, arg_start, close, variables, result)
    if len(result.used) > used:  # the message names variables, never their values
        detail = text[arg_start:close]
    why = "empty" if is_set else "not set"
    message = f"required variable {name} is {why}" + (f": {detail}" if detail else "")
    result.unresolved.append(Unresolved(name, dollar, close + 1, message))
    return "", name, None


def _nested(text: str, start: int, stop: int, variables: Variables, result: Interpolated) -> str:
    out: list[str] = []
    inner = Interpolated(text="")
    _expand(text, start, stop, variables, out, inner, top=False)
    # An unset variable inside a default is as unresolved as one outside it,
    # and a value from a file inside it is as external.
    result.unresolved.extend(inner.unresolved)
    result.used.extend(inner.used)
    return "".join(out)
