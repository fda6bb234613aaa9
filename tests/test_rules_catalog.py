"""Every rule prints its manual, has fixtures, and docs/rules.md is current."""

from __future__ import annotations

import json
import re

import pytest

from portlint.rules import ALL_RULES
from portlint.rules.manual import render_docs
from tests.conftest import FIXTURES, ROOT, run_cli


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_manual_prints(rule) -> None:
    for key in (rule.code, rule.name):
        code, out, err = run_cli(["rule", key])
        assert (code, err) == (0, "")
        assert out.startswith(f"# {rule.name} ({rule.code})\n")
        for heading in (
            "## When it fires",
            "## Why it matters",
            "## How to fix",
            "## How to silence",
        ):
            assert heading in out


def test_rule_list_json_has_every_rule() -> None:
    code, out, _ = run_cli(["rule", "--all", "--format", "json"])
    assert code == 0
    assert [r["code"] for r in json.loads(out)] == [r.code for r in ALL_RULES]


def test_docs_are_current() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == render_docs(ALL_RULES)


def _cases(kind: str) -> set[str]:
    codes = set()
    for golden in FIXTURES.rglob("*.expected"):
        for part in golden.relative_to(FIXTURES).parts:
            match = re.match(rf"(pl\d{{3}})-{kind}", part)
            if match:
                codes.add(match.group(1).upper())
    return codes


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_has_firing_and_clean_fixture(rule) -> None:
    assert rule.code in _cases("fires"), f"no tests/fixtures/**/{rule.code.lower()}-fires case"
    assert rule.code in _cases("clean"), f"no tests/fixtures/**/{rule.code.lower()}-clean case"
