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
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import argparse


from portlint.errors import EXIT_CLEAN, EXIT_ERROR

COMMANDS = (
    "check",
    "port",
    "ports",
    "preflight",
    "rule",
    "registry",
    "config",
    "suggest",
    "clean",
    "completion",
)


def _lazy(command: str, function: str = "run") -> Callable[[argparse.Namespace], int]:
    """The command's function, imported only when that command runs."""

    def call(args: argparse.Namespace) -> int:
        import importlib

        module = importlib.import_module(f"portlint.commands.{command}")
        func: Callable[[argparse.Namespace], int] = getattr(module, function)
        return func(args)

    return call


def _version() -> str:
    from portlint import __version__

    return __version__


GLOBAL_DEFAULTS = {"debug": False, "color": "auto"}
"""Options accepted before and after the command name, and their values when absent."""

COLOR_CHOICES = ("auto", "always", "never")


class UsageExit(Exception):
    """argparse refused the command line: one line for stderr, then exit 2."""


def _did_you_mean(word: str, choices: Sequence[str], cutoff: float = 0.6) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def _fail(parser: argparse.ArgumentParser, message: str, hint: str | None = None) -> NoReturn:
    """A usage error as one line: ``portlint check: error: ... (hint: ...)``."""
    hint = hint or f"see `{parser.prog} --help`"
    raise UsageExit(f"{parser.prog}: error: {message} (hint: {hint})")


