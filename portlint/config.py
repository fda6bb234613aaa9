"""The effective configuration of a run.

``Config`` is frozen: rules receive read-only views of it, and the engine is a
pure function of (paths, config). Loading it from ``pyproject.toml`` or
``.portlint.toml`` lives in :func:`load_config`.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from portlint.errors import ConfigError
from portlint.findings import Finding, Severity
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
    jobs: int = 0  # scanning processes: 0 automatic, 1 serial (--jobs)
    root: str = "."  # folder that relative paths in the config are resolved against
    source: str | None = None  # the file this came from, None for defaults


def _specificity(selector: str, code: str, name: str, aliases: tuple[str, ...]) -> int:
    """How specifically a selector names a rule (0: not at all).

    A full code or a name is the most specific; a prefix (``PL4``) counts
    its length, so ``PL40`` beats ``PL4``, as in flake8's decision engine.
    """
    sel = selector.strip()
    if sel.lower() in (name, *(a.lower() for a in aliases)) or sel.upper() == code:
        return 100
    if sel.upper() == "ALL":
        return 1
    if code.startswith(sel.upper()) and sel.upper().startswith("PL"):
        return len(sel)
    return 0


def rule_is_selected(
    code: str, name: str, enabled: bool, config: Config, aliases: tuple[str, ...] = ()
) -> bool:
    """Select/ignore as a decision table: the more specific selector wins; ties go to ignore.

    Without ``select``, the base set is the rules that are on by default; an
    explicit ``select`` or ``extend-select`` that names a rule turns it on even
    when it is off by default.
    """
    base = config.select or (("ALL",) if enabled else ())
    chosen = max(
        (_specificity(s, code, name, aliases) for s in (*base, *config.extend_select)), default=0
    )
    ignored = max((_specificity(s, code, name, aliases) for s in config.ignore), default=0)
    return chosen > 0 and chosen > ignored


def selector_matches(selectors: Sequence[str], rule_code: str) -> bool:
    from portlint import rules

    rule = rules.BY_CODE.get(rule_code)
    name, aliases = (rule.name, rule.aliases) if rule else ("", ())
    return any(_specificity(s, rule_code, name, aliases) > 0 for s in selectors)


def per_file_ignored(config: Config, rel_path: str, finding: Finding) -> bool:
    """Whether ``per-file-ignores`` drops a finding at a project-relative path.

    Globs follow ``exclude``: one without ``/`` matches any path component,
    one with ``/`` matches from the project root.
    """
    from portlint.discovery import matches_glob

    return any(
        matches_glob((glob,), rel_path) and selector_matches(codes, finding.code)
        for glob, codes in config.per_file_ignores.items()
    )


def validate_selector(selector: str, where: str) -> None:
    from portlint import rules

    sel = selector.strip()
    if sel.upper() == "ALL" or rules.get(sel) is not None:
        return
    if sel.upper().startswith("PL") and any(
        r.code.startswith(sel.upper()) for r in rules.ALL_RULES
    ):
        return
    raise ConfigError(
        f"{where}: unknown rule code or name {selector!r}",
        hint="`portlint rule --all` lists every rule",
    )


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
    # [^\S\n]*, not \s*: from every line start \s* also read all the blank lines after it
    table = r"^[^\S\n]*\[\s*tool\s*\.\s*portlint\s*[\].]"
    return re.search(table, text, re.MULTILINE) is not None


def git_root(start: str) -> str | None:
    """The top of the git work tree holding ``start``, found without running git.

    Running ``git rev-parse`` here would let a folder that only looks like a
    repository configure that git; see :func:`portlint.discovery.find_work_tree`.
    """
    from portlint.discovery import find_work_tree

    found = find_work_tree(start)
    return found[0] if found is not None else None


def project_root(cwd: str, config_path: str | None) -> str:
    """What "the project" is: the config file's folder, else the git work
    tree, else the current directory."""
    if config_path is not None:
        return os.path.dirname(os.path.abspath(config_path))
    return git_root(cwd) or os.path.abspath(cwd)


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
        # The parser's message ends "(at line L, column C)": lift it into path:L:C.
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        where = f"{path}:{m.group(1)}:{m.group(2)}" if m else path
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) or msg
        raise ConfigError(
            f"{where}: invalid TOML: {msg[:1].lower()}{msg[1:]}",
            hint="check quoting and brackets at that position",
        ) from None
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
        raise src.error(keys, f"must be a list of {name}s, not {_describe(value)}")
    return tuple(value)


def _describe(value: Any) -> str:
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


def _selectors(src: _Source, keys: Sequence[str], value: Any) -> tuple[str, ...]:
    items = _expect_list(src, keys, value, str)
    for sel in items:
        try:
            validate_selector(sel, ".".join(keys))
        except ConfigError as exc:
            raise src.error(keys, f"unknown rule code or name {sel!r}", hint=exc.hint) from None
    return tuple(items)


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
        raise ValueError(f'must be [low, high] or "low-high", not {_describe(value)}')
    if not 0 <= lo <= hi <= 65535:
        raise ValueError(f"must satisfy 0 <= low <= high <= 65535, got {lo}-{hi}")
    return lo, hi


def coerce_option(type_name: str, value: Any) -> Any:
    """Check and convert a per-rule option value against its declared type.

    Types: ``int``, ``port`` (0-65535), ``bool``, ``str``, ``range``
    (``[lo, hi]`` or ``"lo-hi"``), ``severity`` and ``list[T]`` of any of them.
    Raises ValueError with a message naming what was expected.
    """
    if type_name.startswith("list[") and type_name.endswith("]"):
        inner = type_name[5:-1]
        if not isinstance(value, list):
            raise ValueError(f"must be a list ({type_name}), not {_describe(value)}")
        out = []
        for i, item in enumerate(value):
            try:
                out.append(coerce_option(inner, item))
            except ValueError as exc:
                raise ValueError(f"item {i}: {exc}") from None
        return tuple(out)
    if type_name == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError(f"must be true or false, not {_describe(value)}")
    if type_name in ("int", "port"):
        if isinstance(value, int) and not isinstance(value, bool):
            if type_name == "port" and not 0 <= value <= 65535:
                raise ValueError(f"must be a port number 0-65535, not {value}")
            return value
        raise ValueError(f"must be an integer, not {_describe(value)}")
    if type_name == "str":
        if isinstance(value, str):
            return value
        raise ValueError(f"must be a string, not {_describe(value)}")
    if type_name == "range":
        return parse_range(value)
    if type_name == "severity":
        if isinstance(value, str):
            return Severity.parse(value)
        raise ValueError(f"must be error, warning or note, not {_describe(value)}")
    raise ValueError(f"has an option type portlint does not know: {type_name!r}")


def parse_table(data: Mapping[str, Any], src: _Source) -> dict[str, Any]:
    """Validate a ``[tool.portlint]`` table into Config field values."""
    from portlint import rules

    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "see docs/configuration.md"
            raise src.error((key,), "unknown key", hint=hint)
        field_name = KEYS[key]
        keys = (key,)
        if key in ("select", "extend-select", "ignore"):
            out[field_name] = _selectors(src, keys, value)
        elif key in ("include", "exclude", "extend-exclude", "env-files", "allocations"):
            out[field_name] = _expect_list(src, keys, value, str)
        elif key in ("respect-gitignore", "force-exclude", "follow-links"):
            if not isinstance(value, bool):
                raise src.error(keys, f"must be true or false, not {_describe(value)}")
            out[field_name] = value
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise src.error(keys, f"must be a positive number of bytes, not {_describe(value)}")
            if value > MAX_FILE_SIZE_CEILING:
                raise src.error(
                    keys,
                    f"{value} is above the {MAX_FILE_SIZE_CEILING} bytes a config file may set",
                    hint=f"pass --max-file-size {value} on the command line to scan such files",
                )
            out[field_name] = value
        elif key in ("fail-on", "output-format", "baseline"):
            if not isinstance(value, str):
                raise src.error(keys, f"must be a string, not {_describe(value)}")
            if key == "fail-on":
                try:
                    out[field_name] = Severity.parse(value)
                except ValueError as exc:
                    raise src.error(keys, str(exc)) from None
            elif key == "output-format":
                from portlint.reporters import REPORTERS

                if value not in REPORTERS:
                    raise src.error(
                        keys, f"unknown output format {value!r}", hint="use " + ", ".join(REPORTERS)
                    )
                out[field_name] = value
            else:
                out[field_name] = value
        elif key in ("ephemeral-range", "nodeport-range"):
            try:
                out[field_name] = parse_range(value)
            except ValueError as exc:
                raise src.error(keys, str(exc)) from None
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise src.error(keys, f"must be a table of glob = [codes], not {_describe(value)}")
            out[field_name] = _frozen(
                {glob: _selectors(src, (key, glob), codes) for glob, codes in value.items()}
            )
        elif key == "severity":
            if not isinstance(value, dict):
                raise src.error(keys, f"must be a table of code = severity, not {_describe(value)}")
            sev: dict[str, Severity] = {}
            for name, level in value.items():
                rule = rules.get(name)
                if rule is None:
                    raise src.error(
                        (key, name), f"unknown rule {name!r}", hint="`portlint rule --all`"
                    )
                if not isinstance(level, str):
                    raise src.error((key, name), f"must be a string, not {_describe(level)}")
                try:
                    sev[rule.code] = Severity.parse(level)
                except ValueError as exc:
                    raise src.error((key, name), str(exc)) from None
            out[field_name] = _frozen(sev)
        else:  # rules
            out[field_name] = _frozen(_rule_options(src, value))
    return out


def _rule_options(src: _Source, value: Any) -> dict[str, Mapping[str, Any]]:
    from portlint import rules

    if not isinstance(value, dict):
        raise src.error(("rules",), f"must be a table of rule tables, not {_describe(value)}")
    out: dict[str, Mapping[str, Any]] = {}
    for name, options in value.items():
        rule = rules.get(name)
        if rule is None:
            raise src.error(
                ("rules", name), f"unknown rule {name!r}", hint="`portlint rule --all` lists them"
            )
        if not isinstance(options, dict):
            raise src.error(("rules", name), f"must be a table, not {_describe(options)}")
        declared = {opt.name: opt for opt in rule.options}
        parsed: dict[str, Any] = dict(out.get(rule.code, {}))
        for opt_name, opt_value in options.items():
            opt = declared.get(opt_name)
            if opt is None:
                known = ", ".join(sorted(declared)) or "none"
                raise src.error(
                    ("rules", name, opt_name),
                    f"{rule.code} has no option {opt_name!r}",
                    hint=f"its options: {known}",
                )
            try:
                parsed[opt_name] = coerce_option(opt.type, opt_value)
            except ValueError as exc:
                raise src.error(("rules", name, opt_name), str(exc), hint=opt.help) from None
        out[rule.code] = _frozen(parsed)
    return out


def resolve(
    cwd: str,
    config_file: str | None = None,
    overrides: Mapping[str, Any] | None = None,
    isolated: bool = False,
) -> Resolved:
    """The effective config: defaults < closest config file < command-line flags.

    ``config_file`` (``--config``) replaces the search; ``overrides`` maps
    TOML keys to already-validated values taken from flags, each recorded with
    its flag as origin.
    """
    origins: dict[str, str] = dict.fromkeys(KEYS, "default")
    path = config_file if config_file is not None else (None if isolated else find_config_file(cwd))
    values: dict[str, Any] = {}
    root = project_root(cwd, path)
    if path is not None:
        if not os.path.lexists(path):
            raise ConfigError(f"{path}: no such config file")
        shown = display(path, cwd)
        table, src = read_config_file(path, shown)
        values = parse_table(table, src)
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


def display(path: str, cwd: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), cwd)
    return (path if rel.startswith("..") else rel).replace(os.sep, "/")


def resolve_path(config: Config, path: str) -> str:
    """A path from the config, read relative to the project root."""
    return os.path.normpath(os.path.join(config.root, os.path.expanduser(path)))


def effective(resolved: Resolved) -> dict[str, Any]:
    """The config as TOML-shaped plain data, for ``portlint config``."""
    cfg = resolved.config
    out: dict[str, Any] = {}
    for key, field_name in KEYS.items():
        value = getattr(cfg, field_name)
        if key == "rules":
            continue
        out[key] = _plain(value)
    rules_out: dict[str, Any] = {}
    from portlint import rules

    for rule in rules.ALL_RULES:
        if not rule.options:
            continue
        given = cfg.rule_options.get(rule.code, {})
        rules_out[rule.code] = {
            opt.name: _plain(given.get(opt.name, opt.default)) for opt in rule.options
        }
    out["rules"] = rules_out
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Severity):
        return value.label
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def render_effective(resolved: Resolved) -> str:
    """TOML-like listing, each value followed by where it came from."""
    import json

    data = effective(resolved)
    cfg = resolved.config
    lines = [
        f"# config file: {cfg.source or '(none: defaults)'}",
        f"# project root: {cfg.root}",
    ]
    width = max(len(k) for k in data)
    for key, value in data.items():
        if key == "rules":
            continue
        shown = "(none)" if value is None else json.dumps(value)
        lines.append(f"{key:<{width}} = {shown}  # {resolved.origins[key]}")
    for code, options in data["rules"].items():
        lines += ["", f"[rules.{code}]"]
        for opt, value in options.items():
            origin = resolved.origins.get(f"rules.{code}.{opt}", "default")
            lines.append(f"{opt} = {json.dumps(value)}  # {origin}")
    return "\n".join(lines) + "\n"
