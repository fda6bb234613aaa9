"""``portlint completion``: scripts generated from the parser, valid in each shell."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from portlint.cli import COMMANDS, build_parser
from portlint.commands.completion import SHELLS, describe
from portlint.reporters import REPORTERS
from tests.conftest import run_cli

NESTED = ("build", "update", "info")  # registry's commands


def script(shell: str) -> str:
    code, out, err = run_cli(["completion", shell])
    assert (code, err) == (0, "")
    return out


@pytest.mark.parametrize("shell", SHELLS)
def test_each_script_mentions_every_command_and_format(shell: str) -> None:
    text = script(shell)
    options = ("-l show-files", "-l output-file") if shell == "fish" else ("--show-files", "-o")
    for word in (*COMMANDS, *NESTED, *REPORTERS, *options):
        assert word in text, word


def test_the_model_holds_every_command_of_the_parser() -> None:
    root = describe(build_parser())
    assert [c.path[0] for c in root.commands] == list(COMMANDS)
    registry = next(c for c in root.commands if c.path == ("registry",))
    assert [c.path for c in registry.commands] == [("registry", n) for n in NESTED]
    check = next(c for c in root.commands if c.path == ("check",))
    formats = next(o for o in check.options if "--format" in o.flags)
    assert formats.choices == tuple(REPORTERS)
    assert formats.takes_value
    assert check.paths


def test_an_unknown_shell_is_a_usage_error() -> None:
    code, _, err = run_cli(["completion", "tcsh"])
    assert code == 2
    assert "invalid choice: 'tcsh'" in err


def _check_syntax(shell: str, tmp_path: Path) -> None:
    program = shutil.which(shell)
    if program is None:
        pytest.skip(f"{shell} is not installed")
    path = tmp_path / f"portlint.{shell}"
    path.write_text(script(shell), encoding="utf-8")
    proc = subprocess.run([program, "-n", str(path)], capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stderr) == (0, "")


@pytest.mark.parametrize("shell", SHELLS)
def test_the_script_parses(shell: str, tmp_path: Path) -> None:
    _check_syntax(shell, tmp_path)


def _bash_complete(tmp_path: Path, *words: str) -> list[str]:
    path = tmp_path / "portlint.bash"
    path.write_text(script("bash"), encoding="utf-8")
    quoted = " ".join(f"'{w}'" for w in words)
    program = (
        f"source {path}; COMP_WORDS=(portlint {quoted}); COMP_CWORD={len(words)}; "
        '_portlint; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    proc = subprocess.run(
        ["bash", "--norc", "-c", program], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    return proc.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_and_values(tmp_path: Path) -> None:
    assert _bash_complete(tmp_path, "regis") == ["registry"]
    assert _bash_complete(tmp_path, "registry", "") == list(NESTED)
    assert _bash_complete(tmp_path, "check", "--format", "") == list(REPORTERS)
    assert _bash_complete(tmp_path, "check", "--format", "json", "--show-f") == ["--show-files"]
    assert _bash_complete(tmp_path, "--no-color", "ports", "--format", "m") == [
        "markdown",
        "mermaid",
    ]
    assert _bash_complete(tmp_path, "completion", "") == ["bash", "zsh", "fish"]
    # `portlint PATH` is `portlint check PATH`: check's options follow a path
    assert _bash_complete(tmp_path, ".", "--exit-z") == ["--exit-zero"]


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_fish_completes_commands_options_and_values(tmp_path: Path) -> None:
    path = tmp_path / "portlint.fish"
    path.write_text(script("fish"), encoding="utf-8")

    def complete(line: str) -> list[str]:
        proc = subprocess.run(
            ["fish", "--no-config", "-c", f"source {path}; complete -C '{line}'"],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            check=True,
        )
        return [row.split("\t")[0] for row in proc.stdout.splitlines()]

    assert complete("portlint registry ") == sorted(NESTED)
    assert complete("portlint check --format ") == sorted(REPORTERS)
    assert complete("portlint completion ") == ["bash", "fish", "zsh"]
    assert complete("portlint --exit-z") == ["--exit-zero"]
