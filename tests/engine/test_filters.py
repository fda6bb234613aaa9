"""The ordered filter step, called directly: stamping, per-file ignores, focus, limits."""

from __future__ import annotations

import dataclasses
from typing import Any

from portlint import rules
from portlint.bindings import Location
from portlint.config import Config
from portlint.engine.filters import apply_filters, in_focus, path_in_focus, stamp
from portlint.findings import Directive, Finding, Problem, Severity
from portlint.rules.base import Rule


def rule(code: str) -> Rule:
    found = rules.get(code)
    assert found is not None
    return found


def finding(path: str, line: int, code: str = "PL401", **more: Any) -> Finding:
    r = rule(code)
    return Finding(Location(path, line, 1), code, r.name, r.severity, f"{code} at {line}", **more)


def run(findings: list[Finding], config: Config | None = None, **more: Any) -> Any:
    arguments: dict[str, Any] = {
        "directives": (),
        "selected": rules.ALL_RULES,
        "config": config or Config(),
        "rebase": lambda path: path,
        "checked": None,
        "focus": None,
    }
    return apply_filters(findings, **{**arguments, **more})


def test_stamp_takes_the_configured_severity_then_the_problems_then_the_rules() -> None:
    problem = Problem("PL101", Location("a.yaml", 2, 3), "out of range", hint="fix it")
    mild = dataclasses.replace(problem, severity=Severity.NOTE)
    pl101 = rule("PL101")
    assert stamp(problem, pl101, Config()) == Finding(
        Location("a.yaml", 2, 3), "PL101", pl101.name, pl101.severity, "out of range", "fix it"
    )
    assert stamp(mild, pl101, Config()).severity is Severity.NOTE
    configured = dataclasses.replace(Config(), severity={"PL101": Severity.WARNING})
    assert stamp(mild, pl101, configured).severity is Severity.WARNING


def test_focus_is_a_path_or_a_folder_never_a_prefix_of_a_name() -> None:
    focus = frozenset({"app/"})
    assert path_in_focus("app/compose.yaml", focus)
    assert path_in_focus("app", frozenset({"app"}))
    assert not path_in_focus("apple/compose.yaml", focus)
    elsewhere = finding("other/compose.yaml", 4, related=(Location("app/compose.yaml", 4, 14),))
    assert in_focus(elsewhere, focus)
    assert not in_focus(finding("other/compose.yaml", 4), focus)


def test_findings_come_out_once_and_in_order() -> None:
    a, b = finding("b.yaml", 1), finding("a.yaml", 9)
    assert run([a, b, a]).findings == [b, a]


def test_per_file_ignores_drop_only_the_named_codes_under_the_glob() -> None:
    config = dataclasses.replace(Config(), per_file_ignores={"tests/**": ("PL401",)})
    kept = finding("tests/data/compose.yaml", 3, "PL101")
    dropped = finding("tests/data/compose.yaml", 4, "PL401")
    outside = finding("compose.yaml", 4, "PL401")
    assert run([kept, dropped, outside], config).findings == [outside, kept]


def test_per_file_ignore_globs_follow_gitignore() -> None:
    config = dataclasses.replace(
        Config(), per_file_ignores={"deploy/**/old": ("PL401",), "stage/*.yaml": ("PL401",)}
    )
    dropped = finding("deploy/old/compose.yaml", 4)
    deeper = finding("stage/eu/compose.yaml", 4)  # `*` stops at `/`
    assert run([dropped, deeper, finding("stage/compose.yaml", 4)], config).findings == [deeper]


def test_focus_keeps_the_named_files_findings() -> None:
    inside, outside = finding("app/compose.yaml", 2), finding("lib/compose.yaml", 2)
    assert run([inside, outside], focus=frozenset({"app"})).findings == [inside]


def test_a_malformed_directive_is_a_finding_of_its_own() -> None:
    broken = Directive(Location("a.yaml", 1, 10), "line", 1, (), error="no rule code")
    result = run([], directives=[broken])
    assert [(f.code, str(f.location), f.message) for f in result.findings] == [
        ("PL003", "a.yaml:1:10", "no rule code")
    ]


def test_the_per_file_limit_keeps_the_most_severe_and_says_how_many_are_missing() -> None:
    config = dataclasses.replace(Config(), rule_options={"PL005": {"per-file": 2}})
    error = finding("a.yaml", 9, "PL401")
    notes = [
        dataclasses.replace(finding("a.yaml", n, "PL401"), severity=Severity.NOTE) for n in (1, 2)
    ]
    result = run([*notes, error], config)
    assert [(str(f.location), f.code, f.message) for f in result.findings] == [
        ("a.yaml:1:1", "PL005", "2 more findings in a.yaml not shown: the limit is 2 per file"),
        ("a.yaml:9:1", "PL401", "PL401 at 9"),
    ]
    assert result.not_shown == 2
    assert result.note == (
        "2 findings not shown: portlint shows at most 2 per file and 10000 per run (see PL005)"
    )
