"""What a subscription's own fields say beyond its status, for customer.subscriptions.

Stripe changed what a subscription holds in 2024-2026: a pause now says why it happened
(`status_details`), payment collection can be paused while the status stays `active`
(`pause_collection`), a cancellation at period end shows as an end date on subscriptions in
flexible billing mode (`cancel_at`, with `cancel_at_period_end` false), a subscription may
charge a payment method of its own before the customer's default, and the portal itself
schedules downgrades for the period end. These are pure readers of the JSON the collection
already holds (the customer with subscriptions, schedules and payment methods expanded, and
the catalogue): no request is made for them. `subscriptions.py` turns what they find into
findings; the words live in `resources/checks.json`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assistant.account.snapshot import StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.facts import object_id, said_amount, said_product
from assistant.diagnosis.findings import Fact
from assistant.knowledge import payment_methods

# `status_details.paused.subscription.type` (stripe-python 16.1, `_subscription.py`).
PAUSE_CAUSES = (
    "pause_requested",
    "first_payment_failure",
    "final_payment_failure",
    "trial_end_without_payment_method",
    "system",
)
# `features.subscription_update.schedule_at_period_end.conditions[].type`.
DOWNGRADE_CONDITIONS = ("decreasing_item_amount", "shortening_interval")
_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}  # only to order intervals


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _paused(sub: StripeObject) -> Mapping[str, Any]:
    return ((sub.get("status_details") or {}).get("paused")) or {}


def pause_cause(sub: StripeObject) -> str:
    """Why Stripe says the subscription is paused; "" when its answer says nothing."""
    return str((_paused(sub).get("subscription") or {}).get("type") or "")


def paused_since(sub: StripeObject) -> int | None:
    return _int(_paused(sub).get("transitioned_at"))


def scheduled_resume(sub: StripeObject, now: float | None) -> int | None:
    """When an expanded schedule's pause schedule resumes the subscription (the next date ahead)."""
    schedule = sub.get("schedule")
    if not isinstance(schedule, dict):
        return None
    dates = [_int((entry.get("resume") or {}).get("resume_at")) for entry in schedule.get("pause_schedules") or []
             if isinstance(entry, dict)]
    ahead = sorted(d for d in dates if d is not None and (now is None or d > now))
    return ahead[0] if ahead else None


@dataclass(frozen=True)
class PortalPause:
    """The default configuration's pause feature: on or off, and the lengths it offers."""

    enabled: bool
    indefinite: bool
    lengths: tuple[str, ...]  # "1 month", "3 months"


def portal_pause(conf: StripeObject | None) -> PortalPause:
    feature = ((conf or {}).get("features") or {}).get("subscription_pause") or {}
    duration = feature.get("duration") or {}
    lengths = tuple(
        _length(option) for option in duration.get("interval_options") or [] if isinstance(option, dict)
    )
    return PortalPause(bool(feature.get("enabled")), duration.get("type") != "interval_options", lengths)


def _length(option: Mapping[str, Any]) -> str:
    count = _int(option.get("interval_count")) or 1
    unit = str(option.get("interval") or "month")
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


@dataclass(frozen=True)
class CollectionPause:
    behavior: str  # void, keep_as_draft, mark_uncollectible
    resumes_at: int | None


def collection_pause(sub: StripeObject) -> CollectionPause | None:
    """`pause_collection`: payment collection stopped while the status stays what it was."""
    paused = sub.get("pause_collection")
    if not isinstance(paused, dict):
        return None
    return CollectionPause(str(paused.get("behavior") or ""), _int(paused.get("resumes_at")))


def billing_mode(sub: StripeObject) -> str:
    return str((sub.get("billing_mode") or {}).get("type") or "classic")


def period_ends(sub: StripeObject) -> set[int]:
    """The ends of the current billing period: on the items since the basil release (2025-03), on the
    subscription itself before."""
    ends = {_int(item.get("current_period_end")) for item in _items(sub)}
    ends.add(_int(sub.get("current_period_end")))
    return {e for e in ends if e is not None}


@dataclass(frozen=True)
class PendingEnd:
    ends_at: int | None
    how: str  # period_end_flag, period_end_date, date
    feedback: str  # the customer's reason when they cancelled themselves ("" otherwise)


def pending_end(sub: StripeObject) -> PendingEnd | None:
    """A cancellation that has not happened yet, and which field carries it."""
    cancel_at = _int(sub.get("cancel_at"))
    feedback = str((sub.get("cancellation_details") or {}).get("feedback") or "")
    if sub.get("cancel_at_period_end"):
        ends = cancel_at or min(period_ends(sub), default=None)
        return PendingEnd(ends, "period_end_flag", feedback)
    if cancel_at is None:
        return None
    at_period_end = billing_mode(sub) == "flexible" and cancel_at in period_ends(sub)
    return PendingEnd(cancel_at, "period_end_date" if at_period_end else "date", feedback)


