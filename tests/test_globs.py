"""The glob dialect: gitignore's, as pathspec implements it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portlint.config import DEFAULT_EXCLUDES
from portlint.globs import compile_globs, matches_glob, shortest_matching_folder


@pytest.mark.parametrize(
    ("patterns", "path", "expected"),
    [
        # `**` spans zero or more folders; a matched folder matches its contents
        (["deploy/**/old"], "deploy/old/compose.yaml", True),
        (["deploy/**/old"], "deploy/eu/west/old/compose.yaml", True),
        (["deploy/**/old"], "deploy/older/compose.yaml", False),
        # `*` stops at `/`
        (["deploy/*.yaml"], "deploy/compose.yaml", True),
        (["deploy/*.yaml"], "deploy/eu/compose.yaml", False),
        # a slash inside anchors at the root; none matches at any depth
        (["deploy/old"], "app/deploy/old/compose.yaml", False),
        (["legacy"], "app/legacy/compose.yaml", True),
        (["*.tpl.yaml"], "a/b/c.tpl.yaml", True),
        (["/compose.yaml"], "app/compose.yaml", False),
        (["/compose.yaml"], "compose.yaml", True),
        (["./compose.yaml"], "app/compose.yaml", False),  # the older spelling of `/`
        # a trailing slash matches folders only
        (["compose.yaml/"], "compose.yaml", False),
        (["old/"], "old/compose.yaml", True),
        # later lines win; `!` re-includes
        (["deploy/*.yaml", "!deploy/keep.yaml"], "deploy/keep.yaml", False),
        (["deploy/*.yaml", "!deploy/keep.yaml"], "deploy/drop.yaml", True),
        (["!deploy/keep.yaml", "deploy/*.yaml"], "deploy/keep.yaml", True),
        ([], "compose.yaml", False),
    ],
)
def test_globs_follow_gitignore(patterns: list[str], path: str, expected: bool) -> None:
    assert matches_glob(patterns, path) is expected


def test_a_folder_only_glob_matches_a_folder_named_as_one() -> None:
    assert matches_glob(["build/"], "build", is_dir=True)
    assert not matches_glob(["build/"], "build")


@pytest.mark.parametrize(
    ("patterns", "folder", "expected"),
    [
        (["**/examples/*"], "examples/web", "examples/web"),
        (["**/examples/*"], "examples/web/nested", "examples/web"),
        (["**/examples/*"], "docs/examples/web/x", "docs/examples/web"),
        (["**/examples/*"], "examples", None),
        (["examples/*"], "docs/examples/web", None),
        (["staging"], "staging/eu", "staging"),
        (["staging"], "", None),
    ],
)
def test_the_shortest_matching_folder_wins(
    patterns: list[str], folder: str, expected: str | None
) -> None:
    assert shortest_matching_folder(patterns, folder) == expected


_LISTS = [
    DEFAULT_EXCLUDES,
    ("deploy/**/old", "*.tpl.yaml", "/compose.yaml", "build/"),
    ("deploy/*.yaml", "!deploy/keep.yaml"),
    ("!deploy/keep.yaml", "deploy/*.yaml", "vendor/"),
    ("./compose.yaml", "a?c", "[ab]/x", "**/examples/*", "# comment", "  "),
    ("docs/", "!docs/compose.yaml", "docs/**"),
    # globs at any depth share one prefix in the union; a "|" in one stays its own
    ("a|b", "[|]x", "[]]y", "*.yml", "dist", "dist|c/"),
]
_PATHS = [
    "compose.yaml",
    "app/compose.yaml",
    "deploy/old/compose.yaml",
    "deploy/eu/west/old/compose.yaml",
    "deploy/keep.yaml",
    "deploy/drop.yaml",
    "a/b/c.tpl.yaml",
    "node_modules/x/compose.yaml",
    "src/vendor/compose.yaml",
    "vendor",
    "abc/compose.yaml",
    "b/x",
    "examples/web/compose.yaml",
    "docs/compose.yaml",
    "docs/a/compose.yaml",
    ".venv/lib/.env",
    "build",
    "a|b",
    "q/a|b/compose.yaml",
    "|x",
    "q/]y",
    "b",
    "app/compose.yml",
    "dist|c",
    "c/compose.yaml",
    # near misses of plain names, and spellings pathspec normalises
    "x/venvs/compose.yaml",
    "foo.dist",
    "my-vendor/compose.yaml",
    "a/.git/config",
    "a/dist/b.yaml",
    "fixtures.yaml",
    "a//b/compose.yaml",
    "a/./dist/x",
    "a/../dist/x",
    "./dist/x",
    "/dist/x",
    "A/Dist/x",
]


@pytest.mark.parametrize("patterns", _LISTS)
def test_the_quick_no_never_changes_what_pathspec_decides(patterns: tuple[str, ...]) -> None:
    # The union of the patterns' expressions only answers "nothing matches"; every
    # verdict must be pathspec's own, for files and folders alike.
    spec = compile_globs(tuple(patterns)).spec  # pathspec's own matcher, unchanged
    for path in _PATHS:
        for is_dir in (False, True):
            expected = spec.match_file(path + "/" if is_dir else path)
            assert matches_glob(patterns, path, is_dir) is expected, (path, is_dir)


_NAME_PARTS = [
    *DEFAULT_EXCLUDES,
    *("dist2", "xdist", "Dist", ".", "..", "", "a", "compose.yaml"),
    *("dist\n", "\nvendor", "a\nb", "dist\r", " dist", "dist ", "\n"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PARTS), min_size=1, max_size=5), st.booleans())
def test_plain_names_match_as_pathspec_matches(parts: list[str], is_dir: bool) -> None:
    """The default excludes are decided without pathspec: a component equal to a name."""
    path = "/".join(parts)
    spec = compile_globs(DEFAULT_EXCLUDES).spec  # pathspec's own matcher for the same list
    assert matches_glob(DEFAULT_EXCLUDES, path, is_dir) is spec.match_file(
        path + "/" if is_dir else path
    )


def test_plain_names_never_import_pathspec() -> None:
    """Its import costs a warm run about as much as the rest of discovery."""
    code = (
        "import sys\n"
        "from portlint.config import DEFAULT_EXCLUDES\n"
        "from portlint.globs import matches_glob\n"
        "assert matches_glob(DEFAULT_EXCLUDES, 'a/node_modules/x.yaml')\n"
        "assert not matches_glob(DEFAULT_EXCLUDES, 'a/b/compose.yaml', True)\n"
        "print('pathspec' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
