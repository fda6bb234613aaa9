"""What a rule is, and the two decorators that make one.

A rule is a generator function plus a record: code, kebab-case name, default
severity, whether it is on by default, options, and a manual taken from the
docstring. Rules never print, read files or touch config; the engine decides
once what is selected, suppressed or baselined.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Generic, Literal, TypeVar, cast

from portlint.bindings import Location, PortBinding
from portlint.config import describe, parse_range
from portlint.errors import ConfigError
from portlint.findings import Applicability, Finding, Fix, Severity
from portlint.registry.allocations import Allocations

Scope = Literal["binding", "project", "scanner"]

_CODE = re.compile(r"PL\d{3}\Z")
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")
HEADINGS = ("## When it fires", "## Why it matters", "## How to fix", "## How to silence")
DOCS_URL = "https://github.com/portlint/portlint/blob/main/docs/rules.md#{anchor}"


T = TypeVar("T")


def coerce_option(type_name: str, value: Any) -> Any:
    """Check and convert a per-rule option value against its declared type.

    Types: ``int``, ``port`` (0-65535), ``bool``, ``str``, ``range``
    (``[lo, hi]`` or ``"lo-hi"``), ``severity`` and ``list[T]`` of any of them.
    Raises ValueError with a message naming what was expected.
    """
    if type_name.startswith("list[") and type_name.endswith("]"):
        inner = type_name[5:-1]
        if not isinstance(value, list):
            raise ValueError(f"must be a list ({type_name}), not {describe(value)}")
        out = []
        for i, item in enumerate(value):
            try:
                out.append(coerce_option(inner, item))
            except ValueError as exc:
                raise ValueError(f"item {i}: {exc}") from None
        return tuple(out)
    if type_name == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError(f"must be true or false, not {describe(value)}")
    if type_name in ("int", "port"):
        if isinstance(value, int) and not isinstance(value, bool):
            if type_name == "port" and not 0 <= value <= 65535:
                raise ValueError(f"must be a port number 0-65535, not {value}")
            return value
        raise ValueError(f"must be an integer, not {describe(value)}")
    if type_name == "str":
        if isinstance(value, str):
            return value
        raise ValueError(f"must be a string, not {describe(value)}")
    if type_name == "range":
        return parse_range(value)
    if type_name == "severity":
        if isinstance(value, str):
            return Severity.parse(value)
        raise ValueError(f"must be error, warning or note, not {describe(value)}")
    raise ValueError(f"has an option type portlint does not know: {type_name!r}")


@dataclass(frozen=True, slots=True)
class Option(Generic[T]):
    """A rule option; its value reaches the rule already parsed, as a ``T``.

    ``type`` names the parser (and is what `portlint rule` and the docs show),
    so a rule reads ``ctx.options["range"]`` as a ``(lo, hi)`` tuple and never
    parses a string from the config file again.
    """

    name: str
    type: str  # "int", "port", "bool", "str", "range", "severity", "list[T]"
    default: T | None
    help: str

    def parse(self, value: Any) -> T:
        """The config file's value as a ``T``; ValueError names what was expected."""
        return cast(T, coerce_option(self.type, value))


@dataclass(frozen=True, slots=True)
class Settings:
    """Run-wide facts rules may consult (read-only)."""

    ephemeral_range: tuple[int, int] = (32768, 60999)
    nodeport_range: tuple[int, int] = (30000, 32767)
    allocations: Allocations | None = None  # the team's ports.toml, when there is one
    whole: Sequence[PortBinding] | None = None
    """Every binding of the run, when a ``by_port`` rule is given only the bindings
    that share ports with a change (``engine.incremental``): what such a rule
    learns from the whole run (which projects run together, which copy of a
    workload is applied, which ports are free) it learns from these."""
    fixable: Callable[[int], bool] | None = None
    """With ``whole``: the ports whose findings this run keeps. A fix for another
    port would be thrown away, so it must not take a free port from one kept."""
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)
    """Facts of the whole run that several rules derive alike (the used ports, the
    shared ``.env`` variables): computed by the first rule that asks, for one run."""

    def derive(
        self,
        name: str,
        bindings: Sequence[PortBinding],
        compute: Callable[[Sequence[PortBinding]], T],
    ) -> T:
        """``compute(bindings)``, once per run for every rule that asks (PL401 and
        PL402 both search free ports), kept while ``bindings`` is the very same list."""
        kept = self.memo.get(name)
        if kept is None or kept[0] is not bindings:
            kept = self.memo[name] = (bindings, compute(bindings))
        return cast(T, kept[1])


