"""Dockerfile heredocs are file content, and a keyword is a whole word (``expose_php``)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import FIXTURES
from tests.scanners.helpers import problems, row, scan

HEREDOC = (FIXTURES / "dockerfile" / "heredoc" / "Dockerfile").read_text(encoding="utf-8")


def test_heredoc_bodies_are_not_instructions(tmp_path: Path) -> None:
    result = scan(tmp_path, {"web/Dockerfile": HEREDOC}, "web/Dockerfile")
    assert [row(b) for b in result.bindings] == [
        ("web", "container", 8080, None, None, None, None, "tcp", ("web/Dockerfile", 24, 8, 12)),
    ]
    assert problems(result) == [("PL101", 26, 8, "exposed port 70002 is out of range 0-65535")]


def test_env_inside_a_heredoc_does_not_set_a_variable(tmp_path: Path) -> None:
    text = "FROM x\nCOPY <<EOF /app.env\nENV PORT=70000\nEOF\nEXPOSE ${PORT:-8080}\n"
    result = scan(tmp_path, {"Dockerfile": text}, "Dockerfile")
    assert [b.port for b in result.bindings] == [8080]
    assert problems(result) == []


def test_unterminated_heredoc_runs_to_the_end(tmp_path: Path) -> None:
    text = "FROM x\nRUN <<EOF\nEXPOSE 70000\n"
    result = scan(tmp_path, {"Dockerfile": text}, "Dockerfile")
    assert result.bindings == [] and problems(result) == []


def test_keyword_must_end_in_whitespace(tmp_path: Path) -> None:
    text = "FROM x\nexpose_php = Off\nEXPOSE\t9000\n"
    result = scan(tmp_path, {"Dockerfile": text}, "Dockerfile")
    assert [row(b)[2] for b in result.bindings] == [9000]
    assert problems(result) == []
