"""The command line behaves as ruff, flake8 and other Unix tools do (issue 15).

Global flags in either position, a closed pipe, one-line usage errors,
``--env-file`` checked and owned by the project it configures, a single file
outside any project linted alone.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from portlint.cli import main
from tests.conftest import ROOT, TWO_SERVICES_ON_8080, run_cli


class _Terminal(io.StringIO):
    """A stdout that says it is a terminal, so colour is on unless a flag turns it off."""

    def isatty(self) -> bool:
        return True


def _run_on_terminal(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = _Terminal(), io.StringIO()
    old = os.getcwd()
    try:
        os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def colour_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)


# -- global flags, before and after the command ---------------------------------------------


@pytest.mark.usefixtures("colour_env")
@pytest.mark.parametrize(
    "argv",
    [
        ["--no-color", "check", "compose.yaml"],
        ["check", "--no-color", "compose.yaml"],
        ["--no-color", "compose.yaml"],
        ["check", "compose.yaml", "--no-color"],
    ],
)
def test_no_color_works_before_and_after_the_command(make_project, argv) -> None:
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    code, out, _ = _run_on_terminal(argv, root)
    assert code == 1
    assert "PL401" in out
    assert "\x1b[" not in out


@pytest.mark.usefixtures("colour_env")
def test_a_terminal_gets_colour_without_the_flag(make_project) -> None:
    """The control for the test above: colour is on, so its absence is the flag's doing."""
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    code, out, _ = _run_on_terminal(["check", "compose.yaml"], root)
    assert code == 1
    assert "\x1b[" in out


def _crash(args: object) -> int:
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    "argv",
    [
        ["--debug", "check", "."],
        ["check", "--debug", "."],
        ["--debug", "."],
        ["check", ".", "--debug"],
    ],
)
def test_debug_works_before_and_after_the_command(monkeypatch, tmp_path, argv) -> None:
    monkeypatch.setattr("portlint.commands.check.run", _crash)
    with pytest.raises(RuntimeError, match="boom"):
        run_cli(argv, cwd=tmp_path)


def test_without_debug_an_internal_error_is_one_line(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr("portlint.commands.check.run", _crash)
    assert run_cli(["check", "."], cwd=tmp_path) == (
        2,
        "",
        "portlint: internal error: RuntimeError: boom (rerun with --debug)\n",
    )


# -- a pipe closed early --------------------------------------------------------------------


def _many_findings(count: int) -> str:
    """A compose file where every service publishes 8080: one PL401 per service after the first,
    far more text than a pipe buffer holds."""
    lines = ["services:"]
    for i in range(count):
        lines += [f"  service{i:04d}:", "    image: example/app", '    ports: ["8080:80"]']
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_a_pipe_closed_early_ends_quietly(make_project) -> None:
    """``portlint check . | head -1``: head exits after one line, portlint's next write
    fails with EPIPE. Like ruff (and ripgrep, whose rule ruff copied), the run ends with
    exit 0 and nothing on stderr: the reader chose to stop reading."""
    root = make_project({"compose.yaml": _many_findings(1500)})
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "portlint", "check", "--no-cache", "compose.yaml"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does after its line
    err = proc.stderr.read()
    code = proc.wait(timeout=300)
    assert first.startswith(b"compose.yaml:")
    assert (code, err) == (0, b"")


# -- usage errors: one line ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["check", "--no-such-flag"],
            "portlint check: error: unrecognized arguments: --no-such-flag"
            " (hint: see `portlint check --help`)\n",
        ),
        (
            ["port"],
            "portlint port: error: the following arguments are required: PORT[/PROTO]"
            " (hint: see `portlint port --help`)\n",
        ),
        (
            ["rule", "--format", "xml"],
            "portlint rule: error: argument --format: invalid choice: 'xml'"
            " (choose from text, json) (hint: see `portlint rule --help`)\n",
        ),
        (
            ["registry"],
            "portlint registry: error: the following arguments are required: COMMAND"
            " (hint: see `portlint registry --help`)\n",
        ),
        (
            ["check", "--jobs", "x"],
            "portlint check: error: argument --jobs/-j: expected a number of processes,"
            " got 'x' (hint: see `portlint check --help`)\n",
        ),
    ],
)
def test_a_usage_error_is_one_line_and_exit_two(argv, line) -> None:
    assert run_cli(argv) == (2, "", line)


