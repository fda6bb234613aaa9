"""YAML files not named like a known kind: recognised by what they contain.

The file is parsed once; each document goes to the first scanner that
recognises it. Documents nobody recognises yield nothing, which is the point:
a CI workflow or an OpenAPI spec full of numbers is not a port inventory.
"""

from __future__ import annotations

from portlint.findings import Problem
from portlint.scanners import _yaml, compose
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    text = source.text
    # Cheap pre-check: a document without a key we care about cannot hold a port.
    if "services" not in text:
        return ScanResult()
    docs = _yaml.compose_documents(source)
    if isinstance(docs, Problem):
        return ScanResult(problems=[docs])
    result = ScanResult()
    for doc in docs:
        if compose.looks_like_compose(doc):
            result.extend(compose.scan_document(source, doc, ctx))
    return result
