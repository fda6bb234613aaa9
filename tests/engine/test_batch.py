"""Parallel and cached scanning give a serial run's output, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portlint.engine import batch
from portlint.engine.batch import AUTO_SERIAL_BELOW, worker_count
from tests.conftest import run_cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.mark.parametrize(
    ("jobs", "files", "cpus", "expected"),
    [
        (0, 10, 8, 1),  # automatic: a pre-commit sized run stays in this process
        (0, AUTO_SERIAL_BELOW - 1, 8, 1),
        (0, 10_000, 2, 2),
        (0, 10_000, 64, 8),  # never more than MAX_AUTO_JOBS automatically
        (0, 600, 8, 2),  # each automatic worker gets a few hundred files
        (1, 10_000, 8, 1),  # --jobs 1 is serial
        (4, 10_000, 2, 4),  # an explicit count is obeyed
        (4, 3, 2, 3),  # but never more processes than files
        (4, 1, 2, 1),
    ],
)
def test_worker_count(
    jobs: int, files: int, cpus: int, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("portlint.engine.batch.available_cpus", lambda: cpus)
    assert worker_count(jobs, files) == expected


@pytest.fixture
def monorepo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every fixture folder, three times over: all scanner kinds, broken files included."""
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    for copy in ("a", "b", "c"):
        shutil.copytree(FIXTURES, root / copy, ignore=shutil.ignore_patterns("*.expected"))
    return root


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_jobs_and_cache_give_the_serial_output(monorepo: Path, fmt: str) -> None:
    base = ["check", "--format", fmt, "--no-color", "--exit-zero"]
    code, serial, err = run_cli([*base, "--no-cache", "--jobs", "1", "."], cwd=monorepo)
    assert (code, err) == (0, "")
    if fmt == "text":  # the output is a real one: each copy's collisions, in path order
        starts = [line.split(": PL401")[0] for line in serial.splitlines() if ": PL401 " in line]
        for copy in "abc":
            fires = f"{copy}/compose/pl401-fires/compose.yaml"
            assert [s for s in starts if s.startswith(fires)] == [
                f"{fires}:10:18",
                f"{fires}:12:20",
                f"{fires}:21:20",
            ]
    for extra in (["--no-cache", "--jobs", "2"], ["--no-cache", "--jobs", "3"]):
        assert run_cli([*base, *extra, "."], cwd=monorepo) == (0, serial, "")
    # cold (filling the cache) in parallel, then warm, then warm in parallel
    for extra in (["--jobs", "2"], ["--jobs", "1"], ["--jobs", "2"]):
        assert run_cli([*base, *extra, "."], cwd=monorepo) == (0, serial, "")


@pytest.mark.slow
def test_spawned_helpers_give_the_serial_output(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where helpers are spawned (macOS, Windows), settings travel by pickle."""
    base = ["check", "--format", "json", "--no-color", "--exit-zero", "--no-cache"]
    config = monorepo / ".portlint.toml"
    config.write_text('[per-file-ignores]\n"a/*" = ["PL402"]\n')
    code, serial, err = run_cli([*base, "--jobs", "1", "."], cwd=monorepo)
    assert (code, err) == (0, "")
    monkeypatch.setattr(batch, "START_METHOD", "spawn")
    outcomes: list[bool] = []
    real = batch._parallel

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        scanned = real(*args, **kwargs)
        outcomes.append(scanned is not None)  # None would mean "fell back to serial"
        return scanned

    monkeypatch.setattr(batch, "_parallel", recording)
    assert run_cli([*base, "--jobs", "2", "."], cwd=monorepo) == (0, serial, "")
    assert outcomes == [True]
