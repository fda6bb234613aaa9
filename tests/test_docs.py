"""Generated docs stay in step with the code."""

from __future__ import annotations

from tests.conftest import ROOT


def test_docs_rules_md_is_current() -> None:
    from portlint.rules import ALL_RULES
    from portlint.rules.manual import render_docs

    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == render_docs(ALL_RULES), (
        "docs/rules.md is stale: python -m portlint.rules.manual > docs/rules.md"
    )


# -- docs/ports.md describes the JSON `portlint ports` really writes ------------------------


def _ports_doc() -> str:
    return (ROOT / "docs" / "ports.md").read_text(encoding="utf-8")


def _documented_example() -> dict[str, object]:
    import json
    import re

    section = _ports_doc().split("## JSON, version ", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S)
    assert block is not None
    return json.loads(block.group(1))


def _real_ports_json() -> dict[str, object]:
    """``portlint ports --format json`` over every fixture: every scanner, role and namespace."""
    import json

    from tests.conftest import FIXTURES, run_cli

    code, out, err = run_cli(
        ["ports", "--format", "json", "--no-default-excludes", "--isolated", str(FIXTURES)]
    )
    assert (code, err) == (0, "")
    return json.loads(out)


def test_docs_ports_md_lists_the_fields_portlint_ports_writes() -> None:
    documented = _documented_example()
    real = _real_ports_json()
    assert set(documented) == set(real)
    assert documented["version"] == real["version"]
    assert f"## JSON, version {real['version']}" in _ports_doc()
    (example,) = documented["bindings"]  # type: ignore[misc]
    bindings = real["bindings"]
    assert isinstance(bindings, list) and bindings
    for binding in bindings:
        assert list(binding) == list(example)  # the same keys, in the order written
    # each field has its bullet
    doc = _ports_doc()
    for key in example:
        assert f"`{key}`" in doc, key


def test_docs_ports_md_names_every_kind_role_direction_and_namespace() -> None:
    import re

    bindings = _real_ports_json()["bindings"]
    assert isinstance(bindings, list)
    doc = _ports_doc()
    kinds_line = re.search(r"- `kind` names the scanner: (.*?)\.\n- ", doc, re.S)
    assert kinds_line is not None
    documented_kinds = set(re.findall(r"`([a-z.]+)`", kinds_line.group(1))) - {"package.json"}
    assert {b["kind"] for b in bindings} == documented_kinds
    for field in ("role", "direction"):
        for value in {b[field] for b in bindings}:
            assert f"`{value}`" in doc, (field, value)
    for space in {b["namespace"]["kind"] for b in bindings if b["namespace"]}:
        assert f"| `{space}` |" in doc, space
