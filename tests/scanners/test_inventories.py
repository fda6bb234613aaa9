"""Every ``<fixture>.inventory`` golden: the exact bindings the engine finds in it.

The fixture is run through the whole engine (discovery, scanner table, content
dispatch), from the folder of its case, so paths and owners are what a user
sees. Set ``PORTLINT_UPDATE_GOLDENS=1`` to rewrite the goldens, then review
the diff by hand: a golden nobody read proves nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portlint.config import Config
from portlint.engine.run import run
from tests.conftest import FIXTURES
from tests.scanners.inventory import render_all

GOLDENS = sorted(
    g
    for kind in ("kubernetes", "helm", "yaml", "toml", "json")
    for g in (FIXTURES / kind).rglob("*.inventory")
)


def _target(golden: Path) -> Path:
    return golden.with_name(golden.name[: -len(".inventory")])


def _case_root(target: Path) -> Path:
    """The case folder: the first folder below ``fixtures/<kind>/``."""
    rel = target.relative_to(FIXTURES)
    return FIXTURES / rel.parts[0] / rel.parts[1]


@pytest.mark.parametrize(
    "golden", GOLDENS, ids=[str(_target(g).relative_to(FIXTURES)) for g in GOLDENS]
)
def test_inventory_matches_golden(golden: Path) -> None:
    target = _target(golden)
    root = _case_root(target)
    config = Config(project_context=False)  # this file only, not its neighbours
    result = run([str(target.relative_to(root))], config, cwd=str(root))
    got = render_all(result.bindings)
    if os.environ.get("PORTLINT_UPDATE_GOLDENS"):
        golden.write_text("".join(line + "\n" for line in got), encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8").splitlines()


def test_every_fixture_has_an_inventory() -> None:
    for kind in ("kubernetes", "helm", "yaml", "toml", "json"):
        for path in (FIXTURES / kind).rglob("*"):
            if path.is_file() and path.suffix in (".yaml", ".yml", ".toml", ".json"):
                if "templates" in path.parts or "broken" in path.parts:
                    continue
                assert path.with_name(path.name + ".inventory").exists(), path
