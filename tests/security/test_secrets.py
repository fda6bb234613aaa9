"""Repository content cannot make portlint read, or print, a file outside the repository.

A pull request controls the compose files, the ``.env`` files and the
project's own portlint config. None of them may make portlint read a file
outside the project root (an absolute ``env_file``, a ``../`` path, a
committed symlink, ``~`` or ``.git/`` in ``env-files``), and a value
interpolated from another file is named, never echoed, in every output
format. Files named on the command line (``--env-file``) are the user's
choice and stay readable from anywhere.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_cli

SECRET = "ghp_S3cretT0kenThatMustNeverBePrinted"
FORMATS = ("text", "json", "sarif")


def _outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder beside the project, holding what a CI runner keeps outside the checkout."""
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secrets.env").write_text(f"GH_TOKEN={SECRET}\n", encoding="utf-8")
    return folder


def _no_secret_in_any_format(root: Path, *extra: str) -> dict[str, tuple[int, str, str]]:
    runs = {}
    for fmt in FORMATS:
        code, out, err = run_cli(["check", "--no-cache", "--format", fmt, *extra, "."], cwd=root)
        assert SECRET not in out + err, fmt
        runs[fmt] = (code, out, err)
    return runs


PORT_FROM_TOKEN = """\
services:
  web:
    image: example/web
    ports: ["${GH_TOKEN}:80"]
"""


