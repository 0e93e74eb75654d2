"""Stripe's checks of a portal deep link (`flow_data`) when a session is created, as the practice
server makes them.

Stripe validates a flow against the configuration and the subscription at the moment the
session is created, and answers a flow it will not open with a 400 and one sentence. The rules
and Stripe's words for each are data, `resources/practice/flow_rules.json`, each with its source
(a message no public source quotes whole is marked `"wording": "approximated"`); this module only
tests each rule's condition (`when`). The first rule that holds answers, as Stripe answers with
one error. The request's shape (types, required fields, enums) was checked before, against
Stripe's spec (`validate.check_request`).
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from assistant.practice.store import Store, StripeError
from assistant.resources import read_text

Json = dict[str, Any]
# The feature of the configuration each flow opens (Stripe's portal-deep-links page).
FLOW_FEATURE = {
    "payment_method_update": "payment_method_update",
    "subscription_cancel": "subscription_cancel",
    "subscription_update": "subscription_update",
    "subscription_update_confirm": "subscription_update",
}
ENDED = frozenset({"canceled", "incomplete_expired"})
_SCHEDULE_DONE = frozenset({"released", "canceled", "completed"})


@functools.cache
def flow_rules() -> tuple[Mapping[str, Any], ...]:
    """The rules in the order Stripe is taken to apply them."""
    rules: list[Mapping[str, Any]] = json.loads(read_text("practice", "flow_rules.json"))["rules"]
    return tuple(rules)


@dataclass(frozen=True)
class FlowCase:
    """One session's flow, with what the rules look at."""

    flow: str
    detail: Json  # flow_data[<flow>]
    configuration: Json
    customer: str
    subscription: Json | None  # None: not found, or the flow names none
    subscription_id: str
    schedule: Json | None
    now: float

    def items(self) -> list[Json]:
        data = ((self.subscription or {}).get("items") or {}).get("data") or []
        return [i for i in data if isinstance(i, dict)]

    def asked_items(self) -> list[Json]:
        items = self.detail.get("items")
        return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _price_id(item: Json) -> str:
    price = item.get("price")
    return str(price.get("id") if isinstance(price, dict) else price or "")


def _subscription_missing(case: FlowCase) -> bool:
    return bool(case.subscription_id) and case.subscription is None


def _other_customer(case: FlowCase) -> bool:
    sub = case.subscription or {}
    return case.customer not in (sub.get("customer"), sub.get("customer_account"))


def _ended(case: FlowCase) -> bool:
    return (case.subscription or {}).get("status") in ENDED


def _feature_off(case: FlowCase) -> bool:
    feature = FLOW_FEATURE.get(case.flow, "")
    return not ((case.configuration.get("features") or {}).get(feature) or {}).get("enabled")


def _schedule_ahead(case: FlowCase) -> bool:
    schedule = case.schedule
    if schedule is None or schedule.get("status") in _SCHEDULE_DONE:
        return False
    return any((p.get("start_date") or 0) > case.now for p in schedule.get("phases") or [])


def _several_items(case: FlowCase) -> bool:
    return len(case.items()) > 1


def _cancel_only(case: FlowCase) -> bool:
    """Several products, a usage-based price, or paid by invoice: the portal only cancels these."""
    prices: list[Json] = [p if isinstance(p := i.get("price"), dict) else {} for i in case.items()]
    products = {str(p.get("product") or "") for p in prices} - {""}
    metered = any((p.get("recurring") or {}).get("usage_type") == "metered" for p in prices)
    return len(products) > 1 or metered or (case.subscription or {}).get("collection_method") == "send_invoice"


def _not_one_item(case: FlowCase) -> bool:
    return len(case.asked_items()) != 1


def _item_unknown(case: FlowCase) -> bool:
    asked = case.asked_items()[0]
    return not any(i.get("id") == asked.get("id") for i in case.items())


def _plan_list(configuration: Json) -> set[str]:
    update = (configuration.get("features") or {}).get("subscription_update") or {}
    return {str(p) for entry in update.get("products") or [] if isinstance(entry, dict)
            for p in entry.get("prices") or []}


def _price_not_offered(case: FlowCase) -> bool:
    price = case.asked_items()[0].get("price")
    return price is not None and str(price) not in _plan_list(case.configuration)


