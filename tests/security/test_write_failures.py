"""A write the system refuses ends with its reason and exit 2 (issue 19, item 15).

Disk full, a read-only checkout, a path under a file: ``--write-baseline``,
``--output-file``, ``suggest --claim`` and ``clean`` say which file and why in
one line, like any other error, instead of "internal error"; a claim prints
nothing unless it was written, and no temporary file stays behind. Real
failures where the system gives them to any user (a missing folder, a path
under a regular file: ENOENT and ENOTDIR even for root), simulated ones (ENOSPC) in-process, and a
read-only folder when the tests do not run as root (root ignores modes).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import TWO_SERVICES_ON_8080, run_cli

TEAM = '[[allocation]]\nport = 10001\nservice = "billing"\n'


def _modes_bind_this_user() -> bool:
    """Whether a folder without write permission stops this process (not so for root)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, stat.S_IRUSR | stat.S_IXUSR)
        try:
            with open(os.path.join(folder, "probe"), "w"):
                return False
        except PermissionError:
            return True
        finally:
            os.chmod(folder, stat.S_IRWXU)


def _fail_with(code: int) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


@pytest.fixture
def project(make_project) -> Path:
    root: Path = make_project({"compose.yaml": TWO_SERVICES_ON_8080, "ports.toml": TEAM})
    return root.resolve()  # messages name real paths (macOS: /private/var/...)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_baseline_in_a_missing_folder(project: Path) -> None:
    code, out, err = run_cli(["check", "--write-baseline=missing/b.json"], cwd=project)
    assert (code, out, err) == (
        2,
        "",
        "portlint: error: missing/b.json: cannot write a portlint baseline: "
        "no such file or directory\n",
    )


def test_output_file_in_a_missing_folder(project: Path) -> None:
    code, out, err = run_cli(["check", "--output-file", "missing/r.txt"], cwd=project)
    assert (code, out, err) == (
        2,
        "",
        "portlint: error: missing/r.txt: cannot write a portlint report: "
        "no such file or directory\n",
    )


def test_claim_under_a_file_prints_nothing(project: Path) -> None:
    (project / "notes.txt").write_text("notes\n", encoding="utf-8")
    code, out, err = run_cli(
        ["suggest", "--claim", "web", "--allocation-file", "notes.txt/ports.toml"], cwd=project
    )
    assert (code, out) == (2, "")
    assert err == (
        "portlint: error: notes.txt/ports.toml: cannot create the lock file "
        f"{project / 'notes.txt' / 'ports.toml.lock'}: not a directory\n"
    )


@pytest.mark.parametrize("call", ["replace", "fsync"])
def test_disk_full_while_writing_the_baseline(
    project: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    monkeypatch.setattr(os, call, _fail_with(errno.ENOSPC))
    code, out, err = run_cli(["check", "--write-baseline"], cwd=project)
    assert (code, out) == (2, "")
    assert err == (
        f"portlint: error: {project / '.portlint-baseline.json'}: cannot write a portlint "
        "baseline: no space left on device\n"
    )
    assert _names(project) == ["compose.yaml", "ports.toml"]  # no temporary file left


def test_disk_full_while_claiming_prints_nothing(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", _fail_with(errno.ENOSPC))
    code, out, err = run_cli(["suggest", "--count", "3", "--claim", "web"], cwd=project)
    assert (code, out) == (2, "")  # no port printed: none was claimed
    assert err == (
        f"portlint: error: {project / 'ports.toml'}: cannot write the allocation file: "
        "no space left on device\n"
    )
    assert (project / "ports.toml").read_text(encoding="utf-8") == TEAM
    assert _names(project) == ["compose.yaml", "ports.toml", "ports.toml.lock"]


def test_clean_on_a_read_only_file_system(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTLINT_SCAN_CACHE_DIR")
    assert run_cli(["check", "."], cwd=project)[0] == 1
    assert (project / ".portlint_cache").is_dir()
    monkeypatch.setattr(os, "unlink", _fail_with(errno.EROFS))
    monkeypatch.setattr(os, "remove", _fail_with(errno.EROFS))
    code, out, err = run_cli(["clean"], cwd=project)
    assert (code, out) == (2, "")
    assert err.startswith("portlint: error: ")
    assert err.endswith(": cannot remove: read-only file system\n")
    assert "\n" not in err[:-1]


@pytest.mark.skipif(not _modes_bind_this_user(), reason="this user (root?) writes anyway")
def test_read_only_checkout(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORTLINT_SCAN_CACHE_DIR")
    assert run_cli(["check", "."], cwd=project)[0] == 1  # leaves a cache to clean
    (project / ".portlint_cache").chmod(stat.S_IRUSR | stat.S_IXUSR)
    project.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        code, out, err = run_cli(["check", "--no-cache", "--write-baseline"], cwd=project)
        assert (code, out) == (2, "")
        assert err.endswith(": cannot write a portlint baseline: permission denied\n")
        code, out, err = run_cli(["suggest", "--count", "1", "--claim", "web"], cwd=project)
        assert (code, out) == (2, "")
        assert err.startswith("portlint: error: ports.toml: cannot create the lock file ")
        assert err.endswith(": permission denied\n")
        code, out, err = run_cli(["clean"], cwd=project)
        assert (code, out) == (2, "")
        assert err.endswith(": cannot remove: permission denied\n")
    finally:
        project.chmod(stat.S_IRWXU)
        (project / ".portlint_cache").chmod(stat.S_IRWXU)
    assert (project / "ports.toml").read_text(encoding="utf-8") == TEAM
