"""Time the repository-wide rules on synthetic bindings (no files, no scanning).

    PYTHONPATH=. python tools/bench_collisions.py [N]

Builds N bindings (default 100,000) spread over N/10 compose projects in
N/100 folders: 30% on a handful of hot ports (80, 3000, 8080 ...), the rest
spread over 1024-30000, a tenth of them loopback-bound, some .env listen
claims. Prints the time each project-scope rule takes, and all rules together.
"""

from __future__ import annotations

import random
import sys
import time

from portlint.bindings import Location, PortBinding
from portlint.config import Config
from portlint.engine.run import check_bindings
from portlint.rules import ALL_RULES

HOT = (80, 443, 3000, 5432, 6379, 8000, 8080, 8443)


def synthetic(n: int, seed: int = 8) -> list[PortBinding]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        project = i // 10
        folder = f"group{project // 10:04}/svc{project:05}"
        if i % 7 == 0:
            path, role, kind, proj = f"{folder}/.env", "listen", "dotenv", None
        else:
            path, role, kind, proj = (
                f"{folder}/compose.yaml",
                "host",
                "compose",
                f"compose:{folder}",
            )
        port = rng.choice(HOT) if rng.random() < 0.3 else rng.randint(1024, 30000)
        out.append(
            PortBinding(
                location=Location(path, 5 + i % 10, 10),
                kind=kind,
                owner=f"s{i % 10}" if kind == "compose" else f"KEY{i % 10}_PORT",
                role=role,  # type: ignore[arg-type]
                port=port,
                target=port if kind == "compose" else None,
                host_ip="127.0.0.1" if rng.random() < 0.1 else None,
                project=proj,
            )
        )
    return out


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 100_000
    bindings = synthetic(n)
    config = Config()
    print(f"{n} bindings")
    for rule in ALL_RULES:
        if rule.scope != "project":
            continue
        start = time.perf_counter()
        found = check_bindings(bindings, [rule], config)
        elapsed = time.perf_counter() - start
        print(f"  {rule.code} {rule.name:<28} {elapsed:6.3f} s  {len(found)} findings")
    from types import MappingProxyType

    from portlint.rules import BY_CODE

    samples = Config(rule_options=MappingProxyType({"PL402": {"independent": ["group*/*"]}}))
    start = time.perf_counter()
    found = check_bindings(bindings, [BY_CODE["PL402"]], samples)
    elapsed = time.perf_counter() - start
    print(f"  PL402 with independent=group*/*    {elapsed:6.3f} s  {len(found)} findings")
    start = time.perf_counter()
    found = check_bindings(bindings, [r for r in ALL_RULES if r.check], config)
    elapsed = time.perf_counter() - start
    print(f"  all rules (on and off)             {elapsed:6.3f} s  {len(found)} findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
