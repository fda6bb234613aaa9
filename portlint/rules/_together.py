"""Which claims run at the same time: the evidence PL402 needs before it reports.

Two compose projects of one repository may be a product's parts that start
side by side, or samples of a collection that are never started together. The
files say which only sometimes, and a finding needs proof, so claims start out
as independent units (a compose project, or one file outside projects) and
are joined into one *run group* only by evidence:

- the repository keeps an allocation file: the team says all its ports are one
  space, so every claim is one group;
- the ``run-together`` option names folders whose projects start together;
- two compose projects join the same ``external`` network, or one names the
  other's ``container_name`` (``external_links``, a URL, a ``*_HOST`` value);
- a ``.env`` that a compose project reads belongs to that project.

Compose files of one folder that are different projects (``docker-compose.yml``
beside ``docker-compose-v7.yml``) are alternatives of one project: a person
starts one or the other, so they are one unit that never contests itself.
The same config in two formats (``traefik.sample.toml`` and
``traefik.sample.yml``) is one claimant.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence

from portlint.bindings import PortBinding
from portlint.globs import shortest_matching_folder

ALL_TOGETHER = "*"
"""The one run group of a repository whose ports are one space."""

FORMAT_EXTENSIONS = (".toml", ".yaml", ".yml", ".json")


def alternatives_key(project: str | None) -> str | None:
    """One key for every compose project of one folder (they are alternatives).

    ``compose:app/docker-compose-v7.yml`` (a file of its own) and ``compose:app``
    (the default-named files and their override) both become ``compose:app``.
    Other project keys (pods) are kept.
    """
    if project is None or not project.startswith("compose:"):
        return project
    rest = project[len("compose:") :]
    if rest.endswith((".yml", ".yaml")):
        return "compose:" + (posixpath.dirname(rest) or ".")
    return project


def format_twin_key(path: str) -> str:
    """A file's path without its format extension: one config written in two formats."""
    stem, ext = posixpath.splitext(path)
    return stem if ext.lower() in FORMAT_EXTENSIONS else path


def folder_globs(patterns: Sequence[str]) -> Callable[[str], bool]:
    """Whether a file lies in a folder (or below one) matching a glob.

    Globs are gitignore-style and matched like ``independent``'s, against the
    file's folder; ``.`` names the repository's top folder.
    """
    stripped = tuple(p.strip() for p in patterns if p.strip())
    top = any(p.rstrip("/") in (".", "") for p in stripped)
    globs = tuple(p for p in stripped if p.rstrip("/") not in (".", ""))

    def inside(path: str) -> bool:
        folder = posixpath.dirname(path)
        if not folder:
            return top
        return top or shortest_matching_folder(globs, folder) is not None

    return inside


class _Groups:
    """Union-find over unit names."""

    __slots__ = ("parent",)

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, name: str) -> str:
        parent = self.parent.setdefault(name, name)
        while parent != name:
            grand = self.parent.setdefault(parent, parent)
            self.parent[name] = grand
            name, parent = parent, grand
        return name

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def profiles_meet(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two compose services can be started by one ``docker compose up``.

    A service without ``profiles`` always starts; one with profiles starts
    when one of them is active. Which profiles a person activates is not in
    the files, so two profiled services meet only when they share a profile
    (``--profile '*'`` would start everything, but that is nobody's setup).
    """
    return not a or not b or not set(a).isdisjoint(b)


def unit_of(binding: PortBinding, project: str | None) -> str:
    """The unit a claim starts in: its compose project, else its file.

    A compose project starts as one (`docker compose up`); the objects of one
    Kubernetes manifest are applied together, and so are the keys of one file.
    """
    if project is not None and project.startswith("compose:"):
        return project
    return "file:" + binding.location.path


def _facts(binding: PortBinding, key: str) -> list[str]:
    return [value for k, value in binding.together if k == key]


def run_groups(
    claims: Iterable[tuple[PortBinding, str | None]],
    bindings: Sequence[PortBinding],
    *,
    one_space: bool,
    run_together: Sequence[Sequence[str]] = (),
) -> list[str]:
    """The run group of each ``(binding, project)`` claim, in order.

    ``project`` is the claim's own compose project or pod (not merged with its
    alternatives: a variant file joining a network says nothing of its sibling).

    ``bindings`` are every binding of the run: a project's evidence may sit on
    bindings that claim nothing (an ``expose``-only service naming a container).
    """
    if one_space:
        return [ALL_TOGETHER for _ in claims]
    groups = _Groups()
    defined: dict[str, set[str]] = {}  # container_name -> units defining it
    refers: list[tuple[str, str]] = []
    readers: dict[str, set[str]] = {}  # .env path -> units that read it
    for b in bindings:
        if b.service is None or b.project is None:  # compose services carry the evidence
            continue
        unit = unit_of(b, b.project)
        for network in _facts(b, "external_network"):
            groups.join(unit, "network:" + network)
        for name in _facts(b, "container_name"):
            defined.setdefault(name, set()).add(unit)
        refers.extend((unit, name) for name in _facts(b, "refers"))
        # the .env compose reads for this project, and the env_files its services name
        folders = {posixpath.dirname(b.location.path), str(alternatives_key(b.project))[8:]}
        envs = {posixpath.join("" if f == "." else f, ".env") for f in folders}
        envs.update(b.env_files)
        for env in envs:
            readers.setdefault(env, set()).add(unit)
    for env, units in readers.items():
        if len(units) == 1:  # alternatives sharing one .env would join each other through it
            groups.join(units.pop(), "file:" + env)
    for unit, name in refers:
        for other in defined.get(name, ()):
            groups.join(unit, other)
    matchers = [folder_globs(group) for group in run_together]
    out = []
    for binding, project in claims:
        unit = unit_of(binding, project)
        for i, inside in enumerate(matchers):
            if inside(binding.location.path):
                groups.join(unit, f"run-together:{i}")
        out.append(unit)
    return [groups.find(unit) for unit in out]
