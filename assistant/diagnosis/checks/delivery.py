"""webhooks.delivery: does Stripe actually reach the owner's endpoint with the portal's events?

webhooks.events says what the endpoints listen to; this check says whether it arrives. An
event's `pending_webhooks` counts the endpoints that have not yet answered it with a 2xx; still
above 0 an hour after the event, Stripe is retrying because deliveries fail. Stripe also
disables an endpoint that keeps failing, after which it sends that endpoint nothing.
"""

from __future__ import annotations

from collections import Counter

from assistant.account.snapshot import StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.sessions import count_text, day, events_gate
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject
from assistant.knowledge.dashboard import dashboard_url

CID = "webhooks.delivery"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
DELIVERY_UNDELIVERED = "delivery.undelivered"
DELIVERY_ENDPOINTS_DISABLED = "delivery.endpoints_disabled"
DELIVERY_NO_ENDPOINTS = "delivery.no_endpoints"
DELIVERY_DELIVERED = "delivery.delivered"
DELIVERY_EVENT_TYPE = "delivery.event_type"
DELIVERY_ENDPOINT_DISABLED = "delivery.endpoint_disabled"
DELIVERY_IN_PROGRESS = "delivery.in_progress"

LATE = 3600  # seconds: a delivery still pending after this long is failing, not slow


def _endpoint_subject(ep: StripeObject) -> Subject:
    return Subject("webhook_endpoint", str(ep.get("id") or ""), str(ep.get("url") or ""))


def check_delivery(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    gate = events_gate(CID, snap, snap.undelivered_events, "undelivered_events")
    if gate is not None:
        return gate
    page = snap.undelivered_events.value
    assert page is not None
    now = snap.read_at or 0
    pending = [e for e in page.items if (e.get("pending_webhooks") or 0) > 0]
    late = [e for e in pending if now - (e.get("created") or now) > LATE]
    recent = len(pending) - len(late)
    endpoints = snap.webhook_endpoints.value or []
    disabled = [ep for ep in endpoints if ep.get("status") == "disabled"]
    enabled = [ep for ep in endpoints if ep.get("status") == "enabled"]

    evidence: list[Finding] = []
    for kind, count in Counter(str(e.get("type")) for e in late).most_common():
        oldest = min(int(e.get("created") or 0) for e in late if e.get("type") == kind)
        evidence.append(Finding(DELIVERY_EVENT_TYPE, Status.WARN, field="pending_webhooks",
                                facts={"type": kind, "count": count, "oldest": day(oldest)}))
    evidence += [Finding(DELIVERY_ENDPOINT_DISABLED, Status.WARN, subject=_endpoint_subject(ep),
                         field="status", seen="disabled", expected="enabled",
                         facts={"endpoint_id": str(ep.get("id") or ""), "url": str(ep.get("url") or "—"),
                                "dashboard_url": dashboard_url(mode, "webhooks", str(ep.get("id") or ""))})
                 for ep in disabled]
    if recent:
        evidence.append(Finding(DELIVERY_IN_PROGRESS, facts={"count": recent}))

    types = tuple(dict.fromkeys(str(e.get("type")) for e in late))
    if late:
        head = Finding(DELIVERY_UNDELIVERED, Status.WARN, field="pending_webhooks", seen=len(late),
                       expected=0, facts={"count": count_text(len(late), page.has_more), "types": types,
                                          "endpoints": tuple(str(ep.get("url") or ep.get("id")) for ep in enabled)})
    elif disabled:
        head = Finding(DELIVERY_ENDPOINTS_DISABLED, Status.WARN, facts={
            "count": len(disabled), "endpoints": tuple(str(ep.get("url") or ep.get("id")) for ep in disabled)})
    elif not enabled:
        head = Finding(DELIVERY_NO_ENDPOINTS, Status.SKIP)
    else:
        head = Finding(DELIVERY_DELIVERED, Status.PASS, facts={"count": len(enabled)})
    return msg.render(CID, mode, [head, *evidence])
