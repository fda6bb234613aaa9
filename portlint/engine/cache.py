"""The scan cache in ``.portlint_cache/``: per-file scan results reused across runs.

What is cached is the per-file step (reading and scanning one file: its
bindings, problems and directives). Rules always run again, over every
binding, so a change in one file still shows its collisions with the others.

An entry is reused only when all of these are unchanged:

- the file's content (a stat fast path: mtime, ctime, size and inode, where
  ctime catches an edit that put the old mtime back; when the stat changed
  the text is hashed and compared, so ``touch`` or a checkout does not
  invalidate anything);
- the content of every file the scanner read beside it through
  ``ScanContext.read`` (the ``.env`` next to a compose file, an ``include``),
  including files that were missing then and exist now;
- the settings that change what a scanner reports: the fields of
  ``ScanContext`` (env files, the environment when ``--use-environment`` is on),
  ``max-file-size``, the current directory (displayed paths depend on it),
  portlint's version and the code itself (a digest of the package's files),
  PyYAML's, and the Python version. These select one index file.

An index is a header line of JSON (format, settings key, and each file's
path, stat, digest and dependencies, in order), then one line per file: its
scan result as JSON text, decoded only when the result is used (a pre-commit
run that reuses the project findings decodes the bindings of the files it
reports on only). The result text is never a string inside JSON, so reading
it is a split rather than an unescape, and writing the index back after one
change encodes only that file's line: the others are written out as they
were read. A few changed entries are not even that: they go to a delta file
of the same layout (``scan-<key>-delta.json``), which names the index it was
written over by its signature and is read after it; the index is rewritten,
and the delta dropped, once the changes are many.

The folder is inside a repository that may be hostile, so nothing in it is
trusted. Index files are JSON (never pickle or marshal) and carry an HMAC made
with a per-user key kept outside the repository; a file portlint did not
write on this account, or one that is corrupt, truncated, oversized, not a
regular file or of the wrong shape, is a cache miss, never an exception and
never a source of findings. Index files are replaced atomically (temporary
file, then rename), so two runs sharing the cache each leave a complete file
and the last one wins.

``PORTLINT_SCAN_CACHE_DIR`` may name any folder, the repository itself
included, so portlint writes and deletes only inside a folder it owns: one it
created (it then carries portlint's ``CACHEDIR.TAG`` and ignores itself with a
``.gitignore`` of ``*``) or one it found empty (tagged, but given no
``.gitignore``: the folder is not portlint's to hide). A folder holding
anything else without that tag is left exactly as it is and the run goes
without a cache. Inside an owned folder only portlint's own names are ever
deleted: ``scan-<32 hex>.json`` index files and their ``scan-<32 hex>-delta.json``
delta files, ``run-<32 hex>.json`` run records
(``engine.reuse``) and ``.tmp-<8 chars>`` temporary files.

A save killed between writing its temporary file and the rename leaves a
full-size file behind. Each run removes such files once they are stale: a
save holds an exclusive ``flock`` on its temporary file until the rename, so
a file no process holds is an orphan, given a grace period for the instant
between its creation and the lock; a file held for over an hour belongs to a
stopped process, and removing it only costs that process its save (its rename
fails, which a save ignores).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import hmac
import json
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, BinaryIO

from portlint import __version__
from portlint.engine.codec import Invalid, Unsupported, codec_for
from portlint.scanners.base import ScanContext, ScanResult
from portlint.source import SourceFile, read_bytes

CACHE_DIR = ".portlint_cache"
FORMAT = 7  # 7: each entry names its result's digest; 6: a line per entry's result;
# 5: PortBinding gained ``settings``, ``exposure``, ``loopback``; fixes (Problem.fix,
# Directive spans); 3: ``extra`` became ``host``
MAX_INDEX_BYTES = 256 * 1024 * 1024  # a larger index is not ours (or not worth reading)
RACY_SECONDS = 2.0  # a file modified this recently may change again within one mtime tick
# (discovery.SETTLED_NS, the same, decides which of its stats ScanCache.stat may reuse)
TEMP_GRACE_SECONDS = 60.0  # a younger temporary file may not be locked yet (or clocks differ)
TEMP_MAX_AGE_SECONDS = 3600.0  # no save takes this long: whoever holds it is stopped
_INDEX_NAME = re.compile(r"scan-[0-9a-f]{32}\.json")  # settings_key() is 32 hex digits
_DELTA_NAME = re.compile(r"scan-[0-9a-f]{32}-delta\.json")  # the entries changed since the index
_TEMP_NAME = re.compile(r"\.tmp-[a-z0-9_]{8}")  # tempfile.mkstemp(prefix=".tmp-")
RUN_RECORD_NAME = re.compile(r"run-[0-9a-f]{32}\.json")  # engine.reuse: one finished run
KEEP_RECORDS = 12  # records kept per cache folder (engine.reuse): runs, project rules
DELTA_MIN = 64  # changed entries a delta may always hold; else up to 1/16 of the index
_TAG_MAX = 4096
_GITIGNORE = "# created by portlint: this folder is a cache\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by portlint.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)

StatKey = tuple[int, int, int, int]  # (mtime_ns, ctime_ns, size, inode)


def cache_dir(root: str) -> str:
    """``.portlint_cache`` in the project root, or ``$PORTLINT_SCAN_CACHE_DIR`` when set.

    The variable moves the cache out of the tree (read-only checkouts, CI
    caches, and portlint's own test suite, which must not litter fixtures).
    """
    return os.environ.get("PORTLINT_SCAN_CACHE_DIR") or os.path.join(root, CACHE_DIR)


def text_digest(source: SourceFile | None) -> str | None:
    """Identity of what a scanner saw of a file (None: missing or not text)."""
    if source is None:
        return None
    data = f"{source.encoding}\0{source.text}".encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stat_key(abs_path: str) -> StatKey | None:
    """The stat fast path's key, or None when the stat cannot be trusted or taken."""
    try:
        st = os.stat(abs_path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or time.time() - st.st_mtime < RACY_SECONDS:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def result_digest(text: str) -> str:
    """A short digest of one file's encoded scan result: equal digests, equal results."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


EMPTY_DIGEST = result_digest("")  # a file that went through no scan (skipped)


def known_stat_key(known: StatKey | None, abs_path: str) -> StatKey | None:
    """``stat_key``, from a settled stat this run already took of the file when there is one."""
    return stat_key(abs_path) if known is None else known


def _code_digest() -> str:
    """Version, code and parser identity: editing portlint must not reuse old results."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    # The whole package (this module is in portlint/engine/): a scanner edit counts too.
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".tsv", ".json", ".toml")):
                st = os.stat(os.path.join(folder, name))
                h.update(
                    f"{folder[len(package) :]}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode()
                )
    import importlib.util

    spec = importlib.util.find_spec("yaml")
    origin = spec.origin if spec is not None else None
    if origin:
        with contextlib.suppress(OSError):
            st = os.stat(origin)
            h.update(f"yaml\0{origin}\0{st.st_size}\0{st.st_mtime_ns}".encode())
    return h.hexdigest()


