"""Compare portlint's reading of compose files with Docker Compose v1's own normalisation.

Usage: python tools/compare_compose.py [CASE_DIR ...]
(default: every folder under tests/fixtures/compose/conformance)

For each case folder, ``docker-compose config`` (Debian's v1.29 package, no
engine needed) prints the merged, interpolated model; portlint's compose
scanner reads the same files. Both sides are reduced to the same facts per
service - ``ports`` entries as (host IP, published, target, protocol) with
paired ranges expanded port by port, ``expose`` entries as (port, protocol) -
and compared as sets. Where v1 rejects a file, the case agrees only when
portlint reports an error for it too.

Not part of the package: a developer tool, run by hand and by an optional
test that skips when docker-compose is absent. Figures go in
docs/compose-conformance.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portlint.bindings import PortBinding  # noqa: E402
from portlint.config import Config  # noqa: E402
from portlint.engine.scan import make_scan_context  # noqa: E402
from portlint.scanners import compose  # noqa: E402
from portlint.source import SourceFile  # noqa: E402

CASES = ROOT / "tests" / "fixtures" / "compose" / "conformance"
FILE_ORDER = ("docker-compose.yml", "docker-compose.override.yml")

Fact = tuple[str, ...]
REJECTS = (" PL101 ", " PL102 ", " PL103 ")


@dataclass
class CaseResult:
    name: str
    v1_error: str | None
    v1: set[Fact] = field(default_factory=set)
    ours: set[Fact] = field(default_factory=set)
    our_problems: list[str] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        if self.v1_error is not None:  # both must reject it: an error, not a PL104 warning
            return any(code in p for p in self.our_problems for code in REJECTS)
        return self.v1 == self.ours


def _range(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return f"{start}-{end}" if end is not None and end != start else str(start)


def _bounds(text: str) -> tuple[int, int] | None:
    first, _, last = text.partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        return None
    return int(first), int(last or first)


def _expand(service: str, ip: str, published: str, target: str, proto: str) -> set[Fact]:
    """Paired ranges become one fact per port, as v1 prints them."""
    pub, tgt = _bounds(published), _bounds(target)
    if pub and tgt and tgt[1] > tgt[0] and pub[1] - pub[0] == tgt[1] - tgt[0]:
        return {
            ("ports", service, ip, str(pub[0] + i), str(tgt[0] + i), proto)
            for i in range(tgt[1] - tgt[0] + 1)
        }
    if tgt and tgt[1] > tgt[0] and not published:
        return {("ports", service, ip, "", str(p), proto) for p in range(tgt[0], tgt[1] + 1)}
    return {("ports", service, ip, published, target, proto)}


def _v1_string(entry: str) -> tuple[str, str, str, str]:
    """``IP:HOST:CONTAINER/PROTO`` as v1 prints an entry with a host IP."""
    body, _, proto = entry.partition("/")
    parts = body.rsplit(":", 2)
    while len(parts) < 3:
        parts.insert(0, "")
    ip, host, container = parts
    return ip.strip("[]"), host, container, proto or "tcp"


def v1_facts(case: Path, files: list[str]) -> tuple[set[Fact], str | None]:
    argv = ["docker-compose", "--project-directory", str(case)]
    for name in files:
        argv += ["-f", str(case / name)]
    proc = subprocess.run(
        [*argv, "config"],
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        check=False,
    )
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        return set(), lines[-1] if lines else f"exit {proc.returncode}"
    model = yaml.safe_load(proc.stdout)
    facts: set[Fact] = set()
    for service, body in (model.get("services") or {}).items():
        host_net = body.get("network_mode") == "host"
        for entry in body.get("ports") or []:
            if isinstance(entry, dict):
                ip = str(entry.get("host_ip", ""))
                published = str(entry.get("published", ""))
                target = str(entry["target"])
                proto = str(entry.get("protocol", "tcp"))
            else:
                ip, published, target, proto = _v1_string(str(entry))
            if host_net:
                facts.add(("ports-host-network", service, target, proto))
            else:
                facts |= _expand(service, ip, published, target, proto)
        for entry in body.get("expose") or []:
            port, _, proto = str(entry).partition("/")
            facts.add(("expose", service, port, proto or "tcp"))
    return facts, None


def _our_fact(b: PortBinding) -> set[Fact]:
    section = str(b.key_path[2]) if len(b.key_path) > 2 else ""
    if section == "expose":
        return {("expose", b.owner, _range(b.port, b.end_port), b.protocol)}
    if ("network_mode", "host") in b.extra:
        return {("ports-host-network", b.owner, _range(b.port, b.end_port), b.protocol)}
    if b.role == "host":
        published = _range(b.port, b.end_port)
        target = _range(b.target, b.target_end)
    else:
        published, target = "", _range(b.port, b.end_port)
    return _expand(b.owner, b.host_ip or "", published, target, b.protocol)


def our_facts(case: Path, files: list[str]) -> tuple[set[Fact], list[str]]:
    ctx = make_scan_context(Config(), str(case))
    facts: set[Fact] = set()
    problems: list[str] = []
    for name in files:
        source = SourceFile(name, (case / name).read_text(encoding="utf-8"))
        result = compose.scan(source, ctx)
        for b in result.bindings:
            facts |= _our_fact(b)
        problems += [f"{p.location} {p.code} {p.message}" for p in result.problems]
    return facts, problems


def compare(case: Path) -> CaseResult:
    files = [name for name in FILE_ORDER if (case / name).is_file()]
    v1, error = v1_facts(case, files)
    ours, problems = our_facts(case, files)
    return CaseResult(case.name, error, v1, ours, problems)


def main(argv: list[str]) -> int:
    if shutil.which("docker-compose") is None:
        print("docker-compose (v1) is not installed: apt-get install docker-compose")
        return 2
    cases = [Path(a) for a in argv] or sorted(p for p in CASES.iterdir() if p.is_dir())
    results = [compare(case) for case in cases]
    entries_total = entries_same = 0
    for r in results:
        if r.v1_error is None:
            entries_total += len(r.v1 | r.ours)
            entries_same += len(r.v1 & r.ours)
        print(f"{'agree' if r.agrees else 'DIFFER'}  {r.name}")
        if r.v1_error is not None:
            print(f"    v1 rejects the file: {r.v1_error}")
        for fact in sorted(r.v1 - r.ours):
            print(f"    only v1:       {fact}")
        for fact in sorted(r.ours - r.v1):
            print(f"    only portlint: {fact}")
        for problem in r.our_problems:
            print(f"    portlint says: {problem}")
    agreed = sum(r.agrees for r in results)
    print(f"\n{agreed}/{len(results)} files agree")
    print(f"{entries_same}/{entries_total} port facts agree in files v1 accepts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
