"""``portlint check -``: one file read from standard input, as ruff and yamllint do.

``--stdin-filename PATH`` says where the text belongs. The path decides
everything a real path would: which scanner reads it (by its name, or
``include``), which config entries match it (``per-file-ignores``; ``exclude``
only with ``--force-exclude``, as for a file named on the command line),
where findings point, and which folder the scanner's own reads are relative to
(the ``.env`` beside a compose file). Without it the text is ``<stdin>``,
read by the YAML scanner, which tells Compose, Kubernetes and other YAML
apart by content, as ``helm template`` output needs; other kinds (a
Dockerfile, a ``.env``, JSON, TOML) need a name.

The bytes pass the checks a file's pass (:func:`portlint.source.read_stream`),
and nothing is written: the scan cache is for files on disk, keyed by their
stat, and is neither read nor written here. The file stands alone: the rest of
the project is not scanned around it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import BinaryIO

from portlint.config import Config
from portlint.discovery import Candidate, display_path
from portlint.engine.scan import make_scan_context, scan_file, scan_roots
from portlint.errors import UsageError
from portlint.globs import matches_glob
from portlint.scanners import BY_NAME, ScannerSpec, scanner_for
from portlint.scanners.base import ScanResult
from portlint.source import SourceFile, read_stream

STDIN_NAME = "<stdin>"
"""The shown path of standard input without ``--stdin-filename``."""


@dataclass(frozen=True, slots=True)
class Stdin:
    stream: BinaryIO
    filename: str | None = None  # --stdin-filename


def _scanner(filename: str, config: Config, rel: str) -> ScannerSpec:
    basename = os.path.basename(filename)
    spec = scanner_for(basename)
    if spec is None and config.include and matches_glob(config.include, rel):
        spec = scanner_for(os.path.splitext(basename)[0])  # as discovery reads `include`
    if spec is None:
        raise UsageError(
            f"--stdin-filename {filename}: not a file kind portlint reads",
            hint="name it as the file would be named (compose.yaml, .env, Dockerfile, "
            "*.yaml, *.json, *.toml), or list its name in `include`",
        )
    return spec


def scan_stdin(
    stdin: Stdin, config: Config, cwd: str
) -> tuple[list[Candidate], list[ScanResult], dict[str, str]]:
    """The candidates (none or one), their scan results, and the text read by shown path."""
    if stdin.filename is None:
        abs_path = os.path.join(cwd, STDIN_NAME)
        candidate = Candidate(STDIN_NAME, abs_path, BY_NAME["yaml"], explicit=True)
        roots = scan_roots(config, cwd)
    else:
        abs_path = os.path.abspath(os.path.join(cwd, stdin.filename))
        rel = os.path.relpath(abs_path, os.path.abspath(config.root)).replace(os.sep, "/")
        spec = _scanner(stdin.filename, config, rel)
        excludes = (*config.exclude, *config.extend_exclude)
        if config.force_exclude and excludes and matches_glob(excludes, rel):
            return [], [], {}  # excluded like a named file: nothing read
        shown = display_path(abs_path, cwd)
        candidate = Candidate(shown, abs_path, spec, explicit=True)
        roots = scan_roots(config, cwd, [stdin.filename])
    ctx = make_scan_context(config, cwd, roots)
    source = read_stream(stdin.stream, candidate.display, config.max_file_size)
    texts = {candidate.display: source.text} if isinstance(source, SourceFile) else {}
    return [candidate], [scan_file(candidate, config, ctx, source)], texts
