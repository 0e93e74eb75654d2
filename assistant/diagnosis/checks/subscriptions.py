"""customer.subscriptions: what the portal lets this customer do with each of their subscriptions.

Per subscription, in the order an agent would say it: its status (paused, and why: on request,
after failed payments, after a trial, by Stripe; past due, ...), whether payment collection is
paused, what Stripe's portal cannot do with it (cancel only, or nothing at all, and whether the
portal's own downgrade setting made the schedule that blocks it), when it ends if a cancellation
is pending and which field says so, whether it charges a payment method of its own instead of
the customer's default, and whether a plan change can actually happen (current plan in the
portal's list, tax behaviour the portal accepts). Everything comes from the customer read with
its subscriptions, schedules and payment methods expanded, and from the catalogue already read
for `portal.products` (`subscription_state.py` reads the fields Stripe added in 2024-2026).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks import subscription_state as state
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.customer import chosen_customer, customer_subject, skip_without_customer
from assistant.diagnosis.checks.facts import (
    describe_price,
    describe_product,
    object_id,
)
from assistant.diagnosis.checks.gates import configuration_gate, not_read
from assistant.diagnosis.checks.portal import configuration_subject
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject, worst
from assistant.knowledge import payment_methods
from assistant.knowledge.dashboard import dashboard_url

CID = "customer.subscriptions"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
SUBSCRIPTIONS_NO_CONFIGURATION = "subscriptions.no_configuration"
SUBSCRIPTIONS_NONE = "subscriptions.none"
SUBSCRIPTIONS_LIMITED = "subscriptions.limited"
SUBSCRIPTIONS_MANAGEABLE = "subscriptions.manageable"
SUBSCRIPTION_MANAGEABLE = "subscription.manageable"
SUBSCRIPTION_ON_SCHEDULE = "subscription.on_schedule"
SUBSCRIPTION_SEVERAL_PRODUCTS = "subscription.several_products"
SUBSCRIPTION_METERED = "subscription.metered"
SUBSCRIPTION_SEND_INVOICE = "subscription.send_invoice"
SUBSCRIPTIONS_ONLY_ENDED = "subscriptions.only_ended"
SUBSCRIPTIONS_ATTENTION = "subscriptions.attention"
SUBSCRIPTION_SEVERAL_ITEMS = "subscription.several_items"
SUBSCRIPTION_PAYMENT_METHOD_UNSUPPORTED = "subscription.payment_method_unsupported"
SUBSCRIPTION_TRIALING = "subscription.trialing"
SUBSCRIPTION_PAST_DUE = "subscription.past_due"
SUBSCRIPTION_UNPAID = "subscription.unpaid"
SUBSCRIPTION_INCOMPLETE = "subscription.incomplete"
SUBSCRIPTION_INCOMPLETE_EXPIRED = "subscription.incomplete_expired"
SUBSCRIPTION_PAUSED = "subscription.paused"
SUBSCRIPTION_CANCELED = "subscription.canceled"
SUBSCRIPTION_SCHEDULE_IDLE = "subscription.schedule_idle"
SUBSCRIPTION_PLAN_NOT_OFFERED = "subscription.plan_not_offered"
SUBSCRIPTION_TAX_UNSPECIFIED = "subscription.tax_unspecified"
SUBSCRIPTION_TAX_BEHAVIOR_DIFFERS = "subscription.tax_behavior_differs"
SUBSCRIPTION_PAUSED_ON_REQUEST = "subscription.paused_on_request"
SUBSCRIPTION_PAUSED_FIRST_PAYMENT_FAILED = "subscription.paused_first_payment_failed"
SUBSCRIPTION_PAUSED_RETRIES_FAILED = "subscription.paused_retries_failed"
SUBSCRIPTION_PAUSED_BY_STRIPE = "subscription.paused_by_stripe"
SUBSCRIPTION_PAUSED_UNEXPLAINED = "subscription.paused_unexplained"
SUBSCRIPTION_COLLECTION_PAUSED = "subscription.collection_paused"
SUBSCRIPTION_ENDING = "subscription.ending"
SUBSCRIPTION_ENDING_LOCKED = "subscription.ending_locked"
SUBSCRIPTION_OWN_PAYMENT_METHOD = "subscription.own_payment_method"
SUBSCRIPTION_PORTAL_DOWNGRADE = "subscription.portal_downgrade"
# Why a subscription is paused (`status_details.paused.subscription.type`) -> its finding code;
# each cause has its own words, and only the trial's speaks of a trial. A pause whose cause
# Stripe's answer does not give is SUBSCRIPTION_PAUSED_UNEXPLAINED.
PAUSE_CODES: dict[str, str] = {
    "trial_end_without_payment_method": SUBSCRIPTION_PAUSED,
    "pause_requested": SUBSCRIPTION_PAUSED_ON_REQUEST,
    "first_payment_failure": SUBSCRIPTION_PAUSED_FIRST_PAYMENT_FAILED,
    "final_payment_failure": SUBSCRIPTION_PAUSED_RETRIES_FAILED,
    "system": SUBSCRIPTION_PAUSED_BY_STRIPE,
}
PAUSED_CODES = (*PAUSE_CODES.values(), SUBSCRIPTION_PAUSED_UNEXPLAINED)
# Why the portal can only cancel (or cannot touch) a subscription: finding codes, in the order
# they are reported. Only a schedule blocks cancelling too.

LIMIT_CODES = (
    SUBSCRIPTION_ON_SCHEDULE,
    SUBSCRIPTION_SEVERAL_PRODUCTS,
    SUBSCRIPTION_SEVERAL_ITEMS,
    SUBSCRIPTION_METERED,
    SUBSCRIPTION_SEND_INVOICE,
    SUBSCRIPTION_PAYMENT_METHOD_UNSUPPORTED,
)
BLOCKS_CANCEL = frozenset({SUBSCRIPTION_ON_SCHEDULE})
# Status -> (finding code, status). `active` needs no word.
STATUS_CODES: dict[str, tuple[str, Status]] = {
    "trialing": (SUBSCRIPTION_TRIALING, Status.PASS),
    "past_due": (SUBSCRIPTION_PAST_DUE, Status.WARN),
    "unpaid": (SUBSCRIPTION_UNPAID, Status.WARN),
    "incomplete": (SUBSCRIPTION_INCOMPLETE, Status.WARN),
    "incomplete_expired": (SUBSCRIPTION_INCOMPLETE_EXPIRED, Status.WARN),
    "paused": (SUBSCRIPTION_PAUSED, Status.WARN),
    "canceled": (SUBSCRIPTION_CANCELED, Status.WARN),
}
# Nothing is left for the customer to manage in these.
ENDED = frozenset({"canceled", "incomplete_expired"})
_UPDATE = "features.subscription_update"


def when(ts: Any) -> str:
    if not isinstance(ts, (int, float)) or isinstance(ts, bool):
        return "—"
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d")


def _items(sub: StripeObject) -> list[StripeObject]:
    return [i for i in ((sub.get("items") or {}).get("data") or []) if isinstance(i, dict)]


def _price(item: StripeObject) -> StripeObject:
    price = item.get("price") or item.get("plan") or {}
    return price if isinstance(price, dict) else {"id": object_id(price)}


def schedule_blocks(sub: StripeObject, now: float | None) -> bool | None:
    """True when a schedule stops the portal; False for an expanded schedule with no change
    ahead (Stripe then lets the portal manage the subscription); None without a schedule."""
    schedule = sub.get("schedule")
    if not schedule:
        return None
    if not isinstance(schedule, dict):
        return True  # not expanded: assume the schedule still has something planned
    if schedule.get("status") in ("released", "canceled", "completed"):
        return False
    if now is None:
        return True
    return any((p.get("start_date") or 0) > now for p in schedule.get("phases") or [])


def default_payment_method(sub: StripeObject, customer: StripeObject) -> StripeObject | None:
    """The payment method charged for `sub`, when Stripe returned it expanded."""
    for candidate in (sub.get("default_payment_method"),
                      (customer.get("invoice_settings") or {}).get("default_payment_method")):
        if isinstance(candidate, dict):
            return candidate
        if candidate:
            return None  # named but not expanded: its type is unknown, say nothing
    return None


def subscription_limits(sub: StripeObject, customer: StripeObject | None = None,
                        now: float | None = None) -> list[str]:
    """Why the portal can only cancel, or cannot touch, this subscription (LIMIT_CODES order)."""
    reasons: list[str] = []
    if schedule_blocks(sub, now):
        reasons.append(SUBSCRIPTION_ON_SCHEDULE)
    items = _items(sub)
    prices = [_price(i) for i in items]
    product_ids = {object_id(p.get("product")) for p in prices} - {""}
    if len(product_ids) > 1:
        reasons.append(SUBSCRIPTION_SEVERAL_PRODUCTS)
    elif len(items) > 1:
        reasons.append(SUBSCRIPTION_SEVERAL_ITEMS)
    if any(((p.get("recurring") or {}).get("usage_type") or p.get("usage_type")) == "metered" for p in prices):
        reasons.append(SUBSCRIPTION_METERED)
    if sub.get("collection_method") == "send_invoice":
        reasons.append(SUBSCRIPTION_SEND_INVOICE)
    pm = default_payment_method(sub, customer or {})
    if pm is not None and pm.get("type") and not payment_methods.is_supported(str(pm["type"])):
        reasons.append(SUBSCRIPTION_PAYMENT_METHOD_UNSUPPORTED)
    return reasons


def _plan_label(sub: StripeObject, products: dict[str, StripeObject]) -> str:
    """`prod_1 "Pro"` at `price_1 "Pro Monthly" (29.00 USD / month)`, for each item."""
    labels = []
    for item in _items(sub):
        price = _price(item)
        product_id = object_id(price.get("product"))
        product = products.get(product_id)
        product_label = describe_product(product) if product else product_id
        labels.append(f"{product_label} at {describe_price(price)}" if product_label else describe_price(price))
    return "; ".join(labels) or "—"


def said_subscription(sub: StripeObject, products: dict[str, StripeObject], *, ending: bool = False) -> str:
    """A subscription as the owner knows it, no ids: `the subscription to "Pro" (29.00 USD /
    month)`, its items joined by "and"; with `ending`, the date a pending cancellation ends it."""
    plans = state.said_plans((_price(item) for item in _items(sub)), products)
    said = f"the subscription to {plans}" if plans else "a subscription without items"
    end = state.pending_end(sub) if ending and sub.get("status") not in ENDED else None
    if end is None or end.ends_at is None:
        return said
    return msg.fill(msg.label("subscription_said", "ending"), {"said": said, "ends_on": when(end.ends_at)})


def check_subscriptions(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    # What the portal lets the customer do is read from the default configuration: with none
    # (the portal settings never saved), nothing here can be judged, and no row may say "can".
    skip = configuration_gate(CID, snap, missing=SUBSCRIPTIONS_NO_CONFIGURATION) or skip_without_customer(CID, snap)
    if skip is not None:
        return skip
    customer = chosen_customer(snap)
    assert customer is not None and snap.customer is not None
    cus_id = object_id(customer)
    owner = customer_subject(customer)
    fetched = snap.customer.subscriptions
    if fetched.error is not None:
        return msg.error_result(CID, mode, fetched.error, "subscriptions")
    if fetched.value is None:
        return not_read(CID, mode, "subscriptions")
    subs = fetched.value
    if not subs:
        return msg.one(CID, mode, SUBSCRIPTIONS_NONE, Status.PASS, customer_id=cus_id)

    evidence: list[Finding] = []
    for sub in subs:
        evidence += _subscription_findings(sub, customer, snap, owner)
    problems = [f for f in evidence if f.status is Status.WARN]
    ids = tuple(object_id(s) for s in subs)
    products = snap.products.value or {}
    subs_said = "; ".join(dict.fromkeys(said_subscription(s, products, ending=True) for s in subs))
    if all(s.get("status") in ENDED for s in subs):
        head = Finding(SUBSCRIPTIONS_ONLY_ENDED, Status.WARN, subject=owner,
                       facts={"customer_id": cus_id, "ids": ids, "subscriptions_said": subs_said})
    elif not problems:
        head = Finding(SUBSCRIPTIONS_MANAGEABLE, Status.PASS, subject=owner,
                       facts={"customer_id": cus_id, "ids": ids, "can": portal_can(snap),
                              "subscriptions_said": subs_said})
    elif all(f.code in LIMIT_CODES for f in problems):
        limited = tuple(dict.fromkeys(f.text("subscription_id") for f in problems))
        head = Finding(SUBSCRIPTIONS_LIMITED, Status.WARN, subject=owner,
                       facts={"customer_id": cus_id, "ids": limited, "subscriptions_said": "; ".join(
                           {f.text("subscription_id"): f.text("subscription_said") for f in problems}.values())})
    else:
        said = tuple(dict.fromkeys(
            f"{f.text('subscription_id')} {msg.label('subscription_problems', f.code)}" for f in problems
        ))
        problems_said = "; ".join(dict.fromkeys(
            f"{f.text('subscription_said')} {msg.label('subscription_problems', f.code)}" for f in problems
        ))
        head = Finding(SUBSCRIPTIONS_ATTENTION, Status.WARN, subject=owner,
                       facts={"customer_id": cus_id, "problems": said, "count": len(said),
                              "problems_said": problems_said,
                              "ids": tuple(dict.fromkeys(f.text("subscription_id") for f in problems))})
    return msg.render(CID, mode, [head, *evidence])


def _subscription_findings(
    sub: StripeObject, customer: StripeObject, snap: Snapshot, owner: Subject
) -> list[Finding]:
    mode = snap.mode
    products = snap.products.value or {}
    sub_id = object_id(sub)
    status = str(sub.get("status") or "")
    ref = Subject("subscription", sub_id)
    base: dict[str, Any] = {
        "subscription_id": sub_id, "status": status or "—", "customer_id": object_id(customer),
        "plan": _plan_label(sub, products), "url": dashboard_url(mode, "subscriptions", sub_id),
        "subscription_said": said_subscription(sub, products, ending=True),
    }
    found: list[Finding] = _status_findings(sub, snap, ref, owner, base)
    if status in ENDED:
        return found
    found += _collection_findings(sub, ref, owner, base)
    reasons = subscription_limits(sub, customer, snap.read_at)
    found += [_limit_finding(code, sub, customer, snap, ref, owner, base) for code in reasons]
    found += _ending_findings(sub, reasons, ref, owner, base)
    found += _payment_method_findings(sub, customer, ref, owner, base)
    if schedule_blocks(sub, snap.read_at) is False:
        found.append(Finding(SUBSCRIPTION_SCHEDULE_IDLE, subject=ref, related=(owner,),
                             facts={**base, "schedule_id": object_id(sub.get("schedule"))}))
    if not reasons:
        found += _plan_change_findings(sub, snap, ref, owner, base)
    if not any(f.status is Status.WARN for f in found):
        found.append(Finding(SUBSCRIPTION_MANAGEABLE, subject=ref, related=(owner,),
                             facts={**base, "can": portal_can(snap)}))
    return found


def _status_findings(
    sub: StripeObject, snap: Snapshot, ref: Subject, owner: Subject, base: dict[str, Any]
) -> list[Finding]:
    """The status that needs a word; a pause says why, in the words of its own cause."""
    status = str(base["status"])
    if status not in STATUS_CODES:
        return []
    code, level = STATUS_CODES[status]
    facts = {**base, **_status_facts(sub, snap)}
    if status == "paused":
        code = PAUSE_CODES.get(state.pause_cause(sub), SUBSCRIPTION_PAUSED_UNEXPLAINED)
        facts.update(state.pause_facts(sub, snap.default_configuration, snap.read_at))
    return [Finding(code, level, subject=ref, related=(owner,), field="status", seen=status, facts=facts)]


def _collection_findings(sub: StripeObject, ref: Subject, owner: Subject, base: dict[str, Any]) -> list[Finding]:
    """`pause_collection`: the subscription keeps its status, only payment collection stops."""
    paused = state.collection_pause(sub)
    if paused is None or base["status"] == "paused":
        return []
    return [Finding(SUBSCRIPTION_COLLECTION_PAUSED, Status.WARN, subject=ref, related=(owner,),
                    field="pause_collection.behavior", seen=paused.behavior,
                    facts={**base, **state.collection_facts(paused)})]


def _ending_findings(
    sub: StripeObject, reasons: list[str], ref: Subject, owner: Subject, base: dict[str, Any]
) -> list[Finding]:
    """A cancellation still ahead: information, unless the portal cannot touch the subscription,
    so the customer cannot take the cancellation back there either."""
    end = state.pending_end(sub)
    if end is None:
        return []
    locked = bool(BLOCKS_CANCEL & set(reasons))
    code, level = (SUBSCRIPTION_ENDING_LOCKED, Status.WARN) if locked else (SUBSCRIPTION_ENDING, Status.PASS)
    flag = end.how == "period_end_flag"
    return [Finding(code, level, subject=ref, related=(owner,),
                    field="cancel_at_period_end" if flag else "cancel_at",
                    seen=True if flag else end.ends_at, facts={**base, **state.ending_facts(end, sub)})]


def _payment_method_findings(
    sub: StripeObject, customer: StripeObject, ref: Subject, owner: Subject, base: dict[str, Any]
) -> list[Finding]:
    """A payment method set on the subscription itself, which Stripe charges before the
    customer's default (the one the portal updates)."""
    pair = state.own_payment_method(sub, customer)
    if pair is None:
        return []
    own, default = pair
    return [Finding(
        SUBSCRIPTION_OWN_PAYMENT_METHOD, Status.WARN, subject=ref,
        related=(owner, Subject("payment_method", object_id(own)), Subject("payment_method", object_id(default))),
        field="default_payment_method", seen=object_id(own), expected=object_id(default),
        facts={**base, **state.payment_method_facts(own, default)},
    )]