@cache
def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse's parser as the tools users know behave: no abbreviated options
    (``--form`` is not ``--format``), and a usage error is one line with a hint
    (a close choice when there is one), not the usage block.

    A class built on first use, since ``argparse`` itself is imported lazily.
    """
    import argparse

    class Parser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("allow_abbrev", False)
            super().__init__(*args, **kwargs)

        def error(self, message: str) -> NoReturn:
            _fail(self, message)

        def _check_value(self, action: argparse.Action, value: Any) -> None:
            choices = action.choices
            if choices is None or value in choices:
                return
            names = [str(c) for c in choices]
            close = _did_you_mean(str(value), names)
            message = f"invalid choice: {value!r} (choose from {', '.join(names)})"
            _fail(
                self,
                str(argparse.ArgumentError(action, message)),
                f"did you mean {close!r}?" if close else None,
            )

    return Parser


@cache
def _common() -> argparse.ArgumentParser:
    """Options accepted before and after the command name.

    Their defaults are ``SUPPRESS`` and stay so: a default set on these shared
    actions (``set_defaults`` on the top parser changes them too) would let the
    sub-command's parser overwrite a flag given before the command. Absent
    flags get :data:`GLOBAL_DEFAULTS` after parsing.
    """
    import argparse

    common = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show tracebacks of internal errors",
    )
    common.add_argument(
        "--color",
        choices=COLOR_CHOICES,
        default=argparse.SUPPRESS,
        metavar="WHEN",
        help="colour the text output: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR "
        "or CLICOLOR_FORCE turn it on), always or never (default: auto)",
    )
    common.add_argument(
        "--no-color",
        dest="color",
        action="store_const",
        const="never",
        default=argparse.SUPPRESS,
        help="the same as --color never",
    )
    return common


def _add_check(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "check", parents=[_common()], help="lint files and folders (the default command)"
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (default: .); `-` reads one file from standard input",
    )
    p.add_argument(
        "--stdin-filename",
        default=None,
        metavar="PATH",
        help="with `-`: the path the input belongs at, which picks its scanner, matches "
        "the config and names it in findings (default: <stdin>, read as YAML: Compose, "
        "Kubernetes or other by content); e.g. `helm template CHART | portlint check - "
        "--stdin-filename CHART/rendered.yaml`",
    )
    from portlint.reporters import REPORTERS  # the table only: no reporter is imported

    p.add_argument(
        "--format",
        "--output-format",
        dest="format",
        choices=tuple(REPORTERS),
        default=None,
        metavar="FORMAT",
        help=f"output format: {', '.join(REPORTERS)} (default: text)",
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
    fixing = p.add_mutually_exclusive_group()
    fixing.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes ([*] in the report), then report what remains",
    )
    fixing.add_argument(
        "--diff",
        action="store_true",
        help="print one pass of fixes as a unified diff and change nothing (exit 1 when there "
        "is one; --fix may apply more, over passes)",
    )
    fixing.add_argument(
        "--fix-only",
        action="store_true",
        help="apply the fixes and report only how many; exit 0 unless portlint failed",
    )
    p.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix, --diff or --fix-only: apply fixes that change what runs too "
        "(a new port, a loopback bind)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="say on stderr why each file that is not read was skipped",
    )
    p.add_argument(
        "--show-files",
        action="store_true",
        help="list the files a check would read, with the scanner that reads each, and exit 0",
    )
    p.add_argument(
        "-o",
        "--output-file",
        default=None,
        metavar="FILE",
        help="write the report here instead of stdout",
    )
    p.add_argument(
        "--use-environment",
        action="store_true",
        help="let the process environment fill compose variables",
    )
    _add_speed_flags(p)
    p.set_defaults(func=_lazy("check"))


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
        help="accepted for compatibility; portlint scans in one process",
    )


def _bytes(text: str) -> int:
    import argparse

    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of bytes, got {text!r}")
    return int(text)


def _env_file(text: str) -> str:
    """``--env-file FILE`` as Compose reads it: from the current folder, and it must exist
    (Compose refuses a missing one; ignoring it would lint with the variables unset)."""
    import argparse
    import os

    if not os.path.exists(text) or os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"no such file: {text!r}")
    return os.path.abspath(text)


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
    p.set_defaults(func=_lazy("clean"))


def _add_config_flags(p: argparse.ArgumentParser) -> None:
    """Flags that override config-file keys (shared by `check` and `config`)."""
    p.add_argument("--config", default=None, metavar="FILE", help="use this config file only")
    p.add_argument(
        "--isolated", action="store_true", help="ignore config files (defaults plus flags)"
    )
    # Repeated selector flags accumulate (`--select PL4 --select PL5`), as in ruff.
    p.add_argument(
        "--select",
        action="append",
        metavar="CODES",
        help="comma-separated codes, prefixes or names (repeatable)",
    )
    p.add_argument(
        "--extend-select", action="append", metavar="CODES", help="add to the selected rules"
    )
    p.add_argument(
        "--ignore",
        action="append",
        metavar="CODES",
        help="comma-separated codes, prefixes or names (repeatable)",
    )
    p.add_argument(
        "--extend-ignore",
        action="append",
        metavar="CODES",
        help="add to the ignored rules (the config's ignore, or --ignore)",
    )
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
        type=_env_file,
        default=[],
        metavar="FILE",
        help="read variables for interpolation from FILE, relative to the current folder "
        "(repeatable)",
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
    p.set_defaults(func=_lazy("config"))


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
    p.set_defaults(func=_lazy("port"))


def _add_ports(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ports", parents=[_common()], help="list every port the files claim")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown", "html", "svg", "mermaid"),
        default="text",
        help="html: a self-contained page with the port line and a sortable table; "
        "svg: the line alone; mermaid: a flowchart for a pull request or wiki",
    )
    _add_project_flags(p)
    p.add_argument("--no-gitignore", action="store_true", help="scan files .gitignore hides")
    p.add_argument(
        "--env-file",
        action="append",
        type=_env_file,
        default=[],
        metavar="FILE",
        help="read variables for interpolation from FILE (repeatable)",
    )
    p.add_argument("--use-environment", action="store_true")
    p.add_argument(
        "--contested",
        action="store_true",
        help="list only ports more than one independent project claims, with every claimant",
    )
    p.add_argument(
        "--no-cache", action="store_true", help="neither read nor write .portlint_cache/"
    )
    p.set_defaults(func=_lazy("ports"))


def _add_preflight(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "preflight",
        parents=[_common()],
        help="before `up`: is every host port the project binds free on this machine?",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    p.add_argument(
        "-f",
        "--file",
        dest="files",
        action="append",
        default=[],
        metavar="FILE",
        help="read only these compose files, as `docker compose -f` (repeatable)",
    )
    p.add_argument(
        "--profile",
        action="append",
        default=[],
        metavar="PROFILE",
        help="start the services of this compose profile too (repeatable; '*' for all)",
    )
    p.add_argument(
        "-p",
        "--project-name",
        default=None,
        metavar="NAME",
        help="the compose project name (default: as Compose derives it)",
    )
    p.add_argument("--k8s", action="store_true", help="include Kubernetes hostPorts and nodePorts")
    p.add_argument("--no-docker", action="store_true", help="do not ask the Docker Engine's socket")
    p.add_argument("--format", choices=("text", "json"), default="text")
    _add_project_flags(p)
    p.add_argument("--no-gitignore", action="store_true", help="scan files .gitignore hides")
    p.add_argument(
        "--env-file",
        action="append",
        type=_env_file,
        default=[],
        metavar="FILE",
        help="read variables for interpolation from FILE (repeatable)",
    )
    p.add_argument("--use-environment", action="store_true")
    p.set_defaults(func=_lazy("preflight"))


def _add_project_flags(p: argparse.ArgumentParser) -> None:
    """Which files a command reads, as `check` chooses them (for `ports`)."""
    p.add_argument("--config", default=None, metavar="FILE", help="use this config file only")
    p.add_argument("--isolated", action="store_true", help="ignore config files")
    p.add_argument("--exclude", default=None, help="comma-separated globs (replaces the config's)")
    p.add_argument("--extend-exclude", default=None, help="comma-separated globs to add")
    p.add_argument(
        "--no-default-excludes",
        dest="exclude",
        action="store_const",
        const="",
        help="list vendored, build and test-data folders too (the same as --exclude '')",
    )


def _add_suggest(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "suggest",
        parents=[_common()],
        help="propose ports free in every sense; --claim records one",
    )
    p.add_argument("paths", nargs="*", metavar="PATH", help="the repository to avoid (default: .)")
    p.add_argument("--config", default=None, metavar="FILE", help="use this config file only")
    p.add_argument("--isolated", action="store_true", help="ignore config files")
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
    p.set_defaults(func=_lazy("suggest"))


def _add_rule(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "rule", parents=[_common()], help="print a rule's manual, or list every rule"
    )
    p.add_argument("rule", nargs="?", metavar="CODE|NAME")
    p.add_argument("--all", action="store_true", help="list every rule")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_lazy("rule"))


def _add_registry(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "registry", parents=[_common()], help="the IANA registry snapshot: build, update, info"
    )
    rsub = p.add_subparsers(dest="registry_command", required=True, metavar="COMMAND")
    build = rsub.add_parser("build", help="convert an IANA export (XML or CSV) to a snapshot")
    build.add_argument("--from", dest="source", required=True, metavar="FILE")
    build.add_argument("-o", "--output", default="-", help="snapshot file (default: stdout)")
    build.add_argument("--date", default=None, help="registry date, for a CSV export")
    build.set_defaults(func=_lazy("registry", "build"))
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
    update.set_defaults(func=_lazy("registry", "update"))
    info = rsub.add_parser("info", help="which snapshot is in use")
    info.add_argument("--format", choices=("text", "json"), default="text")
    info.set_defaults(func=_lazy("registry", "info"))


def _add_completion(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh or fish)",
        description="Print a completion script generated from portlint's own options; "
        "see the README for where each shell loads it.",
    )
    p.add_argument("shell", choices=("bash", "zsh", "fish"), metavar="SHELL")
    p.set_defaults(func=_completion)


def _completion(args: argparse.Namespace) -> int:
    """Here, not in portlint.commands: the script is written from this module's parser."""
    from portlint.commands.completion import render

    sys.stdout.write(render(build_parser(), args.shell))
    return EXIT_CLEAN