def settings_key(ctx: ScanContext, max_file_size: int, cwd: str) -> str:
    """Everything outside a file that changes how it scans."""
    parts: dict[str, Any] = {"cwd": cwd, "max_file_size": max_file_size, "code": _code_digest()}
    for f in dataclasses.fields(ctx):
        if f.name == "read":
            continue
        value = getattr(ctx, f.name)
        if isinstance(value, Mapping):
            parts[f.name] = sorted((str(k), str(v)) for k, v in value.items())
        elif isinstance(value, (str, int, bool, float, tuple, list)) or value is None:
            parts[f.name] = value
        else:  # unknown kind of setting: its repr, which at worst only causes misses
            parts[f.name] = repr(value)
    text = json.dumps(parts, sort_keys=True, default=repr)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _key_file() -> str:
    from portlint.registry import cache_dir as user_cache_dir

    return os.path.join(user_cache_dir(), "cache-key")


def signing_key() -> bytes | None:
    """This account's secret for signing index files, created on first use.

    It lives outside every repository, so a cache committed to a repository
    (or planted by a hostile one) cannot carry a valid signature. None when
    there is no writable place for it: then nothing is cached.
    """
    path = _key_file()
    with contextlib.suppress(OSError):
        with open(path, "rb") as fh:
            key = fh.read(128)
        if len(key) >= 32:
            return key
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        key = os.urandom(32).hex().encode()
        fd, tmp = tempfile.mkstemp(prefix=".key-", dir=os.path.dirname(path))
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        try:
            os.link(tmp, path)  # never replaces a key another process just made
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
        with open(path, "rb") as fh:
            key = fh.read(128)
    except OSError:
        return None
    return key if len(key) >= 32 else None


