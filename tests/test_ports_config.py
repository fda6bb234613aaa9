"""`portlint ports` and `portlint suggest` read the project's configuration as `check` does.

Issue 13: `ports` listed files the config excludes, and `suggest` had no
`--config`. Both now go through the one loader, `portlint.commands.load_config`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

from tests.conftest import run_cli

Make = Callable[[Mapping[str, str]], Path]


def compose(port: int) -> str:
    return f'services:\n  web:\n    image: example/web\n    ports: ["{port}:80"]\n'


PROJECT = {
    "app/compose.yaml": compose(18001),
    "legacy/compose.yaml": compose(18002),
    "vendor/lib/compose.yaml": compose(18003),
}


def listed(root: Path, *args: str) -> list[str]:
    code, out, err = run_cli(["ports", "--format", "json", *args], cwd=root)
    assert (code, err) == (0, "")
    return sorted({b["path"] for b in json.loads(out)["bindings"]})


def test_ports_honours_exclude_in_the_config(make_project: Make) -> None:
    root = make_project({**PROJECT, ".portlint.toml": 'extend-exclude = ["legacy/"]\n'})
    assert listed(root) == ["app/compose.yaml"]  # default excludes kept: vendor/ too


def test_ports_honours_a_replaced_exclude_list(make_project: Make) -> None:
    root = make_project({**PROJECT, ".portlint.toml": "exclude = []\n"})
    assert listed(root) == [
        "app/compose.yaml",
        "legacy/compose.yaml",
        "vendor/lib/compose.yaml",
    ]


def test_ports_takes_config_isolated_and_exclude_flags(make_project: Make) -> None:
    root = make_project({**PROJECT, "ci/strict.toml": 'exclude = ["app/"]\n'})
    assert listed(root, "--config", "ci/strict.toml") == [
        "legacy/compose.yaml",
        "vendor/lib/compose.yaml",
    ]
    assert listed(root, "--extend-exclude", "legacy/") == ["app/compose.yaml"]
    assert listed(root, "--no-default-excludes") == [
        "app/compose.yaml",
        "legacy/compose.yaml",
        "vendor/lib/compose.yaml",
    ]
    (root / ".portlint.toml").write_text('exclude = ["app/"]\n', encoding="utf-8")
    assert listed(root, "--isolated") == ["app/compose.yaml", "legacy/compose.yaml"]


def test_ports_honours_include(make_project: Make) -> None:
    root = make_project(
        {"app/compose.yaml.dist": compose(18004), ".portlint.toml": 'include = ["*.dist"]\n'}
    )
    assert listed(root) == ["app/compose.yaml.dist"]


def test_suggest_takes_config(make_project: Make) -> None:
    empty = make_project({"README": "nothing here\n"})
    code, out, _ = run_cli(["suggest", "--count", "1", "--near", "18200"], cwd=empty)
    assert code == 0
    free = int(out)
    (empty / "legacy").mkdir()
    (empty / "legacy" / "compose.yaml").write_text(compose(free), encoding="utf-8")
    (empty / "ci.toml").write_text('extend-exclude = ["legacy/"]\n', encoding="utf-8")
    _, out, _ = run_cli(["suggest", "--count", "1", "--near", "18200"], cwd=empty)
    assert int(out) != free  # the repository uses it
    code, out, err = run_cli(
        ["suggest", "--count", "1", "--near", "18200", "--config", "ci.toml"], cwd=empty
    )
    assert (code, int(out), err) == (0, free, "")  # that config excludes its only user
