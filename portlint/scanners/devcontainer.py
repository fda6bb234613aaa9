"""Dev container configs (``devcontainer.json``, ``.devcontainer.json``): JSONC.

The ports a dev container opens on the developer's machine:

- ``forwardPorts``: numbers (``3000``) and ``"service:port"`` strings
  (``"db:5432"``, forwarded from a compose service) -> role ``host``, the
  local port; the service is the binding's ``service``, owner and identity:
  ``"db:5432"`` is db's port, not the dev container's (a bare number is the
  dev container's own).
- ``appPort``: a number (published as ``N:N``, as the devcontainer CLI
  does), a Docker ``-p`` string (``"8000:8000"``, ``"127.0.0.1:8000:8000"``),
  or an array of those -> role ``host`` with ``target``; a string without a
  host side (``"3000"``) is role ``container``: no host port is invented.
- ``portsAttributes`` keys (``"3000"``, ``"40000-55000"``) configure how a
  port is forwarded without binding it -> role ``url`` (a reference).

Everything else in the file goes through the generic key rules. The owner is
the config's ``name`` (else its folder); the project is
``devcontainer:<folder>``, one developer machine per dev container.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from portlint.bindings import MAX_PORT, Namespace, PortBinding, Role, namespace_for_role
from portlint.findings import Problem
from portlint.scanners import _yaml, keys, problems
from portlint.scanners import json as jsonc
from portlint.scanners.base import ScanContext, ScanResult
from portlint.scanners.portspec import PortSpecError, parse_port_spec
from portlint.source import SourceFile

_FORWARD = re.compile(r"\A(?:(?P<service>[A-Za-z0-9_.-]+):)?(?P<port>[0-9]{1,6})\Z")
_RANGE = re.compile(r"\A(?P<port>[0-9]{1,5})(?:-(?P<end>[0-9]{1,5}))?\Z")
OWN_KEYS = ("forwardPorts", "appPort", "portsAttributes")


def _compose_identities(
    source: SourceFile, root: jsonc.JNode, ctx: ScanContext
) -> dict[str, tuple[tuple[str, ...], str | None]]:
    """Service name -> (identities, image): what ``dockerComposeFile`` says that service is.

    ``"db:5432"`` forwards the ``db`` service's port; the compose file tells
    that ``db`` runs ``postgres:16``, which is what lets PL201 see postgres on
    5432. The files are read through the engine's reader (so the cache tracks
    them); a missing or broken one leaves the service known by name only.
    """
    node = root.get("dockerComposeFile")
    if node is None or ctx.read is None:
        return {}
    items = node.items if node.items is not None else [node]
    folder = posixpath.dirname(source.path)
    found: dict[str, tuple[tuple[str, ...], str | None]] = {}
    for item in items:
        if not isinstance(item.scalar, str) or not item.scalar:
            continue
        path = posixpath.normpath(posixpath.join(folder, item.scalar))
        compose = ctx.read(path)
        docs = _yaml.compose_documents(compose) if compose is not None else None
        if not isinstance(docs, list) or not docs:
            continue
        services = _yaml.get(docs[0], "services")
        if not isinstance(services, _yaml.MappingNode):
            continue
        for name, _key, body in _yaml.items(services):
            names = [name]
            for key in ("container_name", "hostname", "image"):
                value = _yaml.scalar(_yaml.get(body, key))
                if value and "$" not in value and value not in names:
                    names.append(value)
            image = _yaml.scalar(_yaml.get(body, "image"))
            usable = image if image and "$" not in image else None
            found[name] = (tuple(names), usable)  # a later file overrides, as in Compose
    return found


class _File:
    def __init__(self, source: SourceFile, root: jsonc.JNode, ctx: ScanContext) -> None:
        self.source = source
        self.services = _compose_identities(source, root, ctx)
        name = root.get("name")
        image = root.get("image")
        self.image = image.scalar if image is not None and isinstance(image.scalar, str) else None
        self.owner = keys.default_owner_for(
            source.path, name.scalar if name is not None and isinstance(name.scalar, str) else None
        )
        self.project = "devcontainer:" + (posixpath.dirname(source.path) or ".")
        self.identities = tuple(x for x in (self.owner, self.image) if x)

    def binding(
        self,
        node: jsonc.JNode,
        offset: int,
        length: int,
        *,
        role: Role,
        port: int,
        key_path: tuple[str | int, ...],
        end_port: int | None = None,
        target: int | None = None,
        target_end: int | None = None,
        protocol: str = "tcp",
        host_ip: str | None = None,
        service: str | None = None,
    ) -> PortBinding:
        """``service`` names the compose service whose port a forward reaches; it owns the port."""
        start = node.start + offset
        identities, image = self.identities, self.image
        if service:
            identities, image = self.services.get(service, ((service,), None))
        return PortBinding(
            location=self.source.location(start, start + length),
            kind="devcontainer",
            owner=service or self.owner,
            role=role,
            port=port,
            end_port=end_port,
            protocol=protocol,
            host_ip=host_ip,
            target=target,
            target_end=target_end,
            text=self.source.text[node.start : node.end],
            key_path=key_path,
            project=self.project,
            identities=identities,
            image=image,
            namespace=Namespace("container", f"devcontainer:{self.source.path}")
            if role == "container"
            else namespace_for_role(role),
            editor_forward=key_path[:1] == ("forwardPorts",),
        )

    def out_of_range(
        self, node: jsonc.JNode, number: int, key_path: tuple[str | int, ...]
    ) -> Problem:
        return problems.out_of_range(
            self.source.location(node.start, node.end),
            f"port {number}",
            port=number,
            anchor=_anchor(key_path),
        )

    def forward_ports(self, node: jsonc.JNode) -> Iterator[PortBinding | Problem]:
        for index, item in enumerate(node.items or ()):
            path: tuple[str | int, ...] = ("forwardPorts", index)
            value = item.scalar
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                continue
            match = _FORWARD.match(str(value))
            if match is None:
                yield Problem(
                    "PL102",
                    self.source.location(item.start, item.end),
                    f'forwardPorts entry {value!r} is neither a port nor "service:port"',
                    hint='write 3000 or "db:5432"',
                    anchor=_anchor(path),
                )
                continue
            number = int(match.group("port"))
            if not 0 < number <= MAX_PORT:
                yield self.out_of_range(item, number, path)
                continue
            service = match.group("service")
            offset = match.start("port") if isinstance(value, str) else 0
            yield self.binding(
                item,
                offset,
                len(match.group("port")),
                role="host",
                port=number,
                key_path=path,
                service=service,
            )

    def app_port(self, node: jsonc.JNode) -> Iterator[PortBinding | Problem]:
        entries = list(enumerate(node.items)) if node.items is not None else [(None, node)]
        for index, item in entries:
            path: tuple[str | int, ...] = ("appPort",) if index is None else ("appPort", index)
            value = item.scalar
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                continue
            if isinstance(value, int):
                if not 0 < value <= MAX_PORT:
                    yield self.out_of_range(item, value, path)
                    continue
                yield self.binding(
                    item,
                    0,
                    item.end - item.start,
                    role="host",
                    port=value,
                    target=value,
                    key_path=path,
                )
                continue
            try:
                spec = parse_port_spec(value)
            except PortSpecError as exc:
                yield Problem(
                    exc.code,
                    self.source.location(item.start, item.end),
                    exc.message,
                    exc.hint,
                    anchor=_anchor(path),
                )
                continue
            ranged = spec.container_end != spec.container
            if spec.host is not None and spec.host_offset is not None:
                host_end = spec.host_end if spec.host_end != spec.host else None
                yield self.binding(
                    item,
                    spec.host_offset,
                    len(str(spec.host)),
                    role="host",
                    port=spec.host,
                    end_port=host_end,
                    target=spec.container,
                    target_end=spec.container_end if ranged else None,
                    protocol=spec.protocol,
                    host_ip=spec.host_ip,
                    key_path=path,
                )
            else:
                yield self.binding(
                    item,
                    spec.container_offset,
                    len(str(spec.container)),
                    role="container",
                    port=spec.container,
                    end_port=spec.container_end if ranged else None,
                    protocol=spec.protocol,
                    host_ip=spec.host_ip,
                    key_path=path,
                )

    def ports_attributes(self, node: jsonc.JNode) -> Iterator[PortBinding | Problem]:
        for member in node.members or ():
            match = _RANGE.match(member.key)
            if match is None:
                continue  # a regex or "service:port" pattern: nothing to check
            path: tuple[str | int, ...] = ("portsAttributes", member.key)
            key_node = jsonc.JNode(member.key_start, member.key_end, member.key)
            number = int(match.group("port"))
            end = int(match.group("end")) if match.group("end") else None
            if not 0 < max(number, end or 0) <= MAX_PORT:
                yield self.out_of_range(key_node, max(number, end or 0), path)
                continue
            yield self.binding(
                key_node,
                0,
                len(match.group("port")),
                role="url",
                port=number,
                end_port=end,
                key_path=path,
            )


def _anchor(key_path: tuple[str | int, ...]) -> str:
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    root = jsonc.parse(source)
    if isinstance(root, Problem):
        return ScanResult(problems=[root])
    result = ScanResult()
    if root.members is None:
        return result
    config = _File(source, root, ctx)
    for key, method in (
        ("forwardPorts", config.forward_ports),
        ("appPort", config.app_port),
        ("portsAttributes", config.ports_attributes),
    ):
        node = root.get(key)
        if node is None:
            continue
        for item in method(node):
            if isinstance(item, Problem):
                result.problems.append(item)
            else:
                result.bindings.append(item)
    kctx = keys.Context(source, "devcontainer", config.owner, config.identities)
    skip = frozenset((key,) for key in OWN_KEYS)
    bindings, problems = keys.scan_leaves(jsonc.leaves(root, skip), kctx)
    result.bindings.extend(bindings)
    result.problems.extend(problems)
    return result
