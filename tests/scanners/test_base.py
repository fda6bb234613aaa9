"""ScanResult: what every scanner returns."""

from __future__ import annotations

import copy

from portlint.bindings import Location, Namespace, PortBinding
from portlint.scanners.base import ScanResult


def _binding(port: int) -> PortBinding:
    # Each call builds its own copies of the strings and namespaces, as a scanner does.
    service = "".join(["we", "b"])
    return PortBinding(
        location=Location("compose.yaml", port, 7),
        kind="compose",
        owner=service,
        role="host",
        port=port,
        protocol="".join(["t", "cp"]),
        identities=(service, "".join(["ngi", "nx"])),
        project="".join(["compose:", "api"]),
        project_dir="".join(["ap", "i"]),
        namespace=Namespace("host"),
        target_namespace=Namespace("container", "".join(["compose:./", service])),
    )


def test_compact_shares_equal_values_and_changes_no_binding() -> None:
    result = ScanResult(bindings=[_binding(8080), _binding(8081)])
    before = copy.deepcopy(result.bindings)
    first, second = result.bindings
    assert first.target_namespace is not second.target_namespace

    result.compact()

    assert result.bindings == before
    for name in (
        "owner",
        "protocol",
        "identities",
        "project",
        "project_dir",
        "namespace",
        "target_namespace",
    ):
        assert getattr(first, name) is getattr(second, name), name
