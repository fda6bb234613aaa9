"""``portlint registry build|update|info``: the IANA snapshot portlint ships and updates."""

from __future__ import annotations

import argparse
import sys

from portlint.errors import EXIT_CLEAN


def build(args: argparse.Namespace) -> int:
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


def update(args: argparse.Namespace) -> int:
    from portlint.registry.update import IANA_XML_URL, update

    done = update(args.source or IANA_XML_URL, force=args.force, timeout=args.timeout)
    state = "in use" if done.in_use else "not in use: the shipped snapshot is newer"
    sys.stdout.write(
        f"installed {done.path} (registry date {done.date}, {done.records} records, "
        f"from {done.source}); {state}\n"
    )
    return EXIT_CLEAN


def info(args: argparse.Namespace) -> int:
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
