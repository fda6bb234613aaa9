"""Identity end to end: the service is often the software behind its port.

Each project below is hand-written. The ``QUIET`` ones were told they squat on
somebody else's port although the file says who they are (image, org,
container_name, variable name, config file name, Helm chart); the ``LOUD`` ones
must still fire, with exact locations.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.conftest import run_cli

Project = Callable[[Mapping[str, str]], Path]


def findings(root: Path, *codes: str) -> list[tuple[str, int, int, str, str]]:
    code, out, err = run_cli(
        # PL501 is off by default: select what the test asks about
        [
            "check",
            ".",
            "--format",
            "json",
            "--exit-zero",
            "--no-cache",
            "--extend-select",
            ",".join(codes),
        ],
        cwd=root,
    )
    assert code == 0, err
    data = json.loads(out)
    return sorted(
        (
            f["location"]["path"],
            f["location"]["line"],
            f["location"]["column"],
            f["code"],
            f["message"],
        )
        for f in data["findings"]
        if f["code"] in codes
    )


QUIET: dict[str, dict[str, str]] = {
    "transmission-web-and-peer": {
        "compose.yml": (
            "services:\n"
            "  torrents:\n"
            "    image: lscr.io/linuxserver/transmission:4.0\n"
            "    ports:\n"
            '      - "9091:9091"\n'
            '      - "51413:51413"\n'
            '      - "51413:51413/udp"\n'
        )
    },
    "authelia-on-9091": {
        "compose.yml": (
            "services:\n"
            "  auth:\n"
            "    image: authelia/authelia:4.38\n"
            "    ports:\n"
            '      - "9091:9091"\n'
        )
    },
    "portainer-by-container-name": {
        "compose.yml": (
            "services:\n"
            "  ui:\n"
            "    image: example.org/mirror/manager:2\n"
            "    container_name: portainer\n"
            "    ports:\n"
            '      - "9000:9000"\n'
        )
    },
    "duplicati-backups": {
        "compose.yml": (
            "services:\n"
            "  backup:\n"
            "    image: lscr.io/linuxserver/duplicati:latest\n"
            "    ports:\n"
            '      - "8200:8200"\n'
        )
    },
    "ocis-files": {
        "compose.yml": (
            'services:\n  cloud:\n    image: owncloud/ocis:5\n    ports:\n      - "9200:9200"\n'
        )
    },
    "wireguard-vpn": {
        "compose.yml": (
            "services:\n"
            "  vpn:\n"
            "    image: lscr.io/linuxserver/wireguard:latest\n"
            "    ports:\n"
            '      - "51820:51820/udp"\n'
        )
    },
    "mailu-front-by-org": {
        "compose.yml": (
            "services:\n"
            "  front:\n"
            "    image: ghcr.io/mailu/nginx:2024.06\n"
            "    ports:\n"
            '      - "127.0.0.1:25:25"\n'
            '      - "127.0.0.1:110:110"\n'
            '      - "127.0.0.1:143:143"\n'
        )
    },
    "graylog-syslog-variable": {
        ".env": "GRAYLOG_SYSLOG_UDP_PORT=514\n",
        "compose.yml": (
            "services:\n"
            "  logs:\n"
            "    image: graylog/graylog:6.1\n"
            "    ports:\n"
            '      - "127.0.0.1:${GRAYLOG_SYSLOG_UDP_PORT}:514/udp"\n'
        ),
    },
    "cassandra-own-config": {
        "conf/cassandra.yaml": "cluster_name: demo\nnative_transport_port: 9042\n",
    },
    "helm-chart-ci-values": {
        "charts/prometheus-pushgateway/Chart.yaml": "name: prometheus-pushgateway\n",
        "charts/prometheus-pushgateway/values.yaml": "probe:\n  port: 9091\n",
        "charts/prometheus-pushgateway/ci/probe-values.yaml": "probe:\n  port: 9091\n",
    },
    "helm-ci-values-of-their-chart": {
        "charts/prometheus-node-exporter/Chart.yaml": "name: prometheus-node-exporter\n",
        "charts/prometheus-node-exporter/ci/netpol-values.yaml": (
            "networkPolicy:\n  enabled: true\n  port: 9100\n"
        ),
    },
    "cloud-sql-proxy-camel-case-key": {
        "charts/db-exporter/Chart.yaml": "name: db-exporter\n",
        "charts/db-exporter/values.yaml": "cloudSqlProxy:\n  enabled: false\n  port: 3306\n",
    },
    "headscale-grpc-in-its-folder": {
        "headscale/config.yaml": (
            "server_url: https://vpn.example.org\ngrpc_listen_addr: 127.0.0.1:50443\n"
        ),
    },
    "mosquitto-websockets": {
        "compose.yml": (
            "services:\n"
            "  mqtt:\n"
            "    image: eclipse-mosquitto:2\n"
            "    ports:\n"
            '      - "127.0.0.1:1883:1883"\n'
            '      - "127.0.0.1:9001:9001"\n'
        )
    },
}


@pytest.mark.parametrize("name", sorted(QUIET))
def test_the_software_on_its_own_port_is_quiet(name: str, make_project: Project) -> None:
    root = make_project(QUIET[name])
    assert findings(root, "PL201", "PL301", "PL501") == []


def test_a_stranger_on_postgresql_port_still_fires(make_project: Project) -> None:
    root = make_project(
        {
            "compose.yml": (
                "services:\n"
                "  api:\n"
                "    image: ghcr.io/acme/billing-api:1\n"
                "    ports:\n"
                '      - "127.0.0.1:5432:8000"\n'
            )
        }
    )
    assert findings(root, "PL201") == [
        (
            "compose.yml",
            5,
            20,
            "PL201",
            'host port 5432/tcp is the well-known port of postgresql, but service "api" '
            "is not postgresql",
        )
    ]


def test_airplay_ports_still_fire_for_their_own_software(make_project: Project) -> None:
    root = make_project(
        {
            "compose.yml": (
                "services:\n"
                "  registry:\n"
                "    image: registry:2\n"
                "    ports:\n"
                '      - "127.0.0.1:5000:5000"\n'
                "  redis-cluster:\n"
                "    image: grokzen/redis-cluster:7\n"
                "    ports:\n"
                '      - "127.0.0.1:7000-7005:7000-7005"\n'
            )
        }
    )
    assert [f[:4] for f in findings(root, "PL201", "PL601")] == [
        ("compose.yml", 5, 20, "PL601"),
        ("compose.yml", 9, 20, "PL601"),
    ]


def test_a_stranger_in_the_dynamic_range_still_fires(make_project: Project) -> None:
    root = make_project(
        {
            "compose.yml": (
                "services:\n"
                "  api:\n"
                "    image: ghcr.io/acme/api:1\n"
                "    ports:\n"
                '      - "127.0.0.1:51820:8080"\n'
            )
        }
    )
    assert [f[:4] for f in findings(root, "PL301")] == [("compose.yml", 5, 20, "PL301")]


def test_exposure_names_no_program_identity_does_not_say(make_project: Project) -> None:
    root = make_project(
        {
            "compose.yml": (
                "services:\n"
                "  store:\n"
                "    image: ghcr.io/acme/store:1\n"
                "    ports:\n"
                '      - "5432:5432"\n'
                "  db:\n"
                "    image: postgres:16\n"
                "    ports:\n"
                '      - "5433:5432"\n'
                "  search:\n"
                "    image: opensearchproject/opensearch:2\n"
                "    ports:\n"
                '      - "9600:9600"\n'
                "  cluster:\n"
                "    image: grokzen/redis-cluster:7\n"
                "    ports:\n"
                '      - "127.0.0.2:7000:7000"\n'
                "      - 7001:7000\n"
            )
        }
    )
    assert findings(root, "PL501") == [
        (
            "compose.yml",
            5,
            10,
            "PL501",
            "port 5432/tcp is published on all interfaces; it is the default port of postgresql",
        ),
        (
            "compose.yml",
            9,
            10,
            "PL501",
            "postgres port 5432/tcp is published on all interfaces as host port 5433",
        ),
        (
            "compose.yml",
            13,
            10,
            "PL501",
            "opensearch port 9600/tcp is published on all interfaces",
        ),
    ]


def test_inventory_shows_the_identity(make_project: Project) -> None:
    root = make_project(QUIET["transmission-web-and-peer"])
    code, out, _ = run_cli(["ports", ".", "--format", "json"], cwd=root)
    assert code == 0
    data = json.loads(out)
    assert data["version"] == 3
    assert [b["identity"] for b in data["bindings"]] == ["transmission"] * 3
    code, out, _ = run_cli(["ports", "."], cwd=root)
    assert code == 0
    assert out.splitlines()[0].split()[-1] == "IDENTITY"
    assert out.splitlines()[1].split()[-1] == "transmission"
