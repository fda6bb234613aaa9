"""The commands: what each ``portlint`` sub-command does once argparse is done.

:func:`load_config` is the one way a command reads configuration: the
config file's shape (config), then its rule selectors, severities and
options against the catalogue (rules.selection), then its output format
against the reporters, which only a command needs.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from portlint.config import Resolved, Source, resolve
from portlint.findings import Severity
from portlint.rules.selection import check_table, validate_selector


def _check(values: dict[str, Any], src: Source) -> dict[str, Any]:
    from portlint.reporters import REPORTERS  # lazy: reporters load only when a command runs

    if "output_format" in values and values["output_format"] not in REPORTERS:
        raise src.error(
            ("output-format",),
            f"unknown output format {values['output_format']!r}",
            hint="use " + ", ".join(REPORTERS),
        )
    return check_table(values, src)


def load_config(
    cwd: str,
    config_file: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    isolated: bool = False,
) -> Resolved:
    """The effective configuration: defaults < closest config file < flags, fully checked."""
    return resolve(cwd, config_file, overrides, isolated=isolated, check=_check)


def split(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """Comma-separated values, from one flag or a repeated one (``--select A --select B,C``)."""
    if not value:
        return ()
    items = [value] if isinstance(value, str) else value
    return tuple(part.strip() for item in items for part in item.split(",") if part.strip())


def overrides(args: argparse.Namespace) -> dict[str, tuple[object, str]]:
    """Config keys set by flags, validated, each with the flag that set it.

    A command without some of the flags (``ports`` has no ``--select``) simply
    sets fewer keys.
    """
    out: dict[str, tuple[object, str]] = {}
    for key in ("select", "extend-select", "ignore"):
        values = split(getattr(args, key.replace("-", "_"), None))
        for value in values:
            validate_selector(value, f"--{key}")
        if values:
            out[key] = (values, f"--{key}")
    if getattr(args, "fail_on", None):
        out["fail-on"] = (Severity.parse(args.fail_on), "--fail-on")
    for key in ("exclude", "extend-exclude"):
        globs: str | None = getattr(args, key.replace("-", "_"), None)
        if globs is not None:
            out[key] = (split(globs), f"--{key}")
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


def config_from_args(args: argparse.Namespace) -> Resolved:
    """:func:`load_config` for a command's ``--config``/``--isolated`` and flags.

    ``--extend-ignore`` is no config key: it adds to whatever ``ignore`` the
    file or ``--ignore`` gave, so it applies once that is known.
    """
    resolved = load_config(
        os.getcwd(),
        getattr(args, "config", None),
        overrides(args),
        isolated=getattr(args, "isolated", False),
    )
    more = split(getattr(args, "extend_ignore", None))
    if not more:
        return resolved
    for value in more:
        validate_selector(value, "--extend-ignore")
    config = dataclasses.replace(resolved.config, ignore=(*resolved.config.ignore, *more))
    was = resolved.origins.get("ignore", "default")
    origin = "--extend-ignore" if was == "default" else f"{was} + --extend-ignore"
    return Resolved(config, MappingProxyType({**resolved.origins, "ignore": origin}))
