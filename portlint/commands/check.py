"""``portlint check``: lint, then report or write a baseline.

Imports stay inside :func:`run`: the collector is switched off before the
engine and its scanners load (see the comment there).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from portlint.errors import EXIT_CLEAN, EXIT_FINDINGS

if TYPE_CHECKING:
    from portlint.engine.stdin import Stdin


def run(args: argparse.Namespace) -> int:
    import dataclasses
    import gc
    import os

    # A check is a short-lived process whose data are acyclic trees (nodes,
    # bindings); the cyclic collector's full passes over tens of thousands of
    # live objects cost a third of a cached run and free nothing (same peak
    # memory with and without, docs/benchmarks.md), so it stays off.
    gc.disable()

    from portlint.commands import config_from_args
    from portlint.config import DEFAULT_BASELINE, resolve_path
    from portlint.engine import baseline
    from portlint.engine.run import run
    from portlint.errors import UsageError
    from portlint.reporters import REPORTERS, get_reporter

    config = dataclasses.replace(
        config_from_args(args).config,
        use_environment=args.use_environment,
        suppressions=not args.no_suppressions,
        project_context=not args.no_project_context,
        cache=not args.no_cache,
        jobs=args.jobs,
    )
    fmt = config.output_format
    if fmt not in REPORTERS:
        raise UsageError(f"unknown output format {fmt!r}", hint="use " + ", ".join(REPORTERS))
    stdin = _stdin(args)
    if args.write_baseline is not None:
        if stdin is not None:
            raise UsageError("--write-baseline records a whole project, not `-`")
        if args.write_baseline and os.path.isdir(args.write_baseline):
            # `--write-baseline .`: argparse took the folder to check as FILE.
            # A baseline is never a folder, so it is a PATH (=FILE names a file).
            args.paths.insert(0, args.write_baseline)
            args.write_baseline = ""
        if any(not os.path.isdir(p) for p in args.paths):
            raise UsageError(
                "--write-baseline records a whole project: give folders, not single files"
            )
        target = args.write_baseline or config.baseline or DEFAULT_BASELINE
        path = resolve_path(config, target) if not args.write_baseline else target
        if not args.write_baseline and not args.baseline:  # the repository chose this path
            from portlint.project import display
            from portlint.safe_write import ensure_inside

            ensure_inside(
                path,
                config.root,
                shown=display(path, os.getcwd()),
                hint="the repository's config or a link in it names this file; "
                "to write there, give it on the command line: --write-baseline=FILE",
            )
        result = run(args.paths, config, use_baseline=False)
        rebase = baseline.rebaser(result.root, result.cwd)
        count = baseline.write(path, result.findings, rebase)
        from portlint.project import display

        sys.stderr.write(f"portlint: wrote {count} finding(s) to {display(path, os.getcwd())}\n")
        return EXIT_CLEAN
    result = run(args.paths, config, stdin=stdin, reuse=True)
    colour = _colour(args.color, args.output_file)
    reporter = get_reporter(
        fmt,
        colour=colour,
        quiet=args.quiet,
        show_source=args.show_source,
        statistics=args.statistics,
    )
    if args.output_file is None:
        reporter.render(result, sys.stdout)
    else:
        import io

        buffer = io.StringIO()
        reporter.render(result, buffer)
        _write_report(args.output_file, buffer.getvalue())
    if result.failed(config.fail_on) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _stdin(args: argparse.Namespace) -> Stdin | None:
    """``-`` as the one PATH: the file on standard input (``--stdin-filename`` names it)."""
    from portlint.engine.stdin import Stdin
    from portlint.errors import UsageError

    if "-" not in args.paths:
        if args.stdin_filename is not None:
            raise UsageError("--stdin-filename needs `-` as the PATH")
        return None
    if args.paths != ["-"]:
        raise UsageError("`-` (standard input) must be the only PATH")
    if sys.stdin is None:
        raise UsageError("`-` reads standard input, and there is none")
    return Stdin(sys.stdin.buffer, args.stdin_filename)


def _write_report(path: str, text: str) -> None:
    """``--output-file``: atomic, and never over a file that is not an earlier report;
    a failed write is one line and exit 2 (:class:`portlint.safe_write.WriteFailed`)."""
    from portlint.reporters import looks_like_report
    from portlint.safe_write import write_atomic

    # A FIFO or a device (`--output-file /dev/stdout`) is written to directly.
    write_atomic(path, text, is_ours=looks_like_report, what="a portlint report", streams=True)


def _colour(when: str, output_file: str | None) -> bool:
    """``--color always|never`` wins; else NO_COLOR turns colour off, FORCE_COLOR (any
    non-empty value, force-color.org) or CLICOLOR_FORCE (not 0) on, as in ruff and
    other tools; else only a terminal gets it. The variables are about the console:
    a report written with ``--output-file`` has colour only with ``--color always``."""
    import os

    if when != "auto":
        return when == "always"
    if output_file is not None or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR") or os.environ.get("CLICOLOR_FORCE", "0") not in ("", "0"):
        return True
    return sys.stdout.isatty()
