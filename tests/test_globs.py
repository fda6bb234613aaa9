"""The compiled glob matcher answers as one ``fnmatchcase`` per pattern and component."""

from __future__ import annotations

from fnmatch import fnmatchcase

from hypothesis import given, settings
from hypothesis import strategies as st

from portlint.config import DEFAULT_EXCLUDES
from portlint.globs import matches_glob


def reference(patterns: tuple[str, ...], rel: str) -> bool:
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


_CHARS = st.sampled_from([*"ab./*?[]!-_", "node_modules", "x.yaml", ".env", "**"])
_PATTERN = st.lists(_CHARS, max_size=6).map("".join)
_PATH = st.lists(
    st.sampled_from(["a", "b", ".", "x.yaml", ".env", "node_modules", "*"]), min_size=1, max_size=4
).map("/".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(_PATTERN, max_size=4).map(tuple), _PATH)
def test_compiled_matcher_agrees_with_fnmatch(patterns: tuple[str, ...], rel: str) -> None:
    assert matches_glob(patterns, rel) == reference(patterns, rel)


@given(_PATH)
def test_default_excludes_agree(rel: str) -> None:
    excludes = tuple(DEFAULT_EXCLUDES)
    assert matches_glob(excludes, rel) == reference(excludes, rel)
