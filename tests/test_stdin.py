"""`portlint check -`: one file from standard input (issue 13).

`--stdin-filename PATH` says where the text belongs: its name picks the
scanner, the config matches it (per-file-ignores, exclude with
--force-exclude), and findings point at it. Without it the text is `<stdin>`,
read as YAML whose content says what it is (Compose, Kubernetes, other).
The bytes go through the checks a file's do (size, NUL, UTF-8), and nothing
is written anywhere: no cache, no baseline.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.conftest import TWO_SERVICES_ON_8080, run_cli

Make = Callable[[Mapping[str, str]], Path]

PL401 = 'error PL401 host port 8080/tcp is already published by service "api" ({path}:4:14)'
RENDERED = """\
---
# Source: shop/templates/a.yaml
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  hostNetwork: true
  containers:
  - name: a
    image: example/a
    ports:
    - containerPort: 8080
---
# Source: shop/templates/b.yaml
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  hostNetwork: true
  containers:
  - name: b
    image: example/b
    ports:
    - containerPort: 70000
"""


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> Callable[[bytes], None]:
    def feed(data: bytes) -> None:
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))

    return feed


def check(root: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(["check", "--no-color", *args], cwd=root)


def test_stdin_filename_names_the_file_and_picks_the_scanner(
    make_project: Make, stdin: Callable[[bytes], None]
) -> None:
    root = make_project({"README": "x\n"})
    stdin(TWO_SERVICES_ON_8080.encode())
    code, out, err = check(root, "-", "--stdin-filename", "app/docker-compose.yml")
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == "app/docker-compose.yml:7:14: " + PL401.format(
        path="app/docker-compose.yml"
    )
    assert out.splitlines()[-2:] == [
        "Found 1 problem (1 error) in 1 file.",
        "1 with an unsafe fix (`--unsafe-fixes`).",
    ]


def test_the_name_decides_the_kind(make_project: Make, stdin: Callable[[bytes], None]) -> None:
    root = make_project({"README": "x\n"})
    stdin(b"FROM nginx\nEXPOSE 70000\n")
    code, out, _ = check(root, "-", "--stdin-filename", "web/Dockerfile", "-q")
    assert (code, out.splitlines()[0]) == (
        1,
        "web/Dockerfile:2:8: error PL101 exposed port 70000 is out of range 0-65535",
    )


def test_without_a_name_it_is_yaml_recognised_by_content(
    make_project: Make, stdin: Callable[[bytes], None]
) -> None:
    root = make_project({"README": "x\n"})
    stdin(TWO_SERVICES_ON_8080.encode())
    code, out, _ = check(root, "-")
    assert (code, out.splitlines()[0]) == (1, "<stdin>:7:14: " + PL401.format(path="<stdin>"))


def test_rendered_helm_chart(make_project: Make, stdin: Callable[[bytes], None]) -> None:
    root = make_project({"README": "x\n"})
    stdin(RENDERED.encode())
    code, out, _ = check(root, "-", "--stdin-filename", "charts/shop/rendered.yaml", "-q")
    assert (code, out.splitlines()[0]) == (
        1,
        "charts/shop/rendered.yaml:24:22: error PL101 containerPort 70000 is out of range 0-65535",
    )


def test_config_matches_the_stdin_filename(
    make_project: Make, stdin: Callable[[bytes], None]
) -> None:
    config = '[per-file-ignores]\n"app/*" = ["PL401"]\n'
    root = make_project({".portlint.toml": config})
    stdin(TWO_SERVICES_ON_8080.encode())
    assert check(root, "-", "--stdin-filename", "app/compose.yaml")[:2] == (
        0,
        "All clear: no problems in 1 file.\n",
    )
    stdin(TWO_SERVICES_ON_8080.encode())
    assert check(root, "-", "--stdin-filename", "other/compose.yaml")[0] == 1
    (root / ".portlint.toml").write_text('extend-exclude = ["gen/"]\n', encoding="utf-8")
    stdin(TWO_SERVICES_ON_8080.encode())
    args = ("-", "--stdin-filename", "gen/compose.yaml")
    assert check(root, *args)[0] == 1  # named explicitly: linted, as a named file is
    stdin(TWO_SERVICES_ON_8080.encode())
    assert check(root, *args, "--force-exclude")[:2] == (
        0,
        "All clear: no problems in 0 files.\n",
    )


@pytest.mark.parametrize(
    ("data", "args", "message"),
    [
        (b"services: {}\x00\n", (), "binary file (NUL byte)"),
        (b"services:\n  web: \xff\n", (), "not valid UTF-8 text (byte 17): not scanned"),
        (
            TWO_SERVICES_ON_8080.encode(),
            ("--max-file-size", "100"),
            "larger than max-file-size (more than 100 bytes): not scanned",
        ),
    ],
)
def test_stdin_is_read_as_guardedly_as_a_file(
    make_project: Make,
    stdin: Callable[[bytes], None],
    data: bytes,
    args: tuple[str, ...],
    message: str,
) -> None:
    root = make_project({"README": "x\n"})
    stdin(data)
    code, out, _ = check(root, "-", "--stdin-filename", "compose.yaml", "-q", *args)
    assert (code, out.splitlines()[0]) == (1, f"compose.yaml:1:1: warning PL002 {message}")


def test_nothing_is_written_for_stdin(
    make_project: Make,
    stdin: Callable[[bytes], None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = make_project({"README": "x\n"})
    cache = tmp_path_factory.mktemp("stdin-cache")
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(cache))
    monkeypatch.delenv("PORTLINT_SCAN_CACHE_DIR")  # the project's own .portlint_cache/
    stdin(TWO_SERVICES_ON_8080.encode())
    assert check(root, "-", "--stdin-filename", "compose.yaml")[0] == 1
    assert sorted(os.listdir(root)) == ["README"]
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(cache))
    stdin(TWO_SERVICES_ON_8080.encode())
    assert check(root, "-", "--stdin-filename", "compose.yaml")[0] == 1
    assert (sorted(os.listdir(root)), os.listdir(cache)) == (["README"], [])


def test_show_source_shows_the_text_read_not_the_file_on_disk(
    make_project: Make, stdin: Callable[[bytes], None]
) -> None:
    root = make_project({"compose.yaml": "# an older version on disk\n" * 10})
    stdin(TWO_SERVICES_ON_8080.encode())
    _, out, _ = check(root, "-", "--stdin-filename", "compose.yaml", "--show-source")
    assert out.splitlines()[2:4] == ['7 |     ports: ["8080:8081"]', "  |              ^^^^"]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("-", "compose.yaml"), "`-` (standard input) must be the only PATH"),
        (("--stdin-filename", "compose.yaml"), "--stdin-filename needs `-` as the PATH"),
        (("-", "--write-baseline"), "--write-baseline records a whole project, not `-`"),
        (
            ("-", "--stdin-filename", "notes.txt"),
            "--stdin-filename notes.txt: not a file kind portlint reads",
        ),
    ],
)
def test_stdin_usage_errors(
    make_project: Make, stdin: Callable[[bytes], None], args: tuple[str, ...], error: str
) -> None:
    root = make_project({"compose.yaml": TWO_SERVICES_ON_8080})
    stdin(TWO_SERVICES_ON_8080.encode())
    code, out, err = check(root, *args)
    assert (code, out) == (2, "")
    assert err.startswith(f"portlint: error: {error}")
