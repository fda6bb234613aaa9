"""PL0xx: problems with the files themselves, reported while reading them."""

from __future__ import annotations

from portlint.findings import Severity
from portlint.rules.base import FixInfo, Option, scanner_rule

MAX_FINDINGS_PER_FILE = 1_000
MAX_FINDINGS_PER_RUN = 10_000


@scanner_rule("PL001", "unparsable-file", severity=Severity.ERROR)
def unparsable_file() -> None:
    """A config file that does not parse.

    ## When it fires
    A YAML, TOML or JSON file stops its parser with a syntax error, or a
    `.env` line is neither `KEY=VALUE`, `export KEY=VALUE`, a comment nor
    blank. The finding points at the line and column the parser reports and
    quotes its complaint.

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
    bomb, not a regular file, or unreadable.

    Helm templates (`{{ }}` in a chart's `templates/`) are not YAML until
    rendered. They are not one finding each: the run counts them and prints
    one note after the findings, with the command that lints the rendered
    output (`helm template CHART | portlint check - --stdin-filename
    CHART/rendered.yaml`); JSON has the count as `summary.templates_skipped`,
    SARIF as one tool notification. Ignoring PL002 drops that note.

    ## Why it matters
    Ports in a skipped file are not checked. Saying so, instead of skipping in
    silence, keeps a clean run honest.

    ## How to fix
    Convert the file to UTF-8, split it, or raise `max-file-size`. If the file
    is not config at all, exclude it.

    ## How to silence
    Exclude the file, or `ignore = ["PL002"]` when skipped files are expected.
    """


@scanner_rule("PL003", "malformed-suppression", severity=Severity.ERROR)
def malformed_suppression() -> None:
    """A `# portlint:` comment that portlint cannot read as a suppression.

    ## When it fires
    A comment starting `# portlint:` (`// portlint:` in JSON files) is not
    `ignore[CODE, ...]` or `ignore-file[CODE, ...]`: it names no codes
    (`# portlint: ignore`), an empty list, an unknown code or name, has an
    unclosed bracket, uses an unknown word (`disable`), or puts `ignore-file`
    after other text on the line.

    ## Why it matters
    A directive that does nothing looks like it does something. Blanket
    suppressions are refused on purpose: a bare `ignore` would also hide every
    future finding on that line, including real collisions.

    ## How to fix
    Name what to silence, by code or name, e.g.

    ```yaml
    ports:
      - "8080:80"  # portlint: ignore[PL401]
    ```

    ## How to silence
    Fix the directive; PL003 itself cannot be suppressed inline. Ignore PL003
    in the config (`ignore = ["PL003"]`) only if another tool owns such comments.
    """


@scanner_rule(
    "PL004",
    "unused-suppression",
    severity=Severity.WARNING,
    fix=FixInfo("remove the unused codes, or the whole comment when none is used", "safe"),
)
def unused_suppression() -> None:
    """A suppression that silenced nothing in this run.

    ## When it fires
    A `# portlint: ignore[...]` or `ignore-file[...]` names a code that produced
    no finding on the line (or in the file) it covers. Only codes whose rule
    ran are judged, so `--select PL1` does not call a `PL401` directive unused.
    A finding removed by `per-file-ignores` leaves its directive unused too.

    ## Why it matters
    Stale suppressions pile up after the config they excused is fixed, and
    then silently hide the next real problem on that line.

    ## How to fix
    Remove the unused code from the directive, or the whole comment.

    ## How to silence
    `ignore = ["PL004"]` in the config, or `--no-suppressions` to look at
    every finding as if no directive existed (PL003 and PL004 are not reported
    then).
    """


@scanner_rule(
    "PL005",
    "too-many-findings",
    severity=Severity.NOTE,
    options=[
        Option("per-file", "int", MAX_FINDINGS_PER_FILE, "findings shown per file, at most 1000"),
        Option("per-run", "int", MAX_FINDINGS_PER_RUN, "findings shown per run, at most 10000"),
    ],
)
def too_many_findings() -> None:
    """More findings than portlint shows, and how many were left out.

    ## When it fires
    A file has more than 1,000 findings, or a run more than 10,000 (after
    suppressions and the baseline). The most severe findings are shown, the
    last one shown is this note, at line 1 of the file, counting the rest.
    The options `per-file` and `per-run` lower the limits; they cannot raise
    them.

    ## Why it matters
    Nobody reads the ten-thousandth finding, and a generated or hostile file
    with a million of them would cost minutes and gigabytes to report. The
    exit code still says whether any finding, shown or not, fails the run.

    ## How to fix
    Fix the findings shown and run again, or exclude a generated file.

    ## How to silence
    `ignore = ["PL005"]` hides the note; the limits still apply.
    """


RULES = (
    unparsable_file,
    skipped_file,
    malformed_suppression,
    unused_suppression,
    too_many_findings,
)
