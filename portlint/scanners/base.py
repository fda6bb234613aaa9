"""What a scanner is: a pure function from one source file to bindings and problems."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from portlint.bindings import PortBinding
from portlint.findings import Directive, Problem
from portlint.source import SourceFile


@dataclass(slots=True)
class ScanResult:
    bindings: list[PortBinding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    directives: tuple[Directive, ...] = ()  # inline suppressions found in the file's text
    notes: list[Problem] = field(default_factory=list)  # how it was read; not a skip (UTF-16)
    # Files this one pulls in as part of itself (compose ``include``): read in that
    # context, so their own scan's context-dependent problems are not the engine's view.
    included: tuple[str, ...] = ()

    def extend(self, other: ScanResult) -> None:
        self.bindings.extend(other.bindings)
        self.problems.extend(other.problems)
        self.directives += other.directives
        self.notes.extend(other.notes)
        self.included += other.included


@dataclass(frozen=True, slots=True)
class ScanContext:
    """Settings that change what a scanner reports (and so are part of cache keys).

    ``read`` lets a scanner follow a reference to another file (compose
    ``include``, ``extends: file:``, the ``.env`` beside a compose file) through
    the same safe reader the engine uses; it returns ``None`` when the file is
    missing or not text. It reads only inside ``roots`` (the project root and
    the scanned folders, as real paths), and the ``env_files`` the user gave.
    """

    environ: Mapping[str, str] = field(default_factory=dict)
    env_files: tuple[str, ...] = ()
    read: Callable[[str], SourceFile | None] | None = None
    roots: tuple[str, ...] = ()


class Scanner(Protocol):
    def __call__(self, source: SourceFile, ctx: ScanContext) -> ScanResult: ...