def _limit_finding(
    code: str, sub: StripeObject, customer: StripeObject, snap: Snapshot, ref: Subject, owner: Subject,
    base: dict[str, Any],
) -> Finding:
    if code == SUBSCRIPTION_ON_SCHEDULE:
        downgrade = _portal_downgrade(sub, snap, ref, owner, base)
        if downgrade is not None:
            return downgrade
    return Finding(code, Status.WARN, subject=ref, related=(owner,),
                   facts={**base, **_limit_facts(code, sub, customer)})


def _portal_downgrade(
    sub: StripeObject, snap: Snapshot, ref: Subject, owner: Subject, base: dict[str, Any]
) -> Finding | None:
    """The schedule that blocks the portal, when the portal's own setting to make downgrades at
    the period end made it (None when it cannot have: the generic schedule finding applies)."""
    conf = snap.default_configuration
    change = state.scheduled_change(sub, snap.prices.value or {}, snap.read_at)
    matched = state.made_by_portal(change, sub, conf) if change is not None else frozenset()
    if change is None or conf is None or not matched:
        return None
    return Finding(
        SUBSCRIPTION_PORTAL_DOWNGRADE, Status.WARN, subject=ref,
        related=(owner, Subject("subscription_schedule", change.schedule_id), configuration_subject(conf)),
        field=f"{_UPDATE}.schedule_at_period_end.conditions", seen=tuple(sorted(matched)),
        facts={**base, **state.downgrade_facts(change, matched, snap.products.value or {}),
               "dashboard_url": dashboard_url(snap.mode, "portal")},
    )


