"""SIGKILL during ``check --fix`` leaves every file either as it was or as fixed, never half."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

BEFORE = (
    b"services:\r\n"
    b"  ssh:\r\n"
    b"    image: linuxserver/openssh-server\r\n"
    b"    ports:\r\n"
    b"      - 2222:22 # jump host\r\n"
    b"      - '8022:22'  # portlint: ignore[PL105]\r\n"
)  # CRLF, and one fix of each of two safe kinds (PL105, PL004)
AFTER = BEFORE.replace(b"- 2222:22", b'- "2222:22"').replace(b"  # portlint: ignore[PL105]", b"")
FILES = 400


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    for i in range(FILES):
        folder = tmp_path / f"svc{i:03}"
        folder.mkdir()
        (folder / "compose.yaml").write_bytes(BEFORE)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "portlint", "check", "--no-cache", "--fix", "."],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    files = sorted(tmp_path.glob("svc*/compose.yaml"))
    try:
        # Kill as soon as the first file is rewritten: the rest are being written.
        while proc.poll() is None and all(f.read_bytes() == BEFORE for f in files[:50]):
            time.sleep(0.001)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL  # killed during the run, not after it
    contents = [f.read_bytes() for f in files]
    assert all(c in (BEFORE, AFTER) for c in contents)
    assert AFTER in contents  # the kill came after the first write
    # A run after the kill finishes the job; leftovers of the killed write are not fixed files.
    subprocess.run(
        [sys.executable, "-m", "portlint", "check", "--no-cache", "--fix", "."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert all(f.read_bytes() == AFTER for f in files)
