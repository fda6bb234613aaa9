"""Docker Compose files: every port a service publishes or exposes, as Compose reads it.

A binding's location points at the port as written: inside a short-syntax
string at the host port (or the container port when the host side is left to
the engine), at ``published``/``target`` in the long syntax, and at the
``${...}`` expression when the number came from a variable.

One project, several files. The default file names in one folder
(``compose.yaml``, ``compose.override.yaml``, ``docker-compose.prod.yml``, ...)
share one project key, so collision rules see base and overrides together. A
file recognised by content only is a project of its own. ``extends`` and
top-level ``include`` pull the other file's ports into the including
project; those bindings keep the location in the file that wrote them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from portlint.bindings import HOST, MAX_PORT, Edit, Location, Namespace, PortBinding, Role, Setting
from portlint.findings import Fix, Problem
from portlint.scanners import BY_NAME, _settings, _yaml, dotenv, problems
from portlint.scanners._yaml import MappingNode, Node, ScalarNode, SequenceNode
from portlint.scanners.base import ScanContext, ScanResult
from portlint.scanners.interpolate import (
    EnvValue,
    Interpolated,
    Unresolved,
    Variables,
    interpolate,
    resolve_text,
)
from portlint.scanners.portspec import (
    PortSpec,
    PortSpecError,
    parse_ip,
    parse_number,
    parse_port_spec,
    parse_protocol,
    parse_range,
)
from portlint.source import SourceFile

KeyPath = tuple[str | int, ...]
MAX_INCLUDE_DEPTH = 16  # deeper include chains are cycles through differently spelled paths
# What a project ships for people to copy to ``.env`` when it has none (in this order).
ENV_TEMPLATES = (".env.example", ".env.sample", ".env.dist", "env-example")


def scan(source: SourceFile, ctx: ScanContext) -> ScanResult:
    docs = _yaml.compose_documents(source)
    if isinstance(docs, Problem):
        return ScanResult(problems=[docs])
    if not docs:
        return ScanResult()
    return scan_document(source, docs[0], ctx)  # Compose reads the first document only


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
    """Default-named files in one folder form one project; any other file is its own."""
    if BY_NAME["compose"].matches(posixpath.basename(path)):
        return "compose:" + (posixpath.dirname(path) or ".")
    return "compose:" + path


def scan_document(source: SourceFile, doc: Node, ctx: ScanContext) -> ScanResult:
    loader = _Loader(ctx)
    result = ScanResult()
    folder = posixpath.dirname(source.path)
    here = _File(source, doc, loader.variables(folder, None), partial(loader.templates, folder))
    _scan_file(here, _listed_project(source.path, here.env), loader, result, (source.path,))
    return result


def _listed_project(path: str, env: Variables) -> str:
    """The project key, with ``COMPOSE_FILE`` of the folder's ``.env`` obeyed.

    ``COMPOSE_FILE=docker-compose.yml:docker-compose-tools.yml`` makes
    ``docker compose up`` in that folder read both files as one project, so
    both get the folder's key (the default-named files' project).
    """
    folder = posixpath.dirname(path)
    listed = env.get("COMPOSE_FILE")
    if listed is not None:
        separator = env.get("COMPOSE_PATH_SEPARATOR")
        parts = listed.value.split(separator.value if separator and separator.value else ":")
        if any(join(folder, part.strip()) == path for part in parts if part.strip()):
            return "compose:" + (folder or ".")
    return project_key(path)


# --- files, variables and the project -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _File:
    source: SourceFile
    doc: Node
    env: Variables
    # The folder's env template (``.env.example``...) when a ``.env`` is read instead:
    # where PL104's fix finds the value the project documents for a variable. Read
    # only when a variable is unset: beside a ``.env`` that is four more files to look for.
    templates: Callable[[], Variables] = dict

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.source.path)

    def service(self, name: str) -> MappingNode | None:
        body = _yaml.get(_yaml.get(self.doc, "services"), name)
        return body if isinstance(body, MappingNode) else None


@dataclass(slots=True)
class _Loader:
    """Reads referenced files once per scan, through the engine's safe reader."""

    ctx: ScanContext
    docs: dict[str, tuple[SourceFile, Node] | None] = field(default_factory=dict)
    envs: dict[tuple[str, tuple[str, ...] | None], Variables] = field(default_factory=dict)
    # The folder's env files are looked for twice (``variables`` then ``templates``),
    # most of them absent, and each look resolves links: once per path is enough.
    reads: dict[str, SourceFile | None] = field(default_factory=dict)
    template_values: dict[str, Variables] = field(default_factory=dict)  # by folder

    def read(self, path: str) -> SourceFile | None:
        if path not in self.reads:
            self.reads[path] = self.ctx.read(path) if self.ctx.read is not None else None
        return self.reads[path]

    def document(self, path: str) -> tuple[SourceFile, Node] | None:
        if path not in self.docs:
            source = self.read(path)
            docs = _yaml.compose_documents(source) if source is not None else None
            self.docs[path] = (
                (source, docs[0])
                if source is not None and isinstance(docs, list) and docs
                else None
            )
        return self.docs[path]

    def variables(self, folder: str, env_files: tuple[str, ...] | None) -> Variables:
        """What ``${VAR}`` sees: env files, then (with --use-environment) the environment.

        As in Compose, explicit env files replace the ``.env`` beside the file,
        and the process environment wins over both. A folder with no ``.env``
        but a template (``.env.example``...) is read from the template: copying
        it is the documented setup, and each value's origin points into it.
        """
        key = (folder, env_files)
        if key not in self.envs:
            values: dict[str, EnvValue] = {}
            for source in self._env_sources(folder, env_files):
                values.update(dotenv.parse(source, self.ctx.environ).variables())
            values.update({k: EnvValue(v) for k, v in self.ctx.environ.items()})
            self.envs[key] = values
        return self.envs[key]

    def templates(self, folder: str) -> Variables:
        """The values of the folder's env template, the first of :data:`ENV_TEMPLATES`."""
        if folder not in self.template_values:
            found: Variables = {}
            for name in ENV_TEMPLATES:
                source = self.read(join(folder, name))
                if source is not None:
                    found = dotenv.parse(source, {}).variables()
                    break
            self.template_values[folder] = found
        return self.template_values[folder]

    def _env_sources(self, folder: str, env_files: tuple[str, ...] | None) -> list[SourceFile]:
        explicit = env_files or self.ctx.env_files
        if explicit:
            return [s for path in explicit if (s := self.read(path)) is not None]
        for name in (".env", *ENV_TEMPLATES):  # the first that exists, through the safe reader
            source = self.read(join(folder, name))
            if source is not None:
                return [source]
        return []


