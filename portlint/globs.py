"""The one glob dialect of ``exclude``, ``include`` and ``per-file-ignores``.

Its own module so discovery (which walks files) and rule selection (which
drops findings per file) share it without either importing the other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from fnmatch import translate
from functools import lru_cache


def matches_glob(patterns: Iterable[str], rel: str) -> bool:
    """gitignore-flavoured globs: a pattern without ``/`` matches any path component."""
    return _matcher(tuple(patterns))(rel)


_NEVER = re.compile(r"(?!)")


@lru_cache(maxsize=64)
def _matcher(patterns: tuple[str, ...]) -> Callable[[str], bool]:
    """One compiled regex per kind of pattern instead of ``fnmatchcase`` per pattern
    and component: discovery asks this for every file of every run (the default
    excludes are dozens of globs), and a warm run is mostly discovery."""
    component: list[str] = []  # matched against each component (which holds no `/`)
    whole: list[str] = []  # matched against the whole path, or a folder above it
    for pattern in patterns:
        pat = pattern.rstrip("/")
        if pat.startswith("./"):
            pat = pat[2:]
        if "/" in pat:
            whole += [translate(pat), translate(pat + "/*")]
        else:
            component.append(translate(pat))
    parts = re.compile("|".join(component)) if component else _NEVER
    full = re.compile("|".join(whole)) if whole else _NEVER

    def matches(rel: str) -> bool:
        if whole and full.match(rel):
            return True
        return bool(component) and any(parts.match(part) for part in rel.split("/"))

    return matches
