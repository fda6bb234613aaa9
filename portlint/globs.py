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

import os
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


def _line(pattern: str) -> str:
    """A config glob as a gitignore line: ``./x`` (an older spelling) anchors like ``/x``."""
    pat = pattern.strip()
    if pat.startswith("./"):
        pat = "/" + pat[2:]
    return pat


class GlobSet:
    """One list of globs, compiled: the spec, and one regular expression for a quick no.

    pathspec tries each pattern's expression in turn, in Python; discovery
    asks about every file of the repository, and almost none is excluded.
    The union of the patterns' expressions answers "no pattern matches" in
    one call in C, and then the answer is False whatever the patterns say
    (no pattern decided). Only a path some pattern matches goes to pathspec,
    which weighs negation, order and folder patterns exactly as before.

    A list of plain names only (the default excludes: ``node_modules``,
    ``.venv``, ``dist``) needs neither: in gitignore's dialect such a name
    matches a file or folder of that name at any depth, and a matched folder
    everything below it, so a path matches when one of its components is one
    of the names. pathspec, whose import costs about as much as the rest of a
    warm run's discovery, is then not imported at all (a test compares the two
    on every path).
    """

    __slots__ = ("_any", "_lines", "_names", "_spec")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self._lines = [_line(p) for p in patterns if p.strip()]
        names = frozenset(self._lines)
        plain = all(_PLAIN_NAME.fullmatch(n) and n not in (".", "..") for n in names)
        self._names: frozenset[str] | None = names if plain and _POSIX else None
        self._spec: pathspec.GitIgnoreSpec | None = None
        self._any: Callable[[str], object] | None = None

    @property
    def spec(self) -> pathspec.GitIgnoreSpec:
        """pathspec's matcher for the list, compiled on first use."""
        if self._spec is None:
            import pathspec

            self._spec = pathspec.GitIgnoreSpec.from_lines(self._lines)
            self._any = _union(self._spec)
        return self._spec

    def match(self, rel: str, is_dir: bool = False) -> bool:
        names = self._names
        # pathspec's expressions end at a line break ("." and "$"): such names go to it
        if names is not None and not rel.startswith(("/", "./")) and "\n" not in rel:
            return not names.isdisjoint(rel.split("/"))
        spec = self.spec
        path = rel + "/" if is_dir else rel
        if self._any is not None:
            plain = path if _POSIX and not path.startswith(("/", "./")) else _normal(path)
            if self._any(plain) is None:
                return False
        return spec.match_file(path)


def _normal(path: str) -> str:
    from pathspec.util import normalize_file

    return str(normalize_file(path))


# A pattern that is a name and nothing else, in characters that mean only themselves
# to gitignore: no glob character, slash, "!", "#", backslash or space.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+")


# pathspec changes no separator on POSIX systems: a path that starts with
# neither "/" nor "./" is then its own normal form.
_POSIX = os.sep == "/" and not os.altsep
# Group names are unique per expression, not across a union; a back-reference
# would change meaning once groups are renamed or renumbered.
_GROUP_NAME = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")
_BACKREF = re.compile(r"\(\?P=|\\[1-9]")
_ANY_DEPTH = "^(?:.+/)?"  # how pathspec begins the expression of a glob without a slash


def _union(spec: pathspec.GitIgnoreSpec) -> Callable[[str], object] | None:
    """A test that is None exactly when no pattern of ``spec`` matches; None if unsure."""
    expressions: list[re.Pattern[str]] = []
    for pattern in spec.patterns:
        if pattern.include is None:
            continue  # a comment or blank line: pathspec skips it too
        regex = getattr(pattern, "regex", None)
        if not isinstance(regex, re.Pattern) or not isinstance(regex.pattern, str):
            return None
        expressions.append(regex)
    if not expressions:
        return None
    flags = {regex.flags for regex in expressions}
    sources = [regex.pattern for regex in expressions]
    if len(flags) != 1 or any(_BACKREF.search(src) for src in sources):
        return None
    anchored = all(src.startswith("^") for src in sources)
    sources = [_GROUP_NAME.sub("(?:", src) for src in sources]
    # A glob without a slash matches at any depth: its expression starts with
    # "any folders, or none". Written once before the alternatives of all such
    # globs, the engine tries that prefix once per folder of the path instead
    # of once per glob (ten times faster for the default excludes; the same
    # paths match, as a concatenation distributes over an alternation).
    deep = [src[len(_ANY_DEPTH) :] for src in sources if _factorable(src)]
    parts = [src for src in sources if not _factorable(src)]
    if len(deep) > 1:
        parts.append(_ANY_DEPTH + "(?:" + "|".join(f"(?:{src})" for src in deep) + ")")
    else:
        parts += [_ANY_DEPTH + src for src in deep]
    joined = "|".join(f"(?:{src})" for src in parts)
    try:
        union = re.compile(joined, flags.pop())
    except re.error:
        return None
    # Every alternative anchored at the start: match() tries only there, as search() would.
    return union.match if anchored else union.search


def _factorable(src: str) -> bool:
    """Whether ``src`` is the any-depth prefix followed by one branch (no ``|`` outside a group
    or a class), so that the prefix may be written once for several such expressions."""
    if not src.startswith(_ANY_DEPTH):
        return False
    depth, in_class, escaped = 0, False, False
    for i, char in enumerate(src[len(_ANY_DEPTH) :]):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            # "]" right after "[" (or "[^") is a member, not the end
            in_class = char != "]" or src[len(_ANY_DEPTH) + i - 1] in "[^"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
    return depth == 0 and not in_class and not escaped


@lru_cache(maxsize=256)
def compile_globs(patterns: tuple[str, ...]) -> GlobSet:
    """One compiled matcher per list of globs; config lists are few and reused per file."""
    return GlobSet(patterns)


def glob_matcher(patterns: Iterable[str]) -> Callable[[str, bool], bool]:
    """``matches_glob`` for one list, compiled once: for loops over every file."""
    return compile_globs(tuple(patterns)).match


def matches_glob(patterns: Iterable[str], rel: str, is_dir: bool = False) -> bool:
    """Whether gitignore-style ``patterns`` (later ones win, ``!`` negates) match ``rel``.

    ``rel`` is a POSIX path relative to the project root; ``is_dir`` says it
    names a folder, which patterns ending in ``/`` need to know.
    """
    return compile_globs(tuple(patterns)).match(rel, is_dir)


def deciding_glob(patterns: Sequence[str], rel: str, is_dir: bool = False) -> str | None:
    """The glob that decided a match (the last one matching, unless it is a ``!``), for ``-v``."""
    kept = tuple(p for p in patterns if p.strip())
    result = compile_globs(kept).spec.check_file(rel + "/" if is_dir else rel)
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
    globs = compile_globs(tuple(patterns))
    parts = folder.split("/")
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        if globs.match(prefix, is_dir=True):
            return prefix
    return None
