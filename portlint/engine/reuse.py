"""Whole-run reuse: nothing changed, so nothing is recomputed.

The scan cache (``cache``) saves the per-file step, but every run used to
check every binding again, because a collision is cross-file. When none of a
run's inputs changed, the rules would only find what they found last time, so
the previous run's result is reused as it is. A run's inputs are:

- the settings: the whole ``Config`` (rule options, selection, severities,
  ranges), the paths named and what they mean (the scan paths and the
  pre-commit focus), ``use_baseline``, and the scan settings key of the scan
  cache (current folder, env files, the environment when it is used,
  portlint's version and code, PyYAML, Python);
- the file list discovery returns (discovery always runs: a new file or a new
  ``.gitignore`` line changes it);
- the content of every file read: each scanned file, each file a scanner read
  beside it (``.env``, includes, env files), the allocation files (the
  configured ones, or a ``ports.toml`` where one may appear) and the baseline;
- the registry snapshot in the user's cache (``portlint registry update``).

Content is compared as the scan cache does it: a stat tuple (mtime, ctime,
size, inode) is trusted only for files not modified in the last two seconds,
else the content is hashed and compared. Records are signed JSON like the
scan index, ``run-<32 hex>.json`` in the same folder, one per settings key;
pre-commit runs name other files each time, so only the twelve most recent
records are kept. A record keeps the file list as a digest and each file
read as its path (relative to the current folder when inside it), stat and
digest, or null when it was missing; the files named on the command line
come first, on a line of their own, which a run reads before the rest.

The reused result carries no bindings: reports never show them, and only
``portlint check`` asks for reuse.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

from portlint.discovery import Candidate
from portlint.engine.cache import (
    RUN_RECORD_NAME,
    ScanCache,
    StatKey,
    stat_key,
    text_digest,
)
from portlint.engine.codec import Invalid, codec_for
from portlint.findings import Finding, Problem
from portlint.results import RuleInfo, RunResult
from portlint.source import SourceFile, read_source

FORMAT = 2  # 2: a first line with the named files' entries, judged before the rest is read
# 2: origins (a pre-commit run decodes less); 3: files, evidence, contested ports
PROJECT_FORMAT = 3


def canonical(value: Any) -> Any:
    """A JSON-able form of a settings value with a stable order (sets and mappings sorted)."""
    if isinstance(value, enum.Enum):
        return [type(value).__name__, canonical(value.value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [canonical(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, Mapping):
        return sorted([str(k), canonical(v)] for k, v in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(canonical(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def run_key(parts: Sequence[Any]) -> str:
    text = json.dumps(canonical(list(parts)), sort_keys=True)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def bytes_digest(path: str) -> str | None:
    """A file's content identity, None when it is missing or cannot be read."""
    try:
        with open(path, "rb") as fh:
            return hashlib.blake2b(fh.read(), digest_size=16).hexdigest()
    except OSError:
        return None


def registry_identity() -> Any:
    """The user's registry snapshot, which wins over the shipped one when newer."""
    from portlint.registry import cache_path

    path = cache_path()
    try:
        st = os.stat(path)
    except OSError:
        return [path]
    return [path, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]


def candidates_digest(candidates: Iterable[Candidate]) -> str:
    """The identity of a file list: a record compares it, not the list (a third of it).

    Six fields a file, each ended by a NUL, which no path holds and ``repr`` escapes.
    """
    text = "".join(
        f"{c.display}\0{c.abs_path}\0{c.scanner.name}\0{c.explicit:d}\0{c.skip!r}\0{c.skip_hint!r}\0"
        for c in candidates
    )
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# path -> [kind, stat list or None, digest or None], or None for a file missing
# then; kind "t": the text a scanner saw (the scan cache's digest), "b": the bytes
# (allocation files, baseline). A path inside the current folder is relative to
# it (the run key holds the current folder): most of a record is these paths, and
# most of them are files a scanner looked for beside another and did not find.
Watched = dict[str, list[Any] | None]


def _watch_bytes(path: str) -> list[Any] | None:
    st = stat_key(path)
    digest = bytes_digest(path)
    if st is None and digest is None and not os.path.lexists(path):
        return None
    return ["b", list(st) if st is not None else None, digest]