def build_parser() -> argparse.ArgumentParser:
    parser = _parser_class()(
        prog="portlint",
        description="Find port collisions and risky port numbers in config files.",
        parents=[_common()],
    )
    parser.add_argument("--version", action="version", version=f"portlint {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in (
        _add_check,
        _add_port,
        _add_ports,
        _add_preflight,
        _add_rule,
        _add_registry,
        _add_config,
        _add_suggest,
        _add_clean,
        _add_completion,
    ):
        add(sub)
    return parser


def _command_parser(
    parser: argparse.ArgumentParser, args: argparse.Namespace
) -> argparse.ArgumentParser:
    """The parser of the (sub-)command ``args`` ran: ``portlint registry build``'s, say."""
    import argparse

    for dest in ("command", "registry_command"):
        actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        name = getattr(args, dest, None)
        if not actions or name not in actions[0].choices:
            break
        parser = actions[0].choices[name]
    return parser


def _command_index(argv: list[str]) -> int:
    """Where the command (or the first path) starts: after the global flags."""
    i = 0
    while i < len(argv):
        if argv[i] in ("--debug", "--no-color") or argv[i].startswith("--color="):
            i += 1
        elif argv[i] == "--color":
            i += 2
        else:
            break
    return min(i, len(argv))


def _normalise(argv: list[str]) -> list[str]:
    """``portlint PATH`` means ``portlint check PATH``: insert the default command."""
    i = _command_index(argv)
    rest = argv[i:]
    if rest and (rest[0] in COMMANDS or rest[0] in ("-h", "--help", "--version")):
        return argv
    return [*argv[:i], "check", *rest]


