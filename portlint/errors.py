"""The one exception family that ends a run with exit code 2.

Bad *input files* never raise: they become PL0xx findings. These exceptions are
for mistakes the user must fix before linting makes sense (bad flags, broken
config, an unreadable allocation file), so ``cli.main`` catches them once and
prints one line instead of a traceback.
"""

from __future__ import annotations

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
