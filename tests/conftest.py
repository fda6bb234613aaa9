"""Shared helpers: temporary projects and an in-process CLI runner."""

from __future__ import annotations

import atexit
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from portlint import registry
from portlint.cli import main

# In-process runs use the scan cache as users get it, but in one folder for
# the session instead of a .portlint_cache beside every fixture.
if "PORTLINT_SCAN_CACHE_DIR" not in os.environ:
    _CACHE = tempfile.mkdtemp(prefix="portlint-test-cache-")
    os.environ["PORTLINT_SCAN_CACHE_DIR"] = _CACHE
    atexit.register(shutil.rmtree, _CACHE, True)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
# The shipped registry's date, read from the snapshot so a registry refresh changes no test.
SHIPPED_DATE = registry.snapshot_date(registry.SNAPSHOT)

# Two services publishing host port 8080: the smallest project with one PL401.
TWO_SERVICES_ON_8080 = """\
services:
  api:
    image: example/api
    ports: ["8080:80"]
  admin:
    image: example/admin
    ports: ["8080:8081"]
"""


@pytest.fixture(autouse=True)
def _no_user_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Tests never read or write the developer's real registry cache."""
    monkeypatch.delenv("PORTLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    if sys.platform in ("darwin", "win32"):  # those ignore XDG_CACHE_HOME
        monkeypatch.setenv("PORTLINT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Write ``{relative path: text or bytes}`` under a temporary folder."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        for rel, content in files.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path

    return make


def run_cli(argv: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    """Run ``portlint`` in-process; returns (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def run_cli_strict(argv: list[str], cwd: Path) -> tuple[int, bytes, str]:
    """Run in-process with a real UTF-8 stdout (strict, like a pipe in CI), not a StringIO:
    a string the model failed to make encodable raises here as it would in CI."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
    err = io.StringIO()
    old = os.getcwd()
    try:
        os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main(argv)
        out.flush()
    finally:
        os.chdir(old)
    return code, raw.getvalue(), err.getvalue()


@pytest.fixture
def cli() -> Iterator[Callable[..., tuple[int, str, str]]]:
    yield run_cli