@dataclass(frozen=True, slots=True)
class FixInfo:
    """What a rule's fix does, for its manual (`portlint rule`, docs/rules.md)."""

    summary: str  # "quote the entry"
    applicability: Applicability


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    scope: Scope
    summary: str
    explanation: str
    check: Callable[..., Iterator[Finding]] | None
    options: tuple[Option[Any], ...] = ()
    enabled: bool = True  # on by default
    aliases: tuple[str, ...] = ()
    fix: FixInfo | None = None  # the fix its findings may carry (`check --fix`)
    by_port: bool = False
    """A project rule whose finding on a port depends only on the bindings that
    share ports with it, directly or through each other (and on ``Settings.whole``
    for facts of the whole run): a run that changes some ports runs it again
    on those ports' bindings only (``engine.incremental``)."""

    @property
    def url(self) -> str:
        return DOCS_URL.format(anchor=f"{self.code.lower()}-{self.name}")

    def default_options(self) -> Mapping[str, Any]:
        return MappingProxyType({opt.name: opt.default for opt in self.options})

    def parse_options(self, raw: Mapping[str, Any]) -> Mapping[str, Any]:
        """The defaults overlaid with ``raw`` values, each parsed by its :class:`Option`.

        For callers holding TOML-shaped values outside a config file (tests,
        tools); a config file's options are parsed by ``rules.selection``.
        """
        declared = {opt.name: opt for opt in self.options}
        out = dict(self.default_options())
        for name, value in raw.items():
            opt = declared.get(name)
            if opt is None:
                raise ConfigError(f"{self.code} has no option {name!r}")
            try:
                out[name] = opt.parse(value)
            except ValueError as exc:
                raise ConfigError(f"{self.code} option `{name}` {exc}") from None
        return MappingProxyType(out)


@dataclass(frozen=True, slots=True)
class RuleContext:
    rule: Rule
    options: Mapping[str, Any]
    settings: Settings = field(default_factory=Settings)
    severity: Severity | None = None  # configured override of the rule's default

    def finding(
        self,
        where: PortBinding | Location,
        message: str,
        *,
        hint: str | None = None,
        related: Sequence[Location] = (),
        port: int | None = None,
        fix: Fix | None = None,
    ) -> Finding:
        if isinstance(where, PortBinding):
            location = where.location
            anchor = where.anchor
            port = where.port if port is None else port
        else:
            location, anchor = where, ""
        return Finding(
            location=location,
            code=self.rule.code,
            name=self.rule.name,
            severity=self.severity or self.rule.severity,
            message=message,
            hint=hint,
            related=tuple(related),
            port=port,
            anchor=anchor,
            fix=fix,
        )


BindingCheck = Callable[[PortBinding, RuleContext], Iterator[Finding]]
ProjectCheck = Callable[[Sequence[PortBinding], RuleContext], Iterator[Finding]]


def _make(
    func: Callable[..., Any],
    code: str,
    name: str,
    severity: Severity,
    scope: Scope,
    options: Sequence[Option[Any]],
    enabled: bool,
    aliases: Sequence[str],
    fix: FixInfo | None = None,
    by_port: bool = False,
) -> Rule:
    if not _CODE.match(code):
        raise ValueError(f"rule code {code!r} must look like PL123")
    if not _NAME.match(name):
        raise ValueError(f"rule name {name!r} must be kebab-case")
    doc = inspect.cleandoc(func.__doc__ or "")
    summary, _, body = doc.partition("\n")
    missing = [h for h in HEADINGS if h not in body]
    if not summary or missing:
        raise ValueError(f"rule {code} manual lacks a summary or headings {missing}")
    return Rule(
        code=code,
        name=name,
        severity=severity,
        scope=scope,
        summary=summary.strip().rstrip("."),
        explanation=body.strip(),
        check=func if scope != "scanner" else None,
        options=tuple(options),
        enabled=enabled,
        aliases=tuple(aliases),
        fix=fix,
        by_port=by_port,
    )


def binding_rule(
    code: str,
    name: str,
    *,
    severity: Severity,
    options: Sequence[Option[Any]] = (),
    enabled: bool = True,
    aliases: Sequence[str] = (),
    fix: FixInfo | None = None,
) -> Callable[[BindingCheck], Rule]:
    """A check run once per binding."""

    def wrap(func: BindingCheck) -> Rule:
        return _make(func, code, name, severity, "binding", options, enabled, aliases, fix)

    return wrap


def project_rule(
    code: str,
    name: str,
    *,
    severity: Severity,
    options: Sequence[Option[Any]] = (),
    enabled: bool = True,
    aliases: Sequence[str] = (),
    fix: FixInfo | None = None,
    by_port: bool = False,
) -> Callable[[ProjectCheck], Rule]:
    """A check that needs every binding of the run (collisions); ``by_port``: see Rule."""

    def wrap(func: ProjectCheck) -> Rule:
        return _make(func, code, name, severity, "project", options, enabled, aliases, fix, by_port)

    return wrap


def scanner_rule(
    code: str,
    name: str,
    *,
    severity: Severity,
    options: Sequence[Option[Any]] = (),
    enabled: bool = True,
    aliases: Sequence[str] = (),
    fix: FixInfo | None = None,
) -> Callable[[Callable[[], None]], Rule]:
    """A rule whose findings scanners or the engine report while reading files.

    The decorated function is never called; it carries the manual, so the
    catalogue, `portlint rule` and the docs list these rules like any other.
    """

    def wrap(func: Callable[[], None]) -> Rule:
        return _make(func, code, name, severity, "scanner", options, enabled, aliases, fix)

    return wrap
