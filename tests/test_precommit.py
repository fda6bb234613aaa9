"""The pre-commit hook, run by the real ``pre-commit`` against a temporary repository.

pre-commit builds its own virtualenv and installs portlint from this
worktree (through ``try-repo``, which also picks up uncommitted changes),
so this is the one slow test (~30-60 s, PyPI needed for pyyaml).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from portlint.scanners import SCANNERS
from tests.conftest import ROOT

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
(HOOK,) = [h for h in HOOKS if h["id"] == "portlint"]
FILES = re.compile(HOOK["files"])


@pytest.mark.parametrize(
    "path",
    [
        "compose.yaml",
        "docker-compose.yml",
        "deploy/compose.prod.yaml",
        "docker-compose.override.yml",
        "stack.override.yaml",
        ".env",
        ".env.local",
        "config/.env.production",
        "prod.env",
        "k8s/deployment.yaml",
        "charts/api/values.yaml",
        "pyproject.toml",
        "config/app.toml",
        "Dockerfile",
        "Dockerfile.dev",
        "api.Dockerfile",
        "Containerfile",
        ".devcontainer/devcontainer.json",
        "package.json",
        "settings.jsonc",
    ],
)
def test_hook_files_pattern_covers_every_kind(path) -> None:
    assert FILES.search(path), path


@pytest.mark.parametrize("path", ["README.md", "src/main.py", "environment.py", "Makefile"])
def test_hook_files_pattern_skips_other_files(path) -> None:
    assert not FILES.search(path)


def test_hook_files_pattern_covers_every_scanner_pattern() -> None:
    for spec in SCANNERS:
        for pattern in spec.patterns:
            example = pattern.replace("*", "x").replace("?", "x")
            assert FILES.search(example) and FILES.search("sub/dir/" + example), pattern


def test_hook_settings() -> None:
    assert HOOK["require_serial"] is True
    assert HOOK["language"] == "python"
    assert HOOK["entry"].split()[:2] == ["portlint", "check"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for hook in HOOKS:
        assert f"id: {hook['id']}" in readme


BASE = 'services:\n  api:\n    image: example/api\n    ports: ["8080:80"]\n'
OVERRIDE = 'services:\n  admin:\n    image: example/admin\n    ports: ["{port}:8081"]\n'


def _git(repo: Path, *args: str, env: dict[str, str]) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.mark.slow
def test_real_pre_commit_fails_on_a_collision_and_passes_once_fixed(tmp_path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists() or shutil.which("git") is None:
        pytest.skip("pre-commit or git not available")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "NO_COLOR": "1",
    }
    env.pop("PYTHONPATH", None)
    repo = tmp_path / "app"
    repo.mkdir()
    _git(repo, "init", "-q", env=env)
    (repo / "compose.yaml").write_text(BASE, encoding="utf-8")
    _git(repo, "add", "compose.yaml", env=env)
    _git(repo, "commit", "-qm", "base", env=env)
    # Only the override is staged, so pre-commit passes only it; the collision
    # is with the unchanged base file.
    (repo / "compose.override.yaml").write_text(OVERRIDE.format(port=8080), encoding="utf-8")
    _git(repo, "add", "compose.override.yaml", env=env)

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(ROOT), "portlint", "--color", "never"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    failed = hook()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^portlint\.+Failed$", failed.stdout, re.MULTILINE), failed.stdout
    # PL401 orders claims by path, so the finding sits on the unchanged base file;
    # it is reported because its related location is in the staged file.
    assert (
        'compose.yaml:4:14: error PL401 host port 8080/tcp is already published by service "admin" '
        "(compose.override.yaml:4:14)"
    ) in failed.stdout

    (repo / "compose.override.yaml").write_text(OVERRIDE.format(port=8081), encoding="utf-8")
    _git(repo, "add", "compose.override.yaml", env=env)
    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^portlint\.+Passed$", passed.stdout, re.MULTILINE), passed.stdout


def test_fix_hook_settings() -> None:
    (fix_hook,) = [h for h in HOOKS if h["id"] == "portlint-fix"]
    assert fix_hook["entry"].split() == [*HOOK["entry"].split(), "--fix"]
    assert {
        k: v for k, v in fix_hook.items() if k not in ("id", "name", "description", "entry")
    } == {k: v for k, v in HOOK.items() if k not in ("id", "name", "description", "entry")}


@pytest.mark.slow
def test_real_pre_commit_fix_hook_rewrites_and_fails_then_passes(tmp_path) -> None:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists() or shutil.which("git") is None:
        pytest.skip("pre-commit or git not available")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "NO_COLOR": "1",
    }
    env.pop("PYTHONPATH", None)
    repo = tmp_path / "app"
    repo.mkdir()
    _git(repo, "init", "-q", env=env)
    (repo / "compose.yaml").write_text(
        "services:\n  ssh:\n    image: example/ssh\n    ports:\n      - 2222:22\n",
        encoding="utf-8",
    )
    _git(repo, "add", "compose.yaml", env=env)

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(pre_commit), "try-repo", str(ROOT), "portlint-fix", "--color", "never"],
            cwd=repo,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    fixed = hook()
    # pre-commit fails a hook that changed files, as it does for ruff's.
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "files were modified by this hook" in fixed.stdout
    assert '      - "2222:22"\n' in (repo / "compose.yaml").read_text(encoding="utf-8")
    _git(repo, "add", "compose.yaml", env=env)
    passed = hook()
    assert passed.returncode == 0, passed.stdout + passed.stderr
