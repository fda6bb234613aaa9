"""``check --fix``: each fix against its golden, then re-checked; the edit machinery.

Each case under tests/fixtures/fix/<case>/ holds ``before/`` (what a user
has) and ``after/`` (the exact bytes ``--fix`` must leave). The after-files
are checked again: the fixed finding is gone and no other finding appeared.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from portlint.bindings import Edit, Location
from portlint.engine.fixing import plan, unified_diff
from portlint.findings import Finding, Fix, Severity
from tests.conftest import FIXTURES, ROOT, run_cli

CASES = FIXTURES / "fix"

# case, extra flags, the code the fix resolves, how many fixes
TABLE = [
    ("pl105", [], "PL105", 2),
    ("pl105-crlf-bom", [], "PL105", 1),
    ("pl102", [], "PL102", 2),
    ("pl004", [], "PL004", 5),
    ("pl501", ["--unsafe-fixes"], "PL501", 7),  # and the one PL502 (2375)
    ("pl503", ["--unsafe-fixes"], "PL503", 3),  # short, short without quotes, long syntax
    ("pl401", ["--unsafe-fixes"], "PL401", 2),  # one in .env, one claimed in ports.toml too
    ("pl402", ["--unsafe-fixes"], "PL402", 1),
    ("pl104", ["--unsafe-fixes"], "PL104", 2),  # DB_PORT: the template gives no port
]
LEFT = {"pl104": 1}  # findings of the code no fix can resolve


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _findings(folder: Path) -> Counter[tuple[str, str]]:
    """(code, path) of each finding: lines move when a fix adds one, codes must not appear."""
    code, out, _ = run_cli(["check", "--no-cache", "--format", "json", "."], folder)
    assert code in (0, 1), out
    return Counter((f["code"], f["location"]["path"]) for f in json.loads(out)["findings"])


def _copy(case: str, tmp_path: Path) -> Path:
    work = tmp_path / "project"
    shutil.copytree(CASES / case / "before", work)
    return work


@pytest.mark.parametrize(("case", "flags", "code", "count"), TABLE)
def test_fix_gives_the_golden_bytes(case, flags, code, count, tmp_path) -> None:
    work = _copy(case, tmp_path)
    before = _findings(work)
    assert any(f[0] == code for f in before)
    if flags:  # unsafe: --fix alone leaves it
        run_cli(["check", "--no-cache", "--fix", "."], work)
        assert _files(work) == _files(CASES / case / "before")
    _rc, out, _ = run_cli(["check", "--no-cache", "--fix", *flags, "."], work)
    assert f"Fixed {count}," in out
    assert _files(work) == _files(CASES / case / "after")
    after = _findings(work)
    assert sum(n for (c, _), n in after.items() if c == code) == LEFT.get(case, 0)
    assert not after - before  # no new finding
    # A second --fix has nothing left to do.
    run_cli(["check", "--no-cache", "--fix", *flags, "."], work)
    assert _files(work) == _files(CASES / case / "after")


@pytest.mark.parametrize(("case", "flags", "code", "count"), TABLE)
def test_golden_after_files_are_clean_of_the_code(case, flags, code, count, tmp_path) -> None:
    work = tmp_path / "after"
    shutil.copytree(CASES / case / "after", work)
    found = _findings(work)
    assert sum(n for (c, _), n in found.items() if c == code) == LEFT.get(case, 0)


def test_bom_and_crlf_survive(tmp_path) -> None:
    work = _copy("pl105-crlf-bom", tmp_path)
    run_cli(["check", "--no-cache", "--fix", "."], work)
    data = (work / "compose.yaml").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 5
    assert b'- "2022:22"\r\n' in data


def test_diff_shows_and_changes_nothing(tmp_path) -> None:
    work = _copy("pl105", tmp_path)
    files = _files(work)
    rc, out, err = run_cli(["check", "--no-cache", "--diff", "."], work)
    assert rc == 1
    assert _files(work) == files
    assert "--- a/compose.yaml\n+++ b/compose.yaml\n" in out
    assert '-      - 2222:22 # the host\'s own sshd keeps 22\n+      - "2222:22"' in out
    assert "Would apply 2 fixes." in err
    clean = _copy("pl105", tmp_path / "second")
    run_cli(["check", "--no-cache", "--fix", "."], clean)
    assert run_cli(["check", "--no-cache", "--diff", "."], clean)[:2] == (0, "")


def test_fix_only_reports_the_count_and_exits_zero(tmp_path) -> None:
    work = _copy("pl102", tmp_path)
    assert run_cli(["check", "--no-cache", "--fix-only", "."], work)[:2] == (
        0,
        "Fixed 2 problems.\n",
    )


def test_report_marks_fixable_findings_and_counts_them(tmp_path) -> None:
    work = _copy("pl102", tmp_path)
    rc, out, _ = run_cli(["check", "--no-cache", "--no-color", "."], work)
    assert rc == 1
    assert "deployment.yaml:17:25: error PL102 [*] protocol 'udp' must be upper case" in out
    assert out.endswith("2 fixable with `--fix` ([*]).\n")


def test_json_gives_the_edits(tmp_path) -> None:
    work = _copy("pl105", tmp_path)
    _, out, _ = run_cli(["check", "--no-cache", "--format", "json", "."], work)
    first = json.loads(out)["findings"][0]
    assert first["fix"] == {
        "message": "quote the entry",
        "applicability": "safe",
        "edits": [
            {
                "path": "compose.yaml",
                "location": {"line": 6, "column": 9},
                "end_location": {"line": 6, "column": 16},
                "content": '"2222:22"',
            }
        ],
    }
    assert json.loads(out)["summary"]["fixable"] == 2


def test_sarif_fixes_validate_against_the_schema(tmp_path) -> None:
    import jsonschema

    work = _copy("pl004", tmp_path)
    _, out, _ = run_cli(["check", "--no-cache", "--format", "sarif", "."], work)
    data = json.loads(out)
    schema_path = ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft7Validator)
    fixes = [r["fixes"][0] for r in data["runs"][0]["results"]]
    assert len(fixes) == 5
    change = fixes[0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == ".env"
    assert change["replacements"][0]["deletedRegion"] == {
        "startLine": 1,
        "startColumn": 1,
        "endLine": 2,
        "endColumn": 1,
    }


def test_stdin_cannot_be_fixed(tmp_path) -> None:
    assert run_cli(["check", "--fix", "-"], tmp_path)[0] == 2


# --- the edit machinery ---------------------------------------------------------------------


def _finding(path: str, line: int, col: int, end: int, new: str, expect: str | None = None):
    edit = Edit(Location(path, line, col, line, end), new, expect)
    return Finding(
        Location(path, line, col), "PL105", "unquoted-port-mapping", Severity.NOTE, "m",
        fix=Fix("f", (edit,)),
    )  # fmt: skip


def test_overlapping_fixes_wait_for_the_next_pass(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("abcdef\n", encoding="utf-8")
    findings = [
        _finding("a.yaml", 1, 1, 4, "X"),
        _finding("a.yaml", 1, 3, 5, "Y"),  # overlaps the first
        _finding("a.yaml", 1, 4, 4, "Z"),  # touches the first's end
        _finding("a.yaml", 1, 6, 7, "W"),
    ]
    changes, count = plan(findings, str(tmp_path), unsafe=False)
    assert count == 2
    assert changes[0].after == b"XdeW\n"


def test_an_edit_whose_text_changed_is_refused(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("2222:22\n", encoding="utf-8")
    stale = _finding("a.yaml", 1, 1, 8, '"2222:22"', expect="2222:23")
    assert plan([stale], str(tmp_path), unsafe=False) == ([], 0)


def test_unsafe_fixes_need_the_flag(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("ab\n", encoding="utf-8")
    edit = Edit(Location("a.yaml", 1, 1, 1, 2), "X")
    unsafe = Finding(
        Location("a.yaml", 1, 1), "PL501", "sensitive-port-exposed", Severity.WARNING, "m",
        fix=Fix("f", (edit,), "unsafe"),
    )  # fmt: skip
    assert plan([unsafe], str(tmp_path), unsafe=False) == ([], 0)
    changes, count = plan([unsafe], str(tmp_path), unsafe=True)
    assert count == 1 and changes[0].after == b"Xb\n"


def test_utf16_files_are_left_alone(tmp_path) -> None:
    (tmp_path / "a.yaml").write_bytes("2222:22\n".encode("utf-16"))
    assert plan([_finding("a.yaml", 1, 1, 8, "X")], str(tmp_path), unsafe=False) == ([], 0)


def test_span_outside_the_text_is_refused(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("ab\n", encoding="utf-8")
    assert plan([_finding("a.yaml", 1, 2, 9, "X")], str(tmp_path), unsafe=False) == ([], 0)
    assert plan([_finding("a.yaml", 5, 1, 1, "X")], str(tmp_path), unsafe=False) == ([], 0)


def test_unified_diff_marks_a_missing_final_newline(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("ab", encoding="utf-8")
    changes, _ = plan([_finding("a.yaml", 1, 1, 2, "X")], str(tmp_path), unsafe=False)
    assert unified_diff(changes).endswith("+Xb\n\\ No newline at end of file\n")


def test_a_variable_two_services_publish_is_not_changed(tmp_path) -> None:
    """Moving a shared variable would move both claims, and the collision with them."""
    (tmp_path / ".env").write_text("PROXY_PORT=6078\n", encoding="utf-8")
    (tmp_path / "compose.yaml").write_text(
        "services:\n"
        "  proxy:\n    image: varnish:7\n    ports: ['${PROXY_PORT}:80']\n"
        "  proxy2:\n    image: varnish:7\n    ports: ['${PROXY_PORT}:80']\n",
        encoding="utf-8",
    )
    _, out, _ = run_cli(["check", "--no-cache", "--format", "json", "."], tmp_path)
    (finding,) = json.loads(out)["findings"]
    assert (finding["code"], finding["fix"]) == ("PL401", None)


def test_a_fix_that_does_not_resolve_its_finding_is_applied_once(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("ab\n", encoding="utf-8")
    done: set[tuple[str, str, str]] = set()
    first = _finding("a.yaml", 1, 1, 2, "X")
    assert plan([first], str(tmp_path), unsafe=False, done=done)[1] == 1
    assert plan([first], str(tmp_path), unsafe=False, done=done) == ([], 0)


def test_two_fixes_of_one_pass_never_claim_one_port(tmp_path) -> None:
    (tmp_path / "a.yaml").write_text("8080\n8088\n", encoding="utf-8")

    def move(line: int, port: str) -> Finding:
        edit = Edit(Location("a.yaml", line, 1, line, 5), "8103", expect=port)
        return Finding(
            Location("a.yaml", line, 1), "PL401", "duplicate-host-port", Severity.ERROR, "m",
            fix=Fix("move it to port 8103", (edit,), "unsafe", claims=(8103,)),
        )  # fmt: skip

    changes, count = plan([move(1, "8080"), move(2, "8088")], str(tmp_path), unsafe=True)
    assert count == 1 and changes[0].after == b"8103\n8088\n"
