"""The one glob dialect of ``exclude``, ``include``, ``per-file-ignores`` and ``independent``.

The dialect is gitignore's, implemented by the ``pathspec`` library rather
than approximated with :mod:`fnmatch`: ``**`` spans folders (``deploy/**/old``
matches ``deploy/old``), ``*`` stops at ``/`` (``deploy/*.yaml`` does not
reach ``deploy/a/b.yaml``), a pattern with a ``/`` other than a trailing one
is anchored at the project root, one without matches at any depth, a
trailing ``/`` matches folders only, ``!`` re-includes, and a matched folder
matches everything below it. Users write ``.gitignore`` lines every day, so
that is the dialect they expect; and the same engine reads the ``.gitignore``
files themselves when git is not installed (see :mod:`portlint.discovery`).

Its own module so discovery (which walks files) and rule selection (which
drops findings per file) share it without either importing the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

import pathspec


def _line(pattern: str) -> str:
    """A config glob as a gitignore line: ``./x`` (an older spelling) anchors like ``/x``."""
    pat = pattern.strip()
    if pat.startswith("./"):
        pat = "/" + pat[2:]
    return pat


@lru_cache(maxsize=256)
def compile_globs(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """One compiled matcher per list of globs; config lists are few and reused per file."""
    return pathspec.GitIgnoreSpec.from_lines(_line(p) for p in patterns if p.strip())


def matches_glob(patterns: Iterable[str], rel: str, is_dir: bool = False) -> bool:
    """Whether gitignore-style ``patterns`` (later ones win, ``!`` negates) match ``rel``.

    ``rel`` is a POSIX path relative to the project root; ``is_dir`` says it
    names a folder, which patterns ending in ``/`` need to know.
    """
    spec = compile_globs(tuple(patterns))
    return spec.match_file(rel + "/" if is_dir else rel)


def deciding_glob(patterns: Sequence[str], rel: str, is_dir: bool = False) -> str | None:
    """The glob that decided a match (the last one matching, unless it is a ``!``), for ``-v``."""
    kept = tuple(p for p in patterns if p.strip())
    result = compile_globs(kept).check_file(rel + "/" if is_dir else rel)
    if not result.include or result.index is None:
        return None
    return kept[result.index]


def has_negation(patterns: Sequence[str]) -> bool:
    """Whether a list re-includes anything, so a matched folder may still hold wanted files."""
    return any(p.strip().startswith("!") for p in patterns)


def shortest_matching_folder(patterns: Sequence[str], folder: str) -> str | None:
    """The shortest ancestor of ``folder`` (itself included) that a glob matches as a folder."""
    if not folder:
        return None
    spec = compile_globs(tuple(patterns))
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if spec.match_file(prefix + "/"):
            return prefix
    return None
