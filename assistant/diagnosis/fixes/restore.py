"""The choices for one archived price or product on the plan list, the one that keeps what the owner
offered first: restore it (`POST /v1/prices/{id}` or `/v1/products/{id}` with `active=true`, one
request on one object, undone by `active=false`), offer an active price of the same product,
currency and billing period instead (a price only, when one exists that the list does not offer
yet), or take it off the list. They share a group named after the object, so one is applied.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.account.snapshot import StripeObject
from assistant.diagnosis.checks.facts import is_recurring, object_id, said_amount
from assistant.diagnosis.findings import Finding
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import PRICE, PRODUCT, object_path, params_for, plan_entries
from assistant.diagnosis.fixes.model import API, FieldChange, Fix, Request
from assistant.diagnosis.fixes.plan_list import list_write, removal

RESTORE_PRICE = "portal.products.restore_price"
REPLACE_PRICE = "portal.products.replace_price"
REMOVE_PRICE = "portal.products.remove_price"
RESTORE_PRODUCT = "portal.products.restore_product"
REMOVE_PRODUCT = "portal.products.remove_product"
MAX_REPLACEMENTS = 3  # active prices offered instead of one archived price, newest first


def price_said(price: StripeObject) -> str:
    """"Pro Yearly (290.00 USD / year)", or "290.00 USD / year" for a price without a nickname."""
    name = price.get("nickname")
    return f"{name} ({said_amount(price)})" if name else said_amount(price)


def _restore(ctx: FixContext, fix_id: str, obj: StripeObject, kind: str, group: str,
             facts: dict[str, object]) -> Fix:
    obj_id = str(obj["id"])
    return Fix(
        id=fix_id, check=ctx.result.id, title=wording.title(fix_id, **facts), kind=API, mode=ctx.mode,
        summary=wording.text(fix_id, "summary", **facts),
        requests=(Request("POST", object_path(obj_id), params_for([("active", True)])),),
        changes=(FieldChange(obj_id, "active", False, True, kind),),
        group=group, for_customer=wording.text(fix_id, "for_customer", **facts),
    )


def archived_price_choices(ctx: FixContext, finding: Finding) -> list[Fix]:
    if finding.subject is None:
        return []
    price_id = finding.subject.id
    product_id = next((r.id for r in finding.related if r.kind == "product"), "")
    prices = ctx.snapshot.prices.value or {}
    price = prices.get(price_id)
    if price is None or price.get("active") is not False:
        return []
    product = (ctx.snapshot.products.value or {}).get(product_id) or {"id": product_id}
    group = f"{ctx.result.id}:{price_id}"
    facts: dict[str, object] = {"price": price_said(price), "product": product.get("name") or product_id}
    choices = [_restore(ctx, RESTORE_PRICE, price, PRICE, group, facts)]
    for other in replacements(price, prices.values(), plan_entries(ctx.configuration)):
        after = [{**e, "prices": [str(other["id"]) if p == price_id else p for p in e["prices"]]}
                 if e["product"] == product_id else e for e in plan_entries(ctx.configuration)]
        choices.append(list_write(ctx, REPLACE_PRICE, after, {**facts, "new_price": price_said(other)}, group=group))
    gone = removal(ctx, REMOVE_PRICE, facts, removed=facts["price"], prices={price_id}, group=group)
    return choices + ([gone] if gone else [])


def replacements(archived: StripeObject, prices: Iterable[StripeObject], entries: list[dict[str, Any]]
                 ) -> list[StripeObject]:
    """Active prices that bill like `archived` (same product, currency, period and usage) and that
    the list does not offer already, newest first."""
    product_id = object_id(archived.get("product"))
    listed = {str(p) for e in entries if e["product"] == product_id for p in e["prices"]}
    found = [p for p in prices
             if object_id(p.get("product")) == product_id and p.get("active") and is_recurring(p)
             and str(p.get("id")) not in listed and _bills_like(p, archived)]
    found.sort(key=lambda p: (int(p.get("created") or 0), str(p.get("id"))), reverse=True)
    return found[:MAX_REPLACEMENTS]


def _bills_like(price: StripeObject, other: StripeObject) -> bool:
    mine, theirs = price.get("recurring") or {}, other.get("recurring") or {}
    return (price.get("currency") == other.get("currency")
            and mine.get("interval") == theirs.get("interval")
            and (mine.get("interval_count") or 1) == (theirs.get("interval_count") or 1)
            and (mine.get("usage_type") or "licensed") == (theirs.get("usage_type") or "licensed"))


def archived_product_choices(ctx: FixContext, finding: Finding) -> list[Fix]:
    if finding.subject is None:
        return []
    product_id = finding.subject.id
    product = (ctx.snapshot.products.value or {}).get(product_id)
    if product is None or product.get("active") is not False:
        return []
    prices = ctx.snapshot.prices.value or {}
    listed = [p for e in plan_entries(ctx.configuration) if e["product"] == product_id for p in e["prices"]]
    said = ", ".join(price_said(prices[p]) for p in listed if p in prices) or product_id
    group = f"{ctx.result.id}:{product_id}"
    facts: dict[str, object] = {"product": product.get("name") or product_id, "prices": said}
    choices = [_restore(ctx, RESTORE_PRODUCT, product, PRODUCT, group, facts)]
    gone = removal(ctx, REMOVE_PRODUCT, facts, removed=facts["product"], products={product_id}, group=group)
    return choices + ([gone] if gone else [])
