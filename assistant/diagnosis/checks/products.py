"""portal.products: can customers actually switch to the products the portal offers?

Stripe keeps returning active prices of archived products, and omits the allowed catalogue
unless it is expanded, so both the product and each price are checked one by one. Besides the
problems, the result lists every product and price offered (`catalogue.product_offered`,
`catalogue.price_offered`) with what the products page shows, so the page renders and never
works the catalogue out again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.account.snapshot import Snapshot
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.deep_links import plan_change_uses
from assistant.diagnosis.checks.facts import (
    counted,
    describe_price,
    describe_product,
    interval,
    is_recurring,
    object_id,
    price_amount,
    said_amount,
    said_price,
    said_product,
)
from assistant.diagnosis.checks.gates import configuration_gate, default_configuration, not_read
from assistant.diagnosis.checks.portal import configuration_subject
from assistant.diagnosis.checks.sessions import day
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject, worst
from assistant.knowledge.dashboard import dashboard_url

CID = "portal.products"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
CATALOGUE_SWITCHING_OFF = "catalogue.switching_off"
CATALOGUE_SWITCHING_OFF_DEEP_LINKED = "catalogue.switching_off_deep_linked"
CATALOGUE_SWITCHING_OFF_DEEP_LINKED_ELSEWHERE = "catalogue.switching_off_deep_linked_elsewhere"
CATALOGUE_NO_PRODUCTS = "catalogue.no_products"
CATALOGUE_TOO_MANY = "catalogue.too_many"
CATALOGUE_NO_ALLOWED_UPDATES = "catalogue.no_allowed_updates"
CATALOGUE_UNUSABLE = "catalogue.unusable"
CATALOGUE_USABLE = "catalogue.usable"
PRODUCT_MISSING = "product.missing"
PRODUCT_ARCHIVED = "product.archived"
PRODUCT_ARCHIVED_PRICES_ACTIVE = "product.archived_prices_active"
PRICE_MISSING = "price.missing"
PRICE_ARCHIVED = "price.archived"
PRICE_ONE_TIME = "price.one_time"
CATALOGUE_PRODUCT_OFFERED = "catalogue.product_offered"
CATALOGUE_PRICE_OFFERED = "catalogue.price_offered"
CATALOGUE_PROMOTION_CODE_ONLY = "catalogue.promotion_code_only"
CATALOGUE_ATTENTION = "catalogue.attention"
PRICE_TAX_UNSPECIFIED = "price.tax_unspecified"
CATALOGUE_SAME_INTERVAL = "catalogue.same_interval"
CATALOGUE_NOT_OFFERED = "catalogue.not_offered"
CATALOGUE_NOT_OFFERED_PARTIAL = "catalogue.not_offered_partial"

MAX_PRODUCTS = 10
_FIELD = "features.subscription_update.products"
# What makes an entry of the plan list unusable, for a product and for a price: the products page
# marks these rows, and the fix planner takes exactly these off the list.
PRODUCT_PROBLEMS = (PRODUCT_MISSING, PRODUCT_ARCHIVED, PRODUCT_ARCHIVED_PRICES_ACTIVE)
PRICE_PROBLEMS = (PRICE_MISSING, PRICE_ARCHIVED, PRICE_ONE_TIME)
# Problems about the list as a whole head the result themselves; object problems are summed up.
_LIST_CODES = (CATALOGUE_NO_PRODUCTS, CATALOGUE_TOO_MANY, CATALOGUE_NO_ALLOWED_UPDATES,
               CATALOGUE_PROMOTION_CODE_ONLY)
# What customers may change on a subscription; promotion codes alone change no plan or quantity.
_PLAN_UPDATES = frozenset({"price", "quantity"})

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
        return _switching_off(snap, config)

    entries = [e for e in (update.get("products") or []) if isinstance(e, dict)]
    problems = _list_problems(entries, update, config)
    listing: list[Finding] = []
    products: dict[str, StripeDict] = {}
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
        listing += _not_offered(entries, products, prices, snap.catalogue_complete, mode, config)
    return _result(mode, config, entries, products, problems, listing)


def _switching_off(snap: Snapshot, config: Subject) -> CheckResult:
    """Plan switching is off: nothing to check, unless the owner's site deep-links customers into
    plan changes, which is a warning, never a skip: with this configuration Stripe refuses them;
    with another one, their plan list is not this check's to judge (integration.sessions does)."""
    linked = plan_change_uses(snap, config.id)
    elsewhere = [u for u in plan_change_uses(snap) if u.configuration != config.id]
    if linked:
        flows = tuple(dict.fromkeys(msg.label("deep_link_flows", u.flow) for u in linked))
        return msg.render(CID, snap.mode, [
            Finding(CATALOGUE_SWITCHING_OFF_DEEP_LINKED, Status.WARN, subject=config,
                    field="features.subscription_update.enabled", seen=False, expected=True,
                    facts={"count": len(linked), "latest": day(max(u.created for u in linked)),
                           "flows_said": flows}),
        ])
    if elsewhere:
        return msg.render(CID, snap.mode, [
            Finding(CATALOGUE_SWITCHING_OFF_DEEP_LINKED_ELSEWHERE, Status.WARN, subject=config,
                    field="features.subscription_update.enabled", seen=False,
                    facts={"count": len(elsewhere), "configurations": tuple(dict.fromkeys(
                        u.configuration for u in elsewhere))}),
        ])
    return msg.render(CID, snap.mode, [
        Finding(CATALOGUE_SWITCHING_OFF, Status.SKIP, subject=config,
                field="features.subscription_update.enabled", seen=False),
    ])


