"""The request parameters of the practice server's writes, derived from Stripe's OpenAPI subset.

`assistant/resources/practice/write_params.json` is this derivation, written out once (the
product never reads tests/data); a test re-derives it and compares, so the practice server
validates exactly what the spec declares. The additions are newer than the 2023 spec:
`adjustable_quantity` on the plan-switching entries, taken from the pinned stripe-python's
`ConfigurationUpdateParamsFeaturesSubscriptionUpdateProductAdjustableQuantity`, and the plan
change settings the test/live copy writes (`billing_cycle_anchor`, `schedule_at_period_end`,
`trial_update_behavior`) with `payment_method_update.payment_method_configuration`, trimmed from
Stripe's spec of 2026-05-27 (`/work/shared/stripe-openapi/spec3.2026-05-27.subset.json`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SPEC = Path(__file__).resolve().parents[1] / "data" / "spec3.subset.json"
WRITES = {
    "POST /v1/billing_portal/configurations/{configuration}": "configuration_update",
    "POST /v1/webhook_endpoints": "webhook_endpoint_create",
    "POST /v1/webhook_endpoints/{webhook_endpoint}": "webhook_endpoint_update",
    "POST /v1/prices/{price}": "price_update",
    "POST /v1/products/{id}": "product_update",
}
_KEEP = ("type", "required", "enum", "maxLength")
ADJUSTABLE_QUANTITY = {
    "type": "object",
    "required": ["enabled"],
    "properties": {
        "enabled": {"type": "boolean"},
        "maximum": {"type": "integer"},
        "minimum": {"type": "integer"},
    },
}


# From spec3.2026-05-27.subset.json, `POST /v1/billing_portal/configurations/{configuration}`.
SUBSCRIPTION_UPDATE_2026 = {
    "billing_cycle_anchor": {"type": "string", "enum": ["now", "unchanged"]},
    "schedule_at_period_end": {"type": "object", "properties": {"conditions": {"anyOf": [
        {"type": "array", "items": {"type": "object", "required": ["type"], "properties": {
            "type": {"type": "string", "enum": ["decreasing_item_amount", "shortening_interval"]}}}},
        {"type": "string", "enum": [""]}]}}},
    "trial_update_behavior": {"type": "string", "enum": ["continue_trial", "end_trial"]},
}
PAYMENT_METHOD_CONFIGURATION_2026 = {"anyOf": [{"type": "string", "maxLength": 5000},
                                               {"type": "string", "enum": [""]}]}


def trim(node: dict[str, Any]) -> dict[str, Any]:
    """The validation-relevant part of one schema (no descriptions, titles or encodings)."""
    out: dict[str, Any] = {k: node[k] for k in _KEEP if k in node}
    if node.get("x-stripeBypassValidation"):
        out.pop("enum", None)  # Stripe accepts values newer than the list
    if "properties" in node:
        out["properties"] = {k: trim(v) for k, v in sorted(node["properties"].items())}
    if isinstance(node.get("additionalProperties"), dict):
        out["additionalProperties"] = trim(node["additionalProperties"])
    if "items" in node:
        out["items"] = trim(node["items"])
    if "anyOf" in node:
        out["anyOf"] = [trim(v) for v in node["anyOf"]]
    return out


def derive(spec: dict[str, Any] | None = None) -> dict[str, Any]:
    spec = spec or json.loads(SPEC.read_text())
    out: dict[str, Any] = {}
    for operation, name in WRITES.items():
        method, path = operation.split(" ", 1)
        body = spec["paths"][path][method.lower()]["requestBody"]["content"]
        out[name] = trim(body["application/x-www-form-urlencoded"]["schema"])
    products = out["configuration_update"]["properties"]["features"]["properties"][
        "subscription_update"]["properties"]["products"]["anyOf"][0]["items"]
    products["properties"]["adjustable_quantity"] = ADJUSTABLE_QUANTITY
    features = out["configuration_update"]["properties"]["features"]["properties"]
    update = features["subscription_update"]["properties"]
    update.update(SUBSCRIPTION_UPDATE_2026)
    features["subscription_update"]["properties"] = dict(sorted(update.items()))
    features["payment_method_update"]["properties"]["payment_method_configuration"] = (
        PAYMENT_METHOD_CONFIGURATION_2026)
    features["payment_method_update"]["properties"] = dict(sorted(
        features["payment_method_update"]["properties"].items()))
    return out


def document() -> dict[str, Any]:
    return {
        "about": ("Request parameters of the writes the practice server accepts, derived from "
                  "tests/data/spec3.subset.json by tests/support/spec_params.py (checked by "
                  "tests/test_practice_writes.py); adjustable_quantity on plan-switching entries "
                  "is newer than that spec and comes from the pinned stripe-python, and the plan "
                  "change settings and payment method configuration come from Stripe's spec of "
                  "2026-05-27."),
        "operations": derive(),
    }


if __name__ == "__main__":
    print(json.dumps(document(), indent=1, sort_keys=True))
