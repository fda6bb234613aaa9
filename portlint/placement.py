"""Where a port listens when its own file does not say: the files around it decide.

A ``PORT=3000`` in ``web/.env`` or ``port: 8080`` in ``api/config.yaml``
is the port of some program, but which network namespace it listens in is
not written there. The folder tells: a Dockerfile beside it (or above it)
builds an image from that folder, so the config is baked into a container
and its ports are that container's own; a ``package.json`` there (and no
Dockerfile) is an app a developer starts on the host with ``npm run``. The
nearest folder with either decides; with neither the namespace stays
``unknown``, and the rules that compare ports on the shared machine leave
the binding out rather than guess.

Layer: knowledge, beside identity. A pure function over bindings and the
list of files the run discovered: no file is opened.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Iterable, Sequence

from portlint.bindings import HOST, Namespace, PortBinding

# File names that build an image from their folder.
IMAGE_FILES = ("dockerfile", "containerfile")
# File names of an app its developers start on the host (``npm run dev``).
HOST_APP_FILES = frozenset({"package.json"})


def _builds_image(name: str) -> bool:
    """``Dockerfile``, ``Dockerfile.dev``, ``api.Dockerfile``, ``Containerfile``."""
    lower = name.lower()
    return any(
        lower == stem or lower.startswith(f"{stem}.") or lower.endswith(f".{stem}")
        for stem in IMAGE_FILES
    )


def folder_marks(paths: Iterable[str]) -> dict[str, Namespace]:
    """Folder -> the namespace its files listen in, for folders that say."""
    marks: dict[str, Namespace] = {}
    for path in paths:
        # Nearly no path names one of these files: a substring test clears
        # the others before any split (every discovered file comes here).
        lower = path.lower()
        if "dockerfile" not in lower and "containerfile" not in lower and "package" not in lower:
            continue
        folder, name = posixpath.split(path)
        if _builds_image(name):
            marks[folder] = Namespace("container", f"image:{folder or '.'}")
        elif name.lower() in HOST_APP_FILES and folder not in marks:
            marks[folder] = HOST
    return marks


def place(bindings: Sequence[PortBinding], paths: Iterable[str]) -> list[PortBinding]:
    """The bindings, with ``unknown`` namespaces replaced where the folders say.

    Only a binding whose scanner left the namespace unknown changes; the
    nearest folder (its own, then each parent) with a Dockerfile or a
    ``package.json`` decides, and a Dockerfile wins in one folder: the app is
    shipped in the image that folder builds.
    """
    if not any(_unplaced(b) for b in bindings):
        return list(bindings)  # a pre-commit run may judge a few bindings, none unknown
    marks = folder_marks(paths)
    if not marks:
        return list(bindings)
    found: dict[str, Namespace | None] = {}
    out: list[PortBinding] = []
    for binding in bindings:
        if not _unplaced(binding):
            out.append(binding)
            continue
        folder = posixpath.dirname(binding.location.path)
        if folder not in found:
            found[folder] = _nearest(folder, marks)
        placed = found[folder]
        out.append(binding if placed is None else dataclasses.replace(binding, namespace=placed))
    return out


def _unplaced(binding: PortBinding) -> bool:
    """Whether the folders around a binding decide its namespace (its file did not)."""
    space = binding.namespace
    return space is not None and space.kind == "unknown" and binding.role != "url"


def _nearest(folder: str, marks: dict[str, Namespace]) -> Namespace | None:
    while True:
        if folder in marks:
            return marks[folder]
        if not folder:
            return None
        folder = posixpath.dirname(folder)
