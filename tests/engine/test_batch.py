"""Cached scanning, and any ``--jobs``, give an uncached run's output, byte for byte.

Scanning runs in this process: a process pool won too little on a 2-core
machine to keep (docs/benchmarks.md, "Parallel scanning").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import TWO_SERVICES_ON_8080, run_cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_jobs_is_accepted_and_nothing_starts_a_process(
    make_project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--jobs`` stays valid (scripts and hooks pass it) and scans in this process."""
    import concurrent.futures
    import multiprocessing

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a helper process was started")

    monkeypatch.setattr(multiprocessing, "get_context", refuse)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    root = make_project({f"s{n}/compose.yaml": TWO_SERVICES_ON_8080 for n in range(4)})
    argv = ["check", "--no-cache", "--no-color", "-q", "."]
    serial = run_cli([*argv, "--jobs", "1"], cwd=root)
    assert serial[0] == 1 and serial[1].count("PL401") == 4
    assert run_cli([*argv, "--jobs", "4"], cwd=root) == serial
    assert run_cli(argv, cwd=root) == serial


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
        starts = [
            line.split(": error PL401")[0]
            for line in serial.splitlines()
            if ": error PL401 " in line
        ]
        for copy in "abc":
            fires = f"{copy}/compose/pl401-fires/compose.yaml"
            assert [s for s in starts if s.startswith(fires)] == [
                f"{fires}:10:18",
                f"{fires}:12:20",
                f"{fires}:21:20",
            ]
    for extra in (["--no-cache", "--jobs", "2"], ["--no-cache", "--jobs", "3"]):
        assert run_cli([*base, *extra, "."], cwd=monorepo) == (0, serial, "")
    # cold (filling the cache), then warm, then warm again
    for extra in (["--jobs", "2"], ["--jobs", "1"], ["--jobs", "2"]):
        assert run_cli([*base, *extra, "."], cwd=monorepo) == (0, serial, "")
