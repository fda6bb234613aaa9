"""The cache encoding: the exact JSON a value becomes, and the shapes refused on the way back.

The scan cache relies on it; tests/engine/test_cache.py
covers what the cache does with a refused entry (a miss), these cover the
encoding itself.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

import pytest

from portlint.bindings import HOST, Location, PortBinding
from portlint.engine import cache
from portlint.engine.codec import Invalid, Unsupported, codec_for
from portlint.findings import Problem, Severity
from portlint.scanners.base import ScanResult


def roundtrip(tp: Any, value: Any) -> Any:
    encode, decode = codec_for(tp)
    return decode(json.loads(json.dumps(encode(value))))


def test_trailing_defaults_are_left_out() -> None:
    encode, decode = codec_for(PortBinding)
    binding = PortBinding(Location("compose.yaml", 5, 10), "compose", "web", "host", 8080)
    assert encode(binding) == [["compose.yaml", 5, 10], "compose", "web", "host", 8080]
    assert decode([["compose.yaml", 5, 10], "compose", "web", "host", 8080]) == binding


def test_a_field_after_defaults_keeps_the_defaults_before_it() -> None:
    encode, _decode = codec_for(Problem)
    problem = Problem("PL101", Location("a.yaml", 1, 2), "bad", severity=Severity.NOTE)
    assert encode(problem) == ["PL101", ["a.yaml", 1, 2], "bad", None, None, "", [], 1]
    assert roundtrip(Problem, problem) == problem


def test_every_binding_field_survives_the_trip() -> None:
    binding = PortBinding(
        Location("deploy/pod.yaml", 11, 21, 11, 25),
        "kubernetes",
        "Pod/agent",
        "host",
        9100,
        end_port=9102,
        protocol="udp",
        host_ip="127.0.0.1",
        target=9100,
        key_path=("spec", "containers", 0, "ports", 0, "hostPort"),
        identities=("agent",),
        origin=Location(".env", 1, 10),
        namespace=HOST,
        port_name="metrics",
        editor_forward=True,
    )
    back = roundtrip(PortBinding, binding)
    assert back == binding
    assert type(back.key_path) is tuple and back.key_path[2] == 0


def test_a_scan_result_gets_fresh_lists() -> None:
    _encode, decode = codec_for(ScanResult)
    first, second = decode([]), decode([])
    assert first == ScanResult()
    assert first.bindings is not second.bindings


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(["a.yaml", "1", 2], id="a string for an int"),
        pytest.param(["a.yaml", True, 2], id="a bool for an int"),
        pytest.param(["a.yaml", 1], id="too short"),
        pytest.param(["a.yaml", 1, 2, 3, 4, 5], id="too long"),
        pytest.param({"path": "a.yaml"}, id="an object"),
        pytest.param(["a.yaml", 1, 2, 1.5], id="a float for an optional int"),
    ],
)
def test_a_wrong_shape_is_invalid(value: Any) -> None:
    _encode, decode = codec_for(Location)
    with pytest.raises(Invalid):
        decode(value)


@pytest.mark.parametrize(
    ("tp", "value"),
    [
        pytest.param(Severity, 7, id="enum value that does not exist"),
        pytest.param(Severity, "1", id="enum value of the wrong type"),
        pytest.param(tuple[str, ...], ["a", 1], id="mixed list"),
        pytest.param(tuple[str, int], ["a", "b"], id="fixed tuple"),
        pytest.param(PortBinding, [["a", 1, 1], "compose", "web", "everywhere", 1], id="literal"),
        pytest.param(PortBinding, [["a", 1, 1], "compose", "web", "host", "80"], id="port text"),
    ],
)
def test_decoders_check_each_type_exactly(tp: Any, value: Any) -> None:
    _encode, decode = codec_for(tp)
    with pytest.raises(Invalid):
        decode(value)


def test_enums_are_their_values() -> None:
    encode, decode = codec_for(Severity)
    assert encode(Severity.ERROR) == 3
    assert decode(2) is Severity.WARNING


@dataclass(frozen=True)
class _WithSet:
    names: set[str] = field(default_factory=set)


@pytest.mark.parametrize("tp", [dict[str, int], _WithSet, int | str | Location])
def test_a_type_it_cannot_check_is_unsupported(tp: Any) -> None:
    with pytest.raises(Unsupported):
        codec_for(tp)


def test_the_binding_fields_are_the_cache_format() -> None:
    """A binding is encoded as its fields in order: changing them changes the cache format.

    Update this list and bump ``cache.FORMAT`` together.
    """
    assert [f.name for f in dataclasses.fields(PortBinding)] == [
        "location", "kind", "owner", "role", "port", "end_port", "protocol", "host_ip",
        "target", "target_end", "text", "key_path", "profiles", "project", "identities",
        "image", "origin", "together", "host", "namespace", "target_namespace", "service",
        "project_dir", "env_files", "env_key", "k8s_object", "container", "container_group",
        "port_name", "ref", "ref_name", "host_os", "editor_forward", "settings", "exposure",
        "loopback",
    ]  # fmt: skip
    assert cache.FORMAT == 7
    encode, _decode = codec_for(PortBinding)
    named = PortBinding(Location("a.env", 1, 9), "dotenv", "db", "url", 5432, host="db")
    assert encode(named) == [
        ["a.env", 1, 9], "dotenv", "db", "url", 5432,
        None, "tcp", None, None, None, "", [], [], None, [], None, None, [], "db",
    ]  # fmt: skip


def test_decoded_strings_are_one_object_each() -> None:
    # JSON gives every occurrence of a string its own object; a cached run keeps
    # every binding, so the decoder hands back one shared copy instead.
    bindings = [
        PortBinding(
            Location("deploy/compose.yaml", line, 9),
            "compose",
            "web",
            "host",
            8080 + line,
            key_path=("services", "web", "ports", line),
        )
        for line in (3, 4)
    ]
    encode, decode = codec_for(ScanResult)
    text = json.dumps(encode(ScanResult(bindings=bindings)))
    first, second = decode(json.loads(text)).bindings
    assert [first, second] == bindings
    assert first.location.path is second.location.path
    assert first.owner is second.owner
    assert first.role is second.role
    assert first.key_path[0] is second.key_path[0]
