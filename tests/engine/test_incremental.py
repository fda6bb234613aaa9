"""Incremental project rules: a port edit re-checks only the ports it touched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portlint.bindings import Location, PortBinding
from portlint.engine import incremental, run
from portlint.engine.incremental import Touched, flat_spans, touch
from tests.conftest import run_cli


def binding(
    path: str,
    line: int,
    port: int | None,
    target: int | None = None,
    end: int | None = None,
    origin: Location | None = None,
) -> PortBinding:
    return PortBinding(
        location=Location(path, line, 10),
        kind="compose",
        owner=f"s{line}",
        role="host",
        port=port,
        end_port=end,
        target=target,
        origin=origin,
    )


def test_overlapping_ports_are_one_component_and_sides_are_not_joined() -> None:
    a = binding("a.yml", 1, 8080, target=80)
    b = binding("b.yml", 1, 8000, end=8090)  # a range over 8080
    c = binding("c.yml", 1, 9090, target=80)  # shares only the container side with a
    d = binding("d.yml", 1, 5432)
    found = touch([a, b, c, d], changed=[], extra=[(8085, 8085)])
    assert found.bindings == [a, b]
    assert (found.starts, found.ends) == ([8000], [8090])
    assert found.covers(8000) and found.covers(8090)
    assert not found.covers(80) and not found.covers(9090) and not found.covers(None)


def test_a_touched_container_side_takes_the_binding_but_not_its_host_port() -> None:
    a = binding("a.yml", 1, 8080, target=80)
    c = binding("c.yml", 1, 9090, target=80)
    found = touch([a, c], changed=[], extra=[(80, 80)])
    assert found.bindings == [a, c]  # both read for their container side
    assert not found.covers(8080) and not found.covers(9090)  # their host findings are kept


def test_a_value_taken_from_a_dotenv_joins_its_component() -> None:
    env = binding(".env", 1, 3000)
    compose = binding("compose.yml", 4, 3000, target=3000, origin=Location(".env", 1, 10))
    unset = binding("other.yml", 2, None, origin=Location(".env", 1, 10))  # no port of its own
    other = binding("x.yml", 1, 4000)
    found = touch([env, compose, unset, other], changed=[2], extra=[])
    assert found.bindings == [env, compose, unset]
    assert found.covers(3000) and not found.covers(4000)


def test_flat_spans_merge_what_touches() -> None:
    spans = flat_spans([binding("a", 1, 80, target=81), binding("a", 2, 8000, end=8010)])
    assert spans == [80, 81, 8000, 8010]


def test_kept_findings_are_those_off_the_touched_ports() -> None:
    from portlint.findings import Finding, Severity

    def finding(port: int | None) -> Finding:
        return Finding(
            Location("a", 1, 1), "PL401", "duplicate-host-port", Severity.ERROR, "m", port=port
        )

    touched = Touched([8000], [8090], [])
    old = {"PL401": [finding(8080), finding(9000)], "PL402": []}
    assert incremental.kept(touched, old, ["PL401", "PL402"]) == {
        "PL401": [finding(9000)],
        "PL402": [],
    }


FILES = {
    "pyproject.toml": "[tool.portlint]\n",
    "a/compose.yaml": 'services:\n  web:\n    ports: ["8080:80", "9000:90"]\n',
    "b/compose.yaml": 'services:\n  api:\n    ports: ["8080:80"]\n    networks: [shared]\n'
    "networks:\n  shared:\n    external: true\n",
    "c/compose.yaml": 'services:\n  db:\n    ports: ["9000:90"]\n    networks: [shared]\n'
    "networks:\n  shared:\n    external: true\n",
    "d/compose.yaml": 'services:\n  cache:\n    ports: ["12000:70"]\n    networks: [shared]\n'
    "networks:\n  shared:\n    external: true\n",
}


@pytest.fixture
def plans(
    make_project: Callable[[dict[str, str]], Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, list[Touched | None]]:
    """The project and what each run's plan was (None: everything checked)."""
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    root = make_project(FILES)
    seen: list[Touched | None] = []
    real = incremental.plan

    def spy(*args: Any, **kwargs: Any) -> Touched | None:
        seen.append(real(*args, **kwargs))
        return seen[-1]

    monkeypatch.setattr(run, "plan", spy)
    return root, seen


