"""Decode Stripe's bracket-notation form parameters (`expand[0]=a`, `metadata[k]=v`) into plain data.

Stripe encodes nested values in flat query strings and form bodies; the SDK sends lists as
`expand[0]=...` and some clients as `expand[]=...`, so both have to land in the same list.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

_PART = re.compile(r"\[([^\[\]]*)\]")


def _split(name: str) -> list[str]:
    head, _, rest = name.partition("[")
    if not rest:
        return [name]
    return [head] + _PART.findall("[" + rest)


def _listify(node: Any) -> Any:
    """Turn dicts whose keys are all integers (or '' appends) into lists, recursively."""
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(isinstance(k, int) for k in node):
            return [node[k] for k in sorted(node)]
        return node
    if isinstance(node, list):
        return [_listify(v) for v in node]
    return node


def decode_params(raw: str) -> dict[str, Any]:
    """Nested dicts/lists from a query string or urlencoded body; values stay strings."""
    root: dict[Any, Any] = {}
    for name, value in parse_qsl(raw, keep_blank_values=True):
        parts = _split(name)
        node: Any = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            key: Any = part
            if part == "":
                key = len(node)  # `name[]` appends
            elif part.isdigit():
                key = int(part)
            if last:
                node[key] = value
            else:
                node = node.setdefault(key, {})
    listed: dict[str, Any] = _listify(root)
    return listed


def as_list(value: Any) -> list[Any]:
    """A parameter that should be a list, whether sent once or indexed."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return list(value.values())
    return [value]


def as_bool(value: Any) -> bool | None:
    if value is None:
        return None
    return str(value).lower() == "true"
