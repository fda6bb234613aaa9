"""Inline suppressions: ``# portlint: ignore[PL401]`` and ``# portlint: ignore-file[PL301]``.

Directives are read from each file's text in the per-file step (so they are
cached with the scan) and applied once, in the engine, after every rule ran.
Codes are required: a directive that names nothing, or names a rule portlint
does not know, is a PL003 finding instead of a blanket silence; a directive
that silenced nothing is PL004, so stale suppressions do not pile up.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from portlint import rules
from portlint.bindings import Location
from portlint.findings import Directive, Finding, Problem
from portlint.rules.fixes import unused_suppression_fix

# Accepted forms (the comment leader is `#`, or `//` in JSON/JSONC files):
#   <content>  # portlint: ignore[PL401]               this line
#   # portlint: ignore[PL401, duplicate-host-port]     alone: the next line
#   # portlint: ignore-file[PL301]                      alone: the whole file
#   ... ignore[PL401]  free text after the bracket is a reason, and is kept out
_HASH = re.compile(r"(?:^|(?<=\s))#[ \t]*portlint:[ \t]*(?P<body>.*)")
_SLASH = re.compile(r"(?:^|(?<=\s)|(?<=[,\[{]))//[ \t]*portlint:[ \t]*(?P<body>.*)")
_BODY = re.compile(r"(?P<verb>[A-Za-z][\w-]*)[ \t]*(?P<rest>.*)")
_LINES = re.compile(r"\r\n|\r|\n")
VERBS = ("ignore", "ignore-file")
UNSUPPRESSIBLE = frozenset({"PL003", "PL004"})
_EXAMPLE = "write e.g. `# portlint: ignore[PL401]`"


def _leaders(path: str) -> re.Pattern[str]:
    lower = path.lower()
    return _SLASH if lower.endswith((".json", ".jsonc", ".json5")) else _HASH


def parse_directives(path: str, text: str) -> tuple[Directive, ...]:
    """Every directive in a file's text; cheap when there is none."""
    if "portlint:" not in text:
        return ()
    pattern = _leaders(path)
    out: list[Directive] = []
    for number, line in enumerate(_LINES.split(text), start=1):
        if "portlint:" not in line:
            continue
        m = pattern.search(line)
        if m is None:
            continue
        alone = not line[: m.start()].strip()
        where = Location(path, number, m.start() + 1)
        found = _parse_one(where, m.group("body"), alone)
        if found.error is None:
            open_at = m.start("body") + line[m.start("body") :].index("[")
            found = dataclasses.replace(
                found,
                alone=alone,
                trim_column=len(line[: m.start()].rstrip()) + 1,
                end_column=len(line) + 1,
                items=_items(line[open_at + 1 : line.index("]", open_at)]),
                bracket=(open_at + 2, line.index("]", open_at) + 1),
            )
        out.append(found)
    return tuple(out)


def _items(text: str) -> tuple[tuple[str, str], ...]:
    """Each bracket item as written, with the code it names (known to resolve)."""
    out = []
    for item in (part.strip() for part in text.split(",")):
        rule = rules.get(item)
        if rule is not None:
            out.append((item, rule.code))
    return tuple(out)


def _malformed(where: Location, error: str, hint: str = _EXAMPLE) -> Directive:
    return Directive(where, "line", where.line, (), error, hint)


def _parse_one(where: Location, body: str, alone: bool) -> Directive:
    m = _BODY.match(body)
    verb = m.group("verb") if m else ""
    if verb not in VERBS:
        shown = verb or body.strip()
        return _malformed(
            where,
            f"unknown portlint directive {shown!r}" if shown else "empty portlint directive",
            "use ignore[CODE, ...] or ignore-file[CODE, ...]",
        )
    rest = m.group("rest") if m else ""
    if not rest.startswith("["):
        return _malformed(
            where,
            f"suppression without codes: {verb} needs [CODE, ...]",
            f"name what to silence, e.g. `# portlint: {verb}[PL401]`; blanket suppressions "
            "are not supported",
        )
    close = rest.find("]")
    if close < 0:
        return _malformed(where, f"unclosed '[' in portlint {verb} directive")
    items = [item.strip() for item in rest[1:close].split(",")]
    if not any(items):
        return _malformed(where, f"suppression without codes: {verb}[] is empty")
    codes: list[str] = []
    for item in items:
        rule = rules.get(item) if item else None
        if rule is None:
            shown = item or "(empty)"
            return _malformed(
                where,
                f"unknown rule {shown!r} in portlint {verb} directive",
                "`portlint rule --all` lists codes and names",
            )
        if rule.code not in codes:
            codes.append(rule.code)
    if verb == "ignore-file":
        if not alone:
            return _malformed(
                where, "ignore-file must stand alone on its line", "move it to a line of its own"
            )
        return Directive(where, "file", 1, tuple(codes))
    return Directive(where, "line", where.line + 1 if alone else where.line, tuple(codes))


@dataclass(slots=True)
class Outcome:
    kept: list[Finding]
    suppressed: int
    problems: list[Problem]  # PL003 and PL004, for the engine to stamp as findings


def apply_suppressions(
    findings: Iterable[Finding],
    directives: Sequence[Directive],
    selected_codes: frozenset[str],
) -> Outcome:
    """Drop findings a directive covers; report malformed and unused directives.

    A finding is matched at its primary location only (for a collision, the
    second claim). An unused code is reported only when its rule ran in this
    run, because a rule that did not run cannot prove the directive stale.
    """
    by_line: dict[tuple[str, int, str], list[int]] = {}
    by_file: dict[tuple[str, str], list[int]] = {}
    for index, d in enumerate(directives):
        for code in d.codes:
            if d.scope == "file":
                by_file.setdefault((d.location.path, code), []).append(index)
            else:
                by_line.setdefault((d.location.path, d.line, code), []).append(index)
    used: set[tuple[int, str]] = set()
    kept: list[Finding] = []
    suppressed = 0
    for finding in findings:
        if finding.code in UNSUPPRESSIBLE:
            kept.append(finding)
            continue
        loc = finding.location
        hits = by_line.get((loc.path, loc.line, finding.code), []) + by_file.get(
            (loc.path, finding.code), []
        )
        if hits:
            suppressed += 1
            used.update((i, finding.code) for i in hits)
        else:
            kept.append(finding)
    problems: list[Problem] = []
    for index, d in enumerate(directives):
        if d.error is not None:
            problems.append(Problem("PL003", d.location, d.error, hint=d.hint))
            continue
        unused = [c for c in d.codes if (index, c) not in used and c in selected_codes]
        if unused:
            what = "ignore-file" if d.scope == "file" else "ignore"
            problems.append(
                Problem(
                    "PL004",
                    d.location,
                    f"unused suppression: {what}[{', '.join(unused)}] silenced nothing",
                    hint="remove the code from the directive (or the whole directive)",
                    fix=unused_suppression_fix(d, unused),
                )
            )
    return Outcome(kept, suppressed, problems)