def _list_problems(entries: list[StripeDict], update: StripeDict, config: Subject) -> list[Finding]:
    """What is wrong with the plan-switching list as a whole, before any of its objects."""
    problems: list[Finding] = []
    if not entries:
        problems.append(Finding(CATALOGUE_NO_PRODUCTS, Status.FAIL, subject=config, field=_FIELD,
                                seen=0))
    if len(entries) > MAX_PRODUCTS:
        problems.append(Finding(CATALOGUE_TOO_MANY, Status.FAIL, subject=config, field=_FIELD,
                                seen=len(entries), expected=MAX_PRODUCTS, facts={"count": len(entries)}))
    allowed = tuple(str(u) for u in update.get("default_allowed_updates") or [])
    if not allowed:
        problems.append(Finding(CATALOGUE_NO_ALLOWED_UPDATES, Status.FAIL, subject=config,
                                field="features.subscription_update.default_allowed_updates",
                                seen=(), expected=("price",)))
    elif not _PLAN_UPDATES & set(allowed):
        problems.append(Finding(CATALOGUE_PROMOTION_CODE_ONLY, Status.FAIL, subject=config,
                                field="features.subscription_update.default_allowed_updates",
                                seen=allowed, expected=("price", *allowed),
                                facts={"allowed": allowed}))
    return problems


def _result(mode: str | None, config: Subject, entries: list[StripeDict], products: dict[str, StripeDict],
            problems: list[Finding], listing: list[Finding]) -> CheckResult:
    """The headline: the first list problem, else a sum of the objects' problems, else usable."""
    fails = [p for p in problems if p.status is Status.FAIL]
    warns = [p for p in problems if p.status is Status.WARN]
    if not problems:
        names = tuple(describe_product(products[object_id(e.get("product"))]) for e in entries)
        price_count = sum(len(e.get("prices") or []) for e in entries)
        offer = f"{counted(price_count, 'price')} of {counted(len(entries), 'product')}"
        return msg.render(CID, mode, [
            Finding(CATALOGUE_USABLE, Status.PASS, subject=config,
                    facts={"products": names, "price_count": price_count,
                           "product_count": len(entries), "offer_said": offer}),
            *listing,
        ])
    if fails and fails[0].code in _LIST_CODES:
        headline, evidence = fails[0], [p for p in problems if p is not fails[0]]
    else:
        offenders = tuple(dict.fromkeys(p.text("offender") for p in fails or warns if p.text("offender")))
        code, status = (CATALOGUE_UNUSABLE, Status.FAIL) if fails else (CATALOGUE_ATTENTION, Status.WARN)
        headline = Finding(code, status, subject=config, field=_FIELD,
                           facts={"offenders": offenders, "count": len(entries)})
        evidence = problems
    return msg.render(CID, mode, [headline, *evidence, *listing])


