"""Small facts about bindings that several rule families share."""

from __future__ import annotations

from portlint.bindings import CLAIM_ROLES, PortBinding

MAX_CHECKED_RANGE = 1024
"""Ranges longer than this are judged by their first port only: a 20,000-port
range is a different problem (PL406 or a typo), not 20,000 findings."""


def describe(binding: PortBinding) -> str:
    """How a message names the other party: ``service "api"``, ``container "web"``."""
    if binding.k8s_object is not None:
        if binding.container is not None:
            return f'container "{binding.container}" of {binding.k8s_object}'
        kind, _, name = binding.k8s_object.partition("/")
        return f'{kind} "{name}"' if name else f'object "{binding.owner}"'
    if binding.env_key is not None:
        # the key as written (``DB_PORT``); the owner derived from it (``db``) is
        # for identity matching and names nothing the reader can find
        return f'variable "{binding.env_key}"'
    if binding.service is not None:
        return f'service "{binding.owner}"'
    return f'owner "{binding.owner}"'


def is_engine_picked(binding: PortBinding) -> bool:
    """``"8000-9000:80"``: the engine picks one host port from the range."""
    return (
        binding.role == "host"
        and binding.end_port is not None
        and binding.target is not None
        and binding.target_end is None
    )


def on_shared_machine(binding: PortBinding, *, unknown_too: bool = False) -> bool:
    """Whether a binding listens in the host's namespace, where unrelated programs meet.

    A port inside one container or pod squats on nothing outside it (PL2xx,
    PL3xx) and collides with nothing outside it (PL402); only a published
    port, host networking, a ``hostPort``, a nodePort or a program the files
    show running on the host reach the shared machine. Where the files do
    not say (``unknown``), portlint says less: ``unknown_too`` admits those
    only for the team's own allocation file, which covers every port it lists.
    """
    space = binding.namespace
    if space is None:
        return False
    return space.kind == "host" or (unknown_too and space.kind == "unknown")


def claimed_ports(binding: PortBinding, *, unknown_too: bool = False) -> range:
    """The ports a host, listen or node binding certainly occupies on a shared machine."""
    if (
        binding.role not in CLAIM_ROLES
        or not binding.port  # None, or 0: "any free port", which the engine picks
        or is_engine_picked(binding)
        or not on_shared_machine(binding, unknown_too=unknown_too)
    ):
        return range(0)
    ports = binding.ports()
    return ports if len(ports) <= MAX_CHECKED_RANGE else range(binding.port, binding.port + 1)


def role_label(binding: PortBinding) -> str:
    return {"host": "host port", "listen": "listening port", "node": "nodePort"}.get(
        binding.role, "port"
    )


def where(binding: PortBinding) -> str:
    loc = binding.location
    return f"{loc.path}:{loc.line}:{loc.column}"
