"""One file through the engine's bottom step: read, scan, note its encoding and directives."""

from __future__ import annotations

import os
from pathlib import Path

from portlint.bindings import Location
from portlint.config import Config
from portlint.discovery import Candidate
from portlint.engine.scan import make_scan_context, scan_file, scan_roots
from portlint.findings import Directive, Problem, Severity
from portlint.scanners import scanner_for

COMPOSE = 'services:\n  web:\n    ports: ["8080:80"]  # portlint: ignore[PL401]\n'


def candidate(root: Path, name: str, **more: object) -> Candidate:
    spec = scanner_for(name)
    assert spec is not None
    return Candidate(name, str(root / name), spec, **more)  # type: ignore[arg-type]


def test_a_file_is_scanned_with_its_directives(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    ctx = make_scan_context(Config(), str(tmp_path))
    result = scan_file(candidate(tmp_path, "compose.yaml"), Config(), ctx)
    assert [(b.owner, b.role, b.port, b.target) for b in result.bindings] == [
        ("web", "host", 8080, 80)
    ]
    assert result.directives == (Directive(Location("compose.yaml", 3, 25), "line", 3, ("PL401",)),)
    assert result.problems == [] and result.notes == []


def test_a_skipped_candidate_is_never_read(tmp_path: Path) -> None:
    skipped = candidate(tmp_path, "compose.yaml", skip="not followed", skip_hint="pass a flag")
    result = scan_file(skipped, Config(), make_scan_context(Config(), str(tmp_path)))
    assert result.problems == [
        Problem("PL002", Location("compose.yaml", 1, 1), "not followed", hint="pass a flag")
    ]
    assert result.bindings == []


def test_a_utf16_file_is_scanned_with_a_note(tmp_path: Path) -> None:
    (tmp_path / "compose.yaml").write_bytes(COMPOSE.encode("utf-16"))
    ctx = make_scan_context(Config(), str(tmp_path))
    result = scan_file(candidate(tmp_path, "compose.yaml"), Config(), ctx)
    assert [b.port for b in result.bindings] == [8080]
    assert [(n.code, n.message, n.severity) for n in result.notes] == [
        ("PL002", "UTF-16 text with a byte-order mark: decoded and scanned", Severity.NOTE)
    ]


def test_scan_roots_keep_the_outermost_folder_only(tmp_path: Path) -> None:
    (tmp_path / "app" / "sub").mkdir(parents=True)
    (tmp_path / ".portlint.toml").write_text("")
    config = Config(root=str(tmp_path))
    real = os.path.realpath(tmp_path)
    assert scan_roots(config, str(tmp_path), ["app/sub", "app/sub/compose.yaml"]) == (real,)


def test_the_context_reads_inside_the_roots_only(tmp_path: Path) -> None:
    project, outside = tmp_path / "project", tmp_path / "outside.env"
    (project / ".git").mkdir(parents=True)
    (project / ".env").write_text("PORT=1\n")
    (project / ".git" / "config").write_text("[core]\n")
    outside.write_text("PORT=2\n")
    read = make_scan_context(Config(root=str(project)), str(project)).read
    assert read is not None
    found = read(".env")
    assert found is not None and found.text == "PORT=1\n"
    assert read("../outside.env") is None
    assert read(".git/config") is None