def _unchanged(
    path: str, then: Any, max_file_size: int, stat_of: Callable[[str], StatKey | None] = stat_key
) -> bool:
    if then is None:
        return not os.path.lexists(path)  # missing then (a `.env` looked for), missing now
    if type(then) is not list or len(then) != 3:
        return False
    kind, stat_then, raw = then
    digest: str | None = raw if type(raw) is str else None
    if stat_then is None and digest is None and not os.path.lexists(path):
        return True
    st = stat_of(path)
    if st is not None and stat_then == list(st):
        return True
    if kind == "b":
        return bytes_digest(path) == digest
    if digest is None:  # not text (binary, too large): its problem may differ, as the scan cache
        return False  # never reuses such a file either
    source = read_source(path, path, max_file_size)
    return text_digest(source if isinstance(source, SourceFile) else None) == digest


class RunRecords:
    """The folder's run records, for one run key."""

    def __init__(self, cache: ScanCache, key: str) -> None:
        self.cache = cache
        self.key = key
        self.path = os.path.join(cache.folder, f"run-{key}.json")
        self.id = [FORMAT, key]
        self._finding = codec_for(tuple[Finding, ...])
        self._problem = codec_for(tuple[Problem, ...])

    def load(
        self, candidates: Sequence[Candidate], info: Callable[[str], RuleInfo | None]
    ) -> RunResult | None:
        """The recorded result, if it was recorded for these candidates and nothing changed.

        The files named on the command line (a pre-commit run's changed files)
        are the likeliest to have changed again: their entries come first, on a
        line of their own, and are judged before the megabytes of the rest are read.
        """
        body = self.cache.read_signed(self.path)
        if body is None:
            return None
        first, _, rest = body.partition(b"\n")
        try:
            head = json.loads(first)
            if type(head) is not dict or [head.get("format"), head.get("key")] != self.id:
                return None
            named = head.get("named")
            if type(named) is not dict:
                return None
            if not self._all_unchanged(named):
                return None
            doc = json.loads(rest)
        except (ValueError, RecursionError):
            return None
        if type(doc) is not dict or doc.get("format") != FORMAT or doc.get("key") != self.key:
            return None
        if doc.get("candidates") != candidates_digest(candidates):
            return None
        watched = doc.get("watched")
        if type(watched) is not dict or not self._all_unchanged(watched):
            return None
        try:
            return self._decode(doc.get("result"), info)
        except (Invalid, ValueError, TypeError, KeyError):
            return None

    def _all_unchanged(self, watched: dict[str, Any]) -> bool:
        """``_unchanged`` for every entry; a warm run's whole check, so its two common
        cases (missing still, or discovery's stat equal to the recorded one) are inline."""
        size, stat_of, known = self.cache.max_file_size, self.cache.stat, self.cache.stats
        inside = _inside(self.cache.cwd)
        isabs, lexists = os.path.isabs, os.path.lexists
        for key, then in watched.items():
            path = key if isabs(key) else inside + key
            if then is None:
                if lexists(path):
                    return False
                continue
            st = known.get(path)
            if st is not None and type(then) is list and len(then) == 3 and then[1] == [*st]:
                continue
            if not _unchanged(path, then, size, stat_of):
                return False
        return True

    def _decode(self, raw: Any, info: Callable[[str], RuleInfo | None]) -> RunResult:
        if type(raw) is not dict:
            raise Invalid("not a run")
        findings: tuple[Finding, ...] = self._finding[1](raw["findings"])
        prints = raw["fingerprints"]
        if type(prints) is not list or len(prints) != len(findings):
            raise Invalid("fingerprints")
        known = {code: info(code) for code in _strings(raw["known"])}
        rules = tuple(known[code] for code in _strings(raw["rules"]))
        if any(r is None for r in known.values()):
            raise Invalid("a rule this portlint does not have")
        counts = raw["counts"]
        if type(counts) is not list or len(counts) != 7 or any(type(n) is not int for n in counts):
            raise Invalid("counts")
        return RunResult(
            findings=findings,
            bindings=(),
            rules=tuple(r for r in rules if r is not None),
            files_scanned=counts[0],
            files_skipped=counts[1],
            hidden_by_baseline=counts[2],
            stale_baseline=counts[3],
            suppressed=counts[4],
            contested_ports=counts[5],
            not_shown=counts[6],
            notes=tuple(_strings(raw["notes"])),
            skipped=self._problem[1](raw["skipped"]),
            templates_skipped=_int(raw["templates_skipped"]),
            templates_note=_string(raw["templates_note"]),
            root=_string(raw["root"]),
            cwd=_string(raw["cwd"]),
            known_rules=MappingProxyType({k: v for k, v in known.items() if v is not None}),
            fingerprints=MappingProxyType(dict(zip(findings, _strings(prints), strict=True))),
        )

    def save(self, candidates: Sequence[Candidate], watched: Watched, result: RunResult) -> None:
        """Record a run; a failure to write only costs the next run its reuse."""
        raw = {
            "findings": self._finding[0](result.findings),
            "fingerprints": [result.fingerprints[f] for f in result.findings],
            "known": sorted(result.known_rules),
            "rules": [r.code for r in result.rules],
            "counts": [
                result.files_scanned,
                result.files_skipped,
                result.hidden_by_baseline,
                result.stale_baseline,
                result.suppressed,
                result.contested_ports,
                result.not_shown,
            ],
            "notes": list(result.notes),
            "skipped": self._problem[0](result.skipped),
            "templates_skipped": result.templates_skipped,
            "templates_note": result.templates_note,
            "root": result.root,
            "cwd": result.cwd,
        }
        doc = {
            "format": FORMAT,
            "key": self.key,
            "candidates": candidates_digest(candidates),
            "watched": watched,
            "result": raw,
        }
        inside = _inside(self.cache.cwd)
        keys = [_relative(c.abs_path, inside) for c in candidates if c.explicit]
        named = {key: watched[key] for key in keys if key in watched}
        head = {"format": FORMAT, "key": self.key, "named": named}
        self.cache.write_record(self.path, doc, head)


