"""Which findings a run shows: one ordered pipeline after every rule ran.

The order is the contract, each step seeing only what the steps before it
kept:

1. selection: only problems of selected rules become findings
   (:func:`stamp`, also used for scanners' problems);
2. per-file ignores from the config;
3. inline suppressions, which add PL003/PL004 for malformed and unused
   directives; those pass step 2 too, and nothing else does twice (a
   directive whose finding a per-file ignore already removed is unused);
4. the baseline file;
5. the changed-files focus (pre-commit's named files);
6. the per-file and per-run limits (PL005).

Each step returns what it kept and counts what it hid, so the run is built
once, at the end, as a frozen :class:`~portlint.results.RunResult`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portlint.bindings import Location
from portlint.config import Config, resolve_path
from portlint.engine import baseline
from portlint.engine.suppression import apply_suppressions
from portlint.findings import Directive, Finding, Problem, finding_key
from portlint.rules.base import Rule
from portlint.rules.meta import MAX_FINDINGS_PER_FILE, MAX_FINDINGS_PER_RUN
from portlint.rules.selection import per_file_ignored


@dataclass(frozen=True, slots=True)
class Filtered:
    findings: list[Finding]
    suppressed: int = 0
    hidden_by_baseline: int = 0
    stale_baseline: int = 0
    not_shown: int = 0
    note: str | None = None  # why findings are missing, for human reporters


def stamp(problem: Problem, rule: Rule, config: Config) -> Finding:
    """A problem as a finding of ``rule``, with the configured severity."""
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
        fix=problem.fix,
    )


def path_in_focus(path: str, focus: frozenset[str]) -> bool:
    return path in focus or any(path.startswith(f.rstrip("/") + "/") for f in focus)


def in_focus(finding: Finding, focus: frozenset[str]) -> bool:
    return path_in_focus(finding.location.path, focus) or any(
        path_in_focus(loc.path, focus) for loc in finding.related
    )


def apply_filters(
    findings: Iterable[Finding],
    *,
    directives: Sequence[Directive],
    selected: Sequence[Rule],
    config: Config,
    rebase: baseline.Rebase,
    checked: Iterable[str] | None,
    focus: frozenset[str] | None,
) -> Filtered:
    """Steps 2 to 6 (see the module docstring) over the rules' findings.

    ``checked`` lists the displayed paths the baseline may call stale;
    None skips the baseline (``--write-baseline`` records everything).
    """
    kept = _ignored(sorted(set(findings), key=finding_key), config, rebase)
    suppressed = 0
    if config.suppressions:
        by_code = {rule.code: rule for rule in selected}
        outcome = apply_suppressions(kept, directives, frozenset(by_code))
        suppressed = outcome.suppressed
        extra = [stamp(p, by_code[p.code], config) for p in outcome.problems if p.code in by_code]
        kept = outcome.kept + _ignored(extra, config, rebase)
    hidden = stale = 0
    if checked is not None and config.baseline is not None:
        entries = baseline.read(resolve_path(config, config.baseline))
        matched = baseline.apply_baseline(kept, entries, rebase, {rebase(p) for p in checked})
        kept, hidden, stale = matched.kept, matched.hidden, matched.stale
    if focus is not None:
        kept = [f for f in kept if in_focus(f, focus)]
    limited, not_shown, note = _limit(sorted(set(kept), key=finding_key), config, selected)
    return Filtered(limited, suppressed, hidden, stale, not_shown, note)


def _ignored(findings: list[Finding], config: Config, rebase: baseline.Rebase) -> list[Finding]:
    if not config.per_file_ignores:
        return findings
    return [f for f in findings if not per_file_ignored(config, rebase(f.location.path), f)]


def _limits(config: Config) -> tuple[int, int]:
    """PL005's per-file and per-run limits: the config may lower them, never raise them."""
    options = config.rule_options.get("PL005", {})
    per_file = min(max(options.get("per-file", MAX_FINDINGS_PER_FILE), 2), MAX_FINDINGS_PER_FILE)
    per_run = min(max(options.get("per-run", MAX_FINDINGS_PER_RUN), 2), MAX_FINDINGS_PER_RUN)
    return per_file, per_run


def _limit(
    findings: list[Finding], config: Config, selected: Sequence[Rule]
) -> tuple[list[Finding], int, str | None]:
    """At most ``per-file`` findings a file and ``per-run`` a run, the most severe kept.

    Where findings are left out, the last one kept is a PL005 note at line 1
    of the file counting them (one note for the run's limit). Keeping the most
    severe keeps the exit code: whatever was left out, something at least as
    severe is still shown.
    """
    per_file, per_run = _limits(config)
    if len(findings) <= min(per_file, per_run):
        return findings, 0, None
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

    not_shown = 0
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
        not_shown += len(group) - per_file + 1
    if len(kept) > per_run:
        ordered = sorted(kept, key=lambda f: (-f.severity, f.code != "PL005", finding_key(f)))
        dropped = ordered[per_run - 1 :]
        files = sorted({f.location.path for f in dropped})
        kept = ordered[: per_run - 1]
        where = files[0] if len(files) == 1 else f"{len(files)} files"
        kept.extend(note(files[0], len(dropped), where, f"{per_run} per run"))
        not_shown += len(dropped)
    message = None
    if not_shown:
        message = (
            f"{not_shown} findings not shown: portlint shows at most "
            f"{per_file} per file and {per_run} per run (see PL005)"
        )
    return sorted(kept, key=finding_key), not_shown, message
