"""The guards of ``_yaml.compose_documents``, with libyaml and with the pure-Python composer."""

from __future__ import annotations

import pytest

from portlint.bindings import Location
from portlint.findings import Problem
from portlint.scanners import _yaml
from portlint.source import SourceFile

LOADERS = [pytest.param(_yaml.PURE_LOADER, id="pure")]
if _yaml.LOADER is not _yaml.PURE_LOADER:
    LOADERS.append(pytest.param(_yaml.LOADER, id="libyaml"))


def compose(text: str, loader: _yaml.Loader) -> list[_yaml.Node] | Problem:
    return _yaml.compose_documents(SourceFile("f.yaml", text), loader)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[" * 201 + "]" * 201, (1, 201)),  # 201 levels: just past the limit
        ("- " * 201 + "x", (1, 401)),
        ("a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 201)), (201, 401)),
    ],
    ids=["flow", "block-sequence", "block-mapping"],
)
def test_depth_limit_is_the_same_for_both_loaders(
    loader: _yaml.Loader, text: str, where: tuple[int, int]
) -> None:
    problem = compose(text, loader)
    assert problem == Problem(
        "PL002", Location("f.yaml", *where), "YAML nested deeper than 200 levels: not scanned"
    )


@pytest.mark.parametrize("loader", LOADERS)
def test_two_hundred_levels_are_fine(loader: _yaml.Loader) -> None:
    docs = compose("[" * 200 + "]" * 200, loader)
    assert isinstance(docs, list) and len(docs) == 1


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("opener", ["[", "- "])
def test_ten_thousand_levels(loader: _yaml.Loader, opener: str) -> None:
    text = opener * 10_000 + ("]" * 10_000 if opener == "[" else "x")
    problem = compose(text, loader)
    assert isinstance(problem, Problem)
    assert (problem.code, problem.message) == (
        "PL002",
        "YAML nested deeper than 200 levels: not scanned",
    )


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: &x [1, *x]\n", (1, 4)),
        ("a: &x {b: {c: *x}}\n", (1, 4)),
        ("x: &m\n  <<: *m\n  k: 1\n", (1, 4)),
    ],
    ids=["sequence", "mapping", "merge"],
)
def test_recursive_alias(loader: _yaml.Loader, text: str, where: tuple[int, int]) -> None:
    assert compose(text, loader) == Problem(
        "PL002",
        Location("f.yaml", *where),
        "YAML anchor is used inside itself (a recursive alias): not scanned",
        hint="Compose and kubectl reject recursive anchors; replace the alias",
    )


@pytest.mark.parametrize("loader", LOADERS)
def test_alias_bomb_costs_its_distinct_nodes_only(loader: _yaml.Loader) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    rows += [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]"
        for i in range(8)
    ]
    problem = compose("\n".join(rows) + "\n", loader)
    assert problem == Problem(
        "PL002",
        Location("f.yaml", 5, 4),
        "YAML aliases expand to 1234567909 nodes from 29 (an alias bomb): not scanned",
    )


@pytest.mark.parametrize("loader", LOADERS)
def test_shared_anchors_below_the_limit_are_fine(loader: _yaml.Loader) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    rows += [
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]"
        for i in range(3)
    ]
    docs = compose("\n".join(rows) + "\n", loader)  # 11,111 nodes once expanded
    assert isinstance(docs, list)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: 2\na: 3\n", (3, 1, "'a'", 1)),
        ("s:\n  web:\n    x: 1\n    'x': 2\n", (4, 5, "'x'", 3)),
        ("- {p: 1, q: 2, p: 3}\n", (1, 16, "'p'", 1)),
    ],
    ids=["top", "quoted", "flow"],
)
def test_duplicate_keys(
    loader: _yaml.Loader, text: str, expected: tuple[int, int, str, int]
) -> None:
    line, col, key, first = expected
    problem = compose(text, loader)
    assert isinstance(problem, Problem)
    assert (problem.code, problem.location.line, problem.location.column, problem.message) == (
        "PL001",
        line,
        col,
        f"duplicate key {key} in one mapping (first at line {first})",
    )


@pytest.mark.parametrize("loader", LOADERS)
def test_keys_equal_as_text_but_not_as_values_are_not_duplicates(loader: _yaml.Loader) -> None:
    # 1 is an int and "1" a string: different keys, as in YAML and Go's yaml.v3.
    assert isinstance(compose("1: a\n'1': b\n<<: {c: 1}\n<<: {d: 2}\n", loader), list)


@pytest.mark.parametrize("loader", LOADERS)
def test_merge_keys_follow_the_spec(loader: _yaml.Loader) -> None:
    text = (
        "base: &base {image: nginx, ports: ['80:80'], restart: always}\n"
        "more: &more {ports: ['81:81'], user: app}\n"
        "svc:\n"
        "  <<: [*more, *base]\n"
        "  restart: never\n"
    )
    docs = compose(text, loader)
    assert isinstance(docs, list)
    svc = _yaml.get(docs[0], "svc")
    assert svc is not None
    source = SourceFile("f.yaml", text)
    got = {key: _yaml.location(source, node).line for key, _k, node in _yaml.items(svc)}
    # Explicit keys win, then earlier merge sources: ports come from *more (line 2).
    assert got == {"restart": 5, "ports": 2, "user": 2, "image": 1}


@pytest.mark.parametrize("loader", LOADERS)
def test_custom_tags_stay_inert_nodes(loader: _yaml.Loader) -> None:
    text = "a: !!python/object/apply:os.system ['exit 3']\nb: !vault |\n  secret\n"
    docs = compose(text, loader)
    assert isinstance(docs, list)
    node = _yaml.get(docs[0], "a")
    assert node is not None and node.tag == "tag:yaml.org,2002:python/object/apply:os.system"
