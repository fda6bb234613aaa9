"""Build ``portlint/data/wellknown.tsv`` from the de facto ports survey.

A developer tool, never run at lint time. It reads the survey
(``defacto-ports.md``: one row per product and port, each with its sources),
attaches the curated facts below (identity names, class, flags) and appends
IANA-registered ports of software people commonly run. The output stands
alone: every row carries its sources as URLs.

    python tools/build_wellknown.py ../shared/data/defacto-ports.md > portlint/data/wellknown.tsv

A survey row this script has no curation for is an error, so a new survey
row cannot slip into the table without its identity names.
"""

from __future__ import annotations

import re
import sys

IANA_SOURCE = "https://www.iana.org/assignments/service-names-port-numbers/"
IANA_DATE = "2026-08-17"
SURVEY = (
    "shared/data/defacto-ports.md (143 products, sources per row); "
    "self-hosted defaults from their own docs (source per row)"
)

# Classes: datastore, cache, broker, search, admin, daemon (these six are
# "sensitive" for PL501), observability, web, dev, infra, mail, remote, vpn.
# Flags: generic (claimed by many programs: only repository conflicts count),
# squat (a de facto user of a port that belongs to other software: it never
# clears PL201), macos (taken by a macOS system service), host (an agent that runs on
# the machine itself, whatever its class: node_exporter, syslog, the Zabbix agent).
Curated = tuple[str, str, str, str]  # names, class, flags, note

