"""``.gitignore`` files read without git, for work trees on machines without it.

Slim CI images often have no git. Listing a work tree's files there must
give what ``git ls-files --cached --others --exclude-standard`` gives on a
developer's machine, or a run in CI and a run at a desk disagree. So the
same sources git reads are read here, with the ``pathspec`` library's
gitignore matching: the user's global ignore file, ``.git/info/exclude``,
and every ``.gitignore`` from the work tree's top down to a file's folder,
a deeper file's verdict (or a later line's) winning over a higher one's.
A folder that is ignored is never entered, so no ``!`` below it re-includes
anything, as in git.

What cannot be known without git is which ignored files are tracked anyway
(``git add -f``): git lists them, this does not.
"""

from __future__ import annotations

import os

import pathspec

# git's own limit: it ignores larger .gitignore files (dir.c, 100 MB); a
# smaller one is still plenty for any real repository and bounds memory.
_MAX_IGNORE_FILE = 10 * 1024 * 1024


def _read_spec(path: str) -> pathspec.GitIgnoreSpec | None:
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_IGNORE_FILE + 1)
    except OSError:
        return None
    if len(data) > _MAX_IGNORE_FILE:
        return None
    lines = data.decode("utf-8", "surrogateescape").splitlines()
    spec = pathspec.GitIgnoreSpec.from_lines(lines)
    return spec if len(spec) else None


def _global_ignore_file() -> str | None:
    """git's default ``core.excludesFile`` (its setting in a config file needs git to read)."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    path = os.path.join(base, "git", "ignore")
    return path if os.path.isfile(path) else None


class GitignoreRules:
    """What git would hide in one work tree; paths are POSIX and relative to its top."""

    def __init__(self, work_tree: str, git_dir: str) -> None:
        self.work_tree = work_tree
        base: list[pathspec.GitIgnoreSpec] = []
        for path in (_global_ignore_file(), os.path.join(git_dir, "info", "exclude")):
            spec = _read_spec(path) if path else None
            if spec is not None:
                base.append(spec)
        self._base = tuple(base)
        self._folders: dict[str, pathspec.GitIgnoreSpec | None] = {}

    def _spec_in(self, folder: str) -> pathspec.GitIgnoreSpec | None:
        if folder not in self._folders:
            path = os.path.join(self.work_tree, *folder.split("/"), ".gitignore")
            self._folders[folder] = _read_spec(path)
        return self._folders[folder]

    def ignored(self, rel: str, is_dir: bool = False) -> bool:
        """Whether git would leave ``rel`` out of its listing (``.git`` always is)."""
        parts = rel.split("/")
        if parts[-1] == ".git":
            return True
        suffix = "/" if is_dir else ""
        verdict: bool | None = None
        for spec in self._base:
            result = spec.check_file(rel + suffix).include
            if result is not None:
                verdict = result
        for depth in range(len(parts)):
            folder_spec = self._spec_in("/".join(parts[:depth]))
            if folder_spec is None:
                continue
            result = folder_spec.check_file("/".join(parts[depth:]) + suffix).include
            if result is not None:
                verdict = result
        return bool(verdict)
