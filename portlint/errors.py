"""The one exception family that ends a run with exit code 2.

Bad *input files* never raise: they become PL0xx findings. These exceptions are
for mistakes the user must fix before linting makes sense (bad flags, broken
config, an unreadable allocation file), so ``cli.main`` catches them once and
prints one line instead of a traceback.
"""

from __future__ import annotations

import re

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
"""No findings at the fail-on level; findings; an error (this module's exceptions)."""


class PortlintError(Exception):
    """A user-facing error: printed as one line, exit code 2."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} (hint: {self.hint})"
        return self.message


class UsageError(PortlintError):
    """A command line that cannot be carried out."""


class ConfigError(PortlintError):
    """A configuration or allocation file that is broken or names unknown things."""


def toml_syntax_error(path: str, text: str, exc: Exception) -> ConfigError:
    """A TOML parser's error in a settings file, as ``path:line:col: invalid TOML: ...``.

    tomllib ends its message with "(at line L, column C)", lifted into the
    path as editors and CI annotations read it; an error at the end of the
    document has no position there, so it points after the last thing
    written (an unclosed ``[`` is usually there), not at a blank last line.
    ``text`` must have universal newlines, as tomllib counts lines at LF.
    """
    msg = str(exc)
    m = re.search(r"\s*\(at line (\d+), column (\d+)\)", msg)
    if m is not None:
        where = f"{path}:{m.group(1)}:{m.group(2)}"
        msg = msg[: m.start()] + msg[m.end() :]
    elif "(at end of document)" in msg:
        body = text.rstrip()
        line = body.count("\n") + 1
        column = len(body) - (body.rfind("\n") + 1) + 1
        where = f"{path}:{line}:{column}"
        msg = msg.replace(" (at end of document)", " at the end of the file")
    else:
        where = path
    msg = msg.strip() or "syntax error"
    return ConfigError(
        f"{where}: invalid TOML: {msg[:1].lower()}{msg[1:]}",
        hint="check quoting and brackets at that position",
    )
