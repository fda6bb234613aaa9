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
    from portlint.config import Config
    from portlint.discovery import Log
    from portlint.engine.stdin import Stdin


def run(args: argparse.Namespace) -> int:
    import gc

    # A check is a short-lived process whose data are acyclic trees (nodes,
    # bindings); the cyclic collector's full passes over tens of thousands of
    # live objects cost a third of a cached run and free nothing (same peak
    # memory with and without, docs/benchmarks.md), so it stays off.
    gc.disable()

    from portlint import gitfiles

    _start_listings(args)
    try:
        return _check(args)
    finally:
        gitfiles.stop_listings()


def _start_listings(args: argparse.Namespace) -> None:
    """Start git listing what this check will most likely list, before the rest loads.

    Discovery lists each folder named, and for named files the project folder
    around them (``engine.run.context_paths``): the config file's folder, else
    the work tree's top. Only an exact match is ever taken up
    (:mod:`portlint.gitfiles`), so a wrong guess costs one stopped git process.
    """
    import os

    from portlint import gitfiles

    given = list(args.paths) or ["."]
    if "-" in given or args.no_gitignore:
        return
    cwd = os.getcwd()
    folders = [p for p in given if os.path.isdir(os.path.join(cwd, p))]
    for folder in folders:
        gitfiles.start_listing(os.path.abspath(os.path.join(cwd, folder)))
    if len(folders) < len(given) and not args.no_project_context:
        from portlint.config import find_config_file
        from portlint.project import locate_root

        config_file = args.config
        if config_file is None and not args.isolated:
            config_file = find_config_file(cwd)
        gitfiles.start_listing(os.path.abspath(os.path.join(cwd, locate_root(cwd, config_file))))


def _check(args: argparse.Namespace) -> int:
    import dataclasses
    import os

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
    log = _stderr_log if args.verbose else None
    if args.show_files:
        if stdin is not None:
            raise UsageError("--show-files lists files on disk, not `-`")
        return _show_files(args.paths, config, log)
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
    fixing = args.fix or args.diff or args.fix_only
    if fixing and stdin is not None:
        raise UsageError("--fix, --diff and --fix-only edit files, not `-`")
    if args.diff:
        return _diff(args, config)
    if fixing:
        from portlint.engine.fixing import fix

        result = fix(args.paths, config, unsafe=args.unsafe_fixes)
        if args.fix_only:
            if not args.quiet:
                sys.stdout.write(_fixed_line(result.fixed) + "\n")
            return EXIT_CLEAN
    else:
        result = run(args.paths, config, stdin=stdin, log=log, reuse=True)
        if args.unsafe_fixes:
            result = dataclasses.replace(result, unsafe_fixes=True)
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


def _stderr_log(line: str) -> None:
    sys.stderr.write(f"portlint: {line}\n")


def _show_files(paths: list[str], config: Config, log: Log | None) -> int:
    """``--show-files``: what a check would read (the project around named files too),
    each with its scanner, or why it is listed but not read. No file is opened."""
    import os

    from portlint.discovery import discover
    from portlint.engine.run import context_paths
    from portlint.printable import printable

    cwd = os.getcwd()
    scan_paths, _focus = context_paths(paths, config, cwd)
    candidates = discover(scan_paths, config, cwd, log)
    width = max((len(c.display) for c in candidates), default=0)
    for candidate in candidates:
        what = candidate.scanner.name
        if candidate.skip is not None:
            what = f"not read: {printable(candidate.skip)}"
        sys.stdout.write(f"{candidate.display:<{width}}  {what}\n")
    return EXIT_CLEAN


def _fixed_line(count: int) -> str:
    return f"Fixed {count} problem{'' if count == 1 else 's'}." if count else "Nothing to fix."


def _diff(args: argparse.Namespace, config: Config) -> int:
    """``--diff``: one pass of fixes, shown and not written (exit 1 when there is any)."""
    from portlint.engine.fixing import plan, unified_diff
    from portlint.engine.run import run

    result = run(args.paths, config)
    changes, count = plan(result.findings, result.cwd, args.unsafe_fixes)
    sys.stdout.write(unified_diff(changes))
    if not args.quiet:
        noun = "fix" if count == 1 else "fixes"
        sys.stderr.write(f"Would apply {count} {noun}.\n" if count else "Nothing to fix.\n")
    return EXIT_FINDINGS if changes else EXIT_CLEAN


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
