"""Vendored, third-party, build-output and test-data folders are not linted by default.

The project's own config sits beside copies of other projects' config: a
``vendor/`` or ``node_modules/`` package's compose file, a ``testdata/`` input
of a test. Those are excluded by default as ruff excludes its list; ``exclude``
replaces the list, ``extend-exclude`` adds to it, ``exclude = []`` or
``--no-default-excludes`` lints everything, and a folder or file named on the
command line is always linted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from portlint.config import DEFAULT_EXCLUDES
from tests.conftest import run_cli

BAD = 'services:\n  web:\n    image: x\n    ports: ["99999:80"]\n'

TREE = {
    "compose.yaml": 'services:\n  app:\n    image: x\n    ports: ["8080:80"]\n',
    "vendor/acme/sdk/compose.yaml": BAD,
    "node_modules/pkg/docker-compose.yml": BAD,
    "web/bower_components/lib/compose.yaml": BAD,
    "third_party/db/compose.yaml": BAD,
    "dist/compose.yaml": BAD,
    "pkg/api/testdata/compose.yaml": BAD,
    "integration/fixtures/compose.yaml": BAD,
    "src/__fixtures__/compose.yaml": BAD,
    "src/__mocks__/compose.yaml": BAD,
    "env/lib/python3.12/site-packages/tool/compose.yaml": BAD,
    ".tox/py312/compose.yaml": BAD,
    # build/ is not excluded: Go layouts keep real Dockerfiles and CI config there
    "build/package/compose.yaml": BAD,
}

MakeProject = Callable[[Mapping[str, str | bytes]], Path]


def _paths(out: str) -> list[str]:
    return [line.split(":", 1)[0] for line in out.splitlines() if line and line[0] != " "]


def _check(root: Path, *args: str) -> list[str]:
    _, out, err = run_cli(
        ["check", "--no-color", "-q", "--select", "PL101", "--no-gitignore", *args], cwd=root
    )
    assert err == ""
    return _paths(out)


def test_default_excludes_skip_vendored_and_test_data(make_project: MakeProject) -> None:
    root = make_project(TREE)
    assert _check(root) == ["build/package/compose.yaml"]


def test_git_listing_applies_the_same_excludes(make_project: MakeProject) -> None:
    root = make_project(TREE)
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    subprocess.run([git, "init", "-q", str(root)], check=True, capture_output=True)
    _, out, err = run_cli(["check", "--no-color", "-q", "--select", "PL101"], cwd=root)
    assert err == ""
    assert _paths(out) == ["build/package/compose.yaml"]


def test_extend_exclude_adds_to_the_defaults(make_project: MakeProject) -> None:
    root = make_project({**TREE, ".portlint.toml": 'extend-exclude = ["build"]\n'})
    assert _check(root) == []


def test_exclude_replaces_the_defaults(make_project: MakeProject) -> None:
    root = make_project({**TREE, ".portlint.toml": 'exclude = ["vendor"]\n'})
    assert "vendor/acme/sdk/compose.yaml" not in _check(root)
    assert "node_modules/pkg/docker-compose.yml" in _check(root)


@pytest.mark.parametrize(
    "how", [("--no-default-excludes",), ("--exclude", ""), ("--config", "empty.toml")]
)
def test_everything_is_linted_without_the_defaults(
    make_project: MakeProject, how: tuple[str, ...]
) -> None:
    root = make_project({**TREE, "empty.toml": "exclude = []\n"})
    assert sorted(_check(root, *how)) == sorted(p for p in TREE if p != "compose.yaml")


def test_named_folder_or_file_is_linted_even_when_excluded(make_project: MakeProject) -> None:
    root = make_project(TREE)
    assert _check(root, "pkg/api/testdata") == ["pkg/api/testdata/compose.yaml"]
    assert _check(root, "vendor/acme/sdk/compose.yaml") == ["vendor/acme/sdk/compose.yaml"]
    assert _check(root, "--force-exclude", "vendor/acme/sdk/compose.yaml") == []


def test_config_command_shows_the_effective_list(make_project: MakeProject) -> None:
    root = make_project({"compose.yaml": TREE["compose.yaml"]})
    code, out, err = run_cli(["config", "--format", "json"], cwd=root)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["values"]["exclude"] == list(DEFAULT_EXCLUDES)


def test_dangling_link_is_not_a_finding(make_project: MakeProject) -> None:
    # a .env that points at a file generated at install time
    root = make_project({"compose.yaml": TREE["compose.yaml"]})
    os.symlink("generated/.env.local", root / ".env")
    argv = ["check", "--no-color", "--select", "ALL", "--fail-on", "note"]
    code, out, err = run_cli(argv, cwd=root)
    assert (code, err) == (0, "")
    assert "PL002" not in out and ".env" not in out
