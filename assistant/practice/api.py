"""Stripe's endpoints as the practice server answers them: auth, permissions, and per-endpoint rules."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from assistant.practice import idempotency
from assistant.practice.calls import Call, missing_error, valid_url
from assistant.practice.flow_rules import check_flow, session_flow
from assistant.practice.params import as_bool, as_list
from assistant.practice.scenarios import PracticeKey
from assistant.practice.store import Store, StripeError, V2Error, apply_expand, paginate
from assistant.practice.v2 import get_v2_account, list_event_destinations
from assistant.practice.validate import check_request
from assistant.practice.writes import (
    create_webhook_endpoint,
    delete_webhook_endpoint,
    update_configuration,
    update_price,
    update_product,
    update_webhook_endpoint,
)

CONFIG_PRODUCTS = "features.subscription_update.products"
_KEY_PREFIXES = ("sk_test_", "sk_live_", "rk_test_", "rk_live_", "pk_test_", "pk_live_")


def stripe_mask(key: str) -> str:
    """Stripe's own masking in error messages: prefix, four stars, last four."""
    prefix = next((p for p in _KEY_PREFIXES if key.startswith(p)), "")
    return f"{prefix}****{key[-4:]}"


def key_from_header(header: str | None) -> str | None:
    if not header:
        return None
    if header.startswith("Bearer "):
        return header[len("Bearer "):]
    if header.startswith("Basic "):
        try:
            return base64.b64decode(header[len("Basic "):]).decode("utf-8").split(":", 1)[0]
        except (ValueError, UnicodeDecodeError):
            return header
    return header


def authenticate(store: Store, key: str | None) -> PracticeKey:
    if not key:
        raise StripeError(
            401,
            "You did not provide an API key. You need to provide your API key in the Authorization header, "
            "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). "
            "See https://stripe.com/docs/api#authentication for details, or we can help at "
            "https://support.stripe.com/.",
        )
    masked = stripe_mask(key)
    if any(ch.isspace() for ch in key):
        raise StripeError(401, f"Invalid API Key provided: {masked}. This key contains at least one space. "
                               "Please delete the spaces and try again.")
    if key.startswith(("pk_test_", "pk_live_")):
        raise StripeError(
            401, "This API call cannot be made with a publishable API key. Please use a secret API key. "
                 "You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.",
            code="secret_key_required",
        )
    info = store.scenario.key_info(key)
    if info is None:
        raise StripeError(401, f"Invalid API Key provided: {masked}")
    if info.expired:
        raise StripeError(401, f"Expired API Key provided: {masked}", code="api_key_expired")
    return info


def require(store: Store, key: PracticeKey, permission: str | None) -> None:
    if key.kind != "restricted":
        return
    acct = store.account["id"]
    if permission is None:
        raise StripeError(403, f"The provided key '{stripe_mask(key.key)}' does not have the required permissions for "
                               f"this endpoint on account '{acct}'. The required permissions are not available for use "
                               "by restricted keys.")
    if permission in key.missing_permissions:
        raise StripeError(403, f"The provided key '{stripe_mask(key.key)}' does not have the required permissions for "
                               f"this endpoint on account '{acct}'. Having the '{permission}' permission would allow "
                               "this request to continue.")


def _retrieve(store: Store, call: Call, collection: str) -> dict[str, Any]:
    obj_id = call.match.group(1)
    obj = store.find(call.mode, collection, obj_id)
    if obj is None:
        raise missing_error(store, call, collection, obj_id)
    apply_expand(obj, call.expand, lambda i: store.find_by_prefix(call.mode, i))
    return obj


def _list(store: Store, call: Call, objs: list[dict[str, Any]] | None = None, *,
          collection: str = "", keep: Callable[[dict[str, Any]], bool] = lambda _obj: True) -> dict[str, Any]:
    """A page of `objs`, or of the store's `collection` filtered by `keep` (copying only the page)."""
    if objs is None:
        page = store.page(call.mode, collection, keep, call.params, call.path)
    else:
        page = paginate(objs, call.params, call.path)
    item_paths = [e[len("data."):] for e in call.expand if e.startswith("data.")]
    for obj in page["data"]:
        apply_expand(obj, item_paths, lambda i: store.find_by_prefix(call.mode, i))
    return page


