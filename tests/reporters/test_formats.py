"""Golden output for every format, the SARIF schema, and GitHub escaping.

Regenerate the goldens after an intended change with
``PORTLINT_UPDATE_GOLDENS=1 python -m pytest tests/reporters``.
"""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from portlint import __version__
from portlint.bindings import Location
from portlint.findings import Finding, Severity
from portlint.reporters.github import annotation
from portlint.reporters.text import TextReporter
from portlint.results import RunResult
from tests.conftest import run_cli

GOLDEN = Path(__file__).parent / "golden"
PROJECT = {
    "shop/compose.yaml": (
        "services:\n"
        "  api:\n"
        "    image: example/api\n"
        '    ports: ["8080:80"]\n'
        "  admin:\n"
        "    image: example/admin\n"
        '    ports: ["8080:8081"]\n'
        "  cache:\n"
        "    image: redis:7\n"
        '    ports: ["6379:6379"]  # portlint: ignore[PL401]\n'
    ),
    "shop/values.yaml": b"service:\n  port: 80\x00\n",
    # PL501 (off by default) gives the goldens a warning with a fix-like hint
    "portlint.toml": 'extend-select = ["PL501"]\n',
}
FORMATS = {
    "text": "txt",
    "concise": "txt",
    "grouped": "txt",
    "json-lines": "jsonl",
    "json": "json",
    "sarif": "sarif",
    "github": "txt",
    "gitlab": "json",
    "junit": "xml",
}


def render(make_project, fmt: str, *extra: str) -> tuple[int, str]:
    root = make_project(PROJECT)
    code, out, err = run_cli(["check", "--format", fmt, "--no-color", *extra, "shop"], cwd=root)
    assert err == ""
    return code, out.replace(__version__, "<version>")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden(make_project, fmt) -> None:
    code, out = render(make_project, fmt)
    golden = GOLDEN / f"{fmt}.{FORMATS[fmt]}"
    if os.environ.get("PORTLINT_UPDATE_GOLDENS"):
        golden.write_text(out, encoding="utf-8")
    assert code == 1
    assert out == golden.read_text(encoding="utf-8")


def test_text_show_source_and_statistics(make_project) -> None:
    _, out = render(make_project, "text", "--show-source", "--statistics")
    assert out.splitlines() == [
        "shop/compose.yaml:7:14: error PL401 host port 8080/tcp is already published by service "
        '"api" '
        "(shop/compose.yaml:4:14)",
        "  hint: give one of them another host port, or bind them to different host IPs",
        '7 |     ports: ["8080:8081"]',
        "  |              ^^^^",
        "shop/compose.yaml:10:14: warning PL501 redis port 6379/tcp is published on all interfaces",
        '  hint: publish it on loopback only: "127.0.0.1:6379:6379"',
        '10 |     ports: ["6379:6379"]  # portlint: ignore[PL401]',
        "   |              ^^^^",
        "shop/compose.yaml:10:27: warning PL004 [*] unused suppression: ignore[PL401] silenced "
        "nothing",
        "  hint: remove the code from the directive (or the whole directive)",
        '10 |     ports: ["6379:6379"]  # portlint: ignore[PL401]',
        "   |                           ^",
        "shop/values.yaml:1:1: warning PL002 binary file (NUL byte)",  # no excerpt of a binary
        "1  PL002  skipped-file",
        "1  PL004  unused-suppression",
        "1  PL401  duplicate-host-port",
        "1  PL501  sensitive-port-exposed",
        "Found 4 problems (1 error, 3 warnings) in 1 file; 1 file skipped.",
        "1 fixable with `--fix` ([*]); 2 with an unsafe fix (`--unsafe-fixes`).",
    ]


def test_quiet_and_output_file(make_project, tmp_path) -> None:
    root = make_project(PROJECT)
    target = tmp_path / "report.json"
    code, out, _ = run_cli(["check", "-q", "--format", "json", "--output-file", str(target)], root)
    assert (code, out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["findings"] == 4
    code, out, _ = run_cli(["check", "-q", "--no-color", "shop"], cwd=root)
    assert not out.splitlines()[-1].startswith("Found")


def test_exit_zero_never_hides_exit_two(make_project) -> None:
    root = make_project(PROJECT)
    assert run_cli(["check", "--exit-zero", "shop"], cwd=root)[0] == 0
    assert run_cli(["check", "--exit-zero", "--select", "PL999", "shop"], cwd=root)[0] == 2
    assert run_cli(["check", "--fail-on", "error", "--ignore", "PL4", "shop"], cwd=root)[0] == 0


def test_sarif_validates_against_the_official_schema(make_project) -> None:
    import jsonschema  # in the test extra; imported here so other tests run without it

    schema_path = Path(__file__).parent.parent / "data" / "sarif" / "sarif-schema-2.1.0.json"
    _, out = render(make_project, "sarif")
    data = json.loads(out)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft7Validator)
    run = data["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted(ids) and {"PL001", "PL002", "PL003", "PL004", "PL401"} <= set(ids)
    (collision,) = [r for r in run["results"] if r["ruleId"] == "PL401"]
    assert ids[collision["ruleIndex"]] == "PL401"
    assert collision["relatedLocations"][0]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 14,
        "endLine": 4,
        "endColumn": 18,
    }
    assert len(collision["partialFingerprints"]["portlint/v1"]) == 16
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"] == "shop/values.yaml: binary file (NUL byte)"


