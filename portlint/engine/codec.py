"""Plain-JSON encoding of portlint's frozen value objects, validated on the way back.

The cache moves scan results between runs. Pickle would be shorter to write,
but a cache file sits in a repository that may be hostile, and unpickling is
code execution. JSON cannot execute;
what remains is shape, and every decoder here checks the exact type of every
field, so crafted or corrupt data raises :class:`Invalid` instead of building a
half-valid object that breaks a rule later.

Codecs are compiled once per class from its type hints, so a field added to
``PortBinding`` or ``Problem`` is picked up without touching this module; a
field of a type the codec does not know makes :func:`codec_for` raise
:class:`Unsupported`, and the cache turns itself off rather than guess.
A dataclass is a JSON list of its field values in declaration order, with
trailing fields equal to their defaults left out (most bindings set only a
few), tuples are lists and enums are their values. Decoded strings are interned:
JSON gives each occurrence its own object (a file's path in every location,
``compose`` and ``tcp`` in every binding), and a run keeps every binding.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, Literal, Union, get_args, get_origin

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


class Invalid(ValueError):
    """Data that does not have the shape of the class it claims to be."""


class Unsupported(TypeError):
    """A field type the codec cannot encode safely."""


_PRIMITIVES = (str, int, bool, float)
_CACHE: dict[Any, tuple[Encoder, Decoder]] = {}


def codec_for(tp: Any) -> tuple[Encoder, Decoder]:
    """(encode, decode) for a type: a dataclass, a primitive, or a container of them."""
    found = _CACHE.get(tp)
    if found is None:
        found = _build(tp)
        _CACHE[tp] = found
    return found


def _identity(value: Any) -> Any:
    return value


def _shared(value: Any) -> Any:
    """A decoded string as the one interned copy: JSON makes a new object per occurrence."""
    return sys.intern(value) if type(value) is str else value


def _build(tp: Any) -> tuple[Encoder, Decoder]:
    if tp is type(None) or tp is None:
        return _identity, _exact(type(None))
    if tp in _PRIMITIVES:
        return _identity, _exact(tp)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return _enum(tp)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _dataclass(tp)
    origin, args = get_origin(tp), get_args(tp)
    if origin is Literal:
        return _literal(args)
    if origin is Union or origin is types.UnionType:
        return _union(args)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return _sequence(args[0], tuple)
        return _fixed_tuple(args)
    if origin is list:
        return _sequence(args[0], list)
    raise Unsupported(f"no JSON codec for {tp!r}")


def _exact(expected: type) -> Decoder:
    def decode(value: Any) -> Any:
        if type(value) is not expected:
            raise Invalid(f"expected {expected.__name__}, got {type(value).__name__}")
        return value

    return decode


def _enum(cls: type[enum.Enum]) -> tuple[Encoder, Decoder]:
    members = {m.value: m for m in cls}

    def decode(value: Any) -> Any:
        if type(value) not in (int, str) or value not in members:
            raise Invalid(f"not a {cls.__name__}: {value!r}")
        return members[value]

    return (lambda member: member.value), decode


def _literal(allowed: tuple[Any, ...]) -> tuple[Encoder, Decoder]:
    values = frozenset(allowed)

    def decode(value: Any) -> Any:
        if type(value) is not str or value not in values:
            raise Invalid(f"not one of {sorted(values)}: {value!r}")
        return value

    return _identity, decode


def _union(args: tuple[Any, ...]) -> tuple[Encoder, Decoder]:
    members = [a for a in args if a is not type(None)]
    optional = len(members) < len(args)
    if all(m in _PRIMITIVES for m in members):
        kinds = frozenset(members) | ({type(None)} if optional else set())

        def decode_primitive(value: Any) -> Any:
            if type(value) not in kinds:
                raise Invalid(f"unexpected {type(value).__name__}")
            return value

        return _identity, decode_primitive
    if len(members) != 1 or not optional:
        raise Unsupported(f"no JSON codec for a union of {args!r}")
    encode_one, decode_one = codec_for(members[0])

    def encode(value: Any) -> Any:
        return None if value is None else encode_one(value)

    def decode(value: Any) -> Any:
        return None if value is None else decode_one(value)

    return encode, decode


def _primitive_kinds(tp: Any) -> frozenset[type] | None:
    """The exact JSON types a primitive (or union of primitives) may take, else None."""
    if tp in _PRIMITIVES or tp is type(None):
        return frozenset({tp})
    origin, args = get_origin(tp), get_args(tp)
    if (origin is Union or origin is types.UnionType) and all(
        a in _PRIMITIVES or a is type(None) for a in args
    ):
        return frozenset(args)
    return None


def _sequence(item: Any, kind: type) -> tuple[Encoder, Decoder]:
    encode_item, decode_item = codec_for(item)
    kinds = _primitive_kinds(item)
    if kinds is not None:  # the common case (key paths, names): type checks in C
        texts = str in kinds

        def decode_primitives(value: Any) -> Any:
            if type(value) is not list or not kinds.issuperset(map(type, value)):
                raise Invalid("expected a list of " + "/".join(k.__name__ for k in kinds))
            return kind(map(_shared, value)) if texts else kind(value)

        return list, decode_primitives
    if encode_item is _identity:

        def decode_plain(value: Any) -> Any:
            if type(value) is not list:
                raise Invalid("expected a list")
            for element in value:
                decode_item(element)
            return kind(value)

        return list, decode_plain

    def encode(value: Any) -> Any:
        return [encode_item(v) for v in value]

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise Invalid("expected a list")
        out = [decode_item(v) for v in value]
        return out if kind is list else kind(out)

    return encode, decode


def _fixed_tuple(args: tuple[Any, ...]) -> tuple[Encoder, Decoder]:
    codecs = [codec_for(a) for a in args]
    count = len(codecs)
    kinds = [_primitive_kinds(a) for a in args]
    if all(k is not None and len(k) == 1 for k in kinds):
        expected = tuple(next(iter(k)) for k in kinds if k is not None)

        def decode_primitives(value: Any) -> Any:
            if type(value) is not list or tuple(map(type, value)) != expected:
                raise Invalid(f"expected a list of {count}")
            return tuple(value)

        return list, decode_primitives

    def encode(value: Any) -> Any:
        return [enc(v) for (enc, _dec), v in zip(codecs, value, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != count:
            raise Invalid(f"expected a list of {count}")
        return tuple(dec(v) for (_enc, dec), v in zip(codecs, value, strict=True))

    return encode, decode


_NO_DEFAULT = object()


def _dataclass(cls: type) -> tuple[Encoder, Decoder]:
    """Straight-line encode/decode functions generated for one dataclass.

    A dataclass decode runs once per binding of a cached run (tens of
    thousands), so it is generated like ``dataclasses`` generates ``__init__``:
    one function with each field's check inline, instead of a loop over
    per-field closures.
    The generated source depends only on the class's own fields, never on
    the data being decoded.
    """
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    defaults: list[Any] = []
    for f in fields:
        if f.default is not dataclasses.MISSING:
            defaults.append(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            defaults.append(f.default_factory)  # called per object: may be mutable
        else:
            defaults.append(_NO_DEFAULT)
    required = sum(1 for d in defaults if d is _NO_DEFAULT)
    if any(d is _NO_DEFAULT for d in defaults[required:]):
        raise Unsupported(f"{cls.__name__}: a required field follows a defaulted one")
    env: dict[str, Any] = {"Invalid": Invalid, "CLS": cls, "list": list, "type": type}
    enc_lines = ["def encode(o):", "    out = ["]
    dec_lines = [
        "def decode(v):",
        "    if type(v) is not list:",
        f"        raise Invalid('expected a {cls.__name__}')",
        "    n = len(v)",
        f"    if n < {required} or n > {len(fields)}:",
        f"        raise Invalid('expected a {cls.__name__}')",
    ]
    encoded_defaults: list[Any] = []
    for i, f in enumerate(fields):
        tp = hints[f.name]
        encode_one, decode_one = codec_for(tp)
        env[f"E{i}"], env[f"D{i}"] = encode_one, decode_one
        plain = encode_one is _identity
        enc_lines.append(f"        o.{f.name}," if plain else f"        E{i}(o.{f.name}),")
        check = _inline_check(tp, f"x{i}", env, i)
        body = check or [f"x{i} = D{i}(x{i})"]
        if i < required:
            dec_lines.append(f"    x{i} = v[{i}]")
            dec_lines += ["    " + line for line in body]
        else:
            default = defaults[i]
            factory = default is not _NO_DEFAULT and f.default is dataclasses.MISSING
            env[f"F{i}"] = default
            dec_lines.append(f"    if n > {i}:")
            dec_lines.append(f"        x{i} = v[{i}]")
            dec_lines += ["        " + line for line in body]
            dec_lines.append("    else:")
            dec_lines.append(f"        x{i} = F{i}()" if factory else f"        x{i} = F{i}")
            value = default() if factory else default
            encoded_defaults.append((i, encode_one(value)))
    enc_lines.append("    ]")
    env["TRIM"] = tuple(reversed(encoded_defaults))
    enc_lines += [
        "    for i, d in TRIM:",
        "        last = out[i]",
        "        if last != d or type(last) is not type(d):",
        "            break",
        "        del out[i]",
        "    return out",
    ]
    args = ", ".join(f"x{i}" for i in range(len(fields)))
    dec_lines += [
        "    try:",
        f"        return CLS({args})",
        "    except (TypeError, ValueError) as exc:  # a __post_init__ that refuses them",
        "        raise Invalid(str(exc)) from None",
    ]
    namespace: dict[str, Any] = {}
    exec("\n".join(enc_lines) + "\n\n" + "\n".join(dec_lines), env, namespace)
    return namespace["encode"], namespace["decode"]


def _inline_check(tp: Any, name: str, env: dict[str, Any], i: int) -> list[str] | None:
    """Source lines that check a simple field in place (None: call its decoder)."""
    env["INTERN"] = sys.intern
    if tp in _PRIMITIVES:
        env[f"T{i}"] = tp
        check = [f"if type({name}) is not T{i}:", "    raise Invalid('unexpected type')"]
        return check + ([f"{name} = INTERN({name})"] if tp is str else [])
    origin, args = get_origin(tp), get_args(tp)
    if (origin is Union or origin is types.UnionType) and all(
        a in _PRIMITIVES or a is type(None) for a in args
    ):
        env[f"K{i}"] = frozenset(args)
        check = [f"if type({name}) not in K{i}:", "    raise Invalid('unexpected type')"]
        if str in args:
            check += [f"if type({name}) is str:", f"    {name} = INTERN({name})"]
        return check
    if origin is Literal:
        env[f"L{i}"] = {a: a for a in args}  # the value itself: one object per word
        return [
            f"if type({name}) is not str or {name} not in L{i}:",
            "    raise Invalid('unexpected value')",
            f"{name} = L{i}[{name}]",
        ]
    return None
