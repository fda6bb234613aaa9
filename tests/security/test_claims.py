"""Concurrent ``suggest --claim`` runs: every claim is kept, no port is given twice.

Each run takes an exclusive lock beside the allocation file, re-reads the
file under it, chooses, writes and releases; before that, runs that read the
file at the same time appended to the same old text (claims lost) or chose
the same port (an overlap that made every later run exit 2).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portlint.registry.allocations import load_allocations
from tests.conftest import ROOT, run_cli

CLAIMS = 20


def _claim(project: Path, service: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "portlint", "suggest", "--count", "1", "--claim", service],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="claims are locked on POSIX only")
def test_concurrent_claims_are_all_kept_on_distinct_ports(make_project) -> None:
    root = make_project(
        {
            "compose.yaml": "services:\n  api:\n    image: x\n    ports: ['10000:80']\n",
            "ports.toml": '[[allocation]]\nport = 10001\nservice = "billing"\n',
        }
    )
    children = [_claim(root, f"svc{i}") for i in range(CLAIMS)]
    results = []
    for child in children:
        out, err = child.communicate()
        results.append((child.returncode, out, err))
    assert [(code, err.startswith("claimed ")) for code, _, err in results] == [(0, True)] * CLAIMS
    printed = [int(out) for _, out, _ in results]
    allocations = load_allocations([str(root / "ports.toml")])  # parses and checks overlaps
    recorded = {entry.service: entry.port for entry in allocations.entries}
    assert len(recorded) == CLAIMS + 1
    assert recorded == {"billing": 10001, **{f"svc{i}": printed[i] for i in range(CLAIMS)}}
    assert len(set(printed)) == CLAIMS
    assert not {10000, 10001} & set(printed)
    assert (root / "ports.toml.lock").exists()  # kept: unlinking a lock file races


@pytest.mark.skipif(sys.platform == "win32", reason="claims are locked on POSIX only")
def test_a_claim_waits_for_the_lock_then_says_why_it_gave_up(
    make_project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fcntl

    from portlint import locking

    root = make_project({"ports.toml": '[[allocation]]\nport = 10001\nservice = "billing"\n'})
    monkeypatch.setattr(locking, "LOCK_TIMEOUT", 0.3)
    with open(root / "ports.toml.lock", "w") as held:  # another run, in the middle of its claim
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        code, out, err = run_cli(["suggest", "--count", "1", "--claim", "web"], cwd=root)
    assert (code, out) == (2, "")
    assert err == (
        f"portlint: error: ports.toml: another portlint run has held the lock "
        f"{root.resolve() / 'ports.toml.lock'} for 0.3 seconds; nothing was claimed "
        "(hint: try again when that run has finished)\n"
    )
    assert "web" not in (root / "ports.toml").read_text(encoding="utf-8")
    code, out, err = run_cli(["suggest", "--count", "1", "--claim", "web"], cwd=root)
    assert (code, err) == (0, f"claimed {int(out)}/tcp for web in ports.toml\n")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs")
def test_a_planted_fifo_lock_is_refused_not_waited_on(make_project) -> None:
    root = make_project({"ports.toml": '[[allocation]]\nport = 10001\nservice = "billing"\n'})
    os.mkfifo(root / "ports.toml.lock")
    code, out, err = run_cli(["suggest", "--count", "1", "--claim", "web"], cwd=root)
    assert (code, out) == (2, "")
    assert err == (
        f"portlint: error: ports.toml: the lock file {root.resolve() / 'ports.toml.lock'} is not a "
        "regular file\n"
    )