# Expanding a field reads another resource: a restricted key needs that resource's permission
# too (the first path segment after `data.` names the field).
_EXPAND_PERMISSIONS = {
    "subscriptions": "rak_subscription_read",
    "default_payment_method": "rak_payment_method_read",
    "invoice_settings": "rak_payment_method_read",
}


def _require_expansions(store: Store, call: Call) -> None:
    for path in call.expand:
        parts = path.split(".")
        head = parts[1] if parts[0] == "data" and len(parts) > 1 else parts[0]
        permission = _EXPAND_PERMISSIONS.get(head)
        if permission:
            require(store, call.key, permission)
        if "default_payment_method" in parts:
            require(store, call.key, "rak_payment_method_read")


def _with_subscriptions(store: Store, call: Call, customer: dict[str, Any], prefix: str) -> None:
    """`expand[]=subscriptions`: the customer's current (not cancelled) subscriptions, embedded
    as a list of 10 like Stripe does; deeper paths then expand inside it."""
    if prefix + "subscriptions" not in call.expand:
        return
    subs = [o for o in store.objects(call.mode, "subscriptions")
            if o["customer"] == customer["id"] and o["status"] != "canceled"]
    customer["subscriptions"] = paginate(subs, {"limit": 10}, f"/v1/customers/{customer['id']}/subscriptions")


def _filter_bool(objs: list[dict[str, Any]], params: dict[str, Any], name: str) -> list[dict[str, Any]]:
    wanted = as_bool(params.get(name))
    return objs if wanted is None else [o for o in objs if bool(o.get(name)) == wanted]


# --- endpoints -------------------------------------------------------------------------------

def get_account(store: Store, call: Call) -> dict[str, Any]:
    return dict(store.account)


def get_balance(store: Store, call: Call) -> dict[str, Any]:
    zero = [{"amount": 0, "currency": "usd", "source_types": {"card": 0}}]
    return {"object": "balance", "available": zero, "pending": zero, "livemode": call.mode == "live"}


def list_configurations(store: Store, call: Call) -> dict[str, Any]:
    active, default = as_bool(call.params.get("active")), as_bool(call.params.get("is_default"))

    def keep(obj: dict[str, Any]) -> bool:
        return ((active is None or bool(obj.get("active")) == active)
                and (default is None or bool(obj.get("is_default")) == default))

    page = _list(store, call, collection="configurations", keep=keep)
    if "data." + CONFIG_PRODUCTS not in call.expand:
        for obj in page["data"]:
            obj["features"]["subscription_update"].pop("products", None)
    return page


def get_configuration(store: Store, call: Call) -> dict[str, Any]:
    obj = _retrieve(store, call, "configurations")
    if CONFIG_PRODUCTS not in call.expand:
        obj["features"]["subscription_update"].pop("products", None)
    return obj