@dataclass(frozen=True)
class _Offered:
    """One product of the plan-switching list, as its prices' findings refer to it."""

    product_id: str
    product: StripeDict | None
    ref: Subject
    label: str
    config: Subject
    mode: str | None

    @property
    def said(self) -> str:
        return said_product(self.product, self.product_id)


def _entry_findings(
    entry: StripeDict, products: dict[str, StripeDict], prices: dict[str, StripeDict],
    mode: str | None, config: Subject,
) -> tuple[list[Finding], list[Finding]]:
    """(problems, offered) for one entry of the plan-switching list."""
    product_id = object_id(entry.get("product"))
    price_ids = [object_id(p) for p in entry.get("prices") or []]
    offer, found, offered = _product_findings(product_id, products.get(product_id), price_ids, prices,
                                              mode, config)
    for price_id in price_ids:
        price = prices.get(price_id)
        if price is None:
            found.append(Finding(
                PRICE_MISSING, Status.FAIL, subject=Subject("price", price_id),
                related=(offer.ref, config),
                facts={"price": price_id, "product": offer.label, "object_id": price_id,
                       "offender": price_id, "product_said": offer.said},
            ))
            continue
        price_found, price_offered = _price_findings(price_id, price, offer)
        found += price_found
        offered.append(price_offered)
    found += _same_interval(offer.ref, offer.label, offer.said,
                            [prices[p] for p in price_ids if p in prices], config)
    return found, offered


def _product_findings(
    product_id: str, product: StripeDict | None, price_ids: list[str], prices: dict[str, StripeDict],
    mode: str | None, config: Subject,
) -> tuple[_Offered, list[Finding], list[Finding]]:
    """The product of one entry: how its prices refer to it, its problems, and its listing."""
    if product is None:
        missing = Finding(
            PRODUCT_MISSING, Status.FAIL, subject=Subject("product", product_id), related=(config,),
            facts={"product": product_id, "object_id": product_id, "offender": product_id,
                   "prices": tuple(price_ids), "product_said": product_id},
        )
        return _Offered(product_id, None, Subject("product", product_id), product_id, config, mode), [missing], []
    offer = _Offered(product_id, product, Subject("product", product_id, str(product.get("name") or "")),
                     describe_product(product), config, mode)
    listed = Finding(
        CATALOGUE_PRODUCT_OFFERED, subject=offer.ref, related=(config,),
        facts={"product": offer.label, "state": _state(product), "active": _active(product),
               "prices": tuple(price_ids)},
    )
    if product.get("active") is not False:
        return offer, [], [listed]
    any_active = any((prices.get(p) or {}).get("active") for p in price_ids)
    archived = Finding(
        PRODUCT_ARCHIVED_PRICES_ACTIVE if any_active else PRODUCT_ARCHIVED,
        Status.FAIL, subject=offer.ref, related=(config,), field="active",
        seen=False, expected=True,
        facts={"product": offer.label, "offender": offer.label,
               "product_said": said_product(product),
               "url": dashboard_url(mode, "products", product_id)},
    )
    return offer, [archived], [listed]