def _no_change(case: FlowCase) -> bool:
    asked = case.asked_items()[0]
    item = next((i for i in case.items() if i.get("id") == asked.get("id")), {})
    same_price = asked.get("price") in (None, _price_id(item))
    quantity = asked.get("quantity")
    return same_price and (quantity is None or int(quantity) == int(item.get("quantity") or 1))


def _already_cancelling(case: FlowCase) -> bool:
    return bool((case.subscription or {}).get("cancel_at_period_end"))


CONDITIONS: dict[str, Callable[[FlowCase], bool]] = {
    "subscription_missing": _subscription_missing,
    "other_customer": _other_customer,
    "subscription_ended": _ended,
    "feature_off": _feature_off,
    "schedule_ahead": _schedule_ahead,
    "several_items": _several_items,
    "cancel_only": _cancel_only,
    "not_one_item": _not_one_item,
    "item_unknown": _item_unknown,
    "price_not_offered": _price_not_offered,
    "no_change": _no_change,
    "already_cancelling": _already_cancelling,
}
# Conditions that look at the subscription: never tested on a flow that names none, nor (past
# the first) on one that does not exist.
_ON_SUBSCRIPTION = frozenset(CONDITIONS) - {"feature_off", "subscription_missing"}


def flow_case(store: Store, mode: str, flow_data: Json, configuration: Json, customer: str) -> FlowCase:
    flow = str(flow_data.get("type") or "")
    detail = flow_data.get(flow)
    detail = detail if isinstance(detail, dict) else {}
    sub_id = str(detail.get("subscription") or "")
    sub = store.find(mode, "subscriptions", sub_id) if sub_id else None
    schedule_id = (sub or {}).get("schedule")
    schedule_id = schedule_id.get("id") if isinstance(schedule_id, dict) else schedule_id
    schedule = store.find(mode, "subscription_schedules", str(schedule_id)) if schedule_id else None
    return FlowCase(flow, detail, configuration, customer, sub, sub_id, schedule, time.time())


def refusal(rule: Mapping[str, Any], case: FlowCase) -> StripeError:
    asked = case.asked_items()
    values = {"subscription": case.subscription_id, "customer": case.customer, "flow": case.flow,
              "configuration": case.configuration.get("id") or "",
              "price": (asked[0].get("price") if asked else "") or "",
              "item": (asked[0].get("id") if asked else "") or "",
              "schedule": (case.schedule or {}).get("id") or ""}
    param = rule.get("param")
    return StripeError(400, str(rule["message"]).format(**values), code=rule.get("code"),
                       param=str(param).format(**values) if param else None)


def check_flow(store: Store, mode: str, flow_data: Json, configuration: Json, customer: str) -> None:
    """Refuse (StripeError) the flow as Stripe would; return when Stripe opens it."""
    case = flow_case(store, mode, flow_data, configuration, customer)
    for rule in flow_rules():
        when = str(rule["when"])
        if case.flow not in rule["flows"]:
            continue
        if when in _ON_SUBSCRIPTION and (not case.subscription_id or case.subscription is None):
            continue
        if CONDITIONS[when](case):
            raise refusal(rule, case)


def session_flow(flow_data: Json) -> Json:
    """The session's `flow` as Stripe shows it for the `flow_data` it opened (every flow type's
    key present, null unless it is the one asked for)."""
    flow = str(flow_data.get("type") or "")
    given = flow_data.get("after_completion")
    after: Json = given if isinstance(given, dict) else {}
    out: Json = {"type": flow, "after_completion": {
        "type": after.get("type") or "portal_homepage", "hosted_confirmation": after.get("hosted_confirmation"),
        "redirect": after.get("redirect")}}
    for kind in ("subscription_cancel", "subscription_update", "subscription_update_confirm"):
        detail = flow_data.get(kind) if kind == flow else None
        out[kind] = dict(detail) if isinstance(detail, dict) else None
    confirm = out["subscription_update_confirm"]
    if confirm is not None:
        confirm["items"] = [{"id": i.get("id"), "price": i.get("price"),
                             **({"quantity": int(i["quantity"])} if i.get("quantity") is not None else {})}
                            for i in confirm.get("items") or [] if isinstance(i, dict)]
        confirm.setdefault("discounts", None)
    if out["subscription_cancel"] is not None:
        out["subscription_cancel"].setdefault("retention", None)
    return out
