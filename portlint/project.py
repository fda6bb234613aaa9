"""Where the project is: the git work tree, the project root, paths shown from it.

Config (which finds the project a config file belongs to), discovery (which
asks git for its files) and the engine all need these; a module of its own
lets each import it without importing the others. Two meanings of "root" are
named once each: :func:`locate_root` decides what the project is before any
config is read; :func:`project_folder` is that decision read back from a
config's ``root`` relative to the run's cwd.
"""

from __future__ import annotations

import os

_GITFILE_MAX = 4096


def _is_git_dir(path: str) -> bool:
    """What git itself requires of a repository folder: HEAD, objects and refs
    (a linked work tree's folder has a ``commondir`` instead of the last two)."""
    join = os.path.join
    if not os.path.isdir(path) or not os.path.isfile(join(path, "HEAD")):
        return False
    if os.path.isfile(join(path, "commondir")):
        return True
    return os.path.isdir(join(path, "objects")) and os.path.isdir(join(path, "refs"))


def _read_gitfile(path: str) -> str | None:
    """The folder a ``.git`` file names (``gitdir: <path>``), through the guarded reader."""
    # Imported here: ``portlint check`` finds the work tree before it loads the
    # rest of portlint (portlint.gitfiles), and most work trees have a .git folder.
    from portlint.source import read_bytes

    try:
        data = read_bytes(path, _GITFILE_MAX)
    except OSError:  # TooLarge included: a gitfile is one short line
        return None
    text = data.decode("utf-8", "surrogateescape")
    if len(data) > _GITFILE_MAX or not text.startswith("gitdir: "):
        return None
    target = text[len("gitdir: ") :].strip()
    if not target:
        return None
    return os.path.normpath(os.path.join(os.path.dirname(path), target))


def find_work_tree(start: str) -> tuple[str, str] | None:
    """The git work tree holding ``start`` and its repository folder, found without git.

    Walking up from ``start`` (symbolic links resolved, as git does), the first
    folder with a ``.git`` entry wins: a repository folder, or a ``.git`` file
    naming one (linked work trees, submodules). Unlike git's own search, a
    folder is never taken for a bare repository because of what it holds: a
    committed ``HEAD``, ``objects/``, ``refs/`` and ``config`` is content, not
    a repository, so its ``core.worktree`` or ``core.fsmonitor`` never applies.
    Like git, the search stops at a file-system boundary unless
    ``GIT_DISCOVERY_ACROSS_FILESYSTEM`` is set.
    """
    folder = os.path.realpath(start)
    across = os.environ.get("GIT_DISCOVERY_ACROSS_FILESYSTEM", "").lower() in (
        "1",
        "true",
        "yes",
        "on",
    )
    try:
        device = os.stat(folder).st_dev
    except OSError:
        return None
    while True:
        dot_git = os.path.join(folder, ".git")
        if os.path.isdir(dot_git):
            if _is_git_dir(dot_git):
                return folder, dot_git
        elif os.path.lexists(dot_git):
            target = _read_gitfile(dot_git)
            # git stops at a broken .git file; so does this
            return (folder, target) if target is not None and _is_git_dir(target) else None
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        try:
            if not across and os.stat(parent).st_dev != device:
                return None
        except OSError:
            return None
        folder = parent


def git_root(start: str) -> str | None:
    """The top of the git work tree holding ``start``, found without running git.

    Running ``git rev-parse`` here would let a folder that only looks like a
    repository configure that git; see :func:`find_work_tree`.
    """
    found = find_work_tree(start)
    return found[0] if found is not None else None


def locate_root(cwd: str, config_path: str | None) -> str:
    """What "the project" is: the config file's folder, else the git work
    tree, else the current directory."""
    if config_path is not None:
        return os.path.dirname(os.path.abspath(config_path))
    return git_root(cwd) or os.path.abspath(cwd)


def project_folder(root: str, cwd: str) -> str:
    """The project folder: a config's ``root``, read relative to the run's cwd."""
    return os.path.abspath(os.path.join(cwd, root))


def display(path: str, cwd: str) -> str:
    """A path as the user is shown it: relative to ``cwd`` when inside it, with ``/``.

    Outside ``cwd`` a ``../../x`` says little, so the path is shown as the
    caller holds it: as typed for a path the user gave, absolute for one
    portlint found (a scanned file, an allocation file).
    """
    rel = os.path.relpath(os.path.abspath(path), cwd)
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        rel = path
    return rel.replace(os.sep, "/")
