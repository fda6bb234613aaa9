"""The scan cache: reuse, invalidation, hostile contents, sharing, clean, --no-cache."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from portlint.config import Config
from portlint.engine import batch, cache
from portlint.engine import run as engine
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parent.parent.parent

COMPOSE = """\
services:
  web:
    image: nginx:1.27
    ports:
      - "${WEB_PORT:-8080}:80"
  admin:
    image: ghcr.io/acme/admin:2
    ports:
      - "8081:8000"
"""
ENV = "WEB_PORT=8081\n"  # collides with admin's 8081
K8S = """\
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  containers:
    - name: agent
      image: ghcr.io/acme/agent:1
      ports:
        - containerPort: 9100
          hostPort: 9100
"""
DOCKERFILE = "FROM python:3.12-slim\nEXPOSE 8000\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project whose cache lives where users get it: in the project."""
    monkeypatch.delenv("PORTLINT_SCAN_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # the signing key
    root = tmp_path / "proj"
    (root / "deploy").mkdir(parents=True)
    (root / "compose.yaml").write_text(COMPOSE)
    (root / ".env").write_text(ENV)
    (root / "deploy" / "agent.yaml").write_text(K8S)
    (root / "Dockerfile").write_text(DOCKERFILE)
    return root


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Displayed paths of the files actually scanned (cache misses), in order."""
    calls: list[str] = []
    real = batch.scan_file

    def counting(candidate, config, ctx, source=None):  # type: ignore[no-untyped-def]
        calls.append(candidate.display)
        return real(candidate, config, ctx, source)

    monkeypatch.setattr(batch, "scan_file", counting)
    return calls


def run(root: Path, config: Config | None = None) -> engine.RunResult:
    return engine.run(["."], config or Config(), cwd=str(root))


def lines(result: engine.RunResult) -> list[str]:
    return [f"{f.location} {f.code} {f.message}" for f in result.findings]


def test_second_run_scans_nothing_and_reports_the_same(project: Path, scanned: list[str]) -> None:
    first = run(project)
    assert scanned == [".env", "Dockerfile", "compose.yaml", "deploy/agent.yaml"]
    assert lines(first) == [
        'compose.yaml:9:10 PL401 host port 8081/tcp is already published by service "web" '
        "(compose.yaml:5:10)",
        "deploy/agent.yaml:11:21 PL201 host port 9100/tcp is the well-known port of "
        'node-exporter, but container "agent" of Pod/agent is not node-exporter',
    ]
    scanned.clear()
    second = run(project)
    assert scanned == []
    assert lines(second) == lines(first)
    assert second.bindings == first.bindings


def test_the_folder_ignores_itself_and_is_tagged(project: Path) -> None:
    run(project)
    folder = project / ".portlint_cache"
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (
        (folder / "CACHEDIR.TAG")
        .read_text()
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    proc = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode == 128:  # not a repository yet: make it one
        subprocess.run(["git", "init", "-q"], cwd=project, check=True)
        proc = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        )
    assert ".portlint_cache" not in proc.stdout


def test_content_change_is_a_miss_even_with_the_old_mtime_and_size(
    project: Path, scanned: list[str]
) -> None:
    run(project)
    path = project / "compose.yaml"
    before = path.stat()
    path.write_text(COMPOSE.replace("8081:8000", "8082:8000"))  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    scanned.clear()
    result = run(project)
    assert scanned == ["compose.yaml"]
    ports = sorted(b.port for b in result.bindings if b.location.path == "compose.yaml")
    assert ports == [8081, 8082]
    assert not any(f.code == "PL401" for f in result.findings)


def test_touch_without_change_is_a_hit(project: Path, scanned: list[str]) -> None:
    run(project)
    os.utime(project / "compose.yaml")
    scanned.clear()
    run(project)
    assert scanned == []


def test_dependency_change_rescans_the_file_that_read_it(project: Path, scanned: list[str]) -> None:
    first = run(project)
    web = [b for b in first.bindings if b.owner == "web" and b.role == "host"]
    assert [(b.port, b.origin) for b in web] == [(8081, web[0].origin)]
    assert web[0].origin is not None and web[0].origin.path == ".env"
    (project / ".env").write_text("WEB_PORT=8090\n")
    scanned.clear()
    second = run(project)
    assert sorted(scanned) == [".env", "compose.yaml"]
    web = [b for b in second.bindings if b.owner == "web" and b.role == "host"]
    assert [b.port for b in web] == [8090]
    assert not any(f.code == "PL401" for f in second.findings)


def test_dependency_that_appears_later_is_a_miss(project: Path, scanned: list[str]) -> None:
    (project / ".env").unlink()
    first = run(project)
    assert [b.port for b in first.bindings if b.owner == "web" and b.role == "host"] == [8080]
    (project / ".env").write_text("WEB_PORT=9000\n")
    scanned.clear()
    second = run(project)
    assert "compose.yaml" in scanned
    assert [b.port for b in second.bindings if b.owner == "web" and b.role == "host"] == [9000]


@pytest.mark.parametrize(
    "change",
    [
        {"max_file_size": 4096},
        {"env_files": ("other.env",)},
        {"use_environment": True},
    ],
    ids=["max-file-size", "env-files", "use-environment"],
)
def test_settings_that_change_scanning_select_another_index(
    project: Path, scanned: list[str], change: dict[str, object]
) -> None:
    (project / "other.env").write_text("WEB_PORT=7000\n")
    run(project)
    scanned.clear()
    run(project, dataclasses.replace(Config(), **change))  # type: ignore[arg-type]
    assert "compose.yaml" in scanned


def test_environment_values_are_part_of_the_key(
    project: Path, scanned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".env").unlink()
    config = dataclasses.replace(Config(), use_environment=True)
    monkeypatch.setenv("WEB_PORT", "7001")
    first = run(project, config)
    assert [b.port for b in first.bindings if b.owner == "web" and b.role == "host"] == [7001]
    scanned.clear()
    run(project, config)
    assert scanned == []
    monkeypatch.setenv("WEB_PORT", "7002")
    second = run(project, config)
    assert "compose.yaml" in scanned
    assert [b.port for b in second.bindings if b.owner == "web" and b.role == "host"] == [7002]


def test_rule_settings_do_not_invalidate_scans(project: Path, scanned: list[str]) -> None:
    run(project)
    scanned.clear()
    result = run(project, dataclasses.replace(Config(), ignore=("PL401",)))
    assert scanned == []
    assert not any(f.code == "PL401" for f in result.findings)


def test_a_new_portlint_version_is_a_miss(
    project: Path, scanned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(project)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    scanned.clear()
    run(project)
    assert sorted(scanned) == [".env", "Dockerfile", "compose.yaml", "deploy/agent.yaml"]


def index_file(project: Path) -> Path:
    (found,) = cache_files(project, cache._INDEX_NAME)
    return found


def cache_files(project: Path, names: Any) -> list[Path]:
    return sorted(p for p in (project / ".portlint_cache").iterdir() if names.fullmatch(p.name))


def aged(project: Path) -> Path:
    """The project's files, modified an hour ago: their stat is trusted (not racy)."""
    then = int(os.stat(project).st_mtime) - 3600
    for path in project.rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))
    return project


