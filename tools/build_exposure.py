"""Build ``portlint/data/exposure.tsv``: what is dangerous to publish, and what opens it.

A developer tool, never run at lint time. The rows below are the facts; each
carries the URL it was read from (vendor documentation first). The data file
is this script's output, and a test checks that the committed file equals it
and that every row has an https source.

    python tools/build_exposure.py > portlint/data/exposure.tsv

Columns:

- ``class``: ``control-plane`` (whoever reaches it runs code or containers on
  the machine or cluster), ``datastore`` (a datastore or broker that accepts
  clients without a password unless told otherwise), ``remote-desktop`` (a
  screen and keyboard over the network), ``admin`` (an admin UI, dashboard or
  debugger), or ``door`` (a flag or variable that turns protection off).
- ``severity``: ``error`` for control planes, open datastores and doors into
  them; ``warning`` for the rest.
- ``names``: identity names (image names, service, container and chart names),
  matched as portlint matches the well-known table: whole, or as a run of
  ``-``-separated words. A door with no names applies to any program.
- ``ports``: the program's own ports (``2379-2380``, ``5900-5903``). For a door,
  the port its published binding must carry; empty when any published port
  makes the door reachable.
- ``flags``: ``anyport`` (a one-port program: any port published from its
  container is that program, wherever it was moved).
- ``auth``: for a program, a regular expression over its settings (``--arg``
  words, ``KEY=value`` variables) that shows authentication was turned on, so
  the default no longer holds. ``open_before``: the first major version whose
  default is safe (Elasticsearch 8 turned security on), empty when none is.
- ``door``: for a door, where to look and a regular expression: ``arg:`` searches
  the command line (command, entrypoint and args joined by spaces), ``env:``
  each ``KEY=value`` variable, ``any:`` both. A group ``port`` names the port
  the door opens (else the row's port, if any); a group ``at`` is where the
  finding points (else the start of the match).
"""

from __future__ import annotations

import sys

HEADER = "#portlint-exposure\t1\tdangerous to publish on all interfaces; one source per row"
COLUMNS = (
    "class",
    "severity",
    "software",
    "names",
    "ports",
    "protocols",
    "flags",
    "auth",
    "open_before",
    "door",
    "note",
    "source",
)

K8S_PORTS = "https://kubernetes.io/docs/reference/networking/ports-and-protocols/"
DOCKER_SOCKET = "https://docs.docker.com/engine/security/protect-access/"
REDIS_IMAGE = "https://hub.docker.com/_/redis"
REDIS_DENIED = "https://redis.io/docs/latest/develop/reference/errors/common/denied/"