def test_include_env_file_with_an_absolute_path_is_not_read(
    make_project: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = _outside(tmp_path_factory)
    root = make_project(
        {
            "compose.yaml": (
                f"include:\n  - path: app/compose.yaml\n    env_file: {outside / 'secrets.env'}\n"
            ),
            "app/compose.yaml": PORT_FROM_TOKEN,
        }
    )
    runs = _no_secret_in_any_format(root)
    code, out, _ = runs["text"]
    assert code == 1
    assert "PL104 variable GH_TOKEN is not set" in out  # the file was not read at all
    assert "is not a port" not in out


def test_include_env_file_escaping_with_dotdot_is_not_read(
    make_project: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = _outside(tmp_path_factory)
    root = make_project({"app/compose.yaml": PORT_FROM_TOKEN})
    up = os.path.relpath(outside / "secrets.env", root)  # env_file is read from the includer
    assert up.startswith("../")
    make_project({"compose.yaml": f"include:\n  - path: app/compose.yaml\n    env_file: {up}\n"})
    runs = _no_secret_in_any_format(root)
    assert "PL104 variable GH_TOKEN is not set" in runs["text"][1]


def test_include_env_file_under_dot_git_is_not_read(make_project: Callable[..., Path]) -> None:
    """Inside the project, but where a checkout keeps its credentials."""
    root = make_project(
        {
            "compose.yaml": "include:\n  - path: app/compose.yaml\n    env_file: .git/config\n",
            "app/compose.yaml": PORT_FROM_TOKEN,
            ".git/config": f"GH_TOKEN={SECRET}\n",
        }
    )
    runs = _no_secret_in_any_format(root)
    assert "PL104 variable GH_TOKEN is not set" in runs["text"][1]


def test_include_path_outside_the_project_is_not_read(
    make_project: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = _outside(tmp_path_factory)
    (outside / "compose.yaml").write_text(
        f'services:\n  leak:\n    image: x\n    ports: ["{SECRET}:80"]\n', encoding="utf-8"
    )
    root = make_project({"compose.yaml": f"include:\n  - {outside / 'compose.yaml'}\n"})
    runs = _no_secret_in_any_format(root)
    assert runs["text"][0] == 0


def test_env_symlink_to_outside_is_reported_and_not_read(
    make_project: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = _outside(tmp_path_factory)
    root = make_project({"compose.yaml": PORT_FROM_TOKEN})
    (root / ".env").symlink_to(outside / "secrets.env")
    runs = _no_secret_in_any_format(root)
    code, out, _ = runs["text"]
    assert code == 1
    assert (
        ".env:1:1: warning PL002 symbolic link to outside the scanned folder: not followed"
    ) in out
    assert "compose.yaml:4:14: warning PL104 variable GH_TOKEN is not set" in out


@pytest.mark.parametrize("config_file", ["pyproject.toml", ".portlint.toml"])
@pytest.mark.parametrize("env_file", ["~/.aws/credentials", ".git/config", "../outside.env"])
def test_env_files_in_the_repository_config_stay_inside_the_project(
    make_project: Callable[..., Path],
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    config_file: str,
    env_file: str,
) -> None:
    home = tmp_path_factory.mktemp("home")
    (home / ".aws").mkdir()
    (home / ".aws" / "credentials").write_text(f"GH_TOKEN={SECRET}\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    table = "[tool.portlint]\n" if config_file == "pyproject.toml" else ""
    root = make_project(
        {
            "compose.yaml": PORT_FROM_TOKEN,
            config_file: f'{table}env-files = ["{env_file}"]\n',
            ".git/config": f'[http]\nGH_TOKEN="{SECRET}"\n',
        }
    )
    (root.parent / "outside.env").write_text(f"GH_TOKEN={SECRET}\n", encoding="utf-8")
    runs = _no_secret_in_any_format(root)
    for code, out, err in runs.values():
        assert (code, out) == (2, "")
        assert err.startswith(f"portlint: error: {config_file}:")
        assert f"env-files: {env_file!r} " in err
    reason = "is inside .git/" if env_file == ".git/config" else "is outside the project root"
    assert reason in runs["text"][2]


def test_env_file_on_the_command_line_may_be_anywhere(
    make_project: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The user's own choice is trusted; the value is still not printed."""
    outside = _outside(tmp_path_factory)
    root = make_project({"compose.yaml": PORT_FROM_TOKEN})
    runs = _no_secret_in_any_format(root, "--env-file", str(outside / "secrets.env"))
    code, out, _ = runs["text"]
    assert code == 1
    shown = (outside / "secrets.env").as_posix()
    assert (
        f"compose.yaml:4:14: error PL102 the value of GH_TOKEN from {shown} is not a port\n"
    ) in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_value_from_another_file_is_named_not_echoed(
    make_project: Callable[..., Path], fmt: str
) -> None:
    root = make_project(
        {
            "compose.yaml": (
                "services:\n"
                "  web:\n"
                "    image: example/web\n"
                '    ports: ["${GH_TOKEN}:80", "127.0.0.1:${API_PORT}:abc"]\n'
                '    expose: ["${GH_TOKEN}"]\n'
            ),
            ".env": f"GH_TOKEN={SECRET}\nAPI_PORT=8080\n",
        }
    )
    code, out, err = run_cli(["check", "--no-cache", "--format", fmt, "."], cwd=root)
    assert code == 1
    assert SECRET not in out + err
    assert "the value of GH_TOKEN from .env is not a port" in out
    # the error is in the file's own text: it is shown as written, not as resolved
    assert "invalid container port: 'abc' in '127.0.0.1:${API_PORT}:abc'" in out


def test_a_value_from_the_environment_is_named_not_echoed(
    make_project: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_TOKEN", SECRET)
    root = make_project({"compose.yaml": PORT_FROM_TOKEN})
    code, out, err = run_cli(["check", "--no-cache", "--use-environment", "."], cwd=root)
    assert code == 1
    assert SECRET not in out + err
    assert "PL102 the value of GH_TOKEN from the environment is not a port" in out


def test_a_required_variable_message_does_not_echo_another_value(
    make_project: Callable[..., Path],
) -> None:
    root = make_project(
        {
            "compose.yaml": (
                'services:\n  web:\n    image: x\n    ports: ["${MISSING:?${GH_TOKEN}}:80"]\n'
            ),
            ".env": f"GH_TOKEN={SECRET}\n",
        }
    )
    code, out, err = run_cli(["check", "--no-cache", "."], cwd=root)
    assert code == 1
    assert SECRET not in out + err
    assert "required variable MISSING is not set: ${GH_TOKEN}" in out


def test_follow_links_in_the_repository_config_stays_inside_the_project(
    make_project: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The repository may turn on ``follow-links``, but only for links that stay inside it."""
    outside = _outside(tmp_path_factory)
    (outside / "linked").mkdir()
    (outside / "linked" / "app.env").write_text(f"API_PORT={SECRET}\n", encoding="utf-8")
    root = make_project(
        {
            ".portlint.toml": "follow-links = true\n",
            "compose.yaml": PORT_FROM_TOKEN,
            "real/inner.env": "INNER_PORT=8080\n",
        }
    )
    (root / "stolen.env").symlink_to(outside / "secrets.env")
    (root / "linked").symlink_to(outside / "linked")  # a folder link: its files leave too
    (root / "inner.env").symlink_to(root / "real" / "inner.env")
    runs = _no_secret_in_any_format(root)
    code, out, _ = runs["text"]
    assert code == 1
    assert (
        "stolen.env:1:1: warning PL002 symbolic link to outside the project: not followed"
    ) in out, out
    assert (
        "linked/app.env:1:1: warning PL002 symbolic link to outside the project: not followed"
    ) in out
    assert "inner.env:1:1: PL002" not in out  # a link inside the project is followed


def test_follow_links_on_the_command_line_may_leave_the_project(
    make_project: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = _outside(tmp_path_factory)
    root = make_project({"compose.yaml": "services: {}\n"})
    (root / "team.env").symlink_to(outside / "secrets.env")
    code, out, _ = run_cli(["check", "--no-cache", "--follow-links", "."], cwd=root)
    assert code == 0, out
    assert "team.env:1:1: PL002" not in out
