"""Scan files written to a temporary project, the way the engine does."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from portlint.bindings import PortBinding
from portlint.config import Config
from portlint.engine.scan import make_scan_context
from portlint.findings import Problem
from portlint.scanners import load, scanner_for
from portlint.scanners.base import ScanResult
from portlint.source import SourceFile


def scan(
    root: Path,
    files: Mapping[str, str],
    target: str,
    *,
    env_files: tuple[str, ...] = (),
    environ: Mapping[str, str] | None = None,
) -> ScanResult:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config = Config(env_files=env_files, use_environment=environ is not None)
    ctx = make_scan_context(config, str(root))
    if environ is not None:
        ctx = type(ctx)(environ=dict(environ), env_files=ctx.env_files, read=ctx.read)
    spec = scanner_for(Path(target).name)
    assert spec is not None, target
    return load(spec)(SourceFile(target, files[target]), ctx)


def row(b: PortBinding) -> tuple[object, ...]:
    """What a binding says, with where it points (line, column, end column)."""
    loc = b.location
    return (
        b.owner,
        b.role,
        b.port,
        b.end_port,
        b.target,
        b.target_end,
        b.host_ip,
        b.protocol,
        (loc.path, loc.line, loc.column, loc.end_column),
    )


def problems(result: ScanResult) -> list[tuple[str, int, int, str]]:
    return [(p.code, p.location.line, p.location.column, p.message) for p in result.problems]


def where(p: Problem) -> tuple[str, int, int]:
    return (p.location.path, p.location.line, p.location.column)
