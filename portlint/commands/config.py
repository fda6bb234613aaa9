"""``portlint config``: the effective configuration and where each value came from.

Printing configuration is presentation, so it lives with the command, not
with the loader in :mod:`portlint.config`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import Any

from portlint import rules
from portlint.commands import config_from_args
from portlint.config import KEYS, Resolved
from portlint.errors import EXIT_CLEAN
from portlint.findings import Severity


def effective(resolved: Resolved) -> dict[str, Any]:
    """The config as TOML-shaped plain data, for ``portlint config``."""
    cfg = resolved.config
    out: dict[str, Any] = {}
    for key, field_name in KEYS.items():
        value = getattr(cfg, field_name)
        if key == "rules":
            continue
        out[key] = _plain(value)
    rules_out: dict[str, Any] = {}
    for rule in rules.ALL_RULES:
        if not rule.options:
            continue
        given = cfg.rule_options.get(rule.code, {})
        rules_out[rule.code] = {
            opt.name: _plain(given.get(opt.name, opt.default)) for opt in rule.options
        }
    out["rules"] = rules_out
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def render_effective(resolved: Resolved) -> str:
    """TOML-like listing, each value followed by where it came from."""
    import json

    data = effective(resolved)
    cfg = resolved.config
    lines = [
        f"# config file: {cfg.source or '(none: defaults)'}",
        f"# project root: {cfg.root}",
    ]
    width = max(len(k) for k in data)
    for key, value in data.items():
        if key == "rules":
            continue
        shown = "(none)" if value is None else json.dumps(value)
        lines.append(f"{key:<{width}} = {shown}  # {resolved.origins[key]}")
    for code, options in data["rules"].items():
        lines += ["", f"[rules.{code}]"]
        for opt, value in options.items():
            origin = resolved.origins.get(f"rules.{code}.{opt}", "default")
            lines.append(f"{opt} = {json.dumps(value)}  # {origin}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    args.format_ = args.format
    args.format = None  # `config --format` picks how to print, not output-format
    resolved = config_from_args(args)
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
