"""Text from a repository, made safe to print once, where it enters portlint's model.

A repository may name a service ``"api\\n/etc/passwd:1:1: PL999 forged"`` or
``"\\x1b]8;;https://evil.example\\x1b\\\\"``, and JSON may spell a lone UTF-16
half (``"\\udc80"``). Printed as they are, the first forges a whole report
line, the second drives the reader's terminal, and the third cannot be
encoded at all, so the JSON, SARIF and GitLab reports and ``--write-baseline``
died with UnicodeEncodeError. Every reporter would have to remember all three,
in its own syntax; instead every string a scanner produces passes through
:func:`printable` once (:func:`printable_values`, called by the engine on each
file's scan result), the way displayed file names always have, and every
format then shows the same escaped text.

Only the model's value types are known here (generically, as dataclasses), so
this sits just above the model and anything that shows text may use it.

Escaping is idempotent (the escapes are printable), so applying it again to a
message built from already-escaped names is harmless.
"""

from __future__ import annotations

import dataclasses
import operator
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from portlint.bindings import Edit

if TYPE_CHECKING:
    from portlint.findings import Finding

T = TypeVar("T")

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str, undecodable_bytes: bool) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if undecodable_bytes and 0xDC80 <= code <= 0xDCFF:  # a byte smuggled by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable():
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        else:
            out.append(f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


def printable(text: str) -> str:
    """``text`` on one line, with nothing a terminal or a parser acts on.

    Control characters (C0, C1, DEL), line and paragraph separators, format
    characters (bidi overrides) and lone surrogates are written as Python
    escapes (``\\n``, ``\\x1b``, ``\\u202e``, ``\\udc80``); everything else,
    accented letters and emoji included, is kept.
    """
    return text if text.isprintable() else _escape(text, False)


def printable_path(path: str) -> str:
    """A file name safe to print: as :func:`printable`, but an undecodable byte is ``\\xff``.

    File names are bytes on POSIX; Python hands the ones that are not UTF-8
    over as lone surrogates (``surrogateescape``), so those surrogates stand
    for bytes and are shown as the bytes they were.
    """
    return path if path.isprintable() else _escape(path, True)


# -- whole objects -----------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class _Plan:
    """How to check one dataclass: its plain fields in one ``repr``, then nested dataclasses."""

    flat: Callable[[Any], Any] | None  # attrgetter of the fields that may hold text
    nested: tuple[str, ...]  # fields that may hold a dataclass (a Location, related=(...))


_PLANS: dict[type, _Plan | None] = {}
_NO_TEXT = (int, float, type(None))  # bool and IntEnum (Severity) are ints


def _may_hold(hint: Any, what: type) -> bool:
    """Whether a value of type ``hint`` may be, or contain, a ``what`` (str or a dataclass)."""
    args = typing.get_args(hint)  # unions, tuple[...], Literal["host", ...]
    if args:
        return any(_may_hold(arg, what) for arg in args)
    if what is str:
        return not (isinstance(hint, type) and issubclass(hint, _NO_TEXT))
    return dataclasses.is_dataclass(hint)


def _plan(kind: type) -> _Plan | None:
    if kind not in _PLANS:
        plan = None
        if dataclasses.is_dataclass(kind):
            hints = typing.get_type_hints(kind)
            names = [f.name for f in dataclasses.fields(kind) if f.init]
            nested = tuple(n for n in names if _may_hold(hints[n], object))
            flat = [n for n in names if n not in nested and _may_hold(hints[n], str)]
            plan = _Plan(operator.attrgetter(*flat) if flat else None, nested)
        _PLANS[kind] = plan
    return _PLANS[kind]


def _is_clean(value: Any) -> bool:
    """Whether every string inside ``value`` is printable already: the common, fast case.

    Runs for every binding of every file, so the plain fields go through one
    ``repr``, which runs in C and writes any character that is not printable
    as a backslash escape: a backslash that is not an escaped backslash means
    there may be something to escape (or an escaped quote: the slow path then
    finds nothing, which is only slower). Generic over dataclasses, so a field
    added to PortBinding or Problem later is covered with no change here.
    """
    kind = type(value)
    if kind is str:
        return bool(value.isprintable())
    if kind is Edit:
        return True  # text to write back into its file (``--fix``), never printed as such
    if isinstance(value, (tuple, list)):
        return all(map(_is_clean, value))  # map, not a generator: runs 200k times a run
    plan = _plan(kind)
    if plan is None:
        return True
    if plan.flat is not None:
        text = repr(plan.flat(value))
        if "\\" in text and "\\" in text.replace("\\\\", ""):
            return False
        if not text.isprintable():  # repr keeps non-ASCII printables; never the others
            return False
    for name in plan.nested:
        inner = getattr(value, name)
        if inner is not None and not _is_clean(inner):  # most are None (origin, loopback)
            return False
    return True


def _clean(value: Any) -> Any:
    """``value`` with every string inside it printable; the same object when nothing changed."""
    kind = type(value)
    if kind is str:
        return printable(value)
    if isinstance(value, (tuple, list)):
        items = [_clean(v) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return kind(*items) if hasattr(kind, "_fields") else kind(items)  # a NamedTuple
    if not dataclasses.is_dataclass(value) or isinstance(value, type) or kind is Edit:
        return value
    changes = {}
    for field in dataclasses.fields(value):
        if field.init:
            old = getattr(value, field.name)
            new = _clean(old)
            if new is not old:
                changes[field.name] = new
    return dataclasses.replace(value, **changes) if changes else value


def printable_values(items: list[T]) -> list[T]:
    """``items`` (bindings, problems: dataclasses or strings) with every string printable.

    The model's entry point: the engine passes each file's bindings, problems
    and notes through it, as they come from the file, from files it includes,
    or from the environment. Items with nothing to escape are kept as they are.
    """
    return [item if _is_clean(item) else _clean(item) for item in items]


def printable_finding(finding: Finding) -> Finding:
    """A finding whose message and hint are printable.

    Rules build messages from bindings, which are printable already, but also
    from the allocation file and the config; this covers those too.
    """
    if finding.message.isprintable() and (finding.hint is None or finding.hint.isprintable()):
        return finding
    return dataclasses.replace(
        finding,
        message=printable(finding.message),
        hint=None if finding.hint is None else printable(finding.hint),
    )
