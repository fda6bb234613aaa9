"""Whole-run reuse: an unchanged run is not recomputed, and any changed input is seen."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portlint.engine import batch, reuse, run
from portlint.engine.reuse import canonical
from tests.conftest import run_cli

FILES = {
    "pyproject.toml": '[tool.portlint]\nbaseline = "baseline.json"\n',
    "baseline.json": '{"version": 1, "findings": []}\n',
    "app/docker-compose.yml": 'services:\n  web:\n    ports: ["${WEB_PORT}:80"]\n'
    '  api:\n    ports: ["8080:80"]\n',
    "app/.env": "WEB_PORT=8080\n",
    "ports.toml": '[[allocation]]\nport = 9000\nservice = "web"\n',
}


@pytest.fixture
def project(
    make_project: Callable[[dict[str, str]], Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[int]]:
    """The project and a counter of runs that scanned (did not reuse)."""
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    root = make_project(FILES)
    scans: list[int] = []
    real = batch.scan_lazy

    def counting(*args: Any, **kwargs: Any) -> Any:
        scans.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(run, "scan_lazy", counting)
    return root, scans


def check(root: Path) -> tuple[int, str, str]:
    return run_cli(["check", "--format", "json", "."], cwd=root)


def test_nothing_changed_nothing_scanned(project: tuple[Path, list[int]]) -> None:
    root, scans = project
    first = check(root)
    assert '"PL401"' in first[1]
    assert check(root) == first
    assert len(scans) == 1


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("app/.env", "WEB_PORT=9090\n"),  # a file a scanner read beside the compose file
        ("app/docker-compose.yml", 'services:\n  web:\n    ports: ["8080:80"]\n'),
        ("ports.toml", '[[allocation]]\nport = 8080\nservice = "web"\n'),
        ("baseline.json", ""),  # rewritten below by --write-baseline
        ("pyproject.toml", '[tool.portlint]\nignore = ["PL401"]\n'),
        ("app/new.env", "OTHER_PORT=8080\n"),  # a new file
    ],
)
def test_a_changed_input_is_seen(project: tuple[Path, list[int]], path: str, text: str) -> None:
    root, scans = project
    check(root)
    if path == "baseline.json":
        run_cli(["check", "--write-baseline", "."], cwd=root)
    else:
        target = root / path
        stat = target.stat() if target.exists() else None
        target.write_text(text, encoding="utf-8")
        if stat is not None:  # the old mtime back: only ctime and content tell
            os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    scans.clear()
    changed = check(root)
    assert scans == [1]
    assert changed == run_cli(["check", "--format", "json", "--no-cache", "."], cwd=root)


def test_settings_are_canonical_whatever_the_set_order() -> None:
    assert canonical({"b": frozenset({"y", "x"}), "a": (1, 2)}) == [
        ["a", [1, 2]],
        ["b", ["x", "y"]],
    ]


PROJECT_FILES = {
    "pyproject.toml": "[tool.portlint]\n",  # a project: a named file is read in context
    "ports.toml": '[[allocation]]\nport = 9000\nservice = "web"\n',
    "a/compose.yaml": 'services:\n  web:\n    ports: ["8080:80"]\n',
    "b/compose.yaml": 'services:\n  api:\n    ports: ["8080:80"]\n',
}


@pytest.fixture
def grouped(
    make_project: Callable[[dict[str, str]], Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[int]]:
    """A PL402 collision, and a counter of the runs that grouped claims (project rules ran)."""
    from portlint.rules import collisions

    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    root = make_project(PROJECT_FILES)
    grouped: list[int] = []
    real = collisions._find_repository_conflicts

    def counting(*args: Any, **kwargs: Any) -> Any:
        grouped.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(collisions, "_find_repository_conflicts", counting)
    return root, grouped


def test_project_rules_reused_while_every_scan_is_the_same(
    grouped: tuple[Path, list[int]],
) -> None:
    root, runs = grouped
    first = run_cli(["check", "--no-color", "b/compose.yaml"], cwd=root)
    assert "PL402" in first[1]
    assert runs
    runs.clear()
    with open(root / "b/compose.yaml", "a", encoding="utf-8") as fh:
        fh.write("# a comment no scanner reads\n")
    assert run_cli(["check", "--no-color", "b/compose.yaml"], cwd=root) == first
    assert not runs  # the comment changed the file, not its scan: nothing regrouped
    (root / "b/compose.yaml").write_text('services:\n  api:\n    ports: ["8081:80"]\n')
    changed = run_cli(["check", "--no-color", "b/compose.yaml"], cwd=root)
    assert runs
    assert "PL402" not in changed[1]
    assert changed == run_cli(["check", "--no-color", "--no-cache", "b/compose.yaml"], cwd=root)


def test_a_lean_pre_commit_run_decodes_no_other_file_s_bindings(
    grouped: tuple[Path, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the project findings reused, only the named file's bindings are judged."""
    from portlint.engine.cache import ScanCache

    root, runs = grouped
    run_cli(["check", "--no-color", "."], cwd=root)
    decoded: list[bool] = []
    real = ScanCache.decode_text

    def spy(self: ScanCache, text: str, bindings: bool = True) -> Any:
        decoded.append(bindings)
        return real(self, text, bindings)

    monkeypatch.setattr(ScanCache, "decode_text", spy)
    runs.clear()
    with open(root / "a/compose.yaml", "a", encoding="utf-8") as fh:
        fh.write("# a comment no scanner reads\n")
    lean = run_cli(["check", "--no-color", "a/compose.yaml"], cwd=root)
    assert not runs
    assert decoded
    assert not any(decoded)  # a/compose.yaml was scanned again; the others kept their bindings
    assert "PL402" in lean[1]
    assert lean == run_cli(["check", "--no-color", "--no-cache", "a/compose.yaml"], cwd=root)


