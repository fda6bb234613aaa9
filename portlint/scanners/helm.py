"""Helm charts and other YAML that is not Compose or Kubernetes.

Two jobs, both about YAML nobody else claims:

- **Templates.** A chart's ``templates/*.yaml`` is Go template text that only
  becomes YAML after ``helm template``; ``containerPort: {{ .Values.port }}``
  is not a syntax error in the user's eyes, it is a file we cannot read. Such
  a file is a PL002 ``skipped-file`` note at the first ``{{``, never a PL001;
  the engine counts these and prints one line per run, not one note each.
  A file is a template when it sits in a ``templates`` folder and contains
  ``{{``, or when it contains ``{{`` anywhere and fails to parse.
- **Values and app configs.** ``values.yaml`` and any other YAML document go
  through the generic key rules of :mod:`portlint.scanners.keys`; the default
  owner is the chart (the folder holding ``values.yaml``).

The node walk is iterative and visits each node object once: aliases are
shared nodes, so ``*anchor`` repeated a billion times costs one visit, and a
port under a merged ``<<: *defaults`` is reported once, where it is written.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from collections.abc import Iterator

from portlint.bindings import Location, PortBinding
from portlint.findings import Problem, Severity
from portlint.scanners import _yaml, keys, problems
from portlint.scanners._yaml import MappingNode, Node, ScalarNode, SequenceNode
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile

# ``{{ .Values.x }}``, ``{{- include ... }}``; not GitHub Actions' ``${{ matrix.x }}``
_TEMPLATE = re.compile(r"(?<!\$)\{\{-?\s")
_TEMPLATE_LOOSE = re.compile(r"\{\{")


def _in_templates_dir(path: str) -> bool:
    return "templates" in path.replace("\\", "/").split("/")[:-1]


def is_template(source: SourceFile) -> bool:
    """A file in a ``templates`` folder with template actions in it."""
    return _in_templates_dir(source.path) and _TEMPLATE_LOOSE.search(source.text) is not None


def looks_templated(source: SourceFile) -> bool:
    """Template actions anywhere (used only once parsing has failed)."""
    return _TEMPLATE.search(source.text) is not None


def template_skipped(source: SourceFile) -> Problem:
    match = _TEMPLATE_LOOSE.search(source.text)
    offset = match.start() if match is not None else 0
    line, column = source.line_col(offset)
    return Problem(
        "PL002",
        Location(source.path, line, column),
        "template file ({{ }} actions): not YAML until rendered, not scanned",
        hint="scan the output of `helm template` instead, or exclude the templates folder",
        anchor=problems.HELM_TEMPLATE,  # counted per run by the engine, not reported per file
        severity=Severity.NOTE,
    )


def yaml_int(text: str) -> int | None:
    """A YAML int scalar's value (decimal, ``0x``, ``0o``, underscores); None for base 60."""
    cleaned = text.replace("_", "")
    try:
        return int(cleaned, 0)
    except ValueError:
        pass
    try:
        return int(cleaned, 10)
    except ValueError:
        return None


def leaves(doc: Node) -> Iterator[keys.Leaf]:
    """Every int or string scalar of a document with its key path, each node once."""
    stack: list[tuple[Node, tuple[str | int, ...]]] = [(doc, ())]
    visited: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in visited or len(path) > _yaml.MAX_DEPTH:
            continue
        visited.add(id(node))
        if isinstance(node, MappingNode):
            children = [(value, (*path, key)) for key, _k, value in _yaml.items(node)]
            stack.extend(reversed(children))
        elif isinstance(node, SequenceNode):
            stack.extend(reversed([(v, (*path, i)) for i, v in enumerate(node.value)]))
        elif isinstance(node, ScalarNode):
            leaf = _leaf(node, path)
            if leaf is not None:
                yield leaf


def _leaf(node: ScalarNode, path: tuple[str | int, ...]) -> keys.Leaf | None:
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("'", '"'):
        start, end = start + 1, end - 1
    if node.tag == _yaml.INT_TAG and not node.style:
        number = yaml_int(str(node.value))
        return None if number is None else keys.Leaf(path, number, start, end)
    if node.tag == _yaml.STR_TAG:
        return keys.Leaf(path, str(node.value), start, end)
    return None


_CHART_NAME = re.compile(r"^name:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9_.-]*)", re.MULTILINE)


def chart_name(source: SourceFile, ctx: ScanContext) -> str | None:
    """The ``name`` in the ``Chart.yaml`` beside a ``values*.yaml``, if there is one.

    A chart's test values live in its ``ci/`` folder (``ci/ci-values.yaml``,
    the chart-testing convention): they configure the chart one folder up.
    """
    base = posixpath.basename(source.path)
    folder = posixpath.dirname(source.path)
    if ctx.read is None:
        return None
    if base.startswith("values"):
        chart_file = posixpath.join(folder, "Chart.yaml")
    elif posixpath.basename(folder) == "ci" and base.endswith(("values.yaml", "values.yml")):
        chart_file = posixpath.join(posixpath.dirname(folder), "Chart.yaml")
    else:
        return None
    chart = ctx.read(chart_file)
    match = _CHART_NAME.search(chart.text) if chart is not None else None
    return match.group(1) if match is not None else None


def scan_generic_document(source: SourceFile, doc: Node, ctx: ScanContext) -> ScanResult:
    """A YAML document that is neither Compose nor Kubernetes, by the key rules.

    The default owner of a chart's values is the chart's name.
    """
    chart = chart_name(source, ctx)
    owner = keys.default_owner_for(source.path, chart)
    base = posixpath.basename(source.path)
    values = base.startswith("values") and base.endswith((".yaml", ".yml"))
    # The chart says what software its values configure, whatever key holds a port.
    kctx = keys.Context(
        source, "yaml", owner, identities=(chart,) if chart else (), helm_values=values
    )
    bindings, problems = keys.scan_leaves(leaves(doc), kctx)
    if values:
        bindings = _exposed_services(doc, bindings)
    return ScanResult(bindings, problems)


MAX_SERVICE_DEPTH = 8  # ``service:`` blocks sit near the top of a chart's values


def _exposed_services(doc: Node, bindings: list[PortBinding]) -> list[PortBinding]:
    """A values ``service:`` block with ``type: LoadBalancer`` or ``NodePort`` (or
    ``externalIPs``) exposes its ports beyond the cluster, as the Service it renders."""
    found: list[tuple[tuple[str | int, ...], str]] = []

    def walk(node: Node, path: tuple[str | int, ...]) -> None:
        if len(path) > MAX_SERVICE_DEPTH or not isinstance(node, MappingNode):
            return
        for key, _key_node, value in _yaml.items(node):
            here = (*path, key)
            if key.lower().endswith("service") and isinstance(value, MappingNode):
                kind = _yaml.scalar(_yaml.get(value, "type")) or ""
                ips = _yaml.get(value, "externalIPs")
                if kind in ("LoadBalancer", "NodePort"):
                    found.append((here, kind))
                elif isinstance(ips, SequenceNode) and ips.value:
                    found.append((here, "externalIPs"))
            walk(value, here)

    walk(doc, ())
    if not found:
        return bindings
    out = []
    for binding in bindings:
        if any(str(part).lower().startswith("nodeport") for part in binding.key_path):
            out.append(binding)  # the node's side of the Service, not the program's port
            continue
        for path, kind in found:
            if binding.role in ("service", "listen") and binding.key_path[: len(path)] == path:
                binding = dataclasses.replace(binding, exposure=kind)
                break
        out.append(binding)
    return out
