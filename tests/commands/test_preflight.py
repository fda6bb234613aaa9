"""``portlint preflight`` against real sockets on loopback and a fake Docker Engine.

Every listener here is bound by the test on an ephemeral port, so the
answers are checked against what the kernel really holds; the address rules
are checked against the kernel too, by trying the bind they predict.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import socketserver
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, ClassVar

import pytest

from portlint.commands import _docker, _listening
from portlint.commands._docker import Answer, Published
from portlint.commands._listening import Listener
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(
    not _listening.supported(), reason="no /proc/net socket tables (not Linux)"
)


def _compose(path: Path, *ports: str, name: str | None = None, extra: str = "") -> Path:
    lines = [f"name: {name}"] if name else []
    lines += ["services:", "  web:", "    image: nginx", "    ports:"]
    lines += [f'      - "{p}"' for p in ports]
    path.mkdir(parents=True, exist_ok=True)
    (path / "compose.yaml").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def _preflight(project: Path, *more: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run_cli(["preflight", "--format", "json", *more], cwd=project)
    return code, json.loads(out) if out else {}, err


def _comm() -> str:
    with open("/proc/self/comm", encoding="utf-8") as fh:
        return fh.read().strip()


def _listener(family: int, kind: int, address: str, v6only: bool | None = None) -> socket.socket:
    sock = socket.socket(family, kind)
    if v6only is not None:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(v6only))
    sock.bind((address, 0))
    if kind == socket.SOCK_STREAM:
        sock.listen()
    return sock


def _ipv6() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


needs_ipv6 = pytest.mark.skipif(not _ipv6(), reason="IPv6 loopback ::1 cannot be bound here")


# --- taken and free, TCP and UDP, IPv4 and IPv6 ---------------------------------------------


@pytest.mark.parametrize("kind", [socket.SOCK_STREAM, socket.SOCK_DGRAM], ids=["tcp", "udp"])
def test_a_port_this_process_holds_is_taken_by_us(tmp_path: Path, kind: int) -> None:
    proto = "tcp" if kind == socket.SOCK_STREAM else "udp"
    with _listener(socket.AF_INET, kind, "127.0.0.1") as sock:
        port = sock.getsockname()[1]
        project = _compose(tmp_path / "app", f"127.0.0.1:{port}:80/{proto}")
        code, data, err = _preflight(project, "--no-docker")
        for row in data["ports"]:  # the suggestion is free now, while the port is held
            if row["suggestion"] is not None:
                assert _listening.listeners(row["suggestion"]) == []
    assert (code, err) == (1, "")
    (row,) = data["ports"]
    assert (row["path"], row["line"], row["column"]) == ("compose.yaml", 5, 20)
    assert (row["status"], row["host_ip"], row["port"], row["protocol"]) == (
        "taken",
        "127.0.0.1",
        port,
        proto,
    )
    (holder,) = row["holders"]
    assert (holder["source"], holder["address"], holder["pid"], holder["process"]) == (
        "socket",
        "127.0.0.1",
        os.getpid(),
        _comm(),
    )
    assert holder["other_user"] is False
    assert row["suggestion"] is not None and row["suggestion"] != port
    assert 1024 <= row["suggestion"] < 49152


def test_text_output_names_the_holder_and_the_replacement(tmp_path: Path) -> None:
    with _listener(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1") as sock:
        port = sock.getsockname()[1]
        project = _compose(tmp_path / "app", f"{port}:80")
        code, out, _ = run_cli(["preflight", "--no-docker"], cwd=project)
        _, data, _ = _preflight(project, "--no-docker")
    suggestion = data["ports"][0]["suggestion"]
    first = out.splitlines()[0]
    assert code == 1
    assert first == (
        f"compose.yaml:5:10: taken tcp *:{port} (service web, project app): held by "
        f"{_comm()} (pid {os.getpid()}) on 127.0.0.1:{port} (hint: use {suggestion}, free now)"
    )
    assert out.endswith("docker: not asked (--no-docker)\n1 host port(s): 1 taken\n")


def test_a_free_port_is_free(tmp_path: Path) -> None:
    with _listener(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1") as sock:
        port = sock.getsockname()[1]  # closed below: nothing holds it any more
    project = _compose(tmp_path / "app", f"127.0.0.1:{port}:80")
    code, data, _ = _preflight(project, "--no-docker")
    assert code == 0
    (row,) = data["ports"]
    assert (row["status"], row["holders"], row["suggestion"]) == ("free", [], None)
    assert data["sockets"] == {"seen": True, "note": None}


def test_udp_does_not_block_tcp(tmp_path: Path) -> None:
    with _listener(socket.AF_INET, socket.SOCK_DGRAM, "127.0.0.1") as sock:
        port = sock.getsockname()[1]
        project = _compose(tmp_path / "app", f"127.0.0.1:{port}:80/tcp", f"{port}:80/udp")
        code, data, _ = _preflight(project, "--no-docker")
    assert code == 1
    assert [(r["protocol"], r["status"]) for r in data["ports"]] == [
        ("tcp", "free"),
        ("udp", "taken"),
    ]


@needs_ipv6
@pytest.mark.parametrize("kind", [socket.SOCK_STREAM, socket.SOCK_DGRAM], ids=["tcp", "udp"])
def test_ipv6_loopback_listener(tmp_path: Path, kind: int) -> None:
    proto = "tcp" if kind == socket.SOCK_STREAM else "udp"
    with _listener(socket.AF_INET6, kind, "::1") as sock:
        port = sock.getsockname()[1]
        project = _compose(
            tmp_path / "app",
            f"[::1]:{port}:80/{proto}",
            f"127.0.0.1:{port}:81/{proto}",
            f"{port}:82/{proto}",
        )
        code, data, _ = _preflight(project, "--no-docker")
    assert code == 1
    assert [(r["host_ip"], r["status"]) for r in data["ports"]] == [
        ("::1", "taken"),
        ("127.0.0.1", "free"),  # another address of another family
        (None, "taken"),  # Docker binds [::] too
    ]
    holder = data["ports"][0]["holders"][0]
    assert (holder["address"], holder["pid"]) == ("::1", os.getpid())


# --- the address rules, checked against the kernel --------------------------------------------


def _bind_fails(family: int, kind: int, address: str, port: int) -> bool:
    with socket.socket(family, kind) as other:
        if family == socket.AF_INET6:
            other.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        try:
            other.bind((address, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


IPV4_CASES = [
    ("127.0.0.1", "127.0.0.1", True),
    ("127.0.0.1", "127.0.0.2", False),  # two specific addresses coexist
    ("127.0.0.1", "0.0.0.0", True),  # the wildcard needs every address
    ("0.0.0.0", "127.0.0.1", True),
    ("0.0.0.0", "0.0.0.0", True),
]


@pytest.mark.parametrize("kind", [socket.SOCK_STREAM, socket.SOCK_DGRAM], ids=["tcp", "udp"])
@pytest.mark.parametrize(("held", "wanted", "expected"), IPV4_CASES)
def test_ipv4_rules_agree_with_the_kernel(
    tmp_path: Path, kind: int, held: str, wanted: str, expected: bool
) -> None:
    from portlint.commands.preflight import blocks

    proto = "tcp" if kind == socket.SOCK_STREAM else "udp"
    with _listener(socket.AF_INET, kind, held) as sock:
        port = sock.getsockname()[1]
        kernel = _bind_fails(socket.AF_INET, kind, wanted, port)
        project = _compose(tmp_path / "app", f"{wanted}:{port}:80/{proto}")
        _, data, _ = _preflight(project, "--no-docker")
    assert blocks(wanted, held) is kernel is expected
    assert data["ports"][0]["status"] == ("taken" if expected else "free")


@needs_ipv6
@pytest.mark.parametrize(
    ("held", "v6only", "wanted", "family", "expected"),
    [
        ("::", False, "127.0.0.1", socket.AF_INET, True),  # dual-stack [::] holds IPv4
        ("::", False, "::1", socket.AF_INET6, True),
        ("::1", True, "127.0.0.1", socket.AF_INET, False),
        ("::1", True, "::", socket.AF_INET6, True),
        ("127.0.0.1", None, "::1", socket.AF_INET6, False),
    ],
)
def test_ipv6_rules_agree_with_the_kernel(
    held: str, v6only: bool | None, wanted: str, family: int, expected: bool
) -> None:
    from portlint.commands.preflight import blocks

    held_family = socket.AF_INET if "." in held else socket.AF_INET6
    with _listener(held_family, socket.SOCK_STREAM, held, v6only) as sock:
        port = sock.getsockname()[1]
        kernel = _bind_fails(family, socket.SOCK_STREAM, wanted, port)
    assert blocks(wanted, held) is kernel is expected


def test_ipv4_mapped_addresses_are_ipv4() -> None:
    from portlint.commands.preflight import blocks

    assert blocks("127.0.0.1", "::ffff:127.0.0.1")
    assert not blocks("127.0.0.2", "::ffff:127.0.0.1")
    assert blocks(None, "10.1.2.3")  # no host IP: every address


# --- another user's process -------------------------------------------------------------------


def _drop_to_nobody() -> None:
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run a check as another user")
def test_another_users_process_is_shown_without_its_name() -> None:
    # The listener is this (root) process; the check runs in a child that became
    # `nobody`, which may not look into root's /proc/<pid>/fd: what any user sees
    # of a process of someone else.
    folder = tempfile.mkdtemp(prefix="pf-")
    try:
        result = _check_as_nobody(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if result[0] == "skip":
        pytest.skip(f"cannot become another user here: {result[1]}")
    code, out, err = result
    assert (code, err) == (1, ""), (out, err)
    (holder,) = json.loads(out)["ports"][0]["holders"]
    assert (holder["pid"], holder["process"], holder["uid"], holder["other_user"]) == (
        None,
        None,
        0,
        True,
    )


def _check_as_nobody(folder: str) -> list[Any]:
    """Hold a port here and run preflight on it in a child that became `nobody`."""
    os.chmod(folder, 0o755)
    read, write = os.pipe()
    with _listener(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1") as sock:
        port = sock.getsockname()[1]
        _compose(Path(folder), f"127.0.0.1:{port}:80")
        os.chmod(os.path.join(folder, "compose.yaml"), 0o644)
        # Once here first, so the child has every module and codec imported:
        # `nobody` may not be able to read this Python's own files.
        assert run_cli(["preflight", "--no-docker", "--isolated"], cwd=Path(folder))[0] == 1
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child reports through the pipe
            try:
                os.close(read)
                sock.close()  # the child's copy: only the parent holds the port
                os.environ["PORTLINT_SCAN_CACHE_DIR"] = folder + "/nocache"
                try:
                    _drop_to_nobody()
                except OSError as exc:
                    os.write(write, json.dumps(["skip", str(exc)]).encode())
                else:
                    code, out, err = run_cli(
                        ["preflight", "--format", "json", "--no-docker", "--isolated"],
                        cwd=Path(folder),
                    )
                    os.write(write, json.dumps([code, out, err]).encode())
            finally:
                os._exit(0)
        os.close(write)
        chunks = []
        while chunk := os.read(read, 65536):
            chunks.append(chunk)
        os.waitpid(pid, 0)
        os.close(read)
    found: list[Any] = json.loads(b"".join(chunks) or b'["the child said nothing", "", ""]')
    return found


def test_another_users_socket_reads_as_such() -> None:
    theirs = Listener("tcp", "127.0.0.1", 5000, uid=os.geteuid() + 1)
    mine = Listener("tcp", "127.0.0.1", 5000, pid=1, process="x", uid=os.geteuid())
    assert theirs.other_user and theirs.who() == f"another user's process (uid {theirs.uid})"
    assert not mine.other_user and mine.who() == "x (pid 1)"


# --- the Docker Engine, faked on a unix socket -------------------------------------------------


class _Engine(BaseHTTPRequestHandler):
    containers: ClassVar[Any] = []
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        body = json.dumps(self.containers).encode()
        self.send_response(200 if self.path == "/containers/json" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Engine]]:
    folder = tempfile.mkdtemp(prefix="pf-docker-")  # short: unix socket paths are limited
    path = os.path.join(folder, "docker.sock")

    class Handler(_Engine):  # its own answer and log, per test
        containers: ClassVar[Any] = []
        paths: ClassVar[list[str]] = []

    server = socketserver.ThreadingUnixStreamServer(path, Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
    try:
        yield Handler
    finally:
        server.shutdown()
        server.server_close()
        os.unlink(path)
        os.rmdir(folder)


def _container(name: str, project: str | None, *ports: dict[str, Any]) -> dict[str, Any]:
    labels = {"com.docker.compose.project": project, "com.docker.compose.service": "web"}
    return {
        "Id": "0123456789abcdef",
        "Names": [f"/{name}"],
        "Labels": labels if project else {},
        "Ports": list(ports),
        "State": "running",
    }


def _unused_port() -> int:
    with _listener(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1") as sock:
        port: int = sock.getsockname()[1]
    return port


def test_another_projects_container_is_taken(tmp_path: Path, engine: type[_Engine]) -> None:
    port = _unused_port()
    engine.containers = [
        _container(
            "shop-db-1",
            "shop",
            {"IP": "0.0.0.0", "PrivatePort": 5432, "PublicPort": port, "Type": "tcp"},
        ),
    ]
    project = _compose(tmp_path / "app", f"127.0.0.1:{port}:80", name="blog")
    code, data, _ = _preflight(project)
    assert engine.paths == ["/containers/json"]
    assert data["docker"]["asked"] is True and data["docker"]["note"] is None
    assert code == 1
    (row,) = data["ports"]
    assert (row["status"], row["project"]) == ("taken", "blog")
    (holder,) = row["holders"]
    assert (holder["source"], holder["container"], holder["compose_project"], holder["own"]) == (
        "container",
        "shop-db-1",
        "shop",
        False,
    )
    code, out, _ = run_cli(["preflight"], cwd=project)
    assert f"held by container shop-db-1, compose project shop on 0.0.0.0:{port}" in out


def test_the_projects_own_container_is_no_conflict(tmp_path: Path, engine: type[_Engine]) -> None:
    port = _unused_port()
    published = {"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": port, "Type": "tcp"}
    engine.containers = [_container("app-web-1", "app", published)]
    # No `name:`: Compose names the project after its folder, "app".
    project = _compose(tmp_path / "App", f"127.0.0.1:{port}:80")
    code, data, _ = _preflight(project)
    assert (code, data["projects"], data["ports"][0]["status"]) == (0, ["app"], "own")
    code, data, _ = _preflight(project, "-p", "other")  # another name: another project
    assert (code, data["ports"][0]["status"]) == (1, "taken")


def test_a_container_on_another_address_is_no_conflict(
    tmp_path: Path, engine: type[_Engine]
) -> None:
    port = _unused_port()
    published = {"IP": "127.0.0.1", "PrivatePort": 80, "PublicPort": port, "Type": "tcp"}
    engine.containers = [_container("x-1", "x", published)]
    project = _compose(tmp_path / "app", f"127.0.0.2:{port}:80", f"{port}:80/udp")
    code, data, _ = _preflight(project)
    assert code == 0
    assert [r["status"] for r in data["ports"]] == ["free", "free"]


def test_an_engine_error_is_reported_not_fatal(tmp_path: Path, engine: type[_Engine]) -> None:
    engine.containers = {"message": "not a list"}
    project = _compose(tmp_path / "app", f"127.0.0.1:{_unused_port()}:80")
    code, data, _ = _preflight(project)
    assert code == 0
    assert data["docker"]["asked"] is False
    assert "not the expected JSON" in data["docker"]["note"]


def test_docker_not_asked_without_a_local_socket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _compose(tmp_path / "app", f"127.0.0.1:{_unused_port()}:80")
    monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.1:2375")
    _, data, _ = _preflight(project)
    assert data["docker"] == {
        "asked": False,
        "socket": None,
        "note": "DOCKER_HOST is tcp://, and portlint asks only a local unix socket",
    }
    missing = str(tmp_path / "none.sock")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{missing}")
    code, out, _ = run_cli(["preflight"], cwd=project)
    assert code == 0
    assert f"docker: not asked (no Docker socket at {missing})\n" in out


def test_parse_containers_keeps_published_ports_only() -> None:
    data = [
        {
            "Names": ["/a-1"],
            "Labels": {"com.docker.compose.project": "a"},
            "Ports": [
                {"PrivatePort": 6379, "Type": "tcp"},  # exposed, not published
                {"IP": "::", "PrivatePort": 53, "PublicPort": 5353, "Type": "udp"},
                {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
            ],
        },
        {"Id": "fedcba9876543210ff", "Ports": None},
    ]
    assert _docker.parse_containers(data) == (
        Published("udp", "::", 5353, "a-1", "a", None),
        Published("tcp", "0.0.0.0", 8080, "a-1", "a", None),
    )
    with pytest.raises(ValueError):
        _docker.parse_containers({"Ports": []})


def test_the_proxy_of_an_own_container_is_the_container() -> None:
    from portlint.bindings import HOST, Location, PortBinding
    from portlint.commands.preflight import Planned, judge

    binding = PortBinding(
        Location("compose.yaml", 5, 10), "compose", "web", "host", 8080, namespace=HOST
    )
    planned = [Planned(binding, None, 8080, 8080, "tcp", "app")]
    proxy = Listener("tcp", "0.0.0.0", 8080, pid=4242, process="docker-proxy")
    own = Answer(True, "/s", "", (Published("tcp", "0.0.0.0", 8080, "app-web-1", "app", "web"),))
    other = Answer(True, "/s", "", (Published("tcp", "0.0.0.0", 8080, "z-web-1", "z", "web"),))
    proxy6 = Listener("tcp", "::", 8080, pid=4243, process="docker-proxy")
    (verdict,) = judge(planned, [proxy, proxy6], own)
    assert verdict.status == "own" and len(verdict.holders) == 3
    assert all(h.own for h in verdict.holders)
    (verdict,) = judge(planned, [proxy], other)
    assert verdict.status == "taken" and not any(h.own for h in verdict.holders)
    stranger = Listener("tcp", "0.0.0.0", 8080, pid=7, process="nginx")
    (verdict,) = judge(planned, [stranger], own)
    assert verdict.status == "taken"


# --- what the plan holds ----------------------------------------------------------------------


def test_profiles_decide_which_services_bind(tmp_path: Path) -> None:
    with _listener(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1") as sock:
        port = sock.getsockname()[1]
        extra = (
            "  debug:\n    image: busybox\n    profiles: [debug]\n"
            f'    ports: ["127.0.0.1:{port}:80"]\n'
        )
        project = _compose(tmp_path / "app", f"127.0.0.1:{_unused_port()}:80", extra=extra)
        code, data, _ = _preflight(project, "--no-docker")
        assert (code, data["inactive"], len(data["ports"])) == (0, 1, 1)
        code, data, _ = _preflight(project, "--no-docker", "--profile", "debug")
        assert (code, data["inactive"], len(data["ports"])) == (1, 0, 2)
        assert data["ports"][1]["owner"] == "debug"


def test_file_flag_reads_only_the_named_files(tmp_path: Path) -> None:
    with _listener(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1") as sock:
        port = sock.getsockname()[1]
        project = _compose(tmp_path / "app", f"127.0.0.1:{_unused_port()}:80")
        override = f'services:\n  web:\n    ports: ["127.0.0.1:{port}:81"]\n'
        (project / "compose.override.yaml").write_text(override, encoding="utf-8")
        code, data, _ = _preflight(project, "--no-docker")
        assert (code, len(data["ports"])) == (1, 2)  # `up` reads the override too
        code, data, _ = _preflight(project, "--no-docker", "-f", "compose.yaml")
        assert (code, len(data["ports"])) == (0, 1)


def test_kubernetes_host_ports_only_when_asked(tmp_path: Path) -> None:
    with _listener(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1") as sock:
        port = sock.getsockname()[1]
        pod = (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n"
            "    - name: agent\n      image: agent:1\n      ports:\n"
            f"        - containerPort: 9100\n          hostPort: {port}\n"
        )
        (tmp_path / "pod.yaml").write_text(pod, encoding="utf-8")
        code, data, _ = _preflight(tmp_path, "--no-docker")
        assert (code, data["ports"]) == (0, [])
        code, data, _ = _preflight(tmp_path, "--no-docker", "--k8s")
    assert code == 1
    (row,) = data["ports"]
    assert (row["kind"], row["port"], row["line"], row["status"]) == (
        "kubernetes",
        port,
        11,
        "taken",
    )


def test_a_host_dev_server_is_planned(tmp_path: Path) -> None:
    with _listener(socket.AF_INET, socket.SOCK_STREAM, "127.0.0.1") as sock:
        port = sock.getsockname()[1]
        package = '{"name": "web", "scripts": {"dev": "vite --port ' + str(port) + '"}}\n'
        (tmp_path / "package.json").write_text(package, encoding="utf-8")
        code, data, _ = _preflight(tmp_path, "--no-docker")
    assert code == 1
    (row,) = data["ports"]
    assert (row["kind"], row["role"], row["host_ip"], row["status"], row["project"]) == (
        "json",
        "listen",
        None,
        "taken",
        None,
    )
    assert (row["line"], row["column"]) == (1, 49)
    code, out, _ = run_cli(["preflight", "--no-docker"], cwd=tmp_path)
    assert out.startswith(f"package.json:1:49: free tcp *:{port} (script dev of web)\n")


def test_editor_forwards_are_not_planned(tmp_path: Path) -> None:
    config = '{"image": "x", "forwardPorts": [3000], "appPort": [3001]}\n'
    (tmp_path / ".devcontainer").mkdir()
    (tmp_path / ".devcontainer" / "devcontainer.json").write_text(config, encoding="utf-8")
    _, data, _ = _preflight(tmp_path, "--no-docker")
    assert [(r["kind"], r["port"]) for r in data["ports"]] == [("devcontainer", 3001)]


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run_cli(["preflight", "-f", "nope.yaml"], cwd=tmp_path)
    assert (code, out) == (2, "")
    assert err == "portlint: error: -f nope.yaml: no such file\n"
    code, _, err = run_cli(["preflight", ".", "-f", "nope.yaml"], cwd=tmp_path)
    assert (code, err) == (
        2,
        "portlint: error: give folders or -f files, not both (hint: -f names the compose files)\n",
    )


def test_without_socket_tables_nothing_is_called_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_listening, "supported", lambda: False)
    project = _compose(tmp_path / "app", "127.0.0.1:8080:80")
    code, out, _ = run_cli(["preflight", "--no-docker"], cwd=project)
    assert code == 0
    assert out.splitlines()[0].endswith(
        ": unknown tcp 127.0.0.1:8080 (service web, project app): not seen"
    )
    assert "sockets: not seen (this system has no /proc/net socket tables" in out


def test_project_names_as_compose_derives_them(tmp_path: Path) -> None:
    project = _compose(tmp_path / "My.App_2", f"127.0.0.1:{_unused_port()}:80")
    assert _preflight(project, "--no-docker")[1]["projects"] == ["myapp_2"]
    project = _compose(tmp_path / "b", f"127.0.0.1:{_unused_port()}:80", name="Shop")
    assert _preflight(project, "--no-docker")[1]["projects"] == ["shop"]