# (class, severity, software, names, ports, protocols, flags, auth, open_before, note, source)
PROGRAMS: list[tuple[str, str, str, str, str, str, str, str, str, str, str]] = [
    # -- control planes ------------------------------------------------------
    (
        "control-plane",
        "error",
        "Docker Engine API (plain TCP)",
        "dind,docker-dind,dockerd",
        "2375",
        "tcp",
        "",
        "",
        "",
        "the Docker daemon API: root on the host for whoever reaches it",
        DOCKER_SOCKET,
    ),
    (
        "control-plane",
        "error",
        "kubelet API",
        "kubelet",
        "10250",
        "tcp",
        "",
        "",
        "",
        "the kubelet API runs commands in every pod of the node",
        K8S_PORTS,
    ),
    (
        "control-plane",
        "error",
        "Kubernetes API server",
        "kube-apiserver,k3s,rancher-k3s,k3s-server",
        "6443",
        "tcp",
        "",
        "",
        "",
        "the Kubernetes API server: the whole cluster for whoever holds a token",
        K8S_PORTS,
    ),
    (
        "control-plane",
        "error",
        "etcd",
        "etcd,bitnami-etcd",
        "2379-2380",
        "tcp",
        "",
        r"^arg:.*--client-cert-auth|^env:ETCD_CLIENT_CERT_AUTH=true|^env:ETCD_ROOT_PASSWORD=\S",
        "",
        "etcd's client and peer API: every secret of a Kubernetes cluster is stored there",
        "https://etcd.io/docs/v3.5/op-guide/security/",
    ),
    (
        "control-plane",
        "error",
        "HashiCorp Nomad HTTP API",
        "nomad",
        "4646-4648",
        "tcp",
        "",
        "",
        "",
        "Nomad's API schedules jobs (commands) on every client; ACLs are off until bootstrapped",
        "https://developer.hashicorp.com/nomad/docs/deploy/production/requirements",
    ),
    (
        "control-plane",
        "error",
        "HashiCorp Consul HTTP API",
        "consul",
        "8500",
        "tcp",
        "",
        "",
        "",
        "Consul's HTTP API changes service registrations and the key-value store; "
        "ACLs are off unless configured",
        "https://developer.hashicorp.com/consul/docs/install/ports",
    ),
    # -- datastores and brokers without authentication by default -------------
    (
        "datastore",
        "error",
        "Redis",
        "redis,redis-server,redis-stack,redis-stack-server",
        "6379",
        "tcp",
        "anyport",
        r"^arg:.*--requirepass\s+\S|^arg:.*--aclfile|^env:REDIS_PASSWORD=\S",
        "",
        "the official image turns protected mode off: no password unless one is set",
        REDIS_IMAGE,
    ),
    (
        "datastore",
        "error",
        "Memcached",
        "memcached",
        "11211",
        "tcp,udp",
        "anyport",
        r"^arg:.*(?:-S\b|--enable-sasl)",
        "",
        "memcached has no authentication unless built and started with SASL",
        "https://github.com/memcached/memcached/wiki/DDOS",
    ),
    (
        "datastore",
        "error",
        "MongoDB",
        "mongo,mongodb,mongodb-community-server",
        "27017",
        "tcp",
        "anyport",
        r"^env:MONGO_INITDB_ROOT_USERNAME=\S|^arg:.*--auth\b|^arg:.*--keyFile",
        "",
        "the official image starts without access control unless a root user is configured",
        "https://hub.docker.com/_/mongo",
    ),
    (
        "datastore",
        "error",
        "Elasticsearch before 8",
        "elasticsearch",
        "9200",
        "tcp",
        "",
        r"^env:xpack\.security\.enabled=true",
        "8",
        "security features were off by default before 8.0 (basic license)",
        "https://www.elastic.co/guide/en/elasticsearch/reference/6.8/get-started-enable-security.html",
    ),
    (
        "datastore",
        "error",
        "Apache ZooKeeper",
        "zookeeper,cp-zookeeper",
        "2181",
        "tcp",
        "",
        r"^env:.*(?:SASL|ZOO_ENABLE_AUTH=yes)",
        "",
        "new znodes are open to the world:anyone ACL unless authentication is set up",
        "https://zookeeper.apache.org/doc/current/zookeeperProgrammers.html",
    ),
    # -- remote desktops and consoles ----------------------------------------
    (
        "remote-desktop",
        "warning",
        "Remote Desktop Protocol",
        "xrdp,rdp,rdesktop",
        "3389",
        "tcp,udp",
        "",
        "",
        "",
        "a remote desktop login on the network",
        "https://learn.microsoft.com/en-us/windows-server/remote/remote-desktop-services/clients/change-listening-port",
    ),
    (
        "remote-desktop",
        "warning",
        "VNC (RFB)",
        "vnc,x11vnc,tigervnc,tightvnc,vnc-server,standalone-chrome,standalone-firefox,"
        "standalone-edge,node-chrome,node-firefox,node-edge",
        "5900-5903",
        "tcp",
        "",
        "",
        "",
        "a VNC screen: RFB's own password is at most eight characters",
        "https://www.rfc-editor.org/rfc/rfc6143",
    ),
    # -- admin and debug interfaces ------------------------------------------
    (
        "admin",
        "warning",
        "Caddy admin API",
        "caddy",
        "2019",
        "tcp",
        "",
        "",
        "",
        "Caddy's admin API loads a new configuration without authentication",
        "https://caddyserver.com/docs/api",
    ),
    (
        "admin",
        "warning",
        "phpMyAdmin",
        "phpmyadmin",
        "80",
        "tcp",
        "anyport",
        "",
        "",
        "a database admin UI: one weak or empty database password away from the data",
        "https://hub.docker.com/_/phpmyadmin",
    ),
    (
        "admin",
        "warning",
        "Adminer",
        "adminer",
        "8080",
        "tcp",
        "anyport",
        "",
        "",
        "a database admin UI: one weak or empty database password away from the data",
        "https://hub.docker.com/_/adminer",
    ),
    (
        "admin",
        "warning",
        "pgAdmin 4",
        "pgadmin,pgadmin4",
        "80,443",
        "tcp",
        "anyport",
        "",
        "",
        "a PostgreSQL admin UI that stores server passwords",
        "https://www.pgadmin.org/docs/pgadmin4/latest/container_deployment.html",
    ),
    (
        "admin",
        "warning",
        "Node.js inspector",
        "node-inspector",
        "9229",
        "tcp",
        "",
        "",
        "",
        "the inspector runs any code in the process",
        "https://nodejs.org/en/learn/getting-started/debugging",
    ),
    (
        "admin",
        "warning",
        "debugpy",
        "debugpy",
        "5678",
        "tcp",
        "",
        "",
        "",
        "a debugger runs any code in the process",
        "https://github.com/microsoft/debugpy",
    ),
    (
        "admin",
        "warning",
        "Prometheus server",
        "prometheus",
        "9090",
        "tcp",
        "",
        "",
        "",
        "Prometheus has no authentication of its own: its UI and API show every target",
        "https://prometheus.io/docs/operating/security/",
    ),
]

