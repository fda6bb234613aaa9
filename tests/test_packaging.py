"""The extras: ``test`` holds what the tests need, ``dev`` the tools CI runs (issue 15).

The README's test command (``pip install -e ".[test]"``) must work on a fresh
machine on every supported Python, so the test extra carries nothing that
could need a compiler (atheris on Python 3.10 had only a source release in
its newest version) and nothing the tests do not use.
"""

from __future__ import annotations

import ast
import re
import sys

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
EXTRAS = PROJECT["optional-dependencies"]
SUPPORTED = ["3.10", "3.11", "3.12", "3.13"]

# import name -> distribution, for the third-party modules the tests import
DISTRIBUTIONS = {"yaml": "pyyaml", "pytest": "pytest", "hypothesis": "hypothesis"}
DISTRIBUTIONS |= {"jsonschema": "jsonschema", "packaging": "packaging"}


def _names(requirements: list[str]) -> set[str]:
    return {Requirement(r).name.lower() for r in requirements}


def test_the_test_extra_is_what_the_tests_need() -> None:
    """pre-commit is here because a test runs the real hook; packaging comes with pytest."""
    assert _names(EXTRAS["test"]) == {"pytest", "hypothesis", "jsonschema", "pre-commit"}


def test_the_development_tools_are_in_the_dev_extra() -> None:
    assert {"ruff", "mypy", "types-pyyaml", "tomli", "atheris"} <= _names(EXTRAS["dev"])
    assert not {"ruff", "mypy", "atheris"} & _names(EXTRAS["test"])


def _third_party_imports() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        if "fixtures" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    # tomli: a runtime dependency where tomllib (3.11+, imported behind a version check) is not
    local = {"portlint", "tests", "tomli", "tomllib"}
    return {name for name in found - local if name not in sys.stdlib_module_names}


def test_every_module_the_tests_import_comes_with_the_test_extra() -> None:
    provided = _names(EXTRAS["test"]) | _names(PROJECT["dependencies"]) | {"packaging"}
    imported = _third_party_imports()
    assert imported <= set(DISTRIBUTIONS), f"unknown import: {imported - set(DISTRIBUTIONS)}"
    assert {DISTRIBUTIONS[name] for name in imported} <= provided


@pytest.mark.parametrize("python", SUPPORTED)
def test_atheris_is_pinned_to_a_release_with_a_wheel(python) -> None:
    """atheris 3.0.0 has wheels for CPython 3.11 to 3.13 only; 2.3.0 is the last with a
    3.10 wheel (checked with ``pip download --only-binary :all: --python-version``)."""
    env = {"python_version": python, "sys_platform": "linux", "platform_machine": "x86_64"}
    chosen = [
        req
        for r in EXTRAS["dev"]
        if (req := Requirement(r)).name == "atheris" and req.marker and req.marker.evaluate(env)
    ]
    assert len(chosen) == 1
    expected = "==2.3.0" if python == "3.10" else ">=3.0.0"
    assert str(chosen[0].specifier) == expected


def test_ci_installs_the_tools_it_runs_before_running_them() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = re.search(r'pip install --quiet -e "\.\[test,dev\]"', ci)
    assert install is not None
    assert (
        install.start()
        < ci.index("\nruff check .")
        < ci.index("\nmypy")
        < ci.index("import atheris")
    )
