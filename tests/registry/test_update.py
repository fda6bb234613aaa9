"""``portlint registry update`` against a real HTTP server on 127.0.0.1, and the cache it fills.

The server serves fixture exports: a good synthetic one (a newer registry
date, 12,000 records), IANA's real export when ../shared is present, a
truncated copy, garbage, a slow answer and an oversized one. No mocks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from portlint import registry
from portlint.registry import update as update_mod
from tests.conftest import ROOT, SHARED, SHIPPED_DATE, run_cli

REAL_XML = SHARED / "data" / "iana" / "service-names-port-numbers.xml"
NEWER = "2027-01-15"


def synthetic_export(date: str = NEWER, records: int = 12_000) -> bytes:
    """An IANA-shaped XML export: ssh, https, then generated services on distinct ports."""
    rows = [
        ("ssh", "tcp", "The Secure Shell (SSH) Protocol", "22"),
        ("https", "tcp", "http protocol over TLS/SSL", "443"),
    ]
    ports = (p for p in range(1024, 49152) if p != 443)
    for i, port in zip(range(records - len(rows)), ports, strict=False):
        rows.append(
            (f"svc-{i}", "udp" if i % 3 == 0 else "tcp", f"Generated service {i}", str(port))
        )
    body = "".join(
        f"  <record><name>{n}</name><protocol>{p}</protocol>"
        f"<description>{d}</description><number>{num}</number></record>\n"
        for n, p, d, num in rows
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<registry xmlns="http://www.iana.org/assignments" id="service-names-port-numbers">\n'
        "  <title>Service Name and Transport Protocol Port Number Registry</title>\n"
        f"  <updated>{date}</updated>\n{body}</registry>\n"
    ).encode()


GOOD = synthetic_export()
OLD = synthetic_export(date="2001-02-03")
SMALL = synthetic_export(records=500)


class _Handler(BaseHTTPRequestHandler):
    files: ClassVar[dict[str, bytes]] = {}
    release = threading.Event()

    def do_GET(self) -> None:
        if self.path == "/slow.xml":
            self.release.wait(30)  # the client gives up long before; the test then releases us
            return
        if self.path == "/short.xml":  # promises more than it sends
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD)))
            self.end_headers()
            self.wfile.write(GOOD[: len(GOOD) // 3])
            return
        if self.path == "/huge.xml":
            self.send_response(200)
            self.end_headers()  # no Content-Length: the client must count
            chunk = b"<x>" * 100_000
            for _ in range(200):  # 60 MB, stopped by the client's 32 MB cap
                try:
                    self.wfile.write(chunk)
                except OSError:
                    return
            return
        data = self.files.get(self.path)
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests read results, not access logs."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    _Handler.files = {
        "/good.xml": GOOD,
        "/old.xml": OLD,
        "/small.xml": SMALL,
        "/truncated.xml": GOOD[: len(GOOD) // 2],
        "/garbage.xml": bytes(range(256)) * 64,
        "/page.html": b"<html><body>Service Names</body></html>",
    }
    if REAL_XML.exists():
        _Handler.files["/real.xml"] = REAL_XML.read_bytes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        _Handler.release.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PORTLINT_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform in ("darwin", "win32"):
        monkeypatch.setenv("PORTLINT_CACHE_DIR", str(tmp_path / "xdg" / "portlint"))
    return tmp_path / "xdg" / "portlint" / "iana-ports.tsv"


def info() -> dict[str, object]:
    code, out, err = run_cli(["registry", "info", "--format", "json"])
    assert (code, err) == (0, "")
    result: dict[str, object] = json.loads(out)
    return result


def test_good_export_is_installed_and_used(server: str, cache: Path) -> None:
    assert info()["in_use"] == "shipped"
    code, out, err = run_cli(["registry", "update", "--source", f"{server}/good.xml"])
    assert (code, err) == (0, "")
    assert out == (
        f"installed {cache} (registry date {NEWER}, 12000 records, from good.xml); in use\n"
    )
    assert cache.read_text(encoding="utf-8").startswith(
        f"#portlint-iana-snapshot\t1\t{NEWER}\tgood.xml\n22\t\ttcp\ta\tssh\t"
    )
    now = info()
    assert (now["in_use"], now["registry_date"], now["path"], now["records"]) == (
        "cache",
        NEWER,
        str(cache),
        12000,
    )
    reg = registry.read_registry()
    assert [e.name for e in reg.assigned(1024, "udp")] == ["svc-0"]
    code, out, _ = run_cli(["registry", "info"])
    assert out.startswith(
        f"in use: cache snapshot (newer than the shipped snapshot of {SHIPPED_DATE})\n"
    )


def test_a_new_process_uses_the_cache(server: str, cache: Path) -> None:
    assert run_cli(["registry", "update", "--source", f"{server}/good.xml"])[0] == 0
    proc = subprocess.run(
        [sys.executable, "-m", "portlint", "port", "1024/udp", "--no-listening"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert f"IANA registry (as of {NEWER}):" in proc.stdout
    assert "1024/udp  svc-0: Generated service 0" in proc.stdout


@pytest.mark.skipif(not REAL_XML.exists(), reason="../shared/data/iana is not present")
def test_real_iana_export_validates(server: str, cache: Path) -> None:
    code, out, err = run_cli(["registry", "update", "--source", f"{server}/real.xml"])
    assert (code, err) == (0, "")
    # Same date as the shipped snapshot: installed, but the shipped one stays in use.
    assert out.endswith("from real.xml); not in use: the shipped snapshot is newer\n")
    assert cache.read_bytes() == Path(registry.SNAPSHOT).read_bytes().replace(
        b"service-names-port-numbers.xml", b"real.xml", 1
    )
    assert info()["in_use"] == "shipped"


def test_local_csv_path(tmp_path: Path, cache: Path) -> None:
    lines = [
        "Service Name,Port Number,Transport Protocol,Description,"
        "Registration Date,Modification Date"
    ]
    lines += [
        "ssh,22,tcp,The Secure Shell (SSH) Protocol,,2027-03-01",
        "https,443,tcp,http over TLS,,",
    ]
    lines += [f"svc-{i},{1024 + i},tcp,Generated {i},2001-01-01," for i in range(10_000)]
    export = tmp_path / "ports.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run_cli(["registry", "update", "--source", str(export)])
    assert (code, err) == (0, "")
    assert (
        out
        == f"installed {cache} (registry date 2027-03-01, 10002 records, from ports.csv); in use\n"
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (
            "/truncated.xml",
            "/truncated.xml: not a well-formed IANA XML export: "
            "no element found: line 6038, column 55",
        ),
        ("/garbage.xml", "/garbage.xml: not an IANA export: not UTF-8 text (byte 128)"),
        ("/page.html", "/page.html: not an IANA CSV export: no 'Port Number' column"),
        (
            "/small.xml",
            "/small.xml: only 500 port records; IANA's registry has more than 10,000 "
            "(a truncated or partial export?)",
        ),
        ("/missing.xml", "/missing.xml: the server answered HTTP 404 Not Found"),
    ],
    ids=["truncated", "garbage", "html", "too-small", "404"],
)
def test_bad_exports_are_refused(server: str, cache: Path, path: str, message: str) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"#portlint-iana-snapshot\t1\t2027-12-31\told\n")  # must survive
    code, out, err = run_cli(["registry", "update", "--source", server + path])
    assert (code, out, err) == (2, "", f"portlint: error: {server}{message}\n")
    assert cache.read_bytes() == b"#portlint-iana-snapshot\t1\t2027-12-31\told\n"


def test_short_read_is_refused(server: str, cache: Path) -> None:
    code, _, err = run_cli(["registry", "update", "--source", f"{server}/short.xml"])
    assert code == 2
    assert err.startswith(f"portlint: error: {server}/short.xml: the download ended after ")
    assert not cache.exists()


def test_older_export_needs_force(server: str, cache: Path) -> None:
    code, _, err = run_cli(["registry", "update", "--source", f"{server}/old.xml"])
    assert (code, err) == (
        2,
        f"portlint: error: {server}/old.xml: the export is dated 2001-02-03, older than the "
        f"snapshot portlint ships ({SHIPPED_DATE}); not installed (hint: pass --force to install "
        "it anyway (the newer shipped snapshot stays in use))\n",
    )
    assert not cache.exists()
    code, out, _ = run_cli(["registry", "update", "--force", "--source", f"{server}/old.xml"])
    assert code == 0 and out.endswith("; not in use: the shipped snapshot is newer\n")
    assert info()["in_use"] == "shipped"  # the newer of the two wins


def test_slow_server_times_out(server: str, cache: Path) -> None:
    code, _, err = run_cli(
        ["registry", "update", "--timeout", "0.3", "--source", f"{server}/slow.xml"]
    )
    assert (code, err) == (
        2,
        f"portlint: error: {server}/slow.xml: no complete answer within 0.3 seconds "
        "(hint: raise --timeout, or download the export elsewhere and pass --source PATH)\n",
    )
    assert not cache.exists()


def test_size_cap(server: str, cache: Path) -> None:
    code, _, err = run_cli(["registry", "update", "--source", f"{server}/huge.xml"])
    assert (code, err) == (
        2,
        f"portlint: error: {server}/huge.xml: more than 33554432 bytes; download stopped\n",
    )


def test_offline(cache: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port that was just free: nothing listens there
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = run_cli(["registry", "update", "--source", f"http://127.0.0.1:{port}/x.xml"])
    assert (code, err) == (
        2,
        "portlint: error: cannot reach 127.0.0.1: connection refused (hint: offline? download "
        "the export elsewhere and pass --source PATH)\n",
    )


@pytest.mark.parametrize(
    "url", ["http://www.iana.org/x.xml", "http://10.0.0.1/x.xml", "ftp://127.0.0.1/x.xml"]
)
def test_only_https_beyond_loopback(cache: Path, url: str) -> None:
    code, _, err = run_cli(["registry", "update", "--source", url])
    assert code == 2 and err.startswith(f"portlint: error: {url}: ")
    assert "https" in err


def test_default_source_is_iana() -> None:
    assert update_mod.IANA_XML_URL == (
        "https://www.iana.org/assignments/service-names-port-numbers/service-names-port-numbers.xml"
    )


def test_damaged_cache_falls_back_to_shipped(cache: Path) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text("#portlint-iana-snapshot\t1\t2099-01-01\tx\nnot\ta\trow\n", encoding="utf-8")
    reg = registry.read_registry()
    assert (reg.origin, reg.date) == ("shipped", SHIPPED_DATE)


@pytest.mark.parametrize("cut", ["line", "middle"])
def test_truncated_cache_falls_back_to_shipped(server: str, cache: Path, cut: str) -> None:
    """A cache cut short parses up to its last whole line: it must not be trusted."""
    assert run_cli(["registry", "update", "--source", f"{server}/good.xml"])[0] == 0
    text = cache.read_text(encoding="utf-8")
    keep = text[: len(text) // 3]
    cache.write_text(keep[: keep.rindex("\n") + 1] if cut == "line" else keep, encoding="utf-8")
    reg = registry.read_registry()
    assert (reg.origin, reg.date) == ("shipped", SHIPPED_DATE)


def test_update_refuses_to_replace_a_foreign_cache_file(server: str, cache: Path) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text("somebody else's notes\n", encoding="utf-8")
    code, _, err = run_cli(["registry", "update", "--source", f"{server}/good.xml"])
    assert code == 2
    assert err == (
        f"portlint: error: {cache}: refusing to replace a file that is not a portlint registry "
        "snapshot (hint: move the file away or choose another output path)\n"
    )
    assert cache.read_text(encoding="utf-8") == "somebody else's notes\n"


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"HOME": "/h", "XDG_CACHE_HOME": "/x"}, "linux", "/x/portlint"),
        ({"HOME": "/h"}, "linux", "/h/.cache/portlint"),
        ({"HOME": "/h", "XDG_CACHE_HOME": "relative"}, "linux", "/h/.cache/portlint"),
        ({"HOME": "/h", "XDG_CACHE_HOME": "/x"}, "darwin", "/h/Library/Caches/portlint"),
        ({"HOME": "/h", "LOCALAPPDATA": "/l"}, "win32", os.path.join("/l", "portlint")),
        ({"HOME": "/h", "PORTLINT_CACHE_DIR": "/p"}, "linux", "/p"),
    ],
)
def test_cache_dir(env: dict[str, str], platform: str, expected: str) -> None:
    assert registry.cache_dir(env, platform) == expected
