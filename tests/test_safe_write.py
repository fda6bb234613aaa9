"""portlint's own writes: atomic, mode-keeping, and never over a foreign file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from portlint.safe_write import WriteRefused, starts_with, write_atomic
from tests.conftest import ROOT, run_cli

OURS = starts_with(b"#portlint-iana-snapshot\t")
OLD = "#portlint-iana-snapshot\t1\t2026-01-01\told\n" + "1\t\ttcp\ta\told\t\t\tOld\n" * 1000

# The child writes the new snapshot in two halves and tells the parent where it is:
# "half" after the first half reached the temporary file, "synced" after the whole
# file was flushed and fsynced but before the rename. Then it waits to be killed.
CHILD = r"""
import os, sys, time
sys.path.insert(0, sys.argv[1])
from portlint import safe_write

target, stop_at = sys.argv[2], sys.argv[3]
real_fsync = os.fsync

def say(word):
    sys.stdout.write(word + "\n")
    sys.stdout.flush()
    time.sleep(60)  # killed long before this ends

def fsync(fd):
    real_fsync(fd)
    if stop_at == "synced":
        say("synced")

def chunks():
    yield "#portlint-iana-snapshot\t1\t2027-01-01\tnew\n" + "2\t\ttcp\ta\tnew\t\t\tNew\n" * 50_000
    if stop_at == "half":
        say("half")
    yield "3\t\ttcp\ta\tnew\t\t\tNew\n" * 50_000

os.fsync = fsync
ours = safe_write.starts_with(b"#portlint-iana-snapshot\t")
safe_write.write_atomic(target, chunks(), is_ours=ours)
sys.stdout.write("done\n")
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("stop_at", ["half", "synced"])
def test_killed_mid_write_leaves_the_old_file(tmp_path: Path, stop_at: str) -> None:
    target = tmp_path / "iana-ports.tsv"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(ROOT), str(target), stop_at],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == f"{stop_at}\n"
        (tmp,) = [p for p in tmp_path.iterdir() if p.name.startswith(".portlint-")]
        assert tmp.stat().st_size > 500_000  # the new content is on its way
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == OLD
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "snap.tsv"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o604)
    write_atomic(str(target), "#portlint-iana-snapshot\t1\t2027-01-01\tnew\n", is_ours=OURS)
    assert target.read_text(encoding="utf-8") == "#portlint-iana-snapshot\t1\t2027-01-01\tnew\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap.tsv"]  # no temporary left


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(str(tmp_path / "new.tsv"), "x\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.tsv").stat().st_mode) == 0o640


def test_refuses_a_foreign_file(tmp_path: Path) -> None:
    target = tmp_path / "compose.yaml"
    target.write_text("services: {}\n", encoding="utf-8")
    with pytest.raises(WriteRefused) as info:
        write_atomic(str(target), "new", is_ours=OURS, what="a portlint registry snapshot")
    assert str(info.value) == (
        f"{target}: refusing to replace a file that is not a portlint registry snapshot "
        "(hint: move the file away or choose another output path)"
    )
    assert target.read_text(encoding="utf-8") == "services: {}\n"


def test_empty_file_may_be_replaced(tmp_path: Path) -> None:
    target = tmp_path / "empty.tsv"
    target.touch()
    write_atomic(str(target), "#portlint-iana-snapshot\t1\t2027-01-01\tx\n", is_ours=OURS)
    assert target.read_text(encoding="utf-8").startswith("#portlint-iana-snapshot")


def test_symlinked_target_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.tsv"
    real.write_text(OLD, encoding="utf-8")
    link = tmp_path / "link.tsv"
    link.symlink_to(real)
    write_atomic(str(link), "#portlint-iana-snapshot\t1\t2027-01-01\tx\n", is_ours=OURS)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "#portlint-iana-snapshot\t1\t2027-01-01\tx\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "out.tsv"
    os.mkfifo(fifo)
    with pytest.raises(WriteRefused, match="not a regular file"):
        write_atomic(str(fifo), "x", is_ours=OURS)


def test_registry_build_refuses_to_overwrite_a_compose_file(tmp_path: Path) -> None:
    export = tmp_path / "ports.csv"
    export.write_text(
        "Service Name,Port Number,Transport Protocol,Description,Registration Date,"
        "Modification Date\nssh,22,tcp,SSH,,2024-01-02\n",
        encoding="utf-8",
    )
    victim = tmp_path / "compose.yaml"
    victim.write_text("services: {}\n", encoding="utf-8")
    code, _, err = run_cli(["registry", "build", "--from", str(export), "-o", str(victim)])
    assert code == 2
    assert err.startswith(f"portlint: error: {victim}: refusing to replace a file that is not")
    assert victim.read_text(encoding="utf-8") == "services: {}\n"
