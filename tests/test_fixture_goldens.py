"""One runner for every ``tests/fixtures/**/*.expected`` golden.

A golden lists ``path:line:col CODE`` per finding (paths relative to the
folder that holds the case); an empty golden means the case must be clean.
Each case is linted with every rule selected (and ``--fail-on note``), so an
off-by-default rule's fixture is checked too, notes included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

GOLDENS = sorted(FIXTURES.rglob("*.expected"))


def _target(golden: Path) -> Path:
    return golden.with_name(golden.name[: -len(".expected")])


def _ids(golden: Path) -> str:
    return str(_target(golden).relative_to(FIXTURES))


@pytest.mark.parametrize("golden", GOLDENS, ids=[_ids(g) for g in GOLDENS])
def test_fixture_matches_golden(golden: Path) -> None:
    target = _target(golden)
    base = target.parent
    code, out, err = run_cli(
        [
            "check",
            "--select",
            "ALL",
            "--fail-on",
            "note",
            "--format",
            "text",
            "-q",
            "--no-color",
            "--no-project-context",  # a case stands alone; other fixtures are not its project
            str(target.relative_to(base)),
        ],
        cwd=base,
    )
    assert err == ""
    got = []
    for line in out.splitlines():
        if line.startswith("  "):
            continue  # hint lines
        where, _, rest = line.partition(": ")
        severity, code_, _message = rest.split(" ", 2)
        assert severity in ("error", "warning", "note")
        got.append(f"{where} {code_}")
    expected = golden.read_text(encoding="utf-8").split()
    expected = [" ".join(expected[i : i + 2]) for i in range(0, len(expected), 2)]
    assert got == expected
    assert code == (1 if expected else 0)
