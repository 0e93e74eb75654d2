"""webhooks.events: will the owner's app hear about what customers change in the portal?"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.account.api_version import STRIPE_API_VERSION
from assistant.account.snapshot import StripeObject
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.gates import key_gate, not_read
from assistant.diagnosis.model import CheckResult, Finding, Status, Subject

CID = "webhooks.events"

# Finding codes, as declared in resources/checks.json: planners, pages and tests import these.
WEBHOOKS_NO_ENDPOINTS = "webhooks.no_endpoints"
WEBHOOKS_EVENTS_MISSING = "webhooks.events_missing"
WEBHOOKS_COMPLETE = "webhooks.complete"
WEBHOOK_ENDPOINT = "webhook.endpoint"
WEBHOOK_EVENT_MISSING = "webhook.event_missing"
WEBHOOKS_RECOMMENDED_MISSING = "webhooks.recommended_missing"

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
# Every event the portal integration listens to: the ones whose delivery webhooks.delivery checks.
PORTAL_EVENTS = REQUIRED_EVENTS + RECOMMENDED_EVENTS


def listened(endpoint: StripeObject, events: tuple[str, ...]) -> list[str]:
    """Which of `events` the endpoint receives; `*` means all of them."""
    enabled = set(endpoint.get("enabled_events") or [])
    if "*" in enabled:
        return list(events)
    return [e for e in events if e in enabled]


def _endpoint(ep: StripeObject) -> Finding:
    """One endpoint as evidence. Its `api_version` (null: the account's default) is the shape
    its events reach the owner's app in; it is set against the version the assistant reads, so
    a field the agent points to can be looked for where that version puts it. No verdict."""
    events = listened(ep, REQUIRED_EVENTS)
    status = str(ep.get("status") or "")
    version = ep.get("api_version")
    return Finding(
        WEBHOOK_ENDPOINT, Status.PASS if status == "enabled" else Status.SKIP,
        subject=Subject("webhook_endpoint", str(ep.get("id") or ""), str(ep.get("url") or "")),
        field="enabled_events", seen=tuple(str(e) for e in ep.get("enabled_events") or []),
        facts={
            "endpoint_id": ep.get("id"), "url": ep.get("url") or "—", "status": status or "—",
            "enabled": status == "enabled", "all_events": "*" in (ep.get("enabled_events") or []),
            "receives": tuple(events),
            "events": ", ".join(events) if events else msg.label("states", "no_portal_events"),
            "api_version": str(version) if version else msg.label("states", "account_default_version"),
            "app_api_version": STRIPE_API_VERSION,
            "same_api_version": version == STRIPE_API_VERSION,
        },
    )


def check_webhooks(ctx: CheckContext) -> CheckResult:
    snap = ctx.snapshot
    mode = snap.mode
    gate = key_gate(CID, snap)
    if gate is not None:
        return gate
    if snap.webhook_endpoints.error is not None:
        return msg.error_result(CID, mode, snap.webhook_endpoints.error, "webhook_endpoints")
    if snap.webhook_endpoints.value is None:
        return not_read(CID, mode, "webhook_endpoints")
    endpoints = snap.webhook_endpoints.value
    evidence = [_endpoint(ep) for ep in endpoints]
    covered: set[str] = set()
    optional: set[str] = set()
    for ep in endpoints:
        if ep.get("status") == "enabled":
            covered.update(listened(ep, REQUIRED_EVENTS))
            optional.update(listened(ep, RECOMMENDED_EVENTS))
    missing = tuple(e for e in REQUIRED_EVENTS if e not in covered)
    not_optional = tuple(e for e in RECOMMENDED_EVENTS if e not in optional)
    if not_optional:
        evidence.append(Finding(WEBHOOKS_RECOMMENDED_MISSING, facts={"events": not_optional}))
    enabled_count = sum(1 for ep in endpoints if ep.get("status") == "enabled")
    if not enabled_count or missing:
        evidence += [Finding(WEBHOOK_EVENT_MISSING, Status.WARN, field="enabled_events",
                             expected=event, facts={"event": event}) for event in missing]
        code = WEBHOOKS_EVENTS_MISSING if enabled_count else WEBHOOKS_NO_ENDPOINTS
        return msg.render(CID, mode, [
            Finding(code, Status.WARN, expected=REQUIRED_EVENTS,
                    facts={"missing": missing, "count": enabled_count}),
            *evidence,
        ])
    return msg.render(CID, mode, [
        Finding(WEBHOOKS_COMPLETE, Status.PASS, facts={"count": enabled_count}), *evidence,
    ])


# -- what the webhooks page shows ---------------------------------------------------------------


@dataclass(frozen=True)
class EndpointRow:
    """One endpoint and, per needed event (REQUIRED_EVENTS order), whether it receives it."""

    status: Status  # PASS for an enabled endpoint, SKIP for one Stripe sends nothing to
    endpoint_id: str
    url: str
    endpoint_status: str  # Stripe's word: enabled, disabled
    all_events: bool  # listens to "*"
    receives: tuple[bool, ...]


def endpoint_rows(result: CheckResult) -> list[EndpointRow]:
    rows = []
    for ep in result.with_code(WEBHOOK_ENDPOINT):
        receives = set(ep.texts("receives"))
        rows.append(EndpointRow(
            status=ep.status, endpoint_id=ep.subject.id if ep.subject else "",
            url=ep.text("url"), endpoint_status=ep.text("status"),
            all_events=bool(ep.fact("all_events")),
            receives=tuple(event in receives for event in REQUIRED_EVENTS),
        ))
    return rows


def missing_events(result: CheckResult) -> dict[str, Finding]:
    """Needed event -> the finding that no enabled endpoint receives it."""
    return {str(f.expected): f for f in result.with_code(WEBHOOK_EVENT_MISSING)}
