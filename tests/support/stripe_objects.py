"""Small builders of Stripe-shaped dicts (trimmed from fixtures3.json) and Snapshots for tests.

Each builder takes the fields a test cares about as keyword arguments and fills the rest with
the values Stripe's own example objects carry.
"""

from __future__ import annotations

import copy
from typing import Any

from assistant.account.errors import GatewayError
from assistant.account.keys import classify_key
from assistant.account.snapshot import CustomerLookup, Fetched, Snapshot
from assistant.diagnosis.checks.context import CheckContext

Obj = dict[str, Any]

KEY_BODY = "51PgafTB7WZ01zgkWabcdEFGH1234"


def key(mode: str = "test", kind: str = "sk") -> str:
    return f"{kind}_{mode}_{KEY_BODY}"


def _merge(base: Obj, overrides: dict[str, Any]) -> Obj:
    obj = copy.deepcopy(base)
    obj.update(overrides)
    return obj


def account(**kw: Any) -> Obj:
    return _merge({
        "id": "acct_1PgafTB7WZ01zgkW",
        "object": "account",
        "business_profile": {"name": "Acme Yoga", "url": None},
        "settings": {"dashboard": {"display_name": "Acme Yoga", "timezone": "Etc/UTC"}},
        "email": "site@stripe.com",
        "type": "standard",
    }, kw)


def features(
    *,
    customer_update: bool = True,
    invoice_history: bool = True,
    payment_method_update: bool = True,
    subscription_cancel: bool = True,
    subscription_update: bool = False,
    products: list[Obj] | None = None,
    default_allowed_updates: list[str] | None = None,
) -> Obj:
    update: Obj = {
        "default_allowed_updates": (
            ["price"] if default_allowed_updates is None else default_allowed_updates
        ),
        "enabled": subscription_update,
        "proration_behavior": "create_prorations",
        "schedule_at_period_end": {"conditions": []},
        "trial_update_behavior": "end_trial",
        "billing_cycle_anchor": None,
    }
    if products is not None:  # only present when expanded
        update["products"] = products
    return {
        "customer_update": {"allowed_updates": ["email", "tax_id"], "enabled": customer_update},
        "invoice_history": {"enabled": invoice_history},
        "payment_method_update": {
            "enabled": payment_method_update, "payment_method_configuration": None,
        },
        "subscription_cancel": {
            "cancellation_reason": {"enabled": False, "options": []},
            "enabled": subscription_cancel,
            "mode": "at_period_end",
            "proration_behavior": "none",
        },
        "subscription_update": update,
    }


def allowed(product_id: str, *price_ids: str) -> Obj:
    """One entry of `features.subscription_update.products`."""
    return {"product": product_id, "prices": list(price_ids), "adjustable_quantity": None}


def configuration(
    id: str = "bpc_1Pgc70B7WZ01zgkWSnFO04Vt", *, mode: str = "test", **kw: Any
) -> Obj:
    feats = kw.pop("features", None) or features()
    return _merge({
        "id": id,
        "object": "billing_portal.configuration",
        "active": True,
        "application": None,
        "business_profile": {
            "headline": None,
            "privacy_policy_url": "https://www.acmeyoga.studio/privacy",
            "terms_of_service_url": "https://www.acmeyoga.studio/terms",
        },
        "created": 1234567890,
        "default_return_url": "https://example.com/account",
        "features": feats,
        "is_default": True,
        "livemode": mode == "live",
        "login_page": {"enabled": False, "url": None},
        "metadata": {},
        "updated": 1234567890,
        "name": None,
    }, kw)


def product(id: str = "prod_QXg1hqf4jFNsqG", name: str = "T-shirt", **kw: Any) -> Obj:
    return _merge({
        "id": id,
        "object": "product",
        "active": True,
        "created": 1234567890,
        "default_price": None,
        "description": None,
        "livemode": False,
        "metadata": {},
        "name": name,
        "type": "service",
        "updated": 1234567890,
    }, kw)


def price(
    id: str = "price_1PgafmB7WZ01zgkW6dKueIc5",
    product: str = "prod_QXg1hqf4jFNsqG",
    *,
    unit_amount: int | None = 2000,
    currency: str = "usd",
    interval: str | None = "month",
    usage_type: str = "licensed",
    **kw: Any,
) -> Obj:
    recurring = None if interval is None else {
        "interval": interval, "interval_count": 1, "meter": None,
        "usage_type": usage_type, "trial_period_days": None,
    }
    return _merge({
        "id": id,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": 1234567890,
        "currency": currency,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": product,
        "recurring": recurring,
        "tax_behavior": "exclusive",
        "tiers_mode": None,
        "type": "recurring" if recurring else "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": None if unit_amount is None else str(unit_amount),
    }, kw)


def offered_price(**kw: Any) -> Obj:
    """The monthly price of the plan `healthy_snapshot` offers for plan switching."""
    return price("price_ProMonthly", "prod_Pro", nickname="Monthly", **kw)


