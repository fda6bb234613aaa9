"""SARIF 2.1.0 for code scanning, built from plain dicts (no sarif_om dependency).

Every selected rule is listed in ``tool.driver.rules``, not only the ones
that fired, so a viewer can show what was checked; results point at rules by
index. ``partialFingerprints`` carry the baseline fingerprint, which has no
line number, so GitHub keeps an alert's identity when lines move.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, TextIO
from urllib.parse import quote

from portlint import __version__
from portlint.bindings import Location
from portlint.findings import Fix, Severity
from portlint.results import RunResult

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
BASE_ID = "%SRCROOT%"
FINGERPRINT_KEY = "portlint/v1"


def physical(loc: Location) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": loc.line, "startColumn": loc.column}
    if loc.end_line is not None:
        region["endLine"] = loc.end_line
        if loc.end_column is not None:
            region["endColumn"] = loc.end_column
    uri = quote(loc.path) if not loc.path.startswith("/") else "file://" + quote(loc.path)
    artifact: dict[str, str] = {"uri": uri}
    if not loc.path.startswith("/"):
        artifact["uriBaseId"] = BASE_ID
    return {"physicalLocation": {"artifactLocation": artifact, "region": region}}


def sarif_fix(fix: Fix) -> dict[str, Any]:
    """A fix as SARIF's ``fix``: per file, replacements of regions (columns in code points)."""
    by_path: dict[str, list[dict[str, Any]]] = {}
    for edit in fix.edits:
        loc = edit.location
        region = physical(loc)["physicalLocation"]["region"]
        by_path.setdefault(loc.path, []).append(
            {"deletedRegion": region, "insertedContent": {"text": edit.replacement}}
        )
    changes = []
    for path, replacements in by_path.items():
        artifact = physical(Location(path, 1, 1))["physicalLocation"]["artifactLocation"]
        changes.append({"artifactLocation": artifact, "replacements": replacements})
    return {
        "description": {"text": f"{fix.message} ({fix.applicability})"},
        "artifactChanges": changes,
    }


class SarifReporter:
    name: ClassVar[str] = "sarif"
    human: ClassVar[bool] = False

    def __init__(self, **_: object) -> None:
        pass

    def render(self, run: RunResult, out: TextIO) -> None:
        rules = list(run.rules)
        known = {r.code for r in rules}
        # A finding from a rule outside the selection cannot happen today, but
        # a result must never point at a missing rule index.
        rules += [
            info
            for f in run.findings
            if f.code not in known and (info := run.rule(f.code)) is not None
        ]
        index = {rule.code: i for i, rule in enumerate(rules)}
        driver_rules = [
            {
                "id": rule.code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.summary},
                "help": {"text": rule.explanation, "markdown": rule.explanation},
                "helpUri": rule.url,
                "defaultConfiguration": {"level": LEVELS[rule.severity]},
                "properties": {"tags": [rule.name]},
            }
            for rule in rules
        ]
        results = []
        for f in run.findings:
            result: dict[str, Any] = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": LEVELS[f.severity],
                "message": {"text": f.message + (f"\nhint: {f.hint}" if f.hint else "")},
                "locations": [physical(f.location)],
                "partialFingerprints": {FINGERPRINT_KEY: run.fingerprint(f)},
            }
            if f.fix is not None:
                result["fixes"] = [sarif_fix(f.fix)]
            if f.related:
                result["relatedLocations"] = [
                    {"id": i, **physical(r), "message": {"text": f"also claims this port ({r})"}}
                    for i, r in enumerate(f.related, start=1)
                ]
            results.append(result)
        notifications = [
            {
                "level": "warning",
                "message": {"text": f"{p.location.path}: {p.message}"},
                "locations": [physical(p.location)],
                "descriptor": {"id": "PL002"},
            }
            for p in run.skipped
        ]
        if run.templates_skipped:  # one notification for all of them, as the text says
            notifications.append(
                {
                    "level": "note",
                    "message": {"text": run.templates_note},
                    "descriptor": {"id": "PL002"},
                }
            )
        data = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "portlint",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "informationUri": "https://github.com/portlint/portlint",
                            "rules": driver_rules,
                        }
                    },
                    "invocations": [
                        {
                            "executionSuccessful": True,
                            "toolExecutionNotifications": notifications,
                        }
                    ],
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                }
            ],
        }
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
