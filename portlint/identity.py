"""Who owns a binding: the names that say what software is behind a port.

A compose service called ``cache`` running ``redis:7`` is Redis; a Deployment
container running ``ghcr.io/acme/billing:2.3`` is billing. Names come from the
service or container name, ``container_name``, ``hostname``, the image (its
name, then its organisation: ``ghcr.io/mailu/nginx`` is nginx *and* mailu),
the env key that held the port (``POSTGRES_PORT`` -> ``postgres``) or that a
compose mapping interpolates (``${GRAYLOG_SYSLOG_UDP_PORT}:514/udp`` ->
``graylog-syslog``), the config key path (``thanosService`` -> ``thanos-service``
as well), the Helm chart (the scanner makes it the owner of its values) and a
config file's own name (``cassandra.yaml`` -> ``cassandra``). Matching
against the well-known table is by whole name or by a run of ``-``-separated
words, so ``prometheus-postgres-exporter`` is postgres-exporter but
``postgresql`` is never ``postgres`` by accident of spelling (the table lists
both).

:func:`known_as` turns the names into one well-known program, or None: rules
name a program only when this says so, never from the port number alone.

Layer: knowledge, beside the registry. Pure functions over bindings and the
well-known table, shared by the rules and the allocation check: what software
a binding is, a fact about the binding, not a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from portlint.bindings import PortBinding
from portlint.registry import wellknown

_SEPARATORS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")

# Kinds whose file name says nothing about the software: a compose file is
# ``docker-compose.yml`` whatever it runs, a Dockerfile is a Dockerfile.
_NAMELESS_KINDS = frozenset({"compose", "kubernetes", "dockerfile", "devcontainer", "dotenv"})
# File stems that name a role, not a program.
_GENERIC_STEMS = frozenset(
    {
        "values",
        "config",
        "settings",
        "application",
        "app",
        "default",
        "defaults",
        "local",
        "dev",
        "development",
        "prod",
        "production",
        "test",
        "docker-compose",
        "compose",
        "package",
        "env",
    }
)
_PORT_SUFFIX = re.compile(
    r"(?:_(?:HOST|HTTP|HTTPS|TCP|UDP|GRPC|LISTEN|BIND|EXTERNAL|PUBLIC))*_PORT\Z"
)
_ENV_KEY = re.compile(r"[A-Z][A-Z0-9_]*\Z")

# Key-path words that describe structure, not software.
_STRUCTURAL = frozenset(
    {
        "services",
        "ports",
        "expose",
        "spec",
        "template",
        "containers",
        "initcontainers",
        "port",
        "targetport",
        "nodeport",
        "hostport",
        "containerport",
        "published",
        "target",
        "server",
        "listen",
        "bind",
        "http",
        "https",
        "config",
        "settings",
        "env",
        "environment",
        "values",
    }
)


def image_name(ref: str) -> str:
    """``docker.io/bitnami/postgresql:16@sha256:…`` -> ``postgresql``."""
    ref = ref.strip().lower()
    ref = ref.split("@", 1)[0]
    last = ref.rsplit("/", 1)[-1]
    return last.split(":", 1)[0]


def env_key_owner(key: str) -> str | None:
    """``POSTGRES_PORT`` -> ``postgres``; ``BILLING_API_HTTP_PORT`` -> ``billing-api``."""
    if not _ENV_KEY.match(key):
        return None
    stem = _PORT_SUFFIX.sub("", key)
    if stem == key or not stem:
        return None
    return normalise(stem)


def normalise(name: str) -> str:
    """Lower-case, with every run of separators turned into one ``-``."""
    return _SEPARATORS.sub("-", name.lower()).strip("-")


def image_org(ref: str) -> str | None:
    """``ghcr.io/mailu/nginx:2024`` -> ``mailu``: who publishes the image, often the product."""
    path = ref.strip().lower().split("@", 1)[0].rsplit(":", 1)[0].split("/")
    if len(path) < 2:
        return None
    org = path[-2]
    if len(path) == 2 and ("." in org or ":" in org or org == "localhost"):
        return None  # ``registry.example.com/app``: a registry, not an organisation
    return None if org in ("library", "_") else org


def file_stem_name(path: str) -> str | None:
    """``conf/cassandra.yaml`` -> ``cassandra``: a config file named after its program."""
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem = normalise(base.split(".", 1)[0])
    return None if not stem or stem in _GENERIC_STEMS else stem


def binding_names(binding: PortBinding) -> tuple[str, ...]:
    """Every normalised name a binding goes by, most telling first."""
    names: list[str] = []
    orgs: list[str | None] = []
    if binding.image:
        names.append(normalise(image_name(binding.image)))
        orgs.append(image_org(binding.image))
    for ident in (binding.owner, *binding.identities):
        if not ident:
            continue
        env = env_key_owner(ident)
        if env:
            names.append(env)
        if ident == binding.image or "/" in ident or ("." in ident and ":" in ident):
            names.append(normalise(image_name(ident)))
            orgs.append(image_org(ident))
        names.append(normalise(ident))
    for variable in _VARIABLE.findall(binding.text):
        env = env_key_owner(variable)
        if env:
            names.append(env)
    for part in binding.key_path:
        if isinstance(part, str):
            env = env_key_owner(part)
            if env:
                names.append(env)
            word = normalise(part)
            if word and word not in _STRUCTURAL:
                names.append(word)
                camel = normalise(_CAMEL.sub("-", part))
                if camel != word:
                    names.append(camel)
    names.extend(org for org in orgs if org)
    if binding.kind not in _NAMELESS_KINDS:
        stem = file_stem_name(binding.location.path)
        if stem:
            names.append(stem)
    return tuple(dict.fromkeys(n for n in names if n))


def own_port(binding: PortBinding, port: int) -> bool:
    """Whether ``port`` is a well-known default of the program the binding is.

    WireGuard on 51820 or Transmission on 51413 chose that number; it is
    theirs to have, wherever it lies.
    """
    rows = [r for r in wellknown.lookup(port, binding.protocol) if not r.squat and not r.macos]
    if not rows:
        return False
    names = binding_names(binding)
    return any(matches(names, row.names) for row in rows)


def known_as(binding: PortBinding, aliases: Iterable[str] | None = None) -> str | None:
    """The well-known program the binding's names say it is, or None.

    The first name that matches decides (names come most telling first);
    within a name the longest run of words wins, so ``redis-cluster`` is
    redis-cluster, not redis. The answer is the name as the files spell it
    (``opensearch``, never the first name of the row it shares with
    ``logstash``). ``aliases`` narrows the question to some programs (the
    owners of one port); by default every program in the well-known table.
    """
    wanted = _alias_index() if aliases is None else frozenset(normalise(a) for a in aliases if a)
    for name in binding_names(binding):
        for run in _runs(name):
            if run in wanted:
                return run
    return None


def _runs(name: str) -> list[str]:
    """Every run of ``-``-separated words in ``name``, longest first."""
    words = name.split("-")
    return [
        "-".join(words[i : i + size])
        for size in range(len(words), 0, -1)
        for i in range(len(words) - size + 1)
    ]


@cache
def _alias_index() -> frozenset[str]:
    """Every name a well-known program goes by (squatters and macOS services aside)."""
    return frozenset(
        normalise(alias)
        for row in wellknown.load().rows
        if not row.squat and not row.macos
        for alias in row.names
        if alias
    )


def matches(names: Iterable[str], aliases: Iterable[str]) -> bool:
    """Whether any name is one of the aliases, whole or as a run of ``-`` words."""
    wanted = tuple(normalise(a) for a in aliases if a)
    for name in names:
        padded = f"-{name}-"
        for alias in wanted:
            if name == alias or f"-{alias}-" in padded:
                return True
    return False


def same_role(a: PortBinding, b: PortBinding) -> bool:
    """Two different programs that are implementations of one service.

    One row of the well-known table lists programs that serve one protocol
    on one port: MySQL, MariaDB and Percona; nginx, Apache httpd, Caddy and
    Traefik; MailHog, Mailpit and MailDev. A project that ships two of them
    offers a choice (laradock has every web server and every MySQL on the
    same host port; a developer starts one). Two services of the same
    program (two Varnish caches behind one balancer) are not alternatives:
    both are meant to run.
    """
    first, second = _aliases_of(a), _aliases_of(b)
    if not first or not second or first == second:
        return False
    rows = _rows_by_alias()
    ours = {row for alias in first for row in rows[alias]}
    return any(row in ours for alias in second for row in rows[alias])


def _aliases_of(binding: PortBinding) -> frozenset[str]:
    """Every well-known name a binding's names say it is: ``ghcr.io/mailu/nginx`` is
    nginx and mailu, ``postgres-postgis`` is postgres and postgis (PostGIS, a
    PostgreSQL build), two Varnish caches are varnish both."""
    rows = _rows_by_alias()
    return frozenset(run for name in binding_names(binding) for run in _runs(name) if run in rows)


@cache
def _rows_by_alias() -> dict[str, frozenset[int]]:
    """Every alias of the well-known table, with the rows that list it."""
    found: dict[str, set[int]] = {}
    for index, row in enumerate(wellknown.load().rows):
        if row.squat or row.macos:
            continue
        for alias in row.names:
            if alias:
                found.setdefault(normalise(alias), set()).add(index)
    return {alias: frozenset(rows) for alias, rows in found.items()}
