"""Fixes that rules and the engine build from spans the scanners recorded.

Each builder returns exact edits (see :class:`portlint.bindings.Edit`) or
None when the span is not known well enough to edit: a fix portlint is not
sure of is left to the reader, with the hint.
"""

from __future__ import annotations

from collections.abc import Sequence

from portlint.bindings import Edit, Location, PortBinding
from portlint.findings import Directive, Fix

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