def portal_can(snap: Snapshot) -> str:
    """What the default configuration lets customers do with a subscription no limit applies to."""
    features = (snap.default_configuration or {}).get("features") or {}
    update = features.get("subscription_update") or {}
    allowed = set(update.get("default_allowed_updates") or [])
    change = bool(update.get("enabled")) and bool({"price", "quantity"} & allowed)
    cancel = bool((features.get("subscription_cancel") or {}).get("enabled"))
    key = {(True, True): "both", (False, True): "cancel", (True, False): "change", (False, False): "neither"}
    return msg.label("portal_can", key[(change, cancel)])


def _status_facts(sub: StripeObject, snap: Snapshot) -> dict[str, Any]:
    conf = snap.default_configuration or {}
    update = (conf.get("features") or {}).get("subscription_update") or {}
    behaviour = str(update.get("trial_update_behavior") or "end_trial")
    return {
        "trial_end": when(sub.get("trial_end")),
        "trial_rule": msg.label("trial_update_behavior", behaviour),
        "ended": when(sub.get("ended_at") or sub.get("canceled_at")),
        "created": when(sub.get("created")),
    }


def _limit_facts(code: str, sub: StripeObject, customer: StripeObject) -> dict[str, Any]:
    if code == SUBSCRIPTION_ON_SCHEDULE:
        return {"schedule_id": object_id(sub.get("schedule"))}
    if code == SUBSCRIPTION_SEVERAL_ITEMS:
        items = _items(sub)
        return {"count": len(items), "product": object_id(_price(items[0]).get("product")) if items else ""}
    if code == SUBSCRIPTION_PAYMENT_METHOD_UNSUPPORTED:
        pm = default_payment_method(sub, customer) or {}
        pm_type = str(pm.get("type") or "")
        page, checked = payment_methods.source()
        return {"payment_method_id": object_id(pm), "pm_type": pm_type,
                "pm_name": payment_methods.type_name(pm_type), "source": page, "checked": checked}
    return {}


