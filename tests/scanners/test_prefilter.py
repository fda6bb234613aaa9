"""The text pre-check before parsing generic YAML, JSON and TOML changes no result.

Each of those scanners first searches the text for a word a port can hang
from (the generic key table's ``port``, ``listen``, ``bind``, ``addr``, a
URL's ``://``) and returns nothing without parsing when there is none. Every
fixture is checked with the pre-check and with it forced to pass (so every
file is parsed): the reports must be equal.

One difference is by design and not covered by a fixture: a file that does
not parse and holds none of those words gets no PL001 (a port linter has
nothing to say about it).
"""

from __future__ import annotations

import re

import pytest

from portlint.scanners import json as json_scanner
from portlint.scanners import toml as toml_scanner
from portlint.scanners import yaml as yaml_scanner
from tests.conftest import FIXTURES, run_cli

FOLDERS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
_ALWAYS = re.compile("")


def report(folder: str) -> tuple[int, str, str]:
    return run_cli(["check", "--format", "json", "--no-cache", "--exit-zero", folder], cwd=FIXTURES)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_fixture_reports_the_same_with_and_without_the_pre_check(
    folder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    filtered = report(folder)
    monkeypatch.setattr(yaml_scanner, "_CANDIDATE", _ALWAYS)
    monkeypatch.setattr(json_scanner, "CANDIDATE", _ALWAYS)
    monkeypatch.setattr(toml_scanner, "CANDIDATE", _ALWAYS)
    monkeypatch.setattr(json_scanner, "_may_hold_ports", lambda _text: True)  # its C pass
    assert report(folder) == filtered


def test_the_pre_check_skips_files_without_a_port_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The comparison above would pass if the pre-check never skipped anything."""
    calls: list[str] = []
    real = yaml_scanner._yaml.compose_documents

    def counting(source):  # type: ignore[no-untyped-def]
        calls.append(source.path)
        return real(source)

    monkeypatch.setattr(yaml_scanner._yaml, "compose_documents", counting)
    report(".")
    parsed = set(calls)
    calls.clear()
    monkeypatch.setattr(yaml_scanner, "_CANDIDATE", _ALWAYS)
    report(".")
    assert parsed < set(calls)
