"""YAML files not named like a known kind: recognised by what they contain.

The file is parsed once; each document goes to the first scanner that
recognises it: Compose (a ``services`` mapping of services), Kubernetes
(``apiVersion`` plus ``kind``), and everything else (Helm ``values.yaml``, app
configs) to the generic key rules, which only ever call a number a port when
its key says so. Helm templates are skipped with a PL002 note; OpenAPI
descriptions and JSON Schemas (:mod:`portlint.scanners._documents`) are
skipped without one: their ports are examples.

Cheap pre-check: a file whose text holds none of the words a port could hang
from (``port``, ``listen``, ``bind``, ``addr``, ``://``, ``services``) is not
parsed at all; CI workflows and OpenAPI specs without ports cost one regex.
"""

from __future__ import annotations

import re

from portlint.findings import Problem
from portlint.scanners import _yaml, compose, helm, kubernetes
from portlint.scanners._documents import is_documentation
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile

_CANDIDATE = re.compile(r"port|listen|bind|addr|://|services", re.IGNORECASE)


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    if helm.is_template(source):
        return ScanResult(problems=[helm.template_skipped(source)])
    # A document without a key we care about cannot hold a port.
    if _CANDIDATE.search(source.text) is None:
        return ScanResult()
    docs = _yaml.compose_documents(source)
    if isinstance(docs, Problem):
        if docs.code == "PL001" and helm.looks_templated(source):
            return ScanResult(problems=[helm.template_skipped(source)])
        return ScanResult(problems=[docs])
    result = ScanResult()
    for doc in docs:
        if is_documentation({k: _yaml.scalar(v) for k, _kn, v in _yaml.items(doc)}):
            continue  # an OpenAPI description or a JSON Schema: examples, not ports
        if compose.looks_like_compose(doc):
            result.extend(compose.scan_document(source, doc, ctx))
        elif kubernetes.looks_like_kubernetes(doc):
            result.extend(kubernetes.scan_document(source, doc, ctx))
        else:
            result.extend(helm.scan_generic_document(source, doc, ctx))
    return result
