"""The alias-free fast path of ``check_tree`` reports exactly what the full check does.

A ``*`` anywhere in the text (here: in a comment) sends a file through the
full check; the same tree without it takes the fast path. Both must find the
same first problem (duplicate key or depth) at the same place.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from portlint.findings import Problem
from portlint.scanners import _yaml
from portlint.source import SourceFile

KEYS = st.sampled_from(["a", "b", "port", "ports"])


SCALARS = st.sampled_from(["8080", '"80:80"', "web", "null"])
TREES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(st.tuples(KEYS, inner), min_size=1, max_size=3),  # a mapping, keys may repeat
        st.lists(inner, min_size=1, max_size=3).map(tuple),  # a sequence
    ),
    max_leaves=12,
)


def render(node: object, indent: int = 0) -> str:
    """Block-style YAML for a tree of scalars, (key, value) lists and tuples."""
    pad = "  " * indent
    if isinstance(node, str):
        return f"{pad}{node}\n"
    if isinstance(node, tuple):
        return "".join(
            f"{pad}- {item}\n" if isinstance(item, str) else f"{pad}-\n{render(item, indent + 1)}"
            for item in node
        )
    assert isinstance(node, list)
    return "".join(
        f"{pad}{key}: {value}\n"
        if isinstance(value, str)
        else f"{pad}{key}:\n{render(value, indent + 1)}"
        for key, value in node
    )


def deep(levels: int) -> str:
    return "[" * levels + "1" + "]" * levels


def outcome(text: str) -> tuple[str, int, int, str] | None:
    docs = _yaml.compose_documents(SourceFile("x.yaml", text))
    if isinstance(docs, Problem):
        return (docs.code, docs.location.line, docs.location.column, docs.message)
    return None


@settings(max_examples=80)
@given(TREES)
def test_fast_and_full_checks_agree_on_duplicates(tree: object) -> None:
    text = render(tree)
    assert outcome(text) == outcome(text + "# *\n")


@settings(max_examples=12)
@given(st.sampled_from([5, _yaml.MAX_DEPTH - 1, _yaml.MAX_DEPTH, _yaml.MAX_DEPTH + 1, 260]))
def test_fast_and_full_checks_agree_on_depth(levels: int) -> None:
    text = "key: " + deep(levels) + "\n"
    assert outcome(text) == outcome(text + "# *\n")


def test_depth_and_duplicate_cases_do_fire() -> None:
    """The agreement above is not vacuous: both kinds of problem occur."""
    assert outcome("a: 1\na: 2\n") == (
        "PL001",
        2,
        1,
        "duplicate key 'a' in one mapping (first at line 1)",
    )
    too_deep = outcome("key: " + deep(_yaml.MAX_DEPTH + 1) + "\n")
    assert too_deep is not None and too_deep[0] == "PL002"
