"""``portlint registry update``: fetch IANA's export, check it, install it in the user cache.

The only code in portlint that touches the network, and only when asked.
URLs must be HTTPS; plain HTTP is accepted for loopback addresses alone
(``127.0.0.1``, ``localhost``, ``::1``) so that tests and air-gapped mirrors
on the same machine can serve an export. Redirects obey the same rule, and a
redirect to plain HTTP is followed only from loopback to loopback: a remote
server (or whoever sits between it and us) cannot move the download to a
plain-HTTP host, nor point it at a service on this machine. A download is
bounded in time and size, and what arrives is checked before anything is
written: it must parse, hold at least :data:`MIN_RECORDS` records, know
22/tcp ``ssh`` and 443/tcp ``https``, and be no older than the snapshot
portlint ships nor the one already in the cache (unless ``--force``). The
cache file is replaced in one rename, so a half-finished update never leaves
a half-written snapshot behind.
"""

from __future__ import annotations

import http.client
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from portlint import registry
from portlint.errors import UsageError
from portlint.registry import MIN_RECORDS  # the loader checks a cache against it too
from portlint.registry.convert import build_snapshot
from portlint.safe_write import starts_with, write_atomic

IANA_XML_URL = (
    "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xml"
)
DEFAULT_TIMEOUT = 60.0  # seconds, for the whole download
MAX_DOWNLOAD = 32 * 1024 * 1024  # bytes; IANA's XML export is about 4 MB
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
KNOWN = ((22, "tcp", "ssh"), (443, "tcp", "https"))
_CHUNK = 64 * 1024


@dataclass(frozen=True, slots=True)
class Installed:
    path: str
    date: str
    records: int
    source: str
    in_use: bool  # False when the shipped snapshot is newer (an old export under --force)


def update(
    source: str = IANA_XML_URL,
    *,
    force: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = MAX_DOWNLOAD,
) -> Installed:
    data, name = fetch(source, timeout=timeout, max_bytes=max_bytes)
    text, reg = validate(data, name, source)
    shipped = registry.snapshot_date(registry.SNAPSHOT) or ""
    if reg.date < shipped and not force:
        raise UsageError(
            f"{source}: the export is dated {reg.date}, older than the snapshot portlint "
            f"ships ({shipped}); not installed",
            hint="pass --force to install it anyway (the newer shipped snapshot stays in use)",
        )
    target = registry.cache_path()
    cached = registry.snapshot_date(target) or ""
    if reg.date < cached and not force:
        raise UsageError(
            f"{source}: the export is dated {reg.date}, older than the snapshot already in "
            f"the cache ({cached}); not installed",
            hint="pass --force to replace the cached snapshot with it",
        )
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"cannot create the cache folder {os.path.dirname(target)}: {exc}"
        ) from None
    write_atomic(
        target,
        text,
        is_ours=starts_with(registry.SNAPSHOT_MARKER),
        what="a portlint registry snapshot",
    )
    return Installed(target, reg.date, len(reg.entries), name, reg.date > shipped)


def validate(data: bytes, name: str, shown: str) -> tuple[str, registry.Registry]:
    """The snapshot text and its registry, or a UsageError saying what is wrong with the export."""
    try:
        text = build_snapshot(data, source=name)
    except UsageError as exc:
        raise UsageError(f"{shown}: {exc.message}", hint=exc.hint) from None
    reg = registry.parse_snapshot(text, name)
    if len(reg.entries) < MIN_RECORDS:
        raise UsageError(
            f"{shown}: only {len(reg.entries)} port records; IANA's registry has more than "
            f"{MIN_RECORDS:,} (a truncated or partial export?)"
        )
    for port, protocol, service in KNOWN:
        if service not in {e.name for e in reg.assigned(port, protocol)}:
            raise UsageError(
                f"{shown}: the export does not assign {port}/{protocol} to {service}; "
                "not IANA's port registry"
            )
    return text, reg


def fetch(source: str, *, timeout: float, max_bytes: int) -> tuple[bytes, str]:
    """The export's bytes and a short name for it, from a URL or a local path."""
    if "://" not in source:
        return _read_file(source, max_bytes), os.path.basename(source)
    check_url(source)
    parts = urllib.parse.urlsplit(source)
    host = (parts.hostname or "").lower()
    name = os.path.basename(parts.path) or host
    return _download(source, host, timeout, max_bytes), name


def check_url(url: str, came_from: str | None = None) -> None:
    """Refuse a URL to download from, or to be redirected to from ``came_from``.

    https anywhere; plain http only on loopback, and after a redirect only
    when the redirecting URL was loopback too (a remote https server must not
    send us to plain http, nor to a local service).
    """
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    prefix = f"{url}: " if came_from is None else f"{came_from}: redirected to {url}: "
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise UsageError(
            f"{prefix}plain http is refused; use https",
            hint="http is accepted only for 127.0.0.1, localhost and ::1",
        )
    if parts.scheme not in ("https", "http"):
        raise UsageError(f"{prefix}only https URLs (or a local file path) are accepted")
    if parts.scheme == "http" and came_from is not None:
        origin = urllib.parse.urlsplit(came_from)
        if (origin.hostname or "").lower() not in LOOPBACK_HOSTS:
            raise UsageError(
                f"{prefix}a redirect from {origin.scheme}://{origin.netloc} to plain http "
                "is refused",
                hint="http is followed only from one loopback address to another",
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """urllib's redirects (it would follow https to http, or ftp), checked first."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        check_url(urllib.parse.urljoin(req.full_url, newurl), came_from=req.full_url)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_file(path: str, max_bytes: int) -> bytes:
    from portlint.source import TooLarge, read_bytes

    try:
        return read_bytes(path, max_bytes)
    except TooLarge:
        raise UsageError(f"{path}: larger than {max_bytes} bytes; not an IANA export") from None
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from None


def _download(url: str, host: str, timeout: float, max_bytes: int) -> bytes:
    from portlint import __version__

    request = urllib.request.Request(url, headers={"User-Agent": f"portlint/{__version__}"})
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    total = 0
    try:
        opener = urllib.request.build_opener(_CheckedRedirects)
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise UsageError(f"{url}: {length} bytes is over the {max_bytes}-byte limit")
            while True:
                if time.monotonic() > deadline:
                    raise _timed_out(url, timeout)
                chunk = response.read(_CHUNK)
                if not chunk:
                    if response.length:  # the connection closed before Content-Length bytes
                        raise http.client.IncompleteRead(b"", response.length)
                    break
                total += len(chunk)
                if total > max_bytes:
                    raise UsageError(f"{url}: more than {max_bytes} bytes; download stopped")
                chunks.append(chunk)
    except urllib.error.HTTPError as exc:
        raise UsageError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _timed_out(url, timeout) from None
        raise UsageError(
            f"cannot reach {host}: {_reason(exc.reason)}",
            hint="offline? download the export elsewhere and pass --source PATH",
        ) from None
    except TimeoutError:
        raise _timed_out(url, timeout) from None
    except http.client.IncompleteRead as exc:
        raise UsageError(
            f"{url}: the download ended after {len(exc.partial) + total} bytes, "
            "before the promised length"
        ) from None
    except (http.client.HTTPException, OSError) as exc:
        raise UsageError(f"{url}: the download failed: {_reason(exc)}") from None
    return b"".join(chunks)


def _timed_out(url: str, timeout: float) -> UsageError:
    return UsageError(
        f"{url}: no complete answer within {timeout:g} seconds",
        hint="raise --timeout, or download the export elsewhere and pass --source PATH",
    )


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror[:1].lower() + reason.strerror[1:]
    return str(reason) or type(reason).__name__
