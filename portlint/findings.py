"""Findings: what a rule reports, complete at construction."""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from portlint.bindings import Edit, Location, location_key

Applicability = Literal["safe", "unsafe"]
"""``safe``: the file means the same after the fix (quoting, letter case, a dead
comment); ``unsafe``: what runs changes (a new port, a narrower bind), so
``--fix`` alone never applies it (``--unsafe-fixes`` does)."""


class Severity(enum.IntEnum):
    """Ordered, so ``--fail-on`` is a comparison."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r}; use error, warning or note") from None


@dataclass(frozen=True, slots=True)
class Fix:
    """What a finding's rule would change to resolve it: all of its edits, or none."""

    message: str  # imperative, lower-case: "quote the entry"
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"
    # Ports the fix starts to use (a moved claim's new port): two fixes of one pass never
    # take the same one, since each rule picks its ports without knowing the others'.
    claims: tuple[int, ...] = ()


# Positions quoted in messages ("(compose.yaml:4:14)", "first at line 3"):
# a finding without a key path is identified by its message minus these.
_POSITIONS = re.compile(r"(?<=:)\d+:\d+\b|\bline \d+|\bcolumn \d+")


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    location: Location  # first, so findings sort by path, line, column
    code: str  # "PL401"
    name: str  # "duplicate-host-port"
    severity: Severity
    message: str  # lower-case, no trailing period, names the number and the other party
    hint: str | None = None
    related: tuple[Location, ...] = ()  # the other side(s) of a collision
    port: int | None = None
    anchor: str = ""  # key path of the binding; part of the fingerprint, never shown
    # How to resolve it, when the rule knows; not part of the finding's identity or order.
    fix: Fix | None = field(default=None, compare=False)

    def fingerprint(self) -> str:
        """Identity for baselines and SARIF; leaves out line and column on purpose.

        Edits above a finding move it without changing what it is, so the
        fingerprint uses the code, file, port and key path instead, plus the
        paths of related locations.
        """
        related = ",".join(sorted({loc.path for loc in self.related}))
        what = self.anchor or _POSITIONS.sub("#", self.message)
        key = "\x1f".join((self.code, self.location.path, str(self.port), what, related))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Problem:
    """A finding detected while reading or scanning, before rules run.

    Scanners know about syntax errors, bad port specs and unset variables;
    they report them by code, and the engine stamps name and severity from
    the rule table, so the rule catalogue stays the single source of truth.
    """

    code: str
    location: Location
    message: str
    hint: str | None = None
    port: int | None = None
    anchor: str = ""
    related: tuple[Location, ...] = ()
    severity: Severity | None = None  # milder than the rule's default: a template skip, a
    # UTF-16 file that was decoded and scanned
    fix: Fix | None = None


@dataclass(frozen=True, slots=True)
class Directive:
    """An inline suppression comment, as read from a file's text.

    A model value rather than part of the suppression logic, so scanners
    (whose results carry directives through the cache) need not import the
    code that applies them, which reads the rule catalogue.
    """

    location: Location  # where the comment leader sits (1-based)
    scope: Literal["line", "file"]
    line: int  # the line it covers (the file's first line for ignore-file)
    codes: tuple[str, ...]  # rule codes, resolved from codes, names or aliases
    error: str | None = None  # set for a malformed directive (then codes is empty)
    hint: str | None = None
    # Where its text lies, so an unused one can be removed exactly (PL004's fix); not part
    # of what the directive is, so left out of comparisons:
    alone: bool = field(default=False, compare=False)  # nothing but blanks before it
    trim_column: int = field(default=1, compare=False)  # where the blanks before it begin
    end_column: int = field(default=1, compare=False)  # the line's end (its break excluded)
    items: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # (as written, code)
    bracket: tuple[int, int] = field(default=(1, 1), compare=False)  # inside `[...]`, end excl.


def finding_key(finding: Finding) -> tuple[Any, ...]:
    """``Finding``'s own order (its fields, in declaration order) as plain tuples.

    ``sorted(findings, key=finding_key)`` equals ``sorted(findings)``, a few
    times faster: no generated ``__lt__`` per comparison. A test keeps the
    field list here in step with the dataclass.
    """
    f = finding
    related = tuple(location_key(r) for r in f.related) if f.related else ()
    return (
        location_key(f.location),
        f.code,
        f.name,
        f.severity,
        f.message,
        f.hint,
        related,
        f.port,
        f.anchor,
    )
