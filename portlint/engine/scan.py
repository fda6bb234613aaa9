"""One file: read it, scan it, note its directives. The bottom of the engine.

Nothing here knows about other files or the cache (``batch``) or about rules
and the run (``run``), which import this module; it imports neither of them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from portlint.config import Config, resolve_path
from portlint.discovery import Candidate, skip_problem
from portlint.engine.suppression import parse_directives
from portlint.findings import Problem
from portlint.printable import printable_values
from portlint.project import display, project_folder
from portlint.scanners import load
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile, confined, encoding_note, read_source


def scan_file(
    candidate: Candidate,
    config: Config,
    ctx: ScanContext,
    source: SourceFile | Problem | None = None,
) -> ScanResult:
    """Read (unless the caller already did) and scan one file; never raises for bad input."""
    skipped = skip_problem(candidate)
    if skipped is not None:
        return ScanResult(problems=[skipped])
    if source is None:
        source = read_source(candidate.abs_path, candidate.display, config.max_file_size)
    if isinstance(source, Problem):
        return ScanResult(problems=[source])
    scanner = load(candidate.scanner)
    result = scanner(source, ctx)
    # The one entry of file text into the model: every string made printable here.
    result.bindings = printable_values(result.bindings)
    result.problems = printable_values(result.problems)
    result.notes = printable_values(result.notes)
    note = encoding_note(source)
    if note is not None:
        result.notes.append(note)
    result.directives = parse_directives(source.path, source.text)
    return result


def scan_roots(config: Config, cwd: str, paths: Sequence[str] = ()) -> tuple[str, ...]:
    """Where files a scanned file refers to may be read: the project root and
    the folders scanned (a named file's folder), as real paths, none inside another.

    Usually just the project root, so the scan cache key does not change with
    the files pre-commit names.
    """
    found = [project_folder(config.root, cwd)]
    for path in paths:
        full = os.path.join(cwd, path)
        found.append(full if os.path.isdir(full) else os.path.dirname(full))
    real = sorted({os.path.realpath(p) for p in found}, key=len)
    roots: list[str] = []
    for root in real:
        if confined(root, roots) is None:
            roots.append(root)
    return tuple(roots)


def make_scan_context(config: Config, cwd: str, roots: Sequence[str] = ()) -> ScanContext:
    """``roots`` from :func:`scan_roots`; none given: the project root.

    A scanner's reads (the ``.env`` beside a compose file, an ``include``, an
    ``env_file``) are repository content asking: they stay inside the roots,
    with links resolved and ``.git/`` refused. Configured env files were
    checked when the config was read (see ``config.resolve``) or come from
    the command line, which may name any file.
    """
    chosen = tuple(roots) or scan_roots(config, cwd)
    # Named as the engine names scanned files (relative to cwd), so a rule can tell
    # that the dotenv file it sees is the one the compose projects read.
    env_files = tuple(display(resolve_path(config, p), cwd) for p in config.env_files)
    trusted = frozenset(os.path.normpath(os.path.join(cwd, p)) for p in env_files)
    folders: set[str] = set()  # checked once per run: most reads share their folders

    def read(path: str) -> SourceFile | None:
        abs_path = os.path.normpath(os.path.join(cwd, path))
        if abs_path in trusted:
            source = read_source(abs_path, path, config.max_file_size)
        else:
            real = confined(abs_path, chosen, folders)
            if real is None:
                return None
            source = read_source(real, path, config.max_file_size, nofollow=True)
        return None if isinstance(source, Problem) else source

    return ScanContext(
        environ=dict(os.environ) if config.use_environment else {},
        env_files=env_files,
        read=read,
        roots=chosen,
    )
