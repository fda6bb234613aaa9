"""Repository content can never make the git that portlint starts run a command.

portlint asks git for the file list (``git ls-files``). Git reads settings from
the repository it finds, and several settings are commands: a committed folder
that merely looks like a repository (``HEAD``, ``objects/``, ``refs/`` and a
``config`` with ``core.worktree`` and ``core.fsmonitor``), or a ``.git`` folder
planted in a scanned tree, could otherwise run anything. Every setting below
that can name a program names a script that leaves a marker file; no marker may
appear, and the runs must still list the right files.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from portlint.config import Config
from portlint.discovery import _git_files, discover
from portlint.project import locate_root as project_root

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

Cli = Callable[..., tuple[int, str, str]]

COMPOSE = (
    'services:\n  {name}:\n    image: example/{name}\n    ports: ["{port}:80"]\n'
    # one external network: the projects run together, so a shared port is a PL402 finding
    "networks:\n  shared:\n    external: true\n"
)

HOOKS = (
    "pre-commit",
    "post-checkout",
    "post-index-change",
    "pre-auto-gc",
    "reference-transaction",
    "fsmonitor-watchman",
)
# Aliases cannot shadow built-in commands, and ls-files runs no hooks, diffs,
# filters or transports today: those are planted all the same, so that neither
# a later git nor a change in how portlint calls it can start running them.
PROGRAMS = (
    "fsmonitor",
    "sshCommand",
    "pager",
    "editor",
    "askPass",
    "gitProxy",
    "alias",
    "pager-ls-files",
    "external",
    "textconv",
    "diff-command",
    "clean",
    "smudge",
    "process",
)


def _script(folder: Path, marker: Path, name: str) -> Path:
    """An executable that records, by creating ``marker/<name>``, that git ran it."""
    path = folder / f"run-{name}.sh"
    path.write_text(f'#!/bin/sh\nmkdir -p "{marker}"\ntouch "{marker}/{name}"\ncat >/dev/null\n')
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _hostile_config(scripts: Path, marker: Path, core_extra: str = "") -> str:
    """A git config in which every setting that can name a program names a marker script."""
    hooks = scripts / "hooks"
    hooks.mkdir(exist_ok=True)
    for hook in HOOKS:
        shutil.copy(_script(scripts, marker, f"hook-{hook}"), hooks / hook)
    s = {name: _script(scripts, marker, name) for name in PROGRAMS}
    return (
        "[core]\n"
        "\trepositoryformatversion = 0\n"
        "\tbare = false\n"
        f"{core_extra}"
        f"\tfsmonitor = {s['fsmonitor']}\n"
        f"\thooksPath = {hooks}\n"
        f"\tsshCommand = {s['sshCommand']}\n"
        f"\tpager = {s['pager']}\n"
        f"\teditor = {s['editor']}\n"
        f"\taskPass = {s['askPass']}\n"
        f"\tgitProxy = {s['gitProxy']}\n"
        "[alias]\n"
        f"\tls-files = !{s['alias']}\n"
        "[pager]\n"
        f"\tls-files = {s['pager-ls-files']}\n"
        "[diff]\n"
        f"\texternal = {s['external']}\n"
        '[diff "evil"]\n'
        f"\ttextconv = {s['textconv']}\n"
        f"\tcommand = {s['diff-command']}\n"
        '[filter "evil"]\n'
        f"\tclean = {s['clean']}\n"
        f"\tsmudge = {s['smudge']}\n"
        f"\tprocess = {s['process']}\n"
        "\trequired = true\n"
    )


def _bare_looking(folder: Path, scripts: Path, marker: Path) -> None:
    """Make ``folder`` look like a repository whose work tree is the folder itself."""
    (folder / "objects").mkdir(parents=True, exist_ok=True)
    (folder / "refs").mkdir(exist_ok=True)
    (folder / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "config").write_text(_hostile_config(scripts, marker, "\tworktree = .\n"))
    (folder / ".gitattributes").write_text("* diff=evil filter=evil\n")


def _git(*args: str, cwd: Path) -> None:
    """Git for setting a test up, with none of the planted settings active."""
    subprocess.run(
        ["git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)},
    )


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "ran"


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    folder = tmp_path / "scripts"
    folder.mkdir()
    return folder


def _ran(marker: Path) -> list[str]:
    return sorted(p.name for p in marker.iterdir()) if marker.exists() else []


def _listed(folder: Path, cwd: Path) -> list[str]:
    return [c.display for c in discover([str(folder)], Config(), cwd=str(cwd))]


def test_bare_looking_folder_outside_any_repository_runs_nothing(
    tmp_path: Path, scripts: Path, marker: Path, cli: Cli
) -> None:
    evil = tmp_path / "evil"
    (evil / "sub").mkdir(parents=True)
    (evil / "compose.yaml").write_text(COMPOSE.format(name="api", port=8080))
    (evil / "sub" / "compose.yaml").write_text(COMPOSE.format(name="admin", port=8080))
    _bare_looking(evil, scripts, marker)

    code, out, err = cli(["check", "--no-cache", "evil"], cwd=tmp_path)
    assert _ran(marker) == []
    assert (code, err) == (1, "")
    assert "evil/sub/compose.yaml:4:14: warning PL402" in out
    for cwd, argv in ((evil, ["check"]), (evil / "sub", ["check", ".."])):
        code, out, err = cli([*argv, "--no-cache"], cwd=cwd)
        assert _ran(marker) == []
        assert (code, err) == (1, "")
        assert "PL402" in out
    # Not a repository: the folder is walked, and its own "config" is plain content.
    assert _git_files(str(evil)) is None
    assert _listed(evil, tmp_path) == ["evil/compose.yaml", "evil/sub/compose.yaml"]
    assert project_root(str(evil / "sub"), None) == str(evil / "sub")
    assert _ran(marker) == []


def test_planted_settings_in_real_and_nested_repositories_run_nothing(
    tmp_path: Path, scripts: Path, marker: Path, cli: Cli
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / ".gitignore").write_text("ignored/\n")
    (repo / ".gitattributes").write_text("* diff=evil filter=evil\n")
    (repo / "compose.yaml").write_text(COMPOSE.format(name="api", port=8080))
    (repo / "ignored").mkdir()
    (repo / "ignored" / "compose.yaml").write_text(COMPOSE.format(name="hidden", port=8080))
    (repo / "untracked").mkdir()
    (repo / "untracked" / "compose.yaml").write_text(COMPOSE.format(name="new", port=9090))
    _git("add", "compose.yaml", ".gitignore", cwd=repo)
    # A folder inside the repository that looks like a repository of its own.
    evil = repo / "evil"
    evil.mkdir()
    (evil / "compose.yaml").write_text(COMPOSE.format(name="admin", port=8080))
    _bare_looking(evil, scripts, marker)
    # A nested repository (an unpacked archive can hold one) with a hostile config.
    nested = repo / "nested"
    nested.mkdir()
    _git("init", "-q", cwd=nested)
    (nested / ".gitignore").write_text("skipme/\n")
    (nested / "compose.yaml").write_text(COMPOSE.format(name="inner", port=7070))
    (nested / "skipme").mkdir()
    (nested / "skipme" / "compose.yaml").write_text(COMPOSE.format(name="gone", port=7070))
    (nested / ".git" / "config").write_text(_hostile_config(scripts, marker))
    # And the outer repository's own config, for good measure.
    with (repo / ".git" / "config").open("a") as fh:
        fh.write(_hostile_config(scripts, marker))

    code, out, err = cli(["check", "--no-cache", "repo"], cwd=tmp_path)
    assert _ran(marker) == []
    assert (code, err) == (1, "")
    assert "repo/evil/compose.yaml:4:" in out
    for cwd in (evil, nested, nested / "skipme", repo / "untracked", repo):
        code, out, err = cli(["check", "--no-cache", "."], cwd=cwd)
        assert _ran(marker) == [], cwd
        assert (code, err) in ((0, ""), (1, "")), cwd

    # The listings still come from git: ignored files are left out, untracked
    # ones are in, and the bare-looking folder is ordinary content of the repository.
    assert _listed(repo, tmp_path) == [
        "repo/compose.yaml",
        "repo/evil/compose.yaml",
        "repo/untracked/compose.yaml",
    ]
    assert _listed(nested, tmp_path) == ["repo/nested/compose.yaml"]
    assert _listed(evil, evil) == ["compose.yaml"]
    assert project_root(str(evil), None) == str(repo)
    assert project_root(str(nested / "skipme"), None) == str(nested)
    assert _ran(marker) == []


def test_the_safe_call_lists_what_git_would(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "a" / "b").mkdir(parents=True)
    _git("init", "-q", cwd=repo)
    (repo / ".gitignore").write_text("*.log\n")
    (repo / "a" / "compose.yaml").write_text("x")
    (repo / "a" / "b" / "x.log").write_text("x")
    (repo / "top.yaml").write_text("x")
    _git("add", "top.yaml", cwd=repo)
    assert _git_files(str(repo)) == [".gitignore", "a/compose.yaml", "top.yaml"]
    assert _git_files(str(repo / "a")) == ["compose.yaml"]
    plain = tmp_path / "plain"
    plain.mkdir()
    assert _git_files(str(plain)) is None


def test_linked_worktree_and_its_gitfile_are_followed(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / "compose.yaml").write_text("x")
    _git("add", "compose.yaml", cwd=repo)
    _git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one", cwd=repo)
    _git("worktree", "add", "-q", str(tmp_path / "wt"), cwd=repo)
    (tmp_path / "wt" / "extra.yaml").write_text("x")
    assert (tmp_path / "wt" / ".git").is_file()
    assert _git_files(str(tmp_path / "wt")) == ["compose.yaml", "extra.yaml"]
    assert project_root(str(tmp_path / "wt"), None) == str(tmp_path / "wt")


def test_a_gitfile_pointing_at_nothing_useful_is_not_a_repository(tmp_path: Path) -> None:
    folder = tmp_path / "f"
    (folder / "not-a-repo").mkdir(parents=True)
    (folder / "compose.yaml").write_text("x")
    (folder / ".git").write_text("gitdir: not-a-repo\n")
    assert _git_files(str(folder)) is None
    os.mkfifo(tmp_path / "g")
    (tmp_path / "h").mkdir()
    os.symlink(tmp_path / "g", tmp_path / "h" / ".git")
    assert _git_files(str(tmp_path / "h")) is None  # a FIFO in place of .git never blocks


def test_a_git_committed_to_the_repository_is_never_the_one_run(
    tmp_path: Path, scripts: Path, marker: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git("init", "-q", cwd=repo)
    (repo / ".gitignore").write_text("ignored/\n")
    (repo / "ignored").mkdir()
    (repo / "ignored" / "compose.yaml").write_text(COMPOSE.format(name="hidden", port=8080))
    (repo / "compose.yaml").write_text(COMPOSE.format(name="api", port=8080))
    shutil.copy(_script(scripts, marker, "planted-git"), repo / "git")
    real = os.path.dirname(shutil.which("git") or "")
    # An empty PATH entry means the current folder, where portlint runs git.
    monkeypatch.setenv("PATH", os.pathsep.join(["", ".", real, os.environ["PATH"]]))
    code, _out, err = cli(["check", "--no-cache", "."], cwd=repo)
    assert _ran(marker) == []
    assert (code, err) == (0, "")  # git's listing: the ignored duplicate is not read
    assert _listed(repo, repo) == ["compose.yaml"]