def create_session(store: Store, call: Call) -> dict[str, Any]:
    params = call.params
    return_url = params.get("return_url")
    if return_url is not None and not valid_url(str(return_url)):
        raise StripeError(400, "Not a valid URL", code="url_invalid", param="return_url")
    customer = params.get("customer") or params.get("customer_account")
    if not customer:
        raise StripeError(400, "Missing required param: customer.", code="parameter_missing", param="customer")
    if params.get("customer_account"):
        if store.find(call.mode, "accounts", customer) is None:
            raise StripeError(400, f"No such account: '{customer}'", code="resource_missing", param="customer_account")
    elif store.find(call.mode, "customers", customer) is None:
        raise missing_error(store, call, "customers", customer, status=400, param="customer")
    config_id = params.get("configuration")
    if config_id:
        config = store.find(call.mode, "configurations", config_id)
        if config is None:
            raise missing_error(store, call, "configurations", config_id, status=400, param="configuration")
    else:
        config = next((c for c in store.objects(call.mode, "configurations") if c["is_default"] and c["active"]), None)
        if config is None:
            where = "https://dashboard.stripe.com/test/settings/billing/portal" if call.mode == "test" \
                else "https://dashboard.stripe.com/settings/billing/portal"
            raise StripeError(
                400, f"No configuration provided and your {call.mode} mode default configuration has not been created. "
                     f"Provide a configuration or create your default by saving your customer portal settings in "
                     f"{call.mode} mode at {where}.")
    if not return_url:
        return_url = config.get("default_return_url")
        if not return_url:
            raise StripeError(400, "Your PortalConfiguration does not have a `default_return_url`, and you did not "
                                   "provide a `return_url`.")
    flow_data = params.get("flow_data")
    if isinstance(flow_data, dict):  # a deep link: Stripe checks it against the configuration and subscription
        check_flow(store, call.mode, flow_data, config, str(customer))
    return store.create_session(call.mode, customer=customer, configuration=config["id"], return_url=return_url,
                                locale=params.get("locale"), base_url=call.base_url,
                                flow=session_flow(flow_data) if isinstance(flow_data, dict) else None)


def list_products(store: Store, call: Call) -> dict[str, Any]:
    objs = _filter_bool(store.objects(call.mode, "products"), call.params, "active")
    ids = as_list(call.params.get("ids"))
    if ids:
        for cursor in ("starting_after", "ending_before"):
            if call.params.get(cursor):  # as Stripe's reference says: `ids` cannot be paged
                raise StripeError(400, f"You cannot use `ids` with `{cursor}`.", param=cursor)
        objs = [o for o in objs if o["id"] in ids]
    return _list(store, call, objs)


def list_prices(store: Store, call: Call) -> dict[str, Any]:
    objs = _filter_bool(store.objects(call.mode, "prices"), call.params, "active")
    for name in ("product", "type", "currency"):
        if call.params.get(name):
            objs = [o for o in objs if o.get(name) == call.params[name]]
    return _list(store, call, objs)


def _live_customers(store: Store, call: Call) -> list[dict[str, Any]]:
    """Lists and search leave deleted customers out."""
    return [o for o in store.objects(call.mode, "customers") if not o.get("deleted")]


def list_customers(store: Store, call: Call) -> dict[str, Any]:
    _require_expansions(store, call)
    objs = _live_customers(store, call)
    if call.params.get("email") is not None:
        objs = [o for o in objs if o.get("email") == call.params["email"]]
    for obj in objs:
        _with_subscriptions(store, call, obj, "data.")
    return _list(store, call, objs)


def get_customer(store: Store, call: Call) -> dict[str, Any]:
    """A deleted customer still answers, as a stub saying so."""
    _require_expansions(store, call)
    obj = store.find(call.mode, "customers", call.match.group(1))
    if obj is not None and obj.get("deleted"):
        return {"id": obj["id"], "object": "customer", "deleted": True}
    if obj is not None:
        _with_subscriptions(store, call, obj, "")
        apply_expand(obj, call.expand, lambda i: store.find_by_prefix(call.mode, i))
        return obj
    return _retrieve(store, call, "customers")


_SEARCH = re.compile(r"""^\s*(email|name)\s*:\s*(['"])(.*)\2\s*$""")


def search_customers(store: Store, call: Call) -> dict[str, Any]:
    query = call.params.get("query")
    if not query:
        raise StripeError(400, "Missing required param: query.", code="parameter_missing", param="query")
    m = _SEARCH.match(str(query))
    if not m:
        raise StripeError(400, "The practice server understands only queries like email:'ada@example.com'.",
                          param="query")
    field, value = m.group(1), m.group(3).lower()
    objs = [o for o in _live_customers(store, call) if (o.get(field) or "").lower() == value]
    page = paginate(objs, {"limit": call.params.get("limit", 10)}, call.path)
    return {"object": "search_result", "data": page["data"], "has_more": page["has_more"], "next_page": None,
            "url": call.path}