def join(folder: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(folder, path)) if folder else posixpath.normpath(path)


def _scan_file(
    file: _File, project: str, loader: _Loader, result: ScanResult, stack: tuple[str, ...]
) -> None:
    _includes(file, project, loader, result, stack)
    services = _yaml.get(file.doc, "services")
    host_os = _host_os(services)
    shared = _file_facts(file)
    for name, _key, body in _yaml.items(services) if services is not None else ():
        if not isinstance(body, MappingNode):
            continue
        chain = _extends_chain(file, name, body, loader)
        service = _service(name, project, chain, shared, loader.ctx.env_files, host_os)
        for owner_file, owner_name, owner_body in chain:
            _service_ports(owner_file, owner_name, owner_body, service, result)


def _includes(
    file: _File, project: str, loader: _Loader, result: ScanResult, stack: tuple[str, ...]
) -> None:
    """Top-level ``include``: the other project's services join this one."""
    include = _yaml.get(file.doc, "include")
    if not isinstance(include, SequenceNode) or len(stack) > MAX_INCLUDE_DEPTH:
        return
    for entry in include.value:
        env_files: tuple[str, ...] | None = None
        project_directory: str | None = None
        if isinstance(entry, MappingNode):
            paths = _strings(file, _yaml.get(entry, "path"))
            env_files = tuple(
                join(file.folder, p) for p in _strings(file, _yaml.get(entry, "env_file"))
            )
            directory = _strings(file, _yaml.get(entry, "project_directory"))
            project_directory = join(file.folder, directory[0]) if directory else None
        else:
            paths = _strings(file, entry)
        for path in paths:
            target = join(file.folder, path)
            if target in stack:
                continue  # an include cycle: Compose refuses it; we stop following it
            loaded = loader.document(target)
            if loaded is None:
                continue
            source, doc = loaded
            if source.path not in result.included:
                result.included += (source.path,)
            own = loader.variables(
                project_directory or posixpath.dirname(target), env_files or None
            )
            # As Compose merges them: the include's env files give defaults, and a
            # variable the including project already has (its .env) keeps its value.
            env = {**own, **file.env}
            _scan_file(_File(source, doc, env), project, loader, result, (*stack, target))


def _strings(file: _File, node: Node | None) -> list[str]:
    """A string or a list of strings, interpolated."""
    nodes = node.value if isinstance(node, SequenceNode) else [node]
    out = []
    for item in nodes:
        text = _yaml.scalar(item)
        if text:
            out.append(resolve_text(text, file.env))
    return out


Chain = list[tuple[_File, str, MappingNode]]