def test_a_few_changes_go_to_a_delta_and_the_index_is_not_rewritten(
    project: Path, scanned: list[str]
) -> None:
    run(aged(project))
    index = index_file(project)
    written = index.read_bytes()
    (project / "compose.yaml").write_text(COMPOSE + "# a comment\n")
    scanned.clear()
    first = run(project)
    assert scanned == ["compose.yaml"]
    assert index.read_bytes() == written
    (delta,) = cache_files(project, cache._DELTA_NAME)
    assert delta.name == index.name.replace(".json", "-delta.json")
    _header, changed = read_index(delta)
    assert list(changed) == [str(project / "compose.yaml")]
    scanned.clear()
    assert lines(run(project)) == lines(first)
    assert scanned == []  # the delta's entry was read over the index's
    assert run_cli(["clean"], cwd=project) == (0, "", "portlint: removed .portlint_cache\n")


def test_a_delta_written_over_another_index_is_not_read(project: Path, scanned: list[str]) -> None:
    run(aged(project))
    index = index_file(project)
    header, entries = read_index(index)
    (project / "compose.yaml").write_text(COMPOSE + "# a comment\n")
    run(project)  # the delta holds compose.yaml's new entry
    # another run replaced the index (here: the same, less the Dockerfile)
    del entries[str(project / "Dockerfile")]
    index.write_bytes(signed(project, index_body(header, entries)))
    scanned.clear()
    run(project)
    assert sorted(scanned) == ["Dockerfile", "compose.yaml"]


