"""Findings under the name of their file, as ruff's ``grouped`` format shows them.

Made for reading a long report by file: the path is said once, each finding
below it starts with its aligned ``line:col``, and hints stay under their
finding. Files are separated by a blank line; the notes and the summary line
close the report as in the text format.
"""

from __future__ import annotations

from itertools import groupby
from typing import ClassVar, TextIO

from portlint.reporters.text import _BOLD, _COLOURS, _DIM, TextReporter
from portlint.results import RunResult


class GroupedReporter(TextReporter):
    name: ClassVar[str] = "grouped"
    human: ClassVar[bool] = True

    def render(self, run: RunResult, out: TextIO) -> None:
        # findings are sorted by location, so one file's findings are adjacent
        for index, (path, group) in enumerate(groupby(run.findings, lambda f: f.location.path)):
            findings = list(group)
            if index:
                out.write("\n")
            out.write(self._paint(f"{path}:", _BOLD) + "\n")
            places = [f"{f.location.line}:{f.location.column}" for f in findings]
            width = max(len(place) for place in places)
            for place, finding in zip(places, findings, strict=True):
                severity = self._paint(finding.severity.label, _COLOURS[finding.severity])
                mark = " [*]" if run.fixable(finding) else ""
                out.write(f"  {place:<{width}} {severity} {finding.code}{mark} {finding.message}\n")
                if finding.hint:
                    out.write(self._paint(f"    hint: {finding.hint}", _DIM) + "\n")
                if self.show_source:
                    excerpt = self.excerpt(run, finding)
                    if excerpt is not None:
                        out.write("".join(f"    {line}\n" for line in excerpt.split("\n")))
        if run.findings and not self.quiet:
            out.write("\n")
        self.render_footer(run, out)
