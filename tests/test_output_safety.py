"""portlint never writes over a file it did not write: reports and baselines."""

from __future__ import annotations

import json

import pytest

from portlint.reporters import REPORTERS
from tests.conftest import TWO_SERVICES_ON_8080, run_cli

COMPOSE = TWO_SERVICES_ON_8080


def test_write_baseline_refuses_to_replace_a_scanned_file(make_project) -> None:
    root = make_project({"compose.yaml": COMPOSE})
    code, out, err = run_cli(["check", "--write-baseline", "compose.yaml"], cwd=root)
    assert (code, out) == (2, "")
    assert err.startswith(
        "portlint: error: compose.yaml: refusing to replace a file that is not a portlint baseline"
    )
    assert (root / "compose.yaml").read_text(encoding="utf-8") == COMPOSE


def test_write_baseline_replaces_its_own_file(make_project) -> None:
    root = make_project({"compose.yaml": COMPOSE})
    assert run_cli(["check", "--write-baseline"], cwd=root)[0] == 0
    assert run_cli(["check", "--write-baseline"], cwd=root)[0] == 0
    data = json.loads((root / ".portlint-baseline.json").read_text(encoding="utf-8"))
    assert [e["code"] for e in data["findings"]] == ["PL401"]


def test_output_file_refuses_to_replace_a_config_file(make_project) -> None:
    root = make_project({"compose.yaml": COMPOSE})
    code, out, err = run_cli(["check", ".", "--output-file", "compose.yaml"], cwd=root)
    assert (code, out) == (2, "")
    assert "refusing to replace a file that is not a portlint report" in err
    assert (root / "compose.yaml").read_text(encoding="utf-8") == COMPOSE


@pytest.mark.parametrize("first", sorted(REPORTERS))
@pytest.mark.parametrize("second", sorted(REPORTERS))
def test_output_file_replaces_an_earlier_report_of_any_format(make_project, first, second):
    root = make_project({"compose.yaml": COMPOSE})
    for fmt in (first, second):
        code, _, err = run_cli(
            ["check", ".", "--format", fmt, "--output-file", "report.out"], cwd=root
        )
        assert (code, err) == (1, "")
    expected = run_cli(["check", ".", "--format", second], cwd=root)[1]
    assert (root / "report.out").read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_report_saved_in_the_tree_is_not_read_as_config(make_project, fmt) -> None:
    """JSON and SARIF reports are full of "port" keys about other files."""
    root = make_project({"compose.yaml": COMPOSE})
    assert run_cli(["check", ".", "--format", fmt, "--output-file", "report.json"], cwd=root)[0]
    code, out, _ = run_cli(["check", "-q", "--no-color", "--select", "ALL", "."], cwd=root)
    assert "report.json" not in out
    assert code == 1
