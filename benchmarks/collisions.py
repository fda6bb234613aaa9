"""Are the repository-wide rules linear? Time them on 10,000 and 100,000 bindings.

    PYTHONPATH=. python benchmarks/collisions.py            # prints a markdown table
    PYTHONPATH=. python benchmarks/collisions.py --sizes 100000
    PYTHONPATH=. python benchmarks/collisions.py --write docs/benchmarks.md

No files and no scanning: synthetic bindings go straight into every
project-scope rule of the catalogue (on or off by default), one rule at a
time, in three shapes. A pairwise loop hides in the shapes where many
bindings share one key, so those are here on purpose:

- ``spread``: a platform monorepo. Compose projects of ten services,
  `.env` listen claims, Kubernetes pods with hostPorts and Services with
  nodePorts; a third of the ports on a few popular numbers.
- ``one-project``: every host binding in one Compose project, ports drawn
  from 1,000 numbers (a generated stack, or a hostile one).
- ``one-port``: every binding on port 8080: host claims in 1,000 projects,
  listen claims and nodePorts all on one number.

A linear rule costs about 10x from 10,000 to 100,000; a quadratic one 100x.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Callable

from portlint.bindings import Location, PortBinding
from portlint.config import Config
from portlint.engine.run import check_bindings
from portlint.rules import ALL_RULES

HOT = (80, 443, 3000, 5432, 6379, 8000, 8080, 8443)


def _binding(i: int, port: int, shape: str, rng: random.Random) -> PortBinding:
    project = i // 10 if shape == "spread" else (0 if shape == "one-project" else i % 1000)
    folder = f"group{project // 10:04}/svc{project:05}"
    kind = i % 10
    if kind == 0:  # an app's own listening port, from its .env
        return PortBinding(
            Location(f"{folder}/.env", 1 + i % 50, 10), "dotenv", f"KEY{i}_PORT", "listen", port
        )
    if kind == 1:  # a Kubernetes nodePort
        return PortBinding(
            Location(f"k8s/{folder}.yaml", 10, 19),
            "kubernetes",
            f"svc{i}",
            "node",
            30000 + port % 2768,
        )
    if kind == 2:  # a pod's hostPort
        return PortBinding(
            Location(f"k8s/{folder}-pod.yaml", 12, 21),
            "kubernetes",
            f"pod{i}",
            "host",
            port,
            target=port,
            project=f"pod:{folder}",
        )
    return PortBinding(
        Location(f"{folder}/compose.yaml", 5 + i % 200, 10),
        "compose",
        f"s{i}",
        "host",
        port,
        target=80,
        host_ip="127.0.0.1" if rng.random() < 0.1 else None,
        project=f"compose:{folder}",
    )


def synthetic(n: int, shape: str, seed: int = 7) -> list[PortBinding]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if shape == "one-port":
            port = 8080
        elif shape == "one-project":
            port = 1024 + rng.randrange(1000)
        else:
            port = rng.choice(HOT) if rng.random() < 0.3 else rng.randint(1024, 30000)
        out.append(_binding(i, port, shape, rng))
    return out


def timed(run: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    found = run()
    return time.perf_counter() - start, found


def main() -> None:
    parser = argparse.ArgumentParser(description="time the project-scope rules")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--shapes", default="spread,one-project,one-port")
    parser.add_argument("--write", metavar="MARKDOWN", help="replace the table region here")
    args = parser.parse_args()
    gc.disable()  # as `portlint check` runs (portlint/cli.py): no full passes over live bindings
    sizes = [int(s) for s in args.sizes.split(",")]
    rules = [r for r in ALL_RULES if r.scope == "project" and r.check is not None]
    config = Config()
    lines = [
        "| shape | bindings | " + " | ".join(r.code for r in rules) + " | all together |",
        "|---|---|" + "---|" * (len(rules) + 1),
    ]
    for shape in args.shapes.split(","):
        for n in sizes:
            bindings = synthetic(n, shape)
            cells = []
            for rule in rules:
                seconds, found = timed(
                    lambda r=rule, b=bindings: len(check_bindings(b, [r], config))
                )
                cells.append(f"{seconds * 1000:.0f} ms ({found})")
                print(f"{shape} {n} {rule.code} {seconds:.3f} s {found}", file=sys.stderr)
            seconds, found = timed(lambda b=bindings: len(check_bindings(b, rules, config)))
            cells.append(f"{seconds * 1000:.0f} ms")
            lines.append(f"| {shape} | {n:,} | " + " | ".join(cells) + " |")
    print("\n".join(lines))
    if args.write:
        from bench import machine, write_region

        note = f"Machine: {machine()}. Measured {time.strftime('%Y-%m-%d %H:%M')}."
        write_region(args.write, "collisions", note + "\n\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