CURATED: dict[str, Curated] = {
    "Mailpit / MailHog SMTP capture": ("mailpit,mailhog,mailcatcher,maildev", "mail", "", ""),
    "MailDev web UI": ("maildev,mailcatcher", "mail", "", ""),  # MailCatcher: 1025/1080 too
    "Hugo server": ("hugo", "dev", "generic", ""),
    "Oracle Database TNS listener": ("oracle,oracle-xe,oracle-free,oracledb", "datastore", "", ""),
    "Caddy admin API (localhost)": ("caddy", "admin", "", ""),
    "Apache ZooKeeper client port": ("zookeeper,cp-zookeeper", "daemon", "", ""),
    "Host port for container SSH (Gitea example maps 2222->22) *(convention)*": (
        "ssh,sshd,gitea,gitlab,openssh-server",
        "daemon",
        "generic",
        "",
    ),
    "Apache ZooKeeper follower (quorum) port": ("zookeeper,cp-zookeeper", "daemon", "", ""),
    "Aerospike service / fabric / heartbeat": ("aerospike", "datastore", "generic", ""),
    "Gitea web UI": ("gitea", "web", "generic", ""),
    "Grafana web UI": ("grafana", "observability", "generic", ""),
    "Next.js dev / start server": ("next,nextjs", "dev", "generic", ""),
    "Uptime Kuma web UI": ("uptime-kuma", "observability", "generic", ""),
    "Grafana Loki HTTP API": ("loki", "observability", "", ""),
    "Grafana Tempo HTTP API": ("tempo", "observability", "", ""),
    "Apache ZooKeeper leader-election port": ("zookeeper,cp-zookeeper", "daemon", "", ""),
    "LiteLLM proxy": ("litellm", "web", "generic", ""),
    "Phoenix (Elixir) dev server": ("phoenix", "dev", "generic", ""),
    "Apache Spark application UI": ("spark", "admin", "", ""),
    "NSQ nsqd TCP": ("nsqd,nsq", "broker", "", ""),
    "NSQ nsqadmin UI": ("nsqadmin,nsq", "admin", "", ""),
    "Vite preview server": ("vite", "dev", "generic", ""),
    "Angular CLI dev server (ng serve)": ("angular,ng", "dev", "generic", ""),
    "CrateDB HTTP / Admin UI": ("crate,cratedb", "datastore", "generic", ""),
    "NATS client port": ("nats", "broker", "", ""),
    "OpenTelemetry OTLP/HTTP receiver": (
        "otel,opentelemetry,otel-collector,opentelemetry-collector,jaeger,tempo,alloy",
        "observability",
        "",
        "",
    ),
    "Selenium Grid hub / standalone": (
        "selenium,standalone-chrome,standalone-firefox",
        "dev",
        "",
        "",
    ),
    "LocalStack edge gateway": ("localstack", "dev", "", ""),
    "Docker Distribution registry": ("registry,distribution", "infra", "", ""),
    "Flask development server": ("flask", "dev", "", ""),
    "MLflow tracking server": ("mlflow", "web", "", ""),
    "Logstash Beats input": ("logstash", "observability", "", ""),
    "Vite dev server": ("vite", "dev", "generic", ""),
    "Kibana": ("kibana,opensearch-dashboards", "admin", "", ""),
    "debugpy (Python debugger) listen port": ("debugpy", "dev", "generic", ""),
    "n8n workflow editor": ("n8n", "web", "", ""),
    "Hazelcast member / client port": ("hazelcast", "cache", "", ""),
    "Soketi / Laravel Echo Server (Pusher-compatible WebSockets)": (
        "soketi,laravel-echo-server",
        "web",
        "",
        "",
    ),
    "Storybook dev server *(secondary source)*": ("storybook", "dev", "generic", ""),
    "TensorBoard": ("tensorboard", "dev", "generic", ""),
    "Qdrant REST API": ("qdrant", "datastore", "", ""),
    "Ray head node GCS port (default --port)": (
        "ray,ray-head,kuberay",
        "daemon",
        "squat",
        "Ray's head node takes 6379 by default; start it with "
        "`ray start --head --port=<free port>`",
    ),
    "Kubernetes kube-apiserver (secure port)": (
        "kube-apiserver,kubernetes,k3s,kind,k3d,minikube",
        "admin",
        "",
        "",
    ),
    "OneDev web UI": ("onedev", "web", "", ""),
    "Apache Pulsar binary protocol": ("pulsar", "broker", "", ""),
    "Jaeger agent, compact Thrift": ("jaeger,jaeger-agent", "observability", "", ""),
    "Apache Cassandra inter-node gossip": ("cassandra,scylla,scylladb", "datastore", "", ""),
    "Apache Spark standalone master": ("spark,spark-master", "daemon", "", ""),
    "Temporal frontend gRPC": ("temporal,temporalite", "daemon", "", ""),
    "Meilisearch HTTP API": ("meilisearch", "search", "", ""),
    "Gradio apps / Langflow *(secondary source for Gradio)*": (
        "gradio,langflow",
        "dev",
        "generic",
        "",
    ),
    "Django runserver / Uvicorn (FastAPI) samples": (
        "django,uvicorn,fastapi",
        "dev",
        "generic",
        "",
    ),
    "Kong Gateway proxy (HTTP)": ("kong", "web", "generic", ""),
    "Splunk Web": ("splunk", "observability", "generic", ""),
    "SurrealDB HTTP/WebSocket": ("surrealdb", "datastore", "generic", ""),
    "vLLM OpenAI-compatible server": ("vllm,vllm-openai", "web", "generic", ""),
    "Kong Admin API": ("kong", "admin", "generic", ""),
    "Mailpit / MailHog web UI": ("mailpit,mailhog", "mail", "", ""),
    "Apache Tomcat HTTP connector": ("tomcat", "web", "generic", ""),
    "Apache ZooKeeper AdminServer": ("zookeeper", "admin", "generic", ""),
    "Jenkins web UI": ("jenkins", "web", "generic", ""),
    "Keycloak HTTP": ("keycloak", "web", "generic", ""),
    "Traefik dashboard / API": ("traefik", "admin", "generic", ""),
    "Vue CLI dev server (awesome-compose Vue sample)": ("vue,vue-cli", "dev", "generic", ""),
    "Confluent Schema Registry": ("schema-registry,cp-schema-registry", "web", "generic", ""),
    "Sonatype Nexus Repository": ("nexus,nexus3", "web", "generic", ""),
    "mongo-express web UI": ("mongo-express", "admin", "generic", ""),
    "Confluent REST Proxy": ("kafka-rest,cp-kafka-rest,rest-proxy", "web", "generic", ""),
    "Kafka Connect REST API": ("kafka-connect,cp-kafka-connect,connect", "admin", "", ""),
    "InfluxDB 1.x/2.x HTTP API": ("influxdb,influx", "datastore", "", ""),
    "Confluent ksqlDB server": (
        "ksqldb,ksqldb-server,cp-ksqldb-server",
        "datastore",
        "generic",
        "",
    ),
    "Splunk HTTP Event Collector (HEC)": ("splunk", "observability", "generic", ""),
    "Couchbase Server web console / REST": ("couchbase", "datastore", "", ""),
    "Typesense HTTP API": ("typesense", "search", "", ""),
    "ClickHouse HTTP interface": ("clickhouse,clickhouse-server", "datastore", "", ""),
    "StatsD listener (Telegraf statsd input, StatsD)": (
        "statsd,telegraf,datadog,dogstatsd",
        "observability",
        "",
        "",
    ),
    "Apache ActiveMQ web console": ("activemq,artemis", "admin", "", ""),
    "InfluxDB 3 HTTP API": ("influxdb,influxdb3,influx", "datastore", "", ""),
    "HashiCorp Vault API / UI": ("vault,openbao", "admin", "", ""),
    "HashiCorp Vault cluster (server-to-server)": ("vault,openbao", "daemon", "", ""),
    "NATS HTTP monitoring": ("nats", "admin", "", ""),
    "Ray dashboard": ("ray,ray-head,kuberay", "admin", "", ""),
    "Consul server RPC": ("consul", "daemon", "", ""),
    "Consul Serf LAN gossip": ("consul", "daemon", "", ""),
    "VictoriaMetrics single-node HTTP": ("victoriametrics,victoria-metrics", "datastore", "", ""),
    "Kong Gateway proxy (HTTPS)": ("kong", "web", "generic", ""),
    "code-server (VS Code in browser)": ("code-server", "dev", "generic", ""),
    "Consul HTTP API / UI": ("consul", "admin", "", ""),
    "Streamlit server": ("streamlit", "dev", "generic", ""),
    "Ethereum JSON-RPC dev node (Hardhat, Anvil)": ("hardhat,anvil,foundry,ganache", "dev", "", ""),
    "Consul DNS interface": ("consul", "daemon", "", ""),
    "Jupyter Notebook / JupyterLab": ("jupyter,jupyterlab,notebook", "dev", "generic", ""),
    "Apache Solr admin / HTTP API": ("solr", "search", "", ""),
    "ClickHouse native TCP protocol": ("clickhouse,clickhouse-server", "datastore", "", ""),
    "Graylog web UI / REST API": ("graylog", "admin", "", ""),
    "MinIO S3 API": ("minio", "datastore", "", ""),
    "PHP-FPM FastCGI (official php:fpm image)": ("php-fpm,php,fpm", "daemon", "", ""),
    "SonarQube web": ("sonarqube", "web", "", ""),
    "MinIO console": ("minio", "admin", "", ""),
    "Xdebug 3 step debugger (client_port)": ("xdebug", "dev", "generic", ""),
    "Confluent Control Center UI": ("control-center,cp-enterprise-control-center", "admin", "", ""),
    "Apache Cassandra CQL native transport": ("cassandra,scylla,scylladb", "datastore", "", ""),
    "Prometheus server UI / API": ("prometheus", "observability", "", ""),
    "Prometheus Pushgateway": ("pushgateway", "observability", "", ""),
    "Apache Kafka broker (also Redpanda Kafka API)": (
        "kafka,cp-kafka,cp-server,redpanda,kraft",
        "broker",
        "",
        "",
    ),
    "InfluxData Kapacitor HTTP API": ("kapacitor", "observability", "", ""),
    "Prometheus Alertmanager": ("alertmanager", "observability", "", ""),
    "Prometheus node_exporter": ("node-exporter,node_exporter", "observability", "host", ""),
    "Kafka broker JMX (cp-all-in-one convention)": ("kafka,cp-kafka,cp-server", "admin", "", ""),
    "Prometheus blackbox_exporter": (
        "blackbox-exporter,blackbox_exporter",
        "observability",
        "",
        "",
    ),
    "Prometheus redis_exporter": ("redis-exporter,redis_exporter", "observability", "", ""),
    "Prometheus postgres_exporter": (
        "postgres-exporter,postgres_exporter,postgresql-exporter",
        "observability",
        "",
        "",
    ),
    "Elasticsearch / OpenSearch REST API": ("elasticsearch,opensearch,elastic", "search", "", ""),
    "Node.js inspector (--inspect)": ("node-inspector", "dev", "generic", ""),
    "Elasticsearch transport (node-to-node)": (
        "elasticsearch,opensearch,elastic",
        "search",
        "",
        "",
    ),
    "Zipkin-compatible span ingest (Zipkin, Jaeger)": ("zipkin,jaeger", "observability", "", ""),
    "Portainer HTTPS UI / authentik HTTPS": ("portainer,authentik", "admin", "generic", ""),
    "Logstash monitoring API / OpenSearch Performance Analyzer": (
        "logstash,opensearch",
        "admin",
        "",
        "",
    ),
    "Redpanda Admin API": ("redpanda", "admin", "", ""),
    "Splunk forwarder-to-indexer (S2S)": ("splunk,universalforwarder", "observability", "", ""),
    "Azurite Blob / Queue / Table services": (
        "azurite,azure-storage-emulator",
        "datastore",
        "",
        "",
    ),
    "Kubernetes kubelet API": ("kubelet,kubernetes", "daemon", "", ""),
    "Kubernetes kube-controller-manager (secure port)": (
        "kube-controller-manager,kubernetes",
        "daemon",
        "",
        "",
    ),
    "Kubernetes kube-scheduler (secure port)": ("kube-scheduler,kubernetes", "daemon", "", ""),
    "Thanos sidecar / store gRPC (querier discovery)": ("thanos", "observability", "", ""),
    "beanstalkd work queue": ("beanstalkd", "broker", "", ""),
    "Graylog GELF input": ("graylog", "observability", "", ""),
    "Jaeger collector HTTP (Thrift)": ("jaeger,jaeger-collector", "observability", "", ""),
    "Istio sidecar: health checks": ("istio,istio-proxy,envoy", "infra", "", ""),
    "Istio sidecar: Envoy Prometheus telemetry": ("istio,istio-proxy,envoy", "infra", "", ""),
    "RabbitMQ management UI / HTTP API": ("rabbitmq,rabbit", "admin", "", ""),
    "Redis Cluster bus (data port + 10000)": ("redis,valkey,keydb,redis-cluster", "cache", "", ""),
    "Jaeger UI / query HTTP": ("jaeger,jaeger-query,all-in-one", "observability", "", ""),
    "EMQX dashboard": ("emqx", "admin", "", ""),
    "Netdata agent dashboard": ("netdata", "observability", "host", ""),
    "Fluentd / Fluent Bit forward input": ("fluentd,fluent-bit,fluentbit", "observability", "", ""),
    "RabbitMQ inter-node / CLI (Erlang distribution)": ("rabbitmq,rabbit", "broker", "", ""),
    "Redis Sentinel": ("redis-sentinel,sentinel,redis,valkey", "cache", "", ""),
    "Kubernetes NodePort Service range (default)": ("", "", "skip", ""),  # PL304's business
    "Jenkins inbound agent (JNLP) port": ("jenkins,jenkins-agent,inbound-agent", "daemon", "", ""),
    "WireGuard VPN": ("wireguard,wg-easy", "vpn", "", ""),
    "STOMP (RabbitMQ plugin, ActiveMQ)": ("rabbitmq,activemq,artemis,stomp", "broker", "", ""),
    "Apache ActiveMQ OpenWire": ("activemq,artemis", "broker", "", ""),
    "OpenTelemetry OTLP/gRPC receiver": (
        "otel,opentelemetry,otel-collector,opentelemetry-collector,jaeger,tempo,alloy",
        "observability",
        "",
        "",
    ),
    "Neo4j HTTP (Browser)": ("neo4j", "admin", "", ""),
    "Neo4j Bolt protocol": ("neo4j,memgraph", "datastore", "", ""),
    "Ollama API": ("ollama", "web", "", ""),
    "CockroachDB SQL + inter-node RPC": ("cockroach,cockroachdb", "datastore", "", ""),
    "MySQL X Protocol (mysqlx)": ("mysql,mysqlx,mysql-server", "datastore", "", ""),
}