def customer(
    id: str = "cus_QXg1o8vcGmoR32", *, email: str | None = "jenny@example.com",
    name: str | None = "Jenny Rosen", created: int = 1700000000, **kw: Any,
) -> Obj:
    return _merge({
        "id": id,
        "object": "customer",
        "balance": 0,
        "created": created,
        "currency": "usd",
        "delinquent": False,
        "description": None,
        "email": email,
        "invoice_prefix": "7FE1103",
        "livemode": False,
        "metadata": {},
        "name": name,
        "phone": None,
        "preferred_locales": [],
        "tax_exempt": "none",
        "test_clock": None,
    }, kw)


def subscription(
    id: str = "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw",
    *,
    customer: str = "cus_QXg1o8vcGmoR32",
    prices: list[Obj] | None = None,
    **kw: Any,
) -> Obj:
    items = [
        {
            "id": f"si_{n}{id[-6:]}",
            "object": "subscription_item",
            "price": p,
            "quantity": 1,
            "subscription": id,
        }
        for n, p in enumerate(prices if prices is not None else [offered_price()])
    ]
    return _merge({
        "id": id,
        "object": "subscription",
        "cancel_at_period_end": False,
        "collection_method": "charge_automatically",
        "created": 1234567890,
        "currency": "usd",
        "customer": customer,
        "items": {"object": "list", "data": items, "has_more": False},
        "livemode": False,
        "metadata": {},
        "schedule": None,
        "status": "active",
    }, kw)


def webhook_endpoint(
    id: str = "we_1Pgc6yB7WZ01zgkWzAudq4eU",
    events: list[str] | None = None,
    *,
    status: str = "enabled",
    url: str = "https://example.com/my/webhook/endpoint",
    **kw: Any,
) -> Obj:
    return _merge({
        "id": id,
        "object": "webhook_endpoint",
        "api_version": None,
        "application": None,
        "created": 1234567890,
        "description": None,
        "enabled_events": events if events is not None else ["charge.failed", "charge.succeeded"],
        "livemode": False,
        "metadata": {},
        "status": status,
        "url": url,
    }, kw)


def session_event(
    id: str = "evt_1PgcSessionAbCd", *, configuration: str = "bpc_1Pgc70B7WZ01zgkWSnFO04Vt",
    return_url: str | None = "https://example.com/account", created: int = 1_799_990_000,
    livemode: bool = False, locale: str | None = None, on_behalf_of: str | None = None,
) -> Obj:
    """A `billing_portal.session.created` event as the gateway hands it on: without the `url`."""
    return {
        "id": id, "object": "event", "type": "billing_portal.session.created", "created": created,
        "livemode": livemode, "pending_webhooks": 0, "api_version": "2026-10-28.endive",
        "data": {"object": {
            "id": f"bps_{id[4:]}", "object": "billing_portal.session", "configuration": configuration,
            "created": created, "customer": "cus_QXg1o8vcGmoR32", "flow": None, "livemode": livemode,
            "locale": locale, "on_behalf_of": on_behalf_of, "return_url": return_url,
        }},
    }


PORTAL_EVENTS = [
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "payment_method.attached",
    "payment_method.detached",
    "customer.updated",
]


def ok(value: Any) -> Fetched:
    return Fetched(value=value)


def failed(error: GatewayError) -> Fetched:
    return Fetched(error=error)


def lookup(
    query: str = "cus_QXg1o8vcGmoR32",
    matches: list[Obj] | GatewayError | None = None,
    *,
    chosen: Obj | None | str = "auto",
    subscriptions: list[Obj] | GatewayError | None = None,
) -> CustomerLookup:
    found = [customer(query)] if matches is None and query.startswith("cus_") else (matches or [])
    m = failed(found) if isinstance(found, GatewayError) else ok(found)
    if chosen == "auto":
        chosen = found[0] if isinstance(found, list) and len(found) == 1 else None
    subs = subscriptions if subscriptions is not None else []
    s = failed(subs) if isinstance(subs, GatewayError) else ok(subs)
    return CustomerLookup(query=query, matches=m, chosen=chosen, subscriptions=s)


def healthy_snapshot(mode: str = "test", **kw: Any) -> Snapshot:
    """An account where every check passes (apart from the customer, unless one is given)."""
    prod = product("prod_Pro", "Pro")
    monthly = offered_price()
    yearly = price("price_ProYearly", "prod_Pro", unit_amount=20000, interval="year",
                   nickname="Yearly")
    conf = configuration(
        mode=mode,
        features=features(
            subscription_update=True,
            products=[allowed("prod_Pro", "price_ProMonthly", "price_ProYearly")],
            default_allowed_updates=["price", "quantity"],
        ),
    )
    values: dict[str, Any] = {
        "key": classify_key(key(mode)),
        "account": ok(account()),
        "configurations": ok([conf]),
        "webhook_endpoints": ok([webhook_endpoint(events=list(PORTAL_EVENTS))]),
        "products": ok({prod["id"]: prod}),
        "prices": ok({monthly["id"]: monthly, yearly["id"]: yearly}),
    }
    values.update(kw)
    return Snapshot(**values)


def context(snapshot: Snapshot | None = None, **kw: Any) -> CheckContext:
    return CheckContext(snapshot=snapshot or healthy_snapshot(), **kw)
