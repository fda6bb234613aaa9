"""Host and address shapes shared by :mod:`keys` and :mod:`direction`.

They lived in ``keys``, which imports ``direction``; ``direction`` reached
back for them through function-local imports, a hidden cycle. Here both
import them one way.
"""

from __future__ import annotations

import ipaddress
import re

# ``host:port``, ``:port``, ``[v6]:port`` or (listen/bind only) ``port``. A host
# must look like a host (a letter, a dot, ``*`` or brackets), so ``12:30`` is a
# time, not a port, and MAC addresses never match.
ADDRESS = re.compile(
    r"\A\s*(?:(?P<host>\[[0-9A-Fa-f:.%a-z]+\]|[A-Za-z0-9_.*-]*):)?(?P<port>[0-9]{1,6})\s*\Z"
)

_LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})
_WILDCARDS = frozenset({"", "*", "0.0.0.0", "::", "[::]"})


def names_another_host(value: str) -> str | None:
    """The host a host setting names when it is another machine, else None.

    A port beside ``host = "db"`` is where the app connects, not where it
    listens; beside a loopback or wildcard host (``127.0.0.1``, ``0.0.0.0``,
    ``*``) or no host at all it is the app's own listening port. An
    ``host:port`` value is judged by its host part.
    """
    host = value.strip()
    if host.count(":") == 1 and not host.startswith("["):
        host = host.split(":", 1)[0]
    elif host.startswith("[") and "]" in host:
        host = host[1 : host.index("]")]
    if host in _WILDCARDS or host.lower() in _LOOPBACK_NAMES or "${" in host:
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    return None if address.is_loopback or address.is_unspecified else host
