"""The writes guided fixes send, answered as Stripe answers them, so agents can practise fixing.

Stripe's update semantics are kept: nested hashes merge, an array (plan-switching products,
enabled events, allowed updates) is replaced whole, and `""` unsets a field. The rules Stripe
adds on top of the parameter schema are kept too: plan switching needs the payment-method
update, at most 10 products, every product and price must exist in the mode and belong
together. A created webhook endpoint's signing secret is in the create answer only.
"""

from __future__ import annotations

import copy
import secrets
import time
from typing import Any

from assistant.practice.calls import Call, missing_error, valid_url
from assistant.practice.store import Store, StripeError, new_id
from assistant.practice.validate import validate_params

CONFIG_PRODUCTS = "features.subscription_update.products"
MAX_PRODUCTS = 10
_PRODUCTS_PARAM = "features[subscription_update][products]"
# Fields whose `""` empties a list rather than unsetting a value (None).
_LISTS = frozenset({"products", "default_allowed_updates", "allowed_updates", "options", "enabled_events",
                    "conditions"})


def _merge(target: dict[str, Any], changes: dict[str, Any], path: tuple[str, ...] = ()) -> None:
    """Stripe's update: hashes merge, arrays replace, `""` unsets (None, [] or {})."""
    for key, value in changes.items():
        in_metadata = path[:1] == ("metadata",)
        if in_metadata and value == "":
            target.pop(key, None)  # one metadata key removed
        elif isinstance(value, dict):
            node = target.get(key)
            if not isinstance(node, dict):
                node = target[key] = {}
            _merge(node, value, (*path, key))
        elif value == "":
            target[key] = [] if key in _LISTS else {} if key == "metadata" else None
        else:
            target[key] = copy.deepcopy(value)


