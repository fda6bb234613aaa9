"""``portlint rule``: a rule's manual, or the catalogue."""

from __future__ import annotations

import argparse
import sys

from portlint.errors import EXIT_CLEAN


def run(args: argparse.Namespace) -> int:
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
