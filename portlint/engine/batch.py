"""The per-file step for a whole run: the cache first, then a scan of each file it lacks.

Scanning one file depends only on that file, the files its scanner reads
beside it and the scan settings, so a file the cache has is not scanned at
all. Results come back in the candidates' order, so the output of a cached
run is the output of an uncached one, byte for byte.

Every file is scanned in this process. A process pool used to scan large
runs (``--jobs``); on the 2-core machine portlint is measured on it won 13 %
at best and lost up to 28 % under load (docs/benchmarks.md, "Parallel
scanning"), for 15-25 % more CPU, so it went. ``--jobs`` is still accepted.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Literal

from portlint.config import Config
from portlint.discovery import Candidate
from portlint.engine.cache import (
    Dependency,
    ScanCache,
    Scanned,
    open_cache,
    recording_reader,
    stat_key,
    text_digest,
)
from portlint.engine.scan import scan_file
from portlint.findings import Problem
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile, read_source


def scan_one(
    candidate: Candidate,
    config: Config,
    ctx: ScanContext,
    cwd: str,
    source: SourceFile | Problem | None = None,
    record: bool = True,
) -> Scanned:
    """Scan one file, noting what it read when a cache will store it."""
    if not record or candidate.skip is not None:
        return Scanned(scan_file(candidate, config, ctx, source), None, None, [])
    deps: list[Dependency] = []
    local = dataclasses.replace(ctx, read=recording_reader(ctx.read, cwd, deps))
    before = stat_key(candidate.abs_path)
    if source is None:
        source = read_source(candidate.abs_path, candidate.display, config.max_file_size)
    result = scan_file(candidate, config, local, source)
    digest = text_digest(source) if isinstance(source, SourceFile) else None
    return Scanned(result, before, digest, deps)


def scan_all(
    candidates: Sequence[Candidate],
    config: Config,
    ctx: ScanContext,
    cwd: str,
    root: str,
    cache: ScanCache | Literal[False] | None = False,
) -> list[ScanResult]:
    """Each candidate's scan result, in order; ``cache`` False: open the run's own."""
    if cache is False:
        cache = open_cache(root, ctx, config.max_file_size, cwd) if config.cache else None
    results: list[ScanResult | None] = [None] * len(candidates)
    todo: list[tuple[int, SourceFile | Problem | None]] = []
    for i, candidate in enumerate(candidates):
        if cache is None or candidate.skip is not None:  # skipped files are never read
            todo.append((i, None))
            continue
        read: list[SourceFile | Problem] = []

        def reader(c: Candidate = candidate, out: list[SourceFile | Problem] = read) -> Any:
            out.append(read_source(c.abs_path, c.display, config.max_file_size))
            return out[0] if isinstance(out[0], SourceFile) else None

        hit = cache.lookup(candidate.abs_path, reader)
        if hit is not None:
            results[i] = hit
        else:
            todo.append((i, read[0] if read else None))
    record = cache is not None
    scanned = [scan_one(candidates[i], config, ctx, cwd, source, record) for i, source in todo]
    for (i, _source), fresh in zip(todo, scanned, strict=True):
        results[i] = fresh.result
        if cache is not None and candidates[i].skip is None:
            cache.store(candidates[i].abs_path, fresh)
    if cache is not None:
        cache.save()
    return [r if r is not None else ScanResult() for r in results]
