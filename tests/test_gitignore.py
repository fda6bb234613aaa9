"""``.gitignore`` read without git gives the file list git gives."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest

from portlint import discovery
from portlint.config import Config
from portlint.discovery import discover

COMPOSE = "services: {}\n"
FILES = (
    "compose.yaml",
    "build/compose.yaml",  # ignored folder: `build/`
    "build/keep/compose.yaml",  # `!` cannot re-include below an ignored folder
    "deploy/compose.yaml",
    "deploy/old/compose.yaml",  # `deploy/**/old`
    "deploy/eu/old/compose.yaml",
    "deploy/eu/.env",
    "deploy/eu/.env.local",  # `*.local` in deploy/.gitignore
    "deploy/eu/keep.local/.env",  # ... a folder the same pattern hides
    "app/.env",
    "app/.env.secret",  # `.env.*` at the root
    "app/.env.example",  # ... re-included with `!`
    "app/sub/compose.yaml",  # `/sub` in app/.gitignore
    "other/sub/compose.yaml",  # `/sub` in app/.gitignore is anchored to app/
)
GITIGNORE = {
    ".gitignore": "build/\n!build/keep/\ndeploy/**/old\n.env.*\n!.env.example\n",
    "deploy/.gitignore": "*.local\n",
    "app/.gitignore": "/sub\n",
}


def make_tree(root: Path) -> None:
    for rel in FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(COMPOSE if rel.endswith(".yaml") else "PORT=1\n")
    for rel, text in GITIGNORE.items():
        (root / rel).write_text(text)


def listing(root: Path, cwd: Path | None = None, path: str = ".") -> list[str]:
    config = dataclasses.replace(Config(root=str(root)), exclude=())
    return [c.display for c in discover([path], config, str(cwd or root))]


EXPECTED = [
    "app/.env",
    "app/.env.example",
    "compose.yaml",
    "deploy/compose.yaml",
    "deploy/eu/.env",
    "other/sub/compose.yaml",
]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    make_tree(root)
    (root / ".git").mkdir()  # a work tree, as find_work_tree sees one
    for sub in ("objects", "refs"):
        (root / ".git" / sub).mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    return root


def test_without_git_the_gitignore_files_are_read(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discovery, "git_program", lambda: None)
    assert listing(repo) == EXPECTED


def test_info_exclude_is_read_without_git(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "git_program", lambda: None)
    (repo / ".git" / "info").mkdir()
    (repo / ".git" / "info" / "exclude").write_text("other/\n")
    assert "other/sub/compose.yaml" not in listing(repo)


def test_a_folder_below_the_top_sees_the_upper_gitignore_files(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discovery, "git_program", lambda: None)
    assert listing(repo, cwd=repo / "deploy") == sorted(["compose.yaml", "eu/.env"])
    assert listing(repo, cwd=repo / "build") == []


def test_outside_a_work_tree_a_gitignore_is_just_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discovery, "git_program", lambda: None)
    make_tree(tmp_path)
    assert len(listing(tmp_path)) == len(FILES)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_the_no_git_listing_equals_the_git_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    make_tree(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    with_git = listing(root)
    with_git_below = listing(root, cwd=root / "deploy")
    assert discovery.git_program() is not None
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-folder"))  # as on a slim CI image
    assert discovery.git_program() is None
    assert listing(root) == with_git == EXPECTED
    assert listing(root, cwd=root / "deploy") == with_git_below
