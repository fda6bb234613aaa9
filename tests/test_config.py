"""Config discovery, precedence, validation messages and the select/ignore decision."""

from __future__ import annotations

import dataclasses
import json

import pytest

from portlint import rules
from portlint.commands import load_config as resolve
from portlint.config import Config
from portlint.errors import ConfigError
from portlint.findings import Severity
from portlint.rules.base import Option, coerce_option
from portlint.rules.selection import rule_is_selected
from tests.conftest import run_cli

COLLIDING = (
    "services:\n"
    "  api:\n"
    "    image: example/api\n"
    '    ports: ["8080:80"]\n'
    "  admin:\n"
    "    image: example/admin\n"
    '    ports: ["8080:8081"]\n'
)


def test_closest_config_wins_over_a_parent_pyproject(make_project) -> None:
    root = make_project(
        {
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.portlint]\nfail-on = "note"\n',
            "svc/.portlint.toml": 'fail-on = "error"\nignore = ["PL4"]\n',
        }
    )
    resolved = resolve(str(root / "svc"))
    assert resolved.config.fail_on is Severity.ERROR
    assert resolved.config.root == str(root / "svc")
    assert resolved.origins["fail-on"] == ".portlint.toml"
    assert resolve(str(root)).config.fail_on is Severity.NOTE


def test_pyproject_without_a_portlint_table_is_skipped(make_project) -> None:
    root = make_project(
        {
            "portlint.toml": 'ignore = ["PL401"]\n',
            "app/pyproject.toml": "[tool.ruff]\nline-length = 99\n",
        }
    )
    resolved = resolve(str(root / "app"))
    assert resolved.config.ignore == ("PL401",)
    assert resolved.config.source == str(root / "portlint.toml")


def test_dot_portlint_toml_beats_pyproject_in_the_same_folder(make_project) -> None:
    root = make_project(
        {
            ".portlint.toml": 'fail-on = "error"\n',
            "pyproject.toml": '[tool.portlint]\nfail-on = "note"\n',
        }
    )
    assert resolve(str(root)).config.fail_on is Severity.ERROR


def test_precedence_default_file_flag(make_project) -> None:
    root = make_project(
        {
            "compose.yaml": COLLIDING,
            "pyproject.toml": '[tool.portlint]\nignore = ["PL401"]\nfail-on = "error"\n',
            "other.toml": 'fail-on = "note"\n',
        }
    )
    assert run_cli(["check", "-q"], cwd=root) == (0, "", "")  # file ignores PL401
    code, out, _ = run_cli(["check", "-q", "--ignore", "PL1"], cwd=root)  # flag replaces file
    assert (code, out.splitlines()[0][:28]) == (1, "compose.yaml:7:14: error PL4")
    # --config replaces the search: other.toml does not ignore PL401
    assert run_cli(["check", "-q", "--config", "other.toml"], cwd=root)[0] == 1
    code, out, _ = run_cli(["config", "--ignore", "PL1"], cwd=root)
    assert code == 0
    lines = out.splitlines()
    assert "# config file: " + str(root / "pyproject.toml") in lines
    assert 'ignore            = ["PL1"]  # --ignore' in lines
    assert 'fail-on           = "error"  # pyproject.toml' in lines
    assert 'output-format     = "text"  # default' in lines


