"""Git's listing of a folder's files, and the one safe way portlint runs git.

Listing the untracked files of a work tree is git reading every folder of
it: a tenth of a second for ten thousand folders, nearly all of it in the
kernel, in another process. ``portlint check`` knows which folder it will
list before it has loaded the rest of portlint (the config, the rules, the
engine), so it starts git first (:func:`start_listing`) and discovery takes
that process up (:func:`run_listing`) when it asks for the very same
command: program, repository, options, folder and environment all equal.
Anything not taken up is stopped when the command ends (:func:`stop_listings`),
so a listing never outlives the command it was started for.

Its own module, light to import, so the listing starts before the rest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence

from portlint.project import find_work_tree

# ``git ls-files`` options: tracked files plus untracked ones .gitignore does not hide.
LISTING = ("ls-files", "-z", "--cached", "--others", "--exclude-standard")

# Given on git's command line, these outrank every config file git reads, so no
# repository (its .git/config, a file it includes, a folder that only looks like
# a repository) can turn any of them back on.
_GIT_SAFE_CONFIG = (
    "safe.bareRepository=explicit",  # never adopt a folder that merely looks like a repository
    "core.fsmonitor=false",  # the fsmonitor hook is a command git would run
    "core.hooksPath=/dev/null",  # no hooks, whatever a later git may run them for
    "core.untrackedCache=false",  # a listing reads; it never rewrites the index
    "protocol.allow=never",  # no transport at all (a partial clone fetches lazily)
)
# Variables that choose a repository or parts of one. portlint names the
# repository itself, so one left over from a hook of another repository (git
# exports GIT_DIR and GIT_INDEX_FILE to hooks) must not redirect the listing;
# git clears the same list when it runs a command in another repository.
_GIT_LOCATION_VARS = frozenset(
    {
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_DIR",
        "GIT_GRAFT_FILE",
        "GIT_IMPLICIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_INTERNAL_SUPER_PREFIX",
        "GIT_NO_REPLACE_OBJECTS",
        "GIT_OBJECT_DIRECTORY",
        "GIT_PREFIX",
        "GIT_REPLACE_REF_BASE",
        "GIT_SHALLOW_FILE",
        "GIT_WORK_TREE",
    }
)


def git_program() -> str | None:
    """Git's absolute path, from the absolute folders of ``PATH`` only.

    A relative entry (``.``, or an empty one, which means the same) would find
    a ``git`` committed to the repository portlint runs in, and Windows looks
    in the current folder before ``PATH`` whatever it says; both are skipped.
    """
    names = ["git"]
    if sys.platform == "win32":
        names = [f"git{ext.lower()}" for ext in os.environ.get("PATHEXT", ".EXE").split(";") if ext]
    for folder in os.environ.get("PATH", os.defpath).split(os.pathsep):
        if not os.path.isabs(folder):
            continue
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return path
    return None


def git_command(git: str, work_tree: str, git_dir: str, *args: str) -> list[str]:
    """A git command line for one repository that no repository content can configure."""
    argv = [git, "--no-pager", f"--git-dir={git_dir}", f"--work-tree={work_tree}"]
    for setting in _GIT_SAFE_CONFIG:
        argv += ["-c", setting]
    return [*argv, *args]


def git_environment() -> dict[str, str]:
    """The user's environment (trusted) without the variables that pick a repository."""
    env = {k: v for k, v in os.environ.items() if k not in _GIT_LOCATION_VARS}
    env["GIT_NO_LAZY_FETCH"] = "1"  # git 2.44+: never fetch a missing object
    return env


_Started = tuple[tuple[str, ...], str, dict[str, str], subprocess.Popen[bytes]]
_STARTED: list[_Started] = []  # (argv, cwd, env, process) started ahead of discovery


def _spawn(argv: Sequence[str], cwd: str, env: dict[str, str]) -> subprocess.Popen[bytes] | None:
    try:
        return subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.kill()
    proc.communicate()  # reaps it and closes its pipes


def start_listing(folder: str) -> None:
    """Start git listing ``folder`` (absolute) now, for discovery to take up later.

    A guess: if discovery asks for another folder, or the configuration turns
    git off, the process is stopped unused by :func:`stop_listings`.
    """
    found = find_work_tree(folder)
    git = git_program()
    if found is None or git is None:
        return
    argv = tuple(git_command(git, found[0], found[1], *LISTING))
    env = git_environment()
    if any(s[0] == argv and s[1] == folder and s[2] == env for s in _STARTED):
        return
    proc = _spawn(argv, folder, env)
    if proc is not None:
        _STARTED.append((argv, folder, env, proc))


def stop_listings() -> None:
    """Stop every listing nobody took up (the command is ending)."""
    while _STARTED:
        _stop(_STARTED.pop()[3])


def run_listing(argv: Sequence[str], cwd: str, env: dict[str, str]) -> bytes | None:
    """Git's standard output for this command in ``cwd``; None when git fails or cannot run.

    A listing :func:`start_listing` started with exactly this command line,
    folder and environment is used instead of starting git again.
    """
    proc = None
    for i, (s_argv, s_cwd, s_env, started) in enumerate(_STARTED):
        if s_argv == tuple(argv) and s_cwd == cwd and s_env == env:
            proc = started
            del _STARTED[i]
            break
    if proc is None:
        proc = _spawn(argv, cwd, env)
        if proc is None:
            return None
    try:
        out, _err = proc.communicate(timeout=60)
    except (OSError, subprocess.SubprocessError):
        _stop(proc)
        return None
    except BaseException:
        _stop(proc)
        raise
    return out if proc.returncode == 0 else None
