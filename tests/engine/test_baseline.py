"""The baseline: written on request, hides known findings, counts stale entries."""

from __future__ import annotations

import json

from tests.conftest import TWO_SERVICES_ON_8080, run_cli

COMPOSE = TWO_SERVICES_ON_8080


def test_write_then_hide(make_project) -> None:
    root = make_project({"compose.yaml": COMPOSE})
    code, out, err = run_cli(["check", "--write-baseline"], cwd=root)
    assert (code, out) == (0, "")
    assert err == "portlint: wrote 1 finding(s) to .portlint-baseline.json\n"
    data = json.loads((root / ".portlint-baseline.json").read_text(encoding="utf-8"))
    (entry,) = data["findings"]
    assert data["version"] == 1 and sorted(entry) == ["code", "fingerprint", "message", "path"]
    assert (entry["code"], entry["path"]) == ("PL401", "compose.yaml")
    assert "generated" not in json.dumps(data)  # no timestamps
    # Not used until configured or named.
    assert run_cli(["check", "-q"], cwd=root)[0] == 1
    code, out, _ = run_cli(["check", "--baseline", ".portlint-baseline.json"], cwd=root)
    assert (code, out) == (0, "All clear: no problems in 1 file; 1 hidden by the baseline.\n")


def test_stable_across_inserted_lines_and_stale_when_fixed(make_project) -> None:
    root = make_project(
        {"compose.yaml": COMPOSE, "portlint.toml": 'baseline = ".portlint-baseline.json"\n'}
    )
    assert run_cli(["check", "--write-baseline"], cwd=root)[0] == 0
    before = (root / ".portlint-baseline.json").read_bytes()
    shifted = COMPOSE.replace("services:\n", "# edge proxy sits in front\nname: shop\nservices:\n")
    shifted = shifted.replace("  admin:\n", "  cache:\n    image: redis:7\n  admin:\n")
    (root / "compose.yaml").write_text(shifted, encoding="utf-8")
    code, out, _ = run_cli(["check"], cwd=root)
    assert (code, out) == (0, "All clear: no problems in 1 file; 1 hidden by the baseline.\n")
    # A new collision is not hidden by the old entry.
    (root / "compose.yaml").write_text(
        shifted + '  docs:\n    image: example/docs\n    ports: ["8080:8000"]\n', encoding="utf-8"
    )
    code, out, _ = run_cli(["check", "--no-color"], cwd=root)
    assert code == 1
    assert out.splitlines()[0].startswith("compose.yaml:14:14: error PL401 host port 8080/tcp")
    assert out.splitlines()[-2:] == [
        "Found 1 problem (1 error) in 1 file; 1 hidden by the baseline.",
        "1 with an unsafe fix (`--unsafe-fixes`).",  # PL401 moves a port
    ]
    # Fixed: the entry is now stale, and portlint never rewrote the file.
    (root / "compose.yaml").write_text(shifted.replace('"8080:8081"', '"8081:8081"'), "utf-8")
    code, out, _ = run_cli(["check"], cwd=root)
    assert (code, out) == (0, "All clear: no problems in 1 file; 1 stale baseline entry.\n")
    assert (root / ".portlint-baseline.json").read_bytes() == before


def test_output_is_sorted_and_deterministic(make_project) -> None:
    root = make_project(
        {
            "b/compose.yaml": COMPOSE,
            "a/compose.yaml": COMPOSE.replace("8080", "9010"),
        }
    )
    assert run_cli(["check", "--write-baseline", "bl.json"], cwd=root)[0] == 0
    first = (root / "bl.json").read_text(encoding="utf-8")
    assert run_cli(["check", "--write-baseline", "bl.json"], cwd=root)[0] == 0
    assert (root / "bl.json").read_text(encoding="utf-8") == first
    paths = [e["path"] for e in json.loads(first)["findings"]]
    assert paths == ["a/compose.yaml", "b/compose.yaml"]
    # Paths are relative to the project root, whichever folder portlint runs from.
    (root / "portlint.toml").write_text('baseline = "bl.json"\n', encoding="utf-8")
    code, out, _ = run_cli(["check", "."], cwd=root / "a")
    assert (code, out) == (0, "All clear: no problems in 1 file; 1 hidden by the baseline.\n")


def test_broken_baseline_is_exit_two(make_project) -> None:
    root = make_project({"compose.yaml": COMPOSE, "bl.json": '{"version": 7}'})
    code, _, err = run_cli(["check", "--baseline", "bl.json"], cwd=root)
    assert code == 2
    assert err.startswith("portlint: error: ") and "not a portlint baseline (version 1)" in err
    code, _, err = run_cli(["check", "--baseline", "missing.json"], cwd=root)
    assert code == 2 and "baseline file not found" in err


def test_findings_without_a_key_path_survive_moved_lines(make_project) -> None:
    """A duplicate key (PL001) quotes a line number in its message; moving it is no change."""
    text = "services:\n  a:\n    image: x\n  a:\n    image: y\n"
    root = make_project({"compose.yaml": text})
    assert run_cli(["check", "--write-baseline"], cwd=root)[0] == 0
    (root / "compose.yaml").write_text("# header\n# more\n" + text, encoding="utf-8")
    code, out, _ = run_cli(["check", "--baseline", ".portlint-baseline.json"], cwd=root)
    assert (code, out) == (0, "All clear: no problems in 1 file; 1 hidden by the baseline.\n")
