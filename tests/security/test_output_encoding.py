"""A lone surrogate from a JSON escape never breaks a report (issue 19, item 9).

JSON lets a file spell a UTF-16 half on its own (``"\\udc80"``). Python
decodes it to a lone surrogate, which no UTF-8 stream can hold: before, the
fingerprint (JSON, SARIF, GitLab, ``--write-baseline``) and the text report
died with UnicodeEncodeError, so a CI step with ``--exit-zero`` failed with
no report. Such strings are made printable once, where scan results enter
the model, and every format then writes them like any other name.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from portlint.reporters import REPORTERS
from tests.conftest import run_cli_strict

# Written with the escapes as text: the files hold "\udc80", six ASCII characters.
FILES = {
    # a key (the owner, part of the fingerprint) and a value (a forwarded port)
    "app.json": '{"server\\udc80": {"port": 8080}, "web": {"port": 8080}}\n',
    "b.json": '{"serve\\ud800r": {"port": 8080}}\n',
    # an app started on the host (placement): its config's ports are host claims
    "package.json": '{"name": "app", "scripts": {"start": "node app.js"}}\n',
    ".devcontainer/devcontainer.json": (
        '{"forwardPorts": [3000, "x\\udc80"], "appPort": ["3000:3000"],\n'
        ' "portsAttributes": {"3000": {"label": "l\\udfff"}}}\n'
    ),
    # PyYAML refuses the escape itself: a PL001, not a crash
    "compose.yaml": 'services:\n  "a\\udc80":\n    ports: ["8080:80"]\n',
}


run_strict = run_cli_strict


def parse(fmt: str, data: bytes) -> None:
    """Whether ``data`` is a well-formed report of format ``fmt`` (raises if not)."""
    text = data.decode("utf-8")  # strict: no surrogate bytes reached the output
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(text)
    elif fmt == "json-lines":
        assert all(isinstance(json.loads(line), dict) for line in text.splitlines())
    elif fmt == "junit":
        ET.fromstring(data)
    elif fmt == "github":
        assert all(line.startswith("::") for line in text.splitlines())
    else:
        assert text.endswith(".\n")  # the summary line: the report ran to its end


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
@pytest.mark.parametrize("exit_zero", [False, True])
def test_every_format_writes_a_lone_surrogate(make_project, fmt: str, exit_zero: bool) -> None:
    root = make_project(FILES)
    argv = ["check", "--no-color", "--select", "ALL", "--format", fmt, "."]
    code, out, err = run_strict([*argv, "--exit-zero"] if exit_zero else argv, root)
    assert err == ""
    assert code == (0 if exit_zero else 1)
    parse(fmt, out)
    text = out.decode("utf-8")
    if fmt != "junit":  # junit has no fingerprints; its names are checked below
        assert "server\\xdc80" not in text  # one escape, not the surrogateescape byte form
    shown_as_text = ("text", "concise", "grouped", "github", "junit")  # JSON escapes the \\
    assert ("server\\udc80" in text) == (fmt in shown_as_text)


def test_json_report_names_the_key_and_value_as_escape_text(make_project) -> None:
    root = make_project(FILES)
    code, out, _ = run_strict(["check", "--format", "json", "--select", "ALL", "."], root)
    assert code == 1
    messages = {(f["location"]["path"], f["message"]) for f in json.loads(out)["findings"]}
    assert (
        "app.json",
        'listening port 8080/tcp is also claimed by owner "server\\udc80" (app.json:1:27)',
    ) in messages
    assert (
        ".devcontainer/devcontainer.json",
        "forwardPorts entry 'x\\udc80' is neither a port nor \"service:port\"",
    ) in messages


def test_the_ports_listing_names_owners_as_escape_text(make_project) -> None:
    root = make_project(FILES)
    code, out, err = run_strict(["ports", "."], root)
    assert (code, err) == (0, "")
    owners = {line.split()[2] for line in out.decode("utf-8").splitlines()[1:]}
    assert {"server\\udc80", "serve\\ud800r"} <= owners


def test_write_baseline_with_a_lone_surrogate(make_project) -> None:
    root = make_project(FILES)
    code, out, err = run_strict(["check", "--write-baseline", "bl.json", "."], root)
    assert (code, out) == (0, b"")
    assert err.startswith("portlint: wrote ")
    data = json.loads((root / "bl.json").read_text(encoding="utf-8"))
    assert data["findings"]
    # and the baseline it wrote hides every finding on the next run
    code, out, err = run_strict(["check", "--baseline", "bl.json", "--format", "json", "."], root)
    assert (code, err) == (0, "")
    assert json.loads(out)["findings"] == []


def test_helper_processes_return_the_same_escaped_report(make_project) -> None:
    """``--jobs``: results cross a process boundary as JSON; the escaping happened before."""
    root = make_project(FILES)
    argv = ["check", "--no-cache", "--format", "json", "--select", "ALL", "."]
    serial = run_strict([*argv, "--jobs", "1"], root)
    parallel = run_strict([*argv, "--jobs", "2"], root)
    assert serial == parallel
    assert serial[0] == 1
