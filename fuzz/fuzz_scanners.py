"""Coverage-guided fuzzing of every scanner with atheris (libFuzzer for Python).

Each input is decoded the way the engine decodes a file and handed to every
scanner in the table. A crash is any exception escaping a scanner, or a
reported location that does not exist in the input.

    pip install atheris            # Linux x86-64 wheels for CPython 3.10-3.13
    python fuzz/fuzz_scanners.py -runs=5000 "$(mktemp -d)" fuzz/seeds   # bounded, as .ci/run does
    python fuzz/fuzz_scanners.py -max_total_time=600 /tmp/corpus fuzz/seeds  # a longer hunt

Any libFuzzer flag works (``-help=1`` lists them).
"""

from __future__ import annotations

import os
import sys

import atheris

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

with atheris.instrument_imports(include=["portlint", "yaml"]):
    from portlint.scanners import SCANNERS, load
    from portlint.scanners.base import ScanContext
    from portlint.source import SourceFile, decode

    # Scanner modules are imported lazily: load them here, inside the instrumenting block.
    _SCANNERS = [(spec.name, load(spec)) for spec in SCANNERS]
_CTX = ScanContext()


def check(source: SourceFile, name: str) -> None:
    result = _SCANNERS_BY_NAME[name](source, _CTX)
    last_line = len(source.line_starts)
    for loc in [b.location for b in result.bindings] + [p.location for p in result.problems]:
        if not (1 <= loc.line <= last_line):
            raise AssertionError(f"{name}: line out of the file: {loc!r}")
        if not (1 <= loc.column <= len(source.line_text(loc.line)) + 1):
            raise AssertionError(f"{name}: column out of the line: {loc!r}")


_SCANNERS_BY_NAME = dict(_SCANNERS)


def test_one_input(data: bytes) -> None:
    decoded = decode(data, "fuzz")
    if not isinstance(decoded, SourceFile):
        return
    for name, _scan in _SCANNERS:
        check(decoded, name)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
