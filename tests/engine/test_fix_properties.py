"""Properties of ``check --fix`` over generated compose files and the fuzz seeds.

After ``--fix --unsafe-fixes``: every file still parses, every value portlint
did not mean to change is equal (the parsed documents are compared with the
fixed findings' key paths removed), and a second run changes nothing.
``PORTLINT_FIX_EXAMPLES`` raises the number of generated projects.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from portlint.config import Config
from portlint.engine.fixing import applicable, fix
from portlint.engine.run import run
from portlint.findings import Finding
from portlint.results import RunResult
from tests.conftest import ROOT

EXAMPLES = settings(
    max_examples=int(os.environ.get("PORTLINT_FIX_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CONFIG = Config(select=("PL",), cache=False)  # every rule, PL501 included

# --- generated compose files ----------------------------------------------------------------

hosts = st.sampled_from(
    [
        "5432",
        "6379",
        "2222",
        "8080",
        "2375",
        "9200",
        "3000-3001",
        "15672",
        "${WEB_PORT}",
        "$API_PORT",
    ]
)
targets = st.sampled_from(["5432", "6379", "22", "80", "2375", "9200", "3000-3001", "15672"])
ips = st.sampled_from(["", "0.0.0.0:", "127.0.0.1:", "[::]:"])
protocols = st.sampled_from(["", "/tcp", "/udp"])
comments = st.sampled_from(
    [
        "",
        "  # published for tools",
        "  # portlint: ignore[PL401]",
        " # portlint: ignore[PL105, PL201]",
    ]
)


@st.composite
def short_entry(draw: st.DrawFn) -> str:
    host, target = draw(hosts), draw(targets)
    if "$" in host:
        target = "80"
    elif ("-" in host) != ("-" in target):
        target = host
    spec = f"{draw(ips)}{host}:{target}{draw(protocols)}"
    quote = draw(st.sampled_from(["", '"', "'"]))
    if quote == "" and not re.fullmatch(r"[0-9:]+", spec):
        quote = '"'  # a plain scalar with `[` or `/` is fine too, but keep YAML simple
    return f"- {quote}{spec}{quote}{draw(comments)}"


@st.composite
def long_entry(draw: st.DrawFn) -> str:
    target = draw(st.sampled_from(["5432", "6379", "80", "9200"]))
    published = draw(st.sampled_from(["5432", '"6379"', "8080", "9200"]))
    ip = draw(st.sampled_from(["", "0.0.0.0", "127.0.0.1"]))
    if draw(st.booleans()):  # flow
        parts = [f"target: {target}", f"published: {published}"]
        if ip:
            parts.append(f"host_ip: {ip}")
        return "- {" + ", ".join(draw(st.permutations(parts))) + "}"
    lines = [f"target: {target}", f"published: {published}"] + ([f"host_ip: {ip}"] if ip else [])
    lines = draw(st.permutations(lines))
    return "- " + "\n        ".join(lines)


@st.composite
def compose_file(draw: st.DrawFn) -> bytes:
    names = draw(st.lists(st.sampled_from(["db", "cache", "web", "ssh", "dind"]), min_size=1,
                          max_size=4, unique=True))  # fmt: skip
    out = ["services:"]
    for name in names:
        image = draw(st.sampled_from(["postgres:16", "redis:7", "nginx", "app"]))
        out += [f"  {name}:", f"    image: {image}"]
        entries = draw(st.lists(st.one_of(short_entry(), long_entry()), min_size=1, max_size=3))
        out.append("    ports:")
        out += [f"      {entry}" for entry in entries]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    data = (newline.join(out) + newline).encode("utf-8")
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + data


# --- the comparison ------------------------------------------------------------------------

_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def _path(anchor: str) -> list[str | int]:
    return [int(i) if i else key for i, key in _PART.findall(anchor)]


def _without(doc: Any, paths: list[list[str | int]]) -> Any:
    """The document with the value at each path replaced by a marker."""
    for path in paths:
        node = doc
        for part in path[:-1]:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
                break
        if node is not None:
            with contextlib.suppress(KeyError, IndexError, TypeError):
                node[path[-1]] = "<fixed>"
    return doc


def _load(data: bytes) -> list[Any]:
    return list(yaml.safe_load_all(data.decode("utf-8-sig")))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _anchor(key_path: tuple[Any, ...]) -> str:
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _ports(result: RunResult, moved: set[str]) -> dict[tuple[Any, ...], list[tuple[Any, ...]]]:
    """What each binding says, by where it is written; a moved one's port left out."""
    out: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for b in result.bindings:
        port = None if b.anchor in moved else b.port
        says = (port, b.end_port, b.target, b.target_end, b.protocol)
        out.setdefault((b.location.path, b.key_path, b.role), []).append((says, b.host_ip))
    return {key: sorted(values, key=repr) for key, values in out.items()}


