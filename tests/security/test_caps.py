"""A repository cannot make one run cost minutes and gigabytes, nor bury its output.

The project's config may raise ``max-file-size`` only up to a ceiling
(``--max-file-size`` on the command line may go further), and a run shows
at most 1,000 findings per file and 10,000 per run, with a PL005 note
counting the rest. The exit code still reflects every finding.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from portlint.config import MAX_FILE_SIZE_CEILING
from tests.conftest import run_cli


def crowded(services: int, port: str = "8080:80", last: str | None = None) -> str:
    """``services`` services on one host port: one PL401 for each but the first."""
    body = "".join(f'  s{i}:\n    image: x\n    ports: ["{port}"]\n' for i in range(services))
    if last is not None:
        body += f'  last:\n    image: x\n    ports: ["{last}"]\n'
    return "services:\n" + body


def test_ceiling_is_ten_mebibytes() -> None:
    assert MAX_FILE_SIZE_CEILING == 10 * 1024 * 1024


def test_config_cannot_raise_max_file_size_past_the_ceiling(
    make_project: Callable[..., Path],
) -> None:
    root = make_project(
        {
            "compose.yaml": crowded(1),
            "pyproject.toml": "[tool.portlint]\nmax-file-size = 100000000\n",
        }
    )
    code, out, err = run_cli(["check", "."], cwd=root)
    assert (code, out) == (2, "")
    assert err == (
        "portlint: error: pyproject.toml:2:1: tool.portlint.max-file-size: 100000000 is above "
        "the 10485760 bytes a config file may set "
        "(hint: pass --max-file-size 100000000 on the command line to scan such files)\n"
    )


def test_config_may_raise_max_file_size_up_to_the_ceiling(
    make_project: Callable[..., Path],
) -> None:
    root = make_project(
        {
            "compose.yaml": crowded(1),
            ".portlint.toml": f"max-file-size = {MAX_FILE_SIZE_CEILING}\n",
        }
    )
    code, out, _ = run_cli(["config", "--format", "json"], cwd=root)
    assert code == 0
    assert json.loads(out)["values"]["max-file-size"] == MAX_FILE_SIZE_CEILING


def test_command_line_may_go_past_the_ceiling(make_project: Callable[..., Path]) -> None:
    root = make_project({"compose.yaml": crowded(1), ".portlint.toml": "max-file-size = 10\n"})
    code, out, _ = run_cli(["check", "--no-cache", "-q", "."], cwd=root)
    assert (code, out) == (
        1,
        "compose.yaml:1:1: warning PL002 larger than max-file-size (52 > 10 bytes): not scanned\n"
        "  hint: raise `max-file-size` or exclude the file\n",
    )
    code, out, _ = run_cli(["check", "--no-cache", "--max-file-size", "60", "."], cwd=root)
    assert (code, out) == (0, "All clear: no problems in 1 file.\n")
    big = str(MAX_FILE_SIZE_CEILING * 4)
    code, out, _ = run_cli(["config", "--format", "json", "--max-file-size", big], cwd=root)
    assert (code, json.loads(out)["values"]["max-file-size"]) == (0, int(big))


def _lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if not line.startswith("  ")]


@pytest.mark.slow
def test_findings_per_file_are_capped_with_a_note(make_project: Callable[..., Path]) -> None:
    root = make_project({"compose.yaml": crowded(1501)})  # 1,500 collisions
    code, out, err = run_cli(["check", "--no-cache", "--no-color", "."], cwd=root)
    assert (code, err) == (1, "")
    lines = _lines(out)
    assert lines[0] == (
        "compose.yaml:1:1: note PL005 501 more findings in compose.yaml not shown: "
        "the limit is 1000 per file"
    )
    assert sum(" PL401 " in line for line in lines) == 999
    assert lines[-3:] == [
        "note: 501 findings not shown: portlint shows at most 1000 per file and 10000 per run "
        "(see PL005)",
        "Found 999 problems (999 errors) in 1 file; 1 note.",
        "100 with an unsafe fix (`--unsafe-fixes`).",  # PortPicker.LIMIT per run
    ]
    code, out, _ = run_cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    findings = json.loads(out)["findings"]
    assert len(findings) == 1000
    assert [f["code"] for f in findings].count("PL005") == 1


@pytest.mark.slow
def test_findings_per_run_are_capped_with_one_note(make_project: Callable[..., Path]) -> None:
    # one port per project: 899 PL401 a file, and no PL402 between the projects
    files = {f"app{i:02}/compose.yaml": crowded(900, f"{20100 + i}:80") for i in range(13)}
    root = make_project(files)
    code, out, err = run_cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    assert (code, err) == (1, "")
    findings = json.loads(out)["findings"]
    assert len(findings) == 10_000
    notes = [f for f in findings if f["code"] == "PL005"]
    assert [(n["location"]["path"], n["message"]) for n in notes] == [
        (
            "app11/compose.yaml",
            "1688 more findings in 2 files not shown: the limit is 10000 per run",
        )
    ]  # 13 * 899 = 11,687 findings; 9,999 shown and the note


def test_the_most_severe_findings_are_kept_so_the_exit_code_holds(
    make_project: Callable[..., Path],
) -> None:
    """A run failing only on an error beyond the limit still fails, and shows the error."""
    services = "".join(
        f'  s{i}:\n    image: x\n    ports: ["{49153 + i}:80"]\n' for i in range(8)
    )  # eight PL301 warnings, then a PL101 error on the last line
    root = make_project(
        {
            "compose.yaml": f'services:\n{services}  last:\n    ports: ["99999:80"]\n',
            ".portlint.toml": "[rules.PL005]\nper-file = 3\n",
        }
    )
    code, out, _ = run_cli(
        ["check", "--no-cache", "--no-color", "-q", "--fail-on", "error", "."], cwd=root
    )
    assert code == 1
    assert _lines(out) == [
        "compose.yaml:1:1: note PL005 7 more findings in compose.yaml not shown: "
        "the limit is 3 per file",
        "compose.yaml:4:14: warning PL301 host port 49153/tcp is in the dynamic range 49152-65535",
        "compose.yaml:27:14: error PL101 host port 99999 is out of range 0-65535",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("option", ["per-file", "per-run"])
def test_the_config_may_lower_the_limits_but_not_raise_them(
    make_project: Callable[..., Path], option: str
) -> None:
    root = make_project(
        {"compose.yaml": crowded(1101), ".portlint.toml": f"[rules.PL005]\n{option} = 50000\n"}
    )
    code, out, _ = run_cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    assert code == 1
    assert len(json.loads(out)["findings"]) == 1000