# (severity, software, names, ports, door, note, source)
DOORS: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "error",
        "Redis with protected mode off",
        "redis,redis-server,redis-stack,redis-stack-server,valkey",
        "",
        r"arg:--protected-mode[\s=]+no\b",
        "protected mode off: clients from any address are served without a password",
        REDIS_DENIED,
    ),
    (
        "error",
        "Redis with an empty password variable",
        "redis,redis-server,redis-stack,redis-stack-server",
        "",
        r"env:^(?:REDIS_PASSWORD=$|ALLOW_EMPTY_PASSWORD=(?:yes|true|1)$)",
        "an empty password: the datastore accepts any client",
        "https://github.com/bitnami/containers/blob/main/bitnami/redis/README.md",
    ),
    (
        "error",
        "Docker daemon on plain TCP",
        "",
        "",
        r"arg:(?:-H|--host)[\s=]+tcp://(?:0\.0\.0\.0)?:(?P<port>2375)\b",
        "the Docker daemon API without TLS on every interface",
        DOCKER_SOCKET,
    ),
    (
        "error",
        "Traefik API in insecure mode",
        "traefik",
        "8080",
        r"arg:--api\.insecure(?:=true\b|\s|$)",
        "the API and dashboard on the traefik entry point (8080) without authentication",
        "https://doc.traefik.io/traefik/reference/install-configuration/api-dashboard/",
    ),
    (
        "error",
        "kubelet anonymous requests",
        "kubelet",
        "",
        r"arg:--anonymous-auth[\s=]+true\b",
        "anonymous requests to the kubelet API are allowed",
        "https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/",
    ),
    (
        "error",
        "MySQL / MariaDB root without a password",
        "mysql,mariadb,percona,percona-server",
        "",
        r"env:^(?:MYSQL_ALLOW_EMPTY_PASSWORD|MARIADB_ALLOW_EMPTY_ROOT_PASSWORD)=(?!\s*$|no$|false$|0$)",
        "the root account has an empty password",
        "https://hub.docker.com/_/mysql",
    ),
    (
        "error",
        "PostgreSQL trust authentication",
        "postgres,postgresql,postgis",
        "",
        r"env:^POSTGRES_HOST_AUTH_METHOD=trust$",
        "every connection is accepted without a password (trust)",
        "https://hub.docker.com/_/postgres",
    ),
    (
        "error",
        "Elasticsearch security turned off",
        "elasticsearch",
        "",
        r"env:^xpack\.security\.enabled=false$",
        "security turned off: the whole index is readable and writable without a password",
        "https://www.elastic.co/guide/en/elasticsearch/reference/current/security-settings.html",
    ),
    (
        "warning",
        "Node.js inspector on all interfaces",
        "",
        "9229",
        r"any:--inspect(?:-brk|-wait)?=(?:0\.0\.0\.0|\[::\]|\*)(?::(?P<port>\d+))?",
        "the inspector runs any code in the process",
        "https://nodejs.org/en/learn/getting-started/debugging",
    ),
    (
        "warning",
        "debugpy listening on all interfaces",
        "",
        "5678",
        r"arg:debugpy\b.*?(?P<at>--listen)[\s=]+(?:0\.0\.0\.0|\*):(?P<port>\d+)",
        "a debugger runs any code in the process",
        "https://github.com/microsoft/debugpy",
    ),
    (
        "warning",
        "Java debugger (JDWP) on all interfaces",
        "",
        "",
        r"any:(?:-agentlib:jdwp=|-Xrunjdwp:)\S*address=(?:\*|0\.0\.0\.0):(?P<port>\d+)",
        "JDWP runs any code in the JVM and has no authentication",
        "https://docs.oracle.com/en/java/javase/21/docs/specs/jpda/conninv.html",
    ),
]


def rows() -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for klass, sev, software, names, ports, protos, flags, auth, before, note, src in PROGRAMS:
        out.append((klass, sev, software, names, ports, protos, flags, auth, before, "", note, src))
    for sev, software, names, ports, door, note, src in DOORS:
        out.append(("door", sev, software, names, ports, "tcp", "", "", "", door, note, src))
    return out


def build() -> str:
    lines = [HEADER, "#" + "\t".join(COLUMNS)]
    for row in rows():
        for value in row:
            if "\t" in value or "\n" in value:
                raise SystemExit(f"a tab or newline in row {row[2]!r}")
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if argv:
        sys.stderr.write("usage: build_exposure.py > portlint/data/exposure.tsv\n")
        return 2
    sys.stdout.write(build())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
