"""GitHub Actions workflow commands: one annotation per finding, grouped by file.

The runner parses ``::level key=value,...::message``, so values are escaped:
``%``, CR and LF everywhere, and also ``:`` and ``,`` inside properties, where
they would otherwise end a value early.
"""

from __future__ import annotations

from itertools import groupby
from typing import ClassVar, TextIO

from portlint.findings import Finding, Severity
from portlint.results import RunResult

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    loc = finding.location
    props = [("file", loc.path), ("line", str(loc.line))]
    multi_line = loc.end_line is not None and loc.end_line != loc.line
    if not multi_line:  # a column only means something on one line
        props.append(("col", str(loc.column)))
    if loc.end_line is not None:
        props.append(("endLine", str(loc.end_line)))
        if not multi_line and loc.end_column is not None:
            props.append(("endColumn", str(loc.end_column)))
    props.append(("title", f"portlint {finding.code} ({finding.name})"))
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    head = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{LEVELS[finding.severity]} {head}::{escape_data(message)}"


class GithubReporter:
    name: ClassVar[str] = "github"
    human: ClassVar[bool] = False

    def __init__(self, **_: object) -> None:
        pass

    def render(self, run: RunResult, out: TextIO) -> None:
        for path, group in groupby(run.findings, key=lambda f: f.location.path):
            out.write(f"::group::{escape_data(path)}\n")
            for finding in group:
                out.write(annotation(finding) + "\n")
            out.write("::endgroup::\n")