def test_many_changes_rewrite_the_index_and_drop_the_delta(
    project: Path, scanned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(aged(project))
    (project / "compose.yaml").write_text(COMPOSE + "# a comment\n")
    run(project)
    assert len(cache_files(project, cache._DELTA_NAME)) == 1
    monkeypatch.setattr(cache, "DELTA_MIN", 1)  # 4 entries: a delta holds 1 at most
    (project / "Dockerfile").write_text(DOCKERFILE + "# a comment\n")
    scanned.clear()
    first = run(project)
    assert scanned == ["Dockerfile"]  # two changed entries (the delta's and this one)
    assert cache_files(project, cache._DELTA_NAME) == []
    _header, entries = read_index(index_file(project))
    assert len(entries) == 4
    scanned.clear()
    assert lines(run(project)) == lines(first)
    assert scanned == []


def test_an_index_rewritten_over_a_delta_keeps_the_deltas_results(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry the delta replaced must be written back with the delta's result, not
    the line the index had for it: its stat is the new file's, so every later run
    would take the old result as the file's."""
    run(aged(project))
    later = int(os.stat(project / "compose.yaml").st_mtime) + 10  # still an hour old
    (project / "compose.yaml").write_text(COMPOSE.replace('"8081:8000"', '"8090:8000"'))
    os.utime(project / "compose.yaml", (later, later))
    run(project)  # the delta holds compose.yaml's new entry
    assert len(cache_files(project, cache._DELTA_NAME)) == 1
    monkeypatch.setattr(cache, "DELTA_MIN", 1)  # the next two changes rewrite the index
    for name, text in (("Dockerfile", DOCKERFILE + "# a\n"), ("deploy/agent.yaml", K8S + "# a\n")):
        (project / name).write_text(text)
        os.utime(project / name, (later, later))
    run(project)
    assert cache_files(project, cache._DELTA_NAME) == []
    for record in (project / ".portlint_cache").glob("run-*.json"):
        record.unlink()  # no project record to fall back on: the index alone
    expected = lines(run(project, Config(cache=False)))
    assert not any("PL401" in line for line in expected)  # admin left 8081 for 8090
    assert lines(run(project)) == expected
    _header, entries = read_index(index_file(project))
    assert all(e[4] == cache.result_digest(e[3]) for e in entries.values())


def read_index(path: Path) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    """The index's header and its entries: path -> [stat, digest, deps, result text,
    result digest]."""
    _mac, _, body = path.read_bytes().partition(b"\n")
    header, *lines = body.split(b"\n")
    doc = json.loads(header)
    pairs = zip(doc["files"], lines, strict=True)
    entries = {meta[0]: [*meta[1:4], text.decode(), meta[4]] for meta, text in pairs}
    return doc, entries


def index_body(doc: dict[str, Any], entries: dict[str, list[Any]]) -> bytes:
    metas = [[path, *entry[:3], entry[4]] for path, entry in entries.items()]
    texts = [str(entry[3]).encode() for entry in entries.values()]
    return b"\n".join([json.dumps({**doc, "files": metas}).encode(), *texts])


def signed(project: Path, body: bytes) -> bytes:
    """Sign ``body`` with this account's key, as only portlint itself could."""
    key = cache.signing_key()
    assert key is not None
    folder = str(project / ".portlint_cache")
    probe = cache.ScanCache(folder, "x", key, str(project), 1)
    return probe.sign(body) + b"\n" + body


CRAFTED = [
    pytest.param(b"", id="empty"),
    pytest.param(b"\x00\xff garbage", id="binary"),
    pytest.param(b"0" * 64 + b"\n{}", id="bad-signature"),
    pytest.param(None, id="truncated"),
]


@pytest.mark.parametrize("content", CRAFTED)
def test_corrupt_index_is_a_miss_never_an_error(
    project: Path, scanned: list[str], content: bytes | None
) -> None:
    first = run(project)
    path = index_file(project)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2] if content is None else content)
    scanned.clear()
    second = run(project)
    assert sorted(scanned) == [".env", "Dockerfile", "compose.yaml", "deploy/agent.yaml"]
    assert lines(second) == lines(first)


