"""Writing the plan-switching list: one request sending the whole list again (Stripe replaces the
array whole), every entry kept exactly as it is, prices and quantity settings included. When
nothing usable would remain, no write is offered: the owner chooses plans (a guided fix).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

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

CHOOSE = "portal.products.choose_plans"
Entries = list[dict[str, Any]]


def without(entries: Entries, products: Collection[str] = (), prices: Collection[str] = ()) -> Entries:
    """The plan list without these products and prices (an entry left with no price goes)."""
    out = []
    for entry in entries:
        kept = [p for p in entry["prices"] if p not in prices]
        if entry["product"] not in products and kept:
            out.append({**entry, "prices": kept})
    return out


def list_write(ctx: FixContext, fix_id: str, after: Entries, facts: Mapping[str, object], *,
               group: str = "") -> Fix:
    """One write of the plan list (from what the snapshot holds to `after`), worded by `fix_id`."""
    conf = ctx.configuration or {}
    conf_id = str(conf["id"])
    return Fix(
        id=fix_id, check=ctx.result.id, title=wording.title(fix_id, **facts), kind=API, mode=ctx.mode,
        summary=wording.text(fix_id, "summary", **facts),
        requests=(Request("POST", object_path(conf_id), params_for([(PRODUCTS_FIELD, after)])),),
        changes=(FieldChange(conf_id, PRODUCTS_FIELD, plan_entries(conf), after, CONFIGURATION),),
        group=group, for_customer=wording.text(fix_id, "for_customer", **facts),
    )


def choose_plans(ctx: FixContext, removed: object, *, group: str = "", for_customer: str = "") -> Fix:
    """Nothing on the list could still be offered: the owner picks the plans in the Dashboard."""
    url = dashboard_url(ctx.mode, "portal")
    facts = {"removed": removed, "url": url}
    return Fix(id=CHOOSE, check=ctx.result.id, title=wording.title(CHOOSE), kind=GUIDED, mode=ctx.mode,
               summary=wording.text(CHOOSE, "summary", **facts), dashboard_url=url,
               steps=wording.steps(CHOOSE, **facts), group=group, for_customer=for_customer)


def removal(ctx: FixContext, fix_id: str, facts: Mapping[str, object], *, removed: object,
            products: Collection[str] = (), prices: Collection[str] = (), group: str = "") -> Fix | None:
    """Take these products and prices off the list (None when they are not on it)."""
    before = plan_entries(ctx.configuration)
    after = without(before, products, prices)
    if after == before:
        return None
    if not after:
        return choose_plans(ctx, removed, group=group, for_customer=wording.text(fix_id, "for_customer", **facts))
    return list_write(ctx, fix_id, after, facts, group=group)
