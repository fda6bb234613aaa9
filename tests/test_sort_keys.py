"""The plain-tuple sort keys give exactly the dataclasses' own order."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from portlint.bindings import Location, location_key
from portlint.findings import Finding, Severity, finding_key

locations = st.builds(
    Location,
    path=st.sampled_from(["compose.yaml", "a/.env", "a/compose.yaml", "k8s/pod.yaml"]),
    line=st.integers(1, 4),
    column=st.integers(1, 3),
    end_line=st.integers(1, 4),
    end_column=st.integers(1, 9),
)
findings = st.builds(
    Finding,
    location=locations,
    code=st.sampled_from(["PL401", "PL402", "PL201"]),
    name=st.sampled_from(["duplicate-host-port", "repository-port-conflict"]),
    severity=st.sampled_from(list(Severity)),
    message=st.sampled_from(["host port 80/tcp", "host port 8080/tcp"]),
    hint=st.sampled_from(["pick another", "bind elsewhere"]),
    related=st.lists(locations, max_size=2).map(tuple),
    port=st.integers(80, 82),
    anchor=st.sampled_from(["", "services.web.ports[0]"]),
)


@settings(max_examples=60)
@given(st.lists(findings, max_size=30), st.randoms())
def test_finding_key_sorts_like_the_dataclass(items: list[Finding], rng: random.Random) -> None:
    rng.shuffle(items)
    assert sorted(items, key=finding_key) == sorted(items)


@settings(max_examples=60)
@given(st.lists(locations, max_size=30))
def test_location_key_sorts_like_the_dataclass(items: list[Location]) -> None:
    assert sorted(items, key=location_key) == sorted(items)


def test_finding_key_covers_every_field_in_order() -> None:
    """finding_key spells the fields out; a new field must be added there too."""
    import dataclasses

    names = [f.name for f in dataclasses.fields(Finding) if f.compare]
    assert names == [
        "location", "code", "name", "severity", "message", "hint", "related", "port", "anchor"
    ]  # fmt: skip