def test_unsigned_entry_claiming_a_clean_file_is_ignored(project: Path) -> None:
    """A cache committed to a hostile repository cannot hide findings."""
    first = run(project)
    path = index_file(project)
    mac, _, _body = path.read_bytes().partition(b"\n")
    header, entries = read_index(path)
    for entry in entries.values():
        entry[3] = "[]\t[]"  # "nothing here"
    path.write_bytes(b"f" * len(mac) + b"\n" + index_body(header, entries))
    assert lines(run(project)) == lines(first)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda e, r: r[0][0].__setitem__(4, "8080"),  # a port as a string
        lambda e, r: r[0][0].__setitem__(3, "everywhere"),  # a role that does not exist
        lambda e, r: r[0][0].__setitem__(0, ["compose.yaml", 1]),  # a short location
        lambda e, r: r.__setitem__(0, {"bindings": []}),  # an object for a list
        lambda e, r: r.__setitem__(0, [[[[[[[[[[[]]]]]]]]]]]),  # nesting where a binding is
        lambda e, r: e.__setitem__(2, [["../../etc/passwd"]]),  # a malformed dependency
        lambda e, r: e.__setitem__(3, "[[[{"),  # result text that is not JSON
        lambda e, r: e.__setitem__(3, 7),  # a result that is not text
    ],
    ids=[
        "port-type",
        "role-value",
        "location-shape",
        "object",
        "nesting",
        "dependency",
        "bad-json",
        "not-text",
    ],
)
def test_signed_but_malformed_entries_are_misses(project: Path, scanned: list[str], mutate) -> None:  # type: ignore[no-untyped-def]
    first = run(project)
    path = index_file(project)
    header, entries = read_index(path)
    entry = entries[str(project / "compose.yaml")]
    rest, _, found = entry[3].partition("\t")
    result = [json.loads(found), *json.loads(rest)]  # the result as the codec encodes it
    entry[3] = None
    mutate(entry, result)
    if entry[3] is None:
        entry[3] = json.dumps(result[1:]) + "\t" + json.dumps(result[0])
    path.write_bytes(signed(project, index_body(header, entries)))
    scanned.clear()
    second = run(project)
    assert scanned == ["compose.yaml"]
    assert lines(second) == lines(first)


def test_deeply_nested_json_is_a_miss(project: Path) -> None:
    first = run(project)
    index_file(project).write_bytes(signed(project, b"[" * 200_000 + b"]" * 200_000))
    assert lines(run(project)) == lines(first)


def test_fifo_in_place_of_the_index_does_not_block(project: Path) -> None:
    first = run(project)
    path = index_file(project)
    path.unlink()
    os.mkfifo(path)
    assert lines(run(project)) == lines(first)


def test_planted_link_is_never_written_through(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".portlint_cache").symlink_to(elsewhere)
    first = run(project)
    assert list(elsewhere.iterdir()) == []
    assert any(f.code == "PL401" for f in first.findings)
    code, _out, err = run_cli(["clean"], cwd=project)
    assert (code, err) == (
        0,
        "portlint: .portlint_cache: not a cache folder portlint made (a symbolic link): "
        "nothing removed\n",
    )
    # The link is repository content, not something portlint wrote: left alone.
    assert elsewhere.is_dir() and (project / ".portlint_cache").is_symlink()


def test_no_cache_neither_reads_nor_writes(project: Path, scanned: list[str]) -> None:
    code, out, _err = run_cli(["check", "--no-cache", "."], cwd=project)
    assert code == 1 and "PL401" in out
    assert not (project / ".portlint_cache").exists()
    run(project)
    scanned.clear()
    code, again, _err = run_cli(["check", "--no-cache", "."], cwd=project)
    assert (code, again) == (1, out)
    assert sorted(scanned) == [".env", "Dockerfile", "compose.yaml", "deploy/agent.yaml"]


