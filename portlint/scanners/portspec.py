"""The Compose short port syntax, read exactly as Compose reads it.

Accepted forms (compose-go hands them to docker/go-connections' ParsePortSpec)::

    [[IP:][HOST[-HOST]]:]CONTAINER[-CONTAINER][/PROTO]

    3000                    container port only; the engine picks a host port
    3000-3005               container range only
    8000:8000               host:container
    9090-9091:8080-8081     ranges map pairwise; lengths must match (else PL103)
    8000-9000:80            one container port; the engine picks a free host port in the range
    127.0.0.1:8001:8001     host IP
    127.0.0.1::5000         host IP, engine-picked host port
    [::1]:6001:6001         IPv6 host IP, bracketed ...
    ::1:6000:6000           ... or not: everything before the last two colons is the IP
    6060:6060/udp           protocol: tcp (default), udp, sctp; case-insensitive

Numbers are decimal with optional leading zeros (``0123`` is 123), as Go's
``strconv.ParseUint(s, 10, 16)`` reads them. Errors carry the rule code the
finding should have and a message modelled on Compose's own.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from portlint.bindings import MAX_PORT, PROTOCOLS
from portlint.scanners import problems

_NUMBER = re.compile(r"[0-9]+\Z")


class PortSpecError(ValueError):
    """A spec Compose would reject; ``span`` is the offending part's [start, end) in the spec."""

    def __init__(
        self,
        code: str,
        message: str,
        hint: str | None = None,
        span: tuple[int, int] | None = None,
        kind: str = "port",
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint
        self.span = span
        self.kind = kind  # what the text in error should have been: port, protocol, IP address


def _blame(start: int, text: str) -> Callable[[PortSpecError], PortSpecError]:
    """Give an error without a span the span of the part being parsed."""

    def attach(exc: PortSpecError) -> PortSpecError:
        if exc.span is None and text:
            exc.span = (start, start + len(text))
        return exc

    return attach


@dataclass(frozen=True, slots=True)
class PortSpec:
    container: int
    container_end: int  # == container for one port
    host: int | None = None  # None: the engine picks the host port
    host_end: int | None = None
    host_ip: str | None = None  # None: all interfaces
    protocol: str = "tcp"
    host_offset: int | None = None  # where the host port starts in the spec text
    container_offset: int = 0  # where the container port starts in the spec text

    @property
    def engine_picks_from_range(self) -> bool:
        """``8000-9000:80``: one container port, a host range to pick from."""
        return (
            self.host is not None
            and self.host_end is not None
            and self.host_end != self.host
            and self.container_end == self.container
        )


def parse_number(text: str, what: str, spec: str) -> int:
    if not _NUMBER.match(text):
        raise PortSpecError("PL102", f"invalid {what}: {text!r} in {spec!r}")
    if len(text.lstrip("0")) > 5:
        raise PortSpecError("PL102", f"invalid {what}: {text!r} is not a port number")
    value = int(text)
    if value > MAX_PORT:
        message, hint = problems.out_of_range_text(f"{what} {value}")
        raise PortSpecError("PL101", message, hint=hint)
    return value


def parse_range(text: str, what: str, spec: str) -> tuple[int, int]:
    """``N`` or ``N-M`` as an inclusive pair."""
    if text == "":
        raise PortSpecError("PL102", f"no {what} specified in {spec!r}")
    if "-" not in text:
        value = parse_number(text, what, spec)
        return value, value
    start_text, _, end_text = text.partition("-")
    start = parse_number(start_text, what, spec)
    end = parse_number(end_text, what, spec)
    if end < start:
        raise PortSpecError(
            "PL102",
            f"invalid range specified for {what}: {text!r} (end before start)",
            hint=f"write {end}-{start}",
        )
    return start, end


def parse_protocol(text: str, spec: str) -> str:
    proto = text.lower()
    if proto not in PROTOCOLS:
        raise PortSpecError(
            "PL102",
            f"invalid protocol {text!r} in {spec!r}",
            hint="use tcp, udp or sctp",
            kind="protocol",
        )
    return proto


def parse_ip(text: str, spec: str) -> str:
    bare = text[1:-1] if text.startswith("[") and text.endswith("]") else text
    try:
        return _normal_ip(bare)
    except ValueError:
        raise PortSpecError(
            "PL102",
            f"invalid IP address {text!r} in {spec!r}",
            hint="Compose needs a literal IPv4 or IPv6 address here, not a host name",
            kind="IP address",
        ) from None


@lru_cache(maxsize=1024)  # a repository writes a few host IPs, thousands of times
def _normal_ip(text: str) -> str:
    """The address as ``ipaddress`` writes it; ValueError (not cached) when it is none."""
    return str(ipaddress.ip_address(text))


def parse_port_spec(spec: str, shown: str | None = None) -> PortSpec:
    """Parse one short-syntax entry or raise :class:`PortSpecError`.

    ``shown`` is how messages quote the whole entry: the text as written when
    the resolved ``spec`` holds a value from another file, which a message
    must not repeat. Only the part in error (``span``) is quoted as resolved.
    """
    raw = spec.strip()
    lead = len(spec) - len(spec.lstrip())
    if raw == "":
        raise PortSpecError("PL102", "empty port specification")
    quoted = spec if shown is None else shown
    body, slash, proto_text = raw.rpartition("/")
    if not slash:
        body, proto_text = raw, "tcp"
    elif body == "":
        raise PortSpecError("PL102", f"no port specified in {quoted!r}")
    elif proto_text == "":
        proto_text = "tcp"
    body_at = lead  # offsets below are into ``spec`` as written
    try:
        protocol = parse_protocol(proto_text, quoted)
    except PortSpecError as exc:
        raise _blame(body_at + len(body) + 1, proto_text if slash else "")(exc) from None
    parts = body.split(":")
    container_text = parts[-1]
    host_text = ""
    ip: str | None = None
    if len(parts) == 2:
        host_text = parts[0]
    elif len(parts) > 2:
        host_text = parts[-2]
        ip_text = ":".join(parts[:-2])
        if ip_text:
            try:
                ip = parse_ip(ip_text, quoted)
            except PortSpecError as exc:
                raise _blame(body_at, ip_text)(exc) from None
    container_offset = body_at + len(body) - len(container_text)
    host_offset = container_offset - 1 - len(host_text) if host_text else None
    try:
        container, container_end = parse_range(container_text, "container port", quoted)
    except PortSpecError as exc:
        raise _blame(container_offset, container_text)(exc) from None
    host: int | None = None
    host_end: int | None = None
    if host_text and host_offset is not None:
        try:
            host, host_end = parse_range(host_text, "host port", quoted)
        except PortSpecError as exc:
            raise _blame(host_offset, host_text)(exc) from None
        if container_end != container and (host_end - host) != (container_end - container):
            raise PortSpecError(
                "PL103",
                f"host range {host_text} and container range {container_text} differ in length",
                hint="both sides of a range mapping need the same number of ports",
                span=(host_offset, container_offset + len(container_text)),
            )
    return PortSpec(
        container, container_end, host, host_end, ip, protocol, host_offset, container_offset
    )
