"""Property-based tests: parsers and scanners never crash, and what they report is real.

Every scanner in the table is fed arbitrary text and mangled versions of
realistic files; scanners with a document generator below also get generated
valid documents. Examples are kept modest so the suite stays fast; the atheris
harness in ``fuzz/`` runs the same checks for longer.
"""

from __future__ import annotations

import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portlint.bindings import Location
from portlint.scanners import SCANNERS, ScannerSpec, load
from portlint.scanners.base import ScanContext, ScanResult
from portlint.scanners.interpolate import EnvValue, interpolate
from portlint.scanners.portspec import PortSpec, PortSpecError, parse_port_spec
from portlint.source import SourceFile, decode

pytestmark = pytest.mark.slow  # edit-test loop: pytest -m "not slow"

FAST = settings(
    max_examples=int(os.environ.get("PORTLINT_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# ---------------------------------------------------------------- port specs

ports = st.integers(min_value=0, max_value=70_000)
numbers = st.one_of(ports.map(str), st.from_regex(r"0{1,3}[0-9]{1,5}", fullmatch=True))
ranges = st.one_of(numbers, st.builds(lambda a, b: f"{a}-{b}", numbers, numbers))
ips = st.sampled_from(
    ["127.0.0.1", "0.0.0.0", "[::1]", "::1", "::", "10.0.0.7", "localhost", "1.2"]
)
protocols = st.sampled_from(["", "/tcp", "/udp", "/sctp", "/UDP", "/xyz", "/"])


@st.composite
def spec_texts(draw: st.DrawFn) -> str:
    """Mostly well-formed short syntax, with every part optional or slightly wrong."""
    container = draw(ranges)
    host = draw(st.one_of(st.none(), st.just(""), ranges))
    ip = draw(st.one_of(st.none(), ips))
    body = container
    if host is not None or ip is not None:
        body = f"{host or ''}:{container}"
    if ip is not None:
        body = f"{ip}:{body}"
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + body + draw(protocols) + draw(st.sampled_from(["", " "]))


any_spec_text = st.one_of(spec_texts(), st.text(alphabet="0123456789:-/[]. tcpudx", max_size=30))


def render(spec: PortSpec) -> str:
    """The canonical short syntax for a parsed spec."""

    def span(start: int, end: int) -> str:
        return str(start) if start == end else f"{start}-{end}"

    text = span(spec.container, spec.container_end)
    if spec.host is not None and spec.host_end is not None:
        text = f"{span(spec.host, spec.host_end)}:{text}"
    elif spec.host_ip is not None:
        text = f":{text}"
    if spec.host_ip is not None:
        ip = f"[{spec.host_ip}]" if ":" in spec.host_ip else spec.host_ip
        text = f"{ip}:{text}"
    return f"{text}/{spec.protocol}"


def core(spec: PortSpec) -> tuple[object, ...]:
    return (
        spec.container,
        spec.container_end,
        spec.host,
        spec.host_end,
        spec.host_ip,
        spec.protocol,
    )


def digits_at(text: str, offset: int) -> int:
    end = offset
    while end < len(text) and text[end].isdigit():
        end += 1
    return int(text[offset:end])


@FAST
@given(any_spec_text)
def test_port_spec_parser_round_trips_or_raises_its_own_error(text: str) -> None:
    try:
        spec = parse_port_spec(text)
    except PortSpecError as exc:
        assert exc.code in ("PL101", "PL102", "PL103") and exc.message
        return
    again = parse_port_spec(render(spec))
    assert core(again) == core(spec)
    assert digits_at(text, spec.container_offset) == spec.container
    if spec.host is not None:
        assert spec.host_offset is not None
        assert digits_at(text, spec.host_offset) == spec.host


# ---------------------------------------------------------------- scanners


def check_result(source: SourceFile, result: ScanResult) -> None:
    """Every location a scanner reports exists in the file it scanned."""
    lines = source.line_starts
    locations: list[Location] = [b.location for b in result.bindings]
    locations += [p.location for p in result.problems]
    for loc in locations:
        assert loc.path == source.path
        assert 1 <= loc.line <= len(lines), loc
        assert 1 <= loc.column <= len(source.line_text(loc.line)) + 1, loc
        if loc.end_line is not None:
            assert loc.line <= loc.end_line <= len(lines), loc
    for binding in result.bindings:
        loc = binding.location
        interpolated = binding.origin is not None or "$" in binding.text
        if binding.port is not None and loc.end_line == loc.line and not interpolated:
            shown = source.line_text(loc.line)[loc.column - 1 : (loc.end_column or 0) - 1]
            assert str(binding.port) in shown or shown.lstrip("0") == str(binding.port), (
                binding,
                shown,
            )


def scan(spec: ScannerSpec, text: str, name: str = "f") -> None:
    source = SourceFile(name, text)
    check_result(source, load(spec)(source, ScanContext()))


SCANNER_IDS = [s.name for s in SCANNERS]


@FAST
@given(st.sampled_from(SCANNERS), st.text(max_size=300))
def test_every_scanner_survives_arbitrary_text(spec: ScannerSpec, text: str) -> None:
    scan(spec, text)


SEEDS = {
    "compose": (
        'services:\n  web:\n    image: nginx\n    ports:\n      - "8080:80"\n'
        "      - target: 443\n        published: 8443\n    expose: ['9000']\n"
    ),
    "yaml": (
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n"
        "  ports:\n    - port: 80\n      targetPort: http\n      nodePort: 30080\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: web\n          ports:\n"
        "            - {name: http, containerPort: 8080, hostPort: 8080}\n"
    ),
    "devcontainer": (
        '{\n  // dev\n  "forwardPorts": [3000, "db:5432"],\n  "appPort": ["8080:80"],\n}\n'
    ),
    "dotenv": "# app\nPORT=8080\nexport ADMIN_PORT='9090'\nDB_URL=postgres://db:5432/x\n",
    "dockerfile": "FROM nginx\nARG P=8080\nEXPOSE 80 443/tcp ${P}\nEXPOSE 9000-9001/udp\n",
    "toml": '[server]\nport = 8080\nlisten = "0.0.0.0:9090"\n[db]\nurl = "postgres://db:5432/x"\n',
    "json": '{"port": 8080, "admin": {"port": "9090"}, "url": "http://localhost:3000/"}\n',
}


@FAST
@given(st.sampled_from(SCANNERS), st.data())
def test_every_scanner_survives_mangled_files(spec: ScannerSpec, data: st.DataObject) -> None:
    seed = SEEDS.get(spec.name, SEEDS["compose"])
    cut = data.draw(st.integers(0, len(seed)))
    insert = data.draw(st.text(alphabet=":-[]{}'\"#&*!|>\n\t 0123456789", max_size=8))
    drop = data.draw(st.integers(0, 3))
    scan(spec, seed[:cut] + insert + seed[cut + drop :])


@FAST
@given(st.binary(max_size=200))
def test_decode_never_raises(data: bytes) -> None:
    result = decode(data, "f")
    if isinstance(result, SourceFile):
        assert result.line_col(len(result.text))[0] == len(result.line_starts)


port_entries = st.one_of(
    spec_texts(),
    ports,
    st.fixed_dictionaries(
        {"target": st.one_of(ports, numbers)},
        optional={
            "published": st.one_of(ports, ranges),
            "protocol": st.sampled_from(["tcp", "udp", "TCP", "bogus"]),
            "host_ip": ips,
        },
    ),
)
services = st.dictionaries(
    st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True),
    st.fixed_dictionaries(
        {"image": st.sampled_from(["nginx", "postgres:16", "redis"])},
        optional={
            "ports": st.lists(port_entries, max_size=4),
            "expose": st.lists(st.one_of(ports, numbers), max_size=2),
        },
    ),
    min_size=1,
    max_size=4,
)


@FAST
@given(services, st.sampled_from([None, True, False]), st.sampled_from(["\n", "\r\n"]))
def test_compose_scanner_on_generated_documents(
    body: dict[str, object], flow: bool | None, newline: str
) -> None:
    text = yaml.safe_dump({"services": body}, default_flow_style=flow, width=60)
    scan_spec = next(s for s in SCANNERS if s.name == "compose")
    scan(scan_spec, text.replace("\n", newline), "compose.yaml")


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seeds_hold_ports(name: str) -> None:
    """The mangling test starts from files that really hold ports for their scanner."""
    spec = next(s for s in SCANNERS if s.name == name)
    result = load(spec)(SourceFile("f", SEEDS[name]), ScanContext())
    assert result.bindings and not result.problems


# ---------------------------------------------------------------- interpolation

variables = st.dictionaries(
    st.sampled_from(["A", "PORT", "_x", "EMPTY"]),
    st.builds(EnvValue, st.text(alphabet="0123456789:$-{}ab", max_size=6)),
    max_size=4,
)
templates = st.text(alphabet="${}:-?+_AaPORTx0123456789 ", max_size=40)


@FAST
@given(templates, variables)
def test_interpolation_never_raises_and_maps_back_into_the_text(
    text: str, env: dict[str, EnvValue]
) -> None:
    result = interpolate(text, env)
    if result.error is not None:
        assert 0 <= result.error[0] <= len(text) and result.error[1]
        return
    if "$" not in text:
        assert result.text == text
    covered = 0
    for piece in result.pieces:
        assert 0 <= piece.start <= piece.end <= len(text)
        assert piece.out_start == covered  # the pieces tile the resolved text in order
        covered = piece.out_end
    assert covered == len(result.text)
    for start in range(len(result.text)):
        lo, hi = result.span(start, start + 1)
        assert 0 <= lo < hi <= len(text)
    for missing in result.unresolved:
        assert text[missing.start] == "$" and 0 < missing.end <= len(text)