def own_payment_method(sub: StripeObject, customer: StripeObject) -> tuple[Any, Any] | None:
    """(the subscription's own payment method, the customer's default) when both are set and
    differ: Stripe charges the subscription's own first."""
    own = sub.get("default_payment_method")
    default = (customer.get("invoice_settings") or {}).get("default_payment_method")
    if not own or not default or object_id(own) == object_id(default):
        return None
    return own, default


@dataclass(frozen=True)
class ScheduledChange:
    schedule_id: str
    starts: int
    current: tuple[StripeObject, ...]  # the prices charged now
    coming: tuple[StripeObject, ...]  # the prices of the next phase
    kinds: frozenset[str]  # which DOWNGRADE_CONDITIONS the change meets


def scheduled_change(
    sub: StripeObject, prices: Mapping[str, StripeObject], now: float | None
) -> ScheduledChange | None:
    """The next phase of an expanded schedule that is still ahead, compared with today's plan;
    None without one, or when a price of that phase is not in the catalogue read."""
    schedule = sub.get("schedule")
    if not isinstance(schedule, dict) or now is None:
        return None
    if schedule.get("status") in ("released", "canceled", "completed"):
        return None
    ahead = sorted((p for p in schedule.get("phases") or [] if isinstance(p, dict)
                    and (_int(p.get("start_date")) or 0) > now), key=lambda p: p["start_date"])
    if not ahead:
        return None
    phase_items = [item for item in ahead[0].get("items") or [] if isinstance(item, dict)]
    coming = [(_phase_price(item, prices), _quantity(item)) for item in phase_items]
    current = [(_item_price(item), _quantity(item)) for item in _items(sub)]
    known = [(price, qty) for price, qty in coming if price is not None]
    if not known or len(known) < len(coming):
        return None
    return ScheduledChange(object_id(schedule), int(ahead[0]["start_date"]), tuple(p for p, _ in current),
                           tuple(p for p, _ in known), _kinds(current, known))


def _quantity(item: StripeObject) -> int:
    return _int(item.get("quantity")) or 1


def _kinds(current: list[tuple[StripeObject, int]], coming: list[tuple[StripeObject, int]]) -> frozenset[str]:
    kinds: set[str] = set()
    if {str(p.get("currency")) for p, _ in current} == {str(p.get("currency")) for p, _ in coming}:
        now_total, then_total = _total(current), _total(coming)
        if now_total is not None and then_total is not None and then_total < now_total:
            kinds.add("decreasing_item_amount")
    now_days, then_days = _longest(p for p, _ in current), _longest(p for p, _ in coming)
    if now_days and then_days and then_days < now_days:
        kinds.add("shortening_interval")
    return frozenset(kinds)


def _interval_days(price: StripeObject) -> int | None:
    recurring = price.get("recurring") or {}
    unit = _DAYS.get(str(recurring.get("interval") or ""))
    return None if unit is None else unit * (_int(recurring.get("interval_count")) or 1)


def _total(items: Iterable[tuple[StripeObject, int]]) -> int | None:
    """What the items' amounts add up to per billing period, as Stripe's condition reads them
    (the item amount, not a price per day: a move from monthly to yearly is no decrease)."""
    total = 0
    for price, quantity in items:
        amount = _int(price.get("unit_amount"))
        if amount is None:
            return None
        total += amount * quantity
    return total


def _longest(prices: Iterable[StripeObject]) -> int | None:
    days = [_interval_days(p) for p in prices]
    return max((d for d in days if d is not None), default=None)


def portal_downgrade_conditions(conf: StripeObject | None) -> frozenset[str]:
    """The changes the default configuration schedules for the period end instead of making at once."""
    update = ((conf or {}).get("features") or {}).get("subscription_update") or {}
    conditions = (update.get("schedule_at_period_end") or {}).get("conditions") or []
    return frozenset(str(c.get("type")) for c in conditions if isinstance(c, dict) and c.get("type"))


def made_by_portal(change: ScheduledChange, sub: StripeObject, conf: StripeObject | None) -> frozenset[str]:
    """The conditions of the portal's downgrade setting this change meets; empty when the
    portal cannot have made it (setting off, another kind of change, a date other than the
    period end, or a price the portal does not offer)."""
    update = ((conf or {}).get("features") or {}).get("subscription_update") or {}
    matched = change.kinds & portal_downgrade_conditions(conf)
    offered = {object_id(p) for entry in update.get("products") or [] if isinstance(entry, dict)
               for p in entry.get("prices") or []}
    ends = period_ends(sub)
    if not update.get("enabled") or (ends and change.starts not in ends):
        return frozenset()
    if offered and any(object_id(p) not in offered for p in change.coming):
        return frozenset()
    return matched


