"""Reading one file: what is text, where an offset is, what is refused and why."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from portlint.bindings import Location
from portlint.findings import Problem
from portlint.source import SourceFile, confined, decode, encoding_note, read_source, read_text


def skip(path: str, reason: str, hint: str | None = None) -> Problem:
    return Problem("PL002", Location(path, 1, 1), reason, hint=hint)


def test_lines_end_at_lf_crlf_and_cr_alike() -> None:
    source = SourceFile("a.yaml", "one\r\ntwo\rthree\nfour")
    assert source.line_starts == [0, 5, 9, 15]
    assert source.line_col(9) == (3, 1)
    assert source.offset(3, 1) == 9
    assert [source.line_text(n) for n in (1, 2, 3, 4)] == ["one", "two", "three", "four"]
    assert source.location(5, 8) == Location("a.yaml", 2, 1, 2, 4)


def test_columns_count_characters_not_bytes() -> None:
    source = SourceFile("a.yaml", "name: café:8080\n")
    assert source.location(source.text.index("8080")) == Location("a.yaml", 1, 12)


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"a: 1\n", "a: 1\n", "utf-8"),
        (codecs.BOM_UTF8 + b"a: 1\n", "a: 1\n", "utf-8-sig"),
        ("a: 1\n".encode("utf-16"), "a: 1\n", "utf-16"),
        ("a: 1\n".encode("utf-32"), "a: 1\n", "utf-32"),
    ],
)
def test_decode_picks_the_encoding_from_the_byte_order_mark(
    data: bytes, text: str, encoding: str
) -> None:
    assert decode(data, "a.yaml") == SourceFile("a.yaml", text, encoding)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"a\x00b", skip("a.yaml", "binary file (NUL byte)")),
        (
            b"a: \xff\n",
            skip("a.yaml", "not valid UTF-8 text (byte 3): not scanned", "save the file as UTF-8"),
        ),
        ("a\x00".encode("utf-16"), skip("a.yaml", "binary file (NUL character)")),
    ],
    ids=["nul-byte", "not-utf8", "nul-in-utf16"],
)
def test_what_is_not_text_is_a_skip(data: bytes, problem: Problem) -> None:
    assert decode(data, "a.yaml") == problem


def test_only_utf16_and_utf32_are_noted() -> None:
    assert encoding_note(SourceFile("a", "x", "utf-8-sig")) is None
    note = encoding_note(SourceFile("a", "x", "utf-32"))
    assert note is not None
    assert note.message == "UTF-32 text with a byte-order mark: decoded and scanned"


def test_read_source_refuses_what_it_will_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("x" * 11)
    assert read_source(str(big), "big.yaml", 10) == skip(
        "big.yaml",
        "larger than max-file-size (11 > 10 bytes): not scanned",
        "raise `max-file-size` or exclude the file",
    )
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert read_source(str(fifo), "fifo.yaml") == skip(
        "fifo.yaml", "a FIFO (named pipe), not a regular file: never opened"
    )
    assert read_source(str(tmp_path), "dir") == skip(
        "dir", "a directory, not a regular file: never opened"
    )
    assert read_source(str(tmp_path / "gone"), "gone") == skip(
        "gone", "cannot be read: no such file or directory"
    )


def test_read_text_gives_universal_newlines(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_bytes(b"a = 1\r\nb = 2\rc = 3\n")
    assert read_text(str(path), 100) == "a = 1\nb = 2\nc = 3\n"


def test_confined_resolves_links_and_refuses_git_and_outside(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / ".git").mkdir(parents=True)
    (root / "a.env").write_text("")
    (tmp_path / "secret").write_text("")
    (root / "link.env").symlink_to(tmp_path / "secret")
    roots = [os.path.realpath(root)]
    assert confined(str(root / "a.env"), roots) == os.path.join(roots[0], "a.env")
    assert confined(str(root), roots) == roots[0]
    assert confined(str(root / "link.env"), roots) is None
    assert confined(str(root / ".git" / "config"), roots) is None
    assert confined(str(root / ".." / "secret"), roots) is None


def test_confined_sees_a_link_anywhere_below_the_root(tmp_path: Path) -> None:
    """Paths written below a real root resolve without realpath's walk from ``/``,
    so a linked folder in the middle must still be caught, and so must ``..``."""
    real_root = tmp_path / "root"
    (real_root / "inner").mkdir(parents=True)
    (real_root / "inner" / "x.env").write_text("")
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "x.env").write_text("")
    (real_root / "out").symlink_to(outside)
    (real_root / "alias").symlink_to(real_root / "inner")
    root = os.path.realpath(real_root)
    roots = [root]
    # a linked folder leading outside, at either depth: refused, present or not
    assert confined(os.path.join(root, "out", "deep", "x.env"), roots) is None
    assert confined(os.path.join(root, "out", "missing.env"), roots) is None
    # a linked folder inside the root: accepted, as the path it resolves to
    assert confined(os.path.join(root, "alias", "x.env"), roots) == os.path.join(
        root, "inner", "x.env"
    )
    # plain paths, present or missing, come back as written
    assert confined(os.path.join(root, "inner", "x.env"), roots) == os.path.join(
        root, "inner", "x.env"
    )
    assert confined(os.path.join(root, "nope", "x.env"), roots) == os.path.join(
        root, "nope", "x.env"
    )
    # ``..`` past the root, and ``.git`` below it, stay refused
    assert (
        confined(os.path.join(root, "inner", "..", "..", "outside", "deep", "x.env"), roots) is None
    )
    assert confined(os.path.join(root, ".git", "config"), roots) is None
    # every answer is the one realpath gives
    for rel in ("out/deep/x.env", "alias/x.env", "inner/x.env", "nope/x.env", "inner/../alias"):
        full = os.path.join(root, *rel.split("/"))
        real = os.path.realpath(full)
        inside = real.startswith(root + os.sep) and ".git" not in real.split(os.sep)
        assert confined(full, roots) == (real if inside else None)


def test_confined_with_a_folder_memo_answers_as_without(tmp_path: Path) -> None:
    """A run shares one memo of checked folders over all its reads: it must skip
    only folders seen to be folders, never a link, so every answer stays realpath's."""
    real_root = tmp_path / "root"
    (real_root / "inner" / "deeper").mkdir(parents=True)
    (real_root / "inner" / "deeper" / "x.env").write_text("")
    (real_root / "inner" / "x.env").write_text("")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.env").write_text("")
    (real_root / "inner" / "out").symlink_to(outside)
    (real_root / "inner" / "file.env").write_text("")
    root = os.path.realpath(real_root)
    roots = [root]
    folders: set[str] = set()
    paths = [
        "inner/x.env",
        "inner/deeper/x.env",
        "inner/out/x.env",  # after its parent was memoised: the link is still seen
        "inner/out/x.env",
        "inner/file.env/x.env",  # a file in the middle: never taken for a folder
        "inner/deeper/x.env",
    ]
    for rel in paths:
        full = os.path.join(root, *rel.split("/"))
        assert confined(full, roots, folders) == confined(full, roots), rel
    assert folders == {os.path.join(root, "inner"), os.path.join(root, "inner", "deeper")}
