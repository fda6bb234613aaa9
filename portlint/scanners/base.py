"""What a scanner is: a pure function from one source file to bindings and problems."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

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

    def compact(self) -> None:
        """Share equal values among this file's bindings: one object each, not one per binding.

        A compose file's bindings of one service each build the same
        namespaces, project folder, owner and identity names, and a run keeps
        every binding until its report; at 100,000 files those copies are
        tens of MiB. Fields are replaced only by an equal value (never a
        different one), so the bindings mean exactly what they meant; the
        protocol names are interned for the whole process.
        """
        if not self.bindings:
            return
        seen: dict[object, Any] = {}
        same = seen.setdefault
        put = object.__setattr__  # an equal value: frozen in meaning, shared in memory
        intern = sys.intern
        for b in self.bindings:
            if (value := b.namespace) is not None and (kept := same(value, value)) is not value:
                put(b, "namespace", kept)
            value = b.target_namespace
            if value is not None and (kept := same(value, value)) is not value:
                put(b, "target_namespace", kept)
            if (kept := intern(b.protocol)) is not b.protocol:
                put(b, "protocol", kept)
            if (kept := same(b.owner, b.owner)) is not b.owner:
                put(b, "owner", kept)
            if b.identities and (kept := same(b.identities, b.identities)) is not b.identities:
                put(b, "identities", kept)
            text = b.project_dir
            if text is not None and (kept := same(text, text)) is not text:
                put(b, "project_dir", kept)
            text = b.project
            if text is not None and (kept := same(text, text)) is not text:
                put(b, "project", kept)

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
