"""customer.found, customer.email, customer.subscriptions: what this customer's portal shows."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.account.errors import NotFound
from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import describe_customer, object_id
from assistant.diagnosis.checks.gates import key_gate, not_read
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject
from assistant.knowledge.dashboard import dashboard_url

# Why the portal can only cancel (or cannot touch) a subscription: finding codes, in the order
# they are reported. Only a schedule blocks cancelling too.
LIMIT_CODES = (
    "subscription.on_schedule",
    "subscription.several_products",
    "subscription.metered",
    "subscription.send_invoice",
)
BLOCKS_CANCEL = frozenset({"subscription.on_schedule"})


def created_text(obj: StripeObject) -> str:
    """When a Stripe object was created, as the agent reads it ("—" when unknown)."""
    ts = obj.get("created")
    if not isinstance(ts, (int, float)):
        return "—"
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def customer_subject(customer: StripeObject) -> Subject:
    return Subject("customer", object_id(customer),
                   str(customer.get("email") or customer.get("name") or ""))


def _customer_facts(customer: StripeObject) -> dict[str, str]:
    return {
        "customer": describe_customer(customer), "customer_id": object_id(customer),
        "name": str(customer.get("name") or "—"), "email": str(customer.get("email") or "—"),
        "created": created_text(customer),
    }


def check_found(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "customer.found"
    mode = snap.mode
    lookup = snap.customer
    if lookup is None:
        return msg.one(cid, mode, "customer.no_query", Status.SKIP)
    gate = key_gate(cid, snap)
    if gate is not None:
        return gate
    err = lookup.matches.error
    not_found = "customer.no_such_email" if lookup.by_email else "customer.no_such_id"
    if isinstance(err, NotFound):
        if err.other_mode:
            return msg.render(cid, mode, [
                Finding("customer.in_other_mode", Status.FAIL, seen=err.other_mode, expected=mode,
                        facts={"query": lookup.query, "found_mode": err.other_mode}),
            ], stripe_error=err.info)
        return msg.render(cid, mode, [Finding(not_found, Status.FAIL, facts={"query": lookup.query})],
                          stripe_error=err.info)
    if err is not None:
        return msg.error_result(cid, mode, err, "customer")
    matches = lookup.matches.value or []
    if not matches:
        return msg.one(cid, mode, not_found, Status.FAIL, query=lookup.query)
    chosen = lookup.chosen
    if lookup.by_email and len(matches) > 1:
        chosen_id = object_id(chosen) if chosen else ""
        evidence = [
            Finding("customer.match_chosen" if object_id(m) == chosen_id else "customer.match",
                    subject=customer_subject(m), facts=_customer_facts(m))
            for m in sorted(matches, key=lambda m: m.get("created") or 0, reverse=True)
        ]
        ids = tuple(object_id(m) for m in matches)
        if chosen:
            return msg.render(cid, mode, [
                Finding("customer.email_shared", Status.WARN, subject=customer_subject(chosen),
                        facts={"query": lookup.query, "ids": ids, "chosen_id": chosen_id,
                               "count": len(ids)}),
                *evidence,
            ])
        return msg.render(cid, mode, [
            Finding("customer.email_shared_none_active", Status.WARN,
                    facts={"query": lookup.query, "ids": ids, "count": len(ids)}),
            *evidence,
        ])
    customer = chosen or matches[0]
    return msg.render(cid, mode, [
        Finding("customer.identified", Status.PASS, subject=customer_subject(customer),
                facts=_customer_facts(customer)),
        Finding("customer.record", subject=customer_subject(customer), facts=_customer_facts(customer)),
    ])


def chosen_customer(snap: Snapshot) -> StripeObject | None:
    """The customer the portal opens for: the one asked for, or the login link's pick among
    customers sharing the e-mail; None without an accepted key or a single answer."""
    lookup = snap.customer
    if lookup is None or not snap.key.usable or snap.auth_error is not None:
        return None
    if lookup.chosen is not None:
        return lookup.chosen
    matches = lookup.matches.value or []
    if lookup.matches.error is None and len(matches) == 1:
        return matches[0]
    return None


def _skip_without_customer(cid: str, snap: Snapshot) -> CheckResult | None:
    """The customer checks need an accepted key and a customer the portal would open for."""
    if snap.customer is not None:
        gate = key_gate(cid, snap)
        if gate is not None:
            return gate
    if chosen_customer(snap) is None:
        return msg.one(cid, snap.mode, "skipped.no_customer", Status.SKIP)
    return None


def check_email(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "customer.email"
    mode = snap.mode
    skip = _skip_without_customer(cid, snap)
    if skip is not None:
        return skip
    customer = chosen_customer(snap)
    assert customer is not None
    cus_id = object_id(customer)
    email = (customer.get("email") or "").strip()
    if not email:
        return msg.render(cid, mode, [
            Finding("customer.email_missing", Status.WARN, subject=customer_subject(customer),
                    field="email", seen=None,
                    facts={"customer_id": cus_id, "url": dashboard_url(mode, "customers", cus_id)}),
        ])
    return msg.render(cid, mode, [
        Finding("customer.email_present", Status.PASS, subject=customer_subject(customer),
                field="email", seen=email, facts={"customer_id": cus_id, "email": email}),
    ])


def subscription_limits(sub: StripeObject) -> list[str]:
    """Why the portal can only cancel, or cannot touch, this subscription (LIMIT_CODES)."""
    reasons: list[str] = []
    if sub.get("schedule"):
        reasons.append("subscription.on_schedule")
    items = ((sub.get("items") or {}).get("data")) or []
    prices = [i.get("price") or i.get("plan") or {} for i in items]
    product_ids = {object_id(p.get("product")) for p in prices if isinstance(p, dict)}
    product_ids.discard("")
    if len(product_ids) > 1:
        reasons.append("subscription.several_products")
    if any(((p.get("recurring") or {}).get("usage_type") or p.get("usage_type")) == "metered"
           for p in prices if isinstance(p, dict)):
        reasons.append("subscription.metered")
    if sub.get("collection_method") == "send_invoice":
        reasons.append("subscription.send_invoice")
    return reasons


def check_subscriptions(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "customer.subscriptions"
    mode = snap.mode
    skip = _skip_without_customer(cid, snap)
    if skip is not None:
        return skip
    customer = chosen_customer(snap)
    assert customer is not None and snap.customer is not None
    cus_id = object_id(customer)
    owner = customer_subject(customer)
    subs_fetched = snap.customer.subscriptions
    if subs_fetched.error is not None:
        return msg.error_result(cid, mode, subs_fetched.error, "subscriptions")
    if subs_fetched.value is None:
        return not_read(cid, mode, "subscriptions")
    subs = subs_fetched.value
    if not subs:
        return msg.one(cid, mode, "subscriptions.none", Status.PASS, customer_id=cus_id)
    evidence: list[Finding] = []
    limited: list[str] = []
    for sub in subs:
        sub_id = object_id(sub)
        ref = Subject("subscription", sub_id)
        facts = {"subscription_id": sub_id, "status": sub.get("status") or "—",
                 "url": dashboard_url(mode, "subscriptions", sub_id)}
        reasons = subscription_limits(sub)
        if not reasons:
            evidence.append(Finding("subscription.manageable", subject=ref, related=(owner,), facts=facts))
            continue
        limited.append(sub_id)
        evidence += [Finding(code, Status.WARN, subject=ref, related=(owner,), facts=facts)
                     for code in reasons]
    if limited:
        return msg.render(cid, mode, [
            Finding("subscriptions.limited", Status.WARN, subject=owner,
                    facts={"customer_id": cus_id, "ids": tuple(limited)}),
            *evidence,
        ])
    return msg.render(cid, mode, [
        Finding("subscriptions.manageable", Status.PASS, subject=owner,
                facts={"customer_id": cus_id, "ids": tuple(object_id(s) for s in subs)}),
        *evidence,
    ])
