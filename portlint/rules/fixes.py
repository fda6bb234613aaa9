"""Fixes that rules and the engine build from spans the scanners recorded.

Each builder returns exact edits (see :class:`portlint.bindings.Edit`) or
None when the span is not known well enough to edit: a fix portlint is not
sure of is left to the reader, with the hint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from portlint.bindings import Edit, Location, PortBinding
from portlint.findings import Directive, Fix
from portlint.registry.allocations import Allocations
from portlint.registry.free import suggest, used_frozen
from portlint.rules.base import Settings

LOOPBACK = "127.0.0.1"


def unused_suppression_fix(directive: Directive, unused: Sequence[str]) -> Fix | None:
    """PL004: drop the codes that silenced nothing; the whole comment when none is left.

    A comment alone on its line goes with its line (and its line break); one
    after content goes with the blanks before it, so the content is unchanged.
    """
    if not directive.items:
        return None
    path, line = directive.location.path, directive.location.line
    kept = [spelling for spelling, code in directive.items if code not in unused]
    if not kept:
        if directive.alone:
            span = Location(path, line, 1, line + 1, 1)
        else:
            span = Location(path, line, directive.trim_column, line, directive.end_column)
        return Fix("remove the unused suppression comment", (Edit(span, ""),))
    lo, hi = directive.bracket
    return Fix(
        f"remove {', '.join(unused)} from the suppression",
        (Edit(Location(path, line, lo, line, hi), ", ".join(kept)),),
    )


def loopback_fix(binding: PortBinding) -> Fix | None:
    """PL501/PL502: publish the same mapping on 127.0.0.1 (the scanner knows where)."""
    edit = binding.loopback
    if edit is None:
        return None
    return Fix(f"publish it on {LOOPBACK} only", (edit,), "unsafe")


class PortPicker:
    """Free ports for the PL401/PL402 fixes, as `portlint suggest --near PORT` picks them.

    One picker serves one rule run: a port it handed out is taken for the
    next finding, so two moved services do not land on one new port. The
    repository's ports are collected only when the first fix is wanted.
    """

    LIMIT = 100
    """Fixes offered per rule run. Each search walks outward from the port; in a
    crowded repository (thousands of collisions) offering them all would cost
    more than the lint itself. ``--fix`` runs passes, so the next pass offers
    the next ones."""

    def __init__(self, bindings: Sequence[PortBinding], settings: Settings) -> None:
        self._bindings = bindings if settings.whole is None else settings.whole
        self._settings = settings
        self._used: set[int] | None = None
        self._given = 0
        self._shared: Counter[Location] | None = None

    def shared(self, origin: Location) -> bool:
        """Whether more than one claim takes its port from the variable at ``origin``.

        Changing a variable that two services publish moves both of them, and
        the collision with them.
        """
        if self._shared is None:
            self._shared = self._settings.derive("shared", self._bindings, _origins)
        return self._shared[origin] > 1

    @property
    def allocations(self) -> Allocations | None:
        return self._settings.allocations

    def near(self, port: int) -> int | None:
        if self._given >= self.LIMIT:
            return None
        if self._settings.fixable is not None and not self._settings.fixable(port):
            return None
        self._given += 1
        if self._used is None:
            # this picker's own copy: it adds the ports it gives
            self._used = set(self._settings.derive("used", self._bindings, used_frozen))
        found = suggest(
            1, port, self._used, self._settings.allocations, self._settings.ephemeral_range
        )
        if not found:
            return None
        self._used.add(found[0])
        return found[0]


def _origins(bindings: Sequence[PortBinding]) -> Counter[Location]:
    return Counter(b.origin for b in bindings if b.origin is not None)


def new_port_fix(binding: PortBinding, port: int, picker: PortPicker) -> Fix | None:
    """PL401/PL402: move the later claimant to a free port, and claim it where the team does.

    The number is changed where it is written: in the ``.env`` (or other
    file) a compose entry took it from, else in the entry itself. A range,
    or a number written inside a longer value, is left to the reader.
    """
    if binding.port != port or binding.end_port is not None:
        return None
    where = binding.origin if binding.origin is not None else binding.location
    if where.end_line is None or where.end_column is None:
        return None
    if binding.origin is not None and (binding.text.count("$") != 1 or picker.shared(where)):
        return None  # the variable sets more than this port (`${P}:${P}`, a second service)
    new = picker.near(port)
    if new is None:
        return None
    edits = [Edit(where, str(new), expect=str(port))]
    allocations = picker.allocations
    point = allocations.append_point if allocations is not None else None
    if point is not None:
        at = Location(point.path, point.line, point.column, point.line, point.column)
        edits.append(Edit(at, point.claim(new, binding.protocol, binding.owner)))
    return Fix(f"move it to port {new}", tuple(edits), "unsafe", claims=(new,))
