"""Golden inventories: every binding of a fixture, one line each, in file order.

Format (``-`` for an absent field)::

    LINE:COL-ENDCOL KIND ROLE OWNER PORT[-END]/PROTO ip=HOST_IP target=T[-END]
        project=P @KEY.PATH {extra}        (all on one line)

``extra`` leaves out the facts every k8s binding repeats from its owner
(namespace, object, container, group, labels, selector, Service type); the
scanner tests assert those directly.
"""

from __future__ import annotations

from collections.abc import Iterable

from portlint.bindings import PortBinding

REPEATED = frozenset(
    {"namespace", "object", "container", "container_group", "labels", "selector", "type"}
)


def render(binding: PortBinding) -> str:
    loc = binding.location
    span = f"{loc.line}:{loc.column}-{loc.end_column if loc.end_line == loc.line else '?'}"
    port = "-" if binding.port is None else str(binding.port)
    if binding.end_port is not None:
        port += f"-{binding.end_port}"
    target = "-" if binding.target is None else str(binding.target)
    if binding.target_end is not None:
        target += f"-{binding.target_end}"
    extra = ",".join(f"{k}={v}" for k, v in binding.extra if k not in REPEATED)
    return (
        f"{span} {binding.kind} {binding.role} {binding.owner} {port}/{binding.protocol}"
        f" ip={binding.host_ip or '-'} target={target} project={binding.project or '-'}"
        f" @{binding.anchor} {{{extra}}}"
    )


def render_all(bindings: Iterable[PortBinding]) -> list[str]:
    ordered = sorted(bindings, key=lambda b: (b.location, b.role, b.anchor))
    return [render(b) for b in ordered]
