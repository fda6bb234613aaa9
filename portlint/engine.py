"""One lint run: discover, scan, check, filter. Pure: no printing, no exit codes."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from portlint import rules as rule_catalogue
from portlint.bindings import Location, PortBinding
from portlint.config import Config, per_file_ignored, resolve_path, rule_is_selected
from portlint.discovery import Candidate, discover, display_path, skip_problem
from portlint.findings import Finding, Problem, Severity, finding_key
from portlint.printable import printable_finding, printable_result
from portlint.registry.allocations import Allocations, load_configured_allocations
from portlint.rules.base import Rule, RuleContext, Settings
from portlint.rules.collisions import contested_note, contested_ports, sibling_note
from portlint.scanners import load
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile, confined, encoding_note, read_source
from portlint.suppression import Directive, apply_suppressions, parse_directives


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
    notes: list[str] = field(default_factory=list)  # one-line advice for human reporters
    contested_ports: int = 0  # ports independent projects share (PL402 needs evidence)
    not_shown: int = 0  # findings over the per-file and per-run limits (see PL005)
    skipped: list[Problem] = field(default_factory=list)  # PL002 problems, selected or not
    root: str = "."  # the project root (see config.project_root)
    cwd: str = "."  # displayed paths are relative to this

    def fingerprint(self, finding: Finding) -> str:
        """The baseline fingerprint (root-relative, line-free); also SARIF's and GitLab's."""
        from portlint.baseline import fingerprint, rebaser

        return fingerprint(finding, rebaser(self.root, self.cwd))

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


def scan_file(
    candidate: Candidate,
    config: Config,
    ctx: ScanContext,
    source: SourceFile | Problem | None = None,
) -> ScanResult:
    """Read (unless the caller already did) and scan one file; never raises for bad input."""
    skipped = skip_problem(candidate)
    if skipped is not None:
        return ScanResult(problems=[skipped])
    if source is None:
        source = read_source(candidate.abs_path, candidate.display, config.max_file_size)
    if isinstance(source, Problem):
        return ScanResult(problems=[source])
    scanner = load(candidate.scanner)
    result = printable_result(scanner(source, ctx))  # the one entry of file text into the model
    note = encoding_note(source)
    if note is not None:
        result.notes.append(note)
    result.directives = parse_directives(source.path, source.text)
    return result


def scan_all(
    candidates: Sequence[Candidate], config: Config, ctx: ScanContext, cwd: str
) -> list[ScanResult]:
    """The per-file step for every candidate, in order: cached, serial or parallel."""
    from portlint.batch import scan_all as scan_batch

    return scan_batch(candidates, config, ctx, cwd, project_root(config, cwd))


def scan_roots(config: Config, cwd: str, paths: Sequence[str] = ()) -> tuple[str, ...]:
    """Where files a scanned file refers to may be read: the project root and
    the folders scanned (a named file's folder), as real paths, none inside another.

    Usually just the project root, so the scan cache key does not change with
    the files pre-commit names.
    """
    found = [project_root(config, cwd)]
    for path in paths:
        full = os.path.join(cwd, path)
        found.append(full if os.path.isdir(full) else os.path.dirname(full))
    real = sorted({os.path.realpath(p) for p in found}, key=len)
    roots: list[str] = []
    for root in real:
        if confined(root, roots) is None:
            roots.append(root)
    return tuple(roots)


def make_scan_context(config: Config, cwd: str, roots: Sequence[str] = ()) -> ScanContext:
    """``roots`` from :func:`scan_roots`; none given: the project root.

    A scanner's reads (the ``.env`` beside a compose file, an ``include``, an
    ``env_file``) are repository content asking: they stay inside the roots,
    with links resolved and ``.git/`` refused. Configured env files were
    checked when the config was read (see ``config.resolve``) or come from
    the command line, which may name any file.
    """
    chosen = tuple(roots) or scan_roots(config, cwd)
    env_files = tuple(resolve_path(config, p) for p in config.env_files)
    trusted = frozenset(os.path.normpath(os.path.join(cwd, p)) for p in env_files)

    def read(path: str) -> SourceFile | None:
        abs_path = os.path.normpath(os.path.join(cwd, path))
        if abs_path in trusted:
            source = read_source(abs_path, path, config.max_file_size)
        else:
            real = confined(abs_path, chosen)
            if real is None:
                return None
            source = read_source(real, path, config.max_file_size, nofollow=True)
        return None if isinstance(source, Problem) else source

    return ScanContext(
        environ=dict(os.environ) if config.use_environment else {},
        env_files=env_files,
        read=read,
        roots=chosen,
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


def echoes_removed(bindings: Sequence[PortBinding]) -> Sequence[PortBinding]:
    """Bindings minus ``.env`` values that a compose port was interpolated from.

    The interpolated binding is the same claim with more facts (role, host IP,
    service, image), so per-binding rules judge it once, there. Project rules
    see everything and follow ``origin`` themselves.
    """
    origins = {
        (b.origin.path, b.origin.line, b.origin.column) for b in bindings if b.origin is not None
    }
    if not origins:
        return bindings
    return [
        b
        for b in bindings
        if b.origin is not None
        or (b.location.path, b.location.line, b.location.column) not in origins
    ]


def check_bindings(
    bindings: Sequence[PortBinding],
    selected: Iterable[Rule],
    config: Config,
    allocations: Allocations | None = None,
    focus: frozenset[str] | None = None,
) -> list[Finding]:
    """Run the rules. With a focus (pre-commit's changed files), per-binding rules
    judge only the bindings of those files: their findings sit on the binding
    and would be dropped anyway. Project rules always see every binding.
    """
    settings = Settings(
        ephemeral_range=config.ephemeral_range,
        nodeport_range=config.nodeport_range,
        allocations=allocations,
    )
    findings: list[Finding] = []
    judged = echoes_removed(bindings)
    if focus is not None:
        judged = [b for b in judged if path_in_focus(b.location.path, focus)]
    for rule in selected:
        if rule.check is None:
            continue
        options = dict(rule.default_options())
        options.update(config.rule_options.get(rule.code, {}))
        ctx = RuleContext(rule, options, settings, config.severity.get(rule.code))
        if rule.scope == "binding":
            for binding in judged:
                findings.extend(rule.check(binding, ctx))
        else:
            findings.extend(rule.check(bindings, ctx))
    return findings


def project_root(config: Config, cwd: str) -> str:
    """The project folder: the config's root, read relative to the run's cwd."""
    return os.path.abspath(os.path.join(cwd, config.root))


def context_paths(
    paths: Sequence[str], config: Config, cwd: str
) -> tuple[list[str], frozenset[str] | None]:
    """What to scan, and which displayed paths to report on.

    Given files (pre-commit passes only the changed ones), portlint still
    scans the whole project so a collision with an unchanged file is found,
    and then reports only findings in, or related to, the given paths.
    Without files the focus is None: report everything.
    """
    given = list(paths) or ["."]
    files = [p for p in given if not os.path.isdir(os.path.join(cwd, p))]
    if not files or not config.project_context:
        return given, None
    root = project_root(config, cwd)
    focus = frozenset(display_path(os.path.abspath(os.path.join(cwd, p)), cwd) for p in given)
    inside = any(_within(os.path.abspath(os.path.join(cwd, p)), root) for p in files)
    return ([root, *given] if inside else given), focus


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def path_in_focus(path: str, focus: frozenset[str]) -> bool:
    return path in focus or any(path.startswith(f.rstrip("/") + "/") for f in focus)


def in_focus(finding: Finding, focus: frozenset[str]) -> bool:
    return path_in_focus(finding.location.path, focus) or any(
        path_in_focus(loc.path, focus) for loc in finding.related
    )


def apply_per_file_ignores(findings: Iterable[Finding], config: Config, cwd: str) -> list[Finding]:
    if not config.per_file_ignores:
        return list(findings)
    from portlint.baseline import rebaser

    rebase = rebaser(project_root(config, cwd), cwd)
    return [f for f in findings if not per_file_ignored(config, rebase(f.location.path), f)]


def suppress(
    findings: list[Finding],
    directives: Sequence[Directive],
    selected: Sequence[Rule],
    config: Config,
    cwd: str,
    result: RunResult,
) -> list[Finding]:
    """Inline directives, then PL003/PL004 for malformed and unused ones."""
    if not config.suppressions:
        return findings
    by_code = {rule.code: rule for rule in selected}
    outcome = apply_suppressions(findings, directives, frozenset(by_code))
    result.suppressed = outcome.suppressed
    extra = [
        problem_to_finding(p, by_code[p.code], config)
        for p in outcome.problems
        if p.code in by_code
    ]
    return outcome.kept + apply_per_file_ignores(extra, config, cwd)


def apply_baseline_file(
    findings: list[Finding], config: Config, result: RunResult, checked: Iterable[str]
) -> list[Finding]:
    if config.baseline is None:
        return findings
    from portlint import baseline

    entries = baseline.read(resolve_path(config, config.baseline))
    rebase = baseline.rebaser(result.root, result.cwd)
    matched = baseline.apply_baseline(findings, entries, rebase, {rebase(p) for p in checked})
    result.hidden_by_baseline, result.stale_baseline = matched.hidden, matched.stale
    return matched.kept


def _limits(config: Config) -> tuple[int, int]:
    """PL005's per-file and per-run limits: the config may lower them, never raise them."""
    from portlint.rules.meta import MAX_FINDINGS_PER_FILE, MAX_FINDINGS_PER_RUN

    options = config.rule_options.get("PL005", {})
    per_file = min(max(options.get("per-file", MAX_FINDINGS_PER_FILE), 2), MAX_FINDINGS_PER_FILE)
    per_run = min(max(options.get("per-run", MAX_FINDINGS_PER_RUN), 2), MAX_FINDINGS_PER_RUN)
    return per_file, per_run


def limit_findings(
    findings: list[Finding], config: Config, selected: Sequence[Rule], result: RunResult
) -> list[Finding]:
    """At most ``per-file`` findings a file and ``per-run`` a run, the most severe kept.

    Where findings are left out, the last one kept is a PL005 note at line 1
    of the file counting them (one note for the run's limit). Keeping the most
    severe keeps the exit code: whatever was left out, something at least as
    severe is still shown.
    """
    per_file, per_run = _limits(config)
    if len(findings) <= min(per_file, per_run):
        return findings
    rule = next((r for r in selected if r.code == "PL005"), None)

    def note(path: str, count: int, where: str, limit: str) -> list[Finding]:
        if rule is None:
            return []
        message = f"{count} more findings in {where} not shown: the limit is {limit}"
        hint = "fix or exclude what is shown and run again"
        severity = config.severity.get(rule.code, rule.severity)
        at = Location(path, 1, 1)
        return [Finding(at, rule.code, rule.name, severity, message, hint, anchor=limit)]

    def most_severe(group: list[Finding], count: int) -> list[Finding]:
        return sorted(group, key=lambda f: (-f.severity, finding_key(f)))[:count]

    by_file: dict[str, list[Finding]] = {}
    for finding in findings:
        by_file.setdefault(finding.location.path, []).append(finding)
    kept: list[Finding] = []
    for path, group in by_file.items():
        if len(group) <= per_file:
            kept.extend(group)
            continue
        kept.extend(most_severe(group, per_file - 1))
        kept.extend(note(path, len(group) - per_file + 1, path, f"{per_file} per file"))
        result.not_shown += len(group) - per_file + 1
    if len(kept) > per_run:
        ordered = sorted(kept, key=lambda f: (-f.severity, f.code != "PL005", finding_key(f)))
        dropped = ordered[per_run - 1 :]
        files = sorted({f.location.path for f in dropped})
        kept = ordered[: per_run - 1]
        where = files[0] if len(files) == 1 else f"{len(files)} files"
        kept.extend(note(files[0], len(dropped), where, f"{per_run} per run"))
        result.not_shown += len(dropped)
    if result.not_shown:
        result.notes.append(
            f"{result.not_shown} findings not shown: portlint shows at most "
            f"{per_file} per file and {per_run} per run (see PL005)"
        )
    return sorted(kept, key=finding_key)


def run(
    paths: Sequence[str], config: Config, cwd: str | None = None, *, use_baseline: bool = True
) -> RunResult:
    cwd = cwd or os.getcwd()
    scan_paths, focus = context_paths(paths, config, cwd)
    candidates = discover(scan_paths, config, cwd)
    selected = selected_rules(config)
    by_code = {rule.code: rule for rule in selected}
    ctx = make_scan_context(config, cwd, scan_roots(config, cwd, scan_paths))
    result = RunResult(rules=selected, root=project_root(config, cwd), cwd=cwd)
    findings: list[Finding] = []
    directives: list[Directive] = []
    for scanned in scan_all(candidates, config, ctx, cwd):
        skipped = [p for p in scanned.problems if p.code == "PL002"]
        if skipped:
            result.files_skipped += 1
            result.skipped.extend(skipped)
        else:
            result.files_scanned += 1
        result.bindings.extend(scanned.bindings)
        directives.extend(scanned.directives)
        for problem in [*scanned.problems, *scanned.notes]:
            rule = by_code.get(problem.code)
            if rule is not None:
                findings.append(problem_to_finding(problem, rule, config))
    allocations = load_configured_allocations(config, cwd)
    findings.extend(check_bindings(result.bindings, selected, config, allocations, focus))
    findings = [printable_finding(f) for f in findings]  # names from ports.toml, config
    findings = apply_per_file_ignores(sorted(set(findings), key=finding_key), config, cwd)
    findings = suppress(findings, directives, selected, config, cwd, result)
    if use_baseline:
        checked = [c.display for c in candidates if focus is None or c.display in focus]
        findings = apply_baseline_file(findings, config, result, checked)
    if focus is not None:
        findings = [f for f in findings if in_focus(f, focus)]
        result.skipped = [p for p in result.skipped if p.location.path in focus]
    result.findings = limit_findings(
        sorted(set(findings), key=finding_key), config, selected, result
    )
    note = sibling_note(result.findings)
    if note:
        result.notes.append(note)
    if "PL402" in by_code:
        options = {**by_code["PL402"].default_options(), **config.rule_options.get("PL402", {})}
        contested = contested_ports(result.bindings, options, one_space=allocations is not None)
        result.contested_ports = len(contested)
        if note := contested_note(len(contested)):
            result.notes.append(note)
    return result
