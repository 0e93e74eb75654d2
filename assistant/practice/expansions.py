"""Whether an `expand[]` path names something Stripe can expand, read from Stripe's own spec.

`read_params.json` ("expandable") lists, per object, the fields a path may go through and which
of them may end one: an id that becomes an object (`expands`) or a field left out unless asked
for (`optional`, a customer's `subscriptions`). A list's items are reached through `data`
(`data.features.subscription_update.products`), and a path has at most `max_depth` segments.
Anything else is refused as Stripe refuses it ("This property cannot be expanded (…).").
"""

from __future__ import annotations

from typing import Any

from assistant.practice.refusals import refusal


def check_expansions(reads: dict[str, Any], returns: list[str], paths: list[str]) -> None:
    """StripeError (400) for the first path that cannot be expanded on what the request returns."""
    for path in paths:
        _check(reads["expandable"], int(reads["max_depth"]), returns, path)


def _field(graph: dict[str, Any], nodes: list[str], name: str) -> dict[str, Any] | None:
    for node in nodes:
        entry: dict[str, Any] | None = graph.get(node, {}).get(name)
        if entry is not None:
            return entry
    return None


def _check(graph: dict[str, Any], max_depth: int, roots: list[str], path: str) -> None:
    parts = path.split(".")
    if len(parts) > max_depth:
        raise refusal("expand_too_deep", None)
    nodes = roots
    for i, part in enumerate(parts):
        entry = _field(graph, nodes, part)
        if entry is None:
            items = _field(graph, nodes, "data")
            if i == 0 and items is not None and _field(graph, items["to"], part) is not None:
                raise refusal("expand_list_items", None, field=part)
            raise refusal("not_expandable", None, field=part)
        if i == len(parts) - 1 and not (entry.get("expands") or entry.get("optional")):
            raise refusal("not_expandable", None, field=part)
        nodes = entry["to"]
