"""Hand-built bindings and a direct rule runner, for targeted rule tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from portlint.bindings import Location, PortBinding
from portlint.findings import Finding
from portlint.rules.base import Rule, RuleContext, Settings


def bind(
    port: int | None,
    *,
    role: str = "host",
    owner: str = "app",
    path: str = "compose.yaml",
    line: int = 1,
    column: int = 1,
    kind: str = "compose",
    project: str | None = "compose:.",
    **fields: Any,
) -> PortBinding:
    identities = fields.pop("identities", (owner,))
    return PortBinding(
        location=Location(path, line, column),
        kind=kind,
        owner=owner,
        role=role,  # type: ignore[arg-type]
        port=port,
        project=project,
        identities=identities,
        **fields,
    )


def run(
    rule: Rule,
    bindings: Sequence[PortBinding],
    settings: Settings | None = None,
    options: Mapping[str, Any] | None = None,
) -> list[Finding]:
    ctx = RuleContext(rule, rule.parse_options(options or {}), settings or Settings())
    assert rule.check is not None
    if rule.scope == "binding":
        return sorted(f for b in bindings for f in rule.check(b, ctx))
    return sorted(rule.check(bindings, ctx))


def where(finding: Finding) -> tuple[str, int, int]:
    loc = finding.location
    return (loc.path, loc.line, loc.column)
