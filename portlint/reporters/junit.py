"""JUnit XML, for CI systems that only show test reports.

One ``testsuite`` per file with findings and one failing ``testcase`` per
finding; a clean run is one passing test case, so the report is never empty.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby
from typing import ClassVar, TextIO

from portlint.results import RunResult


class JunitReporter:
    name: ClassVar[str] = "junit"
    human: ClassVar[bool] = False

    def __init__(self, **_: object) -> None:
        pass

    def render(self, run: RunResult, out: TextIO) -> None:
        total = max(len(run.findings), 1)
        root = ET.Element(
            "testsuites",
            name="portlint",
            tests=str(total),
            failures=str(len(run.findings)),
        )
        if not run.findings:
            suite = ET.SubElement(root, "testsuite", name="portlint", tests="1", failures="0")
            ET.SubElement(suite, "testcase", name="no findings", classname="portlint")
        for path, group in groupby(run.findings, key=lambda f: f.location.path):
            findings = list(group)
            suite = ET.SubElement(
                root, "testsuite", name=path, tests=str(len(findings)), failures=str(len(findings))
            )
            for f in findings:
                loc = f.location
                case = ET.SubElement(
                    suite,
                    "testcase",
                    name=f"{f.code} {f.name} at {loc.line}:{loc.column}",
                    classname=path,
                    file=path,
                    line=str(loc.line),
                )
                failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
                failure.text = f"{loc}: {f.code} {f.message}" + (
                    f"\nhint: {f.hint}" if f.hint else ""
                )
        ET.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ET.tostring(root, encoding="unicode") + "\n")
