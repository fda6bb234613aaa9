"""PL402-PL406 on hand-built bindings (PL401 is covered by its fixtures)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from portlint.bindings import HOST, Location, Namespace, PortBinding
from portlint.findings import Finding, Severity
from portlint.registry.allocations import Allocations
from portlint.rules.base import Settings
from portlint.rules.collisions import (
    dangling_target_port,
    duplicate_container_port,
    duplicate_node_port,
    possible_host_port_overlap,
    repository_port_conflict,
    sibling_note,
)
from tests.rules._helpers import bind, run

ONE_SPACE = Settings(allocations=Allocations([]))
"""A repository with an allocation file: every claim meets every other (the
evidence PL402 needs; tests/rules/test_together.py covers the other kinds)."""


def run_in_one_space(
    bindings: Sequence[PortBinding], options: Mapping[str, Any] | None = None
) -> list[Finding]:
    return run(repository_port_conflict, bindings, ONE_SPACE, options)


def _compose(path: str, owner: str, port: int, line: int = 5, **kw: object):
    folder = path.rsplit("/", 1)[0] if "/" in path else "."
    return bind(
        port, owner=owner, path=path, line=line, column=10, project=f"compose:{folder}", **kw
    )


def test_once_per_claimant_after_the_first_never_per_pair() -> None:
    a = _compose("admin/compose.yaml", "admin", 8080)
    b = _compose("blog/compose.yaml", "web", 8080)
    c = _compose("shop/compose.yaml", "storefront", 8080)
    found = run_in_one_space([c, a, b])
    assert [(f.location.path, [r.path for r in f.related]) for f in found] == [
        ("blog/compose.yaml", ["admin/compose.yaml"]),
        ("shop/compose.yaml", ["admin/compose.yaml", "blog/compose.yaml"]),
    ]
    assert found[1].message == (
        'host port 8080/tcp is also claimed by service "admin" (admin/compose.yaml:5:10) '
        "and 1 other"
    )
    assert found[0].severity is Severity.WARNING


def test_same_project_is_pl401s_business_and_overrides_are_one_claim() -> None:
    base = _compose("app/compose.yaml", "web", 8080)
    override = _compose("app/compose.override.yaml", "web", 8080)
    sibling = _compose("app/compose.yaml", "api", 8080, line=9)
    assert run_in_one_space([base, override, sibling]) == []


def test_env_value_interpolated_into_compose_is_one_claim() -> None:
    env_value = Location("svc/.env", 2, 10)
    dotenv = bind(
        8081,
        role="listen",
        owner="API_PORT",
        kind="dotenv",
        path="svc/.env",
        line=2,
        column=10,
        project=None,
        namespace=HOST,
    )
    compose = _compose("svc/compose.yaml", "api", 8081, origin=env_value)
    other_key = bind(
        8081,
        role="listen",
        owner="ADMIN_PORT",
        kind="dotenv",
        path="svc/.env",
        line=3,
        column=12,
        project=None,
        namespace=HOST,  # an app on the host reads it (placement: a package.json beside it)
    )
    # API_PORT's value is the compose claim (judged there, with the service's name);
    # ADMIN_PORT is a second key of the same .env on the same port
    (finding,) = run_in_one_space([dotenv, compose, other_key])
    assert (finding.location.path, finding.location.line) == ("svc/compose.yaml", 5)
    assert finding.message == (
        'host port 8081/tcp is also claimed by variable "ADMIN_PORT" (svc/.env:3:12)'
    )


def test_protocols_host_ips_and_nodeports() -> None:
    bindings = [
        _compose("a/compose.yaml", "dns", 5353, protocol="udp"),
        _compose("b/compose.yaml", "dns", 5353, protocol="tcp"),
        _compose("c/compose.yaml", "x", 9000, host_ip="127.0.0.1"),
        _compose("d/compose.yaml", "y", 9000, host_ip="127.0.0.2"),
        bind(30080, role="node", owner="web", kind="kubernetes", path="k8s/a.yaml", project=None),
        bind(30080, role="node", owner="api", kind="kubernetes", path="k8s/b.yaml", project=None),
    ]
    assert run_in_one_space(bindings) == []


def test_independent_folders() -> None:
    bindings = [
        _compose("examples/flask/compose.yaml", "web", 5001),
        _compose("examples/django/compose.yaml", "web", 5001),
        _compose("examples/django/other/compose.yaml", "worker", 5001),
        _compose("services/api/compose.yaml", "api", 5001),
    ]
    found = run_in_one_space(bindings, options={"independent": ["examples/*"]})
    # django's two projects share one sample folder; services/api runs with every sample
    assert [(f.location.path, [r.path for r in f.related]) for f in found] == [
        ("examples/django/other/compose.yaml", ["examples/django/compose.yaml"]),
        (
            "services/api/compose.yaml",
            [
                "examples/django/compose.yaml",
                "examples/django/other/compose.yaml",
                "examples/flask/compose.yaml",
            ],
        ),
    ]


def test_hot_port_related_locations_are_capped() -> None:
    bindings = [_compose(f"s{i:03}/compose.yaml", "web", 8080) for i in range(60)]
    found = run_in_one_space(bindings)
    assert len(found) == 59
    assert len(found[-1].related) == 20
    assert found[-1].message.endswith("and at least 19 others")


def _pl402(path: str, related: str) -> Finding:
    return Finding(
        Location(path, 1, 1),
        "PL402",
        "repository-port-conflict",
        Severity.WARNING,
        "m",
        related=(Location(related, 1, 1),),
    )


def test_sibling_note_threshold() -> None:
    ten = [_pl402(f"samples/s{i}/compose.yaml", "samples/a/compose.yaml") for i in range(10)]
    assert sibling_note(ten) is None
    eleven = [*ten, _pl402("samples/z/compose.yaml", "samples/a/compose.yaml")]
    assert sibling_note(eleven) == (
        "11 PL402 findings are between sibling folders of samples/; if their projects never "
        'run together, set PL402\'s option independent = ["samples/*"]'
    )
    same_folder = [_pl402("app/.env", "app/compose.yaml") for _ in range(20)]
    assert sibling_note(same_folder) is None


def _k8s(port, *, role="container", container=None, obj="Deployment/web", **kw):
    owner = f"default/{obj}/{container}" if container else f"default/{obj}"
    project = kw.pop("project", f"k8s:default/{obj}")
    return bind(
        port,
        role=role,
        owner=owner,
        kind="kubernetes",
        project=project,
        k8s_object=obj,
        container=container or None,
        **kw,
    )


def test_duplicate_container_port_in_pod() -> None:
    web = _k8s(8080, container="web", path="k8s/deploy.yaml", line=20, column=28)
    sidecar = _k8s(8080, container="metrics", path="k8s/deploy.yaml", line=25, column=28)
    init = _k8s(
        8080,
        container="migrate",
        path="k8s/deploy.yaml",
        line=30,
        column=28,
        container_group="initContainers",
    )
    other_pod = _k8s(
        8080, container="api", obj="Deployment/api", path="k8s/api.yaml", line=20, column=28
    )
    (finding,) = run(duplicate_container_port, [web, sidecar, init, other_pod])
    assert (finding.location.line, finding.location.column) == (25, 28)
    assert finding.message == (
        'container port 8080/tcp is already declared by container "web" of Deployment/web '
        "(k8s/deploy.yaml:20:28) in the same pod"
    )


def test_duplicate_container_port_compose_network_mode() -> None:
    app = bind(8000, owner="app", line=5, column=14, target=80)
    proxy = bind(
        80,
        role="container",
        owner="proxy",
        line=12,
        column=10,
        namespace=Namespace("container", "compose:./app"),
    )
    alone = bind(80, role="container", owner="other", line=20, column=10)
    (finding,) = run(duplicate_container_port, [app, proxy, alone])
    assert finding.location.line == 12
    assert finding.message == (
        'container port 80/tcp is already declared by service "app" (compose.yaml:5:14) '
        'in the network namespace of service "app"'
    )


def test_duplicate_node_port() -> None:
    web = _k8s(
        30080, role="node", obj="Service/web", path="k8s/web.yaml", line=14, column=17, project=None
    )
    web_again = _k8s(
        30080,
        role="node",
        obj="Service/web",
        path="k8s/overlays/prod/web.yaml",
        line=9,
        column=17,
        project=None,
    )
    api = _k8s(
        30080, role="node", obj="Service/api", path="k8s/api.yaml", line=14, column=17, project=None
    )
    # path order: api is first; the overlay's copy of web reports once, the base copy
    # of web is the same Service again
    (finding,) = run(duplicate_node_port, [web, web_again, api])
    assert (finding.location.path, finding.message) == (
        "k8s/overlays/prod/web.yaml",
        'nodePort 30080/tcp is already used by Service "api" (k8s/api.yaml:14:17)',
    )


def test_dangling_target_port_and_probe() -> None:
    named = _k8s(8080, container="web", path="k8s/deploy.yaml", port_name="http")
    ok_ref = _k8s(
        None,
        obj="Service/web",
        path="k8s/svc.yaml",
        line=12,
        ref="targetPort",
        ref_name="http",
    )
    bad_ref = _k8s(
        None,
        obj="Service/web",
        path="k8s/svc.yaml",
        line=20,
        column=21,
        ref="targetPort",
        ref_name="metrics",
    )
    elsewhere = _k8s(
        None,
        obj="Service/x",
        path="other/svc.yaml",
        ref="targetPort",
        ref_name="http",
    )
    probe_ok = _k8s(
        None,
        container="web",
        path="k8s/deploy.yaml",
        line=30,
        ref="probe",
        ref_name="http",
    )
    probe_bad = _k8s(
        None,
        container="web",
        path="k8s/deploy.yaml",
        line=34,
        column=23,
        ref="probe",
        ref_name="health",
    )
    ingress = _k8s(
        None,
        obj="Ingress/web",
        path="k8s/ing.yaml",
        project=None,
        ref="ingress",
        ref_name="nope",
    )
    found = run(
        dangling_target_port, [named, ok_ref, bad_ref, elsewhere, probe_ok, probe_bad, ingress]
    )
    assert [(f.location.path, f.location.line, f.message) for f in found] == [
        (
            "k8s/deploy.yaml",
            34,
            'probe port "health" of container "web" of Deployment/web is not a port name '
            "of its pod",
        ),
        (
            "k8s/svc.yaml",
            20,
            'targetPort "metrics" of Service "web" names no container port in k8s/',
        ),
        ("other/svc.yaml", 1, 'targetPort "http" of Service "x" names no container port in other/'),
    ]


def test_possible_host_port_overlap() -> None:
    api = bind(8080, owner="api", line=7, column=10, target=8080)
    workers = bind(8000, end_port=8100, target=9000, owner="worker", line=13, column=10)
    udp = bind(8000, end_port=8100, target=9001, owner="worker", protocol="udp", line=14)
    loop = bind(8050, end_port=8090, target=9000, owner="w2", host_ip="127.0.0.1", line=15)
    other_ip = bind(8080, owner="api2", host_ip="127.0.0.2", line=16, target=80)
    found = run(possible_host_port_overlap, [api, workers, udp, loop, other_ip])
    assert [(f.location.line, f.port) for f in found] == [(13, 8080), (15, 8080)]
    assert found[0].message == (
        'host port range 8000-8100/tcp includes 8080, published by service "api" '
        "(compose.yaml:7:10)"
    )


FLY = """\
app = "{app}"

