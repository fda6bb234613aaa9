"""Which running containers publish which host ports, from the local Docker Engine.

The Engine API is asked over its unix socket only (``DOCKER_HOST=unix://...``
or ``/var/run/docker.sock``), with the standard library: one ``GET
/containers/json``, which lists running containers with their published
ports and labels. A TCP ``DOCKER_HOST`` is never contacted (portlint makes
no network connections), and a socket this user may not open is not an
error: the answer then says Docker was not asked, and why.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
from dataclasses import dataclass
from typing import Any

DEFAULT_SOCKET = "/var/run/docker.sock"
TIMEOUT = 3.0  # seconds; a hung daemon must not hang the command
MAX_RESPONSE = 16 * 1024 * 1024
PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"


@dataclass(frozen=True, slots=True)
class Published:
    """One host port a running container publishes."""

    protocol: str  # "tcp", "udp", "sctp"
    address: str  # host IP as the engine reports it: "0.0.0.0", "::", "127.0.0.1"
    port: int
    container: str  # the container's name, without the leading slash
    project: str | None  # its compose project label, if any
    service: str | None  # its compose service label, if any


@dataclass(frozen=True, slots=True)
class Answer:
    asked: bool
    socket: str | None
    note: str  # why Docker was not asked, or what went wrong; "" when it answered
    published: tuple[Published, ...] = ()


class _UnixConnection(http.client.HTTPConnection):
    """HTTP/1.1 over a unix socket: the Engine API's local transport."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self._path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def socket_path(environ: dict[str, str] | None = None) -> tuple[str | None, str]:
    """The unix socket to ask, or None and the reason not to ask any."""
    env = os.environ if environ is None else environ
    host = env.get("DOCKER_HOST", "")
    if host:
        if host.startswith("unix://"):
            return host[len("unix://") :], ""
        scheme = host.split("://", 1)[0] if "://" in host else host
        return None, f"DOCKER_HOST is {scheme}://, and portlint asks only a local unix socket"
    return DEFAULT_SOCKET, ""


def ask(environ: dict[str, str] | None = None) -> Answer:
    path, why = socket_path(environ)
    if path is None:
        return Answer(False, None, why)
    if not os.path.exists(path):
        return Answer(False, path, f"no Docker socket at {path}")
    if not os.access(path, os.R_OK | os.W_OK):
        return Answer(False, path, f"{path} is not open to this user")
    conn = _UnixConnection(path, TIMEOUT)
    try:
        conn.request("GET", "/containers/json", headers={"Accept": "application/json"})
        response = conn.getresponse()
        body = response.read(MAX_RESPONSE + 1)
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        return Answer(False, path, f"the Docker socket at {path} did not answer: {exc}")
    finally:
        conn.close()
    if status != 200:
        return Answer(False, path, f"the Docker Engine at {path} answered HTTP {status}")
    if len(body) > MAX_RESPONSE:
        return Answer(False, path, f"the Docker Engine's answer is over {MAX_RESPONSE} bytes")
    try:
        published = parse_containers(json.loads(body))
    except (ValueError, UnicodeDecodeError) as exc:
        return Answer(False, path, f"the Docker Engine's answer is not the expected JSON: {exc}")
    return Answer(True, path, "", published)


def parse_containers(data: Any) -> tuple[Published, ...]:
    """Published ports of a ``GET /containers/json`` answer.

    Raises ValueError for an answer of another shape; entries without a
    public port (exposed only) are not published and are left out.
    """
    if not isinstance(data, list):
        raise ValueError("expected a list of containers")
    out: set[Published] = set()
    for item in data:
        if not isinstance(item, dict):
            raise ValueError("expected each container to be an object")
        names = item.get("Names") or []
        name = names[0] if isinstance(names, list) and names and isinstance(names[0], str) else ""
        name = name.lstrip("/") or str(item.get("Id", ""))[:12] or "?"
        labels = item.get("Labels") or {}
        if not isinstance(labels, dict):
            labels = {}
        project = labels.get(PROJECT_LABEL)
        service = labels.get(SERVICE_LABEL)
        ports = item.get("Ports") or []
        if not isinstance(ports, list):
            raise ValueError("expected Ports to be a list")
        for entry in ports:
            if not isinstance(entry, dict):
                continue
            public = entry.get("PublicPort")
            if not isinstance(public, int) or isinstance(public, bool) or not 0 < public < 65536:
                continue
            address = entry.get("IP")
            proto = entry.get("Type")
            out.add(
                Published(
                    protocol=proto if isinstance(proto, str) and proto else "tcp",
                    address=address if isinstance(address, str) and address else "0.0.0.0",
                    port=public,
                    container=name,
                    project=project if isinstance(project, str) else None,
                    service=service if isinstance(service, str) else None,
                )
            )
    return tuple(sorted(out, key=lambda p: (p.port, p.protocol, p.address, p.container)))
