"""Ports that are free in every sense: what ``portlint suggest`` and the PL401/PL402 fixes pick.

Free means: at least 1024 (rootless engines can bind it), below the dynamic
range and outside the OS ephemeral range, not assigned or reserved by IANA
for any protocol, not the default of any software in the well-known table,
not written anywhere in the repository (any role, any protocol) and not in
the team's allocation file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet

from portlint import registry
from portlint.bindings import PortBinding
from portlint.registry import wellknown
from portlint.registry.allocations import Allocations

DEFAULT_START = 10000
"""Without ``near``, suggestions count up from here: past the crowded low
thousands, far below the ephemeral range."""

MAX_USED_RANGE = 4096


def used_ports(bindings: Sequence[PortBinding]) -> set[int]:
    """Every port some binding uses (ranges up to MAX_USED_RANGE long).

    The ranges are merged before they are expanded, so thousands of bindings
    repeating one range cost what one does: at most 65,536 ports in all.
    """
    spans: list[tuple[int, int]] = []
    for binding in bindings:
        for first, last in (
            (binding.port, binding.last_port),
            (binding.target, binding.target_end),
        ):
            if first is None:
                continue
            end = last if last is not None else first
            if first <= end and end - first <= MAX_USED_RANGE:
                spans.append((first, end))
    used: set[int] = set()
    reach = -1  # every port up to here is already in ``used``
    for first, end in sorted(spans):
        if end > reach:
            used.update(range(max(first, reach + 1), end + 1))
            reach = end
    return used


def used_frozen(bindings: Sequence[PortBinding]) -> frozenset[int]:
    """:func:`used_ports` as a value several rules of one run share (``Settings.derive``)."""
    return frozenset(used_ports(bindings))


def is_free(
    port: int,
    used: AbstractSet[int],
    allocations: Allocations | None,
    ephemeral: tuple[int, int],
) -> bool:
    if port < 1024 or port >= registry.DYNAMIC_MIN:
        return False
    if ephemeral[0] <= port <= ephemeral[1]:
        return False
    if port in used or port in wellknown.load():
        return False
    if allocations is not None and allocations.find_any(port) is not None:
        return False
    return all(e.status == "unassigned" for e in registry.lookup(port))


def _candidates(near: int | None) -> Iterator[int]:
    if near is None:
        yield from range(DEFAULT_START, registry.DYNAMIC_MIN)
        return
    yield near
    for distance in range(1, 65536):
        for port in (near - distance, near + distance):
            if 0 < port < 65536:
                yield port


def suggest(
    count: int,
    near: int | None,
    used: set[int],
    allocations: Allocations | None,
    ephemeral: tuple[int, int],
) -> list[int]:
    """Up to ``count`` free ports, nearest to ``near`` first (ascending from 10000 without)."""
    out: list[int] = []
    for port in _candidates(near):
        if is_free(port, used, allocations, ephemeral):
            out.append(port)
            if len(out) >= count:
                break
    return out