def _mistyped_command(argv: list[str]) -> str | None:
    """``portlint chek``: the command the first word is a typo of, if it is no path.

    ``portlint PATH`` is valid, so a word that exists as a file or folder, or
    that is not close to any command name, is left for ``check`` to read.
    """
    import os

    i = _command_index(argv)
    if i >= len(argv):
        return None
    word = argv[i]
    if word.startswith("-") or word in COMMANDS or os.path.lexists(word):
        return None
    return _did_you_mean(word, COMMANDS, cutoff=0.75)


def _unknown_options(
    parser: argparse.ArgumentParser, args: argparse.Namespace, extras: list[str]
) -> NoReturn:
    """Extras argparse left over, said by the command's parser (so the hint names its
    ``--help``), with the closest option of that command for the first unknown one."""
    command = _command_parser(parser, args)
    options = [o for a in command._actions for o in a.option_strings if o.startswith("--")]
    flags = [e.partition("=")[0] for e in extras if e.startswith("-")]
    close = _did_you_mean(flags[0], options) if flags else None
    message = f"unrecognized arguments: {' '.join(extras)}"
    _fail(command, message, f"did you mean {close}?" if close else None)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):  # the hot path of every hook start-up check
        sys.stdout.write(f"portlint {_version()}\n")
        return EXIT_CLEAN
    typo = _mistyped_command(argv)
    if typo is not None:
        word = argv[_command_index(argv)]
        sys.stderr.write(
            f"portlint: error: {word!r} is neither a command nor a file or folder"
            f" (hint: did you mean `portlint {typo}`?)\n"
        )
        return EXIT_ERROR
    parser = build_parser()
    try:
        args, extras = parser.parse_known_args(_normalise(argv))
        if extras:
            _unknown_options(parser, args, extras)
    except SystemExit as exc:  # argparse: --help and --version
        return int(exc.code or 0)
    except UsageExit as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_ERROR
    for name, value in GLOBAL_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, value)
    func: Callable[[argparse.Namespace], int] = args.func
    from portlint.errors import PortlintError

    try:
        code = func(args)
        sys.stdout.flush()  # a closed pipe is found here, not in the interpreter's exit
        return code
    except BrokenPipeError:
        # `portlint check . | head -1`: the reader has gone. As ruff (and ripgrep)
        # do, end quietly with exit 0: the reader chose to stop reading.
        _discard_stdout()
        return EXIT_CLEAN
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


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's final flush of what is
    still buffered does not print "Exception ignored ... BrokenPipeError"."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # in-process runs: stdout has no descriptor
        pass
