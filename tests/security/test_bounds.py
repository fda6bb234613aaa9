"""Port ranges cost what single ports cost (issue 19, item 4).

``ports: ["1-65535:1-65535"]`` in 200 services took 38 s and 3.5 GB; in
2,000 services the run was killed at 24 GB, because the collision rules
stored every port of every range. The rules now keep intervals. The end-to-end
test runs portlint in a child process whose address space and CPU time are
capped by the kernel (1 GiB, 120 CPU seconds): the work is bounded by what
the process may use, not by how long a wall clock says it took. The old code
hits the memory cap within seconds (a MemoryError, exit 2); the new one needs
about 80 MB and 3 CPU seconds for all five shapes.

The other tests pin what the rules report for overlapping ranges, and compare
the interval rules with the port-by-port definition on random small inputs.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from portlint.bindings import HOST, Namespace, PortBinding, location_key
from portlint.registry.allocations import Allocations
from portlint.registry.free import used_ports
from portlint.rules.base import Settings
from portlint.rules.collisions import (
    duplicate_container_port,
    duplicate_host_port,
    find_duplicates,
    fixed_ports,
    ips_overlap,
    possible_host_port_overlap,
    repository_port_conflict,
)
from tests.rules._helpers import bind, run

SERVICES = 2000
GIB = 1 << 30

# One compose project per shape, SERVICES services each.
SHAPES: Mapping[str, Callable[[int], str]] = {
    "full": lambda i: '    ports: ["1-65535:1-65535"]\n',  # PL401
    "picked": lambda i: '    ports: ["1-65535:80", "1-65535:1-65535"]\n',  # PL406
    "shared": lambda i: (
        ('    network_mode: "service:s0"\n' if i else "") + '    expose: ["1-65535"]\n'
    ),  # PL403 in one namespace
    "own": lambda i: '    expose: ["1-65535"]\n',  # PL403, a namespace per service
    "claims": lambda i: '    ports: ["1-1024:1-1024"]\n',  # PL402's widest checked range
}

LIMITED_RUN = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
from portlint.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_limited(argv: list[str], cwd: Path, memory: int, cpu_seconds: int) -> tuple[int, str]:
    """Run portlint in a child process the kernel stops at ``memory`` bytes or ``cpu_seconds``."""
    code = LIMITED_RUN.format(limit=memory, cpu=cpu_seconds)
    done = subprocess.run(
        [sys.executable, "-c", code, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=cpu_seconds * 3,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is Linux's")
def test_full_port_ranges_in_thousands_of_services_stay_bounded(
    make_project: Callable[[Mapping[str, str]], Path],
) -> None:
    files = {}
    for name, body in SHAPES.items():
        # an image that names no well-known program: the rules judge the ports alone
        services = "".join(f"  s{i}:\n    image: example/app\n{body(i)}" for i in range(SERVICES))
        # one external network: evidence that the four projects run together (PL402)
        shared = "networks:\n  shared:\n    external: true\n"
        files[f"{name}/compose.yaml"] = "services:\n" + services + shared
    root = make_project(files)
    code, output = run_limited(
        # PL204 and PL501 are off by default; they are on here to bound their work too
        ["check", "--no-cache", "--no-color", "--extend-select", "PL204,PL501", "."],
        root,
        memory=GIB,
        cpu_seconds=120,
    )
    assert code == 1, output[-2000:]
    shown = Counter(
        (m["folder"], m["code"])
        for m in re.finditer(
            r"(?m)^(?P<folder>\w+)/compose\.yaml:\d+:\d+: "
            r"(?:error |warning |note )?(?P<code>PL\d+) ",
            output,
        )
        if m["code"] != "PL005"
    )
    # Each file shows at most 1,000 findings, a PL005 note among them saying how many more:
    # what the rules found is what was shown plus what the note counts.
    hidden = {
        m["folder"]: int(m["count"])
        for m in re.finditer(
            r"(?m)^(?P<folder>\w+)/compose\.yaml:\d+:\d+: "
            r"(?:error |warning |note )?PL005 .*?(?P<count>\d+) more findings",
            output,
        )
    }
    others = SERVICES - 1
    expected = {
        # each service after the first repeats s0's range: one finding, against s0
        ("full", "PL401"): others,
        ("full", "PL501"): SERVICES,
        # every service claims port 1, which the project in claims/ claimed first
        ("full", "PL402"): SERVICES,
        # each picked range includes fixed ports: one finding per range, not per port
        ("picked", "PL406"): SERVICES,
        ("picked", "PL401"): others,
        ("picked", "PL402"): SERVICES,
        ("picked", "PL501"): SERVICES,
        ("shared", "PL403"): others,
        ("claims", "PL401"): others,
        ("claims", "PL501"): SERVICES,
        ("claims", "PL201"): SERVICES,
        ("claims", "PL204"): SERVICES,
        # 1-1024 takes 22, which a server's own sshd holds (first held port only)
        ("claims", "PL601"): SERVICES,
    }
    for folder in {f for f, _ in expected}:
        found = sum(n for (f, _), n in expected.items() if f == folder)
        shown_here = sum(n for (f, _), n in shown.items() if f == folder)
        # over the limit, the PL005 note takes the last of the 1,000 places
        assert shown_here == (found if found <= 1000 else 999), (folder, shown_here)
        assert shown_here + hidden.get(folder, 0) == found, (folder, hidden)
    # what was shown is the most severe first, from the expected codes only
    assert set(shown) <= set(expected), shown
    assert shown[("shared", "PL403")] == 999


# --- what overlapping ranges report -------------------------------------------


def test_three_overlapping_ranges_each_name_the_earlier_claims() -> None:
    first = bind(8000, end_port=8100, target=8000, target_end=8100, owner="a", line=1)
    second = bind(8050, end_port=8150, target=8050, target_end=8150, owner="b", line=2)
    third = bind(8090, owner="c", target=80, line=3)
    found = run(duplicate_host_port, [first, second, third])
    assert [(f.location.line, f.port, f.message) for f in found] == [
        (2, 8050, 'host port 8050/tcp is already published by service "a" (compose.yaml:1:1)'),
        (
            3,
            8090,
            'host port 8090/tcp is already published by service "a" (compose.yaml:1:1) and 1 other',
        ),
    ]
    assert [r.line for r in found[1].related] == [1, 2]


def test_a_range_reaching_into_another_reports_the_first_shared_port() -> None:
    low = bind(100, end_port=300, target=100, target_end=300, owner="a", line=1)
    high = bind(250, owner="b", target=80, line=2)
    later = bind(200, end_port=400, target=200, target_end=400, owner="c", line=3)
    found = run(duplicate_host_port, [low, high, later])
    assert [(f.location.line, f.port, [r.line for r in f.related]) for f in found] == [
        (2, 250, [1]),
        (3, 200, [1, 2]),  # a covers 200; b starts at 250
    ]


def test_related_claims_stop_at_twenty() -> None:
    claims = [
        bind(1, end_port=65535, target=1, target_end=65535, owner=f"s{i}", line=i + 1)
        for i in range(50)
    ]
    found = run(duplicate_host_port, claims)
    assert len(found) == 49
    assert [len(f.related) for f in found] == [min(i, 20) for i in range(1, 50)]
    assert [r.line for r in found[-1].related] == list(range(1, 21))


def test_an_engine_picked_range_reports_the_first_fixed_port_inside() -> None:
    picked = bind(8000, end_port=8100, target=80, owner="web", line=1)
    fixed = [bind(p, owner=f"s{p}", target=p, line=10 + i) for i, p in enumerate((8095, 8090))]
    found = run(possible_host_port_overlap, [picked, *fixed])
    assert [f.message for f in found] == [
        'host port range 8000-8100/tcp includes 8090, published by service "s8090" '
        "(compose.yaml:11:1)"
    ]


def test_used_ports_merge_ranges_before_expanding() -> None:
    ranges = [bind(1000, end_port=5000, target=None) for _ in range(SERVICES)]
    assert used_ports([*ranges, bind(7000, target=80)]) == {*range(1000, 5001), 7000, 80}


# --- the intervals agree with the port-by-port definition ---------------------

IPS = (None, "", "0.0.0.0", "::", "127.0.0.1", "127.0.0.2", "::1", "[::1]", "host")


def reference_duplicates(bindings: Sequence[PortBinding]) -> list[tuple[object, ...]]:
    """PL401 as defined: port by port, each binding against the earlier claims there."""
    index: dict[tuple[object, ...], list[PortBinding]] = {}
    out = []
    ordered = sorted(bindings, key=lambda b: location_key(b.location))
    for binding in ordered:
        if binding.role != "host" or binding.project is None:
            continue
        earlier: list[PortBinding] = []
        clash = -1
        for port in fixed_ports(binding):
            here = index.setdefault((binding.project, binding.protocol, port), [])
            for other in here:
                if len(earlier) >= 20:
                    break
                if any(other is e for e in earlier) or _same(other, binding):
                    continue
                if ips_overlap(other.host_ip, binding.host_ip):
                    earlier.append(other)
                    clash = port if clash < 0 else clash
            here.append(binding)
        if earlier:
            out.append((binding.location, clash, tuple(e.location for e in earlier)))
    return out


def _same(a: PortBinding, b: PortBinding) -> bool:
    fields = ("owner", "host_ip", "port", "end_port", "protocol", "target", "target_end")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def random_bindings(rng: random.Random, count: int) -> Iterator[PortBinding]:
    for _ in range(count):
        lo = rng.randint(0, 30)
        length = rng.choice((0, 0, 1, 3, 10, 25))
        end = lo + length if length or rng.random() < 0.2 else None
        target = rng.randint(0, 30) if rng.random() < 0.8 else None
        target_end = None
        if target is not None and end is not None and rng.random() < 0.7:
            target_end = target + end - lo
        kind = rng.choice(("compose", "compose", "kubernetes"))
        joined = rng.choice("abc") if rng.random() < 0.4 else None  # network_mode: service:X
        role = rng.choice(("host", "host", "container"))
        owner = rng.choice("abcde")
        line, column = rng.randint(1, 9), rng.randint(1, 3)
        project = rng.choice(("p1", "p2", None))
        typed: dict[str, object] = {}
        if kind == "compose":
            inner = Namespace("container", f"{project}/{joined or owner}")
            typed = {
                "namespace": HOST if role == "host" else inner,
                "target_namespace": inner if role == "host" and target is not None else None,
            }
        binding = bind(
            lo,
            end_port=end,
            target=target,
            target_end=target_end,
            role=role,
            owner=owner,
            kind=kind,
            line=line,
            column=column,
            project=project,
            host_ip=rng.choice(IPS),
            protocol=rng.choice(("tcp", "tcp", "udp")),
            **typed,
        )
        yield binding
        if rng.random() < 0.05:
            yield binding  # the same object twice


@pytest.mark.parametrize("seed", range(40))
def test_duplicates_on_intervals_match_the_port_by_port_definition(seed: int) -> None:
    rng = random.Random(seed)
    bindings = list(random_bindings(rng, rng.randint(5, 120)))
    got = [
        (binding.location, port, tuple(e.location for e in earlier))
        for binding, earlier, port in find_duplicates(bindings)
    ]
    assert got == reference_duplicates(bindings)


def test_container_ports_after_a_clash_stay_undeclared() -> None:
    """A port-by-port scan stops at the first clash; the interval rule keeps that."""
    a = bind(80, role="container", owner="a", line=1, kind="kubernetes", project="pod")
    b = bind(79, end_port=81, role="container", owner="b", line=2, kind="kubernetes", project="pod")
    c = bind(81, role="container", owner="c", line=3, kind="kubernetes", project="pod")
    found = run(duplicate_container_port, [a, b, c])
    assert [(f.location.line, f.port) for f in found] == [(2, 80)]


def test_repository_conflicts_judge_each_claimant_once_per_port() -> None:
    wide = bind(3000, end_port=3010, owner="a", project="compose:a", target=3000, target_end=3010)
    inside = [
        bind(3005, owner=f"s{i}", project=f"compose:s{i}", target=80, line=2 + i) for i in range(3)
    ]
    one_space = Settings(allocations=Allocations([]))  # an allocation file: PL402's evidence
    found = run(repository_port_conflict, [wide, *inside], one_space)
    assert [(f.location.line, f.port, len(f.related)) for f in found] == [
        (2, 3005, 1),
        (3, 3005, 2),
        (4, 3005, 3),
    ]
