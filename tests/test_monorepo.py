"""A realistic multi-project repository: exactly these findings, nothing else.

tests/fixtures/monorepo has four compose projects (one with an override and
one interpolating its port from .env), an app .env inside a service's build
folder, a Kubernetes folder and the team's ports.toml (found as ./ports.toml).
"""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, run_cli

EXPECTED = [
    'k8s/search.yaml:13:19: warning PL405 targetPort "api" of Service "search" names no container '
    "port in k8s/",
    "k8s/search.yaml:14:17: error PL404 nodePort 30276/tcp is already used by Service "
    '"billing-api" '
    "(k8s/billing.yaml:39:17)",
    "services/gateway/docker-compose.override.yml:7:20: error PL205 host port 10276/tcp is "
    "allocated "
    'to billing-api (ports.toml:4), not to service "gateway"',
    "services/gateway/docker-compose.override.yml:7:20: warning PL402 host port 10276/tcp is also "
    'claimed by service "billing-api" (services/billing/compose.yaml:6:10)',
    "services/search/compose.yaml:12:10: warning PL206 host port 5601/tcp of service "
    '"search-dashboards" '
    "is not in ports.toml",
    "Found 5 problems (2 errors, 3 warnings) in 9 files.",
    "1 with an unsafe fix (`--unsafe-fixes`).",
]


def test_monorepo_findings_are_exactly_the_expected_list() -> None:
    code, out, err = run_cli(["check", "--no-color", "."], cwd=FIXTURES / "monorepo")
    assert (code, err) == (1, "")
    assert [line for line in out.splitlines() if not line.startswith("  hint:")] == EXPECTED


def test_what_the_monorepo_does_not_report() -> None:
    """The traps: each is one claim or no claim at all."""
    _, out, _ = run_cli(["check", "--no-color", "--select", "ALL", "."], cwd=FIXTURES / "monorepo")
    # .env value interpolated into billing's compose file: one claim, judged at compose
    assert "services/billing/.env" not in out
    # frontend/.env PORT=5173 is the frontend container's own port
    assert "services/frontend/.env" not in out
    # the override repeats the base file's 8443: no PL401
    assert "PL401" not in out


def _samples(count: int, folder: str = "stacks") -> dict[str, str]:
    return {
        f"{folder}/s{i:02}/compose.yaml": (
            f"services:\n  web{i}:\n    image: ghcr.io/acme/sample-{i}:1\n    ports:\n"
            '      - "127.0.0.1:3456:3000"\n'
        )
        for i in range(count)
    }


def test_independent_samples_are_one_summary_line(make_project) -> None:
    """Twelve samples publish one port, and nothing says they run together."""
    root = make_project(_samples(12))
    assert run_cli(["check", "--no-color", "stacks"], cwd=root) == (
        0,
        "note: 1 host port is used by more than one independent project: "
        "`portlint ports --contested`\nAll clear: no problems in 12 files.\n",
        "",
    )


def test_independent_hint_and_option_end_to_end(make_project) -> None:
    # an allocation file: the team says its ports are one space, so samples collide
    root = make_project({**_samples(12), "ports.toml": ""})
    code, out, _ = run_cli(["check", "--no-color", "--select", "PL402", "stacks"], cwd=root)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (
        "stacks/s01/compose.yaml:5:20: warning PL402 host port 3456/tcp is also claimed by "
        'service "web0" (stacks/s00/compose.yaml:5:20)'
    )
    assert lines[-3] == (
        "note: 11 PL402 findings are between sibling folders of stacks/; if their projects "
        'never run together, set PL402\'s option independent = ["stacks/*"]'
    )
    (root / "portlint.toml").write_text(
        '[rules.PL402]\nindependent = ["stacks/*"]\n', encoding="utf-8"
    )
    assert run_cli(["check", "--no-color", "--select", "PL402", "stacks"], cwd=root) == (
        0,
        "All clear: no problems in 12 files.\n",
        "",
    )


def test_ten_sibling_findings_get_no_hint(make_project) -> None:
    root = make_project({**_samples(11), "ports.toml": ""})
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL402", "stacks"], cwd=root)
    assert "note:" not in out and out.count(": warning PL402 ") == 10


@pytest.mark.parametrize("folder", ["examples", "docs/samples"])
def test_samples_of_an_examples_folder_are_independent_by_default(make_project, folder) -> None:
    """``examples/x`` and ``samples/x`` are run one at a time, even in one port space."""
    root = make_project({**_samples(3, folder), "ports.toml": ""})
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL402", "."], cwd=root)
    assert out == "All clear: no problems in 3 files.\n"
    # the option replaces the default: an empty list lints them as one space
    (root / "portlint.toml").write_text("[rules.PL402]\nindependent = []\n", encoding="utf-8")
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL402", "."], cwd=root)
    assert out.count(": warning PL402 ") == 2, out
