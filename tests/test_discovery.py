"""Which files a run reads, found by walking a folder that is not a git work tree."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from portlint.bindings import Location
from portlint.config import Config
from portlint.discovery import Candidate, discover, display_path, skip_problem
from portlint.errors import UsageError
from portlint.findings import Problem

COMPOSE = "services: {}\n"


def shown(found: list[Candidate]) -> list[tuple[str, str, bool, str | None]]:
    return [(c.display, c.scanner.name, c.explicit, c.skip) for c in found]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    for rel in (
        "compose.yaml",
        "app/.env",
        "app/values.yaml",
        "README.md",
        "node_modules/pkg/compose.yaml",
        "env/lib/compose.yaml",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(COMPOSE)
    (root / "env" / "pyvenv.cfg").write_text("")  # a virtualenv, whatever its name
    return root


def config_for(root: Path, **changes: object) -> Config:
    return dataclasses.replace(Config(root=str(root)), **changes)  # type: ignore[arg-type]


def test_a_walk_lists_what_a_scanner_reads_minus_the_excludes(tree: Path) -> None:
    found = discover(["."], config_for(tree), str(tree))
    assert shown(found) == [
        ("app/.env", "dotenv", False, None),
        ("app/values.yaml", "yaml", False, None),
        ("compose.yaml", "compose", False, None),
    ]
    assert found[0].abs_path == str(tree / "app" / ".env")


def test_settled_files_hand_their_stat_to_the_scan_cache(tree: Path) -> None:
    # The stat of a file modified just now proves nothing (it may change again
    # within one mtime tick): only settled files' stats are handed on.
    old = 1_600_000_000
    os.utime(tree / "compose.yaml", (old, old))
    link = tree / "app" / "compose.yaml"
    link.symlink_to(tree / "compose.yaml")  # a link's lstat is not its file's stat
    os.utime(link, (old, old), follow_symlinks=False)
    stats: dict[str, tuple[int, int, int, int]] = {}
    discover(["."], config_for(tree, follow_links=True), str(tree), None, stats)
    st = os.stat(tree / "compose.yaml")
    assert stats == {
        str(tree / "compose.yaml"): (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
    }


def test_a_named_folder_is_shown_from_the_current_folder(tree: Path) -> None:
    found = discover(["app"], config_for(tree), str(tree))
    assert [c.display for c in found] == ["app/.env", "app/values.yaml"]
    assert [c.display for c in discover(["."], config_for(tree), str(tree / "app"))] == [
        ".env",
        "values.yaml",
    ]


def test_a_named_file_is_read_even_when_excluded(tree: Path) -> None:
    found = discover(["node_modules/pkg/compose.yaml"], config_for(tree), str(tree))
    assert shown(found) == [("node_modules/pkg/compose.yaml", "compose", True, None)]
    forced = config_for(tree, force_exclude=True)
    assert discover(["node_modules/pkg/compose.yaml"], forced, str(tree)) == []


def test_a_missing_path_is_a_usage_error(tree: Path) -> None:
    with pytest.raises(UsageError, match=r"^nope\.yaml: no such file or directory$"):
        discover(["nope.yaml"], config_for(tree), str(tree))


def test_links_dangling_and_leaving(tree: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text(COMPOSE)
    (tree / "compose.override.yaml").symlink_to(tmp_path / "outside.yaml")
    (tree / "docker-compose.yml").symlink_to(tree / "generated-later.yml")
    found = discover(["."], config_for(tree), str(tree))
    assert shown(found) == [
        ("app/.env", "dotenv", False, None),
        ("app/values.yaml", "yaml", False, None),
        (
            "compose.override.yaml",
            "compose",
            False,
            "symbolic link to outside the scanned folder: not followed",
        ),
        ("compose.yaml", "compose", False, None),
    ]
    assert skip_problem(found[2]) == Problem(
        "PL002",
        Location("compose.override.yaml", 1, 1),
        "symbolic link to outside the scanned folder: not followed",
        hint="pass --follow-links to read files outside the scanned folder",
    )
    assert skip_problem(found[0]) is None


def test_git_decides_which_files_are_listed(tree: Path) -> None:
    shutil.rmtree(tree / "env")  # (a virtualenv is recognised by name only in a walk)
    subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
    (tree / ".gitignore").write_text("app/values.yaml\n")
    found = discover(["."], config_for(tree), str(tree))
    assert [c.display for c in found] == ["app/.env", "compose.yaml"]
    walked = discover(["."], config_for(tree, respect_gitignore=False), str(tree))
    assert [c.display for c in walked] == ["app/.env", "app/values.yaml", "compose.yaml"]


def test_shown_names_are_printable(tmp_path: Path) -> None:
    assert display_path(str(tmp_path / "a\nb.yaml"), str(tmp_path)) == "a\\nb.yaml"
    assert display_path(str(tmp_path / "x\udcff.yaml"), str(tmp_path)) == "x\\xff.yaml"


@pytest.mark.parametrize(
    ("exclude", "expected"),
    [
        (("deploy/**/old",), ["deploy/compose.yaml", "deploy/eu/compose.yaml"]),
        (
            ("deploy/*.yaml",),
            ["deploy/eu/compose.yaml", "deploy/eu/old/compose.yaml", "deploy/old/compose.yaml"],
        ),
        (("deploy/", "!deploy/old/compose.yaml"), ["deploy/old/compose.yaml"]),
    ],
)
def test_exclude_globs_follow_gitignore(
    tmp_path: Path, exclude: tuple[str, ...], expected: list[str]
) -> None:
    for rel in (
        "deploy/compose.yaml",
        "deploy/old/compose.yaml",
        "deploy/eu/compose.yaml",
        "deploy/eu/old/compose.yaml",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(COMPOSE)
    found = discover(["."], config_for(tmp_path, exclude=exclude), str(tmp_path))
    assert [c.display for c in found] == expected
