"""One line per finding and nothing else per finding: for grep, editors and long runs.

The line is the text format's (``path:line:col: SEVERITY CODE message``), so
a tool that reads one reads the other; hints and source excerpts, which take
a line each, are left out, as in ruff's ``concise``. The notes and the summary
line stay (``-q`` drops them), since they are about the run, not a finding.
"""

from __future__ import annotations

from typing import ClassVar, TextIO

from portlint.findings import Finding
from portlint.reporters.text import TextReporter
from portlint.results import RunResult


class ConciseReporter(TextReporter):
    name: ClassVar[str] = "concise"
    human: ClassVar[bool] = True

    def format_finding(self, finding: Finding, fixable: bool = False) -> str:
        return self.finding_line(finding, fixable)

    def render(self, run: RunResult, out: TextIO) -> None:
        for finding in run.findings:
            out.write(self.finding_line(finding, run.fixable(finding)) + "\n")
        self.render_footer(run, out)
