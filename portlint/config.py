"""The effective configuration of a run.

``Config`` is frozen: rules receive read-only views of it, and the engine is a
pure function of (paths, config). Loading it from ``pyproject.toml`` or
``.portlint.toml`` lives in :func:`load_config`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from portlint.errors import ConfigError
from portlint.findings import Severity
from portlint.source import DEFAULT_MAX_FILE_SIZE


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
    exclude: tuple[str, ...] = ()
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
