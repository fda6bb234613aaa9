"""Configuration checked against the rule catalogue, and rule selection.

Config reads the TOML's shape; whether ``PL4`` names any rule, whether
``severity.PL999`` exists and what type ``rules.PL302.range`` has is known
only here, next to the rules. :func:`check_table` is the ``check`` that
:func:`portlint.config.resolve` runs on a config file's values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from portlint import rules
from portlint.config import Config, Source, describe
from portlint.errors import ConfigError
from portlint.findings import Finding, Severity
from portlint.globs import matches_glob
from portlint.rules.base import Rule


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
    rule = rules.BY_CODE.get(rule_code)
    name, aliases = (rule.name, rule.aliases) if rule else ("", ())
    return any(_specificity(s, rule_code, name, aliases) > 0 for s in selectors)


def per_file_ignored(config: Config, rel_path: str, finding: Finding) -> bool:
    """Whether ``per-file-ignores`` drops a finding at a project-relative path.

    Globs follow ``exclude``: one without ``/`` matches any path component,
    one with ``/`` matches from the project root.
    """
    return any(
        matches_glob((glob,), rel_path) and selector_matches(codes, finding.code)
        for glob, codes in config.per_file_ignores.items()
    )


def validate_selector(selector: str, where: str) -> None:
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


def _selectors(src: Source, keys: Sequence[str], items: Sequence[str]) -> tuple[str, ...]:
    for sel in items:
        try:
            validate_selector(sel, ".".join(keys))
        except ConfigError as exc:
            raise src.error(keys, f"unknown rule code or name {sel!r}", hint=exc.hint) from None
    return tuple(items)


def _known_rule(src: Source, table: str, name: str) -> Rule:
    """The rule a config table names by code or name, or the error at that key."""
    rule = rules.get(name)
    if rule is None:
        raise src.error(
            (table, name), f"unknown rule {name!r}", hint="`portlint rule --all` lists them"
        )
    return rule


def _severities(src: Source, value: Mapping[str, Any]) -> Mapping[str, Severity]:
    sev: dict[str, Severity] = {}
    for name, level in value.items():
        rule = _known_rule(src, "severity", name)
        if not isinstance(level, str):
            raise src.error(("severity", name), f"must be a string, not {describe(level)}")
        try:
            sev[rule.code] = Severity.parse(level)
        except ValueError as exc:
            raise src.error(("severity", name), str(exc)) from None
    return MappingProxyType(sev)


def _rule_options(src: Source, value: Mapping[str, Any]) -> Mapping[str, Mapping[str, Any]]:
    """Each rule's options, parsed by the option itself (:meth:`rules.base.Option.parse`)."""
    out: dict[str, Mapping[str, Any]] = {}
    for name, options in value.items():
        rule = _known_rule(src, "rules", name)
        if not isinstance(options, dict):
            raise src.error(("rules", name), f"must be a table, not {describe(options)}")
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
                parsed[opt_name] = opt.parse(opt_value)
            except ValueError as exc:
                raise src.error(("rules", name, opt_name), str(exc), hint=opt.help) from None
        out[rule.code] = MappingProxyType(parsed)
    return MappingProxyType(out)


def check_table(values: dict[str, Any], src: Source) -> dict[str, Any]:
    """A config file's values checked against the rule catalogue, in the file's order."""
    out = dict(values)
    for field_name, value in values.items():
        if field_name in ("select", "extend_select", "ignore"):
            key = field_name.replace("_", "-")
            out[field_name] = _selectors(src, (key,), value)
        elif field_name == "per_file_ignores":
            out[field_name] = MappingProxyType(
                {
                    glob: _selectors(src, ("per-file-ignores", glob), codes)
                    for glob, codes in value.items()
                }
            )
        elif field_name == "severity":
            out[field_name] = _severities(src, value)
        elif field_name == "rule_options":
            out[field_name] = _rule_options(src, value)
    return out
