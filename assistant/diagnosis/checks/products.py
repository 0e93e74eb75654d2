"""portal.products: can customers actually switch to the products the portal offers?

Stripe keeps returning active prices of archived products, and omits the allowed catalogue
unless it is expanded, so both the product and each price are checked one by one.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import (
    describe_price,
    describe_product,
    is_recurring,
    object_id,
)
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration
from assistant.diagnosis.model import CheckResult, Status
from assistant.knowledge.dashboard import dashboard_url

CID = "portal.products"
MAX_PRODUCTS = 10


@dataclass(frozen=True)
class _Problem:
    outcome: str  # summary used when this is the first problem found
    offender: str  # id named in the summary ("" for configuration-wide problems)
    detail: str
    fix: str


def check_products(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    gate = configuration_gate(CID, snap)
    if gate is not None:
        return gate
    update = (default_configuration(snap).get("features") or {}).get("subscription_update") or {}
    if not update.get("enabled"):
        return msg.render(CID, "switching_off", Status.SKIP, mode)

    entries = [e for e in (update.get("products") or []) if isinstance(e, dict)]
    problems: list[_Problem] = []
    if not entries:
        problems.append(_Problem(
            "no_products", "", msg.note(CID, "offender_no_products", mode),
            msg.note(CID, "fix_no_products", mode),
        ))
    if len(entries) > MAX_PRODUCTS:
        problems.append(_Problem(
            "too_many", "", msg.note(CID, "offender_too_many", mode, count=len(entries)),
            msg.note(CID, "fix_too_many", mode, count=len(entries)),
        ))
    if not update.get("default_allowed_updates"):
        problems.append(_Problem(
            "no_allowed_updates", "", msg.note(CID, "offender_no_allowed_updates", mode),
            msg.note(CID, "fix_no_allowed_updates", mode),
        ))

    listing: list[str] = []
    if entries:
        for fetched, section in ((snap.products, "products"), (snap.prices, "prices")):
            if fetched.error is not None:
                return msg.error_result(CID, mode, fetched.error, section)
            if fetched.value is None:
                return msg.render(CID, "skip_not_read", Status.SKIP, mode,
                                  what=msg.label("sections", section))
        products = snap.products.value or {}
        prices = snap.prices.value or {}
        for entry in entries:
            problems += _entry_problems(entry, products, prices, mode, listing)

    if not problems:
        names = [describe_product(products[object_id(e.get("product"))]) for e in entries]
        return msg.render(CID, "pass", Status.PASS, mode, details=listing, products=names)

    first = problems[0]
    offenders = list(dict.fromkeys(p.offender for p in problems if p.offender))
    fixes = list(dict.fromkeys(p.fix for p in problems))
    return msg.render(
        CID, first.outcome, Status.FAIL, mode,
        details=[p.detail for p in problems] + listing,
        extra_fix=fixes,
        offenders=offenders, count=len(entries),
    )


def _entry_problems(
    entry: dict, products: dict, prices: dict, mode: str | None, listing: list[str],  # type: ignore[type-arg]
) -> list[_Problem]:
    found: list[_Problem] = []
    product_id = object_id(entry.get("product"))
    product = products.get(product_id)
    price_ids = [object_id(p) for p in entry.get("prices") or []]
    if product is None:
        found.append(_Problem(
            "bad_catalogue", product_id,
            msg.note(CID, "offender_missing_product", mode, product=product_id),
            msg.note(CID, "fix_missing", mode, object_id=product_id),
        ))
        product_label = product_id
    else:
        product_label = describe_product(product)
        listing.append(msg.note(CID, "listed_product", mode, product=product_label,
                                state=_state(product)))
        if product.get("active") is False:
            any_active = any((prices.get(p) or {}).get("active") for p in price_ids)
            found.append(_Problem(
                "bad_catalogue", product_label,
                msg.note(CID, "offender_archived_product_active_prices" if any_active
                         else "offender_archived_product", mode, product=product_label),
                msg.note(CID, "fix_archived_product", mode, product=product_label,
                         url=dashboard_url(mode, "products", product_id)),
            ))
    for price_id in price_ids:
        price = prices.get(price_id)
        if price is None:
            found.append(_Problem(
                "bad_catalogue", price_id,
                msg.note(CID, "offender_missing_price", mode, price=price_id, product=product_label),
                msg.note(CID, "fix_missing", mode, object_id=price_id),
            ))
            continue
        price_label = describe_price(price)
        named = _named_price(price)
        listing.append(msg.note(CID, "listed_price", mode, price=price_label,
                                state=_state(price)))
        if price.get("active") is False:
            found.append(_Problem(
                "bad_catalogue", named,
                msg.note(CID, "offender_archived_price", mode, price=price_label,
                         product=product_label),
                msg.note(CID, "fix_archived_price", mode, price=price_label,
                         url=dashboard_url(mode, "prices", price_id)),
            ))
        if not is_recurring(price):
            found.append(_Problem(
                "bad_catalogue", named,
                msg.note(CID, "offender_one_time_price", mode, price=price_label,
                         product=product_label),
                msg.note(CID, "fix_one_time_price", mode, price=price_label),
            ))
    return found


def _named_price(price: dict) -> str:  # type: ignore[type-arg]
    """Id and nickname only: short enough for the sentence an agent reads out."""
    name = price.get("nickname")
    return f'{price.get("id")} "{name}"' if name else str(price.get("id"))


def _state(obj: dict) -> str:  # type: ignore[type-arg]
    return msg.label("states", "active" if obj.get("active", True) else "archived")
