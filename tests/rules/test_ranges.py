"""PL3xx on hand-built bindings."""

from __future__ import annotations

import pytest

from portlint.errors import ConfigError
from portlint.rules.base import Settings
from portlint.rules.ranges import (
    dynamic_range_port,
    ephemeral_range_port,
    nodeport_out_of_range,
    privileged_port,
)
from tests.rules._helpers import bind, run


def test_dynamic_range() -> None:
    found = run(
        dynamic_range_port,
        [
            bind(55000, line=3),
            bind(49151, line=4),
            bind(49000, end_port=49200, target=49000, target_end=49200, line=5),
            bind(49000, end_port=50000, target=80, line=6),  # engine-picked: not fixed
            bind(60000, role="container", line=7),
        ],
    )
    assert [(f.location.line, f.port) for f in found] == [(3, 55000), (5, 49152)]


def test_dynamic_range_leaves_bad_nodeports_to_pl304() -> None:
    node = bind(50000, role="node", kind="kubernetes")
    assert run(dynamic_range_port, [node]) == []
    wide = Settings(nodeport_range=(30000, 60000))
    assert [f.port for f in run(dynamic_range_port, [node], wide)] == [50000]


def test_ephemeral_range_and_option() -> None:
    bindings = [bind(40000, line=1), bind(50000, line=2), bind(25000, line=3)]
    assert [f.location.line for f in run(ephemeral_range_port, bindings)] == [1]
    found = run(ephemeral_range_port, bindings, options={"range": "20000-30000"})
    assert [(f.location.line, f.message) for f in found] == [
        (3, "host port 25000/tcp is in the ephemeral range 20000-30000")
    ]
    settings = Settings(ephemeral_range=(24000, 26000))
    assert [f.location.line for f in run(ephemeral_range_port, bindings, settings)] == [3]
    with pytest.raises(ConfigError):
        run(ephemeral_range_port, bindings, options={"range": 5})


def test_privileged_port_is_host_only() -> None:
    found = run(privileged_port, [bind(80), bind(80, role="listen"), bind(1024)])
    assert [f.message for f in found] == ["host port 80/tcp is privileged (below 1024)"]


def test_nodeport_range() -> None:
    bindings = [
        bind(8080, role="node", kind="kubernetes", line=12, column=17),
        bind(30080, role="node", kind="kubernetes", line=20, column=17),
    ]
    (finding,) = run(nodeport_out_of_range, bindings)
    assert (finding.location.line, finding.location.column) == (12, 17)
    assert finding.message == "nodePort 8080/tcp is outside the nodePort range 30000-32767"
    assert run(nodeport_out_of_range, bindings, options={"range": [8000, 32767]}) == []


def test_dynamic_range_skips_a_kubernetes_env_port() -> None:
    env_port = bind(
        50051,
        role="listen",
        kind="kubernetes",
        owner="default/Deployment/payment/server",
        project="k8s:default/Deployment/payment",
    )
    assert run(dynamic_range_port, [env_port]) == []
