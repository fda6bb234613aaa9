"""GitLab CI Code Quality report (a JSON array of issues).

GitLab merges issues by ``fingerprint``, so two findings with the same
baseline fingerprint (the same problem twice in one file) get distinct ones.
"""

from __future__ import annotations

import hashlib
import json
from typing import ClassVar, TextIO

from portlint.findings import Severity
from portlint.results import RunResult

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.NOTE: "info"}


class GitlabReporter:
    name: ClassVar[str] = "gitlab"
    human: ClassVar[bool] = False

    def __init__(self, **_: object) -> None:
        pass

    def render(self, run: RunResult, out: TextIO) -> None:
        seen: dict[str, int] = {}
        issues = []
        for finding in run.findings:
            base = run.fingerprint(finding)
            count = seen.get(base, 0)
            seen[base] = count + 1
            fingerprint = (
                base if count == 0 else hashlib.sha256(f"{base}:{count}".encode()).hexdigest()[:16]
            )
            issues.append(
                {
                    "description": f"{finding.code} {finding.message}",
                    "check_name": f"{finding.code} {finding.name}",
                    "fingerprint": fingerprint,
                    "severity": SEVERITIES[finding.severity],
                    "location": {
                        "path": finding.location.path,
                        "lines": {"begin": finding.location.line},
                    },
                }
            )
        out.write(json.dumps(issues, indent=2, ensure_ascii=False) + "\n")
