"""PL1xx: port numbers and specs that are wrong on their face.

Scanners detect these while parsing (a spec that does not parse yields no
binding for the other rules), so they are scanner-scope rules.
"""

from __future__ import annotations

from portlint.findings import Severity
from portlint.rules.base import FixInfo, scanner_rule


@scanner_rule("PL101", "port-out-of-range", severity=Severity.ERROR)
def port_out_of_range() -> None:
    """A port number outside 0-65535, or 0 where a fixed port is required.

    ## When it fires
    A port is written as a number above 65535 (`"70000:80"`), below 0, or as 0
    in a place that needs a real port (a container port, a `containerPort`).

    ## Why it matters
    TCP, UDP and SCTP ports are 16-bit numbers. The engine refuses the file at
    deploy time, or worse, a tool truncates the number silently.

    ## How to fix
    Use a port between 1 and 65535. `portlint suggest` proposes free ones.

    ## How to silence
    `# portlint: ignore[PL101]` at the end of the line or alone on the line above.
    """


@scanner_rule(
    "PL102",
    "invalid-port-spec",
    severity=Severity.ERROR,
    fix=FixInfo("upper-case a lower-case Kubernetes protocol", "safe"),
)
def invalid_port_spec() -> None:
    """A port specification that does not parse.

    ## When it fires
    A Compose `ports:` or `expose:` entry, a Dockerfile `EXPOSE`, or another
    port field that Docker Compose or the tool reading it would reject: no
    number (`"tcp"`, `""`), a reversed range (`"9000-8000:80"`), an unknown
    protocol (`"80/xyz"`), a host name where an IP address belongs
    (`"localhost:1234:1234"`), a malformed IP (`"127.0.1:8080:80"`), a mapping
    where only a port is allowed (`expose: ["8080:8080"]`). A digit string of
    six or more digits (`"9999999"`) is not read as a port at all and lands
    here rather than in PL101.

    ## Why it matters
    `docker compose up` stops with an error, usually far from the commit that
    introduced it.

    ## How to fix
    Write the entry as `[IP:][HOST:]CONTAINER[/PROTOCOL]` with literal IP
    addresses, ascending ranges and `tcp`, `udp` or `sctp`.

    ## How to silence
    `# portlint: ignore[PL102]` at the end of the line or alone on the line above.
    """


@scanner_rule("PL103", "port-range-mismatch", severity=Severity.ERROR)
def port_range_mismatch() -> None:
    """Host and container ranges of different lengths.

    ## When it fires
    Both sides of a mapping are ranges and they differ in length
    (`"80-81:8080-8082"`), or the host side is one port and the container
    side a range.

    ## Why it matters
    Ranges map pairwise; Compose rejects a mapping whose sides cannot pair up.

    ## How to fix
    Make both ranges the same length, or map one container port from a host
    range (`"8000-8010:80"`), which lets the engine pick a free host port.

    ## How to silence
    `# portlint: ignore[PL103]` at the end of the line or alone on the line above.
    """


@scanner_rule(
    "PL104",
    "unset-port-variable",
    severity=Severity.WARNING,
    fix=FixInfo("give `${VAR}` the default the env template (`.env.example`...) sets", "unsafe"),
)
def unset_port_variable() -> None:
    """A port that stays unresolved after variable interpolation.

    ## When it fires
    A Compose port is written with a variable (`"${API_PORT}:80"`) that
    neither the `.env` file beside the compose file, `--env-file`, nor (with
    `--use-environment`) the process environment defines, and no default is
    given. The variables are the ones Compose would use: a folder without
    `.env` that ships a template (`.env.example`, `.env.sample`, `.env.dist`,
    `env-example`) is read from the template, since the documented setup
    copies it. A file pulled in by another compose file's `include` is read
    as part of that project, with the include's `env_file` (or the `.env` of
    its `project_directory`) under the including project's own variables;
    it is not also judged on its own. In a Dockerfile, an `EXPOSE $PORT`
    whose `PORT` no `ARG` or `ENV` default defines fires too.

    ## Why it matters
    Compose replaces an unset variable with an empty string: `"${UNSET}:80"`
    becomes `":80"` and the service is published on a random host port, so
    clients configured for a fixed port fail. A Dockerfile's `EXPOSE $PORT`
    with no default documents no port at all.

    ## How to fix
    Define the variable in `.env`, or give a default: `"${API_PORT:-8080}:80"`;
    in a Dockerfile, `ARG PORT=8080` before the `EXPOSE`.

    ## How to silence
    `# portlint: ignore[PL104]` at the end of the line or alone on the line above.
    """


@scanner_rule(
    "PL105",
    "unquoted-port-mapping",
    severity=Severity.NOTE,
    fix=FixInfo("quote the entry", "safe"),
)
def unquoted_port_mapping() -> None:
    """An unquoted `HOST:CONTAINER` that YAML 1.1 reads as a base-60 number.

    ## When it fires
    A plain (unquoted) YAML scalar in `ports:` or `expose:` whose parts after
    the first are all below 60, such as `- 22:22` or `- 2222:22`. YAML 1.1 reads it as a
    sexagesimal integer (`22:22` is 1342). Quoting style alone is never a
    finding: `- 8080:80` parses as a string and is left alone.

    ## Why it matters
    Docker Compose v2 reads YAML 1.2 and gets the text right, so for Compose
    itself this is a note, not a problem. PyYAML-based tools (the retired
    Compose v1, Ansible, many CI helpers) receive 1342 and publish the wrong
    port.

    ## How to fix
    Quote the entry: `- "22:22"`.

    ## How to silence
    `# portlint: ignore[PL105]` at the end of the line or alone on the line above.
    """


RULES = (
    port_out_of_range,
    invalid_port_spec,
    port_range_mismatch,
    unset_port_variable,
    unquoted_port_mapping,
)
