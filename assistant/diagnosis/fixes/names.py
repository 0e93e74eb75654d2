"""The owner's words for the ids a fix's changes hold: products by name, prices by nickname and
amount ("Pro Yearly — 290.00 USD / year"), as the Dashboard's Products page shows them. Read from
what the diagnosis (and, for the test → live copy, the catalogues) already read; an id nothing
read keeps its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from assistant.account.snapshot import ModeCatalogue, Snapshot, StripeObject
from assistant.diagnosis.checks.facts import said_amount
from assistant.diagnosis.fixes.fields import PRODUCTS_FIELD


def price_words(price: StripeObject) -> str:
    """"Pro Yearly — 290.00 USD / year" (the amount alone when the price has no nickname)."""
    name = price.get("nickname")
    return f"{name} — {said_amount(price)}" if name else said_amount(price)


def product_words(product: StripeObject) -> str:
    return str(product.get("name") or product.get("id") or "")


def known(snapshots: Iterable[Snapshot | None], catalogues: Mapping[str, ModeCatalogue] | None = None
          ) -> dict[str, str]:
    """Every product and price the run read, id -> the owner's words."""
    products: list[StripeObject] = []
    prices: list[StripeObject] = []
    for snap in snapshots:
        if snap is not None:
            products += list((snap.products.value or {}).values())
            prices += list((snap.prices.value or {}).values())
    for catalogue in (catalogues or {}).values():
        products += list(catalogue.products.value or [])
        prices += list(catalogue.prices.value or [])
    out = {str(p.get("id")): product_words(p) for p in products if p.get("id")}
    out.update({str(p.get("id")): price_words(p) for p in prices if p.get("id")})
    return out


def used(changes: Iterable[Any], words: Mapping[str, str]) -> dict[str, str]:
    """The words for the ids these changes hold (objects written and plan-list entries)."""
    ids: list[str] = []
    for change in changes:
        ids.append(str(change.object or ""))
        if change.field == PRODUCTS_FIELD:
            for value in (change.before, change.after):
                for entry in value or []:
                    ids.append(str(entry.get("product") or ""))
                    ids += [str(p) for p in entry.get("prices") or []]
    return {i: words[i] for i in dict.fromkeys(ids) if i in words}
