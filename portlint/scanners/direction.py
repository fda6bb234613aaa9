"""Direction: is a port in a config file the owner's own, or a server it connects to?

``EMAIL_PORT=25`` in an app's ``.env`` is the mail server the app sends
through; ``datasource.port: 5432`` in an exporter's Helm values is the
database it reads; ``servers: [{address: "10.0.0.5:80"}]`` under a load
balancer is a backend. None of them is a port the owner listens on, so none
may collide with anything: reading them as claims made a third of the
"direction" false positives on real repositories. Such a port is a
*reference*: role ``url``, listed by ``portlint ports``, never fed to the
collision or well-known-port rules.

The decision is made from the key's words and the owner's names, in this
order (the first that applies wins; docs/ports.md "Direction" has the same
list for users):

1. the port key itself says ``listen`` or ``bind`` (``http_listen_port``,
   ``BACKEND_LISTEN_PORT``): the owner's own, always. This is also how a
   user overrides the rest: name the key after what it does;
2. an address written with no host or a wildcard one (``address: ":25"``,
   ``0.0.0.0:8080``): the owner's own, whatever its key says. Nobody
   connects to ``:25``, so traefik's ``entryPoints.smtp.address`` stays a
   claim;
3. a word of :data:`REFERENCE_WORDS` in the key path (``upstream``,
   ``smtp``, ``probe``, ...), unless the word names a kind of server and the
   owner is one: its names contain the word (``backend/.env`` owns its
   ``BACKEND_PORT``) or it is a well-known program of that class
   (``maildev`` is a mail server: ``MAILDEV_SMTP_PORT`` is its own);
4. a software the owner is a companion of: ``prometheus-mysql-exporter`` or
   ``prometheus-adapter`` (a word of :data:`COMPANION_WORDS` after the
   software's name) connects to ``mysql`` and ``prometheus``, so
   ``mysql.port: 3306`` there is MySQL's port, when the number is that
   software's own well-known port;
5. a server software named in the key whose well-known port this number is
   (``GEARMAN_MYSQL_PORT=3306``), for the classes of software an app
   connects to (:data:`SERVER_CLASSES`), unless it is the owner
   (``mysql/defaults.env``) or, in a ``.env`` at the top of a tree that
   names no owner, the key's own subject (``MYSQL_PORT``);
6. an address value (not ``listen``/``bind``) whose host part names
   another machine (``address: "backend.internal:9090"``).

``server`` is deliberately not a reference word: ``server.port`` (Spring),
``SERVER_PORT``, ``LARAVEL_ECHO_SERVER_PORT`` and ``server.http_listen_port``
(Loki) are the owner's own port; ``SMTP_SERVER_PORT`` and ``DB_SERVER_PORT``
are references because of ``smtp`` and ``db``. ``servers`` (a list of them)
is one: a load balancer's ``servers`` are the machines it forwards to.
``target`` is not one either: ``targetPort`` is a container's own port (Helm,
Kubernetes), and netlify's ``[dev] targetPort`` is the framework server that
``netlify dev`` itself starts on this machine. ``health`` alone is not one
(``health.port`` is usually the owner's own health endpoint), while
``healthcheck`` and ``probe`` are checks that connect to somebody's port.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from portlint.bindings import PortBinding
from portlint.scanners._hosts import ADDRESS, names_another_host

REFERENCE_WORDS: dict[str, tuple[str, bool, str]] = {
    # word: (what a port under it is, whether an owner named so owns it,
    #        the well-known class of software that owns it when it is the owner)
    "upstream": ("the upstream server a proxy forwards to", True, ""),
    "upstreams": ("the upstream servers a proxy forwards to", True, ""),
    "backend": ("the backend a proxy or front end forwards to", True, ""),
    "remote": ("a port on a remote machine", False, ""),
    "datasource": ("the data source (a database) the owner reads", False, ""),
    "database": ("the database the owner connects to", True, "datastore"),
    "db": ("the database the owner connects to", True, "datastore"),
    "smtp": ("the mail server the owner sends through", True, "mail"),
    "mail": ("the mail server the owner sends through", True, "mail"),
    "email": ("the mail server the owner sends through", True, "mail"),
    "broker": ("the message broker the owner connects to", True, "broker"),
    "xdebug": ("the IDE port Xdebug connects out to", False, ""),
    "llm": ("the model server the owner sends requests to", True, ""),
    "servers": ("a load balancer's servers, which it forwards to", False, ""),
    "healthcheck": ("the port a health check connects to", False, ""),
    "probe": ("the port a probe connects to", False, ""),
    "probes": ("the port a probe connects to", False, ""),
    "httpget": ("the port a Kubernetes probe connects to", False, ""),
    "tcpsocket": ("the port a Kubernetes probe connects to", False, ""),
    "redirectscheme": ("the port clients are redirected to", False, ""),
}
"""Words that say a port belongs to somebody else (see the module docstring).