@dataclasses.dataclass(slots=True)
class Dependency:
    """A file read beside the scanned one: its displayed path and what it held."""

    path: str
    stat: StatKey | None
    digest: str | None


@dataclasses.dataclass(slots=True)
class Scanned:
    """One file's fresh scan, ready to store: the result plus what it depended on."""

    result: ScanResult
    stat: StatKey | None
    digest: str | None
    deps: list[Dependency]


class ScanCache:
    """One index file: entries of one settings key, loaded once, saved once."""

    def __init__(
        self,
        folder: str,
        key: str,
        secret: bytes,
        cwd: str,
        max_file_size: int,
        stats: Mapping[str, StatKey] | None = None,
    ):
        self.folder = folder
        # abs path -> the stat discovery took this run (discovery.discover's ``stats``)
        self.stats: Mapping[str, StatKey] = stats if stats is not None else {}
        self.path = os.path.join(folder, f"scan-{key}.json")
        self.delta_path = os.path.join(folder, f"scan-{key}-delta.json")
        self._base: bytes | None = None  # the signature of the index as read
        self.key = key
        self.secret = secret
        self.cwd = cwd
        self.max_file_size = max_file_size
        self._entries: dict[str, Any] | None = None  # read on first use (engine.reuse may not)
        self._lines: dict[str, bytes] = {}  # each entry's line as read, while unchanged
        # each entry's ``result_digest``, written in the signed index beside it:
        # a cached run learns its results' identity without hashing them again
        self._ids: dict[str, str] = {}
        self.dirty = False
        self._released = False
        self._dep_state: dict[str, str | None] = {}
        self.encode, self.decode = codec_for(ScanResult)
        self.hits = 0
        self.misses = 0
        # abs path -> the digest of the encoded result this run used (hit or stored):
        # engine.reuse's project records and engine.incremental's file rows key on it
        self.used: dict[str, str] = {}

    # -- reading -------------------------------------------------------

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = self._load()
        return self._entries

    def _load(self) -> dict[str, Any]:
        files: dict[str, Any] = {}
        base = self._read(self.path, None, files, self._lines)
        if base is not None:
            self._base = base
            delta: dict[str, Any] = {}
            self._read(self.delta_path, base, delta, None)
            for path in delta:  # the index's line is not this entry's any more
                self._lines.pop(path, None)
            files.update(delta)
        return files

    def _read(
        self,
        path: str,
        base: bytes | None,
        files: dict[str, Any],
        lines: dict[str, bytes] | None,
    ) -> bytes | None:
        """Add the entries of an index (``base`` None) or of the delta written over
        the index whose signature is ``base``; the file's signature, None if unusable."""
        signed = self._signed(path)
        if signed is None:
            return None
        data = signed[0]
        # One split of the file, no copy of its body: an index is megabytes.
        mac, header, *texts = data.split(b"\n")
        del data, signed
        try:
            doc = json.loads(header)
        except (ValueError, RecursionError):
            return None
        if type(doc) is not dict or doc.get("format") != FORMAT or doc.get("key") != self.key:
            return None
        if base is not None and doc.get("base") != base.decode("ascii"):
            return None  # written over another index, since replaced: its entries may be older
        entries = doc.get("files")
        if type(entries) is not list or len(entries) != len(texts):
            return None
        for entry, line in zip(entries, texts, strict=True):
            if (
                type(entry) is list
                and len(entry) == 5
                and type(entry[0]) is str
                and type(entry[4]) is str
            ):
                try:
                    text = line.decode("ascii")
                except ValueError:
                    continue  # a bad line is a miss for its file alone
                files[entry[0]] = [entry[1], entry[2], entry[3], text]
                self._ids[entry[0]] = entry[4]
                if lines is not None:
                    lines[entry[0]] = line
        return mac

    def sign(self, body: bytes | memoryview) -> bytes:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest().encode()

    def write_signed(self, path: str, lines: Sequence[bytes | str]) -> None:
        """``path`` atomically: the signature line, then ``lines`` (ASCII) joined by newlines.

        Streamed: the index of a large repository is over a hundred megabytes,
        and joining it, then prefixing its signature, held two more copies of
        it at the run's peak. The signature has a fixed length, so its line is
        written last, over a placeholder, before the file is renamed into place.
        """
        mac = hmac.new(self.secret, digestmod=hashlib.sha256)

        def write(fh: BinaryIO) -> None:
            fh.write(b"0" * (2 * mac.digest_size) + b"\n")
            for i, line in enumerate(lines):
                data = line.encode("ascii") if isinstance(line, str) else line
                if i:
                    mac.update(b"\n")
                    fh.write(b"\n")
                mac.update(data)
                fh.write(data)
            fh.seek(0)
            fh.write(mac.hexdigest().encode())

        replace_file(path, write)

    def decode_text(self, text: str, bindings: bool = True) -> ScanResult:
        """A result ``lookup_text`` returned; without ``bindings``, the rest of it only.

        Bindings are nearly all of a result's decoding cost, and a pre-commit
        run that reuses the project findings needs those of the files it
        reports on only (``engine.run``), so they are stored apart, after a
        tab (``encode_text``), and most files then have nothing else to read.
        Raises ``Invalid`` for a bad shape.
        """
        rest, tab, found = text.partition("\t")
        if not tab:
            raise Invalid("not a scan result")
        if not bindings and rest == "[]":
            return ScanResult()
        try:
            tail = json.loads(rest)
            head = json.loads(found) if bindings else []
            if type(tail) is not list:
                raise Invalid("not a scan result")
            result: ScanResult = self.decode([head, *tail])
        except (ValueError, RecursionError, TypeError) as exc:
            raise Invalid(str(exc)) from exc
        return result

    def encode_text(self, result: ScanResult) -> str:
        """The rest of a result, a tab, its bindings (JSON text never holds a raw tab)."""
        raw = self.encode(result)  # [bindings, problems, ...], trailing defaults left out
        compact = (",", ":")
        rest = json.dumps(raw[1:], separators=compact)
        return f"{rest}\t{json.dumps(raw[0] if raw else [], separators=compact)}"

    def lookup_text(self, abs_path: str, read: Callable[[], SourceFile | None]) -> str | None:
        """The cached result text for a file (``decode_text`` reads it), or None on a miss.

        ``read`` reads the file through the engine's reader; it is called only
        when the stat fast path fails (the caller keeps what it read, so a
        miss does not read the file twice).
        """
        entry = self.entries.get(abs_path)  # displayed names may clash once escaped
        if type(entry) is not list or len(entry) != 4:
            self.misses += 1
            return None
        stat_then, digest, deps, text = entry
        known = self.stats.get(abs_path)  # ScanCache.stat, inline: called once per file
        now = known if known is not None else stat_key(abs_path)
        if now is None or type(stat_then) is not list or stat_then != [*now]:
            source = read()
            if source is None or text_digest(source) != digest:
                self.misses += 1
                return None
            entry[0] = _stat_list(now)
            self._lines.pop(abs_path, None)
            self.dirty = True
        if not self._deps_unchanged(deps):
            self.misses += 1
            return None
        if type(text) is not str:
            self.misses += 1
            return None
        self.hits += 1
        self.used[abs_path] = self._ids[abs_path]  # read with the entry, in the same line
        return text

    def stat(self, abs_path: str) -> StatKey | None:
        """``stat_key`` of a file, without a second call when discovery stat'ed it."""
        return known_stat_key(self.stats.get(abs_path), abs_path)

    def _deps_unchanged(self, deps: Any) -> bool:
        if type(deps) is not list:
            return False
        for dep in deps:
            if type(dep) is not list or len(dep) != 3 or type(dep[0]) is not str:
                return False
            path, stat_then, digest = dep
            if path not in self._dep_state:
                abs_path = os.path.join(self.cwd, path)
                # Most dependencies are files a scanner looked for and did not find
                # (the `.env` beside each compose file): one lstat says they still
                # are not there, where a failed stat would be a second call.
                if stat_then is None and digest is None and not os.path.lexists(abs_path):
                    self._dep_state[path] = None  # missing then, missing now
                    continue
                now = stat_key(abs_path)
                if now is not None and _as_stat(stat_then) == now:
                    self._dep_state[path] = digest if type(digest) is str else None
                else:
                    self._dep_state[path] = text_digest(self._read_dep(abs_path, path))
            if self._dep_state[path] != digest:
                return False
        return True

    def _read_dep(self, abs_path: str, path: str) -> SourceFile | None:
        from portlint.source import read_source

        source = read_source(abs_path, path, self.max_file_size)
        return source if isinstance(source, SourceFile) else None

    # -- writing -------------------------------------------------------

    def store(self, abs_path: str, scanned: Scanned) -> None:
        encoded = self.encode_text(scanned.result)
        deps = [[d.path, _stat_list(d.stat), d.digest] for d in scanned.deps]
        self.entries[abs_path] = [_stat_list(scanned.stat), scanned.digest, deps, encoded]
        self._lines.pop(abs_path, None)
        self.used[abs_path] = self._ids[abs_path] = result_digest(encoded)
        self.dirty = True

    def release(self) -> None:
        """Forget the entries' result texts once they are saved: the run has its results
        (fresh ones as objects, cached ones in ``Scans``), and the texts of a
        100,000-file repository are over 100 MB. Only the stat, digest and
        dependencies of each entry stay, for ``engine.reuse.watched_files``.
        """
        for entry in self.entries.values():
            if type(entry) is list and len(entry) == 4:
                entry[3] = None
        self._lines.clear()
        self._released = True

    def save(self) -> None:
        """Write what changed; a failure to write only costs speed.

        A few changed entries (a pre-commit run's files) go to the delta file
        beside the index, which names the index it was written over; the index
        itself, megabytes for a large repository, is rewritten only when the
        changes are many, and the delta then goes.
        """
        if not self.dirty or self._released:
            return  # released: the texts to write are gone (one save per run)
        entries = self.entries
        changed = [path for path in entries if path not in self._lines]
        delta = self._base is not None and len(changed) <= max(DELTA_MIN, len(entries) // 16)
        metas: list[list[Any]] = []
        lines: list[bytes | str] = []  # encoded one at a time as they are written
        for path in changed if delta else entries:
            stat_then, digest, deps, text = entries[path]
            metas.append([path, stat_then, digest, deps, self._ids[path]])
            line = self._lines.get(path)
            lines.append(text if line is None else line)  # JSON: no newline
        header: dict[str, Any] = {"format": FORMAT, "key": self.key, "files": metas}
        if delta and self._base is not None:
            header["base"] = self._base.decode("ascii")
        parts = [json.dumps(header, separators=(",", ":")).encode()]
        with contextlib.suppress(OSError):
            prepare_folder(self.folder)
            if delta:
                self.write_signed(self.delta_path, [*parts, *lines])
                prune(self.folder, self.delta_path, _DELTA_NAME)
                return
            self.write_signed(self.path, [*parts, *lines])
            prune(self.folder, self.path, _INDEX_NAME)
            prune(self.folder, self.delta_path, _DELTA_NAME)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.delta_path)  # its entries are in the index now

    def read_record(self, path: str) -> Any:
        """The JSON document ``write_record`` wrote, if its signature holds; else None."""
        body = self.read_signed(path)
        if body is None:
            return None
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            return None

    def read_signed(self, path: str) -> bytes | None:
        """What ``write_record`` wrote, unparsed, if its signature holds; else None."""
        signed = self._signed(path)
        return None if signed is None else signed[0][signed[1] + 1 :]

    def _signed(self, path: str) -> tuple[bytes, int] | None:
        """A file's bytes and where its signature line ends, if the signature holds."""
        data = read_regular(path)
        if data is None:
            return None
        end = data.find(b"\n")
        if end < 0 or not hmac.compare_digest(data[:end], self.sign(memoryview(data)[end + 1 :])):
            return None
        return data, end

    def write_record(self, path: str, doc: object, head: object = None) -> None:
        """A signed JSON record beside the index (engine.reuse), pruned like indexes.

        ``head``, when given, is a first line of JSON before the document, which
        a reader may judge before it parses the rest (JSON text has no newline).
        """
        parts = [_json_bytes(doc)] if head is None else [_json_bytes(head), _json_bytes(doc)]
        with contextlib.suppress(OSError):
            prepare_folder(self.folder)
            self.write_signed(path, parts)
            prune(self.folder, path, RUN_RECORD_NAME, KEEP_RECORDS)
        self.dirty = False


