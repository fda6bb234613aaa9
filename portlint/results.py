"""The finished run, as reporters see it: a frozen value, complete at construction.

Reporters take a :class:`RunResult` and nothing else, so they need neither
the engine nor the rule catalogue: what they show about a rule (SARIF's
driver table, the JSON ``url``) travels here as :class:`RuleInfo`, and the
baseline fingerprints are computed once by the engine, not by each reporter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from portlint.bindings import PortBinding
from portlint.findings import Finding, Problem, Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report says about a rule."""

    code: str
    name: str
    severity: Severity  # the rule's default
    summary: str
    explanation: str
    url: str


@dataclass(frozen=True, slots=True)
class RunResult:
    findings: tuple[Finding, ...] = ()
    bindings: tuple[PortBinding, ...] = ()
    rules: tuple[RuleInfo, ...] = ()  # the selected rules, in code order
    files_scanned: int = 0
    files_skipped: int = 0
    hidden_by_baseline: int = 0
    stale_baseline: int = 0
    suppressed: int = 0
    notes: tuple[str, ...] = ()  # one-line advice for human reporters
    contested_ports: int = 0  # ports independent projects share (PL402 needs evidence)
    not_shown: int = 0  # findings over the per-file and per-run limits (see PL005)
    skipped: tuple[Problem, ...] = ()  # PL002 problems, selected or not
    templates_skipped: int = 0  # Helm templates not read (counted, never one finding each)
    templates_note: str = ""  # the one line that says how to lint them rendered
    root: str = "."  # the project root (see project.project_folder)
    cwd: str = "."  # displayed paths are relative to this
    # the text of files not read from disk (standard input), by shown path: --show-source
    texts: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    # every rule a finding names, selected or not (a report never points at a missing rule)
    known_rules: Mapping[str, RuleInfo] = field(default_factory=lambda: MappingProxyType({}))
    # the baseline fingerprint of each finding (root-relative, line-free); also SARIF's and GitLab's
    fingerprints: Mapping[Finding, str] = field(default_factory=lambda: MappingProxyType({}))
    fixed: int = 0  # fixes `check --fix` applied before this (final) lint
    unsafe_fixes: bool = False  # unsafe fixes count as applicable (`--unsafe-fixes`)

    def fingerprint(self, finding: Finding) -> str:
        return self.fingerprints[finding]

    def rule(self, code: str) -> RuleInfo | None:
        return self.known_rules.get(code)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def fixable(self, finding: Finding) -> bool:
        """Whether ``--fix`` (with ``--unsafe-fixes`` when that was given) would fix it."""
        fix = finding.fix
        return fix is not None and (fix.applicability == "safe" or self.unsafe_fixes)

    def failed(self, fail_on: Severity) -> bool:
        return any(f.severity >= fail_on for f in self.findings)