def test_config_json_lists_values_and_origins(make_project) -> None:
    root = make_project({".portlint.toml": 'ephemeral-range = "49152-65535"\n'})
    code, out, _ = run_cli(["config", "--format", "json"], cwd=root)
    data = json.loads(out)
    assert code == 0
    assert data["values"]["ephemeral-range"] == [49152, 65535]
    assert data["origins"]["ephemeral-range"] == ".portlint.toml"
    assert data["origins"]["nodeport-range"] == "default"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'fail-on = "error"\nselectt = ["PL4"]\n',
            ".portlint.toml:2:1: selectt: unknown key (hint: did you mean 'select'?)",
        ),
        (
            "respect-gitignore = 1\n",
            ".portlint.toml:1:1: respect-gitignore: must be true or false, not integer 1",
        ),
        (
            'ignore = ["PL999"]\n',
            ".portlint.toml:1:1: ignore: unknown rule code or name 'PL999' "
            "(hint: `portlint rule --all` lists every rule)",
        ),
        (
            '\n[per-file-ignores]\n"deploy/*" = ["PL4", "nope"]\n',
            ".portlint.toml:3:1: per-file-ignores.deploy/*: unknown rule code or name 'nope' "
            "(hint: `portlint rule --all` lists every rule)",
        ),
        (
            '[severity]\nPL401 = "fatal"\n',
            ".portlint.toml:2:1: severity.PL401: unknown severity 'fatal'; "
            "use error, warning or note",
        ),
        (
            "nodeport-range = [32767, 30000]\n",
            ".portlint.toml:1:1: nodeport-range: must satisfy 0 <= low <= high <= 65535, "
            "got 32767-30000",
        ),
        (
            "[rules.duplicate-host-port]\nstrict = true\n",
            ".portlint.toml:2:1: rules.duplicate-host-port.strict: PL401 has no option "
            "'strict' (hint: its options: none)",
        ),
        (
            'output-format = "xml"\n',
            ".portlint.toml:1:1: output-format: unknown output format 'xml' "
            "(hint: use text, concise, grouped, json, json-lines, sarif, github, gitlab, junit)",
        ),
        (
            'select = ["PL4"\nfail-on = "error"\n',
            ".portlint.toml:2:1: invalid TOML: unclosed array "
            "(hint: check quoting and brackets at that position)",
        ),
    ],
)
def test_config_errors_exit_two_with_file_key_and_position(make_project, text, message) -> None:
    root = make_project({".portlint.toml": text, "compose.yaml": COLLIDING})
    code, out, err = run_cli(["check"], cwd=root)
    assert (code, out) == (2, "")
    assert err == f"portlint: error: {message}\n"


def test_pyproject_errors_use_the_full_dotted_key(make_project) -> None:
    root = make_project(
        {"pyproject.toml": '[project]\nname = "x"\n\n[tool.portlint]\nmax-file-size = -1\n'}
    )
    code, _, err = run_cli(["check"], cwd=root)
    assert code == 2
    assert err == (
        "portlint: error: pyproject.toml:5:1: tool.portlint.max-file-size: "
        "must be a positive number of bytes, not integer -1\n"
    )


@pytest.mark.parametrize(
    ("type_name", "value", "expected"),
    [
        ("int", 3, 3),
        ("bool", True, True),
        ("str", "x", "x"),
        ("port", 5432, 5432),
        ("range", [10, 20], (10, 20)),
        ("range", "10-20", (10, 20)),
        ("list[int]", [1, 2], (1, 2)),
        ("list[str]", ["a"], ("a",)),
        ("list[range]", ["1-2", [3, 4]], ((1, 2), (3, 4))),
        ("severity", "note", Severity.NOTE),
    ],
)
def test_option_types_accept(type_name, value, expected) -> None:
    assert coerce_option(type_name, value) == expected


@pytest.mark.parametrize(
    ("type_name", "value", "message"),
    [
        ("int", True, "must be an integer, not boolean true"),
        ("int", "3", "must be an integer, not string '3'"),
        ("bool", "yes", "must be true or false, not string 'yes'"),
        ("port", 70000, "must be a port number 0-65535, not 70000"),
        ("list[int]", [1, "2"], "item 1: must be an integer, not string '2'"),
        ("list[str]", "a", "must be a list (list[str]), not string 'a'"),
        ("range", [5, 1], "must satisfy 0 <= low <= high <= 65535, got 5-1"),
    ],
)
def test_option_types_reject(type_name, value, message) -> None:
    with pytest.raises(ValueError) as info:
        coerce_option(type_name, value)
    assert str(info.value) == message


