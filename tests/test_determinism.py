"""The same input gives byte-identical output, whatever PYTHONHASHSEED or file creation order."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portlint.reporters import REPORTERS
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # edit-test loop: pytest -m "not slow"

FILES = {
    "b/compose.yaml": 'services:\n  x:\n    image: a\n    ports: ["80:80", "80:80/udp"]\n'
    '  y:\n    image: b\n    ports: ["80:81", "127.0.0.1:80:82"]\n',
    "a/docker-compose.yml": (
        "services:\n  z:\n    image: c\n    ports: ['5432:5432', '5432:5433']\n"
    ),
    "a/compose.override.yaml": "services:\n  z:\n    ports: ['5432:5434', 'bogus']\n",
    "c d/compose.yaml": "services: [\n",
    "e/compose.yaml": "services:\n  k: {image: x}\n  k: {image: y}\n",
    "f/compose.yaml": b"\xff\xfe"
    + "services:\n  q:\n    image: x\n    ports: ['1:1', '1:1']\n".encode("utf-16-le"),
}


def make(root: Path, order: list[str]) -> None:
    for rel in order:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        content = FILES[rel]
        path.write_bytes(content if isinstance(content, bytes) else content.encode())


def run(cwd: Path, seed: str, fmt: str) -> bytes:
    proc = subprocess.run(
        [sys.executable, "-m", "portlint", "check", "--select", "ALL", "--format", fmt, "."],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed},
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 1 and proc.stderr == b""
    return proc.stdout


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_byte_identical_output(tmp_path: Path, fmt: str) -> None:
    forward, backward = tmp_path / "one", tmp_path / "two"
    make(forward, sorted(FILES))
    make(backward, sorted(FILES, reverse=True))
    first = run(forward, "0", fmt)
    assert first.count(b"\n") > 6
    assert run(forward, "12345", fmt) == first
    assert run(backward, "987", fmt) == first
