"""Env files a repository names or ships (include ``env_file``, ``.env`` templates) are read
only inside the project: a link pointing out of it, or a path climbing out, is not followed.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.scanners.helpers import problems, scan

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")

COMPOSE = 'services:\n  web:\n    image: x\n    ports:\n      - "${SECRET_PORT}:80"\n'


def test_template_linked_outside_the_project_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside.env"
    outside.write_text("SECRET_PORT=8444\n", encoding="utf-8")
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".env.example").symlink_to(outside)
    result = scan(root, {"compose.yaml": COMPOSE}, "compose.yaml")
    assert [p[0] for p in problems(result)] == ["PL104"]
    assert [b.port for b in result.bindings if b.role == "host"] == []


def test_include_env_file_outside_the_project_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside.env").write_text("SECRET_PORT=8445\n", encoding="utf-8")
    root = tmp_path / "repo"
    files = {
        "compose.yaml": "include:\n  - path: web/compose.yaml\n    env_file: ../outside.env\n",
        "web/compose.yaml": COMPOSE,
    }
    result = scan(root, files, "compose.yaml")
    assert [(p[0], p[1]) for p in problems(result)] == [("PL104", 5)]
    assert [b.port for b in result.bindings if b.role == "host"] == []