def test_help_still_prints_the_usage_and_exits_zero() -> None:
    code, out, err = run_cli(["check", "--help"])
    assert (code, err) == (0, "")
    assert out.startswith("usage: portlint check ")


# -- --env-file -----------------------------------------------------------------------------

COMPOSE_WITH_VARIABLE = """\
services:
  api:
    image: example/api
    ports: ["${API_PORT}:80"]
"""


def test_a_missing_env_file_is_a_usage_error(make_project) -> None:
    root = make_project({"compose.yaml": COMPOSE_WITH_VARIABLE})
    assert run_cli(["check", "--env-file", "nope.env", "."], cwd=root) == (
        2,
        "",
        "portlint check: error: argument --env-file: no such file: 'nope.env'"
        " (hint: see `portlint check --help`)\n",
    )


def test_ports_refuses_a_missing_env_file_too(make_project) -> None:
    root = make_project({"compose.yaml": COMPOSE_WITH_VARIABLE})
    assert run_cli(["ports", "--env-file", "nope.env", "."], cwd=root) == (
        2,
        "",
        "portlint ports: error: argument --env-file: no such file: 'nope.env'"
        " (hint: see `portlint ports --help`)\n",
    )


@pytest.mark.parametrize("how", [".env", "--env-file"])
def test_an_env_file_port_is_the_project_s_own(make_project, how) -> None:
    """``API_PORT=8080`` feeds ``${API_PORT}:80``: one claim, whether Compose reads the
    value from ``.env`` or from ``--env-file``; neither is a rival project."""
    name = ".env" if how == ".env" else "vars.env"
    root = make_project({"compose.yaml": COMPOSE_WITH_VARIABLE, name: "API_PORT=8080\n"})
    flags = ["--env-file", name] if how == "--env-file" else []
    assert run_cli(["check", *flags, "--format", "json", "."], cwd=root)[0] == 0
    assert run_cli(["check", *flags, "."], cwd=root) == (
        0,
        "All clear: no problems in 2 files.\n",
        "",
    )
    code, out, _ = run_cli(["ports", *flags, "--contested", "."], cwd=root)
    assert (code, out) == (0, "no contested ports\n")


def test_env_file_is_read_relative_to_the_current_folder(make_project) -> None:
    """As Compose's ``--env-file``: from where the command runs, not from the project root."""
    root = make_project(
        {
            ".portlint.toml": "",
            "svc/compose.yaml": COMPOSE_WITH_VARIABLE,
            "svc/vars.env": "API_PORT=8080\n",
        }
    )
    assert run_cli(["check", "--env-file", "vars.env", "."], cwd=root / "svc") == (
        0,
        "All clear: no problems in 2 files.\n",
        "",
    )


# -- a single file outside any project --------------------------------------------------------


def test_a_file_outside_any_project_is_linted_alone(make_project) -> None:
    """No git and no config: there is no project to give context, so the folder around
    the named file (a home or download folder) is not scanned."""
    root = make_project(
        {
            "one/compose.yaml": "services:\n  a:\n    image: x\n    ports: ['8080:80']\n",
            "unrelated/compose.yaml": TWO_SERVICES_ON_8080,
        }
    )
    code, out, err = run_cli(["check", "one/compose.yaml"], cwd=root)
    assert (code, out, err) == (0, "All clear: no problems in 1 file.\n", "")


def test_a_file_inside_a_project_keeps_its_project_context(make_project) -> None:
    """The control: with a config file there is a project, and the collision with a file
    not named is still found (pre-commit names only the changed files)."""
    root = make_project(
        {
            ".portlint.toml": "",
            "one/compose.yaml": "services:\n  a:\n    image: x\n    ports: ['8080:80']\n",
            "one/compose.override.yaml": "services:\n  b:\n    image: y\n    ports: ['8080:80']\n",
        }
    )
    code, out, _ = run_cli(["check", "one/compose.yaml"], cwd=root)
    assert code == 1
    assert "PL401" in out