def watched_files(
    candidates: Sequence[Candidate], cache: ScanCache, extra: Iterable[str], cwd: str
) -> Watched | None:
    """Every file the run read, with what it held; None when one cannot be accounted for.

    Scanned files and what their scanners read come from the scan cache,
    which has just checked or stored each of them; ``extra`` are the
    allocation and baseline paths (missing ones included: one appearing
    changes the run).
    """
    watched: Watched = {}
    inside = _inside(cwd)
    entries = cache.entries
    for c in candidates:
        if c.skip is not None:
            continue
        entry = entries.get(c.abs_path)
        if type(entry) is not list or len(entry) != 4:
            return None
        watched[_relative(c.abs_path, inside)] = ["t", entry[0], entry[1]]
        for dep in entry[2]:
            if type(dep) is not list or len(dep) != 3 or type(dep[0]) is not str:
                return None
            # the scanner's path, relative to cwd as the scan cache reads it
            if dep[0] not in watched:
                missing = dep[1] is None and dep[2] is None
                watched[dep[0]] = None if missing else ["t", dep[1], dep[2]]
    for path in extra:
        key = _relative(path, inside)
        if key not in watched:
            watched[key] = _watch_bytes(path)
    return watched


def _inside(cwd: str) -> str:
    """The prefix of a path inside ``cwd``, cut off in records and put back when read."""
    return cwd if cwd.endswith(os.sep) else cwd + os.sep


def _relative(path: str, inside: str) -> str:
    return path[len(inside) :] if path.startswith(inside) else path


def _strings(value: Any) -> list[str]:
    if type(value) is not list or any(type(v) is not str for v in value):
        raise Invalid("not a list of strings")
    return value


def _string(value: Any) -> str:
    if type(value) is not str:
        raise Invalid("not a string")
    return value


def _int(value: Any) -> int:
    if type(value) is not int:
        raise Invalid("not an int")
    return value


def is_record_name(name: str) -> bool:
    return RUN_RECORD_NAME.fullmatch(name) is not None


