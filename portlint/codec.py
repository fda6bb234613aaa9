"""Plain-JSON encoding of portlint's frozen value objects, validated on the way back.

The cache and the parallel workers move scan results between processes and
runs. Pickle would be shorter to write, but a cache file sits in a repository
that may be hostile, and unpickling is code execution. JSON cannot execute;
what remains is shape, and every decoder here checks the exact type of every
field, so crafted or corrupt data raises :class:`Invalid` instead of building a
half-valid object that breaks a rule later.

Codecs are compiled once per class from its type hints, so a field added to
``PortBinding`` or ``Problem`` is picked up without touching this module; a
field of a type the codec does not know makes :func:`codec_for` raise
:class:`Unsupported`, and the cache turns itself off rather than guess.
A dataclass is a JSON list of its field values in declaration order, with
trailing fields equal to their defaults left out (most bindings set only a
few), tuples are lists and enums are their values.
"""

from __future__ import annotations

import dataclasses
import enum
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


def _sequence(item: Any, kind: type) -> tuple[Encoder, Decoder]:
    encode_item, decode_item = codec_for(item)
    if encode_item is _identity:
        decode_flat = decode_item

        def decode_plain(value: Any) -> Any:
            if type(value) is not list:
                raise Invalid("expected a list")
            for element in value:
                decode_flat(element)
            return kind(value)

        return list, decode_plain

    def encode(value: Any) -> Any:
        return [encode_item(v) for v in value]

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise Invalid("expected a list")
        return kind(decode_item(v) for v in value)

    return encode, decode


def _fixed_tuple(args: tuple[Any, ...]) -> tuple[Encoder, Decoder]:
    codecs = [codec_for(a) for a in args]

    def encode(value: Any) -> Any:
        return [enc(v) for (enc, _dec), v in zip(codecs, value, strict=True)]

    def decode(value: Any) -> Any:
        if type(value) is not list or len(value) != len(codecs):
            raise Invalid(f"expected a list of {len(codecs)}")
        return tuple(dec(v) for (_enc, dec), v in zip(codecs, value, strict=True))

    return encode, decode


_NO_DEFAULT = object()


def _dataclass(cls: type) -> tuple[Encoder, Decoder]:
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    names = [f.name for f in fields]
    codecs = [codec_for(hints[f.name]) for f in fields]
    defaults: list[Any] = []
    for f in fields:
        if f.default is not dataclasses.MISSING:
            defaults.append(f.default)
        elif f.default_factory is not dataclasses.MISSING:
            defaults.append(f.default_factory())
        else:
            defaults.append(_NO_DEFAULT)
    required = sum(1 for d in defaults if d is _NO_DEFAULT)
    if any(d is _NO_DEFAULT for d in defaults[required:]):
        raise Unsupported(f"{cls.__name__}: a required field follows a defaulted one")
    pairs = list(zip(names, codecs, defaults, strict=True))
    count = len(fields)

    def encode(obj: Any) -> Any:
        out = [enc(getattr(obj, name)) for name, (enc, _dec), _d in pairs]
        n = count
        while n > required:
            default = defaults[n - 1]
            value = getattr(obj, names[n - 1])
            if value != default or type(value) is not type(default):
                break
            n -= 1
        del out[n:]
        return out

    def decode(value: Any) -> Any:
        if type(value) is not list or not required <= len(value) <= count:
            raise Invalid(f"expected a {cls.__name__}")
        args = [dec(v) for (_enc, dec), v in zip(codecs, value, strict=False)]
        try:
            return cls(*args)
        except (TypeError, ValueError) as exc:  # a __post_init__ that refuses the values
            raise Invalid(f"{cls.__name__}: {exc}") from None

    return encode, decode
