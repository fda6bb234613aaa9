"""Every pattern that reads repository text runs in linear time (issue 19, item 5).

A ``.env`` holding one unbroken 100 KB token took 51 s, 200 KB 234 s and a
megabyte over 15 minutes: the URL pattern read the token again from every
position. Each scanner here gets long runs of one character class (letters,
digits, ``:``, ``/``, ``$``, ``{``, quotes, spaces and mixtures such as
``a:1/``) where its format allows a value, at two sizes ten times apart.

Work, not wall time alone: a linear scan of ten times the text costs about
ten times as much and a quadratic one a hundred times, so the test bounds the
ratio (under RATIO_LIMIT, measured on the best of a few runs so a busy machine
does not decide), plus a generous absolute floor on throughput. The
megabyte-token case runs in a child process the kernel stops after a few CPU
seconds.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from portlint.config import _has_portlint_table, locate_key
from portlint.engine.suppression import parse_directives
from portlint.scanners import load, scanner_for
from portlint.scanners.base import ScanContext
from portlint.source import SourceFile

SMALL = 5_000  # characters of the run
LARGE = 10 * SMALL
RATIO_LIMIT = 35.0  # linear: ~10; quadratic: ~100
FLOOR = 0.5  # seconds for the LARGE run of one scanner: 100 KB/s, far below any real speed

UNITS = (
    "a",
    "7",
    ":",
    "/",
    "$",
    "{",
    '"',
    "'",
    " ",
    "a:1/",
    "a://",
    "x_PORT_",
    "${A:-",
    "{{ ",
    "\\",
    "[",
    "@",
    "-",
    "#",
)

# Where each scanner reads a value; RUN is replaced by the long run. The file
# names pick the scanner (the table in portlint/scanners/__init__.py).
TEMPLATES: Mapping[str, tuple[str, str]] = {
    "dotenv": (".env", "TOKEN=RUN\nAPI_PORT=RUN\nRUN=1\n"),
    "compose": (
        "compose.yaml",
        "services:\n  web:\n    image: RUN\n    ports:\n      - RUN\n"
        "    environment:\n      URL: RUN\n",
    ),
    "kubernetes": (
        "deploy.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        '    - name: web\n      image: RUN\n      ports:\n        - containerPort: "RUN"\n'
        "      env:\n        - name: URL\n          value: RUN\n",
    ),
    "helm values": ("chart/values.yaml", "service:\n  port: '+RUN'\n  url: RUN\n  listen: RUN\n"),
    "helm template": ("chart/templates/svc.yaml", "kind: Service\nspec:\n  port: RUN\n"),
    "toml": ("app.toml", '[server]\nport = 8080\nurl = "RUN"\nlisten = RUN\n'),
    "json": ("app.json", '{"port": 8080, "url": "RUN", "listen": "RUN", "bind": RUN}'),
    "package.json": ("package.json", '{"scripts": {"dev": "vite --port RUN"}}'),
    "dockerfile": ("Dockerfile", "FROM alpine\nEXPOSE RUN\nENV URL=RUN\n"),
    "devcontainer": ("devcontainer.json", '{"forwardPorts": ["RUN"], "appPort": "RUN"}'),
    "generic yaml": ("config.yaml", "server:\n  listen: RUN\n  url: RUN\n"),
}


def scan(path: str, text: str) -> None:
    """What the engine does with a file's text once it is read."""
    spec = scanner_for(path.rsplit("/", 1)[-1])
    assert spec is not None, path
    load(spec)(SourceFile(path, text), ScanContext(read=lambda _: None))
    parse_directives(path, text)


def cost(path: str, template: str, unit: str, length: int) -> float:
    run = (unit * (length // len(unit) + 1))[:length]
    text = template.replace("RUN", run)
    started = time.process_time()
    scan(path, text)
    return time.process_time() - started


def best(path: str, template: str, unit: str, length: int, tries: int) -> float:
    """The fastest of a few runs: a busy machine slows some runs, never speeds one up."""
    return min(cost(path, template, unit, length) for _ in range(tries))


@pytest.mark.slow
@pytest.mark.parametrize("scanner", list(TEMPLATES))
def test_each_scanner_reads_long_runs_in_linear_time(scanner: str) -> None:
    path, template = TEMPLATES[scanner]
    slow = []
    for unit in UNITS:
        small = best(path, template, unit, SMALL, 3)
        large = cost(path, template, unit, LARGE)
        if large > RATIO_LIMIT * max(small, 1e-4) or large > FLOOR:
            large = min(large, best(path, template, unit, LARGE, 2))
        if large > RATIO_LIMIT * max(small, 1e-4) or large > FLOOR:
            slow.append(f"{unit!r}: {small * 1000:.1f} ms -> {large * 1000:.1f} ms")
    assert slow == [], f"{scanner} is not linear on runs of: " + "; ".join(slow)


LIMITED_CHECK = """
import resource, sys
resource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))
from portlint.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_CPU is POSIX")
@pytest.mark.parametrize("token", ["a", "a:1/", "x_PORT_"])
def test_a_megabyte_token_in_a_dotenv_takes_seconds_of_cpu(
    make_project: Callable[[Mapping[str, str]], Path], token: str
) -> None:
    value = (token * (1_000_000 // len(token) + 1))[:1_000_000]
    # the value, and the key (a key may hold dots; the last one ends every "_PORT" tail)
    root = make_project({".env": f"TOKEN={value}\n{value}.=1\n"})
    cpu = 20
    done = subprocess.run(
        [sys.executable, "-c", LIMITED_CHECK.format(cpu=cpu), "check", "--no-cache", "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=cpu * 3,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]


def config_cost(tmp_path: Path, length: int) -> float:
    """A committed pyproject.toml: blank lines, and a header-like line of spaces."""
    spaces = " " * length
    text = "\n" * length + f"[a{spaces}x\n[tool.portlint]\nselect = 1\n"
    path = tmp_path / f"pyproject-{length}.toml"
    path.write_text(text, encoding="utf-8")
    started = time.process_time()
    assert _has_portlint_table(str(path))
    assert locate_key(text, ("tool", "portlint"), "select") == (length + 3, 1)
    return time.process_time() - started


def test_config_patterns_read_long_runs_in_linear_time(tmp_path: Path) -> None:
    small = min(config_cost(tmp_path, SMALL) for _ in range(3))
    large = min(config_cost(tmp_path, LARGE) for _ in range(2))
    assert large < RATIO_LIMIT * max(small, 1e-4) and large < FLOOR, (small, large)