# -- conventions: abbreviations, "did you mean", accumulating selectors ----------------------


def test_an_abbreviated_option_is_not_taken_for_the_full_one(make_project) -> None:
    """``--form json`` must not mean ``--format json`` (allow_abbrev=False)."""
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    assert run_cli(["check", "--form", "json", "compose.yaml"], cwd=root) == (
        2,
        "",
        "portlint check: error: unrecognized arguments: --form (hint: did you mean --format?)\n",
    )


@pytest.mark.parametrize("argv", [["rule", "--al"], ["config", "--isol"], ["ports", "--contest"]])
def test_no_parser_takes_abbreviations(argv) -> None:
    code, out, err = run_cli(argv)
    assert (code, out) == (2, "")
    assert "unrecognized arguments" in err or "expected one argument" in err


def test_an_unknown_command_close_to_one_suggests_it(tmp_path) -> None:
    assert run_cli(["chek", "."], cwd=tmp_path) == (
        2,
        "",
        "portlint: error: 'chek' is neither a command nor a file or folder"
        " (hint: did you mean `portlint check`?)\n",
    )


def test_a_path_named_like_a_command_is_still_a_path(make_project) -> None:
    """``portlint PATH`` is valid: an existing file or folder is never taken for a typo."""
    root = make_project({"chek/compose.yaml": TWO_SERVICES_ON_8080})
    code, out, _ = run_cli(["chek"], cwd=root)
    assert code == 1
    assert out.startswith("chek/compose.yaml:")


def test_a_missing_path_unlike_any_command_stays_no_such_file(tmp_path) -> None:
    code, out, err = run_cli(["compose.yaml"], cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err.endswith("compose.yaml: no such file or directory\n")


def test_an_unknown_option_suggests_the_closest() -> None:
    assert run_cli(["check", "--selct", "PL4", "."]) == (
        2,
        "",
        "portlint check: error: unrecognized arguments: --selct (hint: did you mean --select?)\n",
    )


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["check", "--format", "jsn", "."],
            "portlint check: error: argument --format/--output-format: invalid choice: 'jsn'"
            " (choose from text, concise, grouped, json, json-lines, sarif, github, gitlab,"
            " junit) (hint: did you mean 'json'?)\n",
        ),
        (
            ["rule", "--all", "--format", "txt"],
            "portlint rule: error: argument --format: invalid choice: 'txt'"
            " (choose from text, json) (hint: did you mean 'text'?)\n",
        ),
        (
            ["check", "--color", "alwys", "."],
            "portlint check: error: argument --color: invalid choice: 'alwys'"
            " (choose from auto, always, never) (hint: did you mean 'always'?)\n",
        ),
    ],
)
def test_an_unknown_value_suggests_the_closest(argv, line) -> None:
    assert run_cli(argv) == (2, "", line)


def test_check_help_lists_the_formats() -> None:
    _, out, _ = run_cli(["check", "--help"])
    # argparse wraps help text, at a hyphen too: compare without any whitespace
    assert "text,concise,grouped,json,json-lines,sarif,github,gitlab,junit" in "".join(out.split())


def _config_json(argv: list[str], cwd: Path) -> dict[str, object]:
    import json

    code, out, err = run_cli(["config", "--format", "json", *argv], cwd=cwd)
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select", "--extend-ignore"])
def test_repeated_selectors_accumulate(tmp_path, flag) -> None:
    data = _config_json([flag, "PL4", flag, "PL2,PL3"], tmp_path)
    key = "ignore" if flag.endswith("ignore") else flag[2:]
    assert data["values"][key] == ["PL4", "PL2", "PL3"]  # type: ignore[index]


