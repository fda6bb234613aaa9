"""Kubernetes manifests: container ports, host ports, Services, Ingresses, probes.

A document is a manifest when it is a mapping with scalar ``apiVersion`` and
``kind``. Multi-document files and ``kind: List`` (and ``*List``) are read
item by item. Pod templates are found in every workload kind:

====================================================  ==================================
kind                                                  pod spec
====================================================  ==================================
Pod                                                   ``spec``
PodTemplate                                           ``template.spec``
Deployment, StatefulSet, DaemonSet, ReplicaSet,       ``spec.template.spec``
ReplicationController, Job
CronJob                                               ``spec.jobTemplate.spec.template.spec``
====================================================  ==================================

and in each of ``containers``, ``initContainers`` and ``ephemeralContainers``.

Binding conventions
-------------------
Rules read only the typed fields documented on :class:`~portlint.bindings.PortBinding`;
this scanner sets ``k8s_object`` (``Kind/name``), ``container`` and
``container_group`` (workload containers), ``port_name`` (a port's own
``name:``), ``ref``/``ref_name`` (references) and ``namespace``: the pod's
(``Namespace("pod", "<folder>:" + project)``: a workload of one name in
another folder is another application) for containerPorts and env ports, the host's
for hostPorts (and ``hostNetwork``) and nodePorts, the Service's ClusterIP
(``"cluster-service"``) for Service ports, none for references.
Every binding has ``kind="kubernetes"``; the namespace is ``default`` when the
manifest names none.

- **owner**: ``namespace/Kind/name/container`` for workload containers
  (``default/Deployment/web/app``), ``namespace/Kind/name`` for Services and
  Ingresses (``shop/Service/web``).
- **project**: ``k8s:namespace/Kind/name`` (the pod, or the Service) for
  container, host, service and probe bindings; ``None`` for ``nodePort``
  (cluster-wide) and Ingress references.
- **identities**: container name, image, workload name; for Services, the
  Service name. ``image`` is the container image.
- ``containerPort`` -> role ``container``; a named port sets ``port_name``.
- ``hostPort`` (non-zero) -> role ``host``, ``host_ip`` from ``hostIP``,
  ``target`` = the containerPort, the same ``port_name``.
- Service ``port`` -> role ``service``; a numeric ``targetPort`` is
  ``target``; a named one is a separate reference binding (below); the
  port's own name is ``port_name``.
- Service ``nodePort`` (non-zero) -> role ``node``, ``target`` = the Service
  port, ``project=None``.
- References by number (Ingress backend ``port.number`` or ``servicePort``,
  probe ``httpGet``/``tcpSocket``/``grpc`` ``port``) -> role ``url`` (a
  reference, never a claim) with ``ref`` ``"ingress"`` or ``"probe"``.
- References by name (Service ``targetPort``, Ingress ``port.name`` or a
  string ``servicePort``, probe ``port``) -> ``port=None``, role
  ``container``, ``ref`` ``"targetPort"``, ``"ingress"`` or ``"probe"`` and
  ``ref_name`` the name; the location points at the name.
- Container ``env`` entries named like a port (``PORT``, ``*_PORT``) with a
  numeric value -> role ``listen``; any string value holding a URL with an
  explicit port -> role ``url`` (owner: the container it is in, else the
  object; ``project=None``).

Bad values are problems, not bindings: a port outside 1-65535 is PL101, a
non-numeric ``containerPort`` or an unknown ``protocol`` is PL102 (lower-case
``tcp`` is PL102 too, since the API server rejects it, but keeps its binding).
"""

from __future__ import annotations

import dataclasses
import posixpath
from dataclasses import dataclass
from typing import Any

from portlint.bindings import (
    HOST,
    MAX_PORT,
    UNKNOWN,
    Edit,
    Location,
    Namespace,
    PortBinding,
    Setting,
)
from portlint.findings import Fix, Problem
from portlint.scanners import _settings, _yaml, helm, keys, problems
from portlint.scanners._yaml import MappingNode, Node, ScalarNode, SequenceNode
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile

KeyPath = tuple[str | int, ...]

POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "PodTemplate": ("template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}
CONTAINER_GROUPS = ("containers", "initContainers", "ephemeralContainers")
PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
PROBE_HANDLERS = ("httpGet", "tcpSocket", "grpc")
PROTOCOLS = {"TCP": "tcp", "UDP": "udp", "SCTP": "sctp"}
MAX_LIST_DEPTH = 4  # a List of Lists of Lists is already generated junk


def looks_like_kubernetes(doc: Node) -> bool:
    return isinstance(doc, MappingNode) and all(
        isinstance(_yaml.get(doc, key), ScalarNode) for key in ("apiVersion", "kind")
    )


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    """Scan a file known to hold manifests (the YAML dispatcher usually decides)."""
    docs = _yaml.compose_documents(source)
    if isinstance(docs, Problem):
        return ScanResult(problems=[docs])
    result = ScanResult()
    for doc in docs:
        if looks_like_kubernetes(doc):
            result.extend(scan_document(source, doc, ctx))
    return result


def scan_document(source: SourceFile, doc: Node, ctx: ScanContext) -> ScanResult:
    result = ScanResult()
    _Object(source, result).scan(doc, (), 0)
    return result


def _path(node: Node | None, path: tuple[str, ...]) -> Node | None:
    for key in path:
        node = _yaml.get(node, key)
    return node


@dataclass(frozen=True, slots=True)
class _Owner:
    """What every binding of one container (or Service, or Ingress) shares."""

    owner: str
    project: str | None
    identities: tuple[str, ...]
    image: str | None
    k8s_object: str  # "Kind/name"
    namespace: Namespace  # where its own ports listen: the pod's, or the Service's ClusterIP
    container: str | None = None
    container_group: str | None = None
    settings: tuple[Setting, ...] = ()  # the container's command, args and env
    exposure: str | None = None  # a Service's type or externalIPs, a route's kind

    def binding(self, **fields: Any) -> PortBinding:
        role = fields["role"]
        if role in ("host", "node"):
            namespace: Namespace | None = HOST
        elif role == "url" or fields["port"] is None:
            namespace = None  # a reference listens nowhere
        else:
            namespace = self.namespace
        return PortBinding(
            kind="kubernetes",
            owner=self.owner,
            project=fields.pop("project", self.project),
            identities=self.identities,
            image=self.image,
            namespace=namespace,
            k8s_object=self.k8s_object,
            container=self.container,
            container_group=self.container_group,
            settings=self.settings,
            exposure=fields.pop("exposure", self.exposure),
            **fields,
        )


class _Object:
    """One pass over one manifest (and, for a List, its items)."""

    def __init__(self, source: SourceFile, result: ScanResult) -> None:
        self.source = source
        self.result = result
        self.containers: dict[KeyPath, str] = {}  # container key path -> owner

    # -- helpers --------------------------------------------------------------

    def loc(self, node: Node) -> Location:
        return _yaml.location(self.source, node)

    @property
    def folder(self) -> str:
        """The manifest's folder: what ``kubectl apply -f FOLDER`` applies together."""
        return posixpath.dirname(self.source.path) or "."

    def problem(self, code: str, node: Node, message: str, path: KeyPath, **kw: Any) -> None:
        self.result.problems.append(
            Problem(code, self.loc(node), message, anchor=_anchor(path), **kw)
        )

    def number(self, node: Node | None, what: str, path: KeyPath) -> int | str | None:
        """A port field's value: an int, a port name, or None (absent or reported)."""
        text = _yaml.scalar(node)
        if node is None or text is None:
            return None
        if _yaml.is_plain_int(node):
            value = helm.yaml_int(text)
        elif text.strip().isdigit():
            digits = text.strip()
            # int() refuses more than 4300 digits; any number that long is out of range
            value = int(digits) if len(digits.lstrip("0")) <= 6 else MAX_PORT + 1
        else:
            return text
        if value is None:
            self.problem("PL102", node, f"{what} {text!r} is not a port number", path)
            return None
        if not 0 <= value <= MAX_PORT:
            self.result.problems.append(
                problems.out_of_range(
                    self.loc(node),
                    f"{what} {value}",
                    port=value,
                    anchor=_anchor(path),
                )
            )
            return None
        return value

    def fixed_port(
        self, entry: Node, key: str, what: str, path: KeyPath
    ) -> tuple[Node, int] | None:
        """A field that must hold a real port number (``containerPort``, Service ``port``).

        Unlike ``targetPort`` these take no names, and 0 is not a port: each
        mistake is reported once and yields None.
        """
        node = _yaml.get(entry, key)
        if node is None:
            self.problem("PL102", entry, f"port entry has no {key}", path)
            return None
        value = self.number(node, what, (*path, key))
        if isinstance(value, str):
            self.problem(
                "PL102",
                node,
                f"{what} must be a number, not {value!r}",
                (*path, key),
                hint="name the port with `name:` and give the number here",
            )
            return None
        if value == 0:
            self.result.problems.append(
                problems.zero_is_not_a_port(self.loc(node), what, anchor=_anchor((*path, key)))
            )
            return None
        return None if value is None else (node, value)

    def optional_port(self, entry: Node, key: str, path: KeyPath) -> tuple[Node, int] | None:
        """``hostPort`` / ``nodePort``: absent or 0 means "none" (Kubernetes' own default)."""
        node = _yaml.get(entry, key)
        value = self.number(node, key, (*path, key))
        if node is None or value is None or value == 0:
            return None
        if isinstance(value, str):
            self.problem("PL102", node, f"{key} must be a number, not {value!r}", (*path, key))
            return None
        return node, value

    def protocol(self, entry: Node, path: KeyPath) -> str | None:
        node = _yaml.get(entry, "protocol")
        text = _yaml.scalar(node)
        if node is None or text is None:
            return "tcp"
        proto = PROTOCOLS.get(text.upper())
        if proto is None:
            self.problem(
                "PL102",
                node,
                f"unknown protocol {text!r}",
                (*path, "protocol"),
                hint="use TCP, UDP or SCTP",
            )
        elif text != text.upper():
            where = self.loc(node)
            # Safe: the API server accepts only the upper-case spelling, so the
            # manifest then means what its author wrote.
            fix = Fix(f"write {text.upper()}", (Edit(where, text.upper(), expect=text),))
            self.problem(
                "PL102",
                node,
                f"protocol {text!r} must be upper case",
                (*path, "protocol"),
                hint=f"write {text.upper()}",
                fix=fix,
            )
        return proto

    # -- objects --------------------------------------------------------------

    def scan(self, doc: Node, path: KeyPath, depth: int) -> None:
        kind = _yaml.scalar(_yaml.get(doc, "kind")) or ""
        items = _yaml.get(doc, "items")
        if kind.endswith("List") and isinstance(items, SequenceNode):
            if depth >= MAX_LIST_DEPTH:
                return
            for index, item in enumerate(items.value):
                if looks_like_kubernetes(item):
                    self.scan(item, (*path, "items", index), depth + 1)
            return
        meta = _yaml.get(doc, "metadata")
        name = _yaml.scalar(_yaml.get(meta, "name")) or "<unnamed>"
        namespace = _yaml.scalar(_yaml.get(meta, "namespace")) or "default"
        if kind in POD_SPEC_PATHS:
            spec_path = POD_SPEC_PATHS[kind]
            pod_spec = _path(doc, spec_path)
            self.pod(pod_spec, (*path, *spec_path), kind, name, namespace)
        elif kind == "Service":
            self.service(doc, path, name, namespace)
        elif kind == "Ingress":
            self.ingress(doc, path, name, namespace)
        elif kind == "HTTPRoute":
            self.http_route(doc, path, name, namespace)
        self.urls(doc, path, f"{namespace}/{kind}/{name}", f"{kind}/{name}")

    def pod(
        self,
        spec: Node | None,
        path: KeyPath,
        kind: str,
        name: str,
        namespace: str,
    ) -> None:
        project = f"k8s:{namespace}/{kind}/{name}"
        host_network = (_yaml.scalar(_yaml.get(spec, "hostNetwork")) or "").lower() == "true"
        for group in CONTAINER_GROUPS:
            containers = _yaml.get(spec, group)
            if not isinstance(containers, SequenceNode):
                continue
            for index, container in enumerate(containers.value):
                if not isinstance(container, MappingNode):
                    continue
                cname = _yaml.scalar(_yaml.get(container, "name")) or f"#{index}"
                image = _yaml.scalar(_yaml.get(container, "image"))
                owner = _Owner(
                    owner=f"{namespace}/{kind}/{name}/{cname}",
                    project=project,
                    identities=tuple(x for x in (cname, image, name) if x),
                    image=image,
                    k8s_object=f"{kind}/{name}",
                    namespace=Namespace("pod", f"{self.folder}:{project}"),
                    container=cname,
                    container_group=group,
                    settings=(
                        *_settings.args(self.source, _yaml.get(container, "command")),
                        *_settings.args(self.source, _yaml.get(container, "args")),
                        *_settings.k8s_env(self.source, _yaml.get(container, "env")),
                    ),
                )
                cpath = (*path, group, index)
                self.containers[cpath] = owner.owner
                self.container_ports(container, cpath, owner, host_network)
                self.probes(container, cpath, owner)
                self.env(container, cpath, owner)

    def container_ports(
        self, container: Node, path: KeyPath, owner: _Owner, host_network: bool = False
    ) -> None:
        """containerPort, and hostPort; with ``hostNetwork: true`` the pod shares the
        node's network namespace, so every containerPort is bound on the node too."""
        ports = _yaml.get(container, "ports")
        if not isinstance(ports, SequenceNode):
            return
        for index, entry in enumerate(ports.value):
            if not isinstance(entry, MappingNode):
                continue
            ppath = (*path, "ports", index)
            fixed = self.fixed_port(entry, "containerPort", "containerPort", ppath)
            protocol = self.protocol(entry, ppath) if fixed is not None else None
            if fixed is None or protocol is None:
                continue
            cp_node, container_port = fixed
            port_name = _yaml.scalar(_yaml.get(entry, "name"))
            self.result.bindings.append(
                owner.binding(
                    location=self.loc(cp_node),
                    role="container",
                    port=container_port,
                    protocol=protocol,
                    text=_yaml.scalar(cp_node) or "",
                    key_path=(*ppath, "containerPort"),
                    port_name=port_name or None,
                )
            )
            host = self.optional_port(entry, "hostPort", ppath)
            host_key: KeyPath = (*ppath, "hostPort")
            if host is None and host_network:
                host = (cp_node, container_port)
                host_key = (*ppath, "containerPort", "hostNetwork")
            if host is not None:
                hp_node, host_port = host
                self.result.bindings.append(
                    owner.binding(
                        location=self.loc(hp_node),
                        role="host",
                        port=host_port,
                        protocol=protocol,
                        host_ip=_yaml.scalar(_yaml.get(entry, "hostIP")) or None,
                        target=container_port,
                        text=_yaml.scalar(hp_node) or "",
                        key_path=host_key,
                        port_name=port_name or None,
                    )
                )

    def probes(self, container: Node, path: KeyPath, owner: _Owner) -> None:
        for probe in PROBES:
            probe_node = _yaml.get(container, probe)
            if probe_node is None:
                continue  # most containers lack most probes: skip their handlers' look-ups
            for handler in PROBE_HANDLERS:
                node = _path(probe_node, (handler, "port"))
                ppath = (*path, probe, handler, "port")
                value = self.number(node, f"{probe} port", ppath)
                if node is None or value is None or value == 0:
                    continue
                self.reference(node, value, ppath, owner, "probe")

    def reference(
        self,
        node: Node,
        value: int | str,
        path: KeyPath,
        owner: _Owner,
        ref: str,
    ) -> None:
        """A port named or numbered elsewhere: role ``url`` by number, port=None by name."""
        if isinstance(value, int):
            binding = owner.binding(
                location=self.loc(node),
                role="url",
                port=value,
                text=str(_yaml.scalar(node)),
                key_path=path,
                ref=ref,
            )
        else:
            binding = owner.binding(
                location=self.loc(node),
                role="container",
                port=None,
                text=value,
                key_path=path,
                ref=ref,
                ref_name=value,
            )
        self.result.bindings.append(binding)

    def env(self, container: Node, path: KeyPath, owner: _Owner) -> None:
        env = _yaml.get(container, "env")
        if not isinstance(env, SequenceNode):
            return
        for index, entry in enumerate(env.value):
            key = _yaml.scalar(_yaml.get(entry, "name"))
            value_node = _yaml.get(entry, "value")
            value = _yaml.scalar(value_node)
            if key is None or value is None or value_node is None:
                continue
            if keys.key_kind(key) != "port":
                continue
            number = keys.numeric(value)
            if number is None or number == 0:
                continue
            epath = (*path, "env", index, "value")
            if not 0 < number <= MAX_PORT:
                self.result.problems.append(
                    problems.out_of_range(
                        self.loc(value_node),
                        f"{key} {number}",
                        port=number,
                        anchor=_anchor(epath),
                    )
                )
                continue
            self.result.bindings.append(
                owner.binding(
                    location=self.loc(value_node),
                    role="listen",
                    port=number,
                    text=value,
                    key_path=epath,
                )
            )

    def service(
        self,
        doc: Node,
        path: KeyPath,
        name: str,
        namespace: str,
    ) -> None:
        spec = _yaml.get(doc, "spec")
        owner = _Owner(
            owner=f"{namespace}/Service/{name}",
            project=f"k8s:{namespace}/Service/{name}",
            identities=(name,),
            image=None,
            k8s_object=f"Service/{name}",
            namespace=Namespace("cluster-service", f"k8s:{namespace}/Service/{name}"),
            exposure=_service_exposure(spec),
        )
        ports = _yaml.get(spec, "ports")
        if not isinstance(ports, SequenceNode):
            return
        for index, entry in enumerate(ports.value):
            if not isinstance(entry, MappingNode):
                continue
            ppath = (*path, "spec", "ports", index)
            fixed = self.fixed_port(entry, "port", "Service port", ppath)
            protocol = self.protocol(entry, ppath) if fixed is not None else None
            if fixed is None or protocol is None:
                continue
            port_node, port = fixed
            port_name = _yaml.scalar(_yaml.get(entry, "name"))
            tp_node = _yaml.get(entry, "targetPort")
            target = self.number(tp_node, "targetPort", (*ppath, "targetPort"))
            self.result.bindings.append(
                owner.binding(
                    location=self.loc(port_node),
                    role="service",
                    port=port,
                    protocol=protocol,
                    target=target if isinstance(target, int) and target else None,
                    text=_yaml.scalar(port_node) or "",
                    key_path=(*ppath, "port"),
                    port_name=port_name or None,
                )
            )
            if isinstance(target, str) and tp_node is not None:
                self.reference(tp_node, target, (*ppath, "targetPort"), owner, "targetPort")
            node = self.optional_port(entry, "nodePort", ppath)
            if node is not None:
                np_node, node_port = node
                self.result.bindings.append(
                    owner.binding(
                        location=self.loc(np_node),
                        role="node",
                        port=node_port,
                        protocol=protocol,
                        target=port,
                        text=_yaml.scalar(np_node) or "",
                        key_path=(*ppath, "nodePort"),
                        project=None,
                        port_name=port_name or None,
                    )
                )

    def ingress(
        self,
        doc: Node,
        path: KeyPath,
        name: str,
        namespace: str,
    ) -> None:
        owner = _Owner(
            owner=f"{namespace}/Ingress/{name}",
            project=None,
            identities=(name,),
            image=None,
            k8s_object=f"Ingress/{name}",
            namespace=UNKNOWN,  # an Ingress listens on no port of its own: only references
        )
        spec = _yaml.get(doc, "spec")
        backends: list[tuple[Node, KeyPath]] = []
        for key in ("defaultBackend", "backend"):
            node = _yaml.get(spec, key)
            if node is not None:
                backends.append((node, (*path, "spec", key)))
        rules = _yaml.get(spec, "rules")
        for r_index, rule in enumerate(rules.value if isinstance(rules, SequenceNode) else []):
            paths = _path(rule, ("http", "paths"))
            for p_index, entry in enumerate(paths.value if isinstance(paths, SequenceNode) else []):
                node = _yaml.get(entry, "backend")
                if node is not None:
                    rpath = (*path, "spec", "rules", r_index, "http", "paths", p_index, "backend")
                    backends.append((node, rpath))
        for backend, bpath in backends:
            service = _yaml.get(backend, "service")
            if service is not None:  # networking.k8s.io/v1
                port = _yaml.get(service, "port")
                target = _yaml.scalar(_yaml.get(service, "name"))
                candidates = [
                    (_yaml.get(port, "number"), (*bpath, "service", "port", "number")),
                    (_yaml.get(port, "name"), (*bpath, "service", "port", "name")),
                ]
            else:  # extensions/v1beta1, networking.k8s.io/v1beta1
                target = _yaml.scalar(_yaml.get(backend, "serviceName"))
                candidates = [(_yaml.get(backend, "servicePort"), (*bpath, "servicePort"))]
            routed = dataclasses.replace(
                owner, identities=(name, target) if target else (name,), exposure="Ingress"
            )
            for node, npath in candidates:
                value = self.number(node, "Ingress backend port", npath)
                if node is None or value is None or value == 0:
                    continue
                self.reference(node, value, npath, routed, "ingress")

    def http_route(self, doc: Node, path: KeyPath, name: str, namespace: str) -> None:
        """Gateway API routes: each ``backendRefs`` port is a Service's, reached from outside."""
        owner = _Owner(
            owner=f"{namespace}/HTTPRoute/{name}",
            project=None,
            identities=(name,),
            image=None,
            k8s_object=f"HTTPRoute/{name}",
            namespace=UNKNOWN,
        )
        rules = _path(doc, ("spec", "rules"))
        for r_index, rule in enumerate(rules.value if isinstance(rules, SequenceNode) else []):
            refs = _yaml.get(rule, "backendRefs")
            for b_index, ref in enumerate(refs.value if isinstance(refs, SequenceNode) else []):
                kind = _yaml.scalar(_yaml.get(ref, "kind")) or "Service"
                target = _yaml.scalar(_yaml.get(ref, "name"))
                node = _yaml.get(ref, "port")
                if kind != "Service" or not target or node is None:
                    continue
                npath = (*path, "spec", "rules", r_index, "backendRefs", b_index, "port")
                value = self.number(node, "HTTPRoute backend port", npath)
                if not isinstance(value, int) or value == 0:
                    continue
                routed = dataclasses.replace(owner, identities=(name, target), exposure="HTTPRoute")
                self.reference(node, value, npath, routed, "httproute")

    def owner_of(self, path: KeyPath, default: str) -> str:
        """The container a key path lies in, else the object."""
        for cut in range(len(path), 0, -1):
            found = self.containers.get(path[:cut])
            if found is not None:
                return found
        return default

    def urls(self, doc: Node, path: KeyPath, owner: str, k8s_object: str) -> None:
        """URLs with explicit ports anywhere in the manifest (env values, annotations)."""
        if "://" not in self.source.text:  # most manifests: skip walking every scalar
            return
        ctx = keys.Context(self.source, "kubernetes", owner)
        for leaf in helm.leaves(doc):
            if not isinstance(leaf.value, str) or "://" not in leaf.value:
                continue
            leaf = keys.Leaf((*path, *leaf.key_path), leaf.value, leaf.start, leaf.end)
            for item in keys.urls(leaf, ctx, role="url"):
                if isinstance(item, Problem):
                    self.result.problems.append(item)
                else:
                    self.result.bindings.append(
                        PortBinding(
                            location=item.location,
                            kind="kubernetes",
                            owner=self.owner_of(leaf.key_path, owner),
                            role="url",
                            port=item.port,
                            text=item.text,
                            key_path=item.key_path,
                            host=item.host,
                            k8s_object=k8s_object,
                        )
                    )


def _service_exposure(spec: Node | None) -> str | None:
    """How a Service's ports reach beyond the cluster: its type, or ``externalIPs``."""
    kind = _yaml.scalar(_yaml.get(spec, "type")) or ""
    if kind in ("LoadBalancer", "NodePort"):
        return kind
    ips = _yaml.get(spec, "externalIPs")
    if isinstance(ips, SequenceNode) and ips.value:
        return "externalIPs"
    return None


def _anchor(key_path: KeyPath) -> str:
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