# IANA-registered ports of software people commonly run, with the names that
# software goes by in images and service names. (port, end, protocols, software,
# names, class, flags, note)
IANA_ROWS: list[tuple[int, int | None, str, str, str, str, str, str]] = [
    (21, None, "tcp", "FTP control", "ftp,vsftpd,pure-ftpd,proftpd", "daemon", "", ""),
    (22, None, "tcp", "SSH", "ssh,sshd,openssh,openssh-server", "remote", "", ""),
    (23, None, "tcp", "Telnet", "telnet,telnetd", "daemon", "", ""),
    (
        25,
        None,
        "tcp",
        "SMTP",
        "smtp,postfix,exim,sendmail,mailserver,docker-mailserver",
        "mail",
        "",
        "",
    ),
    (
        53,
        None,
        "tcp,udp",
        "DNS",
        "dns,bind,bind9,named,coredns,dnsmasq,unbound,pihole,pi-hole,adguardhome",
        "infra",
        "",
        "",
    ),
    (
        80,
        None,
        "tcp",
        "HTTP",
        "http,nginx,httpd,apache,caddy,traefik,haproxy,envoy",
        "web",
        "generic",
        "",
    ),
    (110, None, "tcp", "POP3", "pop3,dovecot", "mail", "", ""),
    (111, None, "tcp,udp", "ONC RPC portmapper", "rpcbind,portmap", "daemon", "", ""),
    (123, None, "udp", "NTP", "ntp,ntpd,chrony,chronyd", "infra", "", ""),
    (143, None, "tcp", "IMAP", "imap,dovecot", "mail", "", ""),
    (161, None, "udp", "SNMP", "snmp,snmpd", "daemon", "", ""),
    (389, None, "tcp", "LDAP", "ldap,openldap,slapd,389ds", "daemon", "", ""),
    (
        443,
        None,
        "tcp,udp",
        "HTTPS",
        "https,nginx,httpd,apache,caddy,traefik,haproxy,envoy",
        "web",
        "generic",
        "",
    ),
    (445, None, "tcp", "SMB", "smb,samba,smbd", "daemon", "", ""),
    (514, None, "udp", "syslog", "syslog,rsyslog,syslog-ng", "observability", "host", ""),
    (
        587,
        None,
        "tcp",
        "SMTP submission",
        "smtp,postfix,exim,mailserver,docker-mailserver",
        "mail",
        "",
        "",
    ),
    (636, None, "tcp", "LDAP over TLS", "ldaps,ldap,openldap,slapd", "daemon", "", ""),
    (873, None, "tcp", "rsync daemon", "rsync,rsyncd", "daemon", "", ""),
    (993, None, "tcp", "IMAP over TLS", "imaps,dovecot", "mail", "", ""),
    (995, None, "tcp", "POP3 over TLS", "pop3s,dovecot", "mail", "", ""),
    (
        1433,
        None,
        "tcp",
        "Microsoft SQL Server",
        "mssql,sqlserver,mssql-server,azure-sql-edge",
        "datastore",
        "",
        "",
    ),
    (
        1883,
        None,
        "tcp",
        "MQTT",
        "mqtt,mosquitto,eclipse-mosquitto,emqx,hivemq,vernemq,rabbitmq",
        "broker",
        "",
        "",
    ),
    (2049, None, "tcp,udp", "NFS", "nfs,nfsd,nfs-server", "daemon", "", ""),
    (
        2375,
        None,
        "tcp",
        "Docker Engine API (plain)",
        "docker,dockerd,dind,docker-dind",
        "daemon",
        "",
        "",
    ),
    (
        2376,
        None,
        "tcp",
        "Docker Engine API (TLS)",
        "docker,dockerd,dind,docker-dind",
        "daemon",
        "",
        "",
    ),
    (2379, None, "tcp", "etcd client API", "etcd", "datastore", "", ""),
    (2380, None, "tcp", "etcd peer API", "etcd", "datastore", "", ""),
    (3128, None, "tcp", "Squid proxy", "squid", "web", "", ""),
    (
        3306,
        None,
        "tcp",
        "MySQL / MariaDB",
        "mysql,mariadb,mysql-server,percona,percona-server,tidb,vitess",
        "datastore",
        "",
        "",
    ),
    (3389, None, "tcp", "Remote Desktop (RDP)", "rdp,xrdp,rdesktop", "remote", "", ""),
    (3478, None, "tcp,udp", "STUN/TURN", "stun,turn,coturn", "infra", "", ""),
    (
        4369,
        None,
        "tcp",
        "Erlang port mapper (epmd)",
        "epmd,rabbitmq,couchdb,erlang",
        "daemon",
        "",
        "",
    ),
    (4730, None, "tcp", "Gearman", "gearman,gearmand", "broker", "", ""),
    (5353, None, "udp", "mDNS", "mdns,avahi,avahi-daemon", "infra", "", ""),
    (
        5432,
        None,
        "tcp",
        "PostgreSQL",
        "postgresql,postgres,postgis,timescaledb,timescaledb-ha,pgvector,supabase-postgres,pg,citus,yugabyte",
        "datastore",
        "",
        "",
    ),
    (
        5671,
        None,
        "tcp",
        "AMQP over TLS",
        "amqps,amqp,rabbitmq,rabbit,activemq,artemis,qpid",
        "broker",
        "",
        "",
    ),
    (
        5672,
        None,
        "tcp",
        "AMQP (RabbitMQ, ActiveMQ)",
        "amqp,rabbitmq,rabbit,activemq,artemis,qpid",
        "broker",
        "",
        "",
    ),
    (5900, None, "tcp", "VNC", "vnc,x11vnc,tigervnc,novnc", "daemon", "", ""),
    (5984, None, "tcp", "CouchDB", "couchdb,couch", "datastore", "", ""),
    (
        6379,
        None,
        "tcp",
        "Redis (also Valkey, KeyDB, Dragonfly)",
        "redis,valkey,keydb,dragonfly,dragonflydb,redis-stack,redis-stack-server,garnet,kvrocks",
        "cache",
        "",
        "",
    ),
    (
        8883,
        None,
        "tcp",
        "MQTT over TLS",
        "mqtt,mosquitto,eclipse-mosquitto,emqx,hivemq,vernemq",
        "broker",
        "",
        "",
    ),
    (9418, None, "tcp", "git daemon", "git,git-daemon", "infra", "", ""),
    (
        10050,
        None,
        "tcp",
        "Zabbix agent",
        "zabbix-agent,zabbix-agent2,zabbix",
        "observability",
        "host",
        "",
    ),
    (
        10051,
        None,
        "tcp",
        "Zabbix server / trapper",
        "zabbix-server,zabbix,zabbix-server-pgsql,zabbix-server-mysql",
        "observability",
        "",
        "",
    ),
    (11211, None, "tcp", "Memcached", "memcached,memcache", "cache", "", ""),
    (
        27017,
        None,
        "tcp",
        "MongoDB",
        "mongodb,mongo,percona-server-mongodb,ferretdb",
        "datastore",
        "",
        "",
    ),
]

