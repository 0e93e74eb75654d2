"""parity.test_live: copy the test default configuration's settings onto the live one.

Features, the default return URL and the business profile are copied field by field (only
those that differ). Products cannot be copied by id (ids differ between modes): each test
product is matched to the one active live product with the same name, each price to the one
active live price of it with the same amount, currency and interval; what has no single match
is listed, never guessed. When one mode has no saved configuration, the fix is guided.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assistant.account.snapshot import ModeCatalogue, StripeObject
from assistant.diagnosis.checks.facts import describe_price, describe_product
from assistant.diagnosis.checks.parity import PARITY_DIFFERS, PARITY_MISSING_IN_MODE
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import (
    CONFIGURATION,
    PRODUCTS_FIELD,
    current,
    object_path,
    params_for,
    plan_entries,
    same,
)
from assistant.diagnosis.fixes.model import API, GUIDED, FieldChange, Fix, Request
from assistant.knowledge.dashboard import dashboard_url

COPY, SAVE = "parity.test_live.copy_to_live", "parity.test_live.save_in_mode"
# The settings copied, as the update parameters name them (products are matched separately).
FIELDS: tuple[tuple[str, str], ...] = (
    ("features", "features.customer_update.enabled"),
    ("features", "features.customer_update.allowed_updates"),
    ("features", "features.invoice_history.enabled"),
    ("features", "features.payment_method_update.enabled"),
    ("features", "features.subscription_cancel.enabled"),
    ("features", "features.subscription_cancel.mode"),
    ("features", "features.subscription_cancel.proration_behavior"),
    ("features", "features.subscription_cancel.cancellation_reason.enabled"),
    ("features", "features.subscription_cancel.cancellation_reason.options"),
    ("features", "features.subscription_update.enabled"),
    ("features", "features.subscription_update.default_allowed_updates"),
    ("features", "features.subscription_update.proration_behavior"),
    ("settings", "features.subscription_update.schedule_at_period_end.conditions"),
    ("settings", "features.subscription_update.trial_update_behavior"),
    ("settings", "features.subscription_update.billing_cycle_anchor"),
    # Never `features.payment_method_update.payment_method_configuration`: its id (`pmc_…`) belongs
    # to one mode, so the live one is chosen in live mode (the check compares only "set or not").
    ("return_url", "default_return_url"),
    ("business_profile", "business_profile.headline"),
    ("business_profile", "business_profile.privacy_policy_url"),
    ("business_profile", "business_profile.terms_of_service_url"),
)
# Fields Stripe lets a `""` unset or empty; the others (enums, booleans) cannot be copied as "none".
UNSETTABLE = frozenset({
    "features.customer_update.allowed_updates", "features.subscription_cancel.cancellation_reason.options",
    "features.subscription_update.default_allowed_updates", "default_return_url", "business_profile.headline",
    "features.subscription_update.schedule_at_period_end.conditions",
    "business_profile.privacy_policy_url", "business_profile.terms_of_service_url", PRODUCTS_FIELD,
})


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    result = ctx.result
    missing = result.with_code(PARITY_MISSING_IN_MODE)
    if missing:
        facts = {k: missing[0].text(k) for k in ("missing_mode", "present_mode")}
        facts["url"] = dashboard_url(facts["missing_mode"], "portal")
        return (Fix(id=SAVE, check=result.id, title=wording.title(SAVE, **facts), kind=GUIDED,
                    mode=facts["missing_mode"], summary=wording.text(SAVE, "summary", **facts),
                    dashboard_url=facts["url"], steps=wording.steps(SAVE, **facts)),)
    if not result.has(PARITY_DIFFERS):
        return ()
    test, live = ctx.snapshot_of("test"), ctx.snapshot_of("live")
    test_conf = test.default_configuration if test else None
    live_conf = live.default_configuration if live else None
    if test_conf is None or live_conf is None:
        return ()
    live_id = str(live_conf["id"])
    changes: list[FieldChange] = []
    areas: list[str] = []
    for area, field in FIELDS:
        want, have = current(test_conf, field), current(live_conf, field)
        if not same(want, have) and (want not in (None, "") or field in UNSETTABLE):
            changes.append(FieldChange(live_id, field, have, want, CONFIGURATION))
            areas.append(area)
    notes: list[str] = []
    catalogue = ctx.catalogues.get("live")
    if catalogue is None or not catalogue.ok:
        notes.append(wording.text(COPY, "no_catalogue"))
    else:
        known = _known(test.products.value if test else None, test.prices.value if test else None,
                       ctx.catalogues.get("test"))
        matched, unmatched = match_entries(plan_entries(test_conf), known, catalogue)
        have = plan_entries(live_conf)
        if not same(matched, have):
            changes.append(FieldChange(live_id, PRODUCTS_FIELD, have, matched, CONFIGURATION))
            areas.append("products")
        if unmatched:
            notes.append(wording.text(COPY, "unmatched", items="; ".join(unmatched)))
    if not changes:
        return ()
    words = ", ".join(wording.text(COPY, f"area_{a}") for a in dict.fromkeys(areas))
    return (Fix(
        id=COPY, check=result.id, title=wording.title(COPY), kind=API, mode="live",
        summary=wording.text(COPY, "summary", areas=words),
        requests=(Request("POST", object_path(live_id), params_for((c.field, c.after) for c in changes)),),
        changes=tuple(changes), notes=tuple(notes),
    ),)


class _Known:
    """Test mode's products and prices by id, from the snapshot and the test catalogue."""

    def __init__(self, products: dict[str, StripeObject], prices: dict[str, StripeObject]) -> None:
        self.products, self.prices = products, prices


