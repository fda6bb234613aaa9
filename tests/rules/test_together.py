"""PL402 and PL401 report a collision only where the files prove the owners run together.

Each tree is a small hand-written repository: two sample folders that publish
the same host port, plus one piece of evidence (or none) that they run at the
same time.
"""

from __future__ import annotations

import json

from tests.conftest import run_cli


def _service(name: str, port: str, *, extra: str = "", top: str = "") -> str:
    return (
        f"services:\n  {name}:\n    image: example/{name}:1\n{extra}"
        f'    ports:\n      - "{port}"\n{top}'
    )


TWO_SAMPLES = {
    "alpha/compose.yaml": _service("web", "8080:80"),
    "beta/compose.yaml": _service("site", "8080:80"),
}
BETA_FIRES = (
    'beta/compose.yaml:5:10: warning PL402 host port 8080/tcp is also claimed by service "web" '
    "(alpha/compose.yaml:5:10)"
)
ONE_CONTESTED = (
    "note: 1 host port is used by more than one independent project: `portlint ports --contested`"
)


def _lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if not line.startswith("  hint:")]


def test_samples_without_evidence_are_clean_with_one_summary_line(make_project) -> None:
    root = make_project(TWO_SAMPLES)
    code, out, err = run_cli(["check", "--no-color", "."], cwd=root)
    assert (code, err) == (0, "")
    assert _lines(out) == [ONE_CONTESTED, "All clear: no problems in 2 files."]


def test_the_json_report_counts_contested_ports(make_project) -> None:
    root = make_project(TWO_SAMPLES)
    _, out, _ = run_cli(["check", "--format", "json", "."], cwd=root)
    data = json.loads(out)
    assert data["findings"] == []
    assert data["summary"]["contested_ports"] == 1


def test_ports_contested_lists_every_claimant(make_project) -> None:
    root = make_project(TWO_SAMPLES)
    code, out, err = run_cli(["ports", "--contested"], cwd=root)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "8080/tcp  host  service web   alpha/compose.yaml:5:10",
        "          host  service site  beta/compose.yaml:5:10",
    ]


def test_a_shared_external_network_is_evidence(make_project) -> None:
    network = "networks:\n  proxy:\n    external: true\n"
    root = make_project(
        {
            "alpha/compose.yaml": _service("web", "8080:80", top=network),
            "beta/compose.yaml": _service("site", "8080:80", top=network),
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "."], cwd=root)
    assert _lines(out)[0] == BETA_FIRES
    assert "independent project" not in out


def test_different_external_networks_are_no_evidence(make_project) -> None:
    root = make_project(
        {
            "alpha/compose.yaml": _service(
                "web", "8080:80", top="networks:\n  front:\n    external: true\n"
            ),
            "beta/compose.yaml": _service(
                "site", "8080:80", top="networks:\n  back:\n    external: true\n"
            ),
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "."], cwd=root)
    assert "PL402" not in out


def test_naming_the_other_projects_container_is_evidence(make_project) -> None:
    root = make_project(
        {
            "alpha/compose.yaml": _service(
                "web", "8080:80", extra="    container_name: shared-web\n"
            ),
            "beta/compose.yaml": _service(
                "site",
                "8080:80",
                extra="    environment:\n      UPSTREAM_URL: http://shared-web:80/\n",
            ),
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "."], cwd=root)
    assert _lines(out)[0] == (
        'beta/compose.yaml:7:10: warning PL402 host port 8080/tcp is also claimed by service "web" '
        "(alpha/compose.yaml:6:10)"
    )


def test_an_allocation_file_makes_one_port_space(make_project) -> None:
    root = make_project({**TWO_SAMPLES, "ports.toml": ""})
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL402", "."], cwd=root)
    assert _lines(out)[0] == BETA_FIRES