def test_github_escapes_data_and_properties() -> None:
    finding = Finding(
        location=Location("deploy/a,b:c%.yaml", 3, 5, 3, 9),
        code="PL401",
        name="duplicate-host-port",
        severity=Severity.WARNING,
        message="100% sure:\nline two\rend",
        hint="a, b",
    )
    assert annotation(finding) == (
        "::warning file=deploy/a%2Cb%3Ac%25.yaml,line=3,col=5,endLine=3,endColumn=9,"
        "title=portlint PL401 (duplicate-host-port)::100%25 sure:%0Aline two%0Dend%0Ahint: a, b"
    )


def test_github_drops_columns_for_multi_line_spans() -> None:
    finding = Finding(
        Location("k8s.yaml", 3, 5, 6, 2), "PL401", "duplicate-host-port", Severity.NOTE, "m"
    )
    assert annotation(finding) == (
        "::notice file=k8s.yaml,line=3,endLine=6,title=portlint PL401 (duplicate-host-port)::m"
    )


def test_junit_is_well_formed_and_counts_failures(make_project) -> None:
    _, out = render(make_project, "junit")
    root = ET.fromstring(out.split("\n", 1)[1])
    assert (root.get("tests"), root.get("failures")) == ("4", "4")
    names = [case.get("name") for case in root.iter("testcase")]
    assert names == [
        "PL401 duplicate-host-port at 7:14",
        "PL501 sensitive-port-exposed at 10:14",
        "PL004 unused-suppression at 10:27",
        "PL002 skipped-file at 1:1",
    ]


def _run_with(*severities: Severity, files: int = 2) -> RunResult:
    findings = tuple(
        Finding(Location("compose.yaml", n, 3), f"PL00{n}", "some-rule", sev, f"message {n}")
        for n, sev in enumerate(severities, start=1)
    )
    return RunResult(findings=findings, files_scanned=files)


def _text(run: RunResult, colour: bool = False) -> str:
    out = io.StringIO()
    TextReporter(colour=colour).render(run, out)
    return out.getvalue()


def test_text_names_the_severity_on_every_finding_line() -> None:
    """Issue 13: `path:line:col: SEVERITY CODE message`, as ruff and yamllint name it."""
    out = _text(_run_with(Severity.ERROR, Severity.WARNING, Severity.NOTE))
    assert out.splitlines()[:3] == [
        "compose.yaml:1:3: error PL001 message 1",
        "compose.yaml:2:3: warning PL002 message 2",
        "compose.yaml:3:3: note PL003 message 3",
    ]


def test_text_colours_the_severity_only_when_asked() -> None:
    coloured = _text(_run_with(Severity.ERROR), colour=True).splitlines()[0]
    assert coloured == "\x1b[1mcompose.yaml:1:3:\x1b[0m \x1b[31merror\x1b[0m PL001 message 1"
    assert "\x1b" not in _text(_run_with(Severity.ERROR))


@pytest.mark.parametrize(
    ("severities", "headline"),
    [
        (
            (Severity.ERROR, Severity.WARNING, Severity.WARNING, Severity.NOTE),
            "Found 3 problems (1 error, 2 warnings) in 2 files; 1 note.",
        ),
        ((Severity.WARNING,), "Found 1 problem (1 warning) in 2 files."),
        ((Severity.NOTE, Severity.NOTE), "All clear: no problems in 2 files; 2 notes."),
        ((), "All clear: no problems in 2 files."),
    ],
)
def test_the_headline_never_counts_notes_as_problems(
    severities: tuple[Severity, ...], headline: str
) -> None:
    assert _text(_run_with(*severities)).splitlines()[-1] == headline


def test_json_lines_are_the_json_format_s_findings_one_per_line(make_project) -> None:
    _, lines = render(make_project, "json-lines")
    _, whole = render(make_project, "json")
    assert [json.loads(line) for line in lines.splitlines()] == json.loads(whole)["findings"]


def test_clean_runs_in_the_short_formats(make_project) -> None:
    root = make_project({"compose.yaml": 'services:\n  a:\n    ports: ["8080:80"]\n'})
    for fmt, expected in (
        ("json-lines", ""),
        ("concise", "All clear: no problems in 1 file.\n"),
        ("grouped", "All clear: no problems in 1 file.\n"),
    ):
        assert run_cli(["check", "--format", fmt, "--no-color"], root)[:2] == (0, expected)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_file_may_replace_a_report_of_any_format(make_project, fmt) -> None:
    from portlint.reporters import looks_like_report

    _, out = render(make_project, fmt)
    assert looks_like_report(out.encode())


def test_grouped_shows_source_under_each_finding(make_project) -> None:
    _, out = render(make_project, "grouped", "--show-source")
    assert out.splitlines() == [
        "shop/compose.yaml:",
        '  7:14  error PL401 host port 8080/tcp is already published by service "api" '
        "(shop/compose.yaml:4:14)",
        "    hint: give one of them another host port, or bind them to different host IPs",
        '    7 |     ports: ["8080:8081"]',
        "      |              ^^^^",
        "  10:14 warning PL501 redis port 6379/tcp is published on all interfaces",
        '    hint: publish it on loopback only: "127.0.0.1:6379:6379"',
        '    10 |     ports: ["6379:6379"]  # portlint: ignore[PL401]',
        "       |              ^^^^",
        "  10:27 warning PL004 [*] unused suppression: ignore[PL401] silenced nothing",
        "    hint: remove the code from the directive (or the whole directive)",
        '    10 |     ports: ["6379:6379"]  # portlint: ignore[PL401]',
        "       |                           ^",
        "",
        "shop/values.yaml:",
        "  1:1 warning PL002 binary file (NUL byte)",
        "",
        "Found 4 problems (1 error, 3 warnings) in 1 file; 1 file skipped.",
        "1 fixable with `--fix` ([*]); 2 with an unsafe fix (`--unsafe-fixes`).",
    ]
