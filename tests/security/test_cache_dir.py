"""The scan cache only ever deletes what portlint wrote, and cleans up after a killed save.

``PORTLINT_SCAN_CACHE_DIR`` may name any folder, the repository included, and
a repository may hold a ``.portlint_cache`` of its own. portlint writes a
``.gitignore`` only into a folder it created itself, and deletes only files of
its own naming inside a folder carrying its ``CACHEDIR.TAG``. A save killed
between writing its temporary file and renaming it leaves a full-size file;
the next run removes it once no process holds it.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from portlint.engine import cache

ROOT = Path(__file__).resolve().parents[2]
Cli = Callable[..., tuple[int, str, str]]

COMPOSE = 'services:\n  api:\n    image: example/api\n    ports: ["8080:80"]\n'
KEY = "0123456789abcdef0123456789abcdef"  # the shape of a settings key

# Files a user may keep in a folder before pointing the cache at it, with
# names close to (or equal to) portlint's own.
USER_FILES = {
    ".gitignore": "build/\n",
    "CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n# another tool's cache\n",
    "scan-results.json": '{"mine": true}\n',
    f"scan-{KEY}.json": '{"also mine": true}\n',
    ".tmp-abcdefgh": "my scratch file\n",
    "notes.txt": "not portlint's\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # the signing key
    root = tmp_path / "proj"
    root.mkdir()
    (root / "compose.yaml").write_text(COMPOSE)
    return root


def _fill(folder: Path, files: dict[str, str], age: float = 3600.0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    then = time.time() - age
    for name, text in files.items():
        (folder / name).write_text(text)
        os.utime(folder / name, (then, then))


def _contents(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}


def _index_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if cache._INDEX_NAME.fullmatch(p.name))


def _check(cli: Cli, project: Path) -> None:
    code, out, err = cli(["check", "--no-color", "."], cwd=project)
    assert (code, err) == (0, ""), out


def test_existing_folder_with_other_files_is_left_exactly_as_it_was(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    shared = tmp_path / "shared"
    _fill(shared, USER_FILES)
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(shared))
    for _ in range(3):
        _check(cli, project)
    assert _contents(shared) == USER_FILES
    code, _out, err = cli(["clean"], cwd=project)
    assert code == 0
    assert err == (
        f"portlint: {shared}: not a cache folder portlint made "
        "(no CACHEDIR.TAG of portlint's): nothing removed\n"
    )
    assert _contents(shared) == USER_FILES


def test_pointing_the_cache_at_the_repository_writes_nothing_there(
    project: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(project))
    before = _contents(project)
    _check(cli, project)
    _check(cli, project)
    assert _contents(project) == before  # no .gitignore of "*", no tag, no index
    assert cli(["clean"], cwd=project)[0] == 0
    assert _contents(project) == before


def test_check_never_prunes_index_like_files_in_a_folder_it_did_not_mark(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    shared = tmp_path / "shared"
    theirs = {f"scan-{n:032x}.json": f"keep {n}\n" for n in range(12)}
    _fill(shared, theirs)
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(shared))
    _check(cli, project)
    assert _contents(shared) == theirs


def test_a_folder_portlint_creates_is_marked_ignored_and_fully_cleaned(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    folder = tmp_path / "new" / "cache"
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(folder))
    _check(cli, project)
    names = sorted(p.name for p in folder.iterdir())
    assert names[:2] == [".gitignore", "CACHEDIR.TAG"] and len(names) == 7
    # engine.reuse: the run record, the project-rule record, its per-file rows and
    # the pointer to the latest of them; the scan cache
    assert all(name.startswith("run-") for name in names[2:6])
    assert names[6].startswith("scan-")
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert cli(["clean"], cwd=project) == (0, "", f"portlint: removed {folder}\n")
    assert not folder.exists() and (tmp_path / "new").is_dir()


def test_an_empty_folder_is_adopted_without_a_gitignore(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(folder))
    _check(cli, project)
    assert sorted(p.name for p in folder.iterdir())[0] == "CACHEDIR.TAG"
    assert not (folder / ".gitignore").exists()
    assert len(_index_files(folder)) == 1
    assert cli(["clean"], cwd=project) == (
        0,
        "",
        f"portlint: removed portlint's files from {folder}\n",
    )
    assert folder.is_dir() and list(folder.iterdir()) == []  # the folder was not portlint's


def test_clean_in_a_marked_folder_removes_only_portlint_names(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(folder))
    _check(cli, project)
    user = {"scan-results.json": "mine\n", "notes.txt": "mine\n", ".tmp-mine.txt": "mine\n"}
    _fill(folder, user)
    code, _out, err = cli(["clean"], cwd=project)
    assert (code, err) == (
        0,
        f"portlint: removed portlint's files from {folder}; left 3 files it did not write\n",
    )
    # The tag and .gitignore stay while the folder holds anything else.
    assert _contents(folder) == {
        **user,
        ".gitignore": cache._GITIGNORE,
        "CACHEDIR.TAG": cache._CACHEDIR_TAG,
    }


def test_a_planted_link_in_place_of_the_folder_is_left_alone(
    project: Path, tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PORTLINT_SCAN_CACHE_DIR")
    elsewhere = tmp_path / "elsewhere"
    _fill(elsewhere, USER_FILES)
    (project / ".portlint_cache").symlink_to(elsewhere)
    _check(cli, project)
    code, _out, err = cli(["clean"], cwd=project)
    assert (code, err) == (
        0,
        "portlint: .portlint_cache: not a cache folder portlint made "
        "(a symbolic link): nothing removed\n",
    )
    assert (project / ".portlint_cache").is_symlink()
    assert _contents(elsewhere) == USER_FILES


# -- item 16: temporary files of killed saves ----------------------------------------


def _killed_save(project: Path, folder: Path) -> None:
    """A real run killed by SIGKILL at the rename of its index save."""
    code = (
        "import os, signal, sys\n"
        "from portlint.engine import cache\n"
        "real = os.replace\n"
        "def replace(src, dst):\n"
        "    if os.path.basename(dst).startswith('scan-'):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    real(src, dst)\n"
        "cache.os.replace = replace\n"
        "from portlint.cli import main\n"
        "sys.exit(main(['check', '.']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PORTLINT_SCAN_CACHE_DIR": str(folder)}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, check=False
    )
    assert proc.returncode == -9, proc.stderr


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".tmp-"))


def test_temp_file_of_a_killed_save_is_removed_by_the_next_run(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    folder = tmp_path / "cache"
    _killed_save(project, folder)
    (left,) = _temps(folder)
    assert (folder / left).stat().st_size > 100  # the whole index, never renamed
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(folder))
    _check(cli, project)
    assert _temps(folder) == [left]  # too recent to judge: a save may be starting
    then = time.time() - cache.TEMP_GRACE_SECONDS - 5
    os.utime(folder / left, (then, then))
    _check(cli, project)  # a warm run: nothing to save, and still it cleans up
    assert _temps(folder) == []


def test_temp_files_still_held_or_not_portlints_are_kept(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(folder))
    _check(cli, project)
    old = cache.TEMP_GRACE_SECONDS + 60
    _fill(folder, {".tmp-stale123": "x" * 4096, ".tmp-held1234": "y", ".tmp-x.txt": "z"}, old)
    _fill(folder, {".tmp-fresh123": "w"}, age=0)
    with open(folder / ".tmp-held1234", "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a save in progress in another process
        _check(cli, project)
    assert _temps(folder) == [".tmp-fresh123", ".tmp-held1234", ".tmp-x.txt"]
    # Held for longer than any save takes: the process holding it is stuck.
    then = time.time() - cache.TEMP_MAX_AGE_SECONDS - 5
    os.utime(folder / ".tmp-held1234", (then, then))
    with open(folder / ".tmp-held1234", "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        _check(cli, project)
    assert _temps(folder) == [".tmp-fresh123", ".tmp-x.txt"]


def test_temp_like_files_in_a_folder_portlint_did_not_mark_are_kept(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    shared = tmp_path / "shared"
    _fill(shared, {".tmp-abcdefgh": "mine", "notes.txt": "mine"}, age=2 * 86400)
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(shared))
    _check(cli, project)
    assert _temps(shared) == [".tmp-abcdefgh"]