def _extends_chain(file: _File, name: str, body: MappingNode, loader: _Loader) -> Chain:
    """The service and every service it extends, nearest first (cycles cut)."""
    chain: Chain = [(file, name, body)]
    seen = {(file.source.path, name)}
    current, current_body = file, body
    while True:
        extends = _yaml.get(current_body, "extends")
        if extends is None:
            return chain
        base_file = current
        if isinstance(extends, MappingNode):
            base_name = _interpolated_scalar(current, _yaml.get(extends, "service"))
            other = _interpolated_scalar(current, _yaml.get(extends, "file"))
            if other:
                loaded = loader.document(join(current.folder, other))
                if loaded is None:
                    return chain
                base_file = _File(loaded[0], loaded[1], current.env)
        else:
            base_name = _interpolated_scalar(current, extends)
        if not base_name or (base_file.source.path, base_name) in seen:
            return chain
        base_body = base_file.service(base_name)
        if base_body is None:
            return chain
        seen.add((base_file.source.path, base_name))
        chain.append((base_file, base_name, base_body))
        current, current_body = base_file, base_body


def _interpolated_scalar(file: _File, node: Node | None) -> str | None:
    text = _yaml.scalar(node)
    return resolve_text(text, file.env) if text is not None else None


# --- services -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Service:
    """What every binding of one service shares."""

    name: str
    project: str
    identities: tuple[str, ...]
    image: str | None
    profiles: tuple[str, ...]
    host_network: bool
    shared_network: str | None = None  # "service:x" / "container:x": PL403 needs it
    env_files: tuple[str, ...] = ()  # paths as the engine sees them: PL402 needs them
    together: tuple[tuple[str, str], ...] = ()  # evidence of other projects: see _together_facts
    host_os: str | None = None  # "linux" when the file mounts folders only Linux hosts have
    settings: tuple[Setting, ...] = ()  # command, entrypoint and environment: see _settings
    # Derived once per service rather than per binding (see __post_init__).
    inner: Namespace = field(init=False)  # the container namespace its ports listen in
    folder: str | None = field(init=False)  # project_dir(project)

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "inner", Namespace("container", f"{self.project}/{self.namespace_owner}"))
        put(self, "folder", project_dir(self.project))

    def binding(
        self,
        location: Location,
        role: Role,
        port: int | None,
        *,
        text: str,
        key_path: KeyPath,
        end_port: int | None = None,
        protocol: str = "tcp",
        host_ip: str | None = None,
        target: int | None = None,
        target_end: int | None = None,
        origin: Location | None = None,
        port_name: str | None = None,
        loopback: Edit | None = None,
    ) -> PortBinding:
        if self.host_network and role == "container":
            role = "host"  # network_mode: host - the container's ports are the host's
        inner = self.inner
        return PortBinding(
            location=location,
            kind="compose",
            owner=self.name,
            role=role,
            port=port,
            end_port=end_port if end_port != port else None,
            protocol=protocol,
            host_ip=host_ip,
            target=target,
            target_end=target_end if target_end != target else None,
            text=text,
            key_path=key_path,
            profiles=self.profiles,
            project=self.project,
            identities=self.identities,
            image=self.image,
            origin=origin,
            namespace=HOST if role == "host" else inner,
            target_namespace=inner if role == "host" and target is not None else None,
            service=self.name,
            project_dir=self.folder,
            env_files=self.env_files,
            port_name=port_name,
            together=self.together,
            host_os=self.host_os,
            settings=self.settings,
            loopback=loopback if role == "host" and not self.host_network else None,
        )

    @property
    def namespace_owner(self) -> str:
        """The service whose container namespace this one listens in (``service:x`` joins x's)."""
        kind, _, target = (self.shared_network or "").partition(":")
        return target if kind in ("service", "container") and target else self.name


def project_dir(project: str) -> str | None:
    """The folder of a compose project key (``compose:api`` or ``compose:api/stack.yml``)."""
    kind, _, rest = project.partition(":")
    if kind != "compose" or not rest:
        return None
    return posixpath.dirname(rest) if rest.endswith((".yml", ".yaml")) else rest


def _service(
    name: str,
    project: str,
    chain: Chain,
    shared: _FileFacts,
    project_env_files: tuple[str, ...] = (),
    host_os: str | None = None,
) -> _Service:
    """Facts a service inherits along its ``extends`` chain (nearest definition wins).

    ``project_env_files`` are the ``--env-file`` files its project's variables come
    from: the project reads them as it reads its ``.env``, so a port there is its own
    (the rules learn which files a project reads from ``env_files``).
    """

    def first(key: str) -> str | None:
        for file, _name, body in chain:
            value = _interpolated_scalar(file, _yaml.get(body, key))
            if value:
                return value
        return None

    profiles: tuple[str, ...] = ()
    for file, _name, body in chain:
        node = _yaml.get(body, "profiles")
        if node is not None:
            profiles = tuple(_strings(file, node))
            break
    env_files: tuple[str, ...] = ()
    for file, _name, body in chain:
        node = _yaml.get(body, "env_file")
        if node is not None:
            env_files = tuple(join(file.folder, p) for p in _env_file_paths(file, node))
            break
    image = first("image")
    identities = [name]
    for value in (first("container_name"), first("hostname"), image):
        if value and value not in identities:
            identities.append(value)
    return _Service(
        name=name,
        project=project,
        identities=tuple(identities),
        image=image,
        profiles=profiles,
        host_network=first("network_mode") == "host",
        shared_network=mode
        if (mode := first("network_mode") or "").startswith(("service:", "container:"))
        else None,
        env_files=(*env_files, *(p for p in project_env_files if p not in env_files)),
        together=_together_facts(chain, name, shared),
        host_os=host_os,
        settings=_service_settings(chain),
    )


