"""Which files a run reads.

In a git work tree the file list comes from git itself (tracked plus
untracked-but-not-ignored files), which is both faster and more faithful to
``.gitignore`` than re-implementing its rules. Elsewhere the tree is walked.
Either way, folders that never hold a project's own config (``.git``,
``node_modules``, virtualenvs, caches) are skipped.
"""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from portlint.bindings import Location
from portlint.config import Config
from portlint.errors import UsageError
from portlint.findings import Problem
from portlint.printable import printable_path as printable
from portlint.scanners import ScannerSpec, scanner_for

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".portlint_cache",
        ".terraform",
        "site-packages",
    }
)


@dataclass(frozen=True, slots=True, order=True)
class Candidate:
    display: str  # relative POSIX path shown to the user, escaped to be printable
    abs_path: str
    scanner: ScannerSpec
    explicit: bool = False  # named on the command line
    skip: str | None = None  # why the file is reported but never read


def display_path(abs_path: str, cwd: str) -> str:
    rel = os.path.relpath(abs_path, cwd)
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = abs_path
    return printable(rel.replace(os.sep, "/"))


def skip_problem(candidate: Candidate) -> Problem | None:
    """The PL002 problem for a candidate that discovery decided not to read."""
    if candidate.skip is None:
        return None
    return Problem(
        "PL002",
        Location(candidate.display, 1, 1),
        candidate.skip,
        hint="pass --follow-links to read files outside the scanned folder",
    )


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


def _is_venv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


def _walk(root: str, follow_links: bool = False) -> Iterable[str]:
    """Files under ``root``; linked folders only when asked, and each real folder once.

    Without ``follow_links`` a symlinked folder is never entered, so link loops
    cannot trap the walk; with it, folders are remembered by (device, inode).
    """
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=follow_links):
        if follow_links:
            try:
                st = os.stat(dirpath)
            except OSError:
                dirnames[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen:
                dirnames[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not _is_venv(os.path.join(dirpath, d))
        )
        for name in filenames:
            yield os.path.join(dirpath, name)


def _git_files(root: str) -> list[str] | None:
    """Files git would show under ``root`` (relative POSIX paths); None outside a work tree."""
    try:
        proc = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    names = sorted({n for n in proc.stdout.decode("utf-8", "surrogateescape").split("\0") if n})
    # Paths relative to ``root``; whether each still exists is checked later,
    # and only for the few that a scanner wants.
    return [n for n in names if not any(part in SKIP_DIRS for part in n.split("/")[:-1])]


def _inside(path: str, root: str) -> bool:
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def discover(paths: Sequence[str], config: Config, cwd: str | None = None) -> list[Candidate]:
    cwd = cwd or os.getcwd()
    excludes = (*config.exclude, *config.extend_exclude)
    found: dict[str, Candidate] = {}  # by absolute path: escaped display names may clash
    for given in paths or ["."]:
        abs_given = os.path.abspath(os.path.join(cwd, given))
        if not os.path.lexists(abs_given):
            raise UsageError(f"{given}: no such file or directory")
        if not os.path.isdir(abs_given):
            spec = scanner_for(os.path.basename(abs_given))
            if spec is not None and config.force_exclude and excludes:
                rel = os.path.relpath(abs_given, os.path.abspath(config.root)).replace(os.sep, "/")
                if matches_glob(excludes, rel):
                    continue  # --force-exclude: a named file is excluded like any other
            if spec is not None:
                shown = display_path(abs_given, cwd)
                found[abs_given] = Candidate(shown, abs_given, spec, explicit=True)
            continue
        files = _git_files(abs_given) if config.respect_gitignore else None
        # Displayed paths are the folder's displayed path plus the file's path
        # inside it: string work instead of one relpath() per file.
        shown_root = display_path(abs_given, cwd)
        prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
        if files is None:
            walked = _walk(abs_given, config.follow_links)
            listed = ((p, os.path.relpath(p, abs_given)) for p in walked)
        else:
            listed = ((os.path.join(abs_given, name), name) for name in files)
        for path, rel_native in listed:
            rel = rel_native.replace(os.sep, "/")
            basename = rel.rsplit("/", 1)[-1]
            spec = scanner_for(basename)
            if spec is None and config.include and matches_glob(config.include, rel):
                # `include`: a name the defaults miss, like `compose.yaml.dist` or
                # `stack.yml.j2`, is read as the name without its last suffix
                spec = scanner_for(os.path.splitext(basename)[0])
            if spec is None:
                continue
            if excludes and matches_glob(excludes, rel):
                continue
            try:
                st = os.lstat(path)
            except OSError:
                continue  # listed by git but deleted from the work tree
            shown = prefix + printable(rel)
            skip = None
            if (
                not config.follow_links
                and stat.S_ISLNK(st.st_mode)
                and not _inside(path, abs_given)
            ):
                skip = "symbolic link to outside the scanned folder: not followed"
            found.setdefault(path, Candidate(shown, path, spec, skip=skip))
    return sorted(found.values())