# Defaults of self-hosted software, each from the product's own documentation
# (one URL per row, in the last field). They mostly make a port *shared*: a
# port with several popular owners names nobody (PL201, PL501), and a program
# on its own default port, even in the dynamic range, is at home (PL301).
# (port, end, protocols, software, names, class, flags, note, source)
SOURCED_ROWS: list[tuple[int, int | None, str, str, str, str, str, str, str]] = [
    (
        9091,
        None,
        "tcp",
        "Transmission web UI / RPC",
        "transmission,transmission-daemon",
        "web",
        "",
        "",
        "https://github.com/transmission/transmission/blob/main/docs/Editing-Configuration-Files.md",
    ),
    (
        51413,
        None,
        "tcp,udp",
        "Transmission peer port",
        "transmission,transmission-daemon",
        "infra",
        "",
        "",
        "https://github.com/transmission/transmission/blob/main/docs/Editing-Configuration-Files.md",
    ),
    (
        9091,
        None,
        "tcp",
        "Authelia portal",
        "authelia",
        "web",
        "",
        "",
        "https://www.authelia.com/configuration/miscellaneous/server/",
    ),
    (
        9000,
        None,
        "tcp",
        "Portainer HTTP UI (legacy)",
        "portainer,portainer-ce,portainer-ee",
        "web",
        "",
        "",
        "https://docs.portainer.io/start/install-ce/server/docker/linux",
    ),
    (
        9000,
        None,
        "tcp",
        "authentik HTTP",
        "authentik,authentik-server",
        "web",
        "",
        "",
        "https://docs.goauthentik.io/docs/install-config/install/docker-compose",
    ),
    (
        8200,
        None,
        "tcp",
        "Duplicati web UI",
        "duplicati",
        "web",
        "",
        "",
        "https://docs.linuxserver.io/images/docker-duplicati/",
    ),
    (
        9200,
        None,
        "tcp",
        "ownCloud Infinite Scale (oCIS) proxy",
        "ocis,owncloud-ocis",
        "web",
        "",
        "",
        "https://owncloud.dev/services/proxy/",
    ),
    (
        8384,
        None,
        "tcp",
        "Syncthing web GUI",
        "syncthing",
        "web",
        "",
        "",
        "https://docs.syncthing.net/users/firewall.html",
    ),
    (
        22000,
        None,
        "tcp,udp",
        "Syncthing sync protocol",
        "syncthing",
        "infra",
        "",
        "",
        "https://docs.syncthing.net/users/firewall.html",
    ),
    (
        21027,
        None,
        "udp",
        "Syncthing local discovery",
        "syncthing",
        "infra",
        "",
        "",
        "https://docs.syncthing.net/users/firewall.html",
    ),
    (
        9001,
        None,
        "tcp",
        "Mosquitto WebSockets listener (Docker image convention)",
        "mosquitto,eclipse-mosquitto",
        "broker",
        "",
        "",
        "https://hub.docker.com/_/eclipse-mosquitto",
    ),
    (
        51821,
        None,
        "tcp",
        "wg-easy web UI",
        "wg-easy",
        "web",
        "",
        "",
        "https://github.com/wg-easy/wg-easy#readme",
    ),
    (
        53842,
        None,
        "tcp",
        "Gokapi web UI",
        "gokapi",
        "web",
        "",
        "",
        "https://gokapi.readthedocs.io/en/latest/setup.html",
    ),
    (
        50443,
        None,
        "tcp",
        "headscale gRPC API",
        "headscale",
        "infra",
        "",
        "",
        "https://github.com/juanfont/headscale/blob/main/config-example.yaml",
    ),
    (
        3478,
        None,
        "udp",
        "UniFi Network Application STUN",
        "unifi,unifi-controller,unifi-network-application",
        "infra",
        "",
        "",
        "https://help.ui.com/hc/en-us/articles/218506997",
    ),
    (
        6001,
        None,
        "tcp",
        "Pusher-protocol WebSocket server (Soketi, Laravel Echo Server)",
        "soketi,laravel-echo-server",
        "web",
        "",
        "",
        "https://docs.soketi.app/getting-started/environment-variables "
        "https://github.com/tlaverdure/laravel-echo-server#readme",
    ),
]

