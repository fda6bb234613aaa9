"""The rule catalogue: every rule of every family, by code and by name.

Families are listed literally, in code order. Codes are never reused; a
renamed rule keeps its old name or code in ``aliases``.
"""

from __future__ import annotations

from portlint.rules import collisions, exposure, host, meta, ranges, registry, validity
from portlint.rules.base import Rule

FAMILIES = (meta, validity, registry, ranges, collisions, exposure, host)

ALL_RULES: tuple[Rule, ...] = tuple(
    sorted((rule for family in FAMILIES for rule in family.RULES), key=lambda r: r.code)
)


def _index() -> dict[str, Rule]:
    index: dict[str, Rule] = {}
    for rule in ALL_RULES:
        for key in (rule.code, rule.name, *rule.aliases):
            if key in index:
                raise RuntimeError(f"rule identifier {key!r} is used twice")
            index[key] = rule
    return index


BY_KEY: dict[str, Rule] = _index()
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in ALL_RULES}


def get(key: str) -> Rule | None:
    """A rule by code (any case), name or alias."""
    return BY_KEY.get(key) or BY_KEY.get(key.upper())
