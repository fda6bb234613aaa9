"""The effective configuration of a run.

``Config`` is frozen: rules receive read-only views of it, and the engine is a
pure function of (paths, config). Loading it from ``pyproject.toml`` or
``.portlint.toml`` lives in :func:`load_config`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from portlint.errors import ConfigError, toml_syntax_error
from portlint.findings import Severity
from portlint.project import display, locate_root
from portlint.source import (
    DEFAULT_MAX_FILE_SIZE,
    MAX_SETTINGS_FILE_SIZE,
    confined,
    read_text,
)

MAX_FILE_SIZE_CEILING = 10 * 1024 * 1024
"""The most a config file may raise ``max-file-size`` to; ``--max-file-size`` may go further.

The config file is repository content: a pull request can set it. Scanning
a compose file costs about 80 times its size in memory and 1.5 s per MiB
(10 MiB, 250,000 services: 16 s, 870 MB), so 10 MiB keeps one file under a
gigabyte; it is five times the default and beyond any hand-written config.
A 60 MB file let in by a config took over 15 minutes and 4.5 GB.
"""


DEFAULT_EXCLUDES: tuple[str, ...] = (
    # version control and tool caches
    ".git",
    ".hg",
    ".svn",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".portlint_cache",
    ".terraform",
    # virtual environments and installed packages
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "site-packages",
    # vendored and third-party code: other projects' config, not this one's
    "node_modules",
    "bower_components",
    "vendor",
    "third_party",
    # build output (not ``build``: Go layouts keep real Dockerfiles and CI there)
    "dist",
    # test inputs: files a test reads, not the project's config
    "testdata",
    "fixtures",
    "__fixtures__",
    "__mocks__",
)
"""Folders ``exclude`` names when no config sets it; ``extend-exclude`` adds to them.