def _known(products: Mapping[str, StripeObject] | None, prices: Mapping[str, StripeObject] | None,
           catalogue: ModeCatalogue | None) -> _Known:
    by_product: dict[str, StripeObject] = dict(products or {})
    by_price: dict[str, StripeObject] = dict(prices or {})
    if catalogue is not None:
        by_product.update({p["id"]: p for p in catalogue.products.value or [] if p["id"] not in by_product})
        by_price.update({p["id"]: p for p in catalogue.prices.value or [] if p["id"] not in by_price})
    return _Known(by_product, by_price)


def _signature(price: StripeObject) -> tuple[Any, ...]:
    recurring = price.get("recurring") or {}
    return (price.get("unit_amount"), str(price.get("currency") or "").lower(), recurring.get("interval"),
            recurring.get("interval_count") or 1, price.get("type"))


def _single(items: Iterable[StripeObject]) -> StripeObject | None:
    found = list(items)
    return found[0] if len(found) == 1 else None


def match_entries(entries: list[dict[str, Any]], test: _Known,
                  live: ModeCatalogue) -> tuple[list[dict[str, Any]], list[str]]:
    """(the live plan list matching test's, what had no single live match, as labels)."""
    live_products = [p for p in live.products.value or [] if p.get("active", True)]
    live_prices = [p for p in live.prices.value or [] if p.get("active", True)]
    matched: list[dict[str, Any]] = []
    unmatched: list[str] = []
    for entry in entries:
        product = test.products.get(entry["product"])
        name = str((product or {}).get("name") or "")
        label = describe_product(product) if product else entry["product"]
        twin = _single(p for p in live_products if name and p.get("name") == name)
        if twin is None:
            unmatched.append(wording.text(COPY, "unmatched_product", label=label, name=name))
            continue
        prices: list[str] = []
        for price_id in entry["prices"]:
            price = test.prices.get(price_id)
            twin_price = _single(p for p in live_prices if price is not None and p.get("product") == twin["id"]
                                 and _signature(p) == _signature(price))
            if twin_price is None:
                plabel = describe_price(price) if price else price_id
                unmatched.append(wording.text(COPY, "unmatched_price", label=plabel, product=label))
            else:
                prices.append(str(twin_price["id"]))
        if prices:
            kept = {**entry, "product": str(twin["id"]), "prices": prices}
            matched.append(kept)
    return matched, unmatched
