"""A file deeper than the system's path limit is reported, never dropped in silence.

Git lists such a file (its index holds paths of any length), but the system
refuses every call that names it by its full path (``ENAMETOOLONG``): a run
that quietly left it out would pass with a port it never checked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

COMPOSE = b'services:\n  api:\n    image: example/api\n    ports: ["8080:80"]\n'
PATH_MAX = os.pathconf("/", "PC_PATH_MAX") if hasattr(os, "pathconf") else 4096


def _deep_file(root: Path, depth: int, name: str) -> str:
    """Create ``root/ddd.../ddd.../name`` below the path limit's reach, one folder
    at a time through directory descriptors; returns the path relative to ``root``."""
    parts = [f"{i:03d}" + "d" * 240 for i in range(depth)]
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for part in parts:
            os.mkdir(part, dir_fd=fd)
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = inner
        out = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644, dir_fd=fd)
        os.write(out, COMPOSE)
        os.close(out)
    finally:
        os.close(fd)
    return "/".join([*parts, name])


def _git(*args: str, cwd: Path, data: bytes | None = None) -> str:
    proc = subprocess.run(
        ["git", "-c", "core.fsmonitor=false", *args],
        cwd=cwd,
        input=data,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)},
    )
    return proc.stdout.decode().strip()


def test_file_beyond_the_path_limit_is_reported_as_skipped(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / "compose.yaml").write_bytes(COMPOSE.replace(b"api", b"web").replace(b"8080", b"18081"))
    deep = _deep_file(repo, 20, "compose.yaml")
    assert len(os.fsencode(str(repo / deep))) > PATH_MAX
    with pytest.raises(OSError) as raised:
        os.lstat(repo / deep)
    assert raised.value.strerror == os.strerror(36)  # ENAMETOOLONG on Linux
    # Git's index holds any path: add the deep file the way a checkout would have.
    blob = _git("hash-object", "-w", "--stdin", cwd=repo, data=COMPOSE)
    _git("update-index", "--add", "--cacheinfo", f"100644,{blob},{deep}", cwd=repo)
    _git("add", "compose.yaml", cwd=repo)
    assert deep in _git("ls-files", cwd=repo).splitlines()

    code, out, err = cli(["check", "--no-cache", "--no-color", "."], cwd=repo)
    size = len(os.fsencode(str(repo / deep)))
    assert (code, err) == (1, "")
    assert out.splitlines()[:2] == [
        f"{deep}:1:1: warning PL002 path too long for the system ({size} bytes): not read",
        "  hint: move the file to a shallower folder, or exclude it",
    ]
    assert out.splitlines()[-1] == "Found 1 problem (1 warning) in 1 file; 1 file skipped."


def test_file_beyond_the_path_limit_outside_git_is_reported_too(
    tmp_path: Path, cli: Callable[..., tuple[int, str, str]]
) -> None:
    # No repository: the tree is walked, and a folder past the limit cannot be
    # listed by its path; it is listed through directory descriptors instead.
    root = tmp_path / "plain"
    root.mkdir()
    deep = _deep_file(root, 20, "compose.yaml")
    size = len(os.fsencode(str(root / deep)))
    assert size > PATH_MAX

    code, out, err = cli(["check", "--no-cache", "--no-color", "."], cwd=root)
    assert (code, err) == (1, "")
    assert out.splitlines() == [
        f"{deep}:1:1: warning PL002 path too long for the system ({size} bytes): not read",
        "  hint: move the file to a shallower folder, or exclude it",
        "Found 1 problem (1 warning) in 0 files; 1 file skipped.",
    ]