class ProjectRecords:
    """Project-rule findings and the contested ports, reused while the scans are equal.

    Project rules (collisions, exposure) read every binding of the run, and
    the bindings are a function of the candidate list and each file's scan
    result (the scan cache's encoded text), so when those, the settings and
    the allocation files are the same as the last run's, the project rules
    would find what they found then. A pre-commit run whose changed file
    scans the same as before (a comment, a key no scanner reads) skips them,
    and then needs only the bindings of the files it reports on, plus where
    the run's interpolated bindings came from (recorded here too): the other
    files' bindings are never decoded. A change to a scan result reruns the
    project rules, the collision rules only on the ports the change touched
    (``engine.incremental``, from the ``latest`` record). One record per
    settings key and state of the scans, named after both; each file's scan
    digest and port spans sit in a record of their own beside it, which the
    pre-commit run that reuses the findings never reads.
    """

    def __init__(self, cache: ScanCache, settings: Sequence[Any]) -> None:
        self.cache = cache
        self.key = run_key(["project", *settings])
        self._finding = codec_for(tuple[Finding, ...])

    def _path(self, digest: str) -> str:
        """One record per state of the scans: a warm run (whole-run reuse) runs no
        project rule, so the record of the state it reused must still be there
        when the next pre-commit run needs it."""
        return os.path.join(self.cache.folder, f"run-{run_key([self.key, digest])}.json")

    def digest(self, candidates: Sequence[Candidate]) -> str | None:
        """The identity of the run's scans; None when one did not go through the cache."""
        h = hashlib.blake2b(digest_size=16)
        for c in candidates:  # ``explicit`` only matters to discovery
            result = self.cache.used.get(c.abs_path) if c.skip is None else "skip"
            if result is None:
                return None
            row = f"{c.display}\0{c.abs_path}\0{c.scanner.name}\0{c.skip}\0{c.skip_hint}"
            h.update(f"{len(row)}:{row}{result}\0".encode("utf-8", "surrogatepass"))
        return h.hexdigest()

    def load(self, digest: str) -> ProjectRecord | None:
        """The record of this state of the scans, if there is one (without its
        ``files``, which only a run that goes on from it reads)."""
        return self._read(self._path(digest), digest)

    def latest(self) -> ProjectRecord | None:
        """The record the last fresh run of these settings wrote, whatever its scans:
        what ``engine.incremental`` starts from."""
        doc = self.cache.read_record(self._path(LATEST))
        if type(doc) is not dict or doc.get("key") != self.key:
            return None
        digest = doc.get("scans")
        if type(digest) is not str:
            return None
        record = self._read(self._path(digest), digest)
        rows = self.cache.read_record(self._path(f"{digest}:files"))
        if record is None or type(rows) is not dict or rows.get("scans") != digest:
            return None
        try:
            record.files = [
                (_string(path), _string(text), [_int(n) for n in spans])
                for path, text, spans in rows["files"]
            ]
        except (Invalid, ValueError, TypeError, KeyError):
            return None
        return record

    def _read(self, path: str, digest: str) -> ProjectRecord | None:
        doc = self.cache.read_record(path)
        try:
            if type(doc) is not dict or doc.get("format") != PROJECT_FORMAT:
                return None
            if doc.get("key") != self.key or doc.get("scans") != digest:
                return None
            findings: tuple[Finding, ...] = self._finding[1](doc["findings"])
            counts = doc["rules"]
            by_rule: dict[str, list[Finding]] = {}
            at = 0
            for code, n in counts:
                by_rule[_string(code)] = list(findings[at : at + _int(n)])
                at += n
            if at != len(findings):
                return None
            origins = set()
            for row in doc["origins"]:
                if type(row) is not list or len(row) != 3:
                    return None
                origins.add((_string(row[0]), _int(row[1]), _int(row[2])))
            contested = [(_int(port), _string(proto)) for port, proto in doc["contested"]]
            return ProjectRecord(by_rule, contested, origins, [], _string(doc["evidence"]))
        except (Invalid, ValueError, TypeError, KeyError, RecursionError):
            return None

    def save(self, digest: str, record: ProjectRecord) -> None:
        by_rule = record.findings
        doc = {
            "format": PROJECT_FORMAT,
            "key": self.key,
            "scans": digest,
            "rules": [[code, len(found)] for code, found in by_rule.items()],
            "findings": self._finding[0](tuple(f for found in by_rule.values() for f in found)),
            "contested": [list(c) for c in record.contested],
            "origins": sorted([list(o) for o in record.origins]),
            "evidence": record.evidence,
        }
        self.cache.write_record(self._path(digest), doc)
        # Apart: a pre-commit run that reuses this record never reads them.
        rows = {"scans": digest, "files": [list(row) for row in record.files]}
        self.cache.write_record(self._path(f"{digest}:files"), rows)
        self.cache.write_record(self._path(LATEST), {"key": self.key, "scans": digest})


LATEST = "latest"


@dataclasses.dataclass
class ProjectRecord:
    """What a fresh run's project rules found, and what the next run needs to go on from it.

    ``files``: each candidate's displayed path, a digest of its scan result
    text, and its bindings' port spans (``engine.incremental.flat_spans``);
    ``evidence``: ``engine.incremental.evidence_digest``.
    """

    findings: dict[str, list[Finding]]
    contested: list[tuple[int, str]]
    origins: set[tuple[str, int, int]]
    files: list[tuple[str, str, list[int]]]
    evidence: str
