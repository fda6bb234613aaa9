"""Command lines, variables and publishing routes the exposure rules read, with locations."""

from __future__ import annotations

from pathlib import Path

from portlint.bindings import Location, Setting
from tests.scanners.helpers import scan

COMPOSE = """\
services:
  base:
    image: redis:7
    environment:
      REDIS_PASSWORD: ""
      KEEP: base
  cache:
    extends: base
    command: ["redis-server", "--port", "${CACHE_PORT:-7000}"]
    environment:
      - LEVEL=debug
      - KEEP=cache
    ports:
      - "7000:7000"
  web:
    image: node:20
    entrypoint: node --inspect=0.0.0.0:9229
    environment:
      EMPTY:
    ports:
      - "9229:9229"
"""


def _s(kind: str, text: str, line: int, col: int, end: int) -> Setting:
    return Setting(kind, text, Location("compose.yaml", line, col, line, end))  # type: ignore[arg-type]


def test_compose_settings_follow_extends_and_interpolate(tmp_path: Path) -> None:
    result = scan(tmp_path, {"compose.yaml": COMPOSE}, "compose.yaml")
    by_service = {b.service: b.settings for b in result.bindings}
    assert by_service["cache"] == (
        _s("arg", "redis-server", 9, 16, 28),  # inside the quotes
        _s("arg", "--port", 9, 32, 38),
        _s("arg", "7000", 9, 42, 61),  # interpolated: the span is the expression's
        _s("env", "LEVEL=debug", 11, 9, 20),
        _s("env", "KEEP=cache", 12, 9, 19),
        _s("env", "REDIS_PASSWORD=", 5, 7, 21),  # empty: at the key
    )
    assert by_service["web"] == (
        _s("arg", "node --inspect=0.0.0.0:9229", 17, 17, 44),
        _s("env", "EMPTY=", 19, 7, 12),
    )


K8S = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: node:20
      command: ["node"]
      args: ["--inspect=0.0.0.0", "server.js"]
      env:
        - name: NODE_ENV
          value: production
        - name: TOKEN
          valueFrom: {secretKeyRef: {name: t, key: t}}
      ports:
        - containerPort: 9229
          hostPort: 9229
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  externalIPs: [203.0.113.7]
  ports:
    - port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  ports:
    - port: 5432
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: public
spec:
  defaultBackend:
    service:
      name: grafana
      port:
        number: 3000
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ui
spec:
  rules:
    - backendRefs:
        - name: consul
          port: 8500
        - name: bucket
          kind: Backend
          port: 9000
"""


def test_kubernetes_settings_and_routes(tmp_path: Path) -> None:
    result = scan(tmp_path, {"k8s.yaml": K8S}, "k8s.yaml")
    host = next(b for b in result.bindings if b.role == "host")
    assert [(s.kind, s.text, s.location.line, s.location.column) for s in host.settings] == [
        ("arg", "node", 9, 18),
        ("arg", "--inspect=0.0.0.0", 10, 15),
        ("arg", "server.js", 10, 36),
        ("env", "NODE_ENV=production", 13, 18),
    ]
    got = [
        (b.role, b.port, b.exposure, b.identities, b.location.line, b.location.column)
        for b in result.bindings
        if b.k8s_object and not b.k8s_object.startswith("Pod/")
    ]
    assert got == [
        ("service", 80, "NodePort", ("web",), 27, 13),
        ("node", 30080, "NodePort", ("web",), 28, 17),
        ("service", 8080, "externalIPs", ("api",), 37, 13),
        ("service", 5432, None, ("db",), 45, 13),
        ("url", 3000, "Ingress", ("public", "grafana"), 56, 17),
        ("url", 8500, "HTTPRoute", ("ui", "consul"), 66, 17),
    ]


VALUES = """\
master:
  service:
    type: LoadBalancer
    ports:
      redis: 6379
    nodePorts:
      redis: 30379
replica:
  service:
    type: ClusterIP
    ports:
      redis: 6379
metrics:
  service:
    externalIPs: [203.0.113.9]
    port: 9121
"""


def test_chart_values_service_blocks_say_how_they_are_exposed(tmp_path: Path) -> None:
    files = {"redis/Chart.yaml": "apiVersion: v2\nname: redis\n", "redis/values.yaml": VALUES}
    result = scan(tmp_path, files, "redis/values.yaml")
    got = [(b.key_path[0], b.role, b.port, b.exposure) for b in result.bindings]
    assert got == [
        ("master", "listen", 6379, "LoadBalancer"),
        ("master", "listen", 30379, None),  # the node's side, not the program's port
        ("replica", "listen", 6379, None),
        ("metrics", "service", 9121, "externalIPs"),
    ]
