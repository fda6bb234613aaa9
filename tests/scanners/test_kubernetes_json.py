"""A Kubernetes manifest written in JSON is read exactly like its YAML form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from portlint.config import Config
from portlint.engine.run import run
from tests.conftest import FIXTURES
from tests.scanners.inventory import render_all

CASE = FIXTURES / "kubernetes" / "json-manifests"


@pytest.mark.parametrize("name", ["cache-service", "queue"])
def test_json_manifest_reads_like_yaml(tmp_path: Path, name: str) -> None:
    # JSON is YAML's flow style: the same text named .yaml goes through the YAML scanner.
    shutil.copy(CASE / f"{name}.json", tmp_path / f"{name}.json")
    shutil.copy(CASE / f"{name}.json", tmp_path / f"{name}.yaml")
    config = Config(project_context=False)
    as_json = run([f"{name}.json"], config, cwd=str(tmp_path))
    as_yaml = run([f"{name}.yaml"], config, cwd=str(tmp_path))
    assert as_json.bindings and render_all(as_json.bindings) == render_all(as_yaml.bindings)
    assert [(f.code, f.location.line, f.location.column) for f in as_json.findings] == [
        (f.code, f.location.line, f.location.column) for f in as_yaml.findings
    ]
    assert {b.kind for b in as_json.bindings} == {"kubernetes"}


def test_commented_json_manifest_is_still_kubernetes(tmp_path: Path) -> None:
    text = (
        '{\n  // a JSONC comment YAML would refuse\n  "apiVersion": "v1", "kind": "Service",\n'
        '  "metadata": {"name": "web"},\n  "spec": {"ports": [{"port": 8081,}]},\n}\n'
    )
    (tmp_path / "web.json").write_text(text, encoding="utf-8")
    result = run(["web.json"], Config(project_context=False), cwd=str(tmp_path))
    assert render_all(result.bindings) == [
        "5:31-35 kubernetes service default/Service/web 8081/tcp ip=- target=- "
        "project=k8s:default/Service/web @spec.ports[0].port {}"
    ]
