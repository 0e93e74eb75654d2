"""portal.products: can customers actually switch to the products the portal offers?

Stripe keeps returning active prices of archived products, and omits the allowed catalogue
unless it is expanded, so both the product and each price are checked one by one. Besides the
problems, the result lists every product and price offered (`catalogue.product_offered`,
`catalogue.price_offered`) with what the products page shows, so the page renders and never
works the catalogue out again.
"""

from __future__ import annotations

from typing import Any

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import (
    describe_price,
    describe_product,
    interval,
    is_recurring,
    object_id,
    price_amount,
)
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration, not_read
from assistant.diagnosis.checks.portal import configuration_subject
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject
from assistant.knowledge.dashboard import dashboard_url

CID = "portal.products"
MAX_PRODUCTS = 10
_FIELD = "features.subscription_update.products"
# Problems about the list as a whole head the result themselves; object problems are summed up.
_LIST_CODES = ("catalogue.no_products", "catalogue.too_many", "catalogue.no_allowed_updates")

StripeDict = dict[str, Any]


def check_products(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    gate = configuration_gate(CID, snap)
    if gate is not None:
        return gate
    conf = default_configuration(snap)
    config = configuration_subject(conf)
    update = (conf.get("features") or {}).get("subscription_update") or {}
    if not update.get("enabled"):
        return msg.render(CID, mode, [
            Finding("catalogue.switching_off", Status.SKIP, subject=config,
                    field="features.subscription_update.enabled", seen=False),
        ])

    entries = [e for e in (update.get("products") or []) if isinstance(e, dict)]
    problems: list[Finding] = []
    if not entries:
        problems.append(Finding("catalogue.no_products", Status.FAIL, subject=config, field=_FIELD,
                                seen=0))
    if len(entries) > MAX_PRODUCTS:
        problems.append(Finding("catalogue.too_many", Status.FAIL, subject=config, field=_FIELD,
                                seen=len(entries), expected=MAX_PRODUCTS, facts={"count": len(entries)}))
    if not update.get("default_allowed_updates"):
        problems.append(Finding("catalogue.no_allowed_updates", Status.FAIL, subject=config,
                                field="features.subscription_update.default_allowed_updates",
                                seen=(), expected=("price",)))

    listing: list[Finding] = []
    if entries:
        for fetched, section in ((snap.products, "products"), (snap.prices, "prices")):
            if fetched.error is not None:
                return msg.error_result(CID, mode, fetched.error, section)
            if fetched.value is None:
                return not_read(CID, mode, section)
        products = snap.products.value or {}
        prices = snap.prices.value or {}
        for entry in entries:
            found, offered = _entry_findings(entry, products, prices, mode, config)
            problems += found
            listing += offered

    if not problems:
        names = tuple(describe_product(products[object_id(e.get("product"))]) for e in entries)
        return msg.render(CID, mode, [
            Finding("catalogue.usable", Status.PASS, subject=config, facts={"products": names}),
            *listing,
        ])

    if problems[0].code in _LIST_CODES:
        headline, evidence = problems[0], problems[1:]
    else:
        offenders = tuple(dict.fromkeys(p.text("offender") for p in problems if p.text("offender")))
        headline = Finding("catalogue.unusable", Status.FAIL, subject=config, field=_FIELD,
                           facts={"offenders": offenders, "count": len(entries)})
        evidence = problems
    return msg.render(CID, mode, [headline, *evidence, *listing])


def _entry_findings(
    entry: StripeDict, products: dict[str, StripeDict], prices: dict[str, StripeDict],
    mode: str | None, config: Subject,
) -> tuple[list[Finding], list[Finding]]:
    """(problems, offered) for one entry of the plan-switching list."""
    found: list[Finding] = []
    offered: list[Finding] = []
    product_id = object_id(entry.get("product"))
    product = products.get(product_id)
    price_ids = [object_id(p) for p in entry.get("prices") or []]
    if product is None:
        product_ref = Subject("product", product_id)
        found.append(Finding(
            "product.missing", Status.FAIL, subject=product_ref, related=(config,),
            facts={"product": product_id, "object_id": product_id, "offender": product_id},
        ))
        product_label = product_id
    else:
        product_ref = Subject("product", product_id, str(product.get("name") or ""))
        product_label = describe_product(product)
        offered.append(Finding(
            "catalogue.product_offered", subject=product_ref, related=(config,),
            facts={"product": product_label, "state": _state(product), "active": _active(product)},
        ))
        if product.get("active") is False:
            any_active = any((prices.get(p) or {}).get("active") for p in price_ids)
            found.append(Finding(
                "product.archived_prices_active" if any_active else "product.archived",
                Status.FAIL, subject=product_ref, related=(config,), field="active",
                seen=False, expected=True,
                facts={"product": product_label, "offender": product_label,
                       "url": dashboard_url(mode, "products", product_id)},
            ))
    for price_id in price_ids:
        price = prices.get(price_id)
        if price is None:
            found.append(Finding(
                "price.missing", Status.FAIL, subject=Subject("price", price_id),
                related=(product_ref, config),
                facts={"price": price_id, "product": product_label, "object_id": price_id,
                       "offender": price_id},
            ))
            continue
        price_ref = Subject("price", price_id, str(price.get("nickname") or ""))
        price_label = describe_price(price)
        named = _named_price(price)
        facts = {"price": price_label, "product": product_label, "offender": named}
        offered.append(Finding(
            "catalogue.price_offered", subject=price_ref, related=(product_ref, config),
            facts={
                "price": price_label, "state": _state(price), "active": _active(price),
                "product": product_label, "nickname": price.get("nickname") or "",
                "amount": price_amount(price), "unit_amount": _unit_amount(price),
                "currency": str(price.get("currency") or ""), "interval": interval(price),
                "recurring": is_recurring(price),
            },
        ))
        if price.get("active") is False:
            found.append(Finding(
                "price.archived", Status.FAIL, subject=price_ref, related=(product_ref, config),
                field="active", seen=False, expected=True,
                facts={**facts, "url": dashboard_url(mode, "prices", price_id)},
            ))
        if not is_recurring(price):
            found.append(Finding(
                "price.one_time", Status.FAIL, subject=price_ref, related=(product_ref, config),
                field="type", seen=str(price.get("type") or "one_time"), expected="recurring",
                facts=facts,
            ))
    return found, offered


def _unit_amount(price: StripeDict) -> int | None:
    amount = price.get("unit_amount")
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else None


def _named_price(price: StripeDict) -> str:
    """Id and nickname only: short enough for the sentence an agent reads out."""
    name = price.get("nickname")
    return f'{price.get("id")} "{name}"' if name else str(price.get("id"))


def _active(obj: StripeDict) -> bool:
    return bool(obj.get("active", True))


def _state(obj: StripeDict) -> str:
    return msg.label("states", "active" if _active(obj) else "archived")