def test_extend_ignore_adds_to_the_configured_ignore(make_project) -> None:
    root = make_project({".portlint.toml": 'ignore = ["PL2"]\n'})
    data = _config_json(["--extend-ignore", "PL5"], root)
    assert data["values"]["ignore"] == ["PL2", "PL5"]  # type: ignore[index]
    assert data["origins"]["ignore"] == ".portlint.toml + --extend-ignore"  # type: ignore[index]
    data = _config_json(["--ignore", "PL3", "--extend-ignore", "PL5"], root)
    assert data["values"]["ignore"] == ["PL3", "PL5"]  # type: ignore[index]


def test_extend_ignore_turns_a_rule_off(make_project) -> None:
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    assert run_cli(["check", "--extend-ignore", "PL401", "compose.yaml"], cwd=root)[0] == 0
    code, _, err = run_cli(["check", "--extend-ignore", "PL999", "compose.yaml"], cwd=root)
    assert code == 2 and "unknown rule code or name 'PL999'" in err


def test_o_is_output_file(make_project) -> None:
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    code, out, _ = run_cli(["check", "-o", "report.txt", "compose.yaml"], cwd=root)
    assert (code, out) == (1, "")
    assert (root / "report.txt").read_text(encoding="utf-8").startswith("compose.yaml:")


# -- colour -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("colour_env")
@pytest.mark.parametrize(
    ("flags", "env", "coloured"),
    [
        ([], {}, True),  # a terminal
        (["--color", "never"], {}, False),
        (["--color=never"], {}, False),
        (["--color", "auto"], {"NO_COLOR": "1"}, False),
        ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins over FORCE_COLOR
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the flag wins over both
    ],
)
def test_colour_on_a_terminal(monkeypatch, make_project, flags, env, coloured) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    for argv in ([*flags, "check", "compose.yaml"], ["check", *flags, "compose.yaml"]):
        code, out, _ = _run_on_terminal(argv, root)
        assert code == 1, argv
        assert ("\x1b[" in out) is coloured, argv


