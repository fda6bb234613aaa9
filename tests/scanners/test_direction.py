"""Direction: a port a config connects to is a reference, a port its owner listens on a claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from portlint.scanners.direction import REFERENCE_WORDS, reference_reason
from tests.conftest import FIXTURES
from tests.scanners.helpers import scan

Key = tuple[str | int, ...]

# word -> (a key that names somebody else's server, its owners, the value as written,
#          a look-alike that stays the owner's claim, its owners, its value)
TABLE: dict[str, tuple[Key, tuple[str, ...], str, Key, tuple[str, ...], str]] = {
    "upstream": (
        ("NGINX_PHP_UPSTREAM_PORT",),
        ("nginx",),
        "9000",
        ("upstream", "listen_port"),  # the key itself says listen
        ("gateway",),
        "9000",
    ),
    "upstreams": (
        ("upstreams", 0, "address"),
        ("billing",),
        "ledger.internal:7070",
        ("upstreams", 0, "address"),  # no host: only a listener writes ":7070"
        ("billing",),
        ":7070",
    ),
    "backend": (
        ("VARNISH_BACKEND_PORT",),
        ("varnish",),
        "81",
        ("BACKEND_PORT",),  # backend/.env: the backend's own port
        ("backend",),
        "8000",
    ),
    "remote": (("remotePort",), ("frpc",), "6000", ("PROMOTE_PORT",), ("promo",), "6000"),
    "datasource": (
        ("config", "datasource", "port"),
        ("prometheus-postgres-exporter",),
        "5432",
        ("datasourceProxy", "listenPort"),
        ("grafana",),
        "5432",
    ),
    "database": (
        ("database", "port"),
        ("shop",),
        "5432",
        ("database", "port"),  # the database's own chart: a datastore
        ("postgresql",),
        "5432",
    ),
    "db": (("DB_PORT",), ("web",), "3306", ("DB_PORT",), ("db",), "3306"),
    "smtp": (
        ("SMTP_SERVER_PORT",),
        ("web",),
        "587",
        ("MAILDEV_SMTP_PORT",),  # maildev is a mail server: its SMTP port is its own
        ("maildev",),
        "1025",
    ),
    "mail": (("MAIL_PORT",), ("shop",), "25", ("MAIL_PORT",), ("docker-mailserver",), "25"),
    "email": (("email", "port"), ("shop",), "587", ("EMAIL_PORT",), ("email-relay",), "587"),
    "broker": (("BROKER_PORT",), ("worker",), "5672", ("BROKER_PORT",), ("rabbitmq",), "5672"),
    "xdebug": (
        ("WORKSPACE_XDEBUG_PORT",),
        ("workspace",),
        "9003",
        ("DEBUG_PORT",),  # node --inspect: the app's own debugger
        ("api",),
        "9229",
    ),
    "llm": (("OPEN_WEBUI_LLM_PORT",), ("open-webui",), "11434", ("VLLM_PORT",), ("vllm",), "8000"),
    "servers": (
        ("loadBalancer", "servers", 0, "address"),
        ("edge",),
        "10.0.0.5:80",
        ("server", "port"),  # Spring Boot's own port
        ("billing",),
        "8080",
    ),
    "healthcheck": (
        ("loadBalancer", "healthCheck", "port"),
        ("edge",),
        "80",
        ("health", "port"),  # the owner's own health endpoint
        ("api",),
        "8081",
    ),
    "probe": (
        ("livenessProbe", "port"),
        ("api",),
        "8080",
        ("prober", "port"),
        ("blackbox",),
        "9115",
    ),
    "probes": (
        ("probes", "startup", "port"),
        ("api",),
        "8080",
        ("PROBES_LISTEN_PORT",),
        ("api",),
        "8080",
    ),
    "httpget": (("httpGet", "port"), ("api",), "8080", ("http", "port"), ("api",), "8080"),
    "tcpsocket": (("tcpSocket", "port"), ("api",), "8080", ("tcp", "port"), ("api",), "8080"),
    "redirectscheme": (
        ("http", "middlewares", "to-https", "redirectScheme", "port"),
        ("proxy",),
        "443",
        ("entryPoints", "frontendRedirect", "address"),  # an entry point named so
        ("proxy",),
        ":8005",
    ),
}


def test_every_table_word_has_a_case() -> None:
    assert set(TABLE) == set(REFERENCE_WORDS)


@pytest.mark.parametrize("word", sorted(TABLE))
def test_word_makes_a_reference(word: str) -> None:
    key, owners, text, *_ = TABLE[word]
    port = int(text.rsplit(":", 1)[-1])
    reason = reference_reason(key, port, owners, text=text)
    assert reason is not None
    assert reason.startswith(f'"{word}" names ')


@pytest.mark.parametrize("word", sorted(TABLE))
def test_look_alike_stays_a_claim(word: str) -> None:
    *_, key, owners, text = TABLE[word]
    port = int(text.rsplit(":", 1)[-1])
    assert reference_reason(key, port, owners, text=text) is None


@pytest.mark.parametrize(
    ("key", "port", "owners", "subject_is_owner", "reason"),
    [
        # a server software named after another subject, on that software's own port
        (("GEARMAN_MYSQL_PORT",), 3306, ("gearman",), False, '"mysql" names MySQL'),
        (("GEARMAN_MYSQL_PORT",), 3306, (), True, '"mysql" names MySQL'),
        # a companion tool reads the software it is named after
        (("mysql", "port"), 3306, ("prometheus-mysql-exporter",), False, '"mysql" names MySQL'),
        (
            ("prometheus", "port"),
            9090,
            ("prometheus-adapter",),
            False,
            '"prometheus" names Prometheus server UI / API, which this adapter connects to',
        ),
        (("redisAddress",), 6379, ("prometheus-redis-exporter",), False, '"redis" names Redis'),
        # an address naming another machine
        (
            ("proxy", "address"),
            9090,
            ("edge",),
            False,
            "the address names another host (domain.example)",
        ),
    ],
)
def test_reference_by_software_or_host(
    key: Key, port: int, owners: tuple[str, ...], subject_is_owner: bool, reason: str
) -> None:
    host = "domain.example" if key[-1] == "address" else None
    got = reference_reason(key, port, owners, subject_is_owner=subject_is_owner, host=host)
    assert got is not None
    assert got.startswith(reason)


@pytest.mark.parametrize(
    ("key", "port", "owners", "subject_is_owner", "text"),
    [
        (("MYSQL_PORT",), 3306, (), True, "3306"),  # a stack's .env: the key's subject owns it
        (("MYSQL_PORT",), 3306, ("mysql",), False, "3306"),  # mysql/defaults.env
        (("MONGODB_PORT",), 27017, ("mongo",), False, "27017"),  # another name of MongoDB
        (("MONGO_WEBUI_PORT",), 3000, ("mongo-webui",), False, "3000"),  # the companion itself
        (("statsd", "udpPort"), 9125, ("prometheus-statsd-exporter",), False, "9125"),
        (("prometheus", "port"), 9090, ("kube-prometheus-stack",), False, "9090"),
        (("SERVER_PORT",), 8080, (), True, "8080"),
        (("LARAVEL_ECHO_SERVER_PORT",), 6001, (), True, "6001"),
        (("server", "http_listen_port"), 3100, ("loki",), False, "3100"),
        (("entryPoints", "smtp", "address"), 25, ("traefik",), False, ":25"),
        (("entryPoints", "mysql", "address"), 3306, ("traefik",), False, "0.0.0.0:3306"),
        (("targetPort",), 5173, ("netlify",), False, "5173"),
    ],
)
def test_own_port_stays_a_claim(
    key: Key, port: int, owners: tuple[str, ...], subject_is_owner: bool, text: str
) -> None:
    assert reference_reason(key, port, owners, subject_is_owner=subject_is_owner, text=text) is None


def _roles(tmp_path: Path, case: str, rel: str) -> list[tuple[str, int, int, str, str]]:
    """The references one file of a fixture case holds (scanned in a copy of the case)."""
    folder = FIXTURES / "direction" / case
    files = {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in folder.rglob("*")
        if p.is_file()
    }
    result = scan(tmp_path, files, rel)
    out = []
    for b in result.bindings:
        # The scanner keeps no reason; the table gives it again (no owner: none of these
        # keys names the file's owner, and a reference stays one whoever reads it).
        why = reference_reason(b.key_path, b.port, (), text=b.text, host=b.host)
        if b.role == "url" and why is not None:
            out.append((b.location.path, b.location.line, b.location.column, b.role, why))
    return out


def test_dotenv_references_in_the_fixture(tmp_path: Path) -> None:
    """``web/.env``: every port the web app reads is a server it connects to."""
    assert _roles(tmp_path, "references", "web/.env") == [
        ("web/.env", 2, 11, "url", '"smtp" names the mail server the owner sends through'),
        ("web/.env", 3, 9, "url", '"db" names the database the owner connects to'),
        ("web/.env", 4, 23, "url", '"upstream" names the upstream server a proxy forwards to'),
        ("web/.env", 5, 17, "url", '"xdebug" names the IDE port Xdebug connects out to'),
        ("web/.env", 6, 14, "url", '"llm" names the model server the owner sends requests to'),
    ]


def test_helm_and_toml_references_in_the_fixture(tmp_path: Path) -> None:
    values = _roles(tmp_path, "references", "charts/mysql-exporter/values.yaml")
    assert [(line, column, role) for _path, line, column, role, _why in values] == [
        (3, 9, "url"),
        (6, 11, "url"),
    ]
    proxy = _roles(tmp_path, "references", "proxy/dynamic.toml")
    got = [(line, column, role, why.split(" ", 1)[0]) for _p, line, column, role, why in proxy]
    assert got == [
        (4, 11, "url", '"redirectscheme"'),
        (8, 26, "url", '"servers"'),
        (12, 10, "url", '"healthcheck"'),
    ]
