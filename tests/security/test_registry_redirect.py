"""``registry update`` never lets a redirect leave HTTPS (issue 19, item 12).

Real servers, no mocks: a TLS server on 127.0.0.2 plays the remote HTTPS
host (IANA or a mirror; its self-signed certificate is trusted through
``SSL_CERT_FILE``), a plain-HTTP server on 127.0.0.2 plays a plain host
elsewhere (portlint treats only 127.0.0.1, localhost and ::1 as loopback), and
a plain-HTTP server on 127.0.0.1 plays a local mirror. Before the fix,
``https://remote/x`` answering "302 http://elsewhere/good.xml" installed what
the plain host sent, which anyone on the path may have written.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from portlint.errors import UsageError
from portlint.registry.update import check_url
from tests.conftest import run_cli
from tests.registry.test_update import GOOD, NEWER, cache  # noqa: F401  (cache: a fixture)

REMOTE = "127.0.0.2"


class _Server(BaseHTTPRequestHandler):
    """Serves /good.xml; any other known path answers 302 to its target."""

    redirects: ClassVar[dict[str, str]] = {}
    served: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        where = f"{self.server.server_address[0]}:{self.server.server_address[1]}"
        self.served.append(f"{where}{self.path}")
        target = self.redirects.get(f"{where}{self.path}")
        if target is not None:
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path != "/good.xml":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(GOOD)))
        self.end_headers()
        self.wfile.write(GOOD)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def _serve(host: str, tls: ssl.SSLContext | None = None) -> tuple[ThreadingHTTPServer, str]:
    httpd = ThreadingHTTPServer((host, 0), _Server)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"{'https' if tls else 'http'}://{host}:{httpd.server_address[1]}"


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if shutil.which("openssl") is None:
        pytest.skip("no openssl to make a certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=portlint-test"),
            *("-addext", f"subjectAltName=IP:{REMOTE},IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    started = []
    try:
        for host, context in ((REMOTE, tls), (REMOTE, None), ("127.0.0.1", None)):
            try:
                started.append(_serve(host, context))
            except OSError:
                pytest.skip(f"cannot listen on {host} (only Linux routes all of 127/8)")
        (_, https), (_, plain), (_, local) = started
        _Server.redirects = {
            f"{https[8:]}/to-plain": f"{plain}/good.xml",
            f"{https[8:]}/to-local": f"{local}/good.xml",
            f"{https[8:]}/to-https": f"{https}/good.xml",
            f"{https[8:]}/to-ftp": "ftp://127.0.0.1/good.xml",
            f"{local[7:]}/to-local": f"{local}/good.xml",
            f"{local[7:]}/to-plain": f"{plain}/good.xml",
        }
        yield {"https": https, "plain": plain, "local": local, "cert": str(cert)}
    finally:
        for httpd, _ in started:
            httpd.shutdown()
            httpd.server_close()


@pytest.fixture
def trusted(servers: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("SSL_CERT_FILE", servers["cert"])
    _Server.served.clear()
    return servers


@pytest.mark.skipif(sys.platform != "linux", reason="127.0.0.2")
def test_https_redirect_to_plain_http_elsewhere_is_refused(
    trusted: dict[str, str],
    cache: Path,  # noqa: F811
) -> None:
    https, plain = trusted["https"], trusted["plain"]
    code, out, err = run_cli(["registry", "update", "--source", f"{https}/to-plain"])
    assert (code, out) == (2, "")
    assert err == (
        f"portlint: error: {https}/to-plain: redirected to {plain}/good.xml: plain http is "
        "refused; use https (hint: http is accepted only for 127.0.0.1, localhost and ::1)\n"
    )
    assert not cache.exists()
    assert _Server.served == [f"{https[8:]}/to-plain"]  # the plain host was never asked


@pytest.mark.skipif(sys.platform != "linux", reason="127.0.0.2")
def test_a_remote_server_cannot_send_the_download_to_this_machine(
    trusted: dict[str, str],
    cache: Path,  # noqa: F811
) -> None:
    https, local = trusted["https"], trusted["local"]
    code, out, err = run_cli(["registry", "update", "--source", f"{https}/to-local"])
    assert (code, out) == (2, "")
    assert err == (
        f"portlint: error: {https}/to-local: redirected to {local}/good.xml: a redirect from "
        f"{https} to plain http is refused (hint: http is followed only from one loopback "
        "address to another)\n"
    )
    assert not cache.exists()


@pytest.mark.skipif(sys.platform != "linux", reason="127.0.0.2")
def test_redirects_that_stay_safe_are_followed(
    trusted: dict[str, str],
    cache: Path,  # noqa: F811
) -> None:
    for source in (f"{trusted['https']}/to-https", f"{trusted['local']}/to-local"):
        code, out, err = run_cli(["registry", "update", "--source", source])
        assert (code, err) == (0, "")
        name = source.rsplit("/", 1)[1]
        assert (
            out
            == f"installed {cache} (registry date {NEWER}, 12000 records, from {name}); in use\n"
        )


@pytest.mark.skipif(sys.platform != "linux", reason="127.0.0.2")
@pytest.mark.parametrize("route", ["https:to-ftp", "local:to-plain"])
def test_other_redirects_are_refused(
    trusted: dict[str, str],
    cache: Path,  # noqa: F811
    route: str,
) -> None:
    server, path = route.split(":")
    code, out, err = run_cli(["registry", "update", "--source", f"{trusted[server]}/{path}"])
    assert (code, out) == (2, "")
    assert err.startswith(f"portlint: error: {trusted[server]}/{path}: redirected to ")
    assert not cache.exists()


@pytest.mark.parametrize(
    ("url", "came_from", "allowed"),
    [
        ("https://mirror.example/x.xml", "https://www.iana.org/a.xml", True),
        ("http://mirror.example/x.xml", "https://www.iana.org/a.xml", False),
        ("http://127.0.0.1/x.xml", "https://www.iana.org/a.xml", False),
        ("http://localhost:8000/x.xml", "http://127.0.0.1:8000/a.xml", True),
        ("ftp://127.0.0.1/x.xml", "http://127.0.0.1/a.xml", False),
        ("file:///etc/passwd", "https://www.iana.org/a.xml", False),
    ],
)
def test_redirect_policy(url: str, came_from: str, allowed: bool) -> None:
    if allowed:
        check_url(url, came_from)
    else:
        with pytest.raises(UsageError):
            check_url(url, came_from)
