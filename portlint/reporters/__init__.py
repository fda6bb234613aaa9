"""The reporter table. Modules are imported only when their format is chosen."""

from __future__ import annotations

import importlib
import re
from typing import Any

REPORTERS: dict[str, str] = {
    "text": "portlint.reporters.text:TextReporter",
    "concise": "portlint.reporters.concise:ConciseReporter",
    "grouped": "portlint.reporters.grouped:GroupedReporter",
    "json": "portlint.reporters.json:JsonReporter",
    "json-lines": "portlint.reporters.json_lines:JsonLinesReporter",
    "sarif": "portlint.reporters.sarif:SarifReporter",
    "github": "portlint.reporters.github:GithubReporter",
    "gitlab": "portlint.reporters.gitlab:GitlabReporter",
    "junit": "portlint.reporters.junit:JunitReporter",
}


def get_reporter(name: str, **options: Any) -> Any:
    """An instance of the reporter for ``name`` (a key of :data:`REPORTERS`)."""
    module_name, _, attr = REPORTERS[name].partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls(**options)


# How each format's output begins. ``--output-file`` replaces an existing file
# only when it starts like one of these (or is empty): a report from an earlier
# run. A typo must not turn somebody's compose file into a report.
_REPORT_STARTS = re.compile(
    rb"\A\s*(?:"
    rb"\{\s*\"schema_version\"[^{]*\{\s*\"name\"\s*:\s*\"portlint\""  # json
    rb"|\{\"code\": \"PL\d{3}\", \"name\": "  # json-lines
    rb"|[^\n]*:\n  \d+:\d+ +(?:error|warning|note) PL\d{3} "  # grouped
    rb"|\{\s*\"\$schema\"\s*:\s*\"[^\"]*sarif"  # sarif
    rb"|\[\s*(?:\]|\{\s*\"description\")"  # gitlab code quality
    rb"|<\?xml[^>]*>\s*<testsuites name=\"portlint\""  # junit
    rb"|::(?:error|warning|notice|group)\b"  # github workflow commands
    # text, with or without the severity word (reports before issue 13 had none)
    rb"|[^\n]*:\d+:\d+: (?:(?:error|warning|note) )?PL\d{3} |All clear: "
    rb"|Found \d+ (?:findings?|problems?) "
    rb")"
)


def looks_like_report(head: bytes) -> bool:
    """Whether an existing file's first bytes are a portlint report of any format."""
    return _REPORT_STARTS.match(head.removeprefix(b"\xef\xbb\xbf")) is not None