def _service_settings(chain: Chain) -> tuple[Setting, ...]:
    """``entrypoint`` and ``command`` (nearest definition of each wins) and ``environment``
    (merged along ``extends``, the nearest value of a key winning), as written there."""
    out: list[Setting] = []
    for key in ("entrypoint", "command"):
        for file, _name, body in chain:
            node = _yaml.get(body, key)
            if node is not None:
                out.extend(_settings.args(file.source, node, _resolver(file)))
                break
    seen: set[str] = set()
    for file, _name, body in chain:
        found = _settings.compose_environment(
            file.source, _yaml.get(body, "environment"), _resolver(file)
        )
        for setting in found:
            key = setting.text.partition("=")[0]
            if key not in seen:
                seen.add(key)
                out.append(setting)
    return tuple(out)


def _resolver(file: _File) -> _settings.Resolve:
    def resolve(text: str) -> str:
        return resolve_text(text, file.env)

    return resolve


# Where a host folder lives decides where the project can run. Docker Desktop on
# macOS shares only /Users, /Volumes, /private, /tmp and /var/folders with its
# VM by default (https://docs.docker.com/desktop/settings-and-maintenance/settings/#file-sharing);
# a bind mount of /mnt/data fails there with "mounts denied". Folders that
# macOS does not have at all are proof of a Linux host; /etc, /var and /opt
# exist on both, so they prove nothing.
LINUX_ONLY_ROOTS = ("/mnt/", "/srv/", "/media/", "/home/")


def _host_os(services: Node | None) -> str | None:
    """``"linux"`` when a service of the file bind-mounts a folder macOS does not have.

    Sources are read as written, uninterpolated: ``${DATA:-/mnt/data}`` names
    its default after the ``:-``, and a variable without one proves nothing.
    """
    if not isinstance(services, MappingNode):
        return None
    for _name, _key, body in _yaml.items(services):
        if not isinstance(body, MappingNode):
            continue
        volumes = _yaml.get(body, "volumes")
        if not isinstance(volumes, SequenceNode):
            continue
        for item in volumes.value:
            node = _yaml.get(item, "source") if isinstance(item, MappingNode) else item
            source = _yaml.scalar(node) or ""
            if source.startswith("${") and ":-" in source:
                source = source.split(":-", 1)[1]
            if source.startswith(LINUX_ONLY_ROOTS):
                return "linux"
    return None


MAX_REFERENCES = 16  # names one service is read to mention: evidence, not an inventory


@dataclass(frozen=True, slots=True)
class _FileFacts:
    """What :func:`_together_facts` takes from the file, not the service: read once per file."""

    networks: tuple[tuple[str, str], ...]  # ("external_network", name) of each external network
    own: frozenset[str]  # the file's own service names


def _file_facts(file: _File) -> _FileFacts:
    facts: list[tuple[str, str]] = []
    networks = _yaml.get(file.doc, "networks")
    for key, _k, net in _yaml.items(networks) if isinstance(networks, MappingNode) else ():
        if not isinstance(net, MappingNode):
            continue
        external = _yaml.get(net, "external")
        named = _interpolated_scalar(file, _yaml.get(net, "name"))
        if isinstance(external, MappingNode):  # the old ``external: {name: x}`` form
            named = _interpolated_scalar(file, _yaml.get(external, "name")) or named
        elif _yaml.scalar(external) not in ("true", "True", "yes"):
            continue
        facts.append(("external_network", named or key))
    services = _yaml.get(file.doc, "services")
    own = (
        frozenset(n for n, _k, _b in _yaml.items(services)) if services is not None else frozenset()
    )
    return _FileFacts(tuple(facts), own)