def _items(sub: StripeObject) -> list[StripeObject]:
    return [i for i in ((sub.get("items") or {}).get("data") or []) if isinstance(i, dict)]


def _item_price(item: StripeObject) -> StripeObject:
    price = item.get("price") or item.get("plan") or {}
    return price if isinstance(price, dict) else {"id": object_id(price)}


def _phase_price(item: StripeObject, prices: Mapping[str, StripeObject]) -> StripeObject | None:
    price = item.get("price")
    return price if isinstance(price, dict) else prices.get(object_id(price))


# -- the facts the wording is filled with (words from `labels` in resources/checks.json) -------


def when(ts: int | float | None) -> str:
    """A date as the agent reads it ("—" when there is none)."""
    if ts is None:
        return "—"
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d")


def pause_facts(sub: StripeObject, conf: StripeObject | None, now: float | None) -> dict[str, Fact]:
    """Since when and why a subscription is paused, what the portal's pause setting allows and
    whether a resume date is set."""
    portal = portal_pause(conf)
    key = "off" if not portal.enabled else "indefinite" if portal.indefinite or not portal.lengths else "lengths"
    resume = scheduled_resume(sub, now)
    return {
        "pause_cause": pause_cause(sub) or "—",
        "paused_on": when(paused_since(sub)),
        "portal_pause": msg.fill(msg.label("portal_pause", key), {"lengths": ", ".join(portal.lengths)}),
        "resumes_on": when(resume),
        "resume_said": msg.fill(msg.label("pause_resume", "scheduled" if resume else "none"),
                                {"resumes_on": when(resume)}),
    }


def collection_facts(paused: CollectionPause) -> dict[str, Fact]:
    resumes = when(paused.resumes_at)
    return {
        "behavior": paused.behavior or "—",
        "behavior_said": msg.label("pause_collection_behavior", paused.behavior),
        "resumes_on": resumes,
        "until_said": msg.fill(msg.label("collection_resumes", "date" if paused.resumes_at else "none"),
                               {"resumes_on": resumes}),
    }


def ending_facts(end: PendingEnd, sub: StripeObject) -> dict[str, Fact]:
    feedback = msg.catalogue()["labels"]["cancellation_feedback"]
    said = feedback.get(end.feedback) or (msg.fill(feedback["unknown"], {"feedback": end.feedback})
                                          if end.feedback else "")
    return {
        "ends_on": when(end.ends_at), "how": end.how, "billing_mode": billing_mode(sub),
        "how_said": msg.label("cancellation_set", end.how), "feedback": end.feedback or "—",
        "feedback_said": said,
    }


def payment_method_said(pm: Any) -> str:
    """"Visa ending 4242", "SEPA Direct Debit ending 3000": the type and last four digits, the
    way the owner finds it in the Dashboard, never more of the number; the id when not expanded."""
    if not isinstance(pm, dict):
        return object_id(pm)
    pm_type = str(pm.get("type") or "")
    found = pm.get(pm_type)
    details: Mapping[str, Any] = found if isinstance(found, dict) else {}
    if pm_type == "card":
        brand = str(details.get("display_brand") or details.get("brand") or "card")
        name = msg.label("card_brands", brand)
    else:
        name = payment_methods.type_name(pm_type) or object_id(pm)
    last4 = str(details.get("last4") or "")
    return msg.fill(msg.label("payment_method_said", "last4"), {"name": name, "last4": last4}) if last4 else name


def payment_method_facts(own: Any, default: Any) -> dict[str, Fact]:
    return {
        "payment_method_id": object_id(own), "own_said": payment_method_said(own),
        "default_id": object_id(default), "default_said": payment_method_said(default),
    }


def said_plans(prices: Iterable[StripeObject], products: Mapping[str, StripeObject]) -> str:
    """Plans as the owner knows them, no ids: `"Pro" (29.00 USD / month)`, joined by "and"."""
    plans = []
    for price in prices:
        product_id = object_id(price.get("product"))
        product = products.get(product_id) or (price["product"] if isinstance(price.get("product"), dict) else None)
        if product is None and price.get("nickname"):
            name = f'"{price["nickname"]}"'
        else:
            name = said_product(product, product_id)
        amount = said_amount(price) if price.get("unit_amount") is not None or price.get("currency") else ""
        plans.append(f"{name} ({amount})" if amount else name)
    return " and ".join(plans)


def downgrade_facts(
    change: ScheduledChange, matched: frozenset[str], products: Mapping[str, StripeObject]
) -> dict[str, Fact]:
    return {
        "schedule_id": change.schedule_id, "change_on": when(change.starts),
        "from_said": said_plans(change.current, products), "to_said": said_plans(change.coming, products),
        "conditions": tuple(sorted(matched)),
        "change_said": " and ".join(msg.label("scheduled_change", kind) for kind in DOWNGRADE_CONDITIONS
                                    if kind in matched),
    }
