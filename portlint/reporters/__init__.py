"""The reporter table. Modules are imported only when their format is chosen."""

from __future__ import annotations

import importlib
from typing import Any

REPORTERS: dict[str, str] = {
    "text": "portlint.reporters.text:TextReporter",
    "json": "portlint.reporters.json:JsonReporter",
    "sarif": "portlint.reporters.sarif:SarifReporter",
    "github": "portlint.reporters.github:GithubReporter",
    "gitlab": "portlint.reporters.gitlab:GitlabReporter",
    "junit": "portlint.reporters.junit:JunitReporter",
}


def get_reporter(name: str, **options: Any) -> Any:
    """An instance of the reporter for ``name`` (a key of :data:`REPORTERS`)."""
    module_name, _, attr = REPORTERS[name].partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    return cls(**options)
