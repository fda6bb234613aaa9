"""Which files a run reads.

In a git work tree the file list comes from git itself (tracked plus
untracked-but-not-ignored files), which is both faster and more faithful to
``.gitignore`` than re-implementing its rules. Elsewhere the tree is walked.
Either way, the ``exclude`` and ``extend-exclude`` globs apply below each
folder named on the command line; by default ``exclude`` is
:data:`portlint.config.DEFAULT_EXCLUDES` (``.git``, ``node_modules``,
``vendor``, virtualenvs, caches, ``dist``, test data), and a folder holding
``pyvenv.cfg`` is a virtualenv whatever its name. A symbolic link whose target
does not exist (a ``.env`` pointing at a file generated at install time) is
not listed: there is nothing to read, and nothing the project can fix.
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from portlint.bindings import Location
from portlint.config import Config
from portlint.errors import UsageError
from portlint.findings import Problem
from portlint.gitfiles import LISTING, git_command, git_environment, git_program, run_listing
from portlint.globs import deciding_glob, glob_matcher, has_negation, matches_glob
from portlint.printable import printable_path as printable
from portlint.project import display, find_work_tree
from portlint.scanners import ScannerSpec, scanner_for


@dataclass(frozen=True, slots=True, order=True)
class Candidate:
    display: str  # relative POSIX path shown to the user, escaped to be printable
    abs_path: str
    scanner: ScannerSpec
    explicit: bool = False  # named on the command line
    skip: str | None = None  # why the file is reported but never read
    skip_hint: str | None = None  # what to do about it


def display_path(abs_path: str, cwd: str) -> str:
    """A found file's shown path (:func:`portlint.project.display`), made printable."""
    return printable(display(abs_path, cwd))


def skip_problem(candidate: Candidate) -> Problem | None:
    """The PL002 problem for a candidate that discovery decided not to read."""
    if candidate.skip is None:
        return None
    return Problem(
        "PL002",
        Location(candidate.display, 1, 1),
        candidate.skip,
        hint=candidate.skip_hint,
    )


def _is_venv(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "pyvenv.cfg"))


Prune = Callable[[str], bool]
"""Whether the walk skips a folder, given its absolute path."""


def _exclude_pruner(root: str, excludes: Sequence[str]) -> Prune | None:
    """Skip folders ``exclude`` matches: nothing below them could be listed.

    Not when a glob re-includes (``!``): a file below an excluded folder may
    then be wanted, so every file is matched on its own, as in the git listing.
    """
    if not excludes or has_negation(excludes):
        return None
    excluded = glob_matcher(excludes)

    def pruned(folder: str) -> bool:
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        return excluded(rel, True)

    return pruned


def _walk(root: str, follow_links: bool = False, prune: Prune | None = None) -> Iterable[str]:
    """Files under ``root``; linked folders only when asked, and each real folder once.

    Without ``follow_links`` a symlinked folder is never entered, so link loops
    cannot trap the walk; with it, folders are remembered by (device, inode).
    """
    seen: set[tuple[int, int]] = set()
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(
        root, followlinks=follow_links, onerror=errors.append
    ):
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
        kept = []
        for d in sorted(dirnames):
            sub = os.path.join(dirpath, d)
            if not (prune is not None and prune(sub)) and not _is_venv(sub):
                kept.append(d)
        dirnames[:] = kept
        for name in filenames:
            yield os.path.join(dirpath, name)
    for exc in errors:
        if exc.errno == errno.ENAMETOOLONG and isinstance(exc.filename, str):
            yield from _walk_deep(exc.filename, prune)