def _plan_change_findings(
    sub: StripeObject, snap: Snapshot, ref: Subject, owner: Subject, base: dict[str, Any]
) -> list[Finding]:
    """Whether a plan change can happen: only when the portal offers plan changes at all."""
    conf = snap.default_configuration
    update = ((conf or {}).get("features") or {}).get("subscription_update") or {}
    entries = [e for e in update.get("products") or [] if isinstance(e, dict)]
    if conf is None or not update.get("enabled") or not entries:
        return []  # portal.features and portal.products say why no plan can change
    config = configuration_subject(conf)
    offered = {object_id(e.get("product")): [object_id(p) for p in e.get("prices") or []] for e in entries}
    catalogue = snap.prices.value or {}
    found: list[Finding] = []
    for item in _items(sub):
        price = _price(item)
        price_id = object_id(price)
        product_id = object_id(price.get("product"))
        if product_id not in offered:
            product = (snap.products.value or {}).get(product_id)
            found.append(Finding(
                SUBSCRIPTION_PLAN_NOT_OFFERED, Status.WARN,
                subject=Subject("product", product_id, str((product or {}).get("name") or "")),
                related=(ref, owner, config), field=f"{_UPDATE}.products", seen=product_id,
                facts={**base, "product_id": product_id, "price_id": price_id,
                       "product": describe_product(product) if product else product_id,
                       "dashboard_url": dashboard_url(snap.mode, "portal")},
            ))
            continue
        current = str(price.get("tax_behavior") or "unspecified")
        price_ref = Subject("price", price_id, str(price.get("nickname") or ""))
        tax = {**base, "price_id": price_id, "price": describe_price(price), "current_tax": current,
               "price_url": dashboard_url(snap.mode, "prices", price_id)}
        if current == "unspecified":
            found.append(Finding(SUBSCRIPTION_TAX_UNSPECIFIED, Status.WARN, subject=price_ref,
                                 related=(ref, owner), field="tax_behavior", seen=current, facts=tax))
            continue
        targets: dict[str, list[StripeObject]] = {}
        for target_id in (p for ids in offered.values() for p in ids):
            target = catalogue.get(target_id)
            if target is None or target_id == price_id:
                continue
            behaviour = str(target.get("tax_behavior") or "unspecified")
            if behaviour != current:
                targets.setdefault(behaviour, []).append(target)
        for behaviour, group in targets.items():
            found.append(Finding(
                SUBSCRIPTION_TAX_BEHAVIOR_DIFFERS, Status.WARN, subject=price_ref,
                related=(ref, owner, *(Subject("price", object_id(t)) for t in group)),
                field="tax_behavior", seen=current, expected=behaviour,
                facts={**tax, "target_tax": behaviour, "target_ids": tuple(object_id(t) for t in group),
                       "targets": tuple(describe_price(t) for t in group)},
            ))
    return found