def check_fix_properties(folder: Path) -> int:
    """Fix ``folder`` twice and check the three properties; the number of fixes applied."""
    cwd = str(folder)
    before = _files(folder)
    first = run(["."], CONFIG, cwd)
    seen: list[Finding] = []
    result = fix(["."], CONFIG, cwd, unsafe=True, seen=seen)
    edited = [_path(f.anchor) for f in seen if applicable(f, True) and f.anchor]
    after = _files(folder)
    # Inside the edited entries: the same ports, ranges and protocols (but the port of a
    # claim PL401/PL402 moved); a host IP may only have become 127.0.0.1.
    moved = {f.anchor for f in seen if f.code in ("PL401", "PL402") and f.fix}
    old_ports, new_ports = _ports(first, moved), _ports(result, moved)
    defaulted = {f.anchor for f in seen if f.code == "PL104" and applicable(f, True)}
    # A variable that got its default now resolves: Compose no longer picks the host port.
    for ports in (old_ports, new_ports):
        for key in [k for k in ports if _anchor(k[1]) in defaulted]:
            del ports[key]
    assert old_ports.keys() == new_ports.keys()
    for key, values in new_ports.items():
        assert len(values) == len(old_ports[key])
        for (says, ip), (said, old_ip) in zip(values, old_ports[key], strict=True):
            assert says == said
            assert ip in (old_ip, "127.0.0.1")
    assert not any(f.code == "PL001" for f in result.findings)
    for name, data in before.items():
        if not name.endswith((".yaml", ".yml")):
            continue
        try:
            old = _load(data)
        except yaml.YAMLError:
            continue  # a seed that never parsed is not for this property
        new = _load(after[name])  # still parses
        assert [_without(d, edited) for d in new] == [_without(d, edited) for d in old], name
    again = fix(["."], CONFIG, cwd, unsafe=True)
    assert again.fixed == 0 and _files(folder) == after
    return result.fixed


@EXAMPLES
@given(compose_file())
# A moved port leaves a second code of the line's directive unused: a second PL004 there.
@example(
    b"services:\n  db:\n    image: redis:7\n    ports:\n      - target: 5432\n"
    b'        published: 5432\n      - "0.0.0.0:5432:5432" # portlint: ignore[PL105, PL201]\n'
)
def test_generated_compose_files(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("gen")
    (folder / "compose.yaml").write_bytes(data)
    # WEB_PORT is documented in the template only (PL104 and its fix), API_PORT nowhere.
    (folder / ".env").write_text("COMPOSE_PROJECT_NAME=gen\n", encoding="utf-8")
    (folder / ".env.example").write_text("WEB_PORT=8081\n", encoding="utf-8")
    check_fix_properties(folder)


SEEDS = sorted((ROOT / "fuzz" / "seeds").iterdir())
NAMES = {"compose-anchors.yaml": "compose.yaml", "compose-base60.yaml": "compose.yaml",
         "compose-interpolated.yaml": "compose.yaml", "dotenv.env": ".env"}  # fmt: skip


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_fuzz_seeds(seed: Path, tmp_path: Path) -> None:
    shutil.copy(seed, tmp_path / NAMES.get(seed.name, seed.name))
    check_fix_properties(tmp_path)
