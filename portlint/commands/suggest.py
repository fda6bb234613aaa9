"""``portlint suggest``: ports that are free in every sense, and claiming one.

Free means: at least 1024 (rootless engines can bind it), below the dynamic
range and outside the OS ephemeral range, not assigned or reserved by IANA
for any protocol, not the default of any software in the well-known table,
not written anywhere in the repository (any role, any protocol) and not in
the team's allocation file. A port that passes all of that is one nobody
will fight you for.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from portlint.bindings import PortBinding
from portlint.config import Config
from portlint.discovery import discover
from portlint.errors import EXIT_CLEAN, ConfigError, UsageError
from portlint.project import project_folder as _project_folder
from portlint.registry.allocations import (
    DEFAULT_FILE,
    Allocations,
    claim_text,
    parse_allocations,
)
from portlint.registry.free import suggest, used_ports


def repository_bindings(paths: Sequence[str], config: Config, cwd: str) -> list[PortBinding]:
    """Every binding the scanners find (no rules, no filtering)."""
    from portlint.engine.scan import make_scan_context, scan_file, scan_roots

    ctx = make_scan_context(config, cwd, scan_roots(config, cwd, paths or ["."]))
    out: list[PortBinding] = []
    for candidate in discover(paths, config, cwd):
        out.extend(scan_file(candidate, config, ctx).bindings)
    return out


def claim_file(config: Config, cwd: str) -> str:
    """Where ``--claim`` writes: the first configured allocation file, else the
    ``ports.toml`` the run reads (``./ports.toml`` or the project root's), else a
    new one at the project root."""
    root = project_folder(config, cwd)
    if config.allocations:
        first = config.allocations[0]
        return os.path.normpath(os.path.join(root, os.path.expanduser(first)))
    from portlint.registry.allocations import configured_paths

    found = configured_paths((), root, cwd)
    return found[0] if found else os.path.join(root, DEFAULT_FILE)


def allocations_with(config: Config, cwd: str, extra: str | None) -> Allocations | None:
    """The run's allocations (read as every run reads them), plus ``extra``
    (``--allocation-file``, a path the user typed) when there is one."""
    from portlint.registry.allocations import (
        load_allocations,
        load_configured_allocations,
        merge,
    )

    configured = load_configured_allocations(config.allocations, config.root, cwd)
    if extra is None:
        return configured
    added = load_allocations([extra], cwd)
    if configured is None:
        return added
    return merge([*configured.entries, *added.entries], (*configured.paths, *added.paths))


def project_folder(config: Config, cwd: str) -> str:
    return _project_folder(config.root, cwd)


def claim(
    path: str,
    choose: Callable[[], list[int]],
    protocol: str,
    service: str,
    *,
    shown: str,
    root: str | None,
) -> list[int]:
    """Choose ports and append the first to ``path`` for ``service``; the ports chosen.

    ``choose`` reads the allocations and picks; it runs under the file's lock
    (:mod:`portlint.locking`), as do the re-read and the write, so concurrent
    claims queue instead of overwriting each other or picking the same port.
    ``root`` (None for a path the user typed) is the folder the file must lie
    in: a repository's config or a committed ``ports.toml`` link must not make
    portlint append to a file outside the project. Nothing is printed here, so
    the caller prints only after the write succeeded.
    """
    from portlint.locking import locked
    from portlint.safe_write import ensure_inside, write_atomic

    if root is not None:
        ensure_inside(
            path,
            root,
            shown=shown,
            hint="the repository's config or a link in it names this file; pass "
            "--allocation-file FILE to claim in a file outside the project",
        )
    with locked(path, shown=shown):
        found = choose()
        if not found:
            raise UsageError("no free port left in 1024-49151 outside the ephemeral range")
        text = prepare_claim(path, found[0], protocol, service)
        write_atomic(path, text, what="the allocation file")
    return found


def ephemeral_range(config: Config) -> tuple[int, int]:
    """The range PL302 judges by: its own ``range`` option, else ``ephemeral-range``."""
    from portlint.rules.ranges import range_option

    options = config.rule_options.get("PL302", {})
    return range_option(options.get("range"), config.ephemeral_range)


def prepare_claim(path: str, port: int, protocol: str, service: str) -> str:
    """The allocation file's new text with one entry appended, checked to load.

    Done before anything is printed or written, so a file that cannot take an
    appended ``[[allocation]]`` table is refused whole, with a reason.
    """
    if not service.strip() or any(c in service for c in "\r\n"):
        raise UsageError(f"--claim needs a service name on one line, not {service!r}")
    try:
        with open(path, encoding="utf-8", newline="") as fh:  # keep CRLF as written
            existing = fh.read()
    except FileNotFoundError:
        existing = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the allocation file: {exc}") from None
    if existing:
        parse_allocations(existing, path)  # a broken file is its own error, with its line
    text = claim_text(existing, port, protocol, service.strip())
    try:
        parse_allocations(text, path)  # never write a file that would not load
    except ConfigError:
        raise UsageError(
            f"{path}: cannot append an [[allocation]] table to this file",
            hint="it declares `allocation` another way (an inline array?): add the entry by hand",
        ) from None
    return text


def run(args: argparse.Namespace) -> int:
    import os

    from portlint.commands import load_config
    from portlint.errors import UsageError
    from portlint.project import display

    if args.count < 1:
        raise UsageError("--count must be at least 1")
    if args.near is not None and not 1 <= args.near <= 65535:
        raise UsageError(f"--near {args.near} is out of range 1-65535")
    cwd = os.getcwd()
    config = load_config(cwd, args.config, isolated=args.isolated).config
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