def check(root: Path, *paths: str) -> tuple[int, str, str]:
    return run_cli(["check", "--no-color", *paths], cwd=root)


def test_a_port_edit_rechecks_only_its_ports(plans: tuple[Path, list[Touched | None]]) -> None:
    root, seen = plans
    first = check(root, ".")
    assert "PL402" not in first[1]  # b and c run together (one network) on other ports
    assert seen == []  # nothing recorded yet: everything checked
    (root / "d/compose.yaml").write_text(
        (root / "d/compose.yaml").read_text().replace("12000:70", "8080:70")
    )
    edited = check(root, "d/compose.yaml")
    assert edited == check(root, "--no-cache", "d/compose.yaml")
    assert "d/compose.yaml:3:14: warning PL402" in edited[1]  # b's 8080, same network
    touched = seen[-1]
    assert touched is not None
    assert sorted(b.location.path for b in touched.bindings) == [
        "a/compose.yaml",
        "b/compose.yaml",
        "d/compose.yaml",
    ]  # 8080, 12000 and 70 were re-checked; 9000 (a's and c's) was not
    assert not touched.covers(9000)
    whole = check(root, ".")
    assert whole == check(root, "--no-cache", ".")
    assert whole[1].count("warning PL402") == 1


def test_a_new_file_checks_everything(plans: tuple[Path, list[Touched | None]]) -> None:
    root, seen = plans
    check(root, ".")
    (root / "e").mkdir()
    (root / "e/compose.yaml").write_text('services:\n  q:\n    ports: ["9000:90"]\n')
    assert check(root, ".") == check(root, "--no-cache", ".")
    assert seen == [None]


def test_a_network_change_checks_everything(plans: tuple[Path, list[Touched | None]]) -> None:
    """Which projects run together is no port: a change to it may move any finding."""
    root, seen = plans
    check(root, ".")
    (root / "a/compose.yaml").write_text(
        'services:\n  web:\n    ports: ["8080:80", "9000:90"]\n    networks: [shared]\n'
        "networks:\n  shared:\n    external: true\n"
    )
    result = check(root, "a/compose.yaml")
    assert result == check(root, "--no-cache", "a/compose.yaml")
    assert seen == [None]
    assert result[1].count("warning PL402") == 2  # a joined: it meets b's 8080, c's 9000


def test_a_port_a_fix_proposed_is_taken_elsewhere(
    plans: tuple[Path, list[Touched | None]],
) -> None:
    """The fix's free port is a fact of the whole run: once taken, it is proposed no more."""
    import json

    root, seen = plans
    (root / "a/compose.yaml").write_text(
        'services:\n  web:\n    ports: ["8080:80"]\n  api:\n    ports: ["8080:81"]\n'
    )

    def fixes() -> list[str]:
        out = run_cli(["check", "--format", "json", "."], cwd=root)[1]
        fresh = run_cli(["check", "--format", "json", "--no-cache", "."], cwd=root)
        assert out == fresh[1]
        return [f["fix"]["message"] for f in json.loads(out)["findings"] if f["fix"]]

    check(root, ".")
    (first,) = fixes()
    proposed = first.rsplit(" ", 1)[1]  # "move it to port N"
    compose = root / "d/compose.yaml"
    compose.write_text(compose.read_text().replace("12000:70", f"{proposed}:70"))
    (second,) = fixes()
    assert seen[-1] is not None  # the incremental path ran
    assert second != first and not second.endswith(f" {proposed}")
