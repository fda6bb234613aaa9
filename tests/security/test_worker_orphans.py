"""Killing a parallel run kills its workers too (issue 19, item 11).

``--jobs N`` forks N-1 helper processes. They wait for work on a pipe whose
writing end they inherited themselves, so when the parent was killed
(``kill -9``, a CI job cancelled, an OOM kill) they waited forever: thirty
orphans after ten kills. Each helper now asks the kernel to kill it when its
parent dies (``PR_SET_PDEATHSIG``), so this test kills the parent while its
helpers are alive and checks that every one of them is gone soon after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or not os.path.isdir("/proc/self"),
        reason="finds worker processes through Linux's /proc",
    ),
]

JOBS = 3  # two helper processes plus the parent
GRACE = 10.0  # seconds the helpers get to notice; they usually go at once


def children(pid: int) -> list[int]:
    """Live child processes of ``pid`` running the same program (the forked helpers)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            same = Path(f"/proc/{entry}/cmdline").read_bytes() == cmdline
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        if same and fields.get("PPid", "").strip() == str(pid):
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """Running, sleeping or stopped; a zombie (dead, waiting to be reaped) is not alive."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    for n in range(1200):  # enough that the helpers are still working when the kill comes
        (tmp_path / f"s{n}").mkdir()
        (tmp_path / f"s{n}" / "compose.yaml").write_text(
            f'services:\n  web{n}:\n    ports: ["{10000 + n}:80"]\n', encoding="utf-8"
        )
        (tmp_path / f"s{n}" / ".env").write_text(f"PORT={20000 + n}\n", encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, "-m", "portlint", "check", "--no-cache", "--jobs", str(JOBS), "."],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < JOBS - 1 and parent.poll() is None and time.monotonic() < deadline:
            workers = children(parent.pid)
            time.sleep(0.01)
        assert len(workers) == JOBS - 1, "the helpers never started"
        # Stopped first, so the parent cannot finish (and shut its pool down)
        # between the check above and the kill: the helpers are surely alive,
        # busy with their share or idle, waiting for more.
        os.kill(parent.pid, signal.SIGSTOP)
        assert all(alive(w) for w in workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + GRACE
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [w for w in workers if alive(w)] == []
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for w in workers:  # never leave the orphans of a failing run behind
            if alive(w):
                os.kill(w, signal.SIGKILL)


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_a_helper_whose_parent_is_already_gone_exits_at_once(platform: str) -> None:
    """The start-up race: the parent died before the helper asked to follow it.

    ``darwin`` exercises the watching thread used where there is no prctl.
    """
    code = (
        "import sys, time\n"
        f"sys.platform = {platform!r}\n"
        "from portlint.engine.batch import exit_with_parent\n"
        "exit_with_parent(1)\n"  # pid 1 is not this process's parent: as if re-parented
        "time.sleep(60)\n"
        "sys.exit(3)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], timeout=30, capture_output=True)
    assert (proc.returncode, proc.stderr) == (1, b"")


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_helpers_still_work_under_every_start_method(
    make_project, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Under forkserver a helper's parent is the server, not the run: it must not
    take that for its parent's death and quit (the pool would break)."""
    from portlint.engine import batch
    from tests.conftest import TWO_SERVICES_ON_8080, run_cli

    files = {f"p{n}/compose.yaml": TWO_SERVICES_ON_8080 for n in range(6)}
    root = make_project(files)
    argv = ["check", "--format", "json", "--no-cache", "."]
    code, serial, err = run_cli([*argv, "--jobs", "1"], cwd=root)
    assert (code, err) == (1, "")
    monkeypatch.setattr(batch, "START_METHOD", method)
    assert run_cli([*argv, "--jobs", "3"], cwd=root) == (1, serial, "")
