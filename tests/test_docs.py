"""Generated docs stay in step with the code."""

from __future__ import annotations

from tests.conftest import ROOT


def test_docs_rules_md_is_current() -> None:
    from portlint.rules import ALL_RULES
    from portlint.rules.manual import render_docs

    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_docs(ALL_RULES), (
        "docs/rules.md is stale: python -m portlint.rules.manual > docs/rules.md"
    )
