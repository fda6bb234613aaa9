"""``check --fix``: apply the fixes findings carry, as exact edits, over passes.

Each pass lints, picks the applicable fixes whose edits do not overlap one
another (a fix is all its edits or none), applies them to the text in
memory and writes each changed file atomically. Overlapping fixes wait for
the next pass, which lints the edited files again, as ruff does; passes stop
when nothing changes, and after :data:`MAX_PASSES` at most, so two fixes
that undo each other cannot loop.

Bytes outside the edits are kept: the text is decoded as the scanners read
it (a UTF-8 byte-order mark is put back, line endings were never touched),
and only UTF-8 files are edited. A file that changed since it was read, or
whose text at an edit is not what the fix expected, is left alone.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portlint.config import Config
from portlint.engine.run import run
from portlint.findings import Finding, Fix
from portlint.results import RunResult
from portlint.safe_write import write_atomic
from portlint.source import SourceFile, decode, read_bytes

MAX_PASSES = 10
_BOM = b"\xef\xbb\xbf"
_READ_CAP = 64 * 1024 * 1024  # a scanned file is smaller (max-file-size); a safety net only


@dataclass(frozen=True, slots=True)
class Change:
    """One file's text before and after a pass's edits."""

    path: str  # as displayed
    real: str  # where it is on disk
    before: bytes
    after: bytes


def applicable(finding: Finding, unsafe: bool) -> bool:
    fix = finding.fix
    return fix is not None and (fix.applicability == "safe" or unsafe)


class _File:
    """One file as read for a pass: its bytes (the BOM and line breaks to keep) and text."""

    def __init__(self, path: str, real: str, data: bytes, source: SourceFile) -> None:
        self.path, self.real, self.data, self.source = path, real, data, source
        self.spans: list[tuple[int, int, str]] = []

    def span(self, line: int, column: int, end_line: int, end_column: int) -> tuple[int, int]:
        """Character offsets of a 1-based span; ValueError when it is not in the text."""
        starts = self.source.line_starts
        text = self.source.text

        def offset(ln: int, col: int) -> int:
            if ln == len(starts) + 1 and col == 1:
                return len(text)  # the start of the line after the last one
            if not 1 <= ln <= len(starts):
                raise ValueError(ln)
            stop = starts[ln] if ln < len(starts) else len(text)
            at = starts[ln - 1] + col - 1
            if not starts[ln - 1] <= at <= stop:
                raise ValueError(col)
            return at

        lo, hi = offset(line, column), offset(end_line, end_column)
        if hi < lo:
            raise ValueError(hi)
        return lo, hi

    def free(self, lo: int, hi: int) -> bool:
        """No accepted edit overlaps or touches ``[lo, hi)``."""
        return all(hi < a or b < lo for a, b, _ in self.spans)

    def edited(self) -> bytes:
        text = self.source.text
        for lo, hi, replacement in sorted(self.spans, reverse=True):
            text = text[:lo] + replacement + text[hi:]
        data = text.encode("utf-8")
        return _BOM + data if self.source.encoding == "utf-8-sig" else data


def plan(
    findings: Iterable[Finding],
    cwd: str,
    unsafe: bool,
    done: set[tuple[str, str, str]] | None = None,
) -> tuple[list[Change], int]:
    """The changes one pass makes, and how many fixes they apply.

    ``done`` holds the findings fixed by earlier passes (see :func:`_key`): one
    that is back was not resolved by its fix, and is not fixed again.
    """
    files: dict[str, _File | None] = {}
    count = 0
    claimed: set[int] = set()
    for finding in sorted(f for f in findings if applicable(f, unsafe)):
        fix = finding.fix
        if fix is None or (done is not None and _key(finding) in done):
            continue
        if claimed.intersection(fix.claims):
            continue  # the next pass, which sees this pass's ports, picks another
        if _accept(fix, files, cwd):
            claimed.update(fix.claims)
            count += 1
            if done is not None:
                done.add(_key(finding))
    changes = []
    for file in files.values():
        if file is None or not file.spans:
            continue
        after = file.edited()
        if after != file.data:
            changes.append(Change(file.path, file.real, file.data, after))
    return changes, count


def _key(finding: Finding) -> tuple[str, str, str]:
    """What a finding is across passes: its key path, else where it is and what it says."""
    loc = finding.location
    return finding.code, loc.path, finding.anchor or f"{loc.line}:{loc.column} {finding.message}"


def _accept(fix: Fix, files: dict[str, _File | None], cwd: str) -> bool:
    """Reserve every edit of ``fix``, or none of them."""
    wanted: list[tuple[_File, int, int, str]] = []
    for edit in fix.edits:
        loc = edit.location
        file = _load(loc.path, files, cwd)
        if file is None or loc.end_line is None or loc.end_column is None:
            return False
        try:
            lo, hi = file.span(loc.line, loc.column, loc.end_line, loc.end_column)
        except ValueError:
            return False
        if edit.expect is not None and file.source.text[lo:hi] != edit.expect:
            return False
        if not file.free(lo, hi) or any(
            w[0] is file and not (hi < w[1] or w[2] < lo) for w in wanted
        ):
            return False
        wanted.append((file, lo, hi, edit.replacement))
    for file, lo, hi, replacement in wanted:
        file.spans.append((lo, hi, replacement))
    return bool(wanted)


def _load(path: str, files: dict[str, _File | None], cwd: str) -> _File | None:
    if path not in files:
        real = os.path.join(cwd, path)
        try:
            data = read_bytes(real, _READ_CAP)
        except OSError:
            files[path] = None
            return None
        source = decode(data, path)
        if not isinstance(source, SourceFile) or source.encoding not in ("utf-8", "utf-8-sig"):
            files[path] = None
            return None
        files[path] = _File(path, real, data, source)
    return files[path]


def write(changes: Sequence[Change]) -> list[Change]:
    """Write each change atomically, unless the file changed since it was read."""
    written = []
    for change in changes:
        try:
            current = read_bytes(change.real, _READ_CAP)
        except OSError:
            continue
        if current != change.before:
            continue
        write_atomic(change.real, change.after, what="the fixed file")
        written.append(change)
    return written


def fix(
    paths: Sequence[str],
    config: Config,
    cwd: str | None = None,
    *,
    unsafe: bool = False,
    seen: list[Finding] | None = None,
) -> RunResult:
    """Fix over passes; the last lint, with how many fixes were applied.

    ``seen`` collects the findings of every pass's lint but the last (what
    the fixes were chosen from), for callers that check what changed.
    """
    result = run(paths, config, cwd)
    fixed = 0
    done: set[tuple[str, str, str]] = set()
    for _ in range(MAX_PASSES):
        changes, count = plan(result.findings, result.cwd, unsafe, done)
        if not changes or not write(changes):
            break
        if seen is not None:
            seen.extend(result.findings)
        fixed += count
        result = run(paths, config, cwd)
    return dataclasses.replace(result, fixed=fixed, unsafe_fixes=unsafe)


def unified_diff(changes: Iterable[Change]) -> str:
    """What the fixes would change, as ``diff -u`` shows it (paths as displayed)."""
    out = []
    for change in sorted(changes, key=lambda c: c.path):
        before = change.before.decode("utf-8-sig").splitlines(keepends=True)
        after = change.after.decode("utf-8-sig").splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, f"a/{change.path}", f"b/{change.path}"):
            if not line.endswith(("\n", "\r")):
                line += "\n\\ No newline at end of file\n"
            out.append(line)
    return "".join(out)
