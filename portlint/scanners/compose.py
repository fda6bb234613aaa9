"""Docker Compose files: every port a service publishes or exposes.

A short-syntax entry is parsed by :mod:`portlint.scanners.portspec`; the
binding's location points at the host port as written inside the string (or
at the container port when the host side is left to the engine), so an editor
jumps to the number the user has to change.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import Any

from portlint.bindings import Location, PortBinding
from portlint.findings import Problem
from portlint.scanners import _yaml
from portlint.scanners._yaml import MappingNode, Node, ScalarNode, SequenceNode
from portlint.scanners.base import ScanContext, ScanResult
from portlint.scanners.portspec import PortSpecError, parse_port_spec, parse_range
from portlint.source import SourceFile


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    docs = _yaml.compose_documents(source)
    if isinstance(docs, Problem):
        return ScanResult(problems=[docs])
    result = ScanResult()
    for doc in docs[:1]:  # Compose reads the first document only
        result.extend(scan_document(source, doc, ctx))
    return result


def looks_like_compose(doc: Node) -> bool:
    """A top-level ``services`` mapping whose entries look like Compose services."""
    services = _yaml.get(doc, "services")
    if not isinstance(services, MappingNode):
        return False
    for _name, _k, body in _yaml.items(services):
        if isinstance(body, MappingNode) and any(
            _yaml.get(body, key) is not None for key in ("image", "build", "ports")
        ):
            return True
    return False


def project_key(path: str) -> str:
    """Files in one folder form one Compose project (base file plus overrides)."""
    return "compose:" + (posixpath.dirname(path) or ".")


@dataclass(frozen=True, slots=True)
class _Service:
    """What every binding of one service shares."""

    name: str
    project: str
    identities: tuple[str, ...]
    image: str | None

    def binding(self, **fields: Any) -> PortBinding:
        return PortBinding(
            kind="compose",
            owner=self.name,
            project=self.project,
            identities=self.identities,
            image=self.image,
            **fields,
        )


def scan_document(source: SourceFile, doc: Node, ctx: ScanContext) -> ScanResult:
    result = ScanResult()
    services = _yaml.get(doc, "services")
    project = project_key(source.path)
    for name, _key, body in _yaml.items(services) if services is not None else ():
        if not isinstance(body, MappingNode):
            continue
        common = _Service(
            name, project, _identities(name, body), _yaml.scalar(_yaml.get(body, "image"))
        )
        ports = _yaml.get(body, "ports")
        if isinstance(ports, SequenceNode):
            for index, entry in enumerate(ports.value):
                key_path = ("services", name, "ports", index)
                if isinstance(entry, MappingNode):
                    _long_syntax(source, entry, key_path, common, result)
                else:
                    _short_syntax(source, entry, key_path, common, result)
        expose = _yaml.get(body, "expose")
        if isinstance(expose, SequenceNode):
            for index, entry in enumerate(expose.value):
                _expose(source, entry, ("services", name, "expose", index), common, result)
    return result


def _identities(name: str, body: Node) -> tuple[str, ...]:
    names = [name]
    for key in ("container_name", "hostname", "image"):
        value = _yaml.scalar(_yaml.get(body, key))
        if value:
            names.append(value)
    return tuple(names)


def _at(source: SourceFile, node: Node, offset: int, length: int) -> Location:
    """The location of ``length`` characters at ``offset`` inside a one-line scalar."""
    loc = _yaml.location(source, node)
    if loc.end_line != loc.line:
        return loc
    return Location(loc.path, loc.line, loc.column + offset, loc.line, loc.column + offset + length)


def _short_syntax(
    source: SourceFile,
    node: Node,
    key_path: tuple[str | int, ...],
    common: _Service,
    result: ScanResult,
) -> None:
    if not isinstance(node, ScalarNode):
        return
    text = str(node.value)
    anchor = _anchor(key_path)
    if _yaml.is_plain_int(node) and ":" in text:
        result.problems.append(
            Problem(
                "PL105",
                _yaml.location(source, node),
                f"unquoted port mapping {text} is a base-60 number ({_sexagesimal(text)}) "
                "in YAML 1.1",
                hint=f'quote it: "{text}"',
                anchor=anchor,
            )
        )
    try:
        spec = parse_port_spec(text)
    except PortSpecError as exc:
        result.problems.append(
            Problem(exc.code, _yaml.location(source, node), exc.message, exc.hint, anchor=anchor)
        )
        return
    if spec.host is not None and spec.host_offset is not None:
        # As written: "0123" is port 123 but four characters long.
        loc = _at(source, node, spec.host_offset, _span(text, spec.host_offset))
        result.bindings.append(
            common.binding(
                location=loc,
                role="host",
                port=spec.host,
                end_port=spec.host_end if spec.host_end != spec.host else None,
                protocol=spec.protocol,
                host_ip=spec.host_ip,
                target=spec.container,
                target_end=spec.container_end if spec.container_end != spec.container else None,
                text=text,
                key_path=key_path,
            )
        )
    else:
        loc = _at(source, node, spec.container_offset, _span(text, spec.container_offset))
        result.bindings.append(
            common.binding(
                location=loc,
                role="container",
                port=spec.container,
                end_port=spec.container_end if spec.container_end != spec.container else None,
                protocol=spec.protocol,
                host_ip=spec.host_ip,
                text=text,
                key_path=key_path,
            )
        )


def _long_syntax(
    source: SourceFile,
    node: MappingNode,
    key_path: tuple[str | int, ...],
    common: _Service,
    result: ScanResult,
) -> None:
    anchor = _anchor(key_path)
    target_node = _yaml.get(node, "target")
    target_text = _yaml.scalar(target_node)
    if target_node is None or target_text is None:
        result.problems.append(
            Problem(
                "PL102",
                _yaml.location(source, node),
                "port entry has no target (the container port)",
                anchor=anchor,
            )
        )
        return
    protocol = (_yaml.scalar(_yaml.get(node, "protocol")) or "tcp").lower()
    host_ip = _yaml.scalar(_yaml.get(node, "host_ip"))
    published_node = _yaml.get(node, "published")
    published = _yaml.scalar(published_node)
    pieces = [published, target_text] if published else [target_text]
    spec_text = ":".join(pieces) + "/" + protocol
    if host_ip:
        spec_text = f"[{host_ip}]:{spec_text}" if ":" in host_ip else f"{host_ip}:{spec_text}"
        if not published:
            spec_text = spec_text.replace(f"{host_ip}:", f"{host_ip}::", 1)
    try:
        spec = parse_port_spec(spec_text)
    except PortSpecError as exc:
        bad = (
            published_node
            if published_node is not None and exc.message.find("host") >= 0
            else target_node
        )
        result.problems.append(
            Problem(exc.code, _yaml.location(source, bad), exc.message, exc.hint, anchor=anchor)
        )
        return
    shown = published_node if spec.host is not None and published_node is not None else target_node
    result.bindings.append(
        common.binding(
            location=_yaml.location(source, shown),
            role="host" if spec.host is not None else "container",
            port=spec.host if spec.host is not None else spec.container,
            end_port=(spec.host_end if spec.host_end != spec.host else None)
            if spec.host is not None
            else (spec.container_end if spec.container_end != spec.container else None),
            protocol=spec.protocol,
            host_ip=spec.host_ip,
            target=spec.container if spec.host is not None else None,
            target_end=(spec.container_end if spec.container_end != spec.container else None)
            if spec.host is not None
            else None,
            text=published or target_text,
            key_path=key_path,
        )
    )


def _expose(
    source: SourceFile,
    node: Node,
    key_path: tuple[str | int, ...],
    common: _Service,
    result: ScanResult,
) -> None:
    text = _yaml.scalar(node)
    if text is None:
        return
    anchor = _anchor(key_path)
    body, _, proto = text.partition("/")
    try:
        if ":" in body:
            raise_text = f"expose takes container ports only, not a mapping: {text!r}"
            result.problems.append(
                Problem(
                    "PL102",
                    _yaml.location(source, node),
                    raise_text,
                    hint="move host mappings to `ports:`",
                    anchor=anchor,
                )
            )
            return
        start, end = parse_range(body.strip(), "exposed port", text)
        spec = parse_port_spec(f"{start}-{end}/{proto or 'tcp'}")
    except PortSpecError as exc:
        result.problems.append(
            Problem(exc.code, _yaml.location(source, node), exc.message, exc.hint, anchor=anchor)
        )
        return
    result.bindings.append(
        common.binding(
            location=_at(source, node, 0, len(body)),
            role="container",
            port=start,
            end_port=end if end != start else None,
            protocol=spec.protocol,
            text=text,
            key_path=key_path,
        )
    )


def _span(text: str, offset: int) -> int:
    """Length of the port number or range starting at ``offset``."""
    end = offset
    while end < len(text) and (text[end].isdigit() or text[end] == "-"):
        end += 1
    return max(end - offset, 1)


def _sexagesimal(text: str) -> int:
    value = 0
    for part in text.split(":"):
        value = value * 60 + int(part.replace("_", ""))
    return value


def _anchor(key_path: tuple[str | int, ...]) -> str:
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
