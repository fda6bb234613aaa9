"""Small write fixes (issue 19, item 17): a stream as --output-file, a folder
after --write-baseline, and an older export over a newer cached snapshot."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TWO_SERVICES_ON_8080, run_cli
from tests.registry.test_update import cache, server, synthetic_export  # noqa: F401  (fixtures)


@pytest.mark.skipif(sys.platform == "win32", reason="/dev/stdout")
@pytest.mark.parametrize("target", ["/dev/stdout", "/dev/null"])
def test_output_file_may_be_a_pipe_or_a_device(make_project, target: str) -> None:
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    expected = run_cli(["check", "--no-color", "."], cwd=root)[1]
    proc = subprocess.run(
        [sys.executable, "-m", "portlint", "check", ".", "--output-file", target],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,  # /dev/stdout is this pipe
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout == (expected if target == "/dev/stdout" else "")
    assert sorted(p.name for p in root.iterdir()) == ["compose.yaml"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_output_file_may_be_a_fifo(make_project) -> None:
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    os.mkfifo(root / "report.fifo")
    reader = subprocess.Popen(["cat", str(root / "report.fifo")], stdout=subprocess.PIPE)
    code, _, err = run_cli(["check", ".", "--output-file", "report.fifo"], cwd=root)
    with contextlib.suppress(OSError):  # a run that never wrote: let the reader see the end
        os.close(os.open(root / "report.fifo", os.O_WRONLY | os.O_NONBLOCK))
    out, _ = reader.communicate(timeout=30)
    assert (code, err) == (1, "")
    assert out.decode().startswith("compose.yaml:7:")


@pytest.mark.parametrize("argv", [[".", "--write-baseline"], ["--write-baseline", "."]])
def test_write_baseline_followed_by_a_folder(make_project, argv: list[str]) -> None:
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    code, out, err = run_cli(["check", *argv], cwd=root)
    assert (code, out, err) == (0, "", "portlint: wrote 1 finding(s) to .portlint-baseline.json\n")
    assert sorted(p.name for p in root.iterdir()) == [".portlint-baseline.json", "compose.yaml"]


def test_write_baseline_followed_by_a_subfolder(make_project) -> None:
    root = make_project({"svc/compose.yaml": TWO_SERVICES_ON_8080, ".portlint.toml": ""})
    code, _, err = run_cli(["check", "--write-baseline", "svc"], cwd=root)
    assert (code, err) == (0, "portlint: wrote 1 finding(s) to .portlint-baseline.json\n")
    assert '"path": "svc/compose.yaml"' in (root / ".portlint-baseline.json").read_text("utf-8")
    code, _, err = run_cli(["check", "--write-baseline=svc/bl.json", "svc"], cwd=root)
    assert (code, err) == (0, "portlint: wrote 1 finding(s) to svc/bl.json\n")


def test_older_export_does_not_replace_a_newer_cached_snapshot(
    server: str,  # noqa: F811
    cache: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    assert run_cli(["registry", "update", "--source", f"{server}/good.xml"])[0] == 0
    newer = cache.read_bytes()
    middle = tmp_path / "middle.xml"  # newer than the shipped snapshot, older than the cache
    middle.write_bytes(synthetic_export(date="2026-10-01"))
    code, out, err = run_cli(["registry", "update", "--source", str(middle)])
    assert (code, out) == (2, "")
    assert err == (
        f"portlint: error: {middle}: the export is dated 2026-10-01, older than the snapshot "
        "already in the cache (2027-01-15); not installed (hint: pass --force to replace the "
        "cached snapshot with it)\n"
    )
    assert cache.read_bytes() == newer
    code, out, err = run_cli(["registry", "update", "--force", "--source", str(middle)])
    assert (code, err) == (0, "")
    assert "(registry date 2026-10-01," in out
