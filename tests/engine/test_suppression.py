"""Inline directives: parsing, used, unused, malformed, file-wide, and --no-suppressions."""

from __future__ import annotations

import pytest

from portlint.bindings import Location
from portlint.engine.suppression import parse_directives
from portlint.findings import Directive
from tests.conftest import run_cli


@pytest.mark.parametrize(
    ("path", "line", "expected"),
    [
        (
            "compose.yaml",
            '    ports: ["8080:80"]  # portlint: ignore[PL401]',
            Directive(Location("compose.yaml", 1, 25), "line", 1, ("PL401",)),
        ),
        (
            "compose.yaml",
            "  # portlint: ignore[duplicate-host-port, PL105] shared dev port",
            Directive(Location("compose.yaml", 1, 3), "line", 2, ("PL401", "PL105")),
        ),
        (
            ".env",
            "# portlint: ignore-file[PL401]",
            Directive(Location(".env", 1, 1), "file", 1, ("PL401",)),
        ),
        (
            ".devcontainer/devcontainer.json",
            '  "forwardPorts": [3000], // portlint: ignore[PL401]',
            Directive(Location(".devcontainer/devcontainer.json", 1, 27), "line", 1, ("PL401",)),
        ),
    ],
)
def test_parse_valid(path, line, expected) -> None:
    assert parse_directives(path, line + "\n") == (expected,)


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("# portlint: ignore", "suppression without codes: ignore needs [CODE, ...]"),
        ("x: 1  # portlint: ignore[]", "suppression without codes: ignore[] is empty"),
        ("# portlint: ignore[PL401", "unclosed '[' in portlint ignore directive"),
        ("# portlint: ignore[PL999]", "unknown rule 'PL999' in portlint ignore directive"),
        ("# portlint: disable[PL401]", "unknown portlint directive 'disable'"),
        ("x: 1  # portlint: ignore-file[PL401]", "ignore-file must stand alone on its line"),
    ],
)
def test_parse_malformed(line, error) -> None:
    (directive,) = parse_directives("values.yaml", "a: 1\n" + line + "\n")
    assert (directive.location.line, directive.codes, directive.error) == (2, (), error)


def test_hash_inside_json_and_words_inside_values_are_not_directives() -> None:
    assert parse_directives("a.json", '{"x": "# portlint: ignore[PL401]"}\n') == ()
    assert parse_directives("a.yaml", "url: http://h/#portlint: ignore[PL401]\n") == ()
    assert parse_directives("a.yaml", "no directive here\n") == ()


def test_crlf_and_cr_line_numbers_match_the_scanners() -> None:
    text = "a: 1\r\nb: 2\r# portlint: ignore[PL401]\r\nc: 3\n"
    (directive,) = parse_directives("a.yaml", text)
    assert (directive.location.line, directive.line) == (3, 4)


COMPOSE = """\
services:
  api:
    image: example/api
    ports: ["8080:80"]
  admin:
    image: example/admin
    ports:
      - "8080:8081"  # portlint: ignore[PL401]
  worker:
    image: example/worker
    # portlint: ignore[PL401]
    ports: ["8090:9090"]
  metrics:
    image: example/metrics
    # portlint: ignore
    ports: ["8090:9091"]
"""


def test_used_unused_and_malformed(make_project) -> None:
    root = make_project({"compose.yaml": COMPOSE})
    code, out, _ = run_cli(["check", "--no-color"], cwd=root)
    assert code == 1
    assert out.splitlines() == [
        "compose.yaml:11:5: warning PL004 [*] unused suppression: ignore[PL401] silenced nothing",
        "  hint: remove the code from the directive (or the whole directive)",
        "compose.yaml:15:5: error PL003 suppression without codes: ignore needs [CODE, ...]",
        "  hint: name what to silence, e.g. `# portlint: ignore[PL401]`; blanket "
        "suppressions are not supported",
        "compose.yaml:16:14: error PL401 host port 8090/tcp is already published by service "
        '"worker" '
        "(compose.yaml:12:14)",
        "  hint: give one of them another host port, or bind them to different host IPs",
        "Found 3 problems (2 errors, 1 warning) in 1 file; 1 suppressed.",
        "1 fixable with `--fix` ([*]); 1 with an unsafe fix (`--unsafe-fixes`).",
    ]


def test_no_suppressions_shows_everything_and_reports_no_directive_findings(
    make_project,
) -> None:
    root = make_project({"compose.yaml": COMPOSE})
    code, out, _ = run_cli(["check", "-q", "--no-suppressions", "--no-color"], cwd=root)
    assert code == 1
    assert [line.split(" ")[:3:2] for line in out.splitlines() if not line.startswith(" ")] == [
        ["compose.yaml:8:10:", "PL401"],
        ["compose.yaml:16:14:", "PL401"],
    ]


def test_collision_is_silenced_only_at_its_reported_location(make_project) -> None:
    text = (
        "services:\n"
        "  api:\n"
        "    image: example/api\n"
        '    ports: ["8080:80"]  # portlint: ignore[PL401]\n'
        "  admin:\n"
        "    image: example/admin\n"
        '    ports: ["8080:8081"]\n'
    )
    root = make_project({"compose.yaml": text})
    _, out, _ = run_cli(["check", "-q", "--no-color"], cwd=root)
    assert [line.split(" ")[:3:2] for line in out.splitlines() if not line.startswith(" ")] == [
        ["compose.yaml:4:25:", "PL004"],
        ["compose.yaml:7:14:", "PL401"],
    ]


def test_ignore_file_and_unused_only_for_rules_that_ran(make_project) -> None:
    text = "# portlint: ignore-file[PL401]\n" + COMPOSE.replace("    # portlint: ignore\n", "")
    root = make_project({"compose.yaml": text})
    # Both collisions are covered by the file-wide directive (the admin one also by its
    # line directive); the worker directive sits on a first claim and stays unused.
    code, out, _ = run_cli(["check", "-q", "--no-color"], cwd=root)
    assert (code, out.splitlines()[0]) == (
        1,
        "compose.yaml:12:5: warning PL004 [*] unused suppression: ignore[PL401] silenced nothing",
    )
    assert len(out.splitlines()) == 2
    # With PL401 not selected, nobody can say the directive is stale.
    assert run_cli(["check", "-q", "--select", "PL1,PL0"], cwd=root) == (0, "", "")
