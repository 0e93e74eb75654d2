"""customer.found, customer.email, customer.subscriptions: what this customer's portal shows."""

from __future__ import annotations

from datetime import UTC, datetime

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.facts import describe_customer, object_id
from assistant.diagnosis.checks.gates import key_gate
from assistant.diagnosis.model import CheckResult, Status
from assistant.knowledge.dashboard import dashboard_url
from assistant.account.errors import NotFound
from assistant.account.snapshot import Snapshot, StripeObject


def _created(obj: StripeObject) -> str:
    ts = obj.get("created")
    if not isinstance(ts, (int, float)):
        return "—"
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def check_found(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "customer.found"
    mode = snap.mode
    lookup = snap.customer
    if lookup is None:
        return msg.render(cid, "no_query", Status.SKIP, mode)
    gate = key_gate(cid, snap)
    if gate is not None:
        return gate
    err = lookup.matches.error
    if isinstance(err, NotFound):
        if err.other_mode:
            return msg.render(
                cid, "other_mode", Status.FAIL, mode, stripe_error=err.info,
                query=lookup.query, found_mode=err.other_mode,
            )
        outcome = "not_found_email" if lookup.by_email else "not_found_id"
        return msg.render(cid, outcome, Status.FAIL, mode, stripe_error=err.info,
                          query=lookup.query)
    if err is not None:
        return msg.error_result(cid, mode, err, "customer")
    matches = lookup.matches.value or []
    if not matches:
        outcome = "not_found_email" if lookup.by_email else "not_found_id"
        return msg.render(cid, outcome, Status.FAIL, mode, query=lookup.query)
    chosen = lookup.chosen
    if lookup.by_email and len(matches) > 1:
        chosen_id = object_id(chosen) if chosen else ""
        details = [
            msg.note(
                cid, "match_chosen" if object_id(m) == chosen_id else "match", mode,
                customer=describe_customer(m), created=_created(m),
            )
            for m in sorted(matches, key=lambda m: m.get("created") or 0, reverse=True)
        ]
        ids = [object_id(m) for m in matches]
        if chosen:
            return msg.render(cid, "several", Status.WARN, mode, details=details,
                              query=lookup.query, ids=ids, chosen_id=chosen_id, count=len(ids))
        return msg.render(cid, "several_none_active", Status.WARN, mode, details=details,
                          query=lookup.query, ids=ids, count=len(ids))
    customer = chosen or matches[0]
    return msg.render(
        cid, "found", Status.PASS, mode,
        details=[msg.note(cid, "customer", mode, customer_id=customer.get("id"),
                          name=customer.get("name") or "—", email=customer.get("email") or "—",
                          created=_created(customer))],
        customer=describe_customer(customer),
    )


def _chosen(snap: Snapshot) -> StripeObject | None:
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
    if _chosen(snap) is None:
        return msg.render(cid, "skip_no_customer", Status.SKIP, snap.mode)
    return None


def check_email(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "customer.email"
    mode = snap.mode
    skip = _skip_without_customer(cid, snap)
    if skip is not None:
        return skip
    customer = _chosen(snap)
    assert customer is not None
    cus_id = str(customer.get("id"))
    email = (customer.get("email") or "").strip()
    if not email:
        return msg.render(cid, "missing", Status.WARN, mode, customer_id=cus_id,
                          url=dashboard_url(mode, "customers", cus_id))
    return msg.render(cid, "pass", Status.PASS, mode,
                      details=[msg.note(cid, "no_change", mode)],
                      customer_id=cus_id, email=email)


def subscription_limits(sub: StripeObject) -> list[str]:
    """Reasons (note names) the portal can only cancel, or cannot touch, this subscription."""
    reasons: list[str] = []
    if sub.get("schedule"):
        reasons.append("reason_schedule")
    items = ((sub.get("items") or {}).get("data")) or []
    prices = [i.get("price") or i.get("plan") or {} for i in items]
    product_ids = {object_id(p.get("product")) for p in prices if isinstance(p, dict)}
    product_ids.discard("")
    if len(product_ids) > 1:
        reasons.append("reason_several_products")
    if any(((p.get("recurring") or {}).get("usage_type") or p.get("usage_type")) == "metered"
           for p in prices if isinstance(p, dict)):
        reasons.append("reason_metered")
    if sub.get("collection_method") == "send_invoice":
        reasons.append("reason_send_invoice")
    return reasons


def check_subscriptions(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    cid = "customer.subscriptions"
    mode = snap.mode
    skip = _skip_without_customer(cid, snap)
    if skip is not None:
        return skip
    customer = _chosen(snap)
    assert customer is not None
    cus_id = str(customer.get("id"))
    assert snap.customer is not None
    subs_fetched = snap.customer.subscriptions
    if subs_fetched.error is not None:
        return msg.error_result(cid, mode, subs_fetched.error, "subscriptions")
    if subs_fetched.value is None:
        return msg.render(cid, "skip_not_read", Status.SKIP, mode,
                          what=msg.label("sections", "subscriptions"))
    subs = subs_fetched.value
    if not subs:
        return msg.render(cid, "none", Status.PASS, mode, customer_id=cus_id)
    details: list[str] = []
    fixes: list[str] = []
    limited: list[str] = []
    for sub in subs:
        sub_id = str(sub.get("id"))
        reasons = subscription_limits(sub)
        if not reasons:
            details.append(msg.note(cid, "sub_ok", mode, subscription_id=sub_id,
                                    status=sub.get("status") or "—"))
            continue
        limited.append(sub_id)
        url = dashboard_url(mode, "subscriptions", sub_id)
        for reason in reasons:
            details.append(msg.note(cid, reason, mode, subscription_id=sub_id,
                                    status=sub.get("status") or "—"))
            fix = msg.note(cid, "fix_" + reason.removeprefix("reason_"), mode,
                           subscription_id=sub_id, url=url)
            if fix not in fixes:
                fixes.append(fix)
    if limited:
        return msg.render(cid, "limited", Status.WARN, mode, details=details, extra_fix=fixes,
                          customer_id=cus_id, ids=limited)
    return msg.render(cid, "pass", Status.PASS, mode, details=details, customer_id=cus_id,
                      ids=[str(s.get("id")) for s in subs])
