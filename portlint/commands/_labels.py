"""How the port tables and the port map write a binding's namespace and port range.

Shared by ``portlint ports`` (:mod:`portlint.commands.ports`) and its picture
formats (:mod:`portlint.commands._portmap`), so both say the same thing.
"""

from __future__ import annotations

from portlint.bindings import PortBinding


def namespace_label(b: PortBinding) -> str:
    """The namespace as the table shows it: ``host``, ``pod web``, ``unknown``, ``-``."""
    if b.namespace is None:
        return "-"
    space = b.namespace
    if space.kind in ("host", "unknown") or not space.id:
        return space.kind
    return f"{space.kind} {space.id.split(':', 1)[-1]}"


def port_range(start: int | None, end: int | None) -> str:
    if start is None:
        return "-"
    return f"{start}-{end}" if end is not None and end != start else str(start)
