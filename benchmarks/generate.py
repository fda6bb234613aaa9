"""A deterministic synthetic monorepo for benchmarking portlint.

The mix imitates a platform team's repository: compose projects with an
override and a ``.env``, Kubernetes manifests, Helm values, TOML and JSON app
configs, Dockerfiles, and plenty of files that hold no port at all (CI
workflows, docs, source). The same ``--files`` and ``--seed`` always give the
same bytes, so figures from two machines compare.
"""

from __future__ import annotations

import argparse
import os
import random

# Share of files per kind; "noise" files are discovered candidates without ports.
MIX = (
    ("compose", 0.10),
    ("override", 0.04),
    ("dotenv", 0.08),
    ("k8s", 0.18),
    ("values", 0.08),
    ("toml", 0.07),
    ("json", 0.07),
    ("dockerfile", 0.08),
    ("workflow", 0.10),
    ("noise", 0.20),
)
IMAGES = ("postgres:16", "redis:7", "nginx:1.27", "ghcr.io/acme/api:1", "node:20", "rabbitmq:3")


class PortRandom(random.Random):
    """A seeded random source that also hands out the repository's port numbers.

    ``few`` collisions (the default) models a repository that already lints
    clean in CI: every claim gets its own port from a shuffled pool, except
    about one in a hundred that reuses an earlier one (a real collision).
    ``dense`` draws every port from a few hundred numbers around popular
    defaults, so most claims collide: the worst case for the rules and the
    reporter, not what a pre-commit hook usually sees.
    """

    def __init__(self, seed: int, collisions: str = "few") -> None:
        super().__init__(seed)
        self.collisions = collisions
        self.pool = list(range(10000, 30000))
        self.shuffle(self.pool)
        self.used: list[int] = []

    def port(self) -> int:
        if self.collisions == "dense":
            return self.choice((80, 443, 3000, 5432, 6379, 8000, 8080, 9090)) + self.randrange(400)
        if self.used and (self.random() < 0.01 or not self.pool):
            return self.choice(self.used)
        value = self.pool.pop()
        self.used.append(value)
        return value


def _port(rng: PortRandom) -> int:
    return rng.port()


def compose(rng: PortRandom, i: int) -> str:
    lines = ["services:"]
    for s in range(rng.randint(2, 6)):
        p = _port(rng)
        lines += [
            f"  svc{i}-{s}:",
            f"    image: {rng.choice(IMAGES)}",
            "    environment:",
            "      LOG_LEVEL: info",
            f"      REPLICAS: {rng.randint(1, 5)}",
            "    ports:",
            f'      - "{p}:{p}"',
            f'      - "127.0.0.1:{_port(rng)}:{rng.randint(1, 9000)}"',
            "    expose:",
            f'      - "{rng.randint(1024, 9000)}"',
        ]
    return "\n".join(lines) + "\n"


def override(rng: PortRandom, i: int) -> str:
    p = _port(rng)
    return (
        f'services:\n  svc{i}-0:\n    ports:\n      - "{p}:{p}"\n'
        '    environment:\n      DEBUG: "1"\n'
    )


def dotenv(rng: PortRandom, i: int) -> str:
    return (
        f"# service {i}\nAPP_NAME=svc{i}\nAPI_PORT={_port(rng)}\nWORKERS={rng.randint(1, 8)}\n"
        f"DATABASE_URL=postgres://app:secret@db:5432/app{i}\nTIMEOUT=30\n"
    )


def k8s(rng: PortRandom, i: int) -> str:
    p = _port(rng)
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: web{i}
  namespace: team{i % 7}
spec:
  replicas: {rng.randint(1, 5)}
  template:
    spec:
      containers:
        - name: app
          image: {rng.choice(IMAGES)}
          ports:
            - name: http
              containerPort: {p}
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            limits:
              memory: 512Mi
---
apiVersion: v1
kind: Service
metadata:
  name: web{i}
  namespace: team{i % 7}
spec:
  type: NodePort
  ports:
    - port: 80
      targetPort: http
      nodePort: {30000 + (i % 2700)}
"""


def values(rng: PortRandom, i: int) -> str:
    return f"""replicaCount: {rng.randint(1, 4)}
image:
  repository: ghcr.io/acme/chart{i}
  tag: "1.{i % 30}.0"
service:
  type: ClusterIP
  port: {_port(rng)}
metrics:
  enabled: true
  port: {_port(rng)}
resources:
  requests:
    cpu: 100m
    memory: 128Mi
"""


def toml(rng: PortRandom, i: int) -> str:
    return f"""app = "svc{i}"
primary_region = "ams"

[http_service]
internal_port = {_port(rng)}
force_https = true

[[services.ports]]
port = 443
handlers = ["tls", "http"]
"""


def json_file(rng: PortRandom, i: int) -> str:
    import json

    doc = {
        "name": f"svc{i}",
        "server": {"port": _port(rng), "timeout": 30},
        "database": {"url": "postgres://db:5432/app"},
        "retries": rng.randint(1, 5),
    }
    return json.dumps(doc, indent=2) + "\n"


def dockerfile(rng: PortRandom, i: int) -> str:
    return (
        f"FROM python:3.12-slim\nARG PORT={_port(rng)}\nENV PORT=$PORT\n"
        'EXPOSE $PORT 9100/udp\nCMD ["app"]\n'
    )


def workflow(rng: PortRandom, i: int) -> str:
    return f"""name: ci-{i}
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: {rng.randint(5, 60)}
    steps:
      - uses: actions/checkout@v4
      - run: make test
"""


def noise(rng: PortRandom, i: int) -> str:
    return f"# notes {i}\n\nNothing to see here; version {rng.randint(1, 99)}.\n"


WRITERS = {
    "compose": ("compose.yaml", compose),
    "override": ("compose.override.yaml", override),
    "dotenv": (".env", dotenv),
    "k8s": ("deployment.yaml", k8s),
    "values": ("values.yaml", values),
    "toml": ("fly.toml", toml),
    "json": ("config.json", json_file),
    "dockerfile": ("Dockerfile", dockerfile),
    "workflow": ("ci.yml", workflow),
    "noise": ("README.md", noise),
}


def generate(root: str, files: int, seed: int = 1, collisions: str = "few") -> list[str]:
    """Write ``files`` files under ``root``; returns their relative paths."""
    rng = PortRandom(seed, collisions)
    written: list[str] = []
    counts = {kind: max(1, round(files * share)) for kind, share in MIX}
    counts["noise"] += files - sum(counts.values())
    for kind, count in counts.items():
        name, writer = WRITERS[kind]
        for i in range(count):
            rel = os.path.join(f"team{i % 20}", f"{kind}{i}", name)
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(writer(rng, i))
            written.append(rel)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--collisions", choices=("few", "dense"), default="few")
    args = parser.parse_args()
    print(len(generate(args.root, args.files, args.seed, args.collisions)), "files")


if __name__ == "__main__":
    main()
