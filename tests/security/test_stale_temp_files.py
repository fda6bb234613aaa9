"""Temporary files a killed write left in the working tree go away (issue 19, item 16).

A kill between the temporary file and the rename leaves ``.portlint-*.tmp``
beside the target. The next write into that folder removes those of exactly
portlint's naming that are a minute old and whose writer (when the name
carries its pid) is gone; a fresh one, or one whose writer still runs, may
be a concurrent run's write in progress and stays. Nothing else is touched.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portlint.safe_write import remove_stale_temporaries, write_atomic
from tests.conftest import ROOT, TWO_SERVICES_ON_8080, run_cli

OLD = time.time() - 3600


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid  # reaped: no process has it (pids are not reused this fast)


def _plant(folder: Path, name: str, age: float | None = OLD) -> Path:
    path = folder / name
    path.write_text("half a baseline", encoding="utf-8")
    if age is not None:
        os.utime(path, (age, age))
    return path


def test_the_next_write_removes_abandoned_temporaries_only(make_project) -> None:
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    dead, alive = _dead_pid(), os.getpid()
    stale = [
        _plant(root, ".portlint-k2x_9q0a.tmp"),  # the naming before pids were added
        _plant(root, f".portlint-{dead}-abcd1234.tmp"),
    ]
    kept = [
        _plant(root, ".portlint-fresh123.tmp", age=None),  # a concurrent write, maybe
        _plant(root, f".portlint-{alive}-abcd1234.tmp"),  # its writer still runs
        _plant(root, ".portlint-notes.tmp"),  # not mkstemp's naming
        _plant(root, ".portlint-abcd1234.tmp.bak"),
        _plant(root, "portlint-abcd1234.tmp"),
    ]
    (root / ".portlint-dir12345.tmp").mkdir()  # not a regular file
    os.symlink(root / "compose.yaml", root / ".portlint-link1234.tmp")
    code, _, err = run_cli(["check", "--write-baseline"], cwd=root)
    assert (code, err) == (0, "portlint: wrote 1 finding(s) to .portlint-baseline.json\n")
    assert not any(p.exists() for p in stale)
    assert all(p.exists() for p in kept)
    assert (root / ".portlint-dir12345.tmp").is_dir()
    assert (root / ".portlint-link1234.tmp").is_symlink()
    assert (root / "compose.yaml").read_text(encoding="utf-8") == TWO_SERVICES_ON_8080


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_write_killed_before_its_rename_is_cleaned_by_the_next(tmp_path: Path) -> None:
    """The real leftover: a child killed after fsync, before the rename."""
    child_code = (
        "import os, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from portlint import safe_write\n"
        "def stop(a, b):\n"
        "    print('renaming', flush=True); time.sleep(60)\n"
        "os.replace = stop\n"
        f"safe_write.write_atomic({str(tmp_path / 'report.txt')!r}, 'x' * 100000)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", child_code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline() == "renaming\n"
    (leftover,) = tmp_path.iterdir()
    assert leftover.name.startswith(f".portlint-{child.pid}-")
    assert remove_stale_temporaries(str(tmp_path), now=time.time() + 3600) == []  # still alive
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert remove_stale_temporaries(str(tmp_path)) == []  # dead, but not a minute old yet
    os.utime(leftover, (OLD, OLD))
    write_atomic(str(tmp_path / "report.txt"), "done\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]
