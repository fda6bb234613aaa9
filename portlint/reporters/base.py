"""What a reporter is: a renderer of a whole run (never a stream of single findings)."""

from __future__ import annotations

from typing import ClassVar, Protocol, TextIO

from portlint.results import RunResult


class Reporter(Protocol):
    name: ClassVar[str]
    human: ClassVar[bool]  # headers, footers and colour only for humans

    def render(self, run: RunResult, out: TextIO) -> None: ...
