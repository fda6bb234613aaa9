"""Names from a repository cannot forge report lines or drive a terminal (issue 19, item 10).

A pull request may name a compose service ``"api\\n/etc/passwd:1:1: error PL999
forged"`` (a whole fake finding in the text format, a fake annotation in
GitHub's), or put terminal escapes in it (colours, OSC 8 hyperlinks, the
8-bit CSI, bidi overrides), or an ESC that XML 1.0 cannot hold even as a
character reference. Strings from files are escaped once where they enter
the model (portlint.printable), as file names always were, so every format
shows ``\\n`` and ``\\x1b`` as text; ``--show-source`` escapes the source
line it prints.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from portlint.engine.run import run
from portlint.printable import printable, printable_path
from portlint.reporters import REPORTERS, get_reporter
from portlint.results import RunResult
from tests.conftest import run_cli_strict

FORGED = "/etc/passwd:1:1: error PL999 forged"
NAMES = {  # as written in a YAML double-quoted key, and as every format shows them
    f"api\\n{FORGED}": f"api\\n{FORGED}",
    "red\\x1b[31mred": "red\\x1b[31mred",
    "link\\x1b]8;;https://evil.example/\\x1b\\\\click\\x1b]8;;\\x1b\\\\": (
        "link\\x1b]8;;https://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\"  # YAML's \\\\ is one
    ),
    "csi\\x9b2J bidi\\u202eexe.txt sep\\u2028x bell\\a": (
        "csi\\x9b2J bidi\\u202eexe.txt sep\\u2028x bell\\x07"
    ),
}


def compose() -> str:
    """Each hostile service claims a port first; a plain one repeats it, so
    the PL401 on the plain one names the hostile service."""
    lines = ["services:"]
    for n, name in enumerate(NAMES):
        port = 8080 + n
        lines += [
            f'  "{name}":',
            f'    image: "img\\x1b[2J{n}"',
            f'    ports: ["{port}:80"]',
            f"  plain{n}:",
            f'    ports: ["{port}:80"]',
        ]
    return "\n".join(lines) + "\n"


FILES = {
    "compose.yaml": compose(),
    # a raw ESC and BEL on the line of a finding: --show-source prints that line
    ".env": "PORT=99999 # \x1b]0;pwned\x07\x1b[2J\tend\n",
    # YAML refuses raw control characters: one PL001 line, at the character
    "raw/compose.yaml": 'services:\n  web:\n    ports: ["8090:80"] # \x1b]0;pwned\x07\n',
    # the team's allocation file is repository content too (TOML allows \u001b)
    "ports.toml": (
        '[[allocation]]\nport = 8080\nservice = "alloc\\u001b[31m\\nnext"\n'
        "[[allocation]]\nport = 8081\nservice = 'red\\x1b[31mred'\n"
    ),
}

OWN_SGR = re.compile(r"\x1b\[(?:31|33|36|1|2|0)m")  # portlint's own colours (text.py)
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def run_strict(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    code, out, err = run_cli_strict(argv, cwd)
    return code, out.decode("utf-8"), err


@pytest.fixture
def project(make_project) -> Path:
    return make_project(FILES)


def check(root: Path, fmt: str, *extra: str) -> str:
    code, out, err = run_strict(
        ["check", "--no-color", "--select", "ALL", "--format", fmt, *extra, "."], root
    )
    assert (code, err) == (1, "")
    return out


def test_the_project_names_every_hostile_service(project: Path) -> None:
    """The fixture works: each name reaches a message (so the tests below test something)."""
    data = json.loads(check(project, "json"))
    messages = [f["message"] for f in data["findings"]]
    for shown in NAMES.values():
        assert any(f'service "{shown}"' in m for m in messages), shown


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_control_character_in_any_format(project: Path, fmt: str) -> None:
    out = check(project, fmt, "--show-source")
    assert CONTROLS.findall(out) == []
    assert "\x1b" not in out


def test_text_lines_cannot_be_forged(project: Path) -> None:
    out = check(project, "text")
    for line in out.splitlines():
        assert line.startswith(
            ("compose.yaml:", ".env:", "raw/compose.yaml:", "  hint: ", "Found ", "4 with an ")
        ), line
    assert not any(FORGED in line.split(" ", 1)[0] for line in out.splitlines())
    assert f'service "api\\n{FORGED}"' in out


def test_show_source_escapes_the_line_and_keeps_the_caret_under_the_port(project: Path) -> None:
    out = check(project, "text", "--show-source")
    lines = out.splitlines()
    at = lines.index("1 | PORT=99999 # \\x1b]0;pwned\\x07\\x1b[2J end")
    assert lines[at + 1] == "  |      ^^^^^"
    assert lines[at - 2].startswith(".env:1:6: error PL101 ")
    at = lines.index('3 |     ports: ["8090:80"] # \\x1b]0;pwned\\x07')
    assert lines[at + 1] == "  |                          ^^^^"
    assert lines[at - 1] == (
        "raw/compose.yaml:3:26: error PL001 YAML error: unacceptable character #x001b: "
        "control characters are not allowed"
    )


def test_github_lines_are_all_workflow_commands(project: Path) -> None:
    out = check(project, "github")
    lines = out.splitlines()
    assert lines and all(line.startswith("::") for line in lines)
    assert not any(FORGED in line and not line.startswith("::error ") for line in lines)
    # the name is escaped as text first, so the runner shows "\n", not a line break
    assert any(f"api\\n{FORGED}" in line for line in lines)


def test_junit_is_well_formed_xml(project: Path) -> None:
    out = check(project, "junit")
    root = ET.fromstring(out)
    texts = [f.get("message", "") for f in root.iter("failure")]
    assert any("red\\x1b[31mred" in t for t in texts)


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_formats_carry_the_escaped_name(project: Path, fmt: str) -> None:
    out = check(project, fmt)
    json.loads(out)
    assert json.dumps(f"api\\n{FORGED}")[1:-1] in out  # the backslash, itself escaped


def test_colour_adds_only_portlint_own_codes(project: Path) -> None:
    result: RunResult = run(["."], _config(project), cwd=str(project))
    buffer = io.StringIO()
    get_reporter("text", colour=True, show_source=True).render(result, buffer)
    out = buffer.getvalue()
    assert "\x1b[31m" in out  # colour was asked for
    assert CONTROLS.findall(OWN_SGR.sub("", out)) == []


def _config(root: Path):  # type: ignore[no-untyped-def]
    import dataclasses

    from portlint.commands import load_config as resolve

    config = resolve(str(root), None, {}, isolated=True).config
    return dataclasses.replace(config, cache=False)


def test_printable_escapes_what_a_terminal_or_parser_acts_on() -> None:
    assert printable("plain café 🐳") == "plain café 🐳"
    assert printable("a\nb\r\tc\x1b\x9b\u202e\u2028\udc80") == (
        "a\\nb\\r\\tc\\x1b\\x9b\\u202e\\u2028\\udc80"
    )
    assert printable_path("caf\udcc3\udca9\n") == "caf\\xc3\\xa9\\n"  # undecodable bytes
    text = "x\x1b[31m\ny"
    assert printable(printable(text)) == printable(text)  # idempotent


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_the_ports_listing_escapes_names(project: Path, fmt: str) -> None:
    code, out, err = run_strict(["ports", "--format", fmt, "."], project)
    assert (code, err) == (0, "")
    assert CONTROLS.findall(out) == []
    assert "red\\x1b[31mred" in out.replace("\\\\", "\\")  # json doubles the backslash
    if fmt != "json":
        lines = out.splitlines()
        assert all(line.startswith(("LOCATION", "compose.yaml:", ".env:", "|")) for line in lines)
