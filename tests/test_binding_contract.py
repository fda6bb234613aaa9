"""The binding contract is typed: scanners set the facts, rules read only those.

Rules used to branch on ``binding.kind`` (the scanner's name) and parse
string pairs out of ``binding.extra``; these tests pin the typed fields each
scanner sets and that no rule reads a scanner's internals again.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from portlint.bindings import HOST, UNKNOWN, Namespace, PortBinding
from tests.scanners.helpers import scan

RULES = Path(__file__).resolve().parent.parent / "portlint" / "rules"
SCANNER_NAMES = {"compose", "dotenv", "kubernetes", "devcontainer", "dockerfile", "json", "yaml"}

COMPOSE = """\
services:
  app:
    image: nginx
    env_file: [env/app.env]
    ports:
      - "8080:80"
      - name: admin
        target: 9000
  proxy:
    image: envoy
    network_mode: "service:app"
    expose: ["9901"]
  exporter:
    image: prom/node-exporter
    network_mode: host
    expose: ["9100"]
"""

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: migrate
          ports: [{containerPort: 5000}]
      containers:
        - name: app
          image: web
          ports: [{name: http, containerPort: 8080, hostPort: 80}]
          env: [{name: PORT, value: "8080"}]
          readinessProbe: {httpGet: {port: http}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  ports: [{port: 80, targetPort: http, nodePort: 30080}]
"""


def test_a_binding_has_no_untyped_detail() -> None:
    """``extra`` (string pairs no rule read) is gone: a fact a rule needs is a typed field."""
    assert "extra" not in {f.name for f in dataclasses.fields(PortBinding)}


def test_a_host_written_with_a_port_is_kept_typed(tmp_path: Path) -> None:
    files = {"app.yaml": 'backend:\n  address: "db.internal:5432"\n  url: "http://[::1]:8080/"\n'}
    result = scan(tmp_path, files, "app.yaml")
    got = [(b.location.line, b.role, b.port, b.host) for b in result.bindings]
    assert got == [(2, "url", 5432, "db.internal"), (3, "url", 8080, "::1")]


def test_no_rule_reads_extra_or_branches_on_a_scanner_name() -> None:
    offences = []
    for path in sorted(RULES.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "extra":
                offences.append(f"{path.name}:{node.lineno}: .extra")
            left = node.left if isinstance(node, ast.Compare) else None
            if isinstance(node, ast.Compare) and isinstance(left, ast.Attribute):
                for right in node.comparators if left.attr == "kind" else ():
                    if isinstance(right, ast.Constant) and right.value in SCANNER_NAMES:
                        offences.append(f"{path.name}:{node.lineno}: kind == {right.value!r}")
    assert offences == []


def test_compose_sets_namespaces_service_project_and_env_files(tmp_path: Path) -> None:
    result = scan(tmp_path, {"stack/compose.yaml": COMPOSE}, "stack/compose.yaml")
    facts = [
        (b.owner, b.role, b.port, b.namespace, b.target_namespace, b.port_name)
        for b in result.bindings
    ]
    app = Namespace("container", "compose:stack/app")
    assert facts == [
        ("app", "host", 8080, HOST, app, None),
        ("app", "container", 9000, app, None, "admin"),
        ("proxy", "container", 9901, app, None, None),
        ("exporter", "host", 9100, HOST, None, None),
    ]
    assert {(b.service, b.project_dir) for b in result.bindings} == {
        ("app", "stack"),
        ("proxy", "stack"),
        ("exporter", "stack"),
    }
    assert result.bindings[0].env_files == ("stack/env/app.env",)


def test_kubernetes_sets_namespaces_object_container_and_names(tmp_path: Path) -> None:
    result = scan(tmp_path, {"k8s/web.yaml": MANIFEST}, "k8s/web.yaml")
    pod = Namespace("pod", "k8s:k8s:shop/Deployment/web")
    svc = Namespace("cluster-service", "k8s:shop/Service/web")
    facts = [
        (
            b.role,
            b.port,
            b.namespace,
            b.k8s_object,
            b.container,
            b.container_group,
            b.port_name,
            b.ref,
            b.ref_name,
        )
        for b in result.bindings
    ]
    assert facts == [
        ("container", 8080, pod, "Deployment/web", "app", "containers", "http", None, None),
        ("host", 80, HOST, "Deployment/web", "app", "containers", "http", None, None),
        ("container", None, None, "Deployment/web", "app", "containers", None, "probe", "http"),
        ("listen", 8080, pod, "Deployment/web", "app", "containers", None, None, None),
        ("container", 5000, pod, "Deployment/web", "migrate", "initContainers", None, None, None),
        ("service", 80, svc, "Service/web", None, None, None, None, None),
        ("container", None, None, "Service/web", None, None, None, "targetPort", "http"),
        ("node", 30080, HOST, "Service/web", None, None, None, None, None),
    ]


def test_dotenv_names_its_variable_and_leaves_the_namespace_open(tmp_path: Path) -> None:
    result = scan(tmp_path, {".env": "API_PORT=8000\nDB_URL=postgres://db:5432/x\n"}, ".env")
    assert [(b.role, b.env_key, b.namespace) for b in result.bindings] == [
        ("listen", "API_PORT", UNKNOWN),
        ("url", "DB_URL", None),
    ]
