"""Who owns a binding: the names that say what software is behind a port.

A compose service called ``cache`` running ``redis:7`` is Redis; a Deployment
container running ``ghcr.io/acme/billing:2.3`` is billing. Names come from the
service or container name, ``container_name``, ``hostname``, the image
(registry, namespace, tag and digest stripped), the env key that held the port
(``POSTGRES_PORT`` -> ``postgres``) and the config key path. Matching against
the well-known table is by whole name or by a run of ``-``-separated words,
so ``prometheus-postgres-exporter`` is postgres-exporter but ``postgresql``
is never ``postgres`` by accident of spelling (the table lists both).

Layer: model. Pure functions over bindings (it imports only ``bindings``), shared
by the rules and the registry's allocation check; it names what software a
binding is, which is a fact about the binding, not a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from portlint.bindings import PortBinding

_SEPARATORS = re.compile(r"[^a-z0-9]+")
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


def binding_names(binding: PortBinding) -> tuple[str, ...]:
    """Every normalised name a binding goes by, most telling first."""
    names: list[str] = []
    if binding.image:
        names.append(normalise(image_name(binding.image)))
    for ident in (binding.owner, *binding.identities):
        if not ident:
            continue
        env = env_key_owner(ident)
        if env:
            names.append(env)
        if ident == binding.image or "/" in ident or ("." in ident and ":" in ident):
            names.append(normalise(image_name(ident)))
        names.append(normalise(ident))
    for part in binding.key_path:
        if isinstance(part, str):
            env = env_key_owner(part)
            if env:
                names.append(env)
            word = normalise(part)
            if word and word not in _STRUCTURAL:
                names.append(word)
    return tuple(dict.fromkeys(n for n in names if n))


def matches(names: Iterable[str], aliases: Iterable[str]) -> bool:
    """Whether any name is one of the aliases, whole or as a run of ``-`` words."""
    wanted = tuple(normalise(a) for a in aliases if a)
    for name in names:
        padded = f"-{name}-"
        for alias in wanted:
            if name == alias or f"-{alias}-" in padded:
                return True
    return False