def list_subscriptions(store: Store, call: Call) -> dict[str, Any]:
    objs = store.objects(call.mode, "subscriptions")
    for owner in ("customer", "customer_account"):
        if call.params.get(owner):
            objs = [o for o in objs if o.get(owner) == call.params[owner]]
    status = call.params.get("status")
    if status is None:
        objs = [o for o in objs if o["status"] != "canceled"]
    elif status != "all":
        objs = [o for o in objs if o["status"] == status]
    if call.params.get("price"):
        objs = [o for o in objs if any(i["price"]["id"] == call.params["price"] for i in o["items"]["data"])]
    return _list(store, call, objs)


_EVENT_TYPES_MAX = 20


def list_events(store: Store, call: Call) -> dict[str, Any]:
    """`type` (with `*` wildcards), `types[]` (up to 20), `created[gte|gt|lte|lt]`,
    `delivery_success`: the filters Stripe documents for GET /v1/events."""
    params = call.params
    one, many = params.get("type"), as_list(params.get("types"))
    if one and many:
        raise StripeError(400, "You may pass either `type` or `types`, but not both.", param="types")
    if len(many) > _EVENT_TYPES_MAX:
        raise StripeError(400, "You may pass at most 20 values for `types`.", param="types")
    objs = store.objects(call.mode, "events")
    if one:
        pattern = re.compile("^" + re.escape(str(one)).replace(r"\*", ".*") + "$")
        objs = [o for o in objs if pattern.match(o["type"])]
    if many:
        objs = [o for o in objs if o["type"] in many]
    created = params.get("created")
    if isinstance(created, dict):
        tests = {"gte": int.__ge__, "gt": int.__gt__, "lte": int.__le__, "lt": int.__lt__}
        for op, value in created.items():
            if op in tests:
                objs = [o for o in objs if tests[op](int(o["created"]), int(value))]
    elif created is not None:
        objs = [o for o in objs if int(o["created"]) == int(created)]
    delivered = as_bool(params.get("delivery_success"))
    if delivered is not None:
        objs = [o for o in objs if (o.get("pending_webhooks", 0) == 0) == delivered]
    return _list(store, call, objs)


def list_webhooks(store: Store, call: Call) -> dict[str, Any]:
    return _list(store, call, store.objects(call.mode, "webhook_endpoints"))


def _retriever(collection: str) -> Callable[[Store, Call], dict[str, Any]]:
    return lambda store, call: _retrieve(store, call, collection)