def _price_findings(price_id: str, price: StripeDict, offer: _Offered) -> tuple[list[Finding], Finding]:
    """The problems of one offered price, and its listing."""
    price_ref = Subject("price", price_id, str(price.get("nickname") or ""))
    price_label = describe_price(price)
    related = (offer.ref, offer.config)
    facts = {"price": price_label, "product": offer.label, "offender": _named_price(price),
             "price_said": said_price(price, offer.product, offer.product_id), "amount_said": said_amount(price)}
    listed = Finding(
        CATALOGUE_PRICE_OFFERED, subject=price_ref, related=related,
        facts={
            "price": price_label, "state": _state(price), "active": _active(price),
            "product": offer.label, "nickname": price.get("nickname") or "",
            "amount": price_amount(price), "unit_amount": _unit_amount(price),
            "currency": str(price.get("currency") or ""), "interval": interval(price),
            "recurring": is_recurring(price),
        },
    )
    found: list[Finding] = []
    if price.get("active") is False:
        found.append(Finding(
            PRICE_ARCHIVED, Status.FAIL, subject=price_ref, related=related,
            field="active", seen=False, expected=True,
            facts={**facts, "url": dashboard_url(offer.mode, "prices", price_id)},
        ))
    if not is_recurring(price):
        found.append(Finding(
            PRICE_ONE_TIME, Status.FAIL, subject=price_ref, related=related,
            field="type", seen=str(price.get("type") or "one_time"), expected="recurring",
            facts=facts,
        ))
    elif str(price.get("tax_behavior") or "unspecified") == "unspecified":
        found.append(Finding(
            PRICE_TAX_UNSPECIFIED, Status.WARN, subject=price_ref, related=related,
            field="tax_behavior", seen="unspecified", expected=None,
            facts={**facts, "url": dashboard_url(offer.mode, "prices", price_id)},
        ))
    return found, listed


def _same_interval(product_ref: Subject, product_label: str, product_said: str,
                   offered: list[StripeDict], config: Subject) -> list[Finding]:
    """The portal offers one price per billing interval of a product. A billing interval is read
    as unit and count (monthly and quarterly differ) and prices in different currencies are not
    compared: see docs/sources.md for why the rule is read this narrowly."""
    groups: dict[tuple[str, str], list[StripeDict]] = {}
    for price in offered:
        if (price.get("recurring") or {}).get("interval"):
            key = (_billed(price), str(price.get("currency") or ""))
            groups.setdefault(key, []).append(price)
    found = []
    for (unit, currency), group in groups.items():
        if len(group) < 2:
            continue
        ids = tuple(str(p.get("id")) for p in group)
        found.append(Finding(
            CATALOGUE_SAME_INTERVAL, Status.WARN, subject=product_ref,
            related=(*(Subject("price", i) for i in ids), config), field=_FIELD,
            seen=ids, facts={"product": product_label, "interval": unit, "currency": currency.upper(),
                             "prices": tuple(_named_price(p) for p in group), "price_ids": ids,
                             "offender": product_label, "product_said": product_said,
                             "prices_said": tuple(_said_nickname(p) for p in group)},
        ))
    return found


def _billed(price: StripeDict) -> str:
    """"per month", "every 3 months": how often a recurring price bills."""
    text = interval(price)
    return text if text.startswith("every ") else f"per {text}"


def _not_offered(
    entries: list[StripeDict], products: dict[str, StripeDict], prices: dict[str, StripeDict],
    complete: bool, mode: str | None, config: Subject,
) -> list[Finding]:
    """Active recurring prices of active products that the portal does not offer (information)."""
    offered = {object_id(p) for e in entries for p in e.get("prices") or []}
    left_out = [
        p for p in prices.values()
        if p.get("active") and is_recurring(p) and p.get("id") not in offered
        and (products.get(object_id(p.get("product"))) or {}).get("active", False)
    ]
    if not left_out:
        return []
    labels = tuple(f"{describe_price(p)} of {describe_product(products[object_id(p.get('product'))])}"
                   for p in sorted(left_out, key=lambda p: str(p.get("id"))))
    return [Finding(
        CATALOGUE_NOT_OFFERED if complete else CATALOGUE_NOT_OFFERED_PARTIAL, subject=config,
        field=_FIELD, related=tuple(Subject("price", str(p.get("id"))) for p in left_out),
        facts={"prices": labels, "count": len(labels), "price_ids": tuple(str(p.get("id")) for p in left_out),
               "url": dashboard_url(mode, "portal")},
    )]