def test_independent_still_separates_folders_of_one_port_space(make_project) -> None:
    root = make_project(
        {
            **TWO_SAMPLES,
            "ports.toml": "",
            "portlint.toml": '[rules.PL402]\nindependent = ["*"]\n',
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL402", "."], cwd=root)
    assert "PL402" not in out


def test_run_together_configuration_is_evidence(make_project) -> None:
    root = make_project(
        {
            **TWO_SAMPLES,
            "gamma/compose.yaml": _service("other", "8080:80"),
            "portlint.toml": '[rules.PL402]\nrun-together = [["alpha", "beta"]]\n',
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "."], cwd=root)
    assert _lines(out) == [
        BETA_FIRES,
        ONE_CONTESTED,
        "Found 1 problem (1 warning) in 3 files.",
        "1 with an unsafe fix (`--unsafe-fixes`).",
    ]


def test_alternative_files_of_one_folder_are_not_two_claimants(make_project) -> None:
    root = make_project(
        {
            "app/docker-compose.yml": _service("app", "8080:80"),
            "app/docker-compose-v7.yml": _service("app7", "8080:80"),
            "app/traefik.sample.toml": '[entryPoints.web]\naddress = ":8000"\n',
            "app/traefik.sample.yml": 'entryPoints:\n  web:\n    address: ":8000"\n',
            "ports.toml": "",
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL401,PL402", "."], cwd=root)
    assert "PL40" not in out


def test_the_override_file_is_still_merged_with_its_base(make_project) -> None:
    root = make_project(
        {
            "app/compose.yaml": _service("app", "8080:80"),
            "app/compose.override.yaml": _service("debug", "8080:80"),
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL401", "."], cwd=root)
    assert _lines(out)[0] == (
        "app/compose.yaml:5:10: error PL401 host port 8080/tcp is already published by "
        'service "debug" (app/compose.override.yaml:5:10)'
    )


PROFILES = """\
services:
  aio:
    image: example/aio:1
    profiles: [bundle]
    ports:
      - "3000:3000"
  app:
    image: example/app:1
    profiles: [split, app]
    ports:
      - "3000:3000"
  admin:
    image: example/admin:1
    profiles: [app]
    ports:
      - "3000:3000"
  always:
    image: example/always:1
    ports:
      - "3000:3000"
"""


def test_services_of_profiles_never_activated_together_do_not_collide(make_project) -> None:
    root = make_project({"compose.yaml": PROFILES})
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL401", "."], cwd=root)
    assert _lines(out)[:-2] == [  # the summary and the fix line
        # admin shares the profile "app" with app: both start with --profile app
        'compose.yaml:16:10: error PL401 host port 3000/tcp is already published by service "app" '
        "(compose.yaml:11:10)",
        # a service without profiles always starts, so it meets every profile
        'compose.yaml:20:10: error PL401 host port 3000/tcp is already published by service "aio" '
        "(compose.yaml:6:10) and 2 others",
    ]


def test_compose_file_in_env_makes_the_listed_files_one_project(make_project) -> None:
    root = make_project(
        {
            "app/docker-compose.yml": _service("app", "8080:80"),
            "app/docker-compose-tools.yml": _service("tools", "8080:80"),
            "app/.env": "COMPOSE_FILE=docker-compose.yml:docker-compose-tools.yml\n",
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL401", "."], cwd=root)
    assert _lines(out)[0] == (
        "app/docker-compose.yml:5:10: error PL401 host port 8080/tcp is already published by "
        'service "tools" (app/docker-compose-tools.yml:5:10)'
    )


def test_an_external_network_is_known_by_its_name_not_its_key(make_project) -> None:
    root = make_project(
        {
            "alpha/compose.yaml": _service(
                "web", "8080:80", top="networks:\n  edge:\n    external: true\n    name: hub\n"
            ),
            "beta/compose.yaml": _service(
                "site", "8080:80", top="networks:\n  front:\n    external:\n      name: hub\n"
            ),
        }
    )
    _, out, _ = run_cli(["check", "--no-color", "--select", "PL402", "."], cwd=root)
    assert _lines(out)[0] == BETA_FIRES


def test_ports_contested_json(make_project) -> None:
    root = make_project(TWO_SAMPLES)
    _, out, _ = run_cli(["ports", "--contested", "--format", "json"], cwd=root)
    data = json.loads(out)
    assert [(c["port"], c["protocol"]) for c in data["contested"]] == [(8080, "tcp")]
    assert [(b["path"], b["owner"]) for b in data["contested"][0]["claimants"]] == [
        ("alpha/compose.yaml", "web"),
        ("beta/compose.yaml", "site"),
    ]
