"""Golden inventories: every binding of a fixture, one line each, in file order.

Format (``-`` for an absent field)::

    LINE:COL-ENDCOL KIND ROLE OWNER PORT[-END]/PROTO ip=HOST_IP target=T[-END]
        project=P @KEY.PATH {detail}        (all on one line)

``detail`` holds the typed fields a line would otherwise not show, when set:
``ref`` (what a reference points with), ``name`` (the port's own name),
``port_name`` (the name a reference names) and ``host`` (the host written with
the port). The facts every k8s binding repeats from its owner (object,
container, group) are left out; the scanner tests assert those directly.
"""

from __future__ import annotations

from collections.abc import Iterable

from portlint.bindings import PortBinding


def render(binding: PortBinding) -> str:
    loc = binding.location
    span = f"{loc.line}:{loc.column}-{loc.end_column if loc.end_line == loc.line else '?'}"
    port = "-" if binding.port is None else str(binding.port)
    if binding.end_port is not None:
        port += f"-{binding.end_port}"
    target = "-" if binding.target is None else str(binding.target)
    if binding.target_end is not None:
        target += f"-{binding.target_end}"
    shown = (
        ("ref", binding.ref),
        ("name", binding.port_name),
        ("port_name", binding.ref_name),
        ("host", binding.host),
    )
    detail = ",".join(f"{k}={v}" for k, v in shown if v is not None)
    return (
        f"{span} {binding.kind} {binding.role} {binding.owner} {port}/{binding.protocol}"
        f" ip={binding.host_ip or '-'} target={target} project={binding.project or '-'}"
        f" @{binding.anchor} {{{detail}}}"
    )


def render_all(bindings: Iterable[PortBinding]) -> list[str]:
    ordered = sorted(bindings, key=lambda b: (b.location, b.role, b.anchor))
    return [render(b) for b in ordered]
