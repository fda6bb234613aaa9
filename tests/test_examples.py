"""Golden output for the bundled examples: what the README promises is what runs.

Regenerate after an intended change with
``python -m portlint check examples > examples/expected/check.txt``.
"""

from __future__ import annotations

from tests.conftest import ROOT, run_cli


def test_examples_text_output_matches_golden() -> None:
    code, out, err = run_cli(["check", "examples", "--no-color"], cwd=ROOT)
    expected = (ROOT / "examples" / "expected" / "check.txt").read_text(encoding="utf-8")
    assert (out, err) == (expected, "")
    assert code == 1


def test_clean_example_is_clean() -> None:
    code, out, _ = run_cli(["check", "examples/clean-shop"], cwd=ROOT)
    assert code == 0 and out.startswith("All clear")


def test_colliding_example_reports_pl401_at_the_second_claim() -> None:
    code, out, _ = run_cli(["check", "examples/colliding-stack"], cwd=ROOT)
    assert code == 1
    assert (
        "examples/colliding-stack/docker-compose.yml:15:10: error PL401 host port 8080/tcp"
    ) in out