# Names added to rows whose port facts come from elsewhere: programs that are
# that protocol's server (Mailu's front is its SMTP/IMAP/POP3 server, MailDev
# and Mailpit are SMTP servers, Firezone is a WireGuard server).
EXTRA_NAMES: dict[str, str] = {
    "SMTP": "mailu,mailcow,maildev,mailpit,mailhog,mailcatcher",
    "SMTP submission": "mailu,mailcow",
    "POP3": "mailu,mailcow",
    "IMAP": "mailu,mailcow",
    "IMAP over TLS": "mailu,mailcow",
    "POP3 over TLS": "mailu,mailcow",
    "WireGuard VPN": "firezone",
    # Debian and Ubuntu package Apache httpd as apache2; OpenResty is nginx with
    # LuaJIT and serves HTTP on 80 like it: https://openresty.org/en/getting-started.html
    "HTTP": "apache2,openresty",
    "HTTPS": "apache2,openresty",
    # The Cloud SQL Auth Proxy speaks the database's own protocol on its port:
    # https://cloud.google.com/sql/docs/mysql/sql-proxy
    "MySQL / MariaDB": "cloud-sql-proxy,cloudsql-proxy",
    "PostgreSQL": "cloud-sql-proxy,cloudsql-proxy",
}

APPLE_SOURCE = "https://support.apple.com/en-us/103229"
AIRPLAY_NOTE = (
    "on macOS, turn off AirPlay Receiver (System Settings > General > AirDrop & Handoff) "
    "or pick another port"
)
# Ports macOS itself listens on (Monterey and later): the AirPlay receiver.
MACOS_ROWS = [
    (
        port,
        None,
        "tcp",
        "macOS AirPlay Receiver",
        "airplay,airplay-receiver",
        "daemon",
        "macos",
        AIRPLAY_NOTE,
    )
    for port in (5000, 7000)
]