An owner "named so" has the word in its own name (``backend/.env``, a chart
called ``smtp-relay``); an owner of the class is a well-known program of that
class (``maildev`` is a mail server, so ``MAILDEV_SMTP_PORT`` is its own).
"""

OWN_WORDS: frozenset[str] = frozenset({"listen", "bind"})
"""Words of the port key itself that say the owner listens there, whatever else it says."""

COMPANION_WORDS: frozenset[str] = frozenset(
    {"exporter", "adapter", "operator", "webui", "ui", "admin", "dashboard", "console"}
)
"""A name ``X-<word>`` is a tool for X, not X: ``prometheus-mysql-exporter`` is not MySQL."""

SERVER_CLASSES: frozenset[str] = frozenset({"datastore", "cache", "broker", "search"})
"""Well-known table classes of software that apps connect to, rather than speak as."""

_WILDCARD_HOSTS = frozenset({"", "*", "0.0.0.0", "::", "[::]"})
_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


def words(segment: str) -> list[str]:
    """``livenessProbe`` -> ``[liveness, probe]``; ``DB_PORT`` -> ``[db, port]``."""
    return [w.lower() for w in _SPLIT.split(segment) if w]


@lru_cache(maxsize=4096)  # key segments repeat across files (``service``, ``port``, ``redis``)
def _terms(segment: str) -> tuple[str, ...]:
    """A segment's words, adjacent pairs joined, and the whole segment joined, sorted.

    ``healthCheck``, ``health_check`` and ``HEALTHCHECK`` all yield
    ``healthcheck``; ``DATA_SOURCE`` yields ``datasource``.
    """
    found = words(segment)
    terms = set(found)
    terms.update(a + b for a, b in itertools.pairwise(found))
    terms.add("".join(found))
    return tuple(sorted(terms))


_MAX_RUN = 5  # the longest well-known name, in words (``cp-enterprise-control-center``)


@dataclass(frozen=True, slots=True)
class _Owner:
    """What the owner's names say, computed once per set of names in one pass over them.

    Shared by every binding with those owners (``_owner`` is cached): read only.

    ``own``: every run of up to five words a name holds as its own (not the X
    of an X-exporter). ``companions``: the software a companion tool is
    named after -> the companion word (``prometheus-adapter``: prometheus ->
    adapter).
    """

    own: frozenset[tuple[str, ...]]
    companions: dict[str, frozenset[str]]

    def owns(self, run: Sequence[str]) -> bool:
        return tuple(run) in self.own


@lru_cache(maxsize=256)  # one file's bindings share their owners
def _owner(owners: tuple[str, ...]) -> _Owner:
    own: set[tuple[str, ...]] = set()
    companions: dict[str, set[str]] = {}
    for name in owners:
        seq = words(name)
        for i, word in enumerate(seq):
            if i and word in COMPANION_WORDS:
                companions.setdefault(seq[i - 1], set()).add(word)
            for end in range(i + 1, min(i + _MAX_RUN, len(seq)) + 1):
                if (seq[end] if end < len(seq) else "") not in COMPANION_WORDS:
                    own.add(tuple(seq[i:end]))
    return _Owner(frozenset(own), {k: frozenset(v) for k, v in companions.items()})


def _runs(seq: Sequence[str]) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """Every run of up to five words of the key: anywhere, and after its first word."""
    anywhere: set[tuple[str, ...]] = set()
    later: set[tuple[str, ...]] = set()
    for i in range(len(seq)):
        for end in range(i + 1, min(i + _MAX_RUN, len(seq)) + 1):
            run = tuple(seq[i:end])
            anywhere.add(run)
            if i:
                later.add(run)
    return anywhere, later


@lru_cache(maxsize=1024)  # it reads the whole table: once per class and file's owners
def _owner_of_class(klass: str, names: tuple[str, ...]) -> bool:
    """Whether an owner's name is a well-known program of ``klass`` (``maildev``: mail)."""
    from portlint.registry import wellknown

    owner = _owner(names)
    return any(
        row.klass == klass and any(owner.owns(words(n)) for n in row.names)
        for row in wellknown.load().rows
    )


