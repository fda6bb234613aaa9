"""The extras: ``test`` holds what the tests need, ``dev`` the tools CI runs (issue 15).

The README's test command (``pip install -e ".[test]"``) must work on a fresh
machine on every supported Python, so the test extra carries nothing that
could need a compiler (atheris on Python 3.10 had only a source release in
its newest version) and nothing the tests do not use.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

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
DISTRIBUTIONS |= {"jsonschema": "jsonschema", "packaging": "packaging", "build": "build"}


def _names(requirements: list[str]) -> set[str]:
    return {Requirement(r).name.lower() for r in requirements}


def test_the_test_extra_is_what_the_tests_need() -> None:
    """pre-commit is here because a test runs the real hook; packaging comes with pytest."""
    assert _names(EXTRAS["test"]) == {
        "pytest",
        "hypothesis",
        "jsonschema",
        "pre-commit",
        "build",  # the sdist test builds the archive offline (--no-isolation) ...
        "setuptools",  # ... with the backend pyproject names, >=77 for SPDX licences
    }


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


# -- metadata and the source distribution ---------------------------------------------------


def test_the_licence_is_an_spdx_expression_with_its_file() -> None:
    assert PROJECT["license"] == "MIT"
    assert PROJECT["license-files"] == ["LICENSE"]
    # PEP 639: a licence classifier beside an expression is an error for build backends
    assert not [c for c in PROJECT["classifiers"] if c.startswith("License ::")]
    system = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    assert [str(Requirement(r).specifier) for r in system["requires"]] == [">=77"]


def test_one_classifier_per_supported_python() -> None:
    versions = [
        c.rpartition(" :: ")[2]
        for c in PROJECT["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert versions == SUPPORTED
    assert PROJECT["requires-python"] == f">={SUPPORTED[0]}"


def test_the_urls_a_package_index_shows() -> None:
    urls = PROJECT["urls"]
    assert {"Homepage", "Source", "Issues", "Changelog"} <= set(urls)
    assert urls["Changelog"].endswith("/CHANGELOG.md")


def _build_sdist(out: Path) -> Path:
    """``python -m build --sdist --no-isolation``: offline, with the installed backend."""
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--no-isolation", "-o", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (archive,) = out.glob("portlint-*.tar.gz")
    return archive


@pytest.mark.slow
def test_the_sdist_holds_the_suite_and_a_slice_of_it_passes(tmp_path: Path) -> None:
    pytest.importorskip("build")
    archive = _build_sdist(tmp_path / "dist")
    with tarfile.open(archive) as tar:
        names = {name.partition("/")[2] for name in tar.getnames()}
        if sys.version_info >= (3, 12):
            tar.extractall(tmp_path / "src", filter="data")
        else:  # pragma: no cover - the filter argument came with 3.12 (and security releases)
            tar.extractall(tmp_path / "src")
    tracked = subprocess.run(
        ["git", "ls-files", "tests", "docs", "examples", "CHANGELOG.md", "LICENSE"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if tracked.returncode == 0 and tracked.stdout:  # a git checkout: every tracked file is in
        assert set(tracked.stdout.splitlines()) <= names
    assert {"tests/conftest.py", "tests/fixtures", "CHANGELOG.md", "action.yml"} <= names | {
        n.rsplit("/", 1)[0] for n in names
    }
    (unpacked,) = (tmp_path / "src").iterdir()
    env = {**os.environ, "PYTHONPATH": str(unpacked)}
    where = subprocess.run(
        [sys.executable, "-c", "import portlint; print(portlint.__file__)"],
        cwd=unpacked,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(unpacked)  # the sdist's code is tested
    suite = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-m",
            "not slow",
            "tests/rules",
            "tests/reporters",
            "tests/test_fixture_goldens.py",
            "tests/test_globs.py",
            "tests/test_rules_catalog.py",
        ],
        cwd=unpacked,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert suite.returncode == 0, suite.stdout[-3000:] + suite.stderr[-2000:]
    assert re.search(r"^\d{3,} passed", suite.stdout, re.M), suite.stdout[-500:]
