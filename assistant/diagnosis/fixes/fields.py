"""Fields by dotted path, and the form parameters that set them, with Stripe's write rules.

Stripe merges nested hashes, replaces an array whole, and unsets a field given `""`; an empty
array cannot be form-encoded at all, so it is sent as `""` too. `params_for` turns the fields a
fix changes into exactly the parameters that set them (nothing else), and the same function
turns a recorded change's `before` values into its undo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from assistant.diagnosis.checks.facts import object_id

CONFIGURATION, WEBHOOK_ENDPOINT = "billing_portal.configuration", "webhook_endpoint"
PRICE, PRODUCT = "price", "product"
PRODUCTS_FIELD = "features.subscription_update.products"
_PATHS = {
    "bpc_": "/v1/billing_portal/configurations/{}",
    "we_": "/v1/webhook_endpoints/{}",
    "price_": "/v1/prices/{}",
    "prod_": "/v1/products/{}",
}
_KINDS = {"bpc_": CONFIGURATION, "we_": WEBHOOK_ENDPOINT, "price_": PRICE, "prod_": PRODUCT}


def get(obj: Mapping[str, Any] | None, dotted: str) -> Any:
    """The value at `a.b.c`, or None where any step is missing."""
    node: Any = obj
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def object_path(object_id_: str) -> str:
    for prefix, path in _PATHS.items():
        if object_id_.startswith(prefix):
            return path.format(object_id_)
    raise ValueError(f"no fix writes {object_id_!r}")


def object_kind(object_id_: str | None) -> str:
    return next((k for p, k in _KINDS.items() if (object_id_ or "").startswith(p)), "")


def plan_entries(conf: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The plan-switching list as the parameters that would set it again: product and price
    ids (expanded or not) and each entry's quantity settings, in Stripe's order."""
    update = get(conf, "features.subscription_update") or {}
    out: list[dict[str, Any]] = []
    for entry in update.get("products") or []:
        if not isinstance(entry, Mapping):
            continue
        kept: dict[str, Any] = {
            "product": object_id(entry.get("product")),
            "prices": [object_id(p) for p in entry.get("prices") or []],
        }
        if isinstance(entry.get("adjustable_quantity"), Mapping):
            kept["adjustable_quantity"] = dict(entry["adjustable_quantity"])
        out.append(kept)
    return out


def current(obj: Mapping[str, Any] | None, dotted: str) -> Any:
    """A field's value as a fix compares and records it (the plan list as `plan_entries`)."""
    if dotted == PRODUCTS_FIELD:
        return plan_entries(obj) if get(obj, "features.subscription_update.products") is not None else None
    value = get(obj, dotted)
    return list(value) if isinstance(value, tuple) else value


def same(a: Any, b: Any) -> bool:
    """Equal as Stripe would hold them: no value and an empty one are the same."""
    return bool(_canonical(a) == _canonical(b))


def _canonical(value: Any) -> Any:
    if value in (None, "", [], ()):
        return None
    if isinstance(value, Mapping):
        return {k: _canonical(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


def param_value(value: Any, *, top: bool = True) -> Any:
    """A value as a form parameter: no value or an empty list is `""` (unset); inside an entry,
    a missing value is left out (Stripe's default)."""
    if value is None or (isinstance(value, (list, tuple)) and not value):
        return "" if top else None
    if isinstance(value, Mapping):
        return {k: v for k, v in ((k, param_value(v, top=False)) for k, v in value.items()) if v is not None}
    if isinstance(value, (list, tuple)):
        return [param_value(v, top=False) for v in value]
    return value


def _disabled(status: Any) -> bool:
    return bool(status == "disabled")


# Fields an object reports under another name than the parameter that sets them.
_SET_BY: dict[str, tuple[str, Callable[[Any], Any]]] = {"status": ("disabled", _disabled)}  # webhook endpoints


def params_for(values: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """The nested parameters that set each (dotted field, value), and nothing else."""
    params: dict[str, Any] = {}
    for dotted, value in values:
        if dotted in _SET_BY:
            name, convert = _SET_BY[dotted]
            params[name] = convert(value)
            continue
        *parents, leaf = dotted.split(".")
        node = params
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = param_value(value)
    return params
