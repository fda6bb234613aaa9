"""A cached run prints what an uncached one prints, after every edit of a random history.

A generated project (compose files with an override and a ``.env`` it
interpolates, Kubernetes manifests, generic YAML, JSON and TOML, Dockerfiles,
two allocation files, a config file) goes through a seeded sequence of edits:
files added, deleted, moved and rewritten, ``.env`` values changed, the
configuration changed, the allocation file switched, a baseline written. After
every step ``portlint check`` runs with the cache and with ``--no-cache``, over
the whole project and as pre-commit runs it (one named file), and the outputs
must be equal byte for byte; so must ``portlint ports`` with and without the cache.

``PORTLINT_DIFF_STEPS`` sets the number of steps (default 300) and
``PORTLINT_DIFF_SEED`` the seed (default: a fixed one); a failure prints both.
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest

from portlint.engine import cache
from tests.conftest import run_cli

STEPS = int(os.environ.get("PORTLINT_DIFF_STEPS", "300"))
SEED = int(os.environ.get("PORTLINT_DIFF_SEED", "1414"))

# Few numbers, so claims collide, land in ranges and on registered ports often.
PORTS = (22, 80, 443, 3000, 5432, 6379, 8080, 8081, 9000, 30080, 31000, 50000)
OLD = 1_600_000_000  # a fixed mtime: edits that keep size and mtime must still be seen

CONFIGS = (
    "",
    'ignore = ["PL402"]\n',
    'allocations = ["ports-a.toml"]\n',
    'allocations = ["ports-b.toml"]\n',
    'ephemeral-range = "49152-65535"\n',
    'baseline = "baseline.json"\n',
    '[tool.portlint.severity]\nPL401 = "warning"\n',
    '[tool.portlint.rules.PL402]\nindependent = ["app*"]\n',
    '[tool.portlint.rules.PL402]\nrun-together = [["app0", "k8s"]]\n',
    'select = ["PL4", "PL3"]\n',
    'env-files = ["app0/.env"]\n',
)


def _port(rng: random.Random) -> int:
    return rng.choice(PORTS)


def _maybe_ignore(rng: random.Random) -> str:
    return "  # portlint: ignore[PL401]" if rng.random() < 0.15 else ""


def compose(rng: random.Random, n: int) -> str:
    """Sometimes with a port range, and joined to other projects by an external
    network or a container name (the run groups PL402 reads)."""
    lo = _port(rng)
    ranged = f'      - "{lo}-{lo + 2}:{lo}-{lo + 2}"\n' if rng.random() < 0.3 else ""
    joined = rng.random() < 0.4
    named = f"    container_name: c{n % 3}\n" if rng.random() < 0.3 else ""
    refers = f"    environment:\n      API_HOST: c{(n + 1) % 3}\n" if rng.random() < 0.3 else ""
    text = (
        "services:\n"
        f"  web{n}:\n"
        "    image: nginx:1.27\n"
        f"{named}{refers}"
        "    ports:\n"
        f'      - "${{WEB_PORT:-{_port(rng)}}}:80"{_maybe_ignore(rng)}\n'
        f'      - "{_port(rng)}:{_port(rng)}"\n'
        f"{ranged}" + ("    networks: [shared]\n" if joined else "") + f"  db{n}:\n"
        "    image: postgres:16\n"
        f'    ports: ["127.0.0.1:{_port(rng)}:5432"]\n'
    )
    if joined:
        text += "networks:\n  shared:\n    external: true\n"
    return text


def override(rng: random.Random, n: int) -> str:
    entry = f'"${{ADMIN_PORT}}:{_port(rng)}"{_maybe_ignore(rng)}'
    return f"services:\n  web{n}:\n    ports:\n      - {entry}\n"


def dotenv(rng: random.Random, n: int) -> str:
    lines = [f"# app {n}", f"WEB_PORT={_port(rng)}"]
    if rng.random() < 0.8:  # else ADMIN_PORT is unset (PL104 in the override)
        lines.append(f"ADMIN_PORT={_port(rng)}")
    lines.append(f"DATABASE_URL=postgres://app@db:{_port(rng)}/app")
    return "\n".join(lines) + "\n"


def k8s(rng: random.Random, n: int) -> str:
    if rng.random() < 0.25:  # one pod, two containers (PL403), a named targetPort (PL405)
        name = rng.choice(("http", "web"))
        return (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
            f"  name: pod{n}\n  namespace: ns{n % 3}\nspec:\n  template:\n    spec:\n"
            "      containers:\n"
            f"        - name: a\n          image: node:20\n          ports:\n"
            f"            - containerPort: {_port(rng)}\n              name: http\n"
            f"        - name: b\n          image: redis:7\n          ports:\n"
            f"            - containerPort: {_port(rng)}\n"
            "---\napiVersion: v1\nkind: Service\nmetadata:\n"
            f"  name: pod{n}\n  namespace: ns{n % 3}\nspec:\n  ports:\n"
            f"    - port: {_port(rng)}\n      targetPort: {name}\n"
        )
    if rng.random() < 0.5:
        return (
            "apiVersion: v1\nkind: Service\nmetadata:\n"
            f"  name: svc{n}\n  namespace: ns{n % 3}\nspec:\n  type: NodePort\n  ports:\n"
            f"    - port: {_port(rng)}\n      targetPort: 8080\n      nodePort: {_port(rng)}\n"
        )
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
        f"  name: web{n}\n  namespace: ns{n % 3}\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: app\n          image: node:20\n          ports:\n"
        f"            - containerPort: {_port(rng)}\n              hostPort: {_port(rng)}\n"
    )


def generic_yaml(rng: random.Random, n: int) -> str:
    if rng.random() < 0.3:
        return f"name: job{n}\nreplicas: {rng.randint(1, 5)}\nlabels: [a, b]\n"
    return f"server:\n  port: {_port(rng)}\nupstream: http://api{n}:{_port(rng)}/v1\n"


def generic_json(rng: random.Random, n: int) -> str:
    if rng.random() < 0.3:
        return f'{{"name": "app{n}", "debug": true}}\n'
    return f'{{"name": "app{n}", "server": {{"port": {_port(rng)}}}}}\n'


def generic_toml(rng: random.Random, n: int) -> str:
    if rng.random() < 0.3:
        return f'title = "app{n}"\n'
    return f"[server]\nport = {_port(rng)}\n\n[[services]]\ninternal_port = {_port(rng)}\n"


def dockerfile(rng: random.Random, n: int) -> str:
    return f'FROM node:20\nEXPOSE {_port(rng)}\nCMD ["node", "app{n}.js"]\n'


def allocations(rng: random.Random, _n: int) -> str:
    ports = rng.sample(PORTS, 3)
    return "".join(
        f'[[allocation]]\nport = {p}\nservice = "web{i}"\n\n' for i, p in enumerate(ports)
    )


# Where each kind of file may live: a few folders, so moves and adds collide with paths.
KINDS = {
    "compose": (
        compose,
        ("app0/docker-compose.yml", "app1/docker-compose.yml", "app2/compose.yaml"),
    ),
    "yaml": (generic_yaml, ("config/a.yaml", "config/b.yml", "app1/settings.yaml")),
    "json": (generic_json, ("config/c.json", "app2/settings.json")),
    "toml": (generic_toml, ("config/d.toml", "app0/fly.toml")),
    "k8s": (k8s, ("k8s/a.yaml", "k8s/b.yaml", "k8s/c.yaml")),
    "dockerfile": (dockerfile, ("app0/Dockerfile", "app1/Dockerfile")),
}


class Project:
    """The files on disk, as a dict kept in step with them."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.files: dict[str, str] = {}
        self.counter = 0
        self.config = ""

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if self.rng.random() < 0.5:  # an old, shared mtime: only ctime and content tell
            os.utime(path, (OLD, OLD))
        self.files[rel] = text

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()
        del self.files[rel]

    def set_config(self, body: str) -> None:
        self.config = body
        head, table, rest = body.partition("[tool.portlint.")
        text = "[tool.portlint]\n" + head + (table + rest if table else "")
        self.write("pyproject.toml", text)

    def fresh(self, kind: str) -> str:
        self.counter += 1
        make, _ = KINDS[kind]
        return make(self.rng, self.counter)

    def populate(self) -> None:
        for kind, (_make, paths) in KINDS.items():
            for rel in paths:
                if self.rng.random() < 0.8:
                    self.write(rel, self.fresh(kind))
        for app in ("app0", "app1", "app2"):
            self.write(f"{app}/.env", dotenv(self.rng, self.counter))
            self.write(f"{app}/docker-compose.override.yml", override(self.rng, int(app[-1])))
        self.write("ports-a.toml", allocations(self.rng, 0))
        self.write("ports-b.toml", allocations(self.rng, 1))
        self.set_config("")

    def step(self) -> str:
        """One random edit; returns what it did (for the failure message)."""
        rng = self.rng
        op = rng.choice(
            (
                "edit",
                "edit",
                "edit",
                "port",
                "port",
                "port",
                "env",
                "env",
                "add",
                "delete",
                "move",
                "config",
                "alloc",
                "suppress",
                "touch",
                "comment",
                "nothing",
                "binary",
            )
        )
        scanned = [
            p
            for p in self.files
            if p not in ("pyproject.toml", "ports.toml", "ports-a.toml", "ports-b.toml")
        ]
        if op == "edit" and scanned:
            rel = rng.choice(scanned)
            kind = self.kind_of(rel)
            if kind is None:
                return self.step()
            if kind == "env":
                self.write(rel, dotenv(rng, self.counter))
            elif kind == "override":
                self.write(rel, override(rng, int(rel[3]) if rel[3].isdigit() else 0))
            else:
                self.write(rel, self.fresh(kind))
            return f"edit {rel}"
        if op == "port" and scanned:  # one number changed in place: the incremental rules
            rel = rng.choice(scanned)
            text = self.files[rel]
            spots = [m for m in re.finditer(r"\d+", text) if int(m.group()) in PORTS]
            if not spots:
                return self.step()
            spot = rng.choice(spots)
            new = str(_port(rng))
            self.write(rel, text[: spot.start()] + new + text[spot.end() :])
            return f"port {rel} {spot.group()} -> {new}"
        if op == "env":
            envs = [p for p in self.files if p.endswith(".env")]
            if not envs:
                return self.step()
            rel = rng.choice(envs)
            text = self.files[rel]
            key = rng.choice(("WEB_PORT", "ADMIN_PORT"))
            lines = [ln for ln in text.splitlines() if not ln.startswith(key + "=")]
            if rng.random() < 0.85:
                lines.append(f"{key}={_port(rng)}")
            # Same length edits are the hardest for a stat check: keep it often.
            self.write(rel, "\n".join(lines) + "\n")
            return f"env {rel} {key}"
        if op == "add":
            kind = rng.choice(list(KINDS))
            rel = rng.choice(KINDS[kind][1])
            self.write(rel, self.fresh(kind))
            return f"add {rel}"
        if op == "delete" and scanned:
            rel = rng.choice(scanned)
            self.remove(rel)
            return f"delete {rel}"
        if op == "move" and scanned:
            src = rng.choice(scanned)
            kind = self.kind_of(src)
            if kind not in KINDS:
                return self.step()
            dst = rng.choice(KINDS[kind][1])
            if dst == src:
                return self.step()
            (self.root / dst).parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / src, self.root / dst)  # keeps inode, mtime and size
            self.files[dst] = self.files.pop(src)
            return f"move {src} -> {dst}"
        if op == "config":
            self.set_config(rng.choice(CONFIGS))
            return f"config {self.config!r}"
        if op == "alloc":
            which = rng.choice(("ports-a.toml", "ports-b.toml"))
            if rng.random() < 0.25:  # the default file, used when none is configured
                if "ports.toml" in self.files:
                    self.remove("ports.toml")
                    return "delete ports.toml"
                self.write("ports.toml", allocations(rng, 2))
                return "add ports.toml"
            if rng.random() < 0.5:
                self.write(which, allocations(rng, 0))
                return f"rewrite {which}"
            self.set_config(f'allocations = ["{which}"]\n')
            return f"switch allocations to {which}"
        if op == "suppress" and scanned:
            rel = rng.choice(scanned)
            text = self.files[rel]
            if "# portlint: ignore" in text:
                text = text.replace("  # portlint: ignore[PL401]", "")
            elif not rel.endswith(".json"):
                first, _, rest = text.partition("\n")
                text = "# portlint: ignore-file[PL401, PL402]\n" + first + "\n" + rest
            self.write(rel, text)
            return f"suppress {rel}"
        if op == "comment" and scanned:  # a change no scan result sees (the lean pre-commit run)
            rel = rng.choice([p for p in scanned if not p.endswith(".json")] or scanned)
            if rel.endswith(".json"):
                return self.step()
            self.write(rel, self.files[rel].rstrip("\n") + f"\n# note {self.counter}\n")
            self.counter += 1
            return f"comment {rel}"
        if op == "nothing":
            return "nothing"
        if op == "binary":  # not UTF-8, the bad byte somewhere else each time
            rel = rng.choice(KINDS["yaml"][1])
            data = b"port: 8080\n" * rng.randint(0, 3) + b"name: \xff\n"
            path = self.root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            if rng.random() < 0.5:
                os.utime(path, (OLD, OLD))
            self.files[rel] = data.decode("latin-1")
            return f"binary {rel}"
        if op == "touch" and scanned:
            rel = rng.choice(scanned)
            os.utime(self.root / rel)
            return f"touch {rel}"
        return self.step()

    @staticmethod
    def kind_of(rel: str) -> str | None:
        if rel.endswith(".env"):
            return "env"
        if "override" in rel:
            return "override"
        for kind, (_make, paths) in KINDS.items():
            if rel in paths:
                return kind
        return None