_ROW = re.compile(r"^\| (\d+(?:-\d+)?) \| ([a-z+]+) \| (.+?) \| (.+?) \| (.+?) \|\s*$")
_LINK = re.compile(r"^\[([\w-]+)\]: (\S+)\s*$")


def _clean(text: str) -> str:
    for char in "\t\n\r":
        text = text.replace(char, " ")
    return text.strip()


def build(markdown: str) -> str:
    links = dict(m.groups() for m in map(_LINK.match, markdown.splitlines()) if m)
    rows: list[tuple[int, int | None, str, str, str, str, str, str, str]] = []
    in_tables = False
    for line in markdown.splitlines():
        if line.startswith("## Main table"):
            in_tables = True
        elif line.startswith("For contrast"):
            in_tables = False
        match = _ROW.match(line) if in_tables else None
        if not match:
            continue
        port_text, protocols, software, _iana, refs = match.groups()
        if software not in CURATED:
            raise SystemExit(f"no curation for survey row {software!r}: add it to CURATED")
        names, klass, flags, note = CURATED[software]
        if flags == "skip":
            continue
        start, _, end = port_text.partition("-")
        keys = dict.fromkeys(re.findall(r"\[([\w-]+)\]", refs))  # ordered, without repeats
        urls = " ".join(links[key] for key in keys)
        label = re.sub(r"\s*\*\(.*?\)\*", "", software)
        rows.append(
            (
                int(start),
                int(end) if end else None,
                protocols.replace("+", ","),
                _clean(label),
                names,
                klass,
                flags,
                note,
                urls,
            )
        )
    for port, end, protocols, software, names, klass, flags, note in IANA_ROWS:
        rows.append((port, end, protocols, software, names, klass, flags, note, IANA_SOURCE))
    for port, end, protocols, software, names, klass, flags, note in MACOS_ROWS:
        rows.append((port, end, protocols, software, names, klass, flags, note, APPLE_SOURCE))
    rows.extend(SOURCED_ROWS)
    rows = [
        (*row[:4], f"{row[4]},{EXTRA_NAMES[row[3]]}" if row[3] in EXTRA_NAMES else row[4], *row[5:])
        for row in rows
    ]
    rows.sort(key=lambda r: (r[0], r[1] or r[0], r[3]))
    out = [
        f"#portlint-wellknown\t1\tsources: {SURVEY}; IANA registry {IANA_DATE} ({IANA_SOURCE})",
        "#port\tend\tprotocols\tsoftware\tnames\tclass\tflags\tnote\tsources",
    ]
    for row in rows:
        out.append("\t".join("" if v is None else str(v) for v in row))
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: build_wellknown.py PATH/TO/defacto-ports.md\n")
        return 2
    with open(argv[0], encoding="utf-8") as fh:
        sys.stdout.write(build(fh.read()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
