"""``portlint clean``: remove portlint's cache folder from the project."""

from __future__ import annotations

import argparse
import sys

from portlint.errors import EXIT_CLEAN


def run(args: argparse.Namespace) -> int:
    import os

    from portlint.commands import load_config
    from portlint.engine.cache import clean
    from portlint.project import display, project_folder

    cwd = os.getcwd()
    config = load_config(cwd, args.config, {}, isolated=args.isolated).config
    try:
        done = clean(project_folder(config.root, cwd))
    except OSError as exc:  # read-only or foreign folder: a reason, not a traceback
        from portlint.errors import UsageError
        from portlint.safe_write import reason

        where = display(exc.filename, cwd) if isinstance(exc.filename, str) else "the cache"
        raise UsageError(f"{where}: cannot remove: {reason(exc)}") from None
    if done is not None:
        shown = display(done.folder, cwd)
        if done.refused is not None:
            sys.stderr.write(
                f"portlint: {shown}: not a cache folder portlint made ({done.refused}): "
                "nothing removed\n"
            )
        elif done.folder_removed:
            sys.stderr.write(f"portlint: removed {shown}\n")
        else:
            files = "file" if done.left == 1 else "files"
            left = f"; left {done.left} {files} it did not write" if done.left else ""
            sys.stderr.write(f"portlint: removed portlint's files from {shown}{left}\n")
    return EXIT_CLEAN