@pytest.mark.usefixtures("colour_env")
@pytest.mark.parametrize(
    ("flags", "env", "coloured"),
    [
        ([], {}, False),  # a pipe
        (["--color", "always"], {}, True),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"CLICOLOR_FORCE": "1"}, True),
        ([], {"CLICOLOR_FORCE": "0"}, False),
        ([], {"FORCE_COLOR": ""}, False),
        (["--no-color"], {"FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_on_a_pipe(monkeypatch, make_project, flags, env, coloured) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    for argv in ([*flags, "check", "compose.yaml"], ["check", *flags, "compose.yaml"]):
        code, out, _ = run_cli(argv, cwd=root)
        assert code == 1, argv
        assert ("\x1b[" in out) is coloured, argv


# -- broken TOML in a config file: exit 2 at file:line:column ---------------------------------

TOML_HINT = " (hint: check quoting and brackets at that position)\n"


@pytest.mark.parametrize(
    ("files", "line"),
    [
        (  # a broken [tool.portlint header: the file is portlint's config, not a finding
            {"pyproject.toml": '[project]\nname = "x"\n[tool.portlint\nignore = ["PL2"]\n'},
            "portlint: error: pyproject.toml:3:15: invalid TOML: "
            "expected ']' at the end of a table declaration" + TOML_HINT,
        ),
        (  # an error at the end of the file has a position too
            {".portlint.toml": 'ignore = ["PL2"]\nselect = ['},
            "portlint: error: .portlint.toml:2:11: invalid TOML: "
            "invalid value at the end of the file" + TOML_HINT,
        ),
        (
            {".portlint.toml": 'ignore = ["PL2"\n\n'},
            "portlint: error: .portlint.toml:1:16: invalid TOML: "
            "unclosed array at the end of the file" + TOML_HINT,
        ),
        (
            {"pyproject.toml": "[tool.portlint]\nignore = [\n"},
            "portlint: error: pyproject.toml:2:11: invalid TOML: "
            "invalid value at the end of the file" + TOML_HINT,
        ),
        (
            {".portlint.toml": 'allocations = ["ports.toml"]\n', "ports.toml": "[x\n"},
            "portlint: error: ports.toml:1:3: invalid TOML: "
            "expected ']' at the end of a table declaration" + TOML_HINT,
        ),
        (
            {
                ".portlint.toml": 'allocations = ["ports.toml"]\n',
                "ports.toml": "[[allocation]]\nports = [8080\n",
            },
            "portlint: error: ports.toml:2:14: invalid TOML: "
            "unclosed array at the end of the file" + TOML_HINT,
        ),
    ],
)
def test_broken_toml_in_a_config_file_is_exit_two_with_a_position(make_project, files, line):
    root = make_project(files)
    assert run_cli(["check", "."], cwd=root) == (2, "", line)


def test_a_broken_pyproject_of_another_tool_is_still_a_finding(make_project) -> None:
    """Only a portlint header makes pyproject.toml a config; ``[tool.portlint-x`` is not one."""
    root = make_project({"pyproject.toml": "[tool.portlint-x\nport = 8080\n"})
    code, out, _ = run_cli(["check", "."], cwd=root)
    assert code == 1
    assert out.startswith("pyproject.toml:1:17: error PL001 TOML syntax error:")


# -- --show-files and -v ------------------------------------------------------------------


def _files_project(make_project) -> Path:
    root = make_project(
        {
            "pyproject.toml": '[tool.portlint]\nextend-exclude = ["deploy/**/old"]\n',
            "compose.yaml": TWO_SERVICES_ON_8080,
            "app/.env": "PORT=8080\n",
            "deploy/old/compose.yaml": TWO_SERVICES_ON_8080,
            "node_modules/pkg/compose.yaml": TWO_SERVICES_ON_8080,
            "README.md": "# project\n",
        }
    )
    os.symlink("missing.env", root / "app" / ".env.local")
    return root


def test_show_files_lists_each_file_with_its_scanner_and_exits_zero(make_project) -> None:
    root = _files_project(make_project)
    code, out, err = run_cli(["check", "--show-files", "--no-gitignore"], root)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "app/.env        dotenv",
        "compose.yaml    compose",
        "pyproject.toml  toml",
    ]


def test_show_files_of_a_named_file_shows_the_project_around_it(make_project) -> None:
    root = _files_project(make_project)
    (root / ".git").mkdir()  # a project, so the named file keeps its context
    code, out, _ = run_cli(["check", "--show-files", "--no-gitignore", "compose.yaml"], root)
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == [
        "app/.env",
        "compose.yaml",
        "pyproject.toml",
    ]


def test_verbose_says_why_each_file_was_skipped(make_project) -> None:
    root = _files_project(make_project)
    code, out, err = run_cli(["check", "-v", "--no-gitignore", "-q", "--format", "json"], root)
    assert code == 1
    assert '"PL401"' in out
    assert err.splitlines() == [
        "portlint: skipped README.md: no scanner reads files of this name",
        "portlint: skipped app/.env.local: symbolic link to a file that does not exist",
        "portlint: skipped deploy/old/: folder matches exclude glob `deploy/**/old`",
        "portlint: skipped node_modules/: folder matches exclude glob `node_modules`",
    ]


def test_verbose_names_the_gitignore_when_git_is_missing(make_project, monkeypatch) -> None:
    from portlint import discovery

    root = _files_project(make_project)
    (root / ".git").mkdir()
    (root / ".git" / "objects").mkdir()
    (root / ".git" / "refs").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / ".gitignore").write_text("app/\n")
    monkeypatch.setattr(discovery, "git_program", lambda: None)
    code, _, err = run_cli(["check", "-v", "--show-files"], root)
    assert code == 0
    assert "portlint: listing . without git: reading its .gitignore files" in err
    assert "portlint: skipped app/: folder hidden by .gitignore" in err


def test_show_files_refuses_standard_input() -> None:
    code, _, err = run_cli(["check", "--show-files", "-"])
    assert code == 2
    assert "--show-files lists files on disk" in err
