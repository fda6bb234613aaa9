"""The scanner table: which files portlint reads, and which module reads them.

A literal, ordered table (first match wins). Modules are imported only when a
file of their kind is scanned, so a pre-commit run that touches one compose
file never imports the TOML or JSON scanners.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache

from portlint.scanners.base import Scanner


@dataclass(frozen=True, slots=True)
class ScannerSpec:
    name: str
    module: str  # imported lazily; exposes ``scan(source, ctx) -> ScanResult``
    patterns: tuple[str, ...]  # fnmatch patterns, matched against the file's base name
    description: str = ""
    exclude: tuple[str, ...] = ()  # base names this scanner never reads (lockfiles...)

    def matches(self, basename: str) -> bool:
        return any(fnmatchcase(basename, pattern) for pattern in self.patterns) and not any(
            fnmatchcase(basename, pattern) for pattern in self.exclude
        )


COMPOSE_PATTERNS = (
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
    "compose.*.yaml",
    "compose.*.yml",
    "docker-compose.*.yaml",
    "docker-compose.*.yml",
    "*.override.yaml",
    "*.override.yml",
)

# Generated or compiler files: big, full of numbers, never a port inventory.
# (poetry.lock, Cargo.lock, uv.lock, yarn.lock... do not end in .json/.toml.)
JSON_EXCLUDE = (
    "package-lock.json",
    "npm-shrinkwrap.json",
    "*.lock.json",
    "composer.lock",
    "tsconfig.json",
    "tsconfig.*.json",
    "jsconfig.json",
    "jsconfig.*.json",
    "*.schema.json",
    "*.min.json",
    "*.tsbuildinfo",
    ".eslintrc.json",
)

DOTENV_PATTERNS = (".env", ".env.*", "*.env")

DOCKERFILE_PATTERNS = (
    "Dockerfile",
    "Dockerfile.*",
    "*.Dockerfile",
    "*.dockerfile",
    "Containerfile",
)

SCANNERS: tuple[ScannerSpec, ...] = (
    ScannerSpec("compose", "portlint.scanners.compose", COMPOSE_PATTERNS, "Docker Compose files"),
    ScannerSpec("dotenv", "portlint.scanners.dotenv", DOTENV_PATTERNS, ".env files"),
    ScannerSpec(
        "dockerfile", "portlint.scanners.dockerfile", DOCKERFILE_PATTERNS, "Dockerfile EXPOSE"
    ),
    ScannerSpec(
        "yaml",
        "portlint.scanners.yaml",
        ("*.yaml", "*.yml"),
        "other YAML: recognised by content (Compose, Kubernetes, Helm values, app config)",
    ),
    ScannerSpec(
        "devcontainer",
        "portlint.scanners.devcontainer",
        ("devcontainer.json", ".devcontainer.json"),
        "dev container configs: forwardPorts, appPort, portsAttributes (JSONC)",
    ),
    ScannerSpec(
        "toml",
        "portlint.scanners.toml",
        ("*.toml",),
        "TOML configs (fly.toml, netlify.toml, app configs) by the generic key rules",
    ),
    ScannerSpec(
        "json",
        "portlint.scanners.json",
        ("*.json", "*.jsonc"),
        "JSON/JSONC configs by the generic key rules; package.json scripts",
        exclude=JSON_EXCLUDE,
    ),
)

BY_NAME: dict[str, ScannerSpec] = {spec.name: spec for spec in SCANNERS}

# portlint's own files: its config, baseline and the default allocation file
# hold port numbers by design and are read by portlint itself, never as config
# of the project being linted.
OWN_FILES = frozenset({".portlint.toml", "portlint.toml", ".portlint-baseline.json", "ports.toml"})


# Names that only look like ours: patches and diffs of a config (``.env.patch``
# is a unified diff, not a dotenv file), merge and editor leftovers
# (``Dockerfile.orig``, ``.env.rej``, ``.env.bak``, ``compose.yaml~``, vim's
# ``.env.swp``). No engine reads them; linting them only reports their noise.
NOT_CONFIG = ("*.patch", "*.diff", "*.orig", "*.rej", "*.bak", "*~", "*.swp", "*.swo")


@lru_cache(maxsize=4096)  # a repository repeats a few names (compose.yaml, .env) many times
def scanner_for(basename: str) -> ScannerSpec | None:
    if basename in OWN_FILES or any(fnmatchcase(basename, p) for p in NOT_CONFIG):
        return None
    for spec in SCANNERS:
        if spec.matches(basename):
            return spec
    return None


def load(spec: ScannerSpec) -> Scanner:
    module = importlib.import_module(spec.module)
    scan: Scanner = module.scan
    return scan
