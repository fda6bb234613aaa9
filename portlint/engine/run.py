"""One lint run: discover, scan, check, filter. Pure: no printing, no exit codes.

The top of the engine: it uses ``batch`` (every file) and ``filters`` (what
is shown), and returns the finished run as a frozen ``results.RunResult``.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
from collections.abc import Iterable, Sequence
from types import MappingProxyType

from portlint import rules as rule_catalogue
from portlint.bindings import PortBinding
from portlint.config import Config, resolve_path
from portlint.discovery import Log, Stat, discover, display_path
from portlint.engine import baseline
from portlint.engine.batch import Scans, scan_lazy
from portlint.engine.cache import EMPTY_DIGEST, ScanCache, open_cache
from portlint.engine.filters import apply_filters, path_in_focus, stamp
from portlint.engine.incremental import Touched, evidence_digest, flat_spans, plan
from portlint.engine.reuse import (
    ProjectRecord,
    ProjectRecords,
    RunRecords,
    bytes_digest,
    registry_identity,
    run_key,
    watched_files,
)
from portlint.engine.scan import make_scan_context, scan_roots
from portlint.engine.stdin import Stdin, scan_stdin
from portlint.findings import Directive, Finding, Problem
from portlint.placement import place
from portlint.printable import printable_finding
from portlint.project import git_root, project_folder
from portlint.registry.allocations import DEFAULT_FILE as DEFAULT_ALLOCATIONS
from portlint.registry.allocations import (
    Allocations,
    configured_paths,
    load_configured_allocations,
)
from portlint.results import RuleInfo, RunResult
from portlint.rules.base import Rule, RuleContext, Settings
from portlint.rules.collisions import contested_note, contested_ports, sibling_note
from portlint.rules.selection import rule_is_selected
from portlint.scanners.base import ScanResult
from portlint.scanners.problems import HELM_TEMPLATE


def selected_rules(config: Config) -> tuple[Rule, ...]:
    return tuple(
        rule
        for rule in rule_catalogue.ALL_RULES
        if rule_is_selected(rule.code, rule.name, rule.enabled, config, rule.aliases)
    )


Origin = tuple[str, int, int]


def echo_origins(bindings: Iterable[PortBinding]) -> set[Origin]:
    """Where interpolated bindings came from (path, line, column)."""
    return {
        (b.origin.path, b.origin.line, b.origin.column) for b in bindings if b.origin is not None
    }


def echoes_removed(
    bindings: Sequence[PortBinding], origins: set[Origin] | None = None
) -> Sequence[PortBinding]:
    """Bindings minus ``.env`` values that a compose port was interpolated from.

    The interpolated binding is the same claim with more facts (role, host IP,
    service, image), so per-binding rules judge it once, there. Project rules
    see everything and follow ``origin`` themselves. ``origins``: those of
    the whole run, when ``bindings`` are only some of its bindings.
    """
    if origins is None:
        origins = echo_origins(bindings)
    if not origins:
        return bindings
    return [
        b
        for b in bindings
        if b.origin is not None
        or (b.location.path, b.location.line, b.location.column) not in origins
    ]


def read_in_context(scanned: ScanResult) -> ScanResult:
    """A file another compose file includes, minus what only its standalone reading says.

    Compose runs it as part of the including project, with that include's
    env files; the includer's scan reports its unset variables in that
    context. On its own, the file would lack them all (PL104 on every line).
    """
    kept = [p for p in scanned.problems if p.code not in CONTEXT_PROBLEMS]
    return dataclasses.replace(scanned, problems=kept)


# Problems that depend on the variables a file is read with.
CONTEXT_PROBLEMS = frozenset({"PL104"})


def check_bindings(
    bindings: Sequence[PortBinding],
    selected: Iterable[Rule],
    config: Config,
    allocations: Allocations | None = None,
    focus: frozenset[str] | None = None,
    project: dict[str, list[Finding]] | None = None,
    origins: set[Origin] | None = None,
    touched: Touched | None = None,
    settings: Settings | None = None,
) -> list[Finding]:
    """Run the rules. With a focus (pre-commit's changed files), per-binding rules
    judge only the bindings of those files: their findings sit on the binding
    and would be dropped anyway. Project rules always see every binding.

    ``project``: project-rule findings by code, reused (``engine.reuse``) when
    present, else filled in as the project rules run. ``origins``: see
    ``echoes_removed``. ``touched``: the ports a change touched; ``by_port``
    rules run on their bindings only and keep their other findings
    (``engine.incremental``). ``settings``: the run's, when the caller made them
    already (what they derived, such as the used ports, is then not derived again).
    """
    if settings is None:
        settings = Settings(
            ephemeral_range=config.ephemeral_range,
            nodeport_range=config.nodeport_range,
            allocations=allocations,
        )
    findings: list[Finding] = []
    judged = echoes_removed(bindings, origins)
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
        elif project is not None and rule.code in project:
            findings.extend(project[rule.code])
        else:
            found = None
            if touched is not None and rule.by_port:
                whole = RuleContext(
                    rule,
                    options,
                    dataclasses.replace(settings, whole=bindings, fixable=touched.covers),
                    ctx.severity,
                )
                # Findings off the touched ports come from a partial view of their
                # component (a binding taken for its other side): the kept ones stand.
                again = [f for f in rule.check(touched.bindings, whole) if touched.covers(f.port)]
                found = [*touched.kept[rule.code], *again]
            if found is None:
                found = list(rule.check(bindings, ctx))
            if project is not None:
                project[rule.code] = found
            findings.extend(found)
    return findings


def context_paths(
    paths: Sequence[str], config: Config, cwd: str
) -> tuple[list[str], frozenset[str] | None]:
    """What to scan, and which displayed paths to report on.

    Given files (pre-commit passes only the changed ones), portlint still
    scans the whole project so a collision with an unchanged file is found,
    and then reports only findings in, or related to, the given paths.
    Without files the focus is None: report everything. Outside any project
    (no config file, no git work tree) the "project" would be just the
    current folder, a home or download folder: only what was named is read.
    """
    given = list(paths) or ["."]
    files = [p for p in given if not os.path.isdir(os.path.join(cwd, p))]
    if not files or not config.project_context:
        return given, None
    root = project_folder(config.root, cwd)
    if config.source is None and git_root(root) is None:
        return given, None
    focus = frozenset(display_path(os.path.abspath(os.path.join(cwd, p)), cwd) for p in given)
    inside = any(_within(os.path.abspath(os.path.join(cwd, p)), root) for p in files)
    return ([root, *given] if inside else given), focus


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def template_note(paths: Sequence[str]) -> str:
    """One line for every Helm template of the run, with the command that lints them.

    Go templates are not YAML until ``helm template`` renders them; its output
    goes to ``portlint check -`` with a path in the chart, so findings point
    into the chart and its config applies. One chart is named; several are CHART.
    """
    if not paths:
        return ""
    charts = {_chart_of(path) for path in paths}
    chart = charts.pop() if len(charts) == 1 else "CHART"
    rendered = "rendered.yaml" if chart == "." else f"{chart}/rendered.yaml"
    if chart != "CHART":
        chart, rendered = shlex.quote(chart), shlex.quote(rendered)
    count = len(paths)
    return (
        f"{count} Helm template{'' if count == 1 else 's'} skipped; lint rendered output: "
        f"`helm template {chart} | portlint check - --stdin-filename {rendered}`"
    )


def _chart_of(path: str) -> str:
    """The chart folder of a template: the folder above its (last) ``templates`` folder."""
    parts = path.split("/")[:-1]
    while parts and parts[-1] != "templates":
        parts.pop()
    return "/".join(parts[:-1]) or "."


def rule_info(rule: Rule) -> RuleInfo:
    return RuleInfo(rule.code, rule.name, rule.severity, rule.summary, rule.explanation, rule.url)


def run(
    paths: Sequence[str],
    config: Config,
    cwd: str | None = None,
    *,
    use_baseline: bool = True,
    stdin: Stdin | None = None,
    log: Log | None = None,
    reuse: bool = False,
) -> RunResult:
    """``reuse``: return the previous run's result when none of its inputs changed
    (``engine.reuse``; that result has no bindings, which reports never show)."""
    cwd = cwd or os.getcwd()
    root = project_folder(config.root, cwd)
    texts: dict[str, str] = {}
    records: RunRecords | None = None
    cache: ScanCache | None = None
    if stdin is None:
        scan_paths, focus = context_paths(paths, config, cwd)
        stats: dict[str, Stat] | None = {} if config.cache else None  # one stat per file
        candidates = discover(scan_paths, config, cwd, log, stats)
        ctx = make_scan_context(config, cwd, scan_roots(config, cwd, scan_paths))
        cache = open_cache(root, ctx, config.max_file_size, cwd, stats) if config.cache else None
        if reuse and cache is not None:
            settings = [cache.key, config, scan_paths, focus, use_baseline, registry_identity()]
            records = RunRecords(cache, run_key(settings))
            previous = records.load(candidates, _known_rule)
            if previous is not None:
                return previous
        scans: Scans | list[ScanResult] = scan_lazy(candidates, config, ctx, cwd, cache)
    else:  # `check -`: one file, alone, never cached (engine.stdin)
        focus = None
        candidates, scans, texts = scan_stdin(stdin, config, cwd)
    project: dict[str, list[Finding]] | None = None
    contested: int | None = None
    origins: set[Origin] | None = None
    memo, digest = None, None
    slices: list[tuple[int, int]] = []  # each candidate's bindings in ``bindings``
    if stdin is None and cache is not None:
        memo = ProjectRecords(
            cache, [cache.key, config, registry_identity(), *_allocation_ids(config, cwd, root)]
        )
        digest = memo.digest(candidates)
        if digest is not None and (recorded := memo.load(digest)) is not None:
            project, contested = recorded.findings, len(recorded.contested)
            origins = recorded.origins
    fresh = project is None
    # A check whose project findings are reused, reporting on named files only,
    # judges the bindings of those files alone: the others' stay undecoded.
    lean = not fresh and focus is not None and reuse
    results = [
        scans.result(i, not lean or path_in_focus(c.display, focus or frozenset()))
        if isinstance(scans, Scans)
        else scans[i]
        for i, c in enumerate(candidates)
    ]
    selected = selected_rules(config)
    by_code = {rule.code: rule for rule in selected}
    findings: list[Finding] = []
    directives: list[Directive] = []
    bindings: list[PortBinding] = []
    skipped: list[Problem] = []
    templates: list[str] = []  # displayed paths of Helm templates
    files_scanned = files_skipped = 0
    included = {path for scanned in results for path in scanned.included}
    for candidate, scanned in zip(candidates, results, strict=True):
        if candidate.display in included:
            scanned = read_in_context(scanned)
        slices.append((len(bindings), len(bindings) + len(scanned.bindings)))
        if any(p.anchor == HELM_TEMPLATE for p in scanned.problems):
            templates.append(candidate.display)
            slices[-1] = (len(bindings), len(bindings))
            continue  # counted, never a finding (nor its directives): one line for the run
        skips = [p for p in scanned.problems if p.code == "PL002"]
        if skips:
            files_skipped += 1
            skipped.extend(skips)
        else:
            files_scanned += 1
        bindings.extend(scanned.bindings)
        directives.extend(scanned.directives)
        for problem in [*scanned.problems, *scanned.notes]:
            rule = by_code.get(problem.code)
            if rule is not None:
                findings.append(stamp(problem, rule, config))
    del results, scans  # every binding is in ``bindings`` now; the per-file results can go
    bindings = place(bindings, (c.display for c in candidates))
    allocations = load_configured_allocations(config.allocations, config.root, cwd)
    record: ProjectRecord | None = None
    touched: Touched | None = None
    shared = Settings(config.ephemeral_range, config.nodeport_range, allocations)
    if memo is not None and digest is not None and fresh and cache is not None:
        used = cache.used
        record = ProjectRecord(
            {},
            [],
            set(),
            [
                (
                    c.display,
                    used.get(c.abs_path, EMPTY_DIGEST) if c.skip is None else EMPTY_DIGEST,
                    [],
                )
                for c in candidates
            ],
            evidence_digest(bindings),
        )
        for row, (lo, hi) in zip(record.files, slices, strict=True):
            row[2].extend(flat_spans(bindings[lo:hi]))
        last = memo.latest()
        if last is not None:
            touched = plan(
                last,
                record.files,
                slices,
                bindings,
                record.evidence,
                selected,
                shared,
                bool(config.rule_options.get("PL402", {}).get("run-together")),
            )
    if project is None:
        project = {}
    findings.extend(
        check_bindings(
            bindings,
            selected,
            config,
            allocations,
            focus,
            project,
            origins if lean else None,
            touched,
            shared,
        )
    )
    findings = [printable_finding(f) for f in findings]  # names from ports.toml, config
    rebase = baseline.rebaser(root, cwd)
    checked = None
    if use_baseline:
        checked = [c.display for c in candidates if focus is None or c.display in focus]
    shown = apply_filters(
        findings,
        directives=directives,
        selected=selected,
        config=config,
        rebase=rebase,
        checked=checked,
        focus=focus,
    )
    if focus is not None:
        skipped = [p for p in skipped if p.location.path in focus]
        templates = [t for t in templates if path_in_focus(t, focus)]
    notes = [shown.note] if shown.note else []
    sibling = sibling_note(shown.findings)
    if sibling:
        notes.append(sibling)
    contests: list[tuple[int, str]] = []
    if contested is None:
        if "PL402" in by_code:  # ports independent projects share: counted, not reported
            options = {**by_code["PL402"].default_options(), **config.rule_options.get("PL402", {})}
            one_space = allocations is not None
            if touched is not None:
                again = [
                    (port, proto)
                    for port, proto, _ in contested_ports(
                        touched.bindings, options, one_space=one_space, evidence=bindings
                    )
                    if touched.covers(port)
                ]
                contests = sorted([*touched.contested, *again])
            else:
                contests = [
                    (port, proto)
                    for port, proto, _ in contested_ports(bindings, options, one_space=one_space)
                ]
        contested = len(contests)
    if "PL402" in by_code and (note := contested_note(contested)):
        notes.append(note)
    if memo is not None and digest is not None and record is not None:
        record.findings, record.contested = project, contests
        record.origins = echo_origins(bindings)
        memo.save(digest, record)
    templates_line = template_note(templates)
    if templates_line and "PL002" in by_code:
        notes.append(templates_line)
    named = {f.code for f in shown.findings} - set(by_code)
    known = {r.code: rule_info(r) for r in selected}
    known.update({r.code: rule_info(r) for r in rule_catalogue.ALL_RULES if r.code in named})
    result = RunResult(
        findings=tuple(shown.findings),
        bindings=tuple(bindings),
        rules=tuple(known[r.code] for r in selected),
        files_scanned=files_scanned,
        files_skipped=files_skipped,
        hidden_by_baseline=shown.hidden_by_baseline,
        stale_baseline=shown.stale_baseline,
        suppressed=shown.suppressed,
        notes=tuple(notes),
        contested_ports=contested,
        not_shown=shown.not_shown,
        skipped=tuple(skipped),
        templates_skipped=len(templates),
        templates_note=templates_line,
        texts=MappingProxyType(texts),
        root=root,
        cwd=cwd,
        known_rules=MappingProxyType(known),
        fingerprints=MappingProxyType({f: baseline.fingerprint(f, rebase) for f in shown.findings}),
    )
    if records is not None:
        read = _allocation_paths(config, cwd, root)
        if config.baseline is not None:
            read.append(resolve_path(config, config.baseline))
        watched = watched_files(candidates, records.cache, read, cwd)
        if watched is not None:
            records.save(candidates, watched, result)
    return result


def _allocation_paths(config: Config, cwd: str, root: str) -> list[str]:
    """The paths load_configured_allocations may read, found the way it finds them."""
    base = os.path.join(cwd, config.root)
    read = [*configured_paths(config.allocations, base, cwd)]
    read += [os.path.join(folder, DEFAULT_ALLOCATIONS) for folder in (cwd, base, root)]
    return read


def _allocation_ids(config: Config, cwd: str, root: str) -> list[object]:
    return [[path, bytes_digest(path)] for path in _allocation_paths(config, cwd, root)]


def _known_rule(code: str) -> RuleInfo | None:
    rule = rule_catalogue.BY_CODE.get(code)
    return rule_info(rule) if rule is not None else None
