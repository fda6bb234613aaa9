"""PL0xx: problems with the files themselves, reported while reading them."""

from __future__ import annotations

from portlint.findings import Severity
from portlint.rules.base import scanner_rule


@scanner_rule("PL001", "unparsable-file", severity=Severity.ERROR)
def unparsable_file() -> None:
    """A YAML, TOML or JSON file that does not parse.

    ## When it fires
    The parser stops on a syntax error. The finding points at the line and
    column the parser reports and quotes its complaint.

    ## Why it matters
    A file portlint cannot parse is a file your tools cannot parse either, and
    every port in it is unchecked.

    ## How to fix
    Fix the syntax at the reported position (`yamllint` or `python -m json.tool`
    help), or exclude the file if it is a template rather than config.

    ## How to silence
    Exclude the file (`exclude` or `extend-exclude` in the config), or ignore
    PL001 for it with `per-file-ignores`. An inline directive cannot help here,
    because a broken file's comments cannot be trusted.
    """


@scanner_rule("PL002", "skipped-file", severity=Severity.WARNING)
def skipped_file() -> None:
    """A file portlint chose not to scan, and why.

    ## When it fires
    The file is binary (a NUL byte), not valid UTF-8 (or UTF-16/32 with a BOM),
    larger than `max-file-size`, nested deeper than any real config, an alias
    bomb, not a regular file, unreadable, or a template (Helm `{{ }}`).

    ## Why it matters
    Ports in a skipped file are not checked. Saying so, instead of skipping in
    silence, keeps a clean run honest.

    ## How to fix
    Convert the file to UTF-8, split it, or raise `max-file-size`. If the file
    is not config at all, exclude it.

    ## How to silence
    Exclude the file, or `ignore = ["PL002"]` when skipped files are expected.
    """


RULES = (unparsable_file, skipped_file)
