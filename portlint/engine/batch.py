"""The per-file step for a whole run: cache first, then serial or parallel scanning.

Scanning one file depends only on that file, the files its scanner reads
beside it and the scan settings, so files can be scanned in any order, in
other processes, or not at all when the cache has them. Results come back in
the candidates' order, so the output of a parallel or cached run is the
output of a serial one, byte for byte.

Parallelism pays only past a few hundred files: starting workers and moving
results between processes costs tens of milliseconds (see
docs/benchmarks.md), so ``--jobs`` defaults to serial below
``AUTO_SERIAL_BELOW`` files left to scan after the cache.
"""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
import os
import pickle
import signal
import sys
import time
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

from portlint.config import Config
from portlint.discovery import Candidate
from portlint.engine.cache import (
    Dependency,
    Scanned,
    open_cache,
    recording_reader,
    stat_key,
    text_digest,
)
from portlint.engine.codec import codec_for
from portlint.engine.scan import make_scan_context, scan_file
from portlint.findings import Problem
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile, read_source

AUTO_SERIAL_BELOW = 500  # files left to scan; fewer are scanned in this process
FILES_PER_WORKER = 250  # each automatic worker should get at least this many
MAX_AUTO_JOBS = 8


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: int, files: int) -> int:
    """How many processes scan ``files`` files (1: this one, serially).

    ``jobs`` is the user's ``--jobs``: 0 picks automatically, 1 is serial.
    """
    if files < 2 or jobs == 1:
        return 1  # (n workers = n - 1 helper processes plus this one)
    if jobs > 1:
        return min(jobs, files)
    if files < AUTO_SERIAL_BELOW:
        return 1
    return max(1, min(available_cpus(), files // FILES_PER_WORKER, MAX_AUTO_JOBS))


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
    candidates: Sequence[Candidate], config: Config, ctx: ScanContext, cwd: str, root: str
) -> list[ScanResult]:
    """Each candidate's scan result, in order."""
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
    workers = worker_count(config.jobs, len(todo))
    scanned = None
    if workers > 1:
        scanned = _parallel(todo, candidates, config, ctx, cwd, workers, cache is not None)
    if scanned is None:
        record = cache is not None
        scanned = [scan_one(candidates[i], config, ctx, cwd, source, record) for i, source in todo]
    for (i, _source), fresh in zip(todo, scanned, strict=True):
        results[i] = fresh.result
        if cache is not None and candidates[i].skip is None:
            cache.store(candidates[i].abs_path, fresh)
    if cache is not None:
        cache.save()
    return [r if r is not None else ScanResult() for r in results]


# -- worker processes ---------------------------------------------------------

# fork where it is the safe, cheap choice (helpers inherit imported modules);
# elsewhere the platform's default (spawn on macOS and Windows, forkserver on
# Linux from Python 3.14 is avoided by asking for fork explicitly).
START_METHOD: str | None = "fork" if sys.platform == "linux" else None


def _picklable(value: Any) -> Any:
    """A copy of ``Config`` (or anything inside it) without read-only mapping proxies.

    ``Config`` keeps its tables in ``MappingProxyType``, which cannot be
    pickled; a spawned helper gets plain dicts with the same contents.
    """
    if isinstance(value, MappingProxyType):
        return {k: _picklable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _picklable(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init and isinstance(getattr(value, f.name), MappingProxyType)
        }
        return dataclasses.replace(value, **changes) if changes else value
    return value


_WORKER: tuple[Config, ScanContext, str, bool] | None = None

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
PARENT_POLL_SECONDS = 0.5


def exit_with_parent(parent: int | None) -> None:
    """End this helper process when ``parent`` (the run that started it) dies.

    A helper waits for work on a pipe whose writing end it inherited itself,
    so it never sees end-of-file: a parent killed with SIGKILL (a cancelled
    CI job, the OOM killer) used to leave every helper blocked forever. On
    Linux the kernel sends SIGKILL to this process when its parent dies
    (``PR_SET_PDEATHSIG``): immediate, and it works even while a scan holds
    the GIL. Elsewhere a daemon thread notices the new parent (the process
    is re-parented to init or a subreaper) within ``PARENT_POLL_SECONDS``.
    Either way the parent's pid is passed in rather than read here, so a
    parent that died before this ran is caught too.
    """
    if parent is None:
        return
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # died before the request was in place
                    os._exit(1)
                return
        except (OSError, AttributeError):  # no libc to call: fall back to watching
            pass
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="portlint-parent-watch", daemon=True).start()


def _init_worker(
    config: Config, ctx: ScanContext, cwd: str, record: bool, parent: int | None
) -> None:
    exit_with_parent(parent)
    global _WORKER
    reader = make_scan_context(config, cwd, ctx.roots).read
    _WORKER = (config, dataclasses.replace(ctx, read=reader), cwd, record)


def _scan_chunk(chunk: list[Candidate]) -> list[tuple[str, Any, Any, Any]]:
    """Scan in a worker; results travel as JSON text (see engine.codec), cheap to pickle."""
    if _WORKER is None:  # pragma: no cover - the initializer always ran
        raise RuntimeError("worker not initialised")
    config, ctx, cwd, record = _WORKER
    encode, _decode = codec_for(ScanResult)
    out = []
    for candidate in chunk:
        s = scan_one(candidate, config, ctx, cwd, record=record)
        deps = [(d.path, d.stat, d.digest) for d in s.deps]
        text = json.dumps(encode(s.result), separators=(",", ":"))
        out.append((text, s.stat, s.digest, deps))
    return out


def _parallel(
    todo: list[tuple[int, SourceFile | Problem | None]],
    candidates: Sequence[Candidate],
    config: Config,
    ctx: ScanContext,
    cwd: str,
    workers: int,
    record: bool,
) -> list[Scanned] | None:
    """Scan with ``workers - 1`` helper processes plus this one; None if none can start.

    Work is cut into chunks submitted in order; this process takes chunks
    from the end for as long as no helper has started them (a cancelled
    future), so nobody idles and this process decodes helpers' results only
    for the part it did not scan itself.
    """
    from concurrent.futures import Future, ProcessPoolExecutor

    from portlint.scanners import load

    for spec in {candidates[i].scanner for i, _source in todo}:
        load(spec)  # imported before the fork, so helpers inherit the modules
    parts = workers * 6
    size = max(1, -(-len(todo) // parts))
    chunks = [todo[k : k + size] for k in range(0, len(todo), size)]
    _encode, decode = codec_for(ScanResult)
    try:
        method = START_METHOD if START_METHOD in multiprocessing.get_all_start_methods() else None
        context = multiprocessing.get_context(method)
        # Under forkserver (the default off Linux from Python 3.14) helpers are
        # the server's children, not ours: nobody to follow.
        parent = os.getpid() if context.get_start_method() in ("fork", "spawn") else None
        initargs = (_picklable(config), dataclasses.replace(ctx, read=None), cwd, record, parent)
        if method != "fork":  # helpers get their settings pickled, not inherited
            pickle.dumps(initargs)
        pool = ProcessPoolExecutor(
            workers - 1,
            mp_context=context,
            initializer=_init_worker,
            initargs=initargs,
        )
    except (OSError, NotImplementedError, ImportError, pickle.PicklingError, TypeError):
        return None  # no process support here (some sandboxes): scan serially
    done: dict[int, list[Scanned]] = {}
    with pool:
        futures: list[Future[list[tuple[str, Any, Any, Any]]]] = [
            pool.submit(_scan_chunk, [candidates[i] for i, _source in chunk]) for chunk in chunks
        ]
        for k in range(len(chunks) - 1, -1, -1):
            if not futures[k].cancel():
                break
            done[k] = [
                scan_one(candidates[i], config, ctx, cwd, source, record) for i, source in chunks[k]
            ]
        out: list[Scanned] = []
        for k, future in enumerate(futures):
            if k in done:
                out.extend(done[k])
                continue
            for text, before, digest, deps in future.result():
                out.append(
                    Scanned(
                        decode(json.loads(text)),
                        before,
                        digest,
                        [Dependency(p, st, dg) for p, st, dg in deps],
                        text,
                    )
                )
    return out