[http_service]
  internal_port = {internal}

[[services]]
  internal_port = {internal}
  [[services.ports]]
    port = 443
    handlers = ["tls", "http"]
"""


def test_fly_apps_collide_on_nothing(make_project) -> None:
    """Every Fly app runs in machines of its own: neither its edge 443 nor its
    internal_port meets another app's. Both are still read (PL206 sees the
    internal ports, and only them, against the allocation file)."""
    from tests.conftest import run_cli

    root = make_project(
        {
            "billing/fly.toml": FLY.format(app="billing", internal=8081),
            "search/fly.toml": FLY.format(app="search", internal=8081),
            "ports.toml": "",
        }
    )
    code, out, _ = run_cli(["check", "-q", "--no-color", "--select", "PL402,PL206", "."], cwd=root)
    findings = [
        [line.split(" ", 3)[0], line.split(" ", 3)[2]]
        for line in out.splitlines()
        if not line.startswith("  ")
    ]
    assert findings == [
        ["billing/fly.toml:4:19:", "PL206"],
        ["billing/fly.toml:7:19:", "PL206"],
        ["search/fly.toml:4:19:", "PL206"],
        ["search/fly.toml:7:19:", "PL206"],
    ]
    assert code == 1


def _env(path: str, key: str, port: int, owner: str, line: int = 1, column: int = 6):
    """A ``.env`` key read by an app on the host (placement found a package.json beside it)."""
    return bind(
        port,
        role="listen",
        owner=owner,
        kind="dotenv",
        path=path,
        line=line,
        column=column,
        project=None,
        key_path=(key,),
        namespace=HOST,
    )


def test_project_env_port_is_the_service_own_claim_and_named_as_written() -> None:
    """``PORT=3000`` beside ``"3000:3000"`` is one claim; another project's .env still collides."""
    service = _compose("storefront/compose.yaml", "app", 3000, target=3000)
    own = _env("storefront/.env", "PORT", 3000, owner="storefront")
    inner = _env("storefront/.env", "PORT", 9000, owner="storefront", line=2)
    published = _compose("storefront/compose.yaml", "app", 8081, line=6, target=9000)
    other = _env("worker/.env", "WORKER_PORT", 3000, owner="worker", column=13)
    busy = _compose("metrics/compose.yaml", "grafana", 9000)
    found = run_in_one_space([service, own, inner, published, other, busy])
    # storefront's PORT=9000 is the container side of "8081:9000": no claim, so
    # metrics' 9000 collides with nothing; worker's 3000 collides with storefront
    assert [(f.location.path, f.location.line, f.location.column) for f in found] == [
        ("worker/.env", 1, 13)
    ]
    assert found[0].message == (
        'listening port 3000/tcp is also claimed by variable "PORT" (storefront/.env:1:6)'
    )


