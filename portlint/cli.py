"""The command line: ``portlint [check] PATH...``, ``port``, ``rule``, ``registry``.

Nothing is imported up front, not even ``argparse`` (building the parser
costs more than importing PyYAML): ``portlint --version`` answers before
either, and each command imports what it needs when it runs, so start-up
stays near the cost of starting Python.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from portlint.config import Resolved

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
COMMANDS = ("check", "port", "ports", "rule", "registry", "config", "suggest", "clean")


def _version() -> str:
    from portlint import __version__

    return __version__


@cache
def _common() -> argparse.ArgumentParser:
    """Options accepted before and after the command name."""
    import argparse

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks of internal errors",
    )
    common.add_argument(
        "--no-color", action="store_true", default=argparse.SUPPRESS, help="never colour the output"
    )
    return common


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check", parents=[_common()], help="lint files and folders (the default command)"
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    p.add_argument(
        "--format",
        "--output-format",
        dest="format",
        default=None,
        help="output format (default: text)",
    )
    _add_config_flags(p)
    p.add_argument(
        "--show-source", action="store_true", help="text: show the offending line with a caret"
    )
    p.add_argument("--statistics", action="store_true", help="text: count findings per code")
    p.add_argument(
        "--no-suppressions",
        action="store_true",
        help="ignore every `# portlint: ignore[...]` directive",
    )
    p.add_argument(
        "--write-baseline",
        nargs="?",
        const="",
        default=None,
        metavar="FILE",
        help="record the current findings in FILE (default: the configured baseline or "
        ".portlint-baseline.json) and exit 0; a folder after it is a PATH to check",
    )
    p.add_argument(
        "--no-project-context",
        action="store_true",
        help="given files: scan only them, not the whole project around them",
    )
    p.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even with findings (errors still exit 2)"
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    p.add_argument("--output-file", default=None, help="write the report here instead of stdout")
    p.add_argument(
        "--use-environment",
        action="store_true",
        help="let the process environment fill compose variables",
    )
    _add_speed_flags(p)
    p.set_defaults(func=cmd_check)


def _add_speed_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--no-cache", action="store_true", help="neither read nor write .portlint_cache/"
    )
    p.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=0,
        metavar="N",
        help="scanning processes (default: automatic; 1 = serial)",
    )


def _bytes(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, got {text!r}")
    return int(text)


def _jobs(text: str) -> int:
    import argparse

    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {text!r}")
    return int(text)


def _add_clean(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "clean", parents=[_common()], help="delete the project's .portlint_cache/ folder"
    )
    p.add_argument("--config", default=None, metavar="FILE", help="use this config file only")
    p.add_argument("--isolated", action="store_true", help="ignore config files")
    p.set_defaults(func=cmd_clean)


def _add_config_flags(p: argparse.ArgumentParser) -> None:
    """Flags that override config-file keys (shared by `check` and `config`)."""
    p.add_argument("--config", default=None, metavar="FILE", help="use this config file only")
    p.add_argument(
        "--isolated", action="store_true", help="ignore config files (defaults plus flags)"
    )
    p.add_argument("--select", default=None, help="comma-separated codes, prefixes or names")
    p.add_argument("--extend-select", default=None, help="add to the selected rules")
    p.add_argument("--ignore", default=None, help="comma-separated codes, prefixes or names")
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "note"),
        default=None,
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    p.add_argument("--baseline", default=None, metavar="FILE", help="hide findings listed in FILE")
    p.add_argument("--exclude", default=None, help="comma-separated globs (replaces the config's)")
    p.add_argument("--extend-exclude", default=None, help="comma-separated globs to add")
    p.add_argument(
        "--no-default-excludes",
        dest="exclude",
        action="store_const",
        const="",
        help="lint vendored, build and test-data folders too (the same as --exclude '')",
    )
    p.add_argument(
        "--force-exclude", action="store_true", help="apply exclude to files named explicitly"
    )
    p.add_argument("--no-gitignore", action="store_true", help="scan files .gitignore hides")
    p.add_argument(
        "--follow-links",
        action="store_true",
        help="read symbolic links that point outside the scanned folder",
    )
    p.add_argument(
        "--env-file",
        action="append",
        default=[],
        metavar="FILE",
        help="read variables for interpolation from FILE (repeatable)",
    )
    p.add_argument(
        "--max-file-size",
        type=_bytes,
        default=None,
        metavar="BYTES",
        help="skip larger files (default: 2097152; a config file may set at most 10 MiB)",
    )


def _add_config(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "config", parents=[_common()], help="print the effective configuration and its sources"
    )
    _add_config_flags(p)
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_config)


def _add_port(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "port", parents=[_common()], help="what is this port? (IANA, range, who listens)"
    )
    p.add_argument("port", metavar="PORT[/PROTO]")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--no-listening", action="store_true", help="do not look at this machine's sockets"
    )
    p.add_argument(
        "--repo",
        default=".",
        metavar="PATH",
        help="where to look for uses of the port (default: .)",
    )
    p.add_argument("--no-repo", action="store_true", help="do not scan the repository")
    p.set_defaults(func=cmd_port)


def _add_ports(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ports", parents=[_common()], help="list every port the files claim")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    p.add_argument("--no-gitignore", action="store_true", help="scan files .gitignore hides")
    p.add_argument("--env-file", action="append", default=[], metavar="FILE")
    p.add_argument("--use-environment", action="store_true")
    p.set_defaults(func=cmd_ports)


def _add_suggest(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "suggest",
        parents=[_common()],
        help="propose ports free in every sense; --claim records one",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="the repository to avoid (default: .)")
    p.add_argument("--count", type=int, default=5, help="how many ports (default: 5)")
    p.add_argument("--near", type=int, default=None, metavar="PORT", help="closest to PORT first")
    p.add_argument("--protocol", choices=("tcp", "udp", "sctp"), default="tcp")
    p.add_argument(
        "--claim",
        default=None,
        metavar="SERVICE",
        help="add the first suggestion to the allocation file for SERVICE",
    )
    p.add_argument(
        "--allocation-file",
        default=None,
        metavar="FILE",
        help="also avoid the ports in FILE, and --claim into it (may be outside the project)",
    )
    p.set_defaults(func=cmd_suggest)


def _add_rule(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "rule", parents=[_common()], help="print a rule's manual, or list every rule"
    )
    p.add_argument("rule", nargs="?", metavar="CODE|NAME")
    p.add_argument("--all", action="store_true", help="list every rule")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_rule)


def _add_registry(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "registry", parents=[_common()], help="the IANA registry snapshot: build, update, info"
    )
    rsub = p.add_subparsers(dest="registry_command", required=True, metavar="COMMAND")
    build = rsub.add_parser("build", help="convert an IANA export (XML or CSV) to a snapshot")
    build.add_argument("--from", dest="source", required=True, metavar="FILE")
    build.add_argument("-o", "--output", default="-", help="snapshot file (default: stdout)")
    build.add_argument("--date", default=None, help="registry date, for a CSV export")
    build.set_defaults(func=cmd_registry_build)
    update = rsub.add_parser(
        "update", help="fetch IANA's current export and install it in the user cache"
    )
    update.add_argument(
        "--source",
        default=None,
        metavar="URL|PATH",
        help="an https URL or a local XML/CSV export (default: IANA's XML export)",
    )
    update.add_argument(
        "--force", action="store_true", help="install even an export older than the shipped one"
    )
    update.add_argument(
        "--timeout", type=float, default=60.0, metavar="SECONDS", help="give up after (default: 60)"
    )
    update.set_defaults(func=cmd_registry_update)
    info = rsub.add_parser("info", help="which snapshot is in use")
    info.add_argument("--format", choices=("text", "json"), default="text")
    info.set_defaults(func=cmd_registry_info)


def build_parser() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="portlint",
        description="Find port collisions and risky port numbers in config files.",
        parents=[_common()],
    )
    parser.add_argument("--version", action="version", version=f"portlint {_version()}")
    parser.set_defaults(debug=False, no_color=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in (
        _add_check,
        _add_port,
        _add_ports,
        _add_rule,
        _add_registry,
        _add_config,
        _add_suggest,
        _add_clean,
    ):
        add(sub)
    return parser


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _normalise(argv: list[str]) -> list[str]:
    """``portlint PATH`` means ``portlint check PATH``: insert the default command."""
    globals_ = {"--debug", "--no-color"}
    i = 0
    while i < len(argv) and argv[i] in globals_:
        i += 1
    rest = argv[i:]
    if rest and (rest[0] in COMMANDS or rest[0] in ("-h", "--help", "--version")):
        return argv
    return [*argv[:i], "check", *rest]


def _write_report(path: str, text: str) -> None:
    """``--output-file``: atomic, and never over a file that is not an earlier report;
    a failed write is one line and exit 2 (:class:`portlint.safe_write.WriteFailed`)."""
    from portlint.reporters import looks_like_report
    from portlint.safe_write import write_atomic

    # A FIFO or a device (`--output-file /dev/stdout`) is written to directly.
    write_atomic(path, text, is_ours=looks_like_report, what="a portlint report", streams=True)


def _overrides(args: argparse.Namespace) -> dict[str, tuple[object, str]]:
    """Config keys set by flags, validated, each with the flag that set it."""
    from portlint.config import validate_selector
    from portlint.findings import Severity

    out: dict[str, tuple[object, str]] = {}
    for key in ("select", "extend-select", "ignore"):
        values = _split(getattr(args, key.replace("-", "_")))
        for value in values:
            validate_selector(value, f"--{key}")
        if values:
            out[key] = (values, f"--{key}")
    if args.fail_on:
        out["fail-on"] = (Severity.parse(args.fail_on), "--fail-on")
    for key in ("exclude", "extend-exclude"):
        globs: str | None = getattr(args, key.replace("-", "_"), None)
        if globs is not None:
            out[key] = (_split(globs), f"--{key}")
    if getattr(args, "format", None):
        out["output-format"] = (args.format, "--format")
    if getattr(args, "baseline", None):
        out["baseline"] = (args.baseline, "--baseline")
    if getattr(args, "no_gitignore", False):
        out["respect-gitignore"] = (False, "--no-gitignore")
    if getattr(args, "follow_links", False):
        out["follow-links"] = (True, "--follow-links")
    if getattr(args, "force_exclude", False):
        out["force-exclude"] = (True, "--force-exclude")
    if getattr(args, "env_file", None):
        out["env-files"] = (tuple(args.env_file), "--env-file")
    if getattr(args, "max_file_size", None):
        out["max-file-size"] = (args.max_file_size, "--max-file-size")
    return out


def _resolve(args: argparse.Namespace) -> Resolved:
    import os

    from portlint.config import resolve

    return resolve(os.getcwd(), args.config, _overrides(args), isolated=args.isolated)


def cmd_check(args: argparse.Namespace) -> int:
    import dataclasses
    import gc
    import os

    # A check is a short-lived process whose data are acyclic trees (nodes,
    # bindings); the cyclic collector's full passes over tens of thousands of
    # live objects cost a third of a cached run and free nothing (same peak
    # memory with and without, docs/benchmarks.md), so it stays off.
    gc.disable()

    from portlint import baseline
    from portlint.config import DEFAULT_BASELINE, resolve_path
    from portlint.engine import run
    from portlint.errors import UsageError
    from portlint.reporters import REPORTERS, get_reporter

    config = dataclasses.replace(
        _resolve(args).config,
        use_environment=args.use_environment,
        suppressions=not args.no_suppressions,
        project_context=not args.no_project_context,
        cache=not args.no_cache,
        jobs=args.jobs,
    )
    fmt = config.output_format
    if fmt not in REPORTERS:
        raise UsageError(f"unknown output format {fmt!r}", hint="use " + ", ".join(REPORTERS))
    if args.write_baseline is not None:
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
            from portlint.config import display
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
        from portlint.config import display

        sys.stderr.write(f"portlint: wrote {count} finding(s) to {display(path, os.getcwd())}\n")
        return EXIT_CLEAN
    result = run(args.paths, config)
    colour = (
        args.output_file is None
        and not args.no_color
        and sys.stdout.isatty()
        and not _no_color_env()
    )
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


def cmd_clean(args: argparse.Namespace) -> int:
    import os

    from portlint.cache import clean
    from portlint.config import display, resolve
    from portlint.engine import project_root

    cwd = os.getcwd()
    config = resolve(cwd, args.config, {}, isolated=args.isolated).config
    try:
        done = clean(project_root(config, cwd))
    except OSError as exc:  # read-only or foreign folder: a reason, not a traceback
        from portlint.errors import UsageError
        from portlint.safe_write import reason

        where = display(exc.filename, cwd) if isinstance(exc.filename, str) else "the cache"
        raise UsageError(f"{where}: cannot remove: {reason(exc)}") from None
    if done is not None:
        shown = display(done.folder, cwd)
        if done.refused is not None:
            sys.stderr.write(
                f"portlint: {shown}: not a cache folder portlint made ({done.refused}): "
                "nothing removed\n"
            )
        elif done.folder_removed:
            sys.stderr.write(f"portlint: removed {shown}\n")
        else:
            files = "file" if done.left == 1 else "files"
            left = f"; left {done.left} {files} it did not write" if done.left else ""
            sys.stderr.write(f"portlint: removed portlint's files from {shown}{left}\n")
    return EXIT_CLEAN


def cmd_config(args: argparse.Namespace) -> int:
    import json

    from portlint.config import effective, render_effective

    args.format_ = args.format
    args.format = None  # `config --format` picks how to print, not output-format
    resolved = _resolve(args)
    if args.format_ == "json":
        data = {
            "config_file": resolved.config.source,
            "root": resolved.config.root,
            "values": effective(resolved),
            "origins": dict(resolved.origins),
        }
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        sys.stdout.write(render_effective(resolved))
    return EXIT_CLEAN


def _no_color_env() -> bool:
    import os

    return bool(os.environ.get("NO_COLOR"))


def parse_port_argument(text: str) -> tuple[int, str | None]:
    from portlint.errors import UsageError

    number, _, proto = text.partition("/")
    if not number.isdigit():
        raise UsageError(f"{text!r} is not a port number", hint="write e.g. 5432 or 5432/tcp")
    port = int(number)
    if port > 65535:
        raise UsageError(f"port {port} is out of range 0-65535")
    protocol = proto.lower() or None
    if protocol not in (None, "tcp", "udp", "sctp", "dccp"):
        raise UsageError(f"unknown protocol {proto!r}", hint="use tcp, udp, sctp or dccp")
    return port, protocol


def cmd_port(args: argparse.Namespace) -> int:
    from portlint.portinfo import describe_port, render_json, render_text

    port, protocol = parse_port_argument(args.port)
    info = describe_port(port, protocol, listening=not args.no_listening)
    from portlint.portinfo import add_repository_sections

    add_repository_sections(info, None if args.no_repo else args.repo)
    sys.stdout.write(render_json(info) if args.format == "json" else render_text(info))
    return EXIT_CLEAN


def cmd_ports(args: argparse.Namespace) -> int:
    import dataclasses

    from portlint.config import Config
    from portlint.inventory import collect, render

    config = dataclasses.replace(
        Config(),
        respect_gitignore=not args.no_gitignore,
        env_files=tuple(args.env_file),
        use_environment=args.use_environment,
    )
    sys.stdout.write(render(collect(args.paths, config), args.format))
    return EXIT_CLEAN


def cmd_rule(args: argparse.Namespace) -> int:
    from portlint import rules
    from portlint.errors import UsageError
    from portlint.rules.manual import render_json, render_json_one, render_list, render_manual

    if args.all:
        chosen = list(rules.ALL_RULES)
        text = render_json(chosen) if args.format == "json" else render_list(chosen)
        sys.stdout.write(text)
        return EXIT_CLEAN
    if not args.rule:
        raise UsageError("name a rule (PL401 or duplicate-host-port) or pass --all")
    rule = rules.get(args.rule)
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r}", hint="`portlint rule --all` lists them")
    sys.stdout.write(render_json_one(rule) if args.format == "json" else render_manual(rule))
    return EXIT_CLEAN


def cmd_suggest(args: argparse.Namespace) -> int:
    import os

    from portlint.config import display, resolve
    from portlint.errors import UsageError
    from portlint.registry.allocations import Allocations
    from portlint.suggest import (
        allocations_with,
        claim,
        claim_file,
        ephemeral_range,
        project_folder,
        repository_bindings,
        suggest,
        used_ports,
    )

    if args.count < 1:
        raise UsageError("--count must be at least 1")
    if args.near is not None and not 1 <= args.near <= 65535:
        raise UsageError(f"--near {args.near} is out of range 1-65535")
    cwd = os.getcwd()
    config = resolve(cwd).config
    root = project_folder(config, cwd)
    given = args.allocation_file  # typed by the user: may lie outside the project
    extra = given if given is not None and (os.path.exists(given) or not args.claim) else None

    def load() -> Allocations | None:
        return allocations_with(config, cwd, extra)

    allocations = load()  # a broken allocation file is reported before the scan
    # The whole project (not just the current folder) decides what is taken.
    paths = args.paths or [os.path.abspath(os.path.join(cwd, config.root))]
    used = used_ports(repository_bindings(paths, config, cwd))
    ephemeral = ephemeral_range(config)
    # Outside the lock: the first suggestion loads the IANA registry (a quarter
    # of a second), so the locked re-read and choice below stay short.
    found = suggest(args.count, args.near, used, allocations, ephemeral)
    if args.claim:  # locked, re-read, chosen, written; printed only once written
        path = given if given is not None else claim_file(config, cwd)
        shown = display(path, cwd)
        found = claim(
            path,
            lambda: suggest(args.count, args.near, used, load(), ephemeral),
            args.protocol,
            args.claim,
            shown=shown,
            root=None if given is not None else root,  # only what the user typed may leave it
        )
    if not found:
        raise UsageError("no free port left in 1024-49151 outside the ephemeral range")
    sys.stdout.write("".join(f"{port}\n" for port in found))
    if args.claim:
        sys.stderr.write(f"claimed {found[0]}/{args.protocol} for {args.claim} in {shown}\n")
    return EXIT_CLEAN


def cmd_registry_build(args: argparse.Namespace) -> int:
    import os

    from portlint.errors import UsageError
    from portlint.registry import SNAPSHOT_MARKER
    from portlint.registry.convert import build_snapshot
    from portlint.registry.update import MAX_DOWNLOAD
    from portlint.safe_write import starts_with, write_atomic
    from portlint.source import read_bytes

    try:
        data = read_bytes(args.source, MAX_DOWNLOAD)
    except OSError as exc:
        raise UsageError(f"{args.source}: {exc.strerror or exc}") from None
    text = build_snapshot(data, source=os.path.basename(args.source), date=args.date)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        write_atomic(
            args.output,
            text,
            is_ours=starts_with(SNAPSHOT_MARKER),
            what="a portlint registry snapshot",
        )
        sys.stderr.write(f"wrote {args.output} ({text.count(chr(10)) - 1} records)\n")
    return EXIT_CLEAN


def cmd_registry_update(args: argparse.Namespace) -> int:
    from portlint.registry.update import IANA_XML_URL, update

    done = update(args.source or IANA_XML_URL, force=args.force, timeout=args.timeout)
    state = "in use" if done.in_use else "not in use: the shipped snapshot is newer"
    sys.stdout.write(
        f"installed {done.path} (registry date {done.date}, {done.records} records, "
        f"from {done.source}); {state}\n"
    )
    return EXIT_CLEAN


def cmd_registry_info(args: argparse.Namespace) -> int:
    import json

    from portlint import registry

    reg = registry.read_registry()  # not the memo: an update in this process must show
    shipped_date = registry.snapshot_date(registry.SNAPSHOT)
    cache = registry.cache_path()
    cache_date = registry.snapshot_date(cache)
    data = {
        "in_use": reg.origin,
        "path": reg.path,
        "registry_date": reg.date,
        "source": reg.source,
        "records": len(reg.entries),
        "by_status": dict(sorted(reg.counts().items())),
        "shipped_date": shipped_date,
        "cache_path": cache,
        "cache_date": cache_date,
    }
    if args.format == "json":
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return EXIT_CLEAN
    if reg.origin == "cache":
        why = f"newer than the shipped snapshot of {shipped_date}"
    elif cache_date is None:
        why = "no snapshot in the user cache; `portlint registry update` fetches one"
    else:
        why = f"the cached snapshot ({cache_date}) is not newer"
    sys.stdout.write(
        f"in use: {reg.origin} snapshot ({why})\n"
        f"snapshot: {reg.path}\nregistry date: {reg.date} (from {reg.source})\n"
        f"records: {len(reg.entries)} ("
        + ", ".join(f"{v} {k}" for k, v in sorted(reg.counts().items()))
        + ")\n"
    )
    return EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):  # the hot path of every hook start-up check
        sys.stdout.write(f"portlint {_version()}\n")
        return EXIT_CLEAN
    parser = build_parser()
    try:
        args = parser.parse_args(_normalise(argv))
    except SystemExit as exc:  # argparse: --help is 0, a usage error is 2
        return int(exc.code or 0)
    func: Callable[[argparse.Namespace], int] = args.func
    from portlint.errors import PortlintError

    try:
        return func(args)
    except PortlintError as exc:
        sys.stderr.write(f"portlint: error: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("portlint: interrupted\n")
        return EXIT_ERROR
    except Exception as exc:
        if args.debug:
            raise
        name = type(exc).__name__
        sys.stderr.write(f"portlint: internal error: {name}: {exc} (rerun with --debug)\n")
        return EXIT_ERROR