def _walk_deep(folder: str, prune: Prune | None = None) -> Iterable[str]:
    """Files under a folder whose path is longer than the system allows.

    Such a folder cannot be listed by its path, but can through descriptors,
    from its parent (which was listed, so is within reach). Its files are
    yielded by their full paths, which every later call refuses, so each is
    reported as skipped instead of vanishing. Links are not followed here.
    """
    fwalk = getattr(os, "fwalk", None)
    if fwalk is None:  # no descriptor-relative walk on this system
        return
    parent, name = os.path.split(folder)
    try:
        parent_fd = os.open(parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        for rel, dirnames, filenames, dir_fd in fwalk(name, dir_fd=parent_fd):
            dirnames[:] = sorted(
                d
                for d in dirnames
                if not (prune is not None and prune(os.path.join(parent, rel, d)))
                and not _has_file(d, "pyvenv.cfg", dir_fd)
            )
            for file in filenames:
                yield os.path.join(parent, rel, file)
    finally:
        os.close(parent_fd)


def _has_file(folder: str, name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISREG(os.stat(f"{folder}/{name}", dir_fd=dir_fd).st_mode)
    except OSError:
        return False


def _git_files(root: str) -> list[str] | None:
    """Files git would show under ``root`` (relative POSIX paths); None outside a work tree.

    Git runs on the repository :func:`find_work_tree` chose, named explicitly,
    with every setting that could start a program forced off: the repository
    (or a folder inside it) decides which files are listed, never what runs.
    ``portlint check`` may have started this very command already
    (:func:`portlint.gitfiles.start_listing`); it is taken up only when it is.
    """
    found = find_work_tree(root)
    git = git_program()
    if found is None or git is None:
        return None
    work_tree, git_dir = found
    argv = git_command(git, work_tree, git_dir, *LISTING)
    out = run_listing(argv, root, git_environment())
    if out is None:
        return None
    names = sorted({n for n in out.decode("utf-8", "surrogateescape").split("\0") if n})
    # Paths relative to ``root``; whether each still exists is checked later,
    # and only for the few that a scanner wants; excludes apply to them later too.
    return names


def _gitignore_without_git(root: str) -> tuple[Prune, Prune] | None:
    """Folder and file tests that hide what ``.gitignore`` hides, when git could not list.

    Only inside a work tree, as with git: outside one, a ``.gitignore`` is
    just a file. Paths are made relative to the work tree through ``root``'s
    real path, computed once.
    """
    found = find_work_tree(root)
    if found is None:
        return None
    work_tree, git_dir = found
    from portlint.gitignore import GitignoreRules  # pathspec: only when git could not list

    rules = GitignoreRules(work_tree, git_dir)
    base = os.path.relpath(os.path.realpath(root), work_tree).replace(os.sep, "/")
    if base == ".":
        base = ""
    elif base.startswith("../"):
        return None

    def rel(path: str) -> str:
        inner = os.path.relpath(path, root).replace(os.sep, "/")
        return f"{base}/{inner}" if base else inner

    def folder_ignored(path: str) -> bool:
        return rules.ignored(rel(path), is_dir=True)

    def file_ignored(path: str) -> bool:
        return rules.ignored(rel(path))

    # The top folder's own ancestors may be ignored too (`portlint check build`
    # inside an ignored `build/`): git would list nothing there, and neither do these.
    if base and any(
        rules.ignored("/".join(base.split("/")[: i + 1]), is_dir=True)
        for i in range(base.count("/") + 1)
    ):
        return (lambda _path: True), (lambda _path: True)
    return folder_ignored, file_ignored


def _unreachable(path: str, exc: OSError) -> tuple[str, str | None]:
    """The PL002 reason (and hint) for a listed file the system will not let us reach."""
    if exc.errno == errno.ENAMETOOLONG:
        size = len(os.fsencode(path))
        return (
            f"path too long for the system ({size} bytes): not read",
            "move the file to a shallower folder, or exclude it",
        )
    reason = exc.strerror or type(exc).__name__
    return f"cannot be read: {reason[:1].lower()}{reason[1:]}", None


def _dangling(link: str) -> bool:
    """A link whose target does not exist; a loop or a refusal is still reported (PL002)."""
    try:
        os.stat(link)
    except OSError as exc:
        return exc.errno in (errno.ENOENT, errno.ENOTDIR)
    return False


def _inside(path: str, root: str) -> bool:
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


Log = Callable[[str], None]
"""Where ``-v`` says why a file is not read: one line, without a trailing newline."""


Stat = tuple[int, int, int, int]
"""A regular file's (mtime_ns, ctime_ns, size, inode), as the scan cache compares them."""

SETTLED_NS = 2_000_000_000
"""A file modified more recently than this before its stat was taken may change again
within one mtime tick, so that stat proves nothing (the scan cache's ``RACY_SECONDS``)."""


def discover(
    paths: Sequence[str],
    config: Config,
    cwd: str | None = None,
    log: Log | None = None,
    stats: dict[str, Stat] | None = None,
) -> list[Candidate]:
    """The files a run reads, in display order.

    ``stats``, when given, receives the stat of each listed regular file
    (not a link: its lstat is its stat) by absolute path, when the file had
    settled (``SETTLED_NS``) before discovery began: discovery takes it anyway,
    and the scan cache then need not take it again.
    """
    cwd = cwd or os.getcwd()
    settled = time.time_ns() - SETTLED_NS  # before any stat is taken: errs on the safe side
    excludes = (*config.exclude, *config.extend_exclude)
    # Compiled once for the run: every listed file is matched against both.
    excluded = glob_matcher(excludes) if excludes else None
    included = glob_matcher(config.include) if config.include else None
    found: dict[str, Candidate] = {}  # by absolute path: escaped display names may clash

    said: dict[str, str] = {}  # shown path -> why it is not read; said sorted, at the end

    def skipped(shown: str, reason: str) -> None:
        if log is not None:
            said.setdefault(shown, reason)

    for given in paths or ["."]:
        abs_given = os.path.abspath(os.path.join(cwd, given))
        if not os.path.lexists(abs_given):
            raise UsageError(f"{given}: no such file or directory")
        if not os.path.isdir(abs_given):
            spec = scanner_for(os.path.basename(abs_given))
            if spec is not None and config.force_exclude and excludes:
                rel = os.path.relpath(abs_given, os.path.abspath(config.root)).replace(os.sep, "/")
                if matches_glob(excludes, rel):
                    # --force-exclude: a named file is excluded like any other
                    glob = deciding_glob(excludes, rel)
                    skipped(display_path(abs_given, cwd), f"matches exclude glob `{glob}`")
                    continue
            if spec is not None:
                shown = display_path(abs_given, cwd)
                found[abs_given] = Candidate(shown, abs_given, spec, explicit=True)
            else:
                skipped(display_path(abs_given, cwd), "no scanner reads files of this name")
            continue
        files = _git_files(abs_given) if config.respect_gitignore else None
        # Displayed paths are the folder's displayed path plus the file's path
        # inside it: string work instead of one relpath() per file.
        shown_root = display_path(abs_given, cwd)
        prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
        if files is None:
            prune = _exclude_pruner(abs_given, excludes)
            rules = _gitignore_without_git(abs_given) if config.respect_gitignore else None
            if rules is not None and log is not None:
                log(f"listing {shown_root} without git: reading its .gitignore files")

            pruned = _folder_pruner(abs_given, prefix, excludes, prune, rules, skipped, log)
            walked = _walk(abs_given, config.follow_links, pruned)
            if rules is not None:
                walked = _hidden_files_said(walked, rules[1], abs_given, prefix, skipped)
            listed = ((p, os.path.relpath(p, abs_given)) for p in walked)
        else:
            if log is not None:
                log(f"listing {shown_root} with git: files .gitignore hides are not listed")
            # os.path.join's result for a relative name, without its checks per file
            base = abs_given if abs_given.endswith(os.sep) else abs_given + os.sep
            listed = ((base + name, name) for name in files)
        for path, rel_native in listed:
            rel = rel_native.replace(os.sep, "/")
            basename = rel.rsplit("/", 1)[-1]
            spec = scanner_for(basename)
            if spec is None and included is not None and included(rel, False):
                # `include`: a name the defaults miss, like `compose.yaml.dist` or
                # `stack.yml.j2`, is read as the name without its last suffix
                spec = scanner_for(os.path.splitext(basename)[0])
                if spec is None:
                    stem = os.path.splitext(basename)[0]
                    skipped(prefix + printable(rel), f"in `include`, but no scanner reads {stem}")
                    continue
            if spec is None:
                skipped(prefix + printable(rel), "no scanner reads files of this name")
                continue
            if excluded is not None and excluded(rel, False):
                glob = deciding_glob(excludes, rel)
                skipped(prefix + printable(rel), f"matches exclude glob `{glob}`")
                continue
            shown = prefix + printable(rel)
            skip = hint = None
            try:
                st = os.lstat(path)
            except OSError as exc:
                if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                    skipped(shown, "listed by git, but deleted from the work tree")
                    continue
                # Listed, so it exists, but cannot be reached (a path longer
                # than the system allows, a folder without search permission):
                # reported, never dropped, or a clean run would be a false one.
                skip, hint = _unreachable(path, exc)
            else:
                if stats is not None and stat.S_ISREG(st.st_mode) and st.st_mtime_ns < settled:
                    stats[path] = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
                if stat.S_ISLNK(st.st_mode) and _dangling(path):
                    # a file generated later: nothing to read, nothing to fix
                    skipped(shown, "symbolic link to a file that does not exist")
                    continue
                if not config.follow_links:
                    if stat.S_ISLNK(st.st_mode) and not _inside(path, abs_given):
                        skip = "symbolic link to outside the scanned folder: not followed"
                        hint = "pass --follow-links to read files outside the scanned folder"
                elif not config.links_may_leave_project and not _inside(path, config.root):
                    # a file, or a file in a linked folder, that leads out of the project
                    skip = "symbolic link to outside the project: not followed"
                    hint = "only --follow-links on the command line follows links out of it"
            found.setdefault(path, Candidate(shown, path, spec, skip=skip, skip_hint=hint))
    if log is not None:
        for shown in sorted(said):
            log(f"skipped {shown}: {said[shown]}")
    # The candidates' own order (display, then abs_path, which is unique here) without
    # the generated __lt__: one plain tuple comparison per step.
    return sorted(found.values(), key=_candidate_order)


def _candidate_order(candidate: Candidate) -> tuple[str, str]:
    return (candidate.display, candidate.abs_path)


def _folder_pruner(
    root: str,
    prefix: str,
    excludes: Sequence[str],
    prune: Prune | None,
    rules: tuple[Prune, Prune] | None,
    skipped: Callable[[str, str], None],
    log: Log | None,
) -> Prune | None:
    """The walk's folder test: ``exclude``, then ``.gitignore``; each saying why to ``-v``."""
    if prune is None and rules is None and log is None:
        return None

    def pruned(folder: str) -> bool:
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        shown = prefix + printable(rel) + "/"
        if prune is not None and prune(folder):
            glob = deciding_glob(excludes, rel, is_dir=True)
            skipped(shown, f"folder matches exclude glob `{glob}`")
            return True
        if rules is not None and rules[0](folder):
            skipped(shown, "folder hidden by .gitignore")
            return True
        if log is not None and _is_venv(folder):
            skipped(shown, "virtual environment (holds pyvenv.cfg)")
            return True
        return False

    return pruned


def _hidden_files_said(
    walked: Iterable[str],
    hidden: Prune,
    root: str,
    prefix: str,
    skipped: Callable[[str, str], None],
) -> Iterable[str]:
    for path in walked:
        if hidden(path):
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            skipped(prefix + printable(rel), "hidden by .gitignore")
        else:
            yield path
