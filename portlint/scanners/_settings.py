"""Command-line words and variables of a service or container, with their locations.

Compose and Kubernetes both write them as a string or a list of strings
(``command``, ``entrypoint``, ``args``) and as variables (``environment`` as a
mapping or ``KEY=value`` list; ``env`` as ``name``/``value`` pairs). The
exposure rules look in them for flags that turn a program's protection off;
nothing here judges them.
"""

from __future__ import annotations

from collections.abc import Callable

from portlint.bindings import Setting
from portlint.scanners import _yaml
from portlint.scanners._yaml import MappingNode, Node, ScalarNode, SequenceNode
from portlint.source import SourceFile

MAX_SETTINGS = 256  # per service: a command line, not a config file
Resolve = Callable[[str], str]


def _same(text: str) -> str:
    return text


def args(source: SourceFile, node: Node | None, resolve: Resolve = _same) -> list[Setting]:
    """A string (one setting) or a list of strings (one per item)."""
    items = node.value if isinstance(node, SequenceNode) else [node]
    out: list[Setting] = []
    for item in items[:MAX_SETTINGS]:
        if isinstance(item, ScalarNode) and item.value:
            out.append(Setting("arg", resolve(item.value), _yaml.location(source, item)))
    return out


def compose_environment(
    source: SourceFile, node: Node | None, resolve: Resolve = _same
) -> list[Setting]:
    """``environment:`` as a mapping (at the value, or the key when empty) or a list."""
    out: list[Setting] = []
    if isinstance(node, MappingNode):
        for key, key_node, value in list(_yaml.items(node))[:MAX_SETTINGS]:
            text = _yaml.scalar(value) or ""
            if value.tag.endswith(":null"):
                text = ""  # ``KEY:`` or ``KEY: null``: no value written here
            where = value if text else key_node
            out.append(Setting("env", f"{key}={resolve(text)}", _yaml.location(source, where)))
    elif isinstance(node, SequenceNode):
        for item in node.value[:MAX_SETTINGS]:
            if isinstance(item, ScalarNode) and item.value and "=" in item.value:
                out.append(Setting("env", resolve(item.value), _yaml.location(source, item)))
    return out


def k8s_env(source: SourceFile, node: Node | None) -> list[Setting]:
    """``env: [{name: K, value: v}]``: at the value, or at the name when there is none."""
    out: list[Setting] = []
    if not isinstance(node, SequenceNode):
        return out
    for entry in node.value[:MAX_SETTINGS]:
        name_node = _yaml.get(entry, "name")
        name = _yaml.scalar(name_node)
        if not name or name_node is None:
            continue
        if _yaml.get(entry, "valueFrom") is not None:
            continue  # from a Secret or ConfigMap: not written here
        value_node = _yaml.get(entry, "value")
        value = _yaml.scalar(value_node) or ""
        where = value_node if value and value_node is not None else name_node
        out.append(Setting("env", f"{name}={value}", _yaml.location(source, where)))
    return out