Handler = Callable[[Store, Call], dict[str, Any]]
_ID = r"([^/]+)"
ROUTES: list[tuple[str, re.Pattern[str], str | None, Handler]] = [
    ("GET", re.compile(r"/v1/account"), None, get_account),
    ("GET", re.compile(r"/v1/balance"), "rak_balance_read", get_balance),
    ("GET", re.compile(r"/v1/billing_portal/configurations"), "rak_customer_portal_read", list_configurations),
    ("GET", re.compile(rf"/v1/billing_portal/configurations/{_ID}"), "rak_customer_portal_read", get_configuration),
    ("POST", re.compile(rf"/v1/billing_portal/configurations/{_ID}"), "rak_billing_portal_write",
     update_configuration),
    ("POST", re.compile(r"/v1/billing_portal/sessions"), "rak_customer_portal_write", create_session),
    ("GET", re.compile(r"/v1/products"), "rak_product_read", list_products),
    ("GET", re.compile(rf"/v1/products/{_ID}"), "rak_product_read", _retriever("products")),
    ("POST", re.compile(rf"/v1/products/{_ID}"), "rak_product_write", update_product),
    # Prices keep their permission's older name, as Stripe reports it (resources/stripe/permissions.json).
    ("GET", re.compile(r"/v1/prices"), "rak_plan_read", list_prices),
    ("GET", re.compile(rf"/v1/prices/{_ID}"), "rak_plan_read", _retriever("prices")),
    ("POST", re.compile(rf"/v1/prices/{_ID}"), "rak_plan_write", update_price),
    ("GET", re.compile(r"/v1/customers"), "rak_customer_read", list_customers),
    ("GET", re.compile(r"/v1/customers/search"), "rak_customer_read", search_customers),
    ("GET", re.compile(rf"/v1/customers/{_ID}"), "rak_customer_read", get_customer),
    ("GET", re.compile(r"/v1/subscriptions"), "rak_subscription_read", list_subscriptions),
    ("GET", re.compile(rf"/v1/subscriptions/{_ID}"), "rak_subscription_read", _retriever("subscriptions")),
    ("GET", re.compile(r"/v1/events"), "rak_event_read", list_events),
    ("GET", re.compile(r"/v1/webhook_endpoints"), "rak_webhook_read", list_webhooks),
    ("GET", re.compile(rf"/v1/webhook_endpoints/{_ID}"), "rak_webhook_read", _retriever("webhook_endpoints")),
    ("POST", re.compile(r"/v1/webhook_endpoints"), "rak_webhook_write", create_webhook_endpoint),
    ("POST", re.compile(rf"/v1/webhook_endpoints/{_ID}"), "rak_webhook_write", update_webhook_endpoint),
    ("DELETE", re.compile(rf"/v1/webhook_endpoints/{_ID}"), "rak_webhook_write", delete_webhook_endpoint),
    # v2 (JSON; errors in v2's shape). Customer-configured Accounts are read with the Dashboard's
    # Accounts permission; event destinations share the webhook endpoints' (docs/sources.md).
    ("GET", re.compile(rf"/v2/core/accounts/{_ID}"), "rak_accounts_kyc_basic_read", get_v2_account),
    ("GET", re.compile(r"/v2/core/event_destinations"), "rak_webhook_read", list_event_destinations),
]
WRITE_METHODS = ("POST", "DELETE")


def acting_as(store: Store, key: PracticeKey, stripe_account: str | None) -> Store:
    """The store of the account a request acts as: the platform's own, or with `Stripe-Account`
    the connected account's (403 `account_invalid`, in Stripe's words, for one not connected)."""
    target = store.as_account(stripe_account)
    if target is None:
        raise StripeError(
            403, f"The provided key '{stripe_mask(key.key)}' does not have access to account '{stripe_account}' "
                 "(or that account does not exist). Application access may have been revoked.",
            code="account_invalid")
    return target


def dispatch(store: Store, method: str, path: str, params: dict[str, Any], key: str | None,
             base_url: str, idempotency_key: str | None = None, *,
             stripe_account: str | None = None) -> dict[str, Any]:
    """Answer one API request or raise StripeError; auth comes before routing, as on Stripe.
    A write with an idempotency key is answered once and replayed after (see idempotency).
    With `stripe_account` (the `Stripe-Account` header) the request acts on that connected account."""
    info = authenticate(store, key)
    store = acting_as(store, info, stripe_account)
    for route_method, pattern, permission, handler in ROUTES:
        match = pattern.fullmatch(path)
        if match and route_method == method:
            try:
                require(store, info, permission)
            except StripeError as err:
                raise (V2Error(err.status, err.message, code="insufficient_permissions")
                       if path.startswith("/v2/") else err) from None
            check_request(method, path, params)  # Stripe's spec: parameters, values, expansions
            call = Call(method, path, params, info, match, base_url)
            if method not in WRITE_METHODS:
                return handler(store, call)
            if idempotency_key:
                kept = idempotency.replayed(store, info.key, idempotency_key, method, path, params)
                if kept is not None:
                    return kept
            answer = handler(store, call)
            store.wrote(method, path, idempotency_key)
            if idempotency_key:
                idempotency.remember(store, info.key, idempotency_key, method, path, params, answer)
            return answer
    raise StripeError(404, f"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or "
                           "we can help at https://support.stripe.com/.")