def test_clean_removes_only_what_portlint_wrote(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(project)
    assert (project / ".portlint_cache").is_dir()
    code, _out, err = run_cli(["clean"], cwd=project)
    assert (code, err) == (0, "portlint: removed .portlint_cache\n")
    assert not (project / ".portlint_cache").exists()
    assert run_cli(["clean"], cwd=project) == (0, "", "")  # nothing left: silent
    shared = tmp_path / "shared"
    monkeypatch.setenv("PORTLINT_SCAN_CACHE_DIR", str(shared))
    run(project)
    (shared / "notes.txt").write_text("not portlint's\n")
    code, _out, err = run_cli(["clean"], cwd=project)
    assert (
        err == f"portlint: removed portlint's files from {shared}; left 1 file it did not write\n"
    )
    assert sorted(p.name for p in shared.iterdir()) == [".gitignore", "CACHEDIR.TAG", "notes.txt"]


@pytest.mark.slow
def test_concurrent_runs_share_the_cache(project: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "portlint", "check", "--no-color", "."]
    procs = [
        subprocess.Popen(argv, cwd=project, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = {p.communicate(timeout=60)[0] for p in procs}
    assert len(outputs) == 1
    assert [p.returncode for p in procs] == [1, 1, 1, 1]
    rerun = subprocess.run(argv, cwd=project, env=env, capture_output=True, text=True, check=False)
    assert rerun.stdout in outputs
    assert sorted(read_index(index_file(project))[1]) == [
        str(project / name) for name in (".env", "Dockerfile", "compose.yaml", "deploy/agent.yaml")
    ]
    assert not [p for p in (project / ".portlint_cache").iterdir() if p.name.startswith(".tmp-")]


def test_old_index_files_are_pruned(project: Path) -> None:
    folder = project / ".portlint_cache"
    folder.mkdir()
    (folder / "CACHEDIR.TAG").write_text(cache._CACHEDIR_TAG)
    for n in range(10):
        old = folder / f"scan-{n:032x}.json"
        old.write_text("stale")
        os.utime(old, ns=(n * 10**9, n * 10**9))
    run(project)
    names = sorted(p.name for p in folder.glob("scan-*.json"))
    current = index_file_name(project)
    assert current in names
    assert sorted(set(names) - {current}) == [f"scan-{n:032x}.json" for n in range(3, 10)]


def index_file_name(project: Path) -> str:
    key = cache.settings_key(
        engine.make_scan_context(Config(), str(project)), Config().max_file_size, str(project)
    )
    return f"scan-{key}.json"


def test_the_code_digest_covers_the_whole_package(monkeypatch) -> None:
    """A scanner edit must invalidate cached scans, not only an edit in portlint/engine/."""
    walked: list[str] = []
    real_walk = os.walk

    def spy(top, *args, **kwargs):
        walked.append(top)
        return real_walk(top, *args, **kwargs)

    monkeypatch.setattr(cache.os, "walk", spy)
    cache._code_digest()
    assert [Path(p) for p in walked] == [ROOT / "portlint"]


def test_a_streamed_signed_file_is_the_signature_line_then_the_joined_lines(
    tmp_path: Path,
) -> None:
    """The index is written a line at a time (it is over 100 MB in a large repository);
    what lands on disk must be what signing the joined body gives, and read back."""
    folder = tmp_path / "c"
    folder.mkdir()
    store = cache.ScanCache(str(folder), "k", b"secret", str(tmp_path), 1 << 20)
    path = str(folder / "record.json")
    store.write_signed(path, [b'{"head":1}', '["a",1]', b"[]"])
    body = b'{"head":1}\n["a",1]\n[]'
    assert (folder / "record.json").read_bytes() == store.sign(body) + b"\n" + body
    assert store.read_signed(path) == body
    # one bit off in the body and the signature no longer holds
    (folder / "record.json").write_bytes(store.sign(body) + b"\n" + body.replace(b"1", b"2"))
    assert store.read_signed(path) is None


def test_saved_texts_are_released_and_a_released_cache_writes_nothing_more(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fresh run drops each result text once the index holds it (a large repository's
    texts are over 100 MB); the index on disk keeps them, so the next run hits."""
    opened: list[cache.ScanCache] = []
    real = cache.open_cache

    def keep(*args: Any, **kwargs: Any) -> cache.ScanCache | None:
        found = real(*args, **kwargs)
        if found is not None:
            opened.append(found)
        return found

    monkeypatch.setattr(engine, "open_cache", keep)
    first = run(project)
    store = opened[0]
    assert store.entries and all(entry[3] is None for entry in store.entries.values())
    index = Path(store.path).read_bytes()
    store.dirty = True
    store.save()  # released: nothing left to write, and the index stays as it was
    assert Path(store.path).read_bytes() == index
    second = run(project)
    assert opened[1].hits == 4 and opened[1].misses == 0
    assert lines(second) == lines(first)


def test_a_cached_run_reads_each_results_digest_from_the_index(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project records key on every result's digest; a run that hits the cache
    reads those from the signed index instead of hashing every result again."""
    run(project)
    _header, entries = read_index(index_file(project))
    assert entries and all(e[4] == cache.result_digest(e[3]) for e in entries.values())
    hashed: list[str] = []
    real = cache.result_digest
    monkeypatch.setattr(cache, "result_digest", lambda text: hashed.append(text) or real(text))
    (project / "compose.yaml").write_text(COMPOSE + "# a comment\n")
    engine.run(["compose.yaml"], Config(), cwd=str(project))
    assert len(hashed) == 1  # the edited file's new result only
