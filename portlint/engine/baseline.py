"""The baseline: findings a project has accepted for now, hidden until they change.

Identity is :meth:`Finding.fingerprint` computed on project-root-relative
paths, so it survives edits above a finding (no line or column in it) and
running portlint from another folder. The file is sorted JSON without
timestamps so it only changes when findings do, and portlint writes it only
when asked (``--write-baseline``); it never updates it behind the user's back.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from portlint.bindings import Location
from portlint.errors import ConfigError
from portlint.findings import Finding
from portlint.safe_write import write_atomic
from portlint.source import MAX_BASELINE_SIZE, read_text

VERSION = 1


@dataclass(frozen=True, slots=True, order=True)
class Entry:
    path: str  # relative to the project root, POSIX
    code: str
    fingerprint: str
    message: str  # for humans reading the file in review; not part of matching


Rebase = Callable[[str], str]
"""Maps a finding's displayed path to its project-root-relative POSIX path."""


def rebaser(root: str, cwd: str) -> Rebase:
    def rebase(path: str) -> str:
        rel = os.path.relpath(os.path.join(cwd, path), root)
        return path if rel.startswith("..") else rel.replace(os.sep, "/")

    return rebase


def fingerprint(finding: Finding, rebase: Rebase) -> str:
    def move(loc: Location) -> Location:
        return dataclasses.replace(loc, path=rebase(loc.path))

    moved = dataclasses.replace(
        finding,
        location=move(finding.location),
        related=tuple(move(loc) for loc in finding.related),
    )
    return moved.fingerprint()


def entries_for(findings: Iterable[Finding], rebase: Rebase) -> list[Entry]:
    return sorted(
        Entry(rebase(f.location.path), f.code, fingerprint(f, rebase), f.message) for f in findings
    )


def render(entries: Sequence[Entry]) -> str:
    data = {
        "version": VERSION,
        "findings": [
            {"code": e.code, "path": e.path, "fingerprint": e.fingerprint, "message": e.message}
            for e in sorted(entries)
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# The first bytes of every baseline portlint writes (see :func:`render`).
_BASELINE_START = re.compile(rb'\A\s*\{\s*"version"\s*:\s*\d+\s*,\s*"findings"\s*:')


def is_baseline(head: bytes) -> bool:
    """Whether an existing file is a portlint baseline, so ``--write-baseline`` may replace it."""
    return _BASELINE_START.match(head.removeprefix(b"\xef\xbb\xbf")) is not None


def write(path: str, findings: Iterable[Finding], rebase: Rebase) -> int:
    entries = entries_for(findings, rebase)
    write_atomic(path, render(entries), is_ours=is_baseline, what="a portlint baseline")
    return len(entries)


def read(path: str) -> list[Entry]:
    """A baseline file, or a ConfigError saying what is wrong with it."""
    try:
        data = json.loads(read_text(path, MAX_BASELINE_SIZE))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: baseline file not found",
            hint="create it with `portlint check --write-baseline`",
        ) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: baseline is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ConfigError(
            f"{path}: not a portlint baseline (version {VERSION})",
            hint="regenerate it with `portlint check --write-baseline`",
        )
    raw = data.get("findings")
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: findings: must be a list")
    entries: list[Entry] = []
    for index, item in enumerate(raw):
        fields = ("path", "code", "fingerprint", "message")
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in fields):
            raise ConfigError(
                f"{path}: findings[{index}]: needs string path, code, fingerprint and message"
            )
        entries.append(Entry(*(item[k] for k in fields)))
    return entries


@dataclass(slots=True)
class Matched:
    kept: list[Finding]
    hidden: int
    stale: int


def apply_baseline(
    findings: Iterable[Finding],
    entries: Sequence[Entry],
    rebase: Rebase,
    checked: Collection[str] | None = None,
) -> Matched:
    """Hide findings the baseline lists; count entries nothing matched any more.

    Matching is by (path, code, fingerprint) as a multiset: two identical
    findings need two entries, so a new copy of an accepted problem shows.
    An entry counts as stale only if its file was ``checked`` in this run
    (None: every file was): linting one folder says nothing about another.
    """
    budget = Counter((e.path, e.code, e.fingerprint) for e in entries)
    kept: list[Finding] = []
    hidden = 0
    for finding in findings:
        key = (rebase(finding.location.path), finding.code, fingerprint(finding, rebase))
        if budget[key] > 0:
            budget[key] -= 1
            hidden += 1
        else:
            kept.append(finding)
    stale = sum(n for key, n in budget.items() if checked is None or key[0] in checked)
    return Matched(kept, hidden, stale)