def test_env_file_named_by_a_service_belongs_to_its_project() -> None:
    service = _compose(
        "billing/compose.yaml",
        "api",
        8000,
        target=8000,
        env_files=("billing/env/api.env",),
    )
    own = _env("billing/env/api.env", "PORT", 8000, owner="env")
    stray = _env("tools/.env", "PORT", 8000, owner="tools")
    found = run_in_one_space([service, own, stray])
    assert [(f.location.path, f.message) for f in found] == [
        (
            "tools/.env",
            'listening port 8000/tcp is also claimed by service "api" (billing/compose.yaml:5:10)',
        )
    ]


def test_named_env_key_joins_only_the_service_it_names() -> None:
    """``REDIS_PORT=6379`` is the redis image's port; ``DB_PORT=6379`` beside it is not."""
    cache = _compose(
        "app/compose.yaml",
        "cache",
        6379,
        target=6379,
        identities=("cache", "redis:7"),
        image="redis:7",
    )
    redis = _env("app/.env", "REDIS_PORT", 6379, owner="redis", column=12)
    db = _env("app/.env", "DB_PORT", 6379, owner="db", line=2, column=9)
    found = run_in_one_space([cache, redis, db])
    assert [(f.location.line, f.location.column, f.message) for f in found] == [
        (
            2,
            9,
            'listening port 6379/tcp is also claimed by variable "REDIS_PORT" (app/.env:1:12)',
        )
    ]