def _unit_amount(price: StripeDict) -> int | None:
    amount = price.get("unit_amount")
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else None


def _named_price(price: StripeDict) -> str:
    """Id and nickname only: short enough for the sentence an agent reads out."""
    name = price.get("nickname")
    return f'{price.get("id")} "{name}"' if name else str(price.get("id"))


def _said_nickname(price: StripeDict) -> str:
    """`"Pro Monthly" (29.00 USD / month)`: a price among its product's, in the owner's words."""
    name = price.get("nickname")
    return f'"{name}" ({said_amount(price)})' if name else said_amount(price)


def _active(obj: StripeDict) -> bool:
    return bool(obj.get("active", True))


def _state(obj: StripeDict) -> str:
    return msg.label("states", "active" if _active(obj) else "archived")


# -- what the products page shows: one row per offered price, worded from the findings --------



@dataclass(frozen=True)
class CatalogueRow:
    """One offered price (or a product offered without prices) with what is wrong with it."""

    status: Status  # PASS, or the worst status of its problems
    problems: tuple[str, ...]  # short labels of its problems, from checks.json
    product_id: str
    product_name: str
    product_state: str  # "active", "archived" or "not found"
    price_id: str  # "" for a product listed without prices
    nickname: str
    amount: str
    unit_amount: int | None
    interval: str
    recurring: bool | None  # None when the price was not found
    price_state: str


def catalogue_rows(result: CheckResult) -> list[CatalogueRow]:
    """The plan-switching list as the check read it, in the portal's order (empty when the
    check did not get that far: switching off, a skip, an error)."""
    rows: list[CatalogueRow] = []
    for product in result.with_code(CATALOGUE_PRODUCT_OFFERED, PRODUCT_MISSING):
        assert product.subject is not None
        pid = product.subject.id
        product_problems = [f for f in result.with_code(*PRODUCT_PROBLEMS) if f.concerns(pid)]
        product_state = (msg.label("states", "not_found") if product.code == PRODUCT_MISSING
                         else product.text("state"))
        for price_id in product.texts("prices") or ("",):
            price = next((f for f in result.with_code(CATALOGUE_PRICE_OFFERED, PRICE_MISSING)
                          if price_id and f.subject is not None and f.subject.id == price_id
                          and f.concerns(pid)), None)
            problems = product_problems + [
                f for f in result.with_code(*PRICE_PROBLEMS)
                if price_id and f.subject is not None and f.subject.id == price_id and f.concerns(pid)
            ]
            found = price is not None and price.code == CATALOGUE_PRICE_OFFERED
            labels = tuple(msg.finding_label(CID, f) or f.code for f in problems)
            rows.append(CatalogueRow(
                status=worst(f.status for f in problems) or Status.PASS,
                problems=tuple(dict.fromkeys(labels)),
                product_id=pid,
                product_name=product.subject.name,
                product_state=product_state,
                price_id=str(price_id),
                nickname=price.text("nickname") if found and price else "",
                amount=price.text("amount") if found and price else "",
                unit_amount=_int(price.fact("unit_amount")) if found and price else None,
                interval=price.text("interval") if found and price else "",
                recurring=bool(price.fact("recurring")) if found and price else None,
                price_state=(price.text("state") if found and price
                             else msg.label("states", "not_found") if price_id else ""),
            ))
    return rows


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
