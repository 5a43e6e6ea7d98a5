"""Partial responses: apply a ``fields=`` mask such as ``sheets(properties(title)),namedRanges``."""

from __future__ import annotations

from typing import Any

Tree = dict[str, "Tree"]


def parse(mask: str) -> Tree:
    """Parse a field mask into a tree; an empty subtree means "keep everything below"."""
    tree: Tree = {}
    _parse_list(mask.replace("/", "."), 0, tree)
    return tree


def _parse_list(text: str, pos: int, into: Tree) -> int:
    while pos < len(text):
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = text[start:pos].strip()
        leaf: Tree = into
        if path:
            for part in path.split("."):
                leaf = leaf.setdefault(part, {})
        if pos < len(text) and text[pos] == "(":
            pos = _parse_list(text, pos + 1, leaf)
            if pos < len(text) and text[pos] == ")":
                pos += 1
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if pos < len(text) and text[pos] == ")":
            return pos
    return pos


def apply(value: Any, tree: Tree) -> Any:
    if not tree or "*" in tree:
        return value
    if isinstance(value, list):
        return [apply(item, tree) for item in value]
    if isinstance(value, dict):
        return {k: apply(v, tree[k]) for k, v in value.items() if k in tree}
    return value