def _many_claims(seed: int) -> list[PortBinding]:
    """Claims crowded onto a few ports: projects, samples, host IPs, ranges and nodePorts."""
    rng = random.Random(seed)
    folders = ["a", "b", "c", "examples/x", "examples/y", "examples/y/sub"]
    out = []
    for i in range(400):
        folder = rng.choice(folders)
        port = rng.randrange(8000, 8012)
        extra: dict[str, Any] = {}
        if rng.random() < 0.2:
            extra["end_port"] = port + rng.randrange(1, 6)
        if rng.random() < 0.3:
            extra["host_ip"] = rng.choice(["127.0.0.1", "127.0.0.2", "0.0.0.0", "::", "::1"])
        if rng.random() < 0.1:
            extra["protocol"] = "udp"
        path = f"{folder}/{rng.choice(['compose.yaml', 'compose.override.yaml'])}"
        if rng.random() < 0.1:
            out.append(bind(port, role="node", owner=f"svc{i % 7}", kind="kubernetes", path=path))
            continue
        out.append(_compose(path, f"s{rng.randrange(6)}", port, line=i + 1, **extra))
    return out


def test_small_and_tree_claim_indexes_agree(monkeypatch) -> None:
    """PL402 keeps a partition of few claims as a flat list and a larger one as a tree."""
    from portlint.rules import collisions

    def conflicts(bindings: list[PortBinding], **options: Any) -> list[tuple[object, ...]]:
        found = collisions._find_repository_conflicts(bindings, **options)
        return [(id(b), port, [id(e) for e in earlier]) for b, port, earlier in found]

    for seed in range(3):
        bindings = _many_claims(seed)
        cases: list[dict[str, Any]] = [
            {"one_space": True},
            {"one_space": True, "independent": ["examples/*"]},
            {"one_space": False, "run_together": [["a", "b", "examples/*"]]},
        ]
        for options in cases:
            monkeypatch.setattr(collisions._ClaimIndex, "SMALL", 24)
            small = conflicts(bindings, **options)
            monkeypatch.setattr(collisions._ClaimIndex, "SMALL", 0)
            tree = conflicts(bindings, **options)
            assert small == tree
            assert len(small) > 20  # crowded: most claims find an earlier one


def test_fix_pickers_of_one_run_share_its_used_ports_but_not_what_each_gives() -> None:
    """PL401 and PL402 each search free ports near a collision: the run's used ports are
    derived once (``Settings.derive``), and a port one picker proposed stays its own,
    as when each derived them alone."""
    from portlint.registry.free import suggest
    from portlint.rules.fixes import PortPicker

    bindings = [bind(20000, owner="a"), bind(20001, owner="b", line=2)]
    settings = Settings()

    def free(near: int, used: set[int]) -> int:
        return suggest(1, near, used, None, settings.ephemeral_range)[0]

    first, second = PortPicker(bindings, settings), PortPicker(bindings, settings)
    given = first.near(20000)
    assert given == free(20000, {20000, 20001})
    assert second.near(20000) == given  # the first picker's proposal is not the second's
    assert first.near(20000) == free(20000, {20000, 20001, given})
    assert settings.memo["used"][1] == frozenset({20000, 20001})
    # another list of bindings is never answered from the memo of the first
    others = [bind(given, owner="c")]
    assert PortPicker(others, settings).near(given) == free(given, {given})
