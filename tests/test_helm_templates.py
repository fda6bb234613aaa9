"""Helm templates: one line per run, not one note per template (issue 13).

A chart repository has hundreds of Go-template files that are not YAML until
rendered; one note each (568 on prometheus-community/helm-charts) buried the
few real findings. A run now counts them and prints one line after the
findings that says how to lint the rendered output instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

from tests.conftest import TWO_SERVICES_ON_8080, run_cli

TEMPLATE = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    "spec:\n  template:\n    spec:\n      containers:\n      - name: web\n"
    "        ports:\n        - containerPort: {{ .Values.port }}\n"
)
CHART = {
    "charts/shop/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
    "charts/shop/values.yaml": "port: 18080\n",
    "charts/shop/templates/deployment.yaml": TEMPLATE,
    "charts/shop/templates/service.yaml": TEMPLATE,
    "charts/shop/templates/ingress.yaml": TEMPLATE,
}
LINE = (
    "note: 3 Helm templates skipped; lint rendered output: "
    "`helm template charts/shop | portlint check - --stdin-filename charts/shop/rendered.yaml`"
)

Make = Callable[[Mapping[str, str]], Path]


def test_templates_are_one_line_after_the_findings(make_project: Make) -> None:
    root = make_project({**CHART, "compose.yaml": TWO_SERVICES_ON_8080})
    code, out, err = run_cli(["check", "--no-color", "."], cwd=root)
    lines = [line for line in out.splitlines() if not line.startswith("  ")]
    assert (code, err) == (1, "")
    assert lines == [
        "compose.yaml:7:14: error PL401 host port 8080/tcp is already published by service "
        '"api" (compose.yaml:4:14)',
        LINE,
        "Found 1 problem (1 error) in 3 files.",
        "1 with an unsafe fix (`--unsafe-fixes`).",
    ]


def test_templates_alone_are_a_clean_run(make_project: Make) -> None:
    root = make_project(CHART)
    code, out, _ = run_cli(["check", "--no-color", "."], cwd=root)
    assert (code, out) == (0, f"{LINE}\nAll clear: no problems in 2 files.\n")


def test_templates_of_several_charts_name_no_chart(make_project: Make) -> None:
    other = {k.replace("charts/shop", "charts/cart"): v for k, v in CHART.items()}
    root = make_project({**CHART, **other})
    _, out, _ = run_cli(["check", "--no-color", "."], cwd=root)
    assert out.splitlines()[-2] == (
        "note: 6 Helm templates skipped; lint rendered output: "
        "`helm template CHART | portlint check - --stdin-filename CHART/rendered.yaml`"
    )


def test_machine_formats_count_templates_in_the_summary(make_project: Make) -> None:
    root = make_project(CHART)
    _, out, _ = run_cli(["check", "--format", "json", "."], cwd=root)
    report = json.loads(out)
    assert (report["findings"], report["skipped"]) == ([], [])
    assert report["summary"]["templates_skipped"] == 3
    assert report["summary"]["files_skipped"] == 0
    _, out, _ = run_cli(["check", "--format", "sarif", "."], cwd=root)
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "note",
            "message": {"text": LINE.removeprefix("note: ")},
            "descriptor": {"id": "PL002"},
        }
    ]


def test_ignoring_pl002_silences_the_line_not_the_count(make_project: Make) -> None:
    root = make_project(CHART)
    _, out, _ = run_cli(["check", "--no-color", "--ignore", "PL002", "."], cwd=root)
    assert out == "All clear: no problems in 2 files.\n"
    _, out, _ = run_cli(["check", "--format", "json", "--ignore", "PL002", "."], cwd=root)
    assert json.loads(out)["summary"]["templates_skipped"] == 3
