"""One builder per validity code, so every scanner words PL101 the same way.

PL101 ("port out of range") used to be built by hand in six scanners, then
here in two spellings (``0-65535`` where the format gives 0 a meaning,
``(1-65535)`` where it does not). It now reads one way everywhere: a port
field holds 0-65535, which is what the scanners accept as a number; IANA
reserves 0, and a format that needs a fixed port (a ``containerPort``) says
so with :func:`zero_is_not_a_port`, not with a second range.
"""

from __future__ import annotations

from portlint.bindings import MAX_PORT, Location
from portlint.findings import Problem

PORT_RANGE = f"0-{MAX_PORT}"
"""The valid range, as every PL101 message spells it."""

HELM_TEMPLATE = "helm-template"
"""The anchor of the PL002 problem for a Helm template: the engine counts these
per run (one line, not one note per template) instead of reporting each."""

HINT = f"ports are {PORT_RANGE}; a fixed port is 1 or more (IANA reserves 0)"


def out_of_range_text(subject: str) -> tuple[str, str]:
    """PL101's message and hint for ``subject`` ("port 70000", "containerPort 70000")."""
    return f"{subject} is out of range {PORT_RANGE}", HINT


def out_of_range(
    location: Location, subject: str, *, anchor: str, port: int | None = None
) -> Problem:
    """PL101 for a number above ``MAX_PORT``."""
    message, hint = out_of_range_text(subject)
    return Problem("PL101", location, message, hint=hint, port=port, anchor=anchor)


def zero_is_not_a_port(location: Location, what: str, *, anchor: str) -> Problem:
    """PL101 for a 0 where the format has no "any port" meaning for it (a containerPort)."""
    return Problem(
        "PL101",
        location,
        f"{what} 0 is not a fixed port: 0 asks for any free one",
        hint=HINT,
        port=0,
        anchor=anchor,
    )