def difference(cached: tuple[int, str, str], fresh: tuple[int, str, str]) -> str:
    """The findings only one run reported (the whole outputs when they are not JSON)."""
    try:
        a, b = json.loads(cached[1]), json.loads(fresh[1])
    except ValueError:
        return f"cached: {cached}\nfresh: {fresh}"
    rows_a = [json.dumps(f, sort_keys=True) for f in a["findings"]]
    rows_b = [json.dumps(f, sort_keys=True) for f in b["findings"]]
    only_a = [r for r in rows_a if r not in rows_b]
    only_b = [r for r in rows_b if r not in rows_a]
    return (
        f"exit {cached[0]} vs {fresh[0]}; summary {a['summary']} vs {b['summary']}\n"
        f"only cached: {only_a}\nonly fresh: {only_b}"
    )


def check(root: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(["check", "--format", "json", "--no-color", *args], cwd=root)


def test_cached_runs_match_uncached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    root.mkdir()
    rng = random.Random(SEED)
    project = Project(root, rng)
    project.populate()
    history: list[str] = ["populate"]
    for step in range(STEPS):
        # Now a delta beside the index, now a full rewrite of it (also over a delta)
        monkeypatch.setattr(cache, "DELTA_MIN", rng.choice((1, 64)))
        history.append(project.step())
        if rng.random() < 0.05 and "baseline" in project.config:
            run_cli(["check", "--write-baseline", "."], cwd=root)
            history.append("write baseline")
        runs = [(".",)]
        named = [p for p in project.files if p != "pyproject.toml"]
        if named:
            runs.append((rng.choice(named),))  # as pre-commit runs it
            rng.shuffle(runs)  # the named run first too: it then records for the next one
        if rng.random() < 0.3:  # `portlint ports` reads the same cache
            ports = ["ports", "--format", "json", "."]
            cached_map = run_cli(ports, cwd=root)
            fresh_map = run_cli([*ports, "--no-cache"], cwd=root)
            if cached_map != fresh_map:
                pytest.fail(
                    f"seed {SEED}, step {step}: `ports` from the cache differs\n"
                    f"history: {history[-6:]}\ncached: {cached_map}\nfresh: {fresh_map}"
                )
        for paths in runs:
            cached = check(root, *paths)
            fresh = check(root, "--no-cache", *paths)
            if cached == fresh and rng.random() < 0.2:  # again, nothing changed: reused
                cached = check(root, *paths)
            if cached != fresh:
                pytest.fail(
                    f"seed {SEED}, step {step} (PORTLINT_DIFF_SEED={SEED} "
                    f"PORTLINT_DIFF_STEPS={step + 1}), paths {paths}: cached run differs\n"
                    f"history: {history[-6:]}\n{difference(cached, fresh)}"
                )
