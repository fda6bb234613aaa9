"""Every file portlint reads goes through one guarded reader: no device, FIFO or giant file.

A config can name any path, and a repository can commit a symbolic link or
a FIFO under any name. ``/dev/zero`` as a baseline once grew portlint to
15 GB; a FIFO blocks an ``open()`` until someone writes. Each case must end
at once with exit 2 and a message saying what the file is. The runs happen
in a child process with a memory limit and a timeout, so a regression fails
the test instead of hanging the suite or eating the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from portlint.source import Refused, TooLarge, read_bytes
from tests.conftest import TWO_SERVICES_ON_8080

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX devices and FIFOs")

MEMORY_LIMIT = 1536 * 1024 * 1024  # far above a normal run, far below /dev/zero's appetite
TIMEOUT = 60  # seconds; a guarded run takes well under one


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def portlint(root: Path, *args: str) -> tuple[int, str, str]:
    """``portlint check --no-cache ARGS .`` in a child process that cannot hang or balloon."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTLINT_")}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "portlint", "check", "--no-cache", *args, "."],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            preexec_fn=_limit_memory,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"portlint {' '.join(args)} still running after {TIMEOUT} s")
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def project(make_project: Callable[..., Path]) -> Path:
    return make_project({"compose.yaml": TWO_SERVICES_ON_8080})


def test_baseline_dev_zero_in_the_config_is_refused(project: Path) -> None:
    (project / ".portlint.toml").write_text('baseline = "/dev/zero"\n', encoding="utf-8")
    code, out, err = portlint(project)
    assert (code, out) == (2, "")
    assert err.startswith(
        "portlint: error: .portlint.toml:1:1: baseline: '/dev/zero' is outside the project root"
    )


def test_baseline_dev_zero_on_the_command_line_is_not_read(project: Path) -> None:
    code, out, err = portlint(project, "--baseline", "/dev/zero")
    assert (code, out) == (2, "")
    assert err == (
        "portlint: error: /dev/zero: cannot read baseline: a character device, not a regular file\n"
    )


def test_baseline_larger_than_its_cap_is_not_read(project: Path) -> None:
    with open(project / "big.json", "wb") as fh:
        fh.truncate(33 * 1024 * 1024)  # sparse: costs no disk
    code, out, err = portlint(project, "--baseline", "big.json")
    assert (code, out) == (2, "")
    assert err == (
        f"portlint: error: {project / 'big.json'}: cannot read baseline: "
        "larger than 33554432 bytes (34603008 bytes)\n"
    )


def test_baseline_fifo_in_the_project_is_not_opened(project: Path) -> None:
    os.mkfifo(project / "baseline.json")
    (project / ".portlint.toml").write_text('baseline = "baseline.json"\n', encoding="utf-8")
    code, out, err = portlint(project)
    assert (code, out) == (2, "")
    assert err == (
        "portlint: error: "
        f"{project / 'baseline.json'}: cannot read baseline: a FIFO (named pipe), "
        "not a regular file\n"
    )


def test_allocations_dev_zero_in_the_config_is_refused(project: Path) -> None:
    (project / ".portlint.toml").write_text('allocations = ["/dev/zero"]\n', encoding="utf-8")
    code, out, err = portlint(project)
    assert (code, out) == (2, "")
    assert err.startswith(
        "portlint: error: .portlint.toml:1:1: allocations: '/dev/zero' is outside the project root"
    )


def test_allocations_fifo_in_the_project_is_not_opened(project: Path) -> None:
    os.mkfifo(project / "ports.toml")
    code, out, err = portlint(project)
    assert (code, out) == (2, "")
    assert err == (
        "portlint: error: ports.toml: cannot read allocation file: "
        "a FIFO (named pipe), not a regular file\n"
    )


def test_ports_toml_link_to_a_device_is_not_read(project: Path) -> None:
    (project / "ports.toml").symlink_to("/dev/zero")
    code, out, err = portlint(project)
    assert (code, out) == (2, "")
    assert err.startswith(
        "portlint: error: ports.toml: a symbolic link to outside the project: not read"
    )


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_env_file_that_is_not_a_regular_file_is_not_read(project: Path, kind: str) -> None:
    (project / "compose.yaml").write_text(
        'services:\n  web:\n    image: x\n    ports: ["${WEB_PORT}:80"]\n', encoding="utf-8"
    )
    if kind == "fifo":
        os.mkfifo(project / "web.env")
        args = ["--env-file", "web.env"]
    else:
        args = ["--env-file", "/dev/zero"]
    code, out, err = portlint(project, *args)
    assert (code, err) == (1, "")
    assert "compose.yaml:4:14: warning PL104 variable WEB_PORT is not set" in out


@pytest.mark.parametrize("kind", ["device", "fifo"])
@pytest.mark.parametrize("name", [".portlint.toml", "pyproject.toml"])
def test_config_file_that_is_not_a_regular_file_is_refused(
    project: Path, kind: str, name: str
) -> None:
    if kind == "fifo":
        os.mkfifo(project / name)
        what = "a FIFO (named pipe)"
    else:
        (project / name).symlink_to("/dev/zero")
        what = "a character device"
    code, out, err = portlint(project)
    assert (code, out) == (2, "")
    assert err == f"portlint: error: {name}: cannot read config file: {what}, not a regular file\n"


def test_config_named_on_the_command_line_is_guarded_too(project: Path) -> None:
    os.mkfifo(project / "custom.toml")
    code, out, err = portlint(project, "--config", "custom.toml")
    assert (code, out) == (2, "")
    assert err == (
        "portlint: error: custom.toml: cannot read config file: "
        "a FIFO (named pipe), not a regular file\n"
    )


def test_reader_refuses_kernel_files() -> None:
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no procfs")
    with pytest.raises(Refused) as info:
        read_bytes("/proc/self/status", 1024 * 1024)
    assert info.value.strerror == "a kernel file (/proc or /sys), not a regular file"


def test_reader_reads_at_most_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"x" * 100)
    assert read_bytes(str(path), 100) == b"x" * 100
    with pytest.raises(TooLarge) as info:
        read_bytes(str(path), 99)
    assert (info.value.size, info.value.max_size) == (100, 99)