def test_a_warm_run_keeps_the_project_record_of_its_state(grouped: tuple[Path, list[int]]) -> None:
    """Whole-run reuse runs no project rule, so each state of the scans keeps its own record."""
    root, runs = grouped
    compose = root / "b/compose.yaml"
    original = compose.read_text()
    run_cli(["check", "--no-color", "."], cwd=root)  # state 1: recorded
    compose.write_text('services:\n  api:\n    ports: ["8081:80"]\n')
    run_cli(["check", "--no-color", "."], cwd=root)  # state 2: recorded
    compose.write_text(original)
    runs.clear()
    run_cli(["check", "--no-color", "."], cwd=root)  # state 1 again: the whole run reused
    assert not runs
    with open(compose, "a", encoding="utf-8") as fh:
        fh.write("# a comment no scanner reads\n")
    first = run_cli(["check", "--no-color", "b/compose.yaml"], cwd=root)
    assert not runs  # state 1's project record was still there
    assert first == run_cli(["check", "--no-color", "--no-cache", "b/compose.yaml"], cwd=root)


def test_a_pre_commit_record_judges_its_named_files_before_reading_the_rest(
    project: tuple[Path, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, scans = project
    named = "app/docker-compose.yml"
    argv = ["check", "--format", "json", named]
    first = run_cli(argv, cwd=root)
    assert run_cli(argv, cwd=root) == first
    assert scans == [1]  # the second run reused the record
    folder = Path(os.environ["PORTLINT_SCAN_CACHE_DIR"])
    # the run record: a signature, a first line, the rest (project records are one line)
    (record,) = [p for p in folder.glob("run-*.json") if p.read_bytes().count(b"\n") == 2]
    head = json.loads(record.read_bytes().split(b"\n")[1])
    assert list(head["named"]) == [named]  # inside the current folder: relative
    # the named file changed: the record is refused on its first line alone
    with open(root / named, "a", encoding="utf-8") as fh:
        fh.write("# edited\n")
    parsed: list[int] = []
    loads = reuse.json.loads

    def sizing(text: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(len(text))
        return loads(text, *args, **kwargs)

    monkeypatch.setattr(reuse.json, "loads", sizing)
    scans.clear()
    changed = run_cli(argv, cwd=root)
    monkeypatch.undo()
    assert scans == [1]
    assert changed == run_cli([*argv, "--no-cache"], cwd=root)
    assert parsed and max(parsed) < record.stat().st_size // 2
