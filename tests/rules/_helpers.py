"""Hand-built bindings and a direct rule runner, for targeted rule tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from portlint.bindings import HOST, Location, Namespace, PortBinding, namespace_for_role
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
    for name, value in _typed_facts(kind, role, owner, project, port, fields).items():
        fields.setdefault(name, value)
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


def _typed_facts(
    kind: str, role: str, owner: str, project: str | None, port: int | None, fields: Any
) -> dict[str, Any]:
    """The typed facts the scanner named ``kind`` sets on such a binding (see bindings.py)."""
    if kind == "compose":
        inner = Namespace("container", f"{project}/{owner}")
        folder = project.partition(":")[2] if project and project.startswith("compose:") else None
        return {
            "service": owner,
            "project_dir": folder or None,
            "namespace": HOST if role == "host" else inner,
            "target_namespace": inner
            if role == "host" and fields.get("target") is not None
            else None,
        }
    if kind == "dotenv":
        key_path = fields.get("key_path", ())
        key = key_path[0] if key_path and isinstance(key_path[0], str) else owner
        return {"env_key": key, "namespace": namespace_for_role(role)}  # type: ignore[arg-type]
    if kind == "kubernetes":
        if role in ("host", "node"):
            namespace: Namespace | None = HOST
        elif role == "url" or port is None:
            namespace = None
        else:
            namespace = Namespace("cluster-service" if role == "service" else "pod", project or "")
        return {"k8s_object": "", "namespace": namespace}
    return {"namespace": namespace_for_role(role)}  # type: ignore[arg-type]


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