def _json_bytes(doc: object) -> bytes:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8", "surrogatepass"
    )


_OWN_NAMES = (_INDEX_NAME, _DELTA_NAME, _TEMP_NAME, RUN_RECORD_NAME)


def prune(folder: str, keep: str, names: re.Pattern[str], limit: int = 8) -> None:
    """Drop the least recently written files named like ``names`` beyond ``limit``.

    Each settings key (another cwd, other env files, a new portlint) has its
    own index and run records; without this, upgrades would leave old ones forever.
    """
    found = []
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if names.fullmatch(name) and path != keep:
            with contextlib.suppress(OSError):
                st = os.lstat(path)
                if stat.S_ISREG(st.st_mode):
                    found.append((st.st_mtime_ns, path))
    for _mtime, path in sorted(found)[: max(0, len(found) - (limit - 1))]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _as_stat(value: Any) -> StatKey | None:
    if type(value) is list and len(value) == 4 and all(type(v) is int for v in value):
        return (value[0], value[1], value[2], value[3])
    return None


def _stat_list(value: StatKey | None) -> list[int] | None:
    return list(value) if value is not None else None


def read_regular(path: str, limit: int = MAX_INDEX_BYTES) -> bytes | None:
    """A regular file's bytes through the one guarded reader, never following a link."""
    try:
        return read_bytes(path, limit, nofollow=True)
    except OSError:  # missing, a link, a FIFO, too large: not portlint's cache file
        return None