Each matches a path component anywhere below a scanned folder, never the folder
named on the command line itself, so ``portlint check tests/fixtures`` lints it.
"""


def _frozen(mapping: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True, slots=True)
class Config:
    select: tuple[str, ...] = ()  # empty: every rule that is on by default
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=_frozen)
    severity: Mapping[str, Severity] = field(default_factory=_frozen)  # code -> override
    fail_on: Severity = Severity.WARNING
    include: tuple[str, ...] = ()  # extra file patterns to scan, beyond the scanners' defaults
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES  # replaced, not extended, by a config's
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    follow_links: bool = False  # read symlinks that point outside the scanned folder
    # Only the command line may follow links out of the project: a repository's
    # own config turning on ``follow-links`` would otherwise read ~/.ssh for it.
    links_may_leave_project: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    output_format: str = "text"
    baseline: str | None = None
    allocations: tuple[str, ...] = ()
    env_files: tuple[str, ...] = ()
    use_environment: bool = False
    ephemeral_range: tuple[int, int] = (32768, 60999)
    nodeport_range: tuple[int, int] = (30000, 32767)
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=_frozen)
    force_exclude: bool = False  # apply exclude to files named on the command line too
    suppressions: bool = True  # False: --no-suppressions
    project_context: bool = True  # given files: scan the project, report on those files
    cache: bool = True  # reuse per-file scan results from .portlint_cache (--no-cache)
    jobs: int = 0  # --jobs: accepted and ignored; every file is scanned in this process
    root: str = "."  # folder that relative paths in the config are resolved against
    source: str | None = None  # the file this came from, None for defaults


# --------------------------------------------------------------------------
# Loading: find the closest config file, validate it, apply CLI overrides.
# --------------------------------------------------------------------------

CONFIG_FILES = (".portlint.toml", "portlint.toml", "pyproject.toml")
"""Looked for in this order in each folder, from the current one upwards."""

DEFAULT_BASELINE = ".portlint-baseline.json"

# TOML key -> Config field. Every key a config file may hold, in the order
# ``portlint config`` prints them and docs/configuration.md documents them.
KEYS: dict[str, str] = {
    "include": "include",
    "exclude": "exclude",
    "extend-exclude": "extend_exclude",
    "force-exclude": "force_exclude",
    "respect-gitignore": "respect_gitignore",
    "follow-links": "follow_links",
    "max-file-size": "max_file_size",
    "select": "select",
    "extend-select": "extend_select",
    "ignore": "ignore",
    "per-file-ignores": "per_file_ignores",
    "severity": "severity",
    "fail-on": "fail_on",
    "output-format": "output_format",
    "baseline": "baseline",
    "allocations": "allocations",
    "env-files": "env_files",
    "ephemeral-range": "ephemeral_range",
    "nodeport-range": "nodeport_range",
    "rules": "rule_options",
}


Check = Callable[[dict[str, Any], "_Source"], dict[str, Any]]
"""Validates parsed values against what sits above config; raises ``src.error``."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """A config plus where each value came from (for ``portlint config``)."""

    config: Config
    origins: Mapping[str, str]  # TOML key or "rules.<CODE>.<option>" -> "default" / file / flag


def _toml_loads(text: str) -> dict[str, Any]:
    """tomllib on 3.11+, tomli before; imported here so plain runs never pay for it."""
    import importlib
    import sys

    name = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    module = importlib.import_module(name)
    data: dict[str, Any] = module.loads(text)
    return data


def _toml_error_type() -> type[Exception]:
    import importlib
    import sys

    name = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    err: type[Exception] = importlib.import_module(name).TOMLDecodeError
    return err


def locate_key(text: str, table: Sequence[str], key: str) -> tuple[int, int] | None:
    """Best-effort (line, column) of ``key`` inside ``[table]`` of a TOML text.

    The TOML parsers give positions only for syntax errors; for a value of the
    wrong type a position still saves the user a search, so find the line that
    assigns the key under the right header (also dotted ``a.b = ...`` forms).
    """
    want = ".".join(table)
    current = ""
    key_re = re.compile(r"\s*(\"?)" + re.escape(key) + r"\1\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = _HEADER.match(stripped)
        if header:
            current = ".".join(p.strip().strip('"') for p in header.group(1).split("."))
            if current == (f"{want}.{key}" if want else key):
                return number, 1  # the key is a table of its own: [tool.portlint.rules.X]
            continue
        if current == want:
            m = key_re.match(line)
            if m:
                return number, len(line) - len(line.lstrip()) + 1
        elif want.startswith(current + ".") or not current:
            rest = want[len(current) + 1 :] if current else want
            dotted = re.match(r"\s*" + re.escape(rest + "." + key) + r"\s*=", line)
            if dotted:
                return number, len(line) - len(line.lstrip()) + 1
    return None


# The name never ends in whitespace, so nothing is retried: ``[^\]]+?\s*\]`` read a
# long run of spaces again from every position (quadratic in a committed config).
_HEADER = re.compile(r"\[\[?\s*((?:[^\]\s]|\s+(?=[^\]\s]))+)\s*\]\]?\s*(#.*)?\Z")


class _Source:
    """The file being validated, to build errors with file, dotted key and position."""

    def __init__(self, path: str, text: str, prefix: tuple[str, ...]) -> None:
        self.path = path
        self.text = text
        self.prefix = prefix  # ("tool", "portlint") for pyproject.toml

    def error(self, keys: Sequence[str], message: str, hint: str | None = None) -> ConfigError:
        dotted = ".".join((*self.prefix, *keys))
        where = self.path
        pos = locate_key(self.text, (*self.prefix, *keys[:-1]), keys[-1]) if keys else None
        if pos is not None:
            where += f":{pos[0]}:{pos[1]}"
        return ConfigError(f"{where}: {dotted}: {message}", hint=hint)


Source = _Source  # for the checks above configuration (rules.selection)


def find_config_file(start: str) -> str | None:
    """The closest config file from ``start`` upwards; a pyproject.toml counts
    only when it has a ``[tool.portlint]`` table (as ruff does with ``[tool.ruff]``)."""
    folder = os.path.abspath(start)
    while True:
        for name in CONFIG_FILES:
            path = os.path.join(folder, name)
            # Anything but a folder under a config file's name is the config:
            # a link to a device or a FIFO is refused loudly when read, not
            # skipped in silence for the defaults.
            if not os.path.lexists(path) or os.path.isdir(path):
                continue
            if name != "pyproject.toml" or _has_portlint_table(path):
                return path
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_portlint_table(path: str) -> bool:
    """True also for a pyproject.toml that cannot be read: reading it says why."""
    try:
        text = read_text(path, MAX_SETTINGS_FILE_SIZE)
    except UnicodeDecodeError:
        return False
    except OSError as exc:
        return not isinstance(exc, FileNotFoundError)
    # [^\S\n]*, not \s*: from every line start \s* also read all the blank lines after it.
    # Any header naming tool.portlint counts, a broken one too (`[tool.portlint`
    # without its `]`): reading the file then reports the syntax error, exit 2.
    table = r"^[^\S\n]*\[\s*tool\s*\.\s*portlint(?![\w-])"
    return re.search(table, text, re.MULTILINE) is not None


def read_config_file(path: str, shown: str | None = None) -> tuple[dict[str, Any], _Source]:
    """The portlint table of a config file; errors name the file as ``shown``."""
    real, path = path, shown or path
    try:
        text = read_text(real, MAX_SETTINGS_FILE_SIZE)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8 text") from None
    try:
        data = _toml_loads(text)
    except _toml_error_type() as exc:
        raise toml_syntax_error(path, text, exc) from None
    if os.path.basename(real) == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("portlint", {}) if isinstance(tool, dict) else {}
        src = _Source(path, text, ("tool", "portlint"))
        if not isinstance(table, dict):
            raise src.error((), "must be a table")
        return table, src
    return data, _Source(path, text, ())


def _expect_list(src: _Source, keys: Sequence[str], value: Any, item: type) -> tuple[Any, ...]:
    name = {str: "string", int: "integer"}[item]
    if isinstance(value, item) and item is str:
        return (value,)
    if not isinstance(value, list) or not all(
        isinstance(v, item) and not isinstance(v, bool) for v in value
    ):
        raise src.error(keys, f"must be a list of {name}s, not {describe(value)}")
    return tuple(value)


def describe(value: Any) -> str:
    """A TOML value as an error message names it: ``integer 3``, ``a table``."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def parse_range(value: Any) -> tuple[int, int]:
    """``[lo, hi]`` or ``"lo-hi"``: an inclusive port range."""
    if isinstance(value, str):
        lo_text, sep, hi_text = value.partition("-")
        if not sep or not lo_text.strip().isdigit() or not hi_text.strip().isdigit():
            raise ValueError(f'must be a port range like "32768-60999", not {value!r}')
        lo, hi = int(lo_text), int(hi_text)
    elif (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        lo, hi = value
    else:
        raise ValueError(f'must be [low, high] or "low-high", not {describe(value)}')
    if not 0 <= lo <= hi <= 65535:
        raise ValueError(f"must satisfy 0 <= low <= high <= 65535, got {lo}-{hi}")
    return lo, hi


def parse_table(data: Mapping[str, Any], src: _Source) -> dict[str, Any]:
    """Check a ``[tool.portlint]`` table's shape into Config field values.

    Shape only: selectors, ``severity`` and ``rules`` are checked against the
    rule catalogue by the ``check`` that :func:`resolve` is given
    (:func:`portlint.rules.selection.check_table`), since the catalogue sits
    above configuration.
    """
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "see docs/configuration.md"
            raise src.error((key,), "unknown key", hint=hint)
        field_name = KEYS[key]
        keys = (key,)
        if key in ("select", "extend-select", "ignore", "include", "exclude", "extend-exclude"):
            out[field_name] = _expect_list(src, keys, value, str)  # selectors: rules.selection
        elif key in ("env-files", "allocations"):
            out[field_name] = _expect_list(src, keys, value, str)
        elif key in ("respect-gitignore", "force-exclude", "follow-links"):
            if not isinstance(value, bool):
                raise src.error(keys, f"must be true or false, not {describe(value)}")
            out[field_name] = value
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise src.error(keys, f"must be a positive number of bytes, not {describe(value)}")
            if value > MAX_FILE_SIZE_CEILING:
                raise src.error(
                    keys,
                    f"{value} is above the {MAX_FILE_SIZE_CEILING} bytes a config file may set",
                    hint=f"pass --max-file-size {value} on the command line to scan such files",
                )
            out[field_name] = value
        elif key in ("fail-on", "output-format", "baseline"):
            if not isinstance(value, str):
                raise src.error(keys, f"must be a string, not {describe(value)}")
            if key == "fail-on":
                try:
                    out[field_name] = Severity.parse(value)
                except ValueError as exc:
                    raise src.error(keys, str(exc)) from None
            else:
                out[field_name] = value
        elif key in ("ephemeral-range", "nodeport-range"):
            try:
                out[field_name] = parse_range(value)
            except ValueError as exc:
                raise src.error(keys, str(exc)) from None
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise src.error(keys, f"must be a table of glob = [codes], not {describe(value)}")
            out[field_name] = _frozen(
                {glob: _expect_list(src, (key, glob), codes, str) for glob, codes in value.items()}
            )
        elif key == "severity":
            if not isinstance(value, dict):
                raise src.error(keys, f"must be a table of code = severity, not {describe(value)}")
            out[field_name] = dict(value)  # names and levels: rules.selection
        else:  # rules
            if not isinstance(value, dict):
                raise src.error(keys, f"must be a table of rule tables, not {describe(value)}")
            out[field_name] = dict(value)  # rule names and option values: rules.selection
    return out


def resolve(
    cwd: str,
    config_file: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    isolated: bool = False,
    check: Check | None = None,
) -> Resolved:
    """The effective config: defaults < closest config file < command-line flags.

    ``config_file`` (``--config``) replaces the search; ``overrides`` maps
    TOML keys to already-validated values taken from flags, each recorded with
    its flag as origin. ``check`` validates the file's values against what
    sits above configuration (the rule catalogue, the reporters); the
    commands pass it (:func:`portlint.commands.load_config`).
    """
    origins: dict[str, str] = dict.fromkeys(KEYS, "default")
    path = config_file if config_file is not None else (None if isolated else find_config_file(cwd))
    values: dict[str, Any] = {}
    root = locate_root(cwd, path)
    if path is not None:
        if not os.path.lexists(path):
            raise ConfigError(f"{path}: no such config file")
        shown = display(path, cwd)
        table, src = read_config_file(path, shown)
        values = parse_table(table, src)
        if check is not None:
            values = check(values, src)
        typed = {KEYS[key] for key in overrides or {}}
        _check_named_files({k: v for k, v in values.items() if k not in typed}, root, src)
        for key, field_name in KEYS.items():
            if field_name in values:
                origins[key] = shown
        for code, options in values.get("rule_options", {}).items():
            for opt in options:
                origins[f"rules.{code}.{opt}"] = shown
    for key, (value, flag) in (overrides or {}).items():
        values[KEYS[key]] = value
        origins[key] = flag
    values["links_may_leave_project"] = "follow-links" in (overrides or {})
    config = Config(**values, root=root, source=None if path is None else os.path.abspath(path))
    return Resolved(config, _frozen(origins))


_NAMED_FILES = {"env-files": "--env-file", "baseline": "--baseline", "allocations": ""}


def _check_named_files(values: Mapping[str, Any], root: str, src: _Source) -> None:
    """Files a config file names stay inside the project, and out of ``.git/``.

    The config file is repository content. ``env-files = ["~/.aws/credentials"]``
    or ``[".git/config"]`` (where a CI checkout keeps its token) would feed
    secrets into messages, ``baseline = "/dev/zero"`` into memory. Links are
    resolved first; a key the command line overrides is not checked, since
    its value is never used.
    """
    real_root = os.path.realpath(root)
    for key, flag in _NAMED_FILES.items():
        value = values.get(KEYS[key])
        for item in (value,) if isinstance(value, str) else value or ():
            full = os.path.join(root, os.path.expanduser(item))
            if confined(full, (real_root,)) is not None:
                continue
            rel = os.path.relpath(os.path.realpath(full), real_root).split(os.sep)
            why = "is outside the project root" if rel[0] == ".." else "is inside .git/"
            raise src.error(
                (key,),
                f"{item!r} {why} ({root}); a config file may name only files in the project",
                hint=f"pass {flag} on the command line to read it anyway"
                if flag
                else "keep the file inside the project",
            )


def resolve_path(config: Config, path: str) -> str:
    """A path from the config, read relative to the project root."""
    return os.path.normpath(os.path.join(config.root, os.path.expanduser(path)))
