"""The finished run is a frozen value, complete when the engine returns it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from portlint.config import Config
from portlint.engine.run import run
from portlint.results import RunResult

COMPOSE = 'services:\n  a:\n    ports: ["8080:80"]\n  b:\n    ports: ["8080:81"]\n'


def test_the_run_is_frozen_and_carries_its_fingerprints(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    result = run(["."], Config(), cwd=str(tmp_path))
    assert isinstance(result, RunResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.suppressed = 1  # type: ignore[misc]
    assert [f.code for f in result.findings] == ["PL401"]
    assert set(result.fingerprints) == set(result.findings)
    assert result.rule("PL401") is not None
    assert result.rule("PL401") in result.rules
