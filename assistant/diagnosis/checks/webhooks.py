"""webhooks.events: will the owner's app hear about what customers change in the portal?"""

from __future__ import annotations

from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.gates import key_gate
from assistant.diagnosis.model import CheckResult, Status
from assistant.account.snapshot import StripeObject

CID = "webhooks.events"
REQUIRED_EVENTS = (
    "customer.subscription.updated",
    "customer.subscription.deleted",
    "payment_method.attached",
    "payment_method.detached",
    "customer.updated",
)
RECOMMENDED_EVENTS = (
    "customer.tax_id.created",
    "customer.tax_id.deleted",
    "customer.tax_id.updated",
    "billing_portal.configuration.created",
    "billing_portal.configuration.updated",
    "billing_portal.session.created",
)


def listened(endpoint: StripeObject, events: tuple[str, ...]) -> list[str]:
    """Which of `events` the endpoint receives; `*` means all of them."""
    enabled = set(endpoint.get("enabled_events") or [])
    if "*" in enabled:
        return list(events)
    return [e for e in events if e in enabled]


def check_webhooks(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    gate = key_gate(CID, snap)
    if gate is not None:
        return gate
    if snap.webhook_endpoints.error is not None:
        return msg.error_result(CID, mode, snap.webhook_endpoints.error, "webhook_endpoints")
    if snap.webhook_endpoints.value is None:
        return msg.render(CID, "skip_not_read", Status.SKIP, mode,
                          what=msg.label("sections", "webhook_endpoints"))
    endpoints = snap.webhook_endpoints.value
    details: list[str] = []
    covered: set[str] = set()
    optional: set[str] = set()
    for ep in endpoints:
        events = listened(ep, REQUIRED_EVENTS)
        enabled = ep.get("status") == "enabled"
        if enabled:
            covered.update(events)
            optional.update(listened(ep, RECOMMENDED_EVENTS))
        details.append(msg.note(
            CID, "endpoint", mode, endpoint_id=ep.get("id"), url=ep.get("url") or "—",
            status=ep.get("status") or "—",
            events=", ".join(events) if events else msg.label("states", "no_portal_events"),
        ))
    missing = [e for e in REQUIRED_EVENTS if e not in covered]
    not_optional = [e for e in RECOMMENDED_EVENTS if e not in optional]
    if not_optional:
        details.append(msg.note(CID, "recommended", mode, events=", ".join(not_optional)))
    enabled_count = sum(1 for ep in endpoints if ep.get("status") == "enabled")
    if not enabled_count:
        return msg.render(CID, "no_endpoints", Status.WARN, mode, details=details,
                          missing=", ".join(missing))
    if missing:
        return msg.render(CID, "missing_events", Status.WARN, mode, details=details,
                          missing=", ".join(missing))
    return msg.render(CID, "pass", Status.PASS, mode, details=details, count=enabled_count)