def _entries(products: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Plan-switching entries as Stripe stores them (quantity settings defaulted)."""
    out = []
    for entry in products:
        given = entry.get("adjustable_quantity") or {}
        out.append({
            "adjustable_quantity": {
                "enabled": bool(given.get("enabled", False)),
                "maximum": given.get("maximum"),
                "minimum": given.get("minimum", 1),
            },
            "prices": list(entry["prices"]),
            "product": entry["product"],
        })
    return out


def _check_products(store: Store, call: Call, entries: list[dict[str, Any]]) -> None:
    if len(entries) > MAX_PRODUCTS:
        raise StripeError(400, f"You can offer at most {MAX_PRODUCTS} products for customers to switch between.",
                          param=_PRODUCTS_PARAM)
    for i, entry in enumerate(entries):
        where = f"{_PRODUCTS_PARAM}[{i}]"
        if store.find(call.mode, "products", entry["product"]) is None:
            raise missing_error(store, call, "products", entry["product"], status=400, param=f"{where}[product]")
        for j, price_id in enumerate(entry["prices"]):
            price = store.find(call.mode, "prices", price_id)
            if price is None:
                raise missing_error(store, call, "prices", price_id, status=400, param=f"{where}[prices][{j}]")
            if price.get("product") != entry["product"]:
                raise StripeError(400, f"The price {price_id} does not belong to the product {entry['product']}.",
                                  param=f"{where}[prices][{j}]")


def _check_urls(params: dict[str, Any]) -> None:
    places = [("default_return_url", params.get("default_return_url"))]
    profile = params.get("business_profile") or {}
    places += [(f"business_profile[{k}]", profile.get(k)) for k in ("privacy_policy_url", "terms_of_service_url")]
    for param, url in places:
        if isinstance(url, str) and url and not valid_url(url):
            raise StripeError(400, "Not a valid URL", code="url_invalid", param=param)


def _existing(store: Store, call: Call, collection: str) -> dict[str, Any]:
    """The object the path names, or Stripe's 404."""
    obj_id = call.match.group(1)
    obj = store.find(call.mode, collection, obj_id)
    if obj is None:
        raise missing_error(store, call, collection, obj_id)
    return obj


def update_configuration(store: Store, call: Call) -> dict[str, Any]:
    conf = _existing(store, call, "configurations")
    params = validate_params("configuration_update", call.params)
    _check_urls(params)
    update = (params.get("features") or {}).get("subscription_update") or {}
    if isinstance(update.get("products"), list):
        update["products"] = _entries(update["products"])
        _check_products(store, call, update["products"])
    login = params.get("login_page")
    _merge(conf, params)
    features = conf["features"]
    if features["subscription_update"].get("enabled") and not features["payment_method_update"].get("enabled"):
        raise StripeError(400, "Cannot enable subscription updates while payment method update is disabled.",
                          param="features[subscription_update][enabled]")
    if login is not None:
        enabled = bool(login["enabled"])
        prefix = "test_" if call.mode == "test" else ""
        old = conf["login_page"].get("url")
        conf["login_page"]["url"] = (old or f"https://billing.stripe.com/p/login/{prefix}{secrets.token_hex(7)}") \
            if enabled else None
    conf["updated"] = int(time.time())
    store.put(call.mode, "configurations", conf)
    if CONFIG_PRODUCTS not in call.expand:
        conf["features"]["subscription_update"].pop("products", None)
    return conf


def _endpoint_url(params: dict[str, Any]) -> None:
    url = params.get("url")
    if url is not None and not valid_url(str(url)):
        raise StripeError(400, "Not a valid URL", code="url_invalid", param="url")


def create_webhook_endpoint(store: Store, call: Call) -> dict[str, Any]:
    params = validate_params("webhook_endpoint_create", call.params)
    _endpoint_url(params)
    endpoint = copy.deepcopy(store.scenario.templates["webhook_endpoint"])
    endpoint.update(
        id=new_id("we"), created=int(time.time()), livemode=call.mode == "live", status="enabled",
        url=params["url"], enabled_events=list(params["enabled_events"]),
        description=params.get("description") or None, metadata=dict(params.get("metadata") or {}),
        api_version=params.get("api_version"), application=None,
    )
    store.put(call.mode, "webhook_endpoints", endpoint)
    # The signing secret is in this answer only, as on Stripe; the stored endpoint has none.
    return {**endpoint, "secret": "whsec_" + secrets.token_urlsafe(24).replace("-", "x")}


def update_webhook_endpoint(store: Store, call: Call) -> dict[str, Any]:
    endpoint = _existing(store, call, "webhook_endpoints")
    params = validate_params("webhook_endpoint_update", call.params)
    _endpoint_url(params)
    disabled = params.pop("disabled", None)
    _merge(endpoint, params)
    if disabled is not None:
        endpoint["status"] = "disabled" if disabled else "enabled"
    store.put(call.mode, "webhook_endpoints", endpoint)
    return endpoint


def delete_webhook_endpoint(store: Store, call: Call) -> dict[str, Any]:
    endpoint_id = call.match.group(1)
    if not store.remove(call.mode, "webhook_endpoints", endpoint_id):
        raise missing_error(store, call, "webhook_endpoints", endpoint_id)
    return {"id": endpoint_id, "object": "webhook_endpoint", "deleted": True}


def _update_catalogue_object(store: Store, call: Call, collection: str, operation: str) -> dict[str, Any]:
    """A price or product update, as Stripe merges it (restoring an archived one is `active=true`)."""
    obj = _existing(store, call, collection)
    params = validate_params(operation, call.params)
    _merge(obj, params)
    if collection == "products":
        obj["updated"] = int(time.time())
    store.put(call.mode, collection, obj)
    return obj


def update_price(store: Store, call: Call) -> dict[str, Any]:
    return _update_catalogue_object(store, call, "prices", "price_update")


def update_product(store: Store, call: Call) -> dict[str, Any]:
    return _update_catalogue_object(store, call, "products", "product_update")