# -- what the customer page shows: one row per subscription, worded from the findings ------------


@dataclass(frozen=True)
class SubscriptionRow:
    status: Status  # the worst of its findings: PASS, or WARN when the portal is limited with it
    subscription_id: str
    subscription_status: str  # Stripe's word: active, trialing, past_due, ...
    plan: str
    portal_can: tuple[str, ...]  # what the portal can (not) do with it, and notes, in words from checks.json


def subscription_rows(result: CheckResult) -> list[SubscriptionRow]:
    """The customer's subscriptions in Stripe's order, each with what the check found about it."""
    by_id: dict[str, list[Finding]] = {}
    for finding in result.evidence:
        sub_id = finding.text("subscription_id")
        if sub_id:
            by_id.setdefault(sub_id, []).append(finding)
    rows = []
    for sub_id, found in by_id.items():
        said = tuple(dict.fromkeys(msg.label("subscription_problems", f.code)
                                   for f in found if f.status is Status.WARN))
        manageable = [f.text("can") for f in found if f.code == SUBSCRIPTION_MANAGEABLE]
        # What else the page says about it: information findings with a label of their own
        # (a cancellation still ahead: "ends on 2026-12-31").
        notes = tuple(label for f in found if f.status is Status.PASS
                      and (label := msg.finding_label(CID, f)))
        rows.append(SubscriptionRow(
            status=worst(f.status for f in found) or Status.PASS,
            subscription_id=sub_id,
            subscription_status=found[0].text("status", "—"),
            plan=found[0].text("plan", "—"),
            portal_can=(said or tuple(f"can be {can}" for can in manageable if can)) + notes,
        ))
    return rows
