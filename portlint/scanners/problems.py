"""One builder per validity code, so every scanner words PL101 the same way.

PL101 ("port out of range") used to be built by hand in six scanners. The
wording still comes in two spellings, chosen by the scanner's own format:
where 0 is a valid port (Compose specs, ``.env`` values) the range reads
``0-65535`` with the hint "ports are 0-65535"; where 0 means "no port"
(Kubernetes, devcontainers, config keys, package scripts) it reads
``(1-65535)`` with "use a port between 1 and 65535". The goldens pin both;
issue 13 unifies them, here, in one place.
"""

from __future__ import annotations

from portlint.bindings import MAX_PORT, Location
from portlint.findings import Problem


def port_range(*, zero_allowed: bool) -> str:
    """The valid range as the PL101 message spells it."""
    return f"0-{MAX_PORT}" if zero_allowed else f"(1-{MAX_PORT})"


def out_of_range_text(subject: str, *, zero_allowed: bool) -> tuple[str, str]:
    """PL101's message and hint for ``subject`` ("port 70000", "containerPort 70000")."""
    if zero_allowed:
        return (
            f"{subject} is out of range {port_range(zero_allowed=True)}",
            f"ports are 0-{MAX_PORT}",
        )
    return (
        f"{subject} is out of range {port_range(zero_allowed=False)}",
        f"use a port between 1 and {MAX_PORT}",
    )


def out_of_range(
    location: Location,
    subject: str,
    *,
    zero_allowed: bool,
    anchor: str,
    port: int | None = None,
    hinted: bool = True,
) -> Problem:
    """PL101 for a number above ``MAX_PORT`` (``hinted=False``: the two places that gave none)."""
    message, hint = out_of_range_text(subject, zero_allowed=zero_allowed)
    return Problem(
        "PL101", location, message, hint=hint if hinted else None, port=port, anchor=anchor
    )


def zero_is_not_a_port(location: Location, what: str, *, anchor: str) -> Problem:
    """PL101 for a 0 where the format has no "any port" meaning for it (a containerPort)."""
    return Problem(
        "PL101",
        location,
        f"{what} 0 is not a port {port_range(zero_allowed=False)}",
        port=0,
        anchor=anchor,
    )