def _together_facts(chain: Chain, name: str, shared: _FileFacts) -> tuple[tuple[str, str], ...]:
    """What links this service's project to another one that runs at the same time.

    PL402 reports a port shared by two projects only when they are known to run
    together; a project shows it by joining an ``external`` network another one
    joins, or by naming another project's ``container_name`` (``external_links``,
    a URL or ``*_HOST`` value in ``environment``). Names of the file's own
    services are its own business and are left out.
    """
    file, _name, body = chain[0]
    facts = list(shared.networks)
    own = shared.own
    container = next(
        (v for f, _n, b in chain if (v := _interpolated_scalar(f, _yaml.get(b, "container_name")))),
        None,
    )
    if container:
        facts.append(("container_name", container))
    refers: list[str] = []
    for entry in _strings(file, _yaml.get(body, "external_links")):
        refers.append(entry.partition(":")[0])
    environment = _yaml.get(body, "environment")
    values: list[tuple[str, str]] = []
    if isinstance(environment, MappingNode):
        values = [
            (k, _interpolated_scalar(file, v) or "") for k, _kn, v in _yaml.items(environment)
        ]
    elif isinstance(environment, SequenceNode):
        values = [(k, v) for k, _eq, v in (t.partition("=") for t in _strings(file, environment))]
    for key, value in values:
        host = _referenced_host(str(key), value)
        if host:
            refers.append(host)
    others = [h for h in dict.fromkeys(refers) if h and h not in own and h != name]
    facts.extend(("refers", host) for host in others[:MAX_REFERENCES])
    return tuple(facts)