def test_rule_options_are_validated_against_the_rules_declarations(
    make_project, monkeypatch
) -> None:
    """A rule that declares options (other issues add them) gets them checked generically."""
    base = rules.BY_CODE["PL401"]
    with_options = dataclasses.replace(
        base,
        options=(
            Option("allow", "list[port]", (), "host ports that may be published twice"),
            Option("strict", "bool", False, "also compare different host IPs"),
        ),
    )
    for key in ("PL401", "duplicate-host-port"):
        monkeypatch.setitem(rules.BY_KEY, key, with_options)
    monkeypatch.setitem(rules.BY_CODE, "PL401", with_options)
    root = make_project(
        {".portlint.toml": "[rules.PL401]\nallow = [8080]\n\n[rules.duplicate-host-port]\n"}
    )
    resolved = resolve(str(root))
    assert dict(resolved.config.rule_options["PL401"]) == {"allow": (8080,)}
    assert resolved.origins["rules.PL401.allow"] == ".portlint.toml"
    (root / ".portlint.toml").write_text('[rules.PL401]\nallow = ["http"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        resolve(str(root))
    assert str(info.value) == (
        ".portlint.toml:2:1: rules.PL401.allow: item 0: must be an integer, not string 'http' "
        "(hint: host ports that may be published twice)"
    )


# select / ignore: the more specific selector wins; on a tie, ignore wins.
@pytest.mark.parametrize(
    ("select", "extend", "ignore", "code", "selected"),
    [
        ((), (), (), "PL401", True),  # on by default
        ((), (), ("PL4",), "PL401", False),
        (("PL401",), (), ("PL4",), "PL401", True),  # full code beats a prefix
        (("PL4",), (), ("PL401",), "PL401", False),
        (("PL4",), (), ("PL40",), "PL401", False),  # longer prefix is more specific
        (("PL40",), (), ("PL4",), "PL401", True),
        (("PL4",), (), ("PL4",), "PL401", False),  # tie: ignore wins
        (("ALL",), (), ("PL4",), "PL401", False),
        (("PL1",), (), (), "PL401", False),  # not selected at all
        (("PL1",), ("PL401",), (), "PL401", True),  # extend-select adds
        ((), (), ("duplicate-host-port",), "PL401", False),  # names work like codes
        (("duplicate-host-port",), (), ("PL4",), "PL401", True),
    ],
)
def test_select_ignore_truth_table(select, extend, ignore, code, selected) -> None:
    rule = rules.BY_CODE[code]
    config = Config(select=select, extend_select=extend, ignore=ignore)
    assert rule_is_selected(rule.code, rule.name, True, config, rule.aliases) is selected


def test_off_by_default_rule_needs_an_explicit_select() -> None:
    config = Config()
    assert rule_is_selected("PL999", "made-up", False, config) is False
    assert rule_is_selected("PL999", "made-up", False, Config(select=("ALL",))) is True


def test_per_file_ignores(make_project) -> None:
    root = make_project(
        {
            "portlint.toml": '[per-file-ignores]\n"legacy/*" = ["PL401", "PL402"]\n',
            "legacy/compose.yaml": COLLIDING,
            "current/compose.yaml": COLLIDING,
        }
    )
    code, out, _ = run_cli(["check", "-q"], cwd=root)
    assert code == 1
    assert [line.split(" ")[0] for line in out.splitlines() if not line.startswith(" ")] == [
        "current/compose.yaml:7:14:"
    ]


def test_unknown_rule_table_is_located(make_project) -> None:
    root = make_project(
        {
            "pyproject.toml": '[tool.portlint]\nfail-on = "error"\n\n'
            '[tool.portlint.rules.PL402x]\nindependent = ["a/*"]\n'
        }
    )
    assert run_cli(["check", "."], cwd=root) == (
        2,
        "",
        "portlint: error: pyproject.toml:4:1: tool.portlint.rules.PL402x: unknown rule "
        "'PL402x' (hint: `portlint rule --all` lists them)\n",
    )
