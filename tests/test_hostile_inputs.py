"""The hostile corpus: every bad input ends in one finding naming the file, and the run goes on.

Each case is dropped into a normal project whose one collision (PL401 in
``app/compose.yaml``) must still be reported, with no traceback and nothing on
stderr. Large inputs are generated here rather than committed.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from portlint.config import Config
from portlint.engine.run import run
from portlint.scanners import _yaml
from tests.conftest import run_cli

NORMAL = (
    "services:\n"
    "  web:\n"
    "    image: nginx\n"
    "    ports:\n"
    '      - "8080:80"\n'
    "  api:\n"
    "    image: example/api\n"
    "    ports:\n"
    '      - "8080:8000"\n'
)
NORMAL_FINDING = (
    'app/compose.yaml:9:10: error PL401 host port 8080/tcp is already published by service "web" '
    "(app/compose.yaml:5:10)"
)
# The same collision on 9090, for files whose encoding or line endings are under test.
COLLIDING = NORMAL.replace("8080:", "9090:")


def collision(path: str, first: str = "5:10", second: str = "9:10") -> str:
    return (
        f'{path}:{second}: error PL401 host port 9090/tcp is already published by service "web" '
        f"({path}:{first})"
    )


def lint(project: Path, *extra: str) -> list[str]:
    """Finding lines (hints dropped) of a full run; asserts the run itself was clean.

    Only the file-level rules (PL0xx, PL1xx) and the one collision every case
    carries are selected: this corpus is about reading files, and the
    registry and range rules have their own tests.
    """
    select = "PL0,PL1,PL401"
    code, out, err = run_cli(
        ["check", "--select", select, "-q", "--no-color", *extra, "."], project
    )
    assert err == ""
    assert code == 1  # the normal project's collision always fails the run
    return [line for line in out.splitlines() if not line.startswith("  hint: ")]


def billion_laughs() -> str:
    rows = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        rows.append(f"  {cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return (
        "x-lol:\n"
        + "\n".join(rows)
        + "\nservices:\n  web:\n    image: nginx\n    ports: *i\n    labels: *i\n"
    )


# (case name, {relative path: content}, expected finding lines besides NORMAL_FINDING)
YAML_CASES: list[tuple[str, dict[str, str | bytes], list[str]]] = [
    (
        "alias-bomb",
        {"bomb/compose.yaml": billion_laughs()},
        [
            "bomb/compose.yaml:7:6: warning PL002 YAML aliases expand to 1362025174 nodes from 38 "
            "(an alias bomb): not scanned"
        ],
    ),
    (
        "alias-cycle",
        {
            "cycle/compose.yaml": (
                "services: &all\n  web:\n    image: nginx\n    ports: ['80:80']\n    more: *all\n"
            )
        },
        [
            "cycle/compose.yaml:1:11: warning PL002 YAML anchor is used inside itself "
            "(a recursive alias): not scanned"
        ],
    ),
    (
        "merge-cycle",
        {"cycle/compose.yaml": "x-a: &a\n  <<: *a\n  image: nginx\nservices:\n  web: *a\n"},
        [
            "cycle/compose.yaml:1:6: warning PL002 YAML anchor is used inside itself "
            "(a recursive alias): not scanned"
        ],
    ),
    (
        "duplicate-key",
        {
            "dup/compose.yaml": (
                "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n    ports: ['81:81']\n"
            )
        },
        [
            "dup/compose.yaml:5:5: error PL001 duplicate key 'ports' in one mapping "
            "(first at line 4)"
        ],
    ),
    (
        "syntax-error",
        {"broken/compose.yaml": "services:\n  web:\n    image: [nginx\n    ports: ['80:80']\n"},
        [
            "broken/compose.yaml:4:10: error PL001 YAML syntax error: "
            "did not find expected ',' or ']'"
        ],
    ),
    (
        "binary",
        {"bin/compose.yaml": b"\x7fELF\x02\x01\x01\x00\x00\x00services:\n"},
        ["bin/compose.yaml:1:1: warning PL002 binary file (NUL byte)"],
    ),
    (
        "invalid-utf8",
        {"latin1/compose.yaml": "services:\n  caf\xe9:\n    image: x\n".encode("latin-1")},
        ["latin1/compose.yaml:1:1: warning PL002 not valid UTF-8 text (byte 15): not scanned"],
    ),
    (
        "broken-utf16",
        {"u16/compose.yaml": b"\xff\xfes\x00e\x00\x00\xd8"},
        ["u16/compose.yaml:1:1: warning PL002 not valid UTF-16 text (byte 6): not scanned"],
    ),
    (
        "utf16-bom",
        {"u16/compose.yaml": COLLIDING.encode("utf-16")},
        [
            "u16/compose.yaml:1:1: note PL002 UTF-16 text with a byte-order mark: decoded and "
            "scanned",
            collision("u16/compose.yaml"),
        ],
    ),
    (
        "utf32-bom",
        {"u32/compose.yaml": COLLIDING.encode("utf-32")},
        [
            "u32/compose.yaml:1:1: note PL002 UTF-32 text with a byte-order mark: decoded and "
            "scanned",
            collision("u32/compose.yaml"),
        ],
    ),
    (
        "utf8-bom",
        {"bom/compose.yaml": b"\xef\xbb\xbf" + COLLIDING.encode()},
        [collision("bom/compose.yaml")],
    ),
    (
        "crlf",
        {"crlf/compose.yaml": COLLIDING.replace("\n", "\r\n").encode()},
        [collision("crlf/compose.yaml")],
    ),
    (
        "cr",
        {"cr/compose.yaml": COLLIDING.replace("\n", "\r").encode()},
        [collision("cr/compose.yaml")],
    ),
    (
        "unicode-line-separators",
        # YAML breaks lines at U+2028 and NEL as well; editors do not, and neither do we.
        {"ls/compose.yaml": COLLIDING.replace("image: nginx", 'image: "ngi\u2028nx\x85"')},
        [collision("ls/compose.yaml")],
    ),
    (
        "line-separator-in-comment",
        # ... which makes the rest of this comment YAML content: an error on the next line.
        {"ls/compose.yaml": "# a\u2028b\x85c\n" + COLLIDING},
        [
            "ls/compose.yaml:2:9: error PL001 YAML syntax error: "
            "mapping values are not allowed in this context"
        ],
    ),
    (
        "non-ascii-columns",
        {
            "wide/compose.yaml": COLLIDING.replace(
                "    image: nginx", "    image: ngïnx😀"
            ).replace('"9090:8000"', '"9090:8000"  # 端口')
        },
        [collision("wide/compose.yaml")],
    ),
    (
        "broken-toml",
        {"t/app.toml": '[server]\nport = 8080\nhost = "x\n'},
        ["t/app.toml:3:10: error PL001 TOML syntax error: Illegal character '\\n'"],
    ),
    (
        "toml-lone-cr",
        # Found by atheris: tomllib counts lines at LF only, so this error pointed past its line.
        {"t/app.toml": 'port = 8080\nname = "a\\\r\r\rb"\n'},
        ["t/app.toml:3:1: error PL001 TOML syntax error: Unescaped '\\' in a string"],
    ),
    (
        "broken-json",
        {"j/app.json": '{"port": 8080,,}\n'},
        ["j/app.json:1:15: error PL001 JSON syntax error: expected a string key or '}', found ','"],
    ),
    (
        "yaml-1.1-surprises",
        {
            "old/compose.yaml": (
                "services:\n"
                "  on:\n"
                "    image: nginx\n"
                "    ports:\n"
                "      - 22:22\n"
                "      - yes\n"
                "      - 0o17\n"
                "      - 0x50\n"
            )
        },
        [
            "old/compose.yaml:5:9: note PL105 [*] unquoted port mapping 22:22 is a base-60 number "
            "(1342) "
            "in YAML 1.1",
            "old/compose.yaml:6:9: error PL102 invalid container port: 'yes' in 'yes'",
            "old/compose.yaml:7:9: error PL102 invalid container port: '0o17' in '0o17'",
            "old/compose.yaml:8:9: error PL102 invalid container port: '0x50' in '0x50'",
        ],
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [c[1:] for c in YAML_CASES], ids=[c[0] for c in YAML_CASES]
)
def test_hostile_file_in_a_normal_project(
    make_project: Callable[..., Path], files: dict[str, str | bytes], expected: list[str]
) -> None:
    project = make_project({"app/compose.yaml": NORMAL, **files})
    assert lint(project) == sorted([NORMAL_FINDING, *expected])


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("services: " + "[" * 10_000 + "]" * 10_000 + "\n", 1),
        ("services:\n  " + "- " * 10_000 + "x\n", 2),
    ],
    ids=["deep-flow", "deep-block"],
)
@pytest.mark.parametrize("pure", [False, True], ids=["default-loader", "pure-loader"])
def test_ten_thousand_levels_stop_at_portlints_depth_guard(
    make_project: Callable[..., Path],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    line: int,
    pure: bool,
) -> None:
    """Code, line and portlint's own wording; not the column.

    The column is where the YAML library gave up, and libyaml builds differ
    on that (one stops at 1,000 levels, another earlier): portlint is right
    on every build as long as the file is reported PL002 and not scanned.
    """
    if pure:  # a PyYAML without libyaml: the guard stops at another column (210, 401)
        monkeypatch.setattr(_yaml, "LOADER", _yaml.PURE_LOADER)
    project = make_project({"app/compose.yaml": NORMAL, "deep/compose.yaml": text})
    findings = lint(project, "--no-cache", "--jobs", "1")  # the patched loader, in this process
    assert NORMAL_FINDING in findings
    (deep,) = [f for f in findings if f.startswith("deep/")]
    path, found_line, column, rest = deep.split(":", 3)
    assert (path, int(found_line), rest) == (
        "deep/compose.yaml",
        line,
        " warning PL002 YAML nested deeper than 200 levels: not scanned",
    )
    if pure:  # portlint's own guard in the composer, the same on every build
        assert int(column) == {1: 210, 2: 401}[line]
    assert len(findings) == 2


def test_custom_tags_are_never_constructed(
    make_project: Callable[..., Path], tmp_path: Path
) -> None:
    marker = tmp_path / "constructed"
    project = make_project(
        {
            "app/compose.yaml": NORMAL,
            "tags/compose.yaml": (
                "services:\n"
                "  web:\n"
                f"    image: !!python/object/apply:os.system ['touch {marker}']\n"
                "    labels: !!python/object/new:builtins.exec ['raise SystemExit(3)']\n"
                "    ports: !custom ['9090:80', '9090:81']\n"
            ),
        }
    )
    assert lint(project) == [
        NORMAL_FINDING,
        "tags/compose.yaml:5:33: error PL401 host port 9090/tcp is already published by service "
        '"web" '
        "(tags/compose.yaml:5:22)",
    ]
    assert not marker.exists()


def test_merge_keys_used_legitimately(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            "app/compose.yaml": NORMAL,
            "merge/compose.yaml": (
                "x-base: &base\n"
                "  image: nginx\n"
                "  ports: ['7070:80']\n"
                "x-more: &more\n"
                "  restart: always\n"
                "services:\n"
                "  one:\n"
                "    <<: [*base, *more]\n"
                "  two:\n"
                "    <<: *base\n"
                "    ports: ['7071:80']\n"
            ),
        }
    )
    # "one" inherits 7070 from the anchor; "two" overrides it, so nothing collides.
    assert lint(project) == [NORMAL_FINDING]
    bindings = run([], Config(), str(project)).bindings
    assert sorted(
        (b.owner, b.port, b.location.line, b.location.column)
        for b in bindings
        if b.location.path == "merge/compose.yaml"
    ) == [("one", 7070, 3, 12), ("two", 7071, 11, 14)]


@pytest.mark.slow
def test_one_megabyte_line(make_project: Callable[..., Path]) -> None:
    """A minified file: one 1 MB flow-style line, 10,000 ports, the first one taken twice."""
    entries = [f'"127.0.0.1:{1024 + i}:80/tcp"' for i in range(10_000)]
    entries.append('"127.0.0.1:1024:82"')
    blob = "x" * 800_000
    line = (
        f"{{x-blob: {blob}, services: {{big: {{image: nginx, ports: [" + ", ".join(entries) + "]}}}"
    )
    assert len(line) > 1_000_000
    project = make_project({"app/compose.yaml": NORMAL, "big/compose.yaml": line + "\n"})
    first = line.index('"127.0.0.1:1024:80') + 12  # 1-based column of "1024"
    second = line.index('"127.0.0.1:1024:82') + 12
    assert lint(project) == [
        NORMAL_FINDING,
        f"big/compose.yaml:1:{second}: error PL401 host port 1024/tcp is already "
        f'published by service "big" (big/compose.yaml:1:{first})',
    ]


def test_jsonc_comments_and_trailing_commas(make_project: Callable[..., Path]) -> None:
    project = make_project(
        {
            "app/compose.yaml": NORMAL,
            "jc/settings.jsonc": (
                '// comment\n{\n  /* block */\n  "port": 8080, // trailing\n'
                '  "admin": {"port": 9090,},\n}\n'
            ),
        }
    )
    assert lint(project) == [NORMAL_FINDING]
    bindings = run([], Config(), str(project)).bindings
    assert sorted(
        (b.port, b.location.line, b.location.column)
        for b in bindings
        if b.location.path == "jc/settings.jsonc"
    ) == [(8080, 4, 11), (9090, 5, 21)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[tool.portlint]\nselect = ["PL401"\nfail-on = "error"\n',
            "pyproject.toml:3:1: invalid TOML: unclosed array "
            "(hint: check quoting and brackets at that position)",
        ),
        (
            "[tool.portlint]\nfail-on = 3\n",
            "pyproject.toml:2:1: tool.portlint.fail-on: must be a string, not integer 3",
        ),
    ],
    ids=["syntax", "type"],
)
def test_broken_config_file_exits_two_with_its_position(
    make_project: Callable[..., Path], text: str, message: str
) -> None:
    project = make_project({"app/compose.yaml": NORMAL, "pyproject.toml": text})
    assert run_cli(["check", "."], project) == (2, "", f"portlint: error: {message}\n")


def test_hundred_megabyte_file_is_not_read(make_project: Callable[..., Path]) -> None:
    project = make_project({"app/compose.yaml": NORMAL})
    huge = project / "huge" / "compose.yaml"
    huge.parent.mkdir()
    with huge.open("wb") as fh:  # sparse: 100 MB on paper, nothing on disk
        fh.write(b"services:\n")
        fh.truncate(100 * 1024 * 1024)
    assert lint(project) == [
        NORMAL_FINDING,
        "huge/compose.yaml:1:1: warning PL002 larger than max-file-size (104857600 > 2097152 "
        "bytes): "
        "not scanned",
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_is_never_opened(make_project: Callable[..., Path]) -> None:
    project = make_project({"app/compose.yaml": NORMAL})
    (project / "pipe").mkdir()
    os.mkfifo(project / "pipe" / "compose.yaml")  # opening it for reading would block forever
    assert lint(project) == [
        NORMAL_FINDING,
        "pipe/compose.yaml:1:1: warning PL002 a FIFO (named pipe), not a regular file: never "
        "opened",
    ]


def test_device_behind_a_link_is_never_opened(make_project: Callable[..., Path]) -> None:
    project = make_project({"app/compose.yaml": NORMAL})
    (project / "dev").mkdir()
    os.symlink(os.devnull, project / "dev" / "compose.yaml")
    assert lint(project) == [
        NORMAL_FINDING,
        "dev/compose.yaml:1:1: warning PL002 symbolic link to outside the scanned folder: not "
        "followed",
    ]
    assert lint(project, "--follow-links") == [
        NORMAL_FINDING,
        "dev/compose.yaml:1:1: warning PL002 a character device, not a regular file: never opened",
    ]


def test_symlink_loops(make_project: Callable[..., Path]) -> None:
    project = make_project({"app/compose.yaml": NORMAL})
    loops = project / "loops"
    loops.mkdir()
    os.symlink("compose.yaml", loops / "compose.yaml")  # a file link to itself
    os.symlink("..", loops / "up")  # a folder link to its own parent
    os.symlink("b.yml", loops / "docker-compose.yml")
    os.symlink("docker-compose.yml", loops / "b.yml")
    expected = [
        NORMAL_FINDING,
        "loops/b.yml:1:1: warning PL002 cannot be read: too many levels of symbolic links",
        "loops/compose.yaml:1:1: warning PL002 cannot be read: too many levels of symbolic links",
        "loops/docker-compose.yml:1:1: warning PL002 cannot be read: too many levels of symbolic "
        "links",
    ]
    assert lint(project) == expected
    assert lint(project, "--follow-links") == expected  # the folder loop is entered once


def test_links_outside_the_root_are_followed_only_when_asked(
    make_project: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "compose.yaml").write_text(COLLIDING, encoding="utf-8")
    (elsewhere / "nested").mkdir()
    (elsewhere / "nested" / "compose.yaml").write_text(COLLIDING, encoding="utf-8")
    project = make_project({"app/compose.yaml": NORMAL, "inside/compose.yaml": COLLIDING})
    (project / "ext").mkdir()
    (project / "in").mkdir()
    os.symlink(elsewhere / "compose.yaml", project / "ext" / "docker-compose.yml")
    os.symlink(elsewhere / "nested", project / "linked")
    os.symlink("../inside/compose.yaml", project / "in" / "compose.yaml")
    # A link that stays inside the root is read; a link out of it is reported, not followed;
    # a linked folder is not entered.
    assert lint(project) == [
        NORMAL_FINDING,
        "ext/docker-compose.yml:1:1: warning PL002 symbolic link to outside the scanned folder: "
        "not followed",
        collision("in/compose.yaml"),
        collision("inside/compose.yaml"),
    ]
    assert lint(project, "--follow-links") == [
        NORMAL_FINDING,
        collision("ext/docker-compose.yml"),
        collision("in/compose.yaml"),
        collision("inside/compose.yaml"),
        collision("linked/compose.yaml"),
    ]


ODD_NAMES = [
    ("with space", "with space"),
    ("new\nline", "new\\nline"),
    ("tab\there", "tab\\there"),
]


@pytest.mark.parametrize(("folder", "shown"), ODD_NAMES, ids=["space", "newline", "tab"])
def test_odd_folder_names(make_project: Callable[..., Path], folder: str, shown: str) -> None:
    project = make_project({"app/compose.yaml": NORMAL, f"{folder}/compose.yaml": COLLIDING})
    assert lint(project) == sorted([NORMAL_FINDING, collision(f"{shown}/compose.yaml")])


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs byte file names")
def test_non_utf8_folder_name(make_project: Callable[..., Path]) -> None:
    project = make_project({"app/compose.yaml": NORMAL})
    folder = os.path.join(os.fsencode(project), b"caf\xe9")
    os.mkdir(folder)
    with open(os.path.join(folder, b"compose.yaml"), "wb") as fh:
        fh.write(COLLIDING.encode())
    assert lint(project) == [NORMAL_FINDING, collision("caf\\xe9/compose.yaml")]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX permissions")
def test_unreadable_file(make_project: Callable[..., Path]) -> None:
    """Permission denied. Root reads everything, so as root the check runs in a forked child
    that has dropped to ``nobody`` (every module it needs is imported before the fork)."""
    project = make_project({"app/compose.yaml": NORMAL, "locked/compose.yaml": NORMAL})
    expected = [
        NORMAL_FINDING,
        ("locked/compose.yaml:1:1: warning PL002 cannot be read: permission denied"),
    ]
    assert lint(project) == [NORMAL_FINDING, NORMAL_FINDING.replace("app/", "locked/")]
    (project / "locked" / "compose.yaml").chmod(0)
    if os.geteuid() != 0:
        assert lint(project) == expected
        return
    for folder in (project, *project.parents):
        if folder == Path(tempfile.gettempdir()):
            break
        folder.chmod(folder.stat().st_mode | 0o005)  # let nobody reach the project
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, lint, send the lines, never return into pytest
        status = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            with os.fdopen(write_end, "w", encoding="utf-8") as out:
                out.write("\n".join(lint(project)))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        got = pipe.read().split("\n")
    _, status = os.waitpid(pid, 0)
    assert (os.waitstatus_to_exitcode(status), got) == (0, expected)
