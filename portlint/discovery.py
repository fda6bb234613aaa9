"""Which files a run reads.

In a git work tree the file list comes from git itself (tracked plus
untracked-but-not-ignored files), which is both faster and more faithful to
``.gitignore`` than re-implementing its rules. Elsewhere the tree is walked.
Either way, folders that never hold a project's own config (``.git``,
``node_modules``, virtualenvs, caches) are skipped.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from portlint.config import Config
from portlint.errors import UsageError
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
    display: str  # relative POSIX path shown to the user
    abs_path: str
    scanner: ScannerSpec
    explicit: bool = False  # named on the command line


def display_path(abs_path: str, cwd: str) -> str:
    rel = os.path.relpath(abs_path, cwd)
    if rel.startswith(".." + os.sep) or rel == "..":
        rel = abs_path
    return rel.replace(os.sep, "/")


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


def _walk(root: str) -> Iterable[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not _is_venv(os.path.join(dirpath, d))
        )
        for name in filenames:
            yield os.path.join(dirpath, name)


def _git_files(root: str) -> list[str] | None:
    """Files git would show under ``root``, or None when ``root`` is not in a work tree."""
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
    out = []
    for name in names:
        if any(part in SKIP_DIRS for part in name.split("/")[:-1]):
            continue
        path = os.path.join(root, name)
        if os.path.lexists(path):
            out.append(path)
    return out


def _inside(path: str, root: str) -> bool:
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def discover(paths: Sequence[str], config: Config, cwd: str | None = None) -> list[Candidate]:
    cwd = cwd or os.getcwd()
    excludes = (*config.exclude, *config.extend_exclude)
    found: dict[str, Candidate] = {}
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
                found[shown] = Candidate(shown, abs_given, spec, explicit=True)
            continue
        files = _git_files(abs_given) if config.respect_gitignore else None
        for path in files if files is not None else _walk(abs_given):
            spec = scanner_for(os.path.basename(path))
            rel = os.path.relpath(path, abs_given).replace(os.sep, "/")
            if spec is None and config.include and matches_glob(config.include, rel):
                # `include`: a name the defaults miss, like `compose.yaml.dist` or
                # `stack.yml.j2`, is read as the name without its last suffix
                spec = scanner_for(os.path.splitext(os.path.basename(path))[0])
            if spec is None:
                continue
            if excludes and matches_glob(excludes, rel):
                continue
            if os.path.islink(path) and not _inside(path, abs_given):
                continue  # a link out of the scanned tree is not this project's file
            shown = display_path(path, cwd)
            found.setdefault(shown, Candidate(shown, path, spec))
    return sorted(found.values())
