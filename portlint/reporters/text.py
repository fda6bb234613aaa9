"""``path:line:col: SEVERITY CODE message``, the format editors and humans both read.

The severity word is on every line (as ruff and yamllint print it), so a
reader, or ``grep error``, tells problems from notes without colour; colour
only repeats it, on a terminal.
"""

from __future__ import annotations

from typing import ClassVar, TextIO

from portlint.findings import Finding, Severity
from portlint.printable import printable
from portlint.results import RunResult

_COLOURS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.NOTE: "\x1b[36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def summary_line(run: RunResult) -> str:
    """Errors and warnings are problems; notes are counted after them, never as problems."""
    problems = [
        plural(run.count(sev), sev.label)
        for sev in (Severity.ERROR, Severity.WARNING)
        if run.count(sev)
    ]
    total = run.count(Severity.ERROR) + run.count(Severity.WARNING)
    files = plural(run.files_scanned, "file")
    if total:
        text = f"Found {plural(total, 'problem')} ({', '.join(problems)}) in {files}"
    else:
        text = f"All clear: no problems in {files}"
    extras = []
    if run.count(Severity.NOTE):
        extras.append(plural(run.count(Severity.NOTE), "note"))
    if run.files_skipped:
        extras.append(f"{plural(run.files_skipped, 'file')} skipped")
    if run.suppressed:
        extras.append(f"{run.suppressed} suppressed")
    if run.hidden_by_baseline:
        extras.append(f"{run.hidden_by_baseline} hidden by the baseline")
    if run.stale_baseline:
        extras.append(
            f"{plural(run.stale_baseline, 'stale baseline entry')}".replace("entrys", "entries")
        )
    return text + (f"; {', '.join(extras)}" if extras else "") + "."


def fix_line(run: RunResult) -> str:
    """How many fixes ``--fix`` applied, how many it would, and how many need ``--unsafe-fixes``.

    Empty when no finding has a fix and nothing was fixed, so a run without
    fixes reads as before.
    """
    fixable = sum(1 for f in run.findings if run.fixable(f))
    unsafe = sum(1 for f in run.findings if f.fix is not None and not run.fixable(f))
    parts = []
    if run.fixed:
        remain = len(run.findings)
        parts.append(f"Fixed {run.fixed}, {remain} remain{'s' if remain == 1 else ''}")
    if fixable:
        flags = "--fix --unsafe-fixes" if run.unsafe_fixes else "--fix"
        parts.append(f"{fixable} fixable with `{flags}` ([*])")
    if unsafe:
        parts.append(f"{unsafe} with an unsafe fix (`--unsafe-fixes`)")
    return "; ".join(parts) + "." if parts else ""


def statistics(run: RunResult) -> str:
    """Counts per code, most frequent first (ties by code), like ``ruff --statistics``."""
    counts: dict[tuple[str, str], int] = {}
    for f in run.findings:
        counts[(f.code, f.name)] = counts.get((f.code, f.name), 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    width = len(str(rows[0][1]))
    return "".join(f"{n:>{width}}  {code}  {name}\n" for (code, name), n in rows)


class TextReporter:
    name: ClassVar[str] = "text"
    human: ClassVar[bool] = True

    def __init__(
        self,
        colour: bool = False,
        show_source: bool = False,
        quiet: bool = False,
        statistics: bool = False,
        **_: object,
    ) -> None:
        self.colour = colour
        self.show_source = show_source
        self.quiet = quiet
        self.statistics = statistics
        self._lines: dict[str, list[str] | None] = {}

    def source_line(self, run: RunResult, path: str, line: int) -> str | None:
        """The text of one line, read once per file through the safe reader."""
        if path not in self._lines:
            import os

            from portlint.source import SourceFile, read_source

            text = run.texts.get(path)  # standard input: the text read, not a file on disk
            source = (
                SourceFile(path, text)
                if text is not None
                else read_source(os.path.join(run.cwd, path), path)
            )
            self._lines[path] = (
                [source.line_text(n) for n in range(1, len(source.line_starts) + 1)]
                if isinstance(source, SourceFile)
                else None
            )
        lines = self._lines[path]
        return lines[line - 1] if lines is not None and 0 < line <= len(lines) else None

    def excerpt(self, run: RunResult, finding: Finding) -> str | None:
        loc = finding.location
        text = self.source_line(run, loc.path, loc.line)
        if text is None:
            return None
        width = 1
        if loc.end_line in (None, loc.line) and loc.end_column is not None:
            width = max(loc.end_column - loc.column, 1)
        gutter = f"{loc.line} | "
        # One cell per character, so the caret lines up; control characters in
        # the file (an ESC in a comment) are shown escaped, never sent to the
        # terminal, and the caret moves with the escapes before and under it.
        expanded = text.expandtabs(1)
        start = len(printable(expanded[: loc.column - 1]))
        width = max(len(printable(expanded[loc.column - 1 : loc.column - 1 + width])), 1)
        caret = " " * (len(gutter) - 2) + "| " + " " * start + "^" * width
        return f"{gutter}{printable(expanded)}\n{self._paint(caret, _COLOURS[finding.severity])}"

    def _paint(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour else text

    def finding_line(self, finding: Finding, fixable: bool = False) -> str:
        """``path:line:col: SEVERITY CODE [*] message``: the line the text formats share."""
        loc = finding.location
        head = self._paint(f"{loc.path}:{loc.line}:{loc.column}:", _BOLD)
        severity = self._paint(finding.severity.label, _COLOURS[finding.severity])
        mark = " [*]" if fixable else ""  # ruff's mark: `--fix` would fix it
        return f"{head} {severity} {finding.code}{mark} {finding.message}"

    def format_finding(self, finding: Finding, fixable: bool = False) -> str:
        line = self.finding_line(finding, fixable)
        if finding.hint:
            line += "\n" + self._paint(f"  hint: {finding.hint}", _DIM)
        return line

    def render(self, run: RunResult, out: TextIO) -> None:
        for finding in run.findings:
            out.write(self.format_finding(finding, run.fixable(finding)) + "\n")
            if self.show_source:
                excerpt = self.excerpt(run, finding)
                if excerpt is not None:
                    out.write(excerpt + "\n")
        self.render_footer(run, out)

    def render_footer(self, run: RunResult, out: TextIO) -> None:
        """``--statistics``, then the notes and the summary line (which ``-q`` drops)."""
        if self.statistics and run.findings:
            out.write(statistics(run))
        if not self.quiet:
            for note in run.notes:
                out.write(self._paint(f"note: {note}", _DIM) + "\n")
            out.write(summary_line(run) + "\n")
            fixes = fix_line(run)
            if fixes:
                out.write(fixes + "\n")
