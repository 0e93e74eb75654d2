"""portal.products: take off the plan list what customers cannot switch to, keep the rest as is.

Which entries go comes from the check's findings (archived or missing products; archived,
one-time or missing prices); the list itself comes from the snapshot, because Stripe replaces
the array whole: every entry kept is sent again exactly as it is, prices and quantity settings
included. When nothing usable would remain, the owner must choose plans: a guided fix.
"""

from __future__ import annotations

from assistant.diagnosis.checks.facts import describe_product
from assistant.diagnosis.checks.products import PRICE_PROBLEMS, PRODUCT_PROBLEMS
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import (
    CONFIGURATION,
    PRODUCTS_FIELD,
    object_path,
    params_for,
    plan_entries,
)
from assistant.diagnosis.fixes.model import API, GUIDED, FieldChange, Fix, Request
from assistant.knowledge.dashboard import dashboard_url

REMOVE, CHOOSE = "portal.products.remove_unusable", "portal.products.choose_plans"


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    conf = ctx.configuration
    if conf is None:
        return ()
    result = ctx.result
    drop_products = {f.subject.id for f in result.with_code(*PRODUCT_PROBLEMS) if f.subject}
    drop_prices = {f.subject.id for f in result.with_code(*PRICE_PROBLEMS) if f.subject}
    if not drop_products and not drop_prices:
        return ()
    before = plan_entries(conf)
    after = []
    for entry in before:
        prices = [p for p in entry["prices"] if p not in drop_prices]
        if entry["product"] not in drop_products and prices:
            after.append({**entry, "prices": prices})
    if after == before:
        return ()
    removed = _removed(ctx, drop_products, drop_prices)
    if not after:
        facts = {"removed": removed, "url": dashboard_url(ctx.mode, "portal")}
        return (Fix(id=CHOOSE, check=result.id, title=wording.title(CHOOSE), kind=GUIDED, mode=ctx.mode,
                    summary=wording.text(CHOOSE, "summary", **facts), dashboard_url=facts["url"],
                    steps=wording.steps(CHOOSE, **facts)),)
    conf_id = str(conf["id"])
    products = ctx.snapshot.products.value or {}
    kept = ", ".join(describe_product(products.get(e["product"]) or {"id": e["product"]}) for e in after)
    return (Fix(
        id=REMOVE, check=result.id, title=wording.title(REMOVE), kind=API, mode=ctx.mode,
        summary=wording.text(REMOVE, "summary", removed=removed, kept=kept),
        requests=(Request("POST", object_path(conf_id), params_for([(PRODUCTS_FIELD, after)])),),
        changes=(FieldChange(conf_id, PRODUCTS_FIELD, before, after, CONFIGURATION),),
    ),)


def _removed(ctx: FixContext, drop_products: set[str], drop_prices: set[str]) -> str:
    """What goes, in the findings' own labels (a price of a product that goes is not repeated)."""
    parts: list[str] = []
    for finding in ctx.result.with_code(*PRODUCT_PROBLEMS):
        parts.append(wording.text(REMOVE, "removed_product", label=finding.text("product")))
    for finding in ctx.result.with_code(*PRICE_PROBLEMS):
        product = next((r.id for r in finding.related if r.kind == "product"), "")
        if product not in drop_products:
            parts.append(wording.text(REMOVE, "removed_price", label=finding.text("price")))
    return "; ".join(dict.fromkeys(parts))
