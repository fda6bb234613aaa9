"""One lint run: discover, scan, check, filter. Pure: no printing, no exit codes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from portlint import rules as rule_catalogue
from portlint.bindings import PortBinding
from portlint.config import Config, rule_is_selected
from portlint.discovery import Candidate, discover, skip_problem
from portlint.findings import Finding, Problem, Severity
from portlint.rules.base import Rule, RuleContext, Settings
from portlint.scanners import load
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile, encoding_note, read_source


@dataclass(slots=True)
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    bindings: list[PortBinding] = field(default_factory=list)
    rules: tuple[Rule, ...] = ()  # the selected rules, in code order
    files_scanned: int = 0
    files_skipped: int = 0
    hidden_by_baseline: int = 0
    stale_baseline: int = 0
    suppressed: int = 0

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def failed(self, fail_on: Severity) -> bool:
        return any(f.severity >= fail_on for f in self.findings)


def selected_rules(config: Config) -> tuple[Rule, ...]:
    return tuple(
        rule
        for rule in rule_catalogue.ALL_RULES
        if rule_is_selected(rule.code, rule.name, rule.enabled, config, rule.aliases)
    )


def scan_file(candidate: Candidate, config: Config, ctx: ScanContext) -> ScanResult:
    """Read and scan one file; never raises for bad input."""
    skipped = skip_problem(candidate)
    if skipped is not None:
        return ScanResult(problems=[skipped])
    source = read_source(candidate.abs_path, candidate.display, config.max_file_size)
    if isinstance(source, Problem):
        return ScanResult(problems=[source])
    scanner = load(candidate.scanner)
    result = scanner(source, ctx)
    note = encoding_note(source)
    if note is not None:
        result.problems.append(note)
    return result


def make_scan_context(config: Config, cwd: str) -> ScanContext:
    def read(path: str) -> SourceFile | None:
        abs_path = os.path.join(cwd, path)
        source = read_source(abs_path, path, config.max_file_size)
        return None if isinstance(source, Problem) else source

    return ScanContext(
        environ=dict(os.environ) if config.use_environment else {},
        env_files=config.env_files,
        read=read,
    )


def problem_to_finding(problem: Problem, rule: Rule, config: Config) -> Finding:
    return Finding(
        location=problem.location,
        code=rule.code,
        name=rule.name,
        severity=config.severity.get(rule.code, problem.severity or rule.severity),
        message=problem.message,
        hint=problem.hint,
        related=problem.related,
        port=problem.port,
        anchor=problem.anchor,
    )


def check_bindings(
    bindings: Sequence[PortBinding], selected: Iterable[Rule], config: Config
) -> list[Finding]:
    settings = Settings(
        ephemeral_range=config.ephemeral_range, nodeport_range=config.nodeport_range
    )
    findings: list[Finding] = []
    for rule in selected:
        if rule.check is None:
            continue
        options = dict(rule.default_options())
        options.update(config.rule_options.get(rule.code, {}))
        ctx = RuleContext(rule, options, settings, config.severity.get(rule.code))
        if rule.scope == "binding":
            for binding in bindings:
                findings.extend(rule.check(binding, ctx))
        else:
            findings.extend(rule.check(bindings, ctx))
    return findings


def run(paths: Sequence[str], config: Config, cwd: str | None = None) -> RunResult:
    cwd = cwd or os.getcwd()
    candidates = discover(paths, config, cwd)
    selected = selected_rules(config)
    by_code = {rule.code: rule for rule in selected}
    ctx = make_scan_context(config, cwd)
    result = RunResult(rules=selected)
    findings: list[Finding] = []
    for candidate in candidates:
        scanned = scan_file(candidate, config, ctx)
        if any(p.code == "PL002" and p.severity is None for p in scanned.problems):
            result.files_skipped += 1
        else:
            result.files_scanned += 1
        result.bindings.extend(scanned.bindings)
        for problem in scanned.problems:
            rule = by_code.get(problem.code)
            if rule is not None:
                findings.append(problem_to_finding(problem, rule, config))
    findings.extend(check_bindings(result.bindings, selected, config))
    result.findings = sorted(set(findings))
    return result
