"""Rules compare ports only where they can meet: one network namespace, the host's for
squatting and cross-project rules, one pod for PL403. Realistic projects, exact lines."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def findings(root: Path, *codes: str) -> list[tuple[str, int, str, str]]:
    code, out, err = run_cli(
        [
            "check",
            ".",
            "--format",
            "json",
            "--exit-zero",
            "--no-cache",
            "--select",
            ",".join(codes),
        ],
        cwd=root,
    )
    assert code == 0, err
    return sorted(
        (f["location"]["path"], f["location"]["line"], f["code"], f["message"])
        for f in json.loads(out)["findings"]
    )


AIRPLAY = """\
services:
  search:
    image: benbusby/whoogle-search
    restart: unless-stopped
    ports:
      - 5000:5000
{volumes}"""


def test_airplay_fires_unless_the_project_shows_a_linux_host(make_project) -> None:
    root = make_project(
        {
            "laptop/compose.yaml": AIRPLAY.format(volumes=""),
            "server/compose.yaml": AIRPLAY.format(
                volumes="    volumes:\n      - ${DATA:-/mnt/docker-volumes}/search:/config\n"
            ),
            "nas/compose.yaml": AIRPLAY.format(
                volumes="    volumes:\n      - type: bind\n        source: /srv/search\n"
                "        target: /config\n"
            ),
            # /var and /etc exist on macOS too: no proof
            "mac/compose.yaml": AIRPLAY.format(volumes="    volumes:\n      - /etc/localtime:/x\n"),
        }
    )
    assert [f[:3] for f in findings(root, "PL201", "PL601")] == [
        ("laptop/compose.yaml", 6, "PL601"),
        ("mac/compose.yaml", 6, "PL601"),
    ]


def test_well_known_squatting_counts_host_services_only(make_project) -> None:
    root = make_project(
        {
            "compose.yaml": (
                "services:\n"
                "  api:\n"
                "    image: ghcr.io/acme/api:1\n"
                "    ports:\n"
                '      - "6379:8080"\n'  # Redis is installed on hosts: fires
                '      - "3100:8081"\n'  # Loki runs where its own project starts it
            ),
            # a config inside the image this folder builds: its own container's port
            "worker/Dockerfile": "FROM python:3.12\nCOPY config.yaml /app/\n",
            "worker/config.yaml": "server:\n  port: 5432\n",
            # a chart's values: the chart's own pods
            "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: 1.0.0\n",
            "chart/values.yaml": "service:\n  port: 5432\nmetrics:\n  port: 9090\n",
        }
    )
    assert findings(root, "PL201") == [
        (
            "compose.yaml",
            5,
            "PL201",
            'host port 6379/tcp is the well-known port of redis, but service "api" is not redis',
        )
    ]


GUESTBOOK = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: redis-replica
spec:
  template:
    spec:
      containers:
        - name: {name}
          image: redis:7
          ports:
            - containerPort: 6379
"""


def test_a_pod_is_one_object_of_one_folder(make_project) -> None:
    root = make_project(
        {
            # the same workload name in three folders: three applications
            "guestbook/redis-replica.yaml": GUESTBOOK.format(name="replica"),
            "guestbook/legacy/redis-replica.yaml": GUESTBOOK.format(name="redis"),
            "guestbook/all-in-one/guestbook.yaml": GUESTBOOK.format(name="worker"),
            # one folder applied together: the later file's object replaces the earlier
            "apply/a.yaml": GUESTBOOK.format(name="replica"),
            "apply/b.yaml": GUESTBOOK.format(name="redis"),
        }
    )
    assert findings(root, "PL403") == []
    # two containers of one object still share its pod
    two = GUESTBOOK.format(name="replica") + "        - name: sidecar\n          image: x\n"
    two += "          ports:\n            - containerPort: 6379\n"
    root = make_project({"one/redis.yaml": two})
    assert [f[:3] for f in findings(root, "PL403")] == [("one/redis.yaml", 16, "PL403")]


WORKSPACE = """\
services:
  workspace:
    image: laradock/workspace
    ports:
      - "2222:22"
      - "3000:3000"
  aerospike:
    image: aerospike/aerospike-server
    ports:
      - "3000:3000"
"""
MULTI_PHP = """\
services:
  workspace-83:
    extends:
      file: compose.yaml
      service: workspace
"""


def test_one_entry_is_one_finding_and_extends_is_named_the_right_way(make_project) -> None:
    root = make_project(
        {
            # the overlay's file sorts first: the base must still be named the base
            "a-multi-php.yaml": MULTI_PHP,
            "compose.yaml": WORKSPACE,
            "compose.override.yaml": "services:\n  workspace-83:\n    extends:\n"
            "      file: a-multi-php.yaml\n      service: workspace-83\n",
        }
    )
    (root / ".env").write_text("COMPOSE_FILE=compose.yaml:a-multi-php.yaml\n", encoding="utf-8")
    got = findings(root, "PL401")
    assert got == [
        (
            "compose.yaml",
            5,
            "PL401",
            'host port 2222/tcp is published by service "workspace" and again by service '
            '"workspace-83", which inherits this entry via `extends`',
        ),
        (
            "compose.yaml",
            6,
            "PL401",
            'host port 3000/tcp is published by service "workspace" and again by service '
            '"workspace-83", which inherits this entry via `extends`',
        ),
        (
            "compose.yaml",
            10,
            "PL401",
            'host port 3000/tcp is already published by service "workspace" (compose.yaml:6:10)',
        ),
    ]