def _usable_folder(folder: str) -> bool:
    """The cache folder exists as a real directory (not a link planted to redirect writes)."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode)


def _marked(folder: str) -> bool:
    """The folder carries portlint's own ``CACHEDIR.TAG``: portlint created or adopted it."""
    return read_regular(os.path.join(folder, "CACHEDIR.TAG"), _TAG_MAX) == _CACHEDIR_TAG.encode()


def _is_empty(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except OSError:
        return False


def prepare_folder(folder: str) -> None:
    """Make sure ``folder`` is one portlint owns, or raise OSError (the save is then skipped).

    Only a folder created here gets the ``.gitignore``; an empty one found in
    place is adopted with the tag alone; anything else is not portlint's.
    """
    if not os.path.lexists(folder):
        parent = os.path.dirname(os.path.abspath(folder))
        os.makedirs(parent, exist_ok=True)
        try:
            os.mkdir(folder)
        except FileExistsError:
            pass  # another run made it a moment ago: judged below like any other
        else:
            replace_file(os.path.join(folder, "CACHEDIR.TAG"), _CACHEDIR_TAG.encode())
            replace_file(os.path.join(folder, ".gitignore"), _GITIGNORE.encode())
            return
    if not _usable_folder(folder):
        raise OSError(f"{folder} is not a directory")
    if _marked(folder):
        return
    if not _is_empty(folder):
        raise OSError(f"{folder} is not a cache folder portlint made")
    replace_file(os.path.join(folder, "CACHEDIR.TAG"), _CACHEDIR_TAG.encode())


def replace_file(path: str, data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write ``path`` atomically, holding a lock on the temporary file until the rename,
    so that another run can tell a save in progress from the leftover of a killed one.
    ``data``: the bytes, or a function that writes them to the open file."""
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            held = _lock(fh.fileno())
            if isinstance(data, bytes):
                fh.write(data)
            else:
                data(fh)
            if held:  # renamed while still held: never seen unheld before it is done
                fh.flush()
                os.replace(tmp, path)
        if not held:
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _lock(fd: int) -> bool:
    """Take an exclusive ``flock`` on a fresh file; False where there is none."""
    try:
        import fcntl
    except ImportError:  # Windows: staleness is judged by age alone
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _held(path: str) -> bool:
    """Whether a live process still holds the temporary file (when in doubt: yes)."""
    try:
        import fcntl
    except ImportError:
        return True
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)  # also drops the probe's own lock
    return False


def remove_stale_temps(folder: str, now: float | None = None) -> int:
    """Delete the temporary files killed saves left in an owned folder; how many.

    A file goes when no process holds it and it is older than the grace period
    (or older than any save could take, held or not). Deleting a file a live
    run still wanted costs that run its save only, never the index: the rename
    fails, and a failed save is ignored.
    """
    now = time.time() if now is None else now
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if not _TEMP_NAME.fullmatch(name):
            continue
        path = os.path.join(folder, name)
        try:
            st = os.lstat(path)
        except OSError:
            continue
        age = now - st.st_mtime
        if not stat.S_ISREG(st.st_mode) or age < TEMP_GRACE_SECONDS:
            continue
        if age < TEMP_MAX_AGE_SECONDS and _held(path):
            continue
        try:
            os.unlink(path)
        except OSError:
            continue
        removed += 1
    return removed


def open_cache(
    root: str,
    ctx: ScanContext,
    max_file_size: int,
    cwd: str,
    stats: Mapping[str, StatKey] | None = None,
) -> ScanCache | None:
    """The cache for this run, or None when it cannot be used safely.

    ``stats``: what discovery stat'ed this run (``ScanCache.stat``)."""
    folder = cache_dir(root)
    if os.path.lexists(folder):
        if not _usable_folder(folder):
            return None
        if _marked(folder):
            remove_stale_temps(folder)
        elif not _is_empty(folder):
            return None  # not portlint's: neither read nor written
    secret = signing_key()
    if secret is None:
        return None
    try:
        key = settings_key(ctx, max_file_size, cwd)
        return ScanCache(folder, key, secret, cwd, max_file_size, stats)
    except Unsupported:
        return None


@dataclasses.dataclass(frozen=True, slots=True)
class Cleaned:
    """What ``portlint clean`` did to the cache folder."""

    folder: str
    refused: str | None = None  # why nothing was removed: the folder is not portlint's
    left: int = 0  # entries portlint did not write, left in place
    folder_removed: bool = False


def clean(root: str) -> Cleaned | None:
    """Delete portlint's files from the cache folder; None when there is no folder.

    Only a folder carrying portlint's tag is touched, and in it only portlint's
    own names: index files, temporary files, then the tag and the ``.gitignore``
    (when it is portlint's) once nothing else is left. The folder itself goes
    only if portlint created it (it holds portlint's ``.gitignore``) and is
    then empty. A link or a file in place of the folder is left alone.
    """
    folder = cache_dir(root)
    if not os.path.lexists(folder):
        return None
    if os.path.islink(folder):
        return Cleaned(folder, refused="a symbolic link")
    if not os.path.isdir(folder):
        return Cleaned(folder, refused="not a folder")
    if not _marked(folder):
        return Cleaned(folder, refused="no CACHEDIR.TAG of portlint's")
    left = 0
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name in ("CACHEDIR.TAG", ".gitignore"):
            continue
        try:
            regular = stat.S_ISREG(os.lstat(path).st_mode)
        except FileNotFoundError:
            continue
        if regular and any(p.fullmatch(name) for p in _OWN_NAMES):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        else:
            left += 1
    ignore = os.path.join(folder, ".gitignore")
    created = read_regular(ignore, _TAG_MAX) == _GITIGNORE.encode()
    if not created and os.path.lexists(ignore):
        left += 1
    if left:
        return Cleaned(folder, left=left)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(folder, "CACHEDIR.TAG"))
    if created:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(ignore)
        with contextlib.suppress(OSError):
            os.rmdir(folder)
    return Cleaned(folder, folder_removed=not os.path.lexists(folder))


def recording_reader(
    read: Callable[[str], SourceFile | None] | None, cwd: str, deps: list[Dependency]
) -> Callable[[str], SourceFile | None] | None:
    """Wrap ``ScanContext.read`` so every file a scanner looks at becomes a dependency."""
    if read is None:
        return None
    seen: set[str] = set()

    def recorded(path: str) -> SourceFile | None:
        before = stat_key(os.path.join(cwd, path))
        source = read(path)
        if path not in seen:
            seen.add(path)
            deps.append(Dependency(path, before, text_digest(source)))
        return source

    return recorded
