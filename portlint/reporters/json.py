"""Machine-readable findings with a versioned schema (docs/output-formats.md).

``schema_version`` changes only when a field is removed or changes meaning;
new fields may appear at any time, so consumers should ignore unknown keys.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, TextIO

from portlint import __version__
from portlint.bindings import Location
from portlint.findings import Finding, Fix, Severity
from portlint.results import RunResult

SCHEMA_VERSION = 1


def location_dict(loc: Location) -> dict[str, Any]:
    return {"path": loc.path, "line": loc.line, "column": loc.column}


def finding_dict(finding: Finding, run: RunResult) -> dict[str, Any]:
    loc = finding.location
    rule = run.rule(finding.code)
    end = (
        {"line": loc.end_line, "column": loc.end_column}
        if loc.end_line is not None and loc.end_column is not None
        else None
    )
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity.label,
        "message": finding.message,
        "hint": finding.hint,
        "location": location_dict(loc),
        "end_location": end,
        "related": [location_dict(r) for r in finding.related],
        "port": finding.port,
        "url": rule.url if rule else None,
        "fingerprint": run.fingerprint(finding),
        "fix": fix_dict(finding.fix),
    }


def fix_dict(fix: Fix | None) -> dict[str, Any] | None:
    """The edits, each a span (1-based, end exclusive, in characters) and its new text."""
    if fix is None:
        return None
    return {
        "message": fix.message,
        "applicability": fix.applicability,
        "edits": [
            {
                "path": e.location.path,
                "location": {"line": e.location.line, "column": e.location.column},
                "end_location": {"line": e.location.end_line, "column": e.location.end_column},
                "content": e.replacement,
            }
            for e in fix.edits
        ],
    }


def summary_dict(run: RunResult) -> dict[str, Any]:
    return {
        "files_scanned": run.files_scanned,
        "files_skipped": run.files_skipped,
        "findings": len(run.findings),
        "problems": run.count(Severity.ERROR) + run.count(Severity.WARNING),
        "by_severity": {sev.label: run.count(sev) for sev in reversed(Severity)},
        "suppressed": run.suppressed,
        "hidden_by_baseline": run.hidden_by_baseline,
        "stale_baseline": run.stale_baseline,
        "contested_ports": run.contested_ports,
        "templates_skipped": run.templates_skipped,
        "fixed": run.fixed,
        "fixable": sum(1 for f in run.findings if run.fixable(f)),
    }


class JsonReporter:
    name: ClassVar[str] = "json"
    human: ClassVar[bool] = False

    def __init__(self, **_: object) -> None:
        pass

    def render(self, run: RunResult, out: TextIO) -> None:
        data = {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "portlint", "version": __version__},
            "findings": [finding_dict(f, run) for f in run.findings],
            "skipped": [{"path": p.location.path, "reason": p.message} for p in run.skipped],
            "summary": summary_dict(run),
        }
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