def _referenced_host(key: str, value: str) -> str | None:
    """The host a ``URL`` value or a ``*_HOST`` value names (``http://cache:6379`` -> cache)."""
    value = value.strip()
    if "://" in value:
        rest = value.split("://", 1)[1].rpartition("@")[2]
        host = rest.split("/", 1)[0].split("?", 1)[0]
        return host.rsplit(":", 1)[0] if host.count(":") == 1 else host or None
    if (
        key.upper().endswith(("_HOST", "_HOSTNAME", "_SERVER"))
        and value.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        return value
    return None


def _env_file_paths(file: _File, node: Node) -> list[str]:
    """``env_file: .env``, ``[a.env, b.env]`` or ``[{path: a.env, required: false}]``."""
    items = node.value if isinstance(node, SequenceNode) else [node]
    out: list[str] = []
    for item in items:
        if isinstance(item, MappingNode):
            item = _yaml.get(item, "path")
        out.extend(_strings(file, item))
    return out


def _service_ports(
    file: _File, name: str, body: MappingNode, service: _Service, result: ScanResult
) -> None:
    ports = _listed(file, body, name, "ports", result)
    for index, entry in ports:
        key_path: KeyPath = ("services", name, "ports", index)
        if isinstance(entry, MappingNode):
            _long_syntax(file, entry, key_path, service, result)
        else:
            _short_syntax(file, entry, key_path, service, result)
    for index, entry in _listed(file, body, name, "expose", result):
        _expose(file, entry, ("services", name, "expose", index), service, result)


def _listed(
    file: _File, body: MappingNode, name: str, key: str, result: ScanResult
) -> list[tuple[int, Node]]:
    """The entries of ``ports:`` or ``expose:`` by index, reporting shapes Compose refuses.

    Compose wants a list; a bare string or a mapping there, or an empty entry
    in the list, makes ``docker compose`` stop, so each is a PL102 rather
    than silence that would make the file look clean.
    """
    node = _yaml.get(body, key)
    if node is None or (isinstance(node, ScalarNode) and _yaml.scalar(node) is None):
        return []
    anchor = _anchor(("services", name, key))
    if not isinstance(node, SequenceNode):
        result.problems.append(
            Problem(
                "PL102",
                _yaml.location(file.source, node),
                f"`{key}` of service {name!r} must be a list",
                hint=f'write it as a list: `{key}: ["8080:80"]`',
                anchor=anchor,
            )
        )
        return []
    entries: list[tuple[int, Node]] = []
    for index, entry in enumerate(node.value):
        if isinstance(entry, ScalarNode) and _yaml.scalar(entry) is None:
            result.problems.append(
                Problem(
                    "PL102",
                    _yaml.location(file.source, entry),
                    f"empty entry in `{key}` of service {name!r}",
                    hint="remove the empty list item",
                    anchor=f"{anchor}[{index}]",
                )
            )
            continue
        entries.append((index, entry))
    return entries


# --- locations and interpolation ----------------------------------------------------------


def _at(source: SourceFile, node: Node, start: int, end: int) -> Location:
    """Characters ``[start, end)`` of a scalar's value, when the file spells it verbatim.

    A value that spans lines or holds escapes cannot be mapped character by
    character; the whole scalar is the honest answer then.
    """
    loc = _yaml.location(source, node)
    if loc.end_line != loc.line or loc.end_column is None or not isinstance(node, ScalarNode):
        return loc
    first = source.offset(loc.line, loc.column)
    written = source.text[first : source.offset(loc.line, loc.end_column)]
    if written != node.value:
        return loc
    return Location(loc.path, loc.line, loc.column + start, loc.line, loc.column + end)


@dataclass(frozen=True, slots=True)
class _Value:
    """A scalar after interpolation, with a way back to where its parts were written."""

    file: _File
    node: Node
    raw: str
    resolved: Interpolated

    @property
    def text(self) -> str:
        return self.resolved.text

    def location(self, start: int, end: int) -> Location:
        lo, hi = self.resolved.span(start, end)
        return _at(self.file.source, self.node, lo, hi)

    def whole(self) -> Location:
        return _yaml.location(self.file.source, self.node)

    def origin(self, start: int, end: int) -> Location | None:
        return self.resolved.origin(start, end)

    def external(self, start: int = 0, end: int | None = None) -> list[tuple[str, str]]:
        """(variable, file) of values in resolved ``[start, end)`` written in another file."""
        stop = len(self.text) if end is None else end
        path = self.file.source.path
        return [found for found in self.resolved.external(start, stop) if found[1] != path]

    @property
    def shown(self) -> str:
        """The text a message may quote: as resolved, unless part of it came from elsewhere.

        A value from an env file or the environment may be a secret (a
        ``GH_TOKEN`` where a port should be); the entry as written is not.
        """
        return self.raw if self.external() else self.text


def _value(
    file: _File, node: Node | None, anchor: str, result: ScanResult
) -> tuple[_Value | None, bool]:
    """Interpolate a scalar; report invalid templates and unset variables.

    Returns (value, ok): ok is False when a variable stayed unresolved or the
    template is invalid, so the caller does not pile a parse error on top.
    """
    raw = _yaml.scalar(node)
    if node is None or raw is None:
        return None, True
    resolved = interpolate(raw, file.env)
    value = _Value(file, node, raw, resolved)
    if resolved.error is not None:
        offset, message = resolved.error
        result.problems.append(
            Problem(
                "PL102",
                _at(file.source, node, offset, len(raw)),
                message,
                hint="write $$ for a literal dollar sign",
                anchor=anchor,
            )
        )
        return value, False
    for unset in resolved.unresolved:
        result.problems.append(
            Problem(
                "PL104",
                _at(file.source, node, unset.start, unset.end),
                f"{unset.message}: port {raw!r} does not resolve",
                hint=(
                    f"define {unset.name} in .env or give a default, "
                    f"e.g. ${{{unset.name}:-8080}} with a port of yours"
                ),
                anchor=anchor,
                fix=_template_default(file, node, raw, unset),
            )
        )
    return value, not resolved.unresolved


def _template_default(file: _File, node: Node, raw: str, unset: Unresolved) -> Fix | None:
    """PL104: ``${VAR}`` becomes ``${VAR:-N}`` with the port the env template gives.

    Only a bare reference (``${VAR}`` or ``$VAR``) gets a default, and only a
    port number: the template documents the value the project expects.
    """
    name = unset.name
    if raw[unset.start : unset.end] not in (f"${{{name}}}", f"${name}"):
        return None
    found = file.templates().get(name)
    if found is None or not isinstance(node, ScalarNode):
        return None
    value = found.value.strip()
    if not (value.isdigit() and len(value) <= 5) or not 0 < int(value) <= MAX_PORT:
        return None
    edit = _verbatim_edit(file.source, node, unset.start, unset.end, f"${{{name}:-{value}}}")
    if edit is None:
        return None
    where = found.location.path if found.location is not None else "the env template"
    return Fix(f"default {name} to {value}, as {where} does", (edit,), "unsafe")


def _anchor(key_path: KeyPath) -> str:
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem(
    result: ScanResult, exc: PortSpecError, where: Location, anchor: str, value: _Value
) -> None:
    """Report a spec Compose would refuse, without quoting a value from another file.

    When the text in error holds such a value, the message names the variable
    and where it is defined instead: "the value of GH_TOKEN from .env is not
    a port". The rest of the entry is quoted as written (see ``_Value.shown``).
    """
    message, hint = exc.message, exc.hint
    span = exc.span if exc.span is not None else (0, len(value.text))
    external = value.external(*span)
    if external:
        name, source = external[0]
        if exc.code == "PL101":
            verdict = f"is out of range {problems.PORT_RANGE}"
        elif exc.code == "PL103":
            verdict = "makes host and container ranges of different lengths"
        else:
            verdict = f"is not {'an' if exc.kind[0] in 'AEIOU' else 'a'} {exc.kind}"
        message = f"the value of {name} from {source} {verdict}"
        hint = f"check {name} in {source}; its value is not shown"
    result.problems.append(Problem(exc.code, where, message, hint, anchor=anchor))


# --- the three places ports are written ---------------------------------------------------


def _short_syntax(
    file: _File, node: Node, key_path: KeyPath, service: _Service, result: ScanResult
) -> None:
    anchor = _anchor(key_path)
    if not isinstance(node, ScalarNode):
        result.problems.append(
            Problem(
                "PL102",
                _yaml.location(file.source, node),
                "port entry must be a string, a number or a mapping",
                anchor=anchor,
            )
        )
        return
    _check_base60(file, node, anchor, result)
    value, ok = _value(file, node, anchor, result)
    if value is None:
        return
    text = value.text
    try:
        spec = parse_port_spec(text, value.shown)
    except PortSpecError as exc:
        if ok:
            where = value.location(*exc.span) if exc.span else value.whole()
            _problem(result, exc, where, anchor, value)
        return
    if spec.host is not None and spec.host_offset is not None:
        start, end = spec.host_offset, spec.host_offset + _span(text, spec.host_offset)
        if service.host_network:
            start = spec.container_offset
            end = start + _span(text, start)
        result.bindings.append(
            service.binding(
                value.location(start, end),
                "container" if service.host_network else "host",
                spec.container if service.host_network else spec.host,
                end_port=spec.container_end if service.host_network else spec.host_end,
                protocol=spec.protocol,
                host_ip=None if service.host_network else spec.host_ip,
                target=None if service.host_network else spec.container,
                target_end=None if service.host_network else spec.container_end,
                text=value.raw,
                key_path=key_path,
                origin=value.origin(start, end),
                loopback=_short_loopback(file, node, value, spec),
            )
        )
        return
    start = spec.container_offset
    end = start + _span(text, start)
    result.bindings.append(
        service.binding(
            value.location(start, end),
            "container",
            spec.container,
            end_port=spec.container_end,
            protocol=spec.protocol,
            host_ip=None if service.host_network else spec.host_ip,
            text=value.raw,
            key_path=key_path,
            origin=value.origin(start, end),
        )
    )


def _check_base60(file: _File, node: ScalarNode, anchor: str, result: ScanResult) -> None:
    text = str(node.value)
    if _yaml.is_plain_int(node) and ":" in text:
        where = _yaml.location(file.source, node)
        result.problems.append(
            Problem(
                "PL105",
                where,
                f"unquoted port mapping {text} is a base-60 number ({_sexagesimal(text)}) "
                "in YAML 1.1",
                hint=f'quote it: "{text}"',
                anchor=anchor,
                # Safe: quoted, the entry reads as the string Compose already sees.
                fix=Fix("quote the entry", (Edit(where, f'"{text}"', expect=text),)),
            )
        )


def _long_syntax(
    file: _File, node: MappingNode, key_path: KeyPath, service: _Service, result: ScanResult
) -> None:
    anchor = _anchor(key_path)
    target_node = _yaml.get(node, "target")
    target, ok = _value(file, target_node, anchor, result)
    if target is None or not ok:
        if target is None:
            result.problems.append(
                Problem(
                    "PL102",
                    _yaml.location(file.source, node),
                    "port entry has no target (the container port)",
                    hint="add `target: <container port>`",
                    anchor=anchor,
                )
            )
        return
    published, ok = _value(file, _yaml.get(node, "published"), anchor, result)
    if not ok:
        published = None  # unset variable: Compose picks a random host port
    host_ip, ok_ip = _value(file, _yaml.get(node, "host_ip"), anchor, result)
    protocol, ok_proto = _value(file, _yaml.get(node, "protocol"), anchor, result)
    if not (ok_ip and ok_proto):
        return
    try:
        container = parse_number(target.text.strip(), "container port", target.shown)
    except PortSpecError as exc:
        _problem(result, exc, target.whole(), anchor, target)
        return
    host: tuple[int, int] | None = None
    ip: str | None = None
    proto = "tcp"
    current = target
    try:
        if published is not None and published.text.strip():
            current = published
            host = parse_range(published.text.strip(), "host port", published.shown)
        if host_ip is not None and host_ip.text.strip():
            current = host_ip
            ip = parse_ip(host_ip.text.strip(), host_ip.shown)
        if protocol is not None and protocol.text.strip():
            current = protocol
            proto = parse_protocol(protocol.text.strip(), protocol.shown)
    except PortSpecError as exc:
        _problem(result, exc, current.whole(), anchor, current)
        return
    name = _interpolated_scalar(file, _yaml.get(node, "name")) or None
    if host is not None and published is not None and not service.host_network:
        shown = published
        role: Role = "host"
        port, end_port = host
    else:
        shown = target
        role, port, end_port = "container", container, container
    result.bindings.append(
        service.binding(
            shown.location(0, len(shown.text)),
            role,
            port,
            end_port=end_port,
            protocol=proto,
            host_ip=None if service.host_network else ip,
            target=container if role == "host" else None,
            text=shown.raw,
            key_path=key_path,
            origin=shown.origin(0, len(shown.text)),
            port_name=name,
            loopback=_long_loopback(file, node) if role == "host" else None,
        )
    )


# --- where 127.0.0.1 goes (PL501/PL502's fix) ---------------------------------------------

LOOPBACK = "127.0.0.1"


def _verbatim_edit(
    source: SourceFile, node: ScalarNode, lo: int, hi: int, replacement: str
) -> Edit | None:
    """An edit of characters ``[lo, hi)`` of a scalar the file spells verbatim on one line."""
    loc = _yaml.location(source, node)
    if loc.end_line != loc.line or loc.end_column is None:
        return None
    first = source.offset(loc.line, loc.column)
    written = source.text[first : source.offset(loc.line, loc.end_column)]
    if written != node.value:
        return None  # escapes or folding: offsets in the value are not offsets in the file
    span = Location(loc.path, loc.line, loc.column + lo, loc.line, loc.column + hi)
    return Edit(span, replacement, expect=written[lo:hi])


def _short_loopback(file: _File, node: Node, value: _Value, spec: PortSpec) -> Edit | None:
    """``127.0.0.1:`` in place of the written host IP, or before the host port.

    Only for entries written without variables: a value from ``.env`` is not
    this file's text to edit.
    """
    if spec.host_offset is None or value.raw != value.text or not isinstance(node, ScalarNode):
        return None
    lead = len(value.text) - len(value.text.lstrip())
    return _verbatim_edit(file.source, node, lead, spec.host_offset, f"{LOOPBACK}:")


def _long_loopback(file: _File, node: MappingNode) -> Edit | None:
    """The long syntax's ``host_ip`` value, or a ``host_ip:`` key added before ``published``.

    The new key takes the mapping's own style: its own line at the key's
    indentation (with the file's line break) in block style, ``host_ip: ...,``
    inline in flow style. A key that comes from a ``<<`` merge is shared with
    other mappings and is left alone.
    """
    ip_node = _yaml.get(node, "host_ip")
    if ip_node is not None:
        if not isinstance(ip_node, ScalarNode) or "$" in str(ip_node.value):
            return None
        return _verbatim_edit(file.source, ip_node, 0, len(str(ip_node.value)), LOOPBACK)
    keys = [k for k, _ in node.value if isinstance(k, ScalarNode) and k.value == "published"]
    if len(keys) != 1:
        return None
    key = keys[0]
    source = file.source
    start, end = key.start_mark.index, key.end_mark.index
    line, column = source.line_col(start)
    end_line, end_column = source.line_col(end)
    if end_line != line:
        return None
    written = source.text[start:end]
    if node.flow_style:
        insert = f"host_ip: {LOOPBACK}, "
    else:
        text = source.line_text(line)
        begin = source.line_starts[line - 1]
        stop = source.line_starts[line] if line < len(source.line_starts) else len(source.text)
        newline = source.text[begin + len(text) : stop] or "\n"
        before = text[: column - 1]
        indent = before if not before.strip() else " " * len(before)
        insert = f"host_ip: {LOOPBACK}{newline}{indent}"
    span = Location(source.path, line, column, end_line, end_column)
    return Edit(span, insert + written, expect=written)


def _expose(
    file: _File, node: Node, key_path: KeyPath, service: _Service, result: ScanResult
) -> None:
    anchor = _anchor(key_path)
    if isinstance(node, ScalarNode):
        _check_base60(file, node, anchor, result)
    value, ok = _value(file, node, anchor, result)
    if value is None or not ok:
        return
    text = value.text
    body, _, proto = text.partition("/")
    if ":" in body:
        result.problems.append(
            Problem(
                "PL102",
                value.whole(),
                f"expose takes container ports only, not a mapping: {value.shown!r}",
                hint="move host mappings to `ports:`",
                anchor=anchor,
            )
        )
        return
    try:
        start, end = parse_range(body.strip(), "exposed port", value.shown)
        protocol = parse_protocol(proto, value.shown) if proto else "tcp"
    except PortSpecError as exc:
        if exc.span is None:  # the whole value (or its protocol) is what is wrong
            exc.span = (0, len(text)) if exc.kind == "port" else (len(body) + 1, len(text))
        _problem(result, exc, value.whole(), anchor, value)
        return
    lead = len(body) - len(body.lstrip())
    span = (lead, len(body.rstrip()))
    result.bindings.append(
        service.binding(
            value.location(*span),
            "container",
            start,
            end_port=end,
            protocol=protocol,
            text=value.raw,
            key_path=key_path,
            origin=value.origin(*span),
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
