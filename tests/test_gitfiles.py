"""``portlint check`` starts git's listing early; discovery takes up only the same command."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from portlint import discovery, gitfiles
from portlint.config import Config
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")

BASE = 'services:\n  web:\n    ports:\n      - "8080:80"\n'
OTHER = 'services:\n  admin:\n    ports:\n      - "8080:80"\n'
LISTED = ["compose.override.yaml", "compose.yaml", "svc/compose.yaml"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "app"
    (root / "svc").mkdir(parents=True)
    (root / "compose.yaml").write_text(BASE, encoding="utf-8")
    (root / "compose.override.yaml").write_text(OTHER, encoding="utf-8")  # untracked
    (root / "svc" / "compose.yaml").write_text(BASE, encoding="utf-8")  # untracked
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "compose.yaml"], cwd=root, check=True)
    return root


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Every git process gitfiles starts, by command line."""
    seen: list[tuple[str, ...]] = []
    spawn = gitfiles._spawn

    def counting(argv, cwd, env):  # type: ignore[no-untyped-def]
        seen.append(tuple(argv))
        return spawn(argv, cwd, env)

    monkeypatch.setattr(gitfiles, "_spawn", counting)
    return seen


def test_a_started_listing_is_what_discovery_lists(repo: Path, spawned: list) -> None:
    config = dataclasses.replace(Config(root=str(repo)), exclude=())
    fresh = discovery.discover(["."], config, str(repo))
    assert len(spawned) == 1
    gitfiles.start_listing(str(repo))
    early = discovery.discover(["."], config, str(repo))
    assert len(spawned) == 2  # the one started early was taken up, no third
    assert early == fresh
    assert [c.display for c in early] == LISTED
    assert gitfiles._STARTED == []


def test_check_starts_one_git_for_a_folder_and_for_named_files(repo: Path, spawned: list) -> None:
    for argv in (["check", "--no-cache", "."], ["check", "--no-cache", "compose.override.yaml"]):
        spawned.clear()
        code, out, _err = run_cli(argv, cwd=repo)
        # the service in the untracked override collides with the tracked file's:
        # the whole project was listed, untracked files included
        assert code == 1 and "PL401" in out
        assert len(spawned) == 1, argv
        assert gitfiles._STARTED == []


def test_a_listing_nobody_takes_up_is_stopped(repo: Path, spawned: list, monkeypatch) -> None:
    # discovery's own git lookup finds nothing (as on a machine without git): it
    # walks the tree, and the listing check started ahead is stopped unused
    procs: list[subprocess.Popen[bytes]] = []
    start = gitfiles.start_listing

    def keep(folder: str) -> None:
        start(folder)
        procs.extend(s[3] for s in gitfiles._STARTED)

    monkeypatch.setattr(gitfiles, "start_listing", keep)
    monkeypatch.setattr(discovery, "git_program", lambda: None)
    code, out, err = run_cli(["check", "--no-cache", "-v", "."], cwd=repo)
    assert code == 1 and "PL401" in out
    assert "without git" in err
    assert len(procs) == 1
    assert procs[0].returncode is not None  # ended and reaped, not left running
    assert gitfiles._STARTED == []


def test_a_listing_is_never_taken_up_for_another_folder(repo: Path, spawned: list) -> None:
    gitfiles.start_listing(str(repo / "svc"))
    try:
        config = dataclasses.replace(Config(root=str(repo)), exclude=())
        found = discovery.discover(["."], config, str(repo))
        assert [c.display for c in found] == LISTED
        assert len(spawned) == 2 and len(gitfiles._STARTED) == 1
    finally:
        gitfiles.stop_listings()
    assert gitfiles._STARTED == []