def _row_names_port(port: int) -> dict[str, str]:
    """Every well-known name whose program's own port is ``port`` (generic ports excepted)."""
    from portlint.registry import wellknown

    return {
        name: row.software
        for row in wellknown.lookup(port)
        if not row.generic and not row.squat
        for name in row.names
    }


def _companion_target(seq: Sequence[str], port: int, owner: _Owner) -> str | None:
    """``mysql.port: 3306`` in ``prometheus-mysql-exporter``: MySQL's port, which it reads.

    Only when the number is that software's own well-known port: the statsd
    exporter's ``statsd.udpPort: 9125`` is where the exporter itself listens.
    The companion's own name in the key (``MONGO_WEBUI_PORT`` of
    ``mongo-webui``) is not its target.
    """
    if not owner.companions:
        return None
    known = _row_names_port(port)
    for i, word in enumerate(seq):
        companions = owner.companions.get(word)
        if companions is None or word not in known:
            continue
        after = seq[i + 1] if i + 1 < len(seq) else ""
        if after not in companions:
            companion = sorted(companions)[0]
            return f'"{word}" names {known[word]}, which this {companion} connects to'
    return None


def _server_named(
    seq: Sequence[str], port: int, owner: _Owner, *, subject_is_owner: bool
) -> str | None:
    """``GEARMAN_MYSQL_PORT=3306``: a server software named in the key, on its own port."""
    from portlint.registry import wellknown

    rows = [
        row
        for row in wellknown.lookup(port)
        if row.klass in SERVER_CLASSES and not row.generic and not row.squat
    ]
    if not rows:
        return None  # most ports: no server software's, so the key's runs are not needed
    anywhere, later = _runs(seq)
    runs = later if subject_is_owner else anywhere
    for row in rows:
        if any(owner.owns(words(n)) for n in row.names):
            continue
        for name in row.names:
            if tuple(words(name)) in runs:
                return f'"{name}" names {row.software}, which the owner connects to'
    return None


def _address_host(text: str) -> str | None:
    """The host part of a ``host:port`` value as written (``""`` for ``:80``); None otherwise."""
    match = ADDRESS.match(text)
    return None if match is None else match.group("host")


def reference_reason(
    key_path: Sequence[str | int],
    port: int | None,
    owners: Sequence[str],
    *,
    subject_is_owner: bool = False,
    text: str = "",
    host: str | None = None,
) -> str | None:
    """Why a port under ``key_path`` is somebody else's, or None when it is the owner's own.

    ``owners`` are the owner's names (chart, app, folder, image); with
    ``subject_is_owner`` (a ``.env`` that names no owner) the key's first
    word is the owner. ``text`` is the value as written, ``host`` the host
    an address or URL value names.
    """
    segments = [s for s in key_path if isinstance(s, str)]
    if not segments:
        return None
    if OWN_WORDS & set(words(segments[-1])):
        return None
    if _address_host(text) in _WILDCARD_HOSTS:
        return None  # ``:8005``, ``0.0.0.0:25``: only a listener writes an address so
    names = tuple([o for o in owners if o])
    owner = _owner(names)
    for segment in segments:
        for term in _terms(segment):
            entry = REFERENCE_WORDS.get(term)
            if entry is None:
                continue
            meaning, ownable, klass = entry
            if ownable and (owner.owns((term,)) or (klass and _owner_of_class(klass, names))):
                continue
            return f'"{term}" names {meaning}'
    seq = [w for segment in segments for w in words(segment)]
    if port is not None:
        reason = _companion_target(seq, port, owner) or _server_named(
            seq, port, owner, subject_is_owner=subject_is_owner
        )
        if reason is not None:
            return reason
    if host is not None:
        other = names_another_host(host)
        if other is not None:
            return f"the address names another host ({other})"
    return None


def apply(
    binding: PortBinding,
    owners: Sequence[str],
    *,
    subject_is_owner: bool = False,
) -> PortBinding:
    """A listening port turned into a reference when its key names somebody else's server.

    The one place the direction table is applied: the generic key walkers
    (YAML, TOML, JSON, devcontainer) and ``.env`` files call it on every
    listening port they find. Other roles are left alone: a container's,
    a Service's or a node's port is already not a claim on a shared machine.
    """
    if binding.role != "listen":
        return binding
    reason = reference_reason(
        binding.key_path,
        binding.port,
        owners,
        subject_is_owner=subject_is_owner,
        text=binding.text,
        host=binding.host,
    )
    if reason is None:
        return binding
    return dataclasses.replace(binding, role="url", host_ip=None)
