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
from portlint.engine.codec import Invalid
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


class Scans:
    """Each candidate's scan result, in order; a cache hit stays text until it is asked for.

    Decoding is most of what a cached run costs, and a pre-commit run whose
    project findings are reused (``engine.reuse.ProjectRecords``) needs the
    bindings of the files it reports on only. A hit that fails to decode (the
    index is signed, so only a bug makes one) is scanned again.
    """

    def __init__(
        self,
        candidates: Sequence[Candidate],
        config: Config,
        ctx: ScanContext,
        cwd: str,
        cache: ScanCache | None,
    ) -> None:
        self.candidates = candidates
        self._config, self._ctx, self._cwd, self._cache = config, ctx, cwd, cache
        self._items: list[ScanResult | str | None] = [None] * len(candidates)

    def __len__(self) -> int:
        return len(self._items)

    def result(self, i: int, bindings: bool = True) -> ScanResult:
        """Candidate ``i``'s result; ``bindings`` False may leave its bindings out."""
        item = self._items[i]
        if isinstance(item, ScanResult):
            return item
        if item is not None and self._cache is not None:
            try:
                found = self._cache.decode_text(item, bindings)
            except Invalid:
                pass
            else:
                if bindings:
                    self._items[i] = found
                return found
        fresh = scan_one(self.candidates[i], self._config, self._ctx, self._cwd, None, False)
        self._items[i] = fresh.result
        return fresh.result

    def results(self) -> list[ScanResult]:
        return [self.result(i) for i in range(len(self._items))]


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
    return scan_lazy(candidates, config, ctx, cwd, cache).results()


def scan_lazy(
    candidates: Sequence[Candidate],
    config: Config,
    ctx: ScanContext,
    cwd: str,
    cache: ScanCache | None,
) -> Scans:
    """Look every candidate up in the cache, scan (and store) the rest; decode nothing yet."""
    scans = Scans(candidates, config, ctx, cwd, cache)
    items = scans._items
    todo: list[tuple[int, SourceFile | Problem | None]] = []
    for i, candidate in enumerate(candidates):
        if cache is None or candidate.skip is not None:  # skipped files are never read
            todo.append((i, None))
            continue
        read: list[SourceFile | Problem] = []

        def reader(c: Candidate = candidate, out: list[SourceFile | Problem] = read) -> Any:
            out.append(read_source(c.abs_path, c.display, config.max_file_size))
            return out[0] if isinstance(out[0], SourceFile) else None

        hit = cache.lookup_text(candidate.abs_path, reader)
        if hit is not None:
            items[i] = hit
        else:
            todo.append((i, read[0] if read else None))
    record = cache is not None
    for i, source in todo:
        fresh = scan_one(candidates[i], config, ctx, cwd, source, record)
        items[i] = fresh.result
        if cache is not None and candidates[i].skip is None:
            cache.store(candidates[i].abs_path, fresh)
    if cache is not None:
        cache.save()
        cache.release()
    return scans
