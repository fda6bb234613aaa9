"""The run's own steps between the scans and the filters."""

from __future__ import annotations

import dataclasses

from portlint.bindings import Location, PortBinding
from portlint.config import Config
from portlint.engine.run import echoes_removed, read_in_context, selected_rules
from portlint.findings import Problem
from portlint.scanners.base import ScanResult


def test_an_env_value_a_compose_port_came_from_is_judged_once() -> None:
    env = PortBinding(Location(".env", 1, 10), "dotenv", "WEB_PORT", "listen", 8081)
    other = PortBinding(Location(".env", 2, 10), "dotenv", "DB_PORT", "listen", 5432)
    web = PortBinding(
        Location("compose.yaml", 5, 10), "compose", "web", "host", 8081, origin=env.location
    )
    assert echoes_removed([env, other, web]) == [other, web]
    assert echoes_removed([env, other]) == [env, other]


def test_an_included_file_loses_only_its_unset_variable_problems() -> None:
    unset = Problem("PL104", Location("inc.yaml", 3, 5), "variable PORT is not set")
    broken = Problem("PL101", Location("inc.yaml", 4, 5), "port 99999 is out of range")
    scanned = ScanResult(problems=[unset, broken])
    assert read_in_context(scanned).problems == [broken]
    assert scanned.problems == [unset, broken]  # the scan result itself is left alone


def test_selection_follows_the_config() -> None:
    codes = [r.code for r in selected_rules(Config())]
    assert "PL401" in codes and codes == sorted(codes)
    only = dataclasses.replace(Config(), select=("PL401",))
    assert [r.code for r in selected_rules(only)] == ["PL401"]
