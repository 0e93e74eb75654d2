"""portal.products: what customers cannot switch to, repaired the way the owner chooses.

An archived price or product on the plan list can be repaired more than one way, and each way
means something different for the owner's customers, so each is a choice of its own, grouped per
archived object, the one that keeps what the owner offered first (`restore.py`): restore it,
offer an active price of the same billing period instead, or take it off the list.

What cannot be restored (a one-time price, a price or product that no longer exists) is taken
off the list by one write (`plan_list.py`), or, when nothing usable would remain, the owner
chooses the plans: a guided fix.
"""

from __future__ import annotations

from assistant.diagnosis.checks.facts import describe_product
from assistant.diagnosis.checks.products import (
    PRICE_ARCHIVED,
    PRICE_PROBLEMS,
    PRODUCT_ARCHIVED,
    PRODUCT_ARCHIVED_PRICES_ACTIVE,
    PRODUCT_PROBLEMS,
)
from assistant.diagnosis.fixes import wording
from assistant.diagnosis.fixes.context import FixContext
from assistant.diagnosis.fixes.fields import plan_entries
from assistant.diagnosis.fixes.model import Fix
from assistant.diagnosis.fixes.plan_list import CHOOSE, choose_plans, list_write, without
from assistant.diagnosis.fixes.restore import archived_price_choices, archived_product_choices

REMOVE = "portal.products.remove_unusable"
__all__ = ["CHOOSE", "REMOVE", "plan"]
_RESTORABLE = (PRICE_ARCHIVED, PRODUCT_ARCHIVED, PRODUCT_ARCHIVED_PRICES_ACTIVE)


def plan(ctx: FixContext) -> tuple[Fix, ...]:
    if ctx.configuration is None:
        return ()
    result = ctx.result
    fixes: list[Fix] = []
    for finding in result.with_code(PRODUCT_ARCHIVED, PRODUCT_ARCHIVED_PRICES_ACTIVE):
        fixes += archived_product_choices(ctx, finding)
    for finding in result.with_code(PRICE_ARCHIVED):
        fixes += archived_price_choices(ctx, finding)
    drop_products = {f.subject.id for f in result.with_code(*PRODUCT_PROBLEMS)
                     if f.subject and f.code not in _RESTORABLE}
    drop_prices = {f.subject.id for f in result.with_code(*PRICE_PROBLEMS)
                   if f.subject and f.code not in _RESTORABLE}
    if drop_products or drop_prices:
        fixes += _remove_unusable(ctx, drop_products, drop_prices)
    return tuple(fixes)


def _remove_unusable(ctx: FixContext, drop_products: set[str], drop_prices: set[str]) -> list[Fix]:
    """What no choice can bring back (one-time, missing), taken off the list by one write."""
    before = plan_entries(ctx.configuration)
    after = without(before, drop_products, drop_prices)
    if after == before:
        return []
    removed = _removed(ctx, drop_products)
    if not after:
        return [choose_plans(ctx, removed)]
    products = ctx.snapshot.products.value or {}
    kept = ", ".join(describe_product(products.get(e["product"]) or {"id": e["product"]}) for e in after)
    return [list_write(ctx, REMOVE, after, {"removed": removed, "kept": kept})]


def _removed(ctx: FixContext, drop_products: set[str]) -> str:
    """What goes, in the findings' own labels (a price of a product that goes is not repeated)."""
    parts: list[str] = []
    for finding in ctx.result.with_code(*PRODUCT_PROBLEMS):
        if finding.code not in _RESTORABLE:
            parts.append(wording.text(REMOVE, "removed_product", label=finding.text("product")))
    for finding in ctx.result.with_code(*PRICE_PROBLEMS):
        product = next((r.id for r in finding.related if r.kind == "product"), "")
        if finding.code not in _RESTORABLE and product not in drop_products:
            parts.append(wording.text(REMOVE, "removed_price", label=finding.text("price")))
    return "; ".join(dict.fromkeys(parts))
