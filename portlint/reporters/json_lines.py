"""One JSON object per finding, one per line (JSON Lines), for streams and ``jq -c``.

Each object is exactly a finding of the ``json`` format (same keys, same
meaning, same schema version rules), so a consumer handles both alike. There
is no envelope and no summary: a line is complete on its own, and a clean
run writes nothing.
"""

from __future__ import annotations

import json
from typing import ClassVar, TextIO

from portlint.reporters.json import finding_dict
from portlint.results import RunResult


class JsonLinesReporter:
    name: ClassVar[str] = "json-lines"
    human: ClassVar[bool] = False

    def __init__(self, **_: object) -> None:
        pass

    def render(self, run: RunResult, out: TextIO) -> None:
        for finding in run.findings:
            out.write(json.dumps(finding_dict(finding, run), ensure_ascii=False) + "\n")
