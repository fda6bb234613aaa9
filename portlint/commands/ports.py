"""``portlint ports``: the repository's port map, as a table, JSON or Markdown,
or as a picture (HTML, SVG, Mermaid: :mod:`portlint.commands._portmap`).

The JSON form is a documented, versioned interface (docs/ports.md)::

    {"version": 3, "bindings": [{"path", "line", "column", "kind", "owner", "role",
      "host_ip", "port", "end_port", "protocol", "target", "target_end", "text",
      "profiles", "namespace", "direction", "identity"}]}

``path`` is relative to the current directory; ``line`` and ``column`` are
1-based and point at the port as written. ``identity`` is the well-known
program the binding's names say it is (:func:`portlint.identity.known_as`),
the same judgment PL201, PL301 and PL501 use, or null. A file reached twice (an included
compose file is also a project of its own) yields each row once.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from portlint import identity
from portlint.bindings import PortBinding
from portlint.commands._labels import namespace_label, port_range
from portlint.config import Config
from portlint.discovery import discover
from portlint.engine.batch import scan_all
from portlint.engine.scan import make_scan_context, scan_roots
from portlint.errors import EXIT_CLEAN
from portlint.placement import place
from portlint.project import project_folder

SCHEMA_VERSION = 3
FORMATS = ("text", "json", "markdown", "html", "svg", "mermaid")
PICTURES = ("html", "svg", "mermaid")
COLUMNS = (
    "location",
    "kind",
    "owner",
    "role",
    "host ip",
    "port",
    "target",
    "proto",
    "namespace",
    "identity",
)

Row = tuple[
    str,
    int,
    int,
    str,
    str,
    str,
    str | None,
    int | None,
    int | None,
    str,
    int | None,
    int | None,
    str,
    tuple[str, ...],
]


def collect(paths: Sequence[str], config: Config, cwd: str | None = None) -> list[PortBinding]:
    """Every binding under ``paths``, once each, in file order.

    Files are scanned through the scan cache ``check`` fills (unless
    ``config.cache`` is off), so a map of an unchanged repository is read,
    not parsed.
    """
    cwd = cwd or os.getcwd()
    ctx = make_scan_context(config, cwd, scan_roots(config, cwd, paths or ["."]))
    seen: set[Row] = set()
    out: list[PortBinding] = []
    candidates = discover(paths, config, cwd)
    results = scan_all(candidates, config, ctx, cwd, project_folder(config.root, cwd))
    for scanned in results:
        for binding in scanned.bindings:
            key = _row(binding)
            if key not in seen:
                seen.add(key)
                out.append(binding)
    return sorted(place(out, (c.display for c in candidates)), key=_row)


def _row(b: PortBinding) -> Row:
    loc = b.location
    return (
        loc.path,
        loc.line,
        loc.column,
        b.kind,
        b.owner,
        b.role,
        b.host_ip,
        b.port,
        b.end_port,
        b.protocol,
        b.target,
        b.target_end,
        b.text,
        b.profiles,
    )


def as_dict(b: PortBinding) -> dict[str, Any]:
    loc = b.location
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "kind": b.kind,
        "owner": b.owner,
        "role": b.role,
        "host_ip": b.host_ip,
        "port": b.port,
        "end_port": b.end_port,
        "protocol": b.protocol,
        "target": b.target,
        "target_end": b.target_end,
        "text": b.text,
        "profiles": list(b.profiles),
        "namespace": None
        if b.namespace is None
        else {"kind": b.namespace.kind, "id": b.namespace.id or None},
        "direction": direction(b),
        "identity": identity.known_as(b),
    }


def direction(b: PortBinding) -> str:
    """``listen`` for a port something binds, ``connect`` for one a config dials
    (a URL, ``DB_PORT``), ``refer`` for a Kubernetes reference to a port by name
    or number (``targetPort``, a probe, an Ingress backend)."""
    if b.role == "url":
        return "connect"
    return "refer" if b.namespace is None else "listen"


def render_json(bindings: Sequence[PortBinding]) -> str:
    data = {"version": SCHEMA_VERSION, "bindings": [as_dict(b) for b in bindings]}
    return json.dumps(data, indent=2) + "\n"


def _cells(b: PortBinding) -> tuple[str, ...]:
    return (
        str(b.location),
        b.kind,
        b.owner,
        b.role,
        b.host_ip or "*",
        port_range(b.port, b.end_port),
        port_range(b.target, b.target_end) if b.target is not None else "",
        b.protocol,
        namespace_label(b),
        identity.known_as(b) or "",
    )


def render_text(bindings: Sequence[PortBinding]) -> str:
    if not bindings:
        return "no ports found\n"
    rows = [tuple(c.upper() for c in COLUMNS), *(_cells(b) for b in bindings)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def render_markdown(bindings: Sequence[PortBinding]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    out = [line(COLUMNS), line(["---"] * len(COLUMNS))]
    out.extend(line([f"`{c}`" if i == 0 else c for i, c in enumerate(_cells(b))]) for b in bindings)
    return "\n".join(out) + "\n"


def render(bindings: Sequence[PortBinding], fmt: str) -> str:
    if fmt == "json":
        return render_json(bindings)
    if fmt == "markdown":
        return render_markdown(bindings)
    return render_text(bindings)


def render_contested(bindings: Sequence[PortBinding], config: Config, fmt: str) -> str:
    """Ports more than one independent project claims, each with every claimant.

    PL402 reports a shared port only when the files show the projects run
    together (docs/rules.md); these are the rest, for a person to judge. With
    an allocation file every project is one space and PL402 reports them all,
    so the list is empty.
    """
    from portlint.registry.allocations import load_configured_allocations
    from portlint.rules import BY_CODE
    from portlint.rules.collisions import contested_ports

    rule = BY_CODE["PL402"]
    options = {**rule.default_options(), **config.rule_options.get("PL402", {})}
    one_space = (
        load_configured_allocations(config.allocations, config.root, os.getcwd()) is not None
    )
    found = contested_ports(bindings, options, one_space=one_space)
    if fmt == "json":
        data = {
            "version": SCHEMA_VERSION,
            "contested": [
                {"port": port, "protocol": proto, "claimants": [as_dict(b) for b in claimants]}
                for port, proto, claimants in found
            ],
        }
        return json.dumps(data, indent=2) + "\n"
    if not found:
        return "no contested ports\n"
    rows: list[tuple[str, ...]] = []
    for port, proto, claimants in found:
        for i, b in enumerate(claimants):
            head = f"{port}/{proto}" if i == 0 else ""
            rows.append((head, b.role, describe_owner(b), str(b.location)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]
    return "\n".join(lines) + "\n"


def render_picture(
    bindings: Sequence[PortBinding], paths: Sequence[str], config: Config, fmt: str
) -> str:
    """The map as HTML, SVG or Mermaid, with the collisions `check` reports on these files.

    The engine runs with the same config (suppressions and the baseline
    apply), so the map marks what `portlint check` says and judges nothing
    itself; contested ports are the ones `--contested` lists.
    """
    from portlint import registry
    from portlint.commands import _portmap
    from portlint.engine.run import run as check
    from portlint.registry.allocations import load_configured_allocations
    from portlint.rules import BY_CODE
    from portlint.rules.collisions import contested_ports

    result = check(paths, config)
    options = {**BY_CODE["PL402"].default_options(), **config.rule_options.get("PL402", {})}
    one_space = (
        load_configured_allocations(config.allocations, config.root, os.getcwd()) is not None
    )
    contested = [
        b
        for _, _, claimants in contested_ports(bindings, options, one_space=one_space)
        for b in claimants
    ]
    ephemeral = config.rule_options.get("PL302", {}).get("range") or config.ephemeral_range
    m = _portmap.build(
        bindings,
        result.findings,
        contested,
        ephemeral,
        registry_date=registry.load().date,
    )
    if fmt == "svg":
        return _portmap.render_svg(m)
    if fmt == "mermaid":
        return _portmap.render_mermaid(m)
    return _portmap.render_html(m)


def describe_owner(b: PortBinding) -> str:
    """``service web``, ``variable PORT``: who claims, in the words of its file."""
    from portlint.rules._claims import describe

    return describe(b).replace('"', "")


def run(args: argparse.Namespace) -> int:
    import dataclasses

    from portlint.commands import config_from_args

    # The files `check` would read: the project's config (or --config, or
    # --isolated) through the one loader, then the flags (exclude, gitignore,
    # env files) over it.
    config = dataclasses.replace(
        config_from_args(args).config,
        use_environment=args.use_environment,
        cache=not args.no_cache,
    )
    if args.contested and args.format in PICTURES:
        from portlint.errors import UsageError

        raise UsageError(
            f"--contested lists ports; --format {args.format} draws them all",
            hint="the map marks the contested ports itself: drop --contested",
        )
    found = collect(args.paths, config)
    if args.format in PICTURES:
        sys.stdout.write(render_picture(found, args.paths, config, args.format))
        return EXIT_CLEAN
    if args.contested:
        sys.stdout.write(render_contested(found, config, args.format))
        return EXIT_CLEAN
    sys.stdout.write(render(found, args.format))
    return EXIT_CLEAN
