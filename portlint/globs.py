"""The one glob dialect of ``exclude``, ``include`` and ``per-file-ignores``.

Its own module so discovery (which walks files) and rule selection (which
drops findings per file) share it without either importing the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase


def matches_glob(patterns: Iterable[str], rel: str) -> bool:
    """gitignore-flavoured globs: a pattern without ``/`` matches any path component."""
    parts = rel.split("/")
    for pattern in patterns:
        pat = pattern.rstrip("/")
        if pat.startswith("./"):
            pat = pat[2:]
        if "/" in pat:
            if fnmatchcase(rel, pat) or fnmatchcase(rel, pat + "/*"):
                return True
        elif any(fnmatchcase(part, pat) for part in parts):
            return True
    return False
