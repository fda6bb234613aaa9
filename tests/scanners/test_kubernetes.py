"""Kubernetes conventions, Helm templates, hostile YAML, and scanners on files they do not own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from portlint.config import Config
from portlint.engine.run import run
from portlint.findings import Problem, Severity
from portlint.scanners import devcontainer, helm, kubernetes, toml, yaml
from portlint.scanners import json as jsonc
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile
from tests.conftest import FIXTURES


def _scan_fixture(rel: str) -> ScanResult:
    path = FIXTURES / rel
    source = SourceFile(rel, path.read_text(encoding="utf-8"))
    return yaml.scan(source, ScanContext())


def test_workload_binding_carries_the_documented_facts() -> None:
    result = _scan_fixture("kubernetes/web-app/web.yaml")
    http = next(b for b in result.bindings if b.role == "container" and b.port == 8080)
    assert http.owner == "shop/Deployment/web/app"
    assert http.project == "k8s:shop/Deployment/web"
    assert http.identities == ("app", "ghcr.io/acme/shop-web:1.4.2", "web")
    assert http.image == "ghcr.io/acme/shop-web:1.4.2"
    assert (http.k8s_object, http.container, http.container_group, http.port_name) == (
        "Deployment/web",
        "app",
        "containers",
        "http",
    )


def test_service_binding_and_its_named_target() -> None:
    result = _scan_fixture("kubernetes/web-app/web.yaml")
    svc = next(b for b in result.bindings if b.role == "service" and b.port == 80)
    assert (svc.location.line, svc.location.column) == (66, 13)
    assert (svc.k8s_object, svc.project) == ("Service/web", "k8s:shop/Service/web")
    assert svc.target is None
    (named,) = [b for b in result.bindings if b.ref == "targetPort"]
    assert (named.key_path[:-1], named.ref_name, named.port) == (svc.key_path[:-1], "http", None)


def test_cronjob_and_list_items_are_found() -> None:
    cron = _scan_fixture("kubernetes/node-agent/node-exporter.yaml")
    report = [b for b in cron.bindings if b.owner == "default/CronJob/nightly-report/report"]
    assert [(b.role, b.port, b.protocol, b.location.line) for b in report] == [
        ("container", 8125, "udp", 49),
        ("url", 2525, "tcp", 53),
    ]
    listed = _scan_fixture("kubernetes/list/all.yaml")
    assert sorted({b.owner for b in listed.bindings}) == [
        "data/Service/kafka",
        "data/StatefulSet/kafka/broker",
        "default/Pod/redis/redis",
    ]


def test_helm_template_is_counted_not_a_parse_error() -> None:
    root = FIXTURES / "helm" / "shop-chart"
    result = run(["."], Config(), cwd=str(root))
    assert (result.findings, result.templates_skipped) == ((), 1)
    assert result.templates_note == (
        "1 Helm template skipped; lint rendered output: "
        "`helm template . | portlint check - --stdin-filename rendered.yaml`"
    )
    assert not result.failed(Severity.NOTE)
    assert {b.owner for b in result.bindings} == {"shop", "redis", "database"}


def test_templated_yaml_outside_templates_that_fails_to_parse_is_skipped() -> None:
    text = 'metadata:\n  labels:\n    {{- include "x" . | nindent 4 }}\nport: 80\n'
    result = yaml.scan(SourceFile("deploy/web.yaml", text), ScanContext())
    assert [(p.code, p.location.line, p.location.column) for p in result.problems] == [
        ("PL002", 3, 5)
    ]
    assert result.bindings == []


def test_github_actions_expressions_are_not_templates() -> None:
    text = "env:\n  PORT: ${{ matrix.port }}\n  bad: [\n"
    result = yaml.scan(SourceFile(".github/workflows/ci.yml", text), ScanContext())
    assert [p.code for p in result.problems] == ["PL001"]


def test_yaml_syntax_error_without_templates_stays_pl001() -> None:
    source = SourceFile("config.yaml", "server:\n  port: [8080\n")
    result = yaml.scan(source, ScanContext())
    assert [p.code for p in result.problems] == ["PL001"]


def test_alias_bomb_costs_one_visit_per_node() -> None:
    lines = ['a: &a ["http://x:8080"]']
    for i in range(1, 25):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [*{prev}, *{prev}, *{prev}]")
    source = SourceFile("bomb.yaml", "\n".join(lines) + "\n")
    result = yaml.scan(source, ScanContext())
    # _yaml.compose_documents measures the expansion on the shared nodes and refuses the
    # file (PL002, as the rule table says for alias bombs) before any walker runs.
    assert result.bindings == []
    assert [(p.code, p.location.line, p.location.column, p.message) for p in result.problems] == [
        (
            "PL002",
            11,
            4,
            "YAML aliases expand to 1059110761816 nodes from 52 (an alias bomb): not scanned",
        )
    ]


def test_merge_key_port_is_reported_once_where_written() -> None:
    text = "base: &base\n  port: 7000\none:\n  <<: *base\ntwo:\n  <<: *base\n"
    result = yaml.scan(SourceFile("c.yaml", text), ScanContext())
    assert [(b.port, b.location.line, b.location.column) for b in result.bindings] == [(7000, 2, 9)]


SCANNERS = {
    "yaml": yaml.scan,
    "kubernetes": kubernetes.scan,
    "toml": toml.scan,
    "json": jsonc.scan,
    "devcontainer": devcontainer.scan,
}
FILES = sorted(
    p
    for kind in ("kubernetes", "helm", "yaml", "toml", "json")
    for p in (FIXTURES / kind).rglob("*")
    if p.is_file() and p.suffix in (".yaml", ".toml", ".json")
)


# The exact outcome of every (scanner, file) pair: problems with their
# positions, and the ports found. PORTLINT_UPDATE_GOLDENS=1 rewrites it; review the diff.
DEGRADE_GOLDEN = Path(__file__).parent / "degrade_outcomes.json"


def _problem(problem: Problem) -> str:
    """A YAML syntax error keeps its code and line; its column and wording are
    the YAML library's (libyaml and pure PyYAML differ), not portlint's."""
    where = f"{problem.location.line}:{problem.location.column}"
    if problem.message.startswith("YAML syntax error:"):
        return f"{problem.location.line} {problem.code} YAML syntax error"
    return f"{where} {problem.code} {problem.message}"


def _outcome(scanner: str, path: Path) -> dict[str, list[str]]:
    source = SourceFile(str(path.relative_to(FIXTURES)), path.read_text(encoding="utf-8"))
    result = SCANNERS[scanner](source, ScanContext())
    return {
        "problems": [_problem(p) for p in result.problems],
        "bindings": [
            f"{b.location.line}:{b.location.column} {b.port}/{b.protocol}" for b in result.bindings
        ],
    }


def _case(scanner: str, path: Path) -> str:
    return f"{scanner} {path.relative_to(FIXTURES)}"


if os.environ.get("PORTLINT_UPDATE_GOLDENS"):
    DEGRADE_GOLDEN.write_text(
        json.dumps(
            {_case(s, p): _outcome(s, p) for s in sorted(SCANNERS) for p in FILES},
            indent=1,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )
DEGRADE = json.loads(DEGRADE_GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.parametrize("scanner", sorted(SCANNERS))
@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(FIXTURES)) for p in FILES])
def test_scanners_degrade_cleanly_on_files_they_do_not_own(scanner: str, path: Path) -> None:
    """The exact problems and ports, not just "no exception": a scanner that
    starts finding ports in a file it does not own, or moves a syntax
    error's position, fails here."""
    outcome = _outcome(scanner, path)
    assert outcome == DEGRADE[_case(scanner, path)]
    codes = [line.split()[1] for line in outcome["problems"]]
    if any(code in ("PL001", "PL002") for code in codes):
        assert len(codes) == 1
        assert outcome["bindings"] == []


def test_degrade_golden_has_one_entry_per_case() -> None:
    assert sorted(DEGRADE) == sorted(_case(s, p) for s in SCANNERS for p in FILES)


def test_kubernetes_scanner_ignores_non_manifests() -> None:
    source = SourceFile("values.yaml", (FIXTURES / "helm/shop-chart/values.yaml").read_text())
    assert kubernetes.scan(source, ScanContext()) == ScanResult()


def test_toml_scanner_on_json_reports_the_toml_error() -> None:
    source = SourceFile("x.toml", '{"port": 8080}\n')
    result = toml.scan(source, ScanContext())
    assert [(p.code, p.location.line, p.location.column) for p in result.problems] == [
        ("PL001", 1, 1)
    ]


def test_chart_name_comes_from_chart_yaml() -> None:
    chart = SourceFile("c/Chart.yaml", "apiVersion: v2\nname: payments\nversion: 1.0.0\n")
    ctx = ScanContext(read=lambda p: chart if p == "c/Chart.yaml" else None)
    assert helm.chart_name(SourceFile("c/values.yaml", ""), ctx) == "payments"
    assert helm.chart_name(SourceFile("c/config.yaml", ""), ctx) is None
