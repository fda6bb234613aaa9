"""libyaml's C loader and PyYAML's pure one give the same scan, file for file.

portlint uses ``CSafeLoader`` when PyYAML was built with libyaml and falls
back to ``SafeLoader``; both must read every fixture into the same bindings,
problems and directives, or a user's findings would depend on how their
PyYAML was installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portlint.config import Config
from portlint.discovery import discover
from portlint.engine import scan as engine
from portlint.scanners import _yaml

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
YAML_FILES = sorted(
    p.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.rglob("*")
    if p.suffix in (".yaml", ".yml") and p.is_file()
)


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize("rel", YAML_FILES)
def test_c_and_pure_loaders_agree(rel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    config = Config()
    cwd = str(FIXTURES)
    (candidate,) = discover([rel], config, cwd)
    ctx = engine.make_scan_context(config, cwd)
    monkeypatch.setattr(_yaml, "LOADER", yaml.CSafeLoader)
    fast = engine.scan_file(candidate, config, ctx)
    monkeypatch.setattr(_yaml, "LOADER", yaml.SafeLoader)
    pure = engine.scan_file(candidate, config, ctx)
    assert fast.bindings == pure.bindings
    assert fast.directives == pure.directives
    assert [(p.code, p.location) for p in fast.problems] == [
        (p.code, p.location) for p in pure.problems
    ]


@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
def test_both_loaders_find_the_collision_fixture_ports(
    loader: type[yaml.SafeLoader], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison above is not vacuous: a fixture with ports, read by each loader."""
    config = Config()
    cwd = str(FIXTURES / "compose" / "pl401-fires")
    (candidate,) = discover(["compose.yaml"], config, cwd)
    monkeypatch.setattr(_yaml, "LOADER", loader)
    result = engine.scan_file(candidate, config, engine.make_scan_context(config, cwd))
    hosts = [
        (b.port, b.location.line, b.location.column) for b in result.bindings if b.role == "host"
    ]
    assert hosts[:4] == [(80, 5, 10), (443, 6, 10), (80, 10, 18), (443, 12, 20)]
