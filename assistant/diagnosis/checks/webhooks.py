"""webhooks.events: will the owner's app hear about what customers change in the portal?"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.account.api_version import STRIPE_API_VERSION
from assistant.account.snapshot import Snapshot, StripeObject
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
# Event destinations (v2): Amazon EventBridge, Azure Event Grid, webhook endpoints made there.
WEBHOOKS_COMPLETE_WITH_DESTINATIONS = "webhooks.complete_with_destinations"
WEBHOOK_DESTINATION = "webhook.destination"
WEBHOOKS_DESTINATIONS_UNREAD = "webhooks.destinations_unread"

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


def destination_said(dest: StripeObject) -> str:
    """An event destination as the owner knows it: `Amazon EventBridge destination 'billing-bus'`."""
    kind = msg.label("destination_types", str(dest.get("type") or ""))
    name = dest.get("name")
    return f"{kind} '{name}'" if name else f"{kind} {dest.get('id') or ''}".strip()


def _receives_own_events(dest: StripeObject) -> bool:
    """A destination that takes only other accounts' events (`@accounts`, an organisation's)
    hears nothing this account does; with no `events_from`, it takes the account's own."""
    sources = dest.get("events_from") or ["@self"]
    return "@self" in sources


def counted_destinations(snap: Snapshot) -> list[StripeObject]:
    """The event destinations that stand beside the webhook endpoints: those of another type,
    and webhook destinations whose URL is not one of the endpoints' (the same endpoint is not
    counted twice)."""
    urls = {ep.get("url") for ep in snap.webhook_endpoints.value or []} - {None}
    return [d for d in snap.event_destinations.value or []
            if not (d.get("type") == "webhook_endpoint" and (d.get("webhook_endpoint") or {}).get("url") in urls)]


def _destination(dest: StripeObject) -> Finding:
    """One event destination as evidence: its type, name, status and the portal events it gets."""
    status = str(dest.get("status") or "")
    own = _receives_own_events(dest)
    events = listened(dest, REQUIRED_EVENTS) if own else []
    version = dest.get("snapshot_api_version")
    said = destination_said(dest)
    return Finding(
        WEBHOOK_DESTINATION, Status.PASS if status == "enabled" and own else Status.SKIP,
        subject=Subject("event_destination", str(dest.get("id") or ""), str(dest.get("name") or "")),
        field="enabled_events", seen=tuple(str(e) for e in dest.get("enabled_events") or []),
        facts={
            "destination_id": dest.get("id"), "said": said, "url": said, "type": str(dest.get("type") or ""),
            "status": status or "—", "enabled": status == "enabled", "own_events": own,
            "all_events": "*" in (dest.get("enabled_events") or []), "receives": tuple(events),
            "events": ", ".join(events) if events else msg.label(
                "states", "no_portal_events" if own else "other_accounts_events"),
            "api_version": str(version) if version else msg.label("states", "account_default_version"),
        },
    )


def _receivers(snap: Snapshot) -> tuple[list[StripeObject], list[StripeObject]]:
    """(endpoints, destinations) that are enabled and hear this account's events."""
    endpoints = [ep for ep in snap.webhook_endpoints.value or [] if ep.get("status") == "enabled"]
    destinations = [d for d in counted_destinations(snap)
                    if d.get("status") == "enabled" and _receives_own_events(d)]
    return endpoints, destinations


def _destination_evidence(snap: Snapshot) -> list[Finding]:
    err = snap.event_destinations.error
    if err is not None:
        return [Finding(WEBHOOKS_DESTINATIONS_UNREAD, facts={
            "error_summary": err.summary, "permission_words": msg.permission_words(getattr(err, "permission", None))})]
    return [_destination(d) for d in counted_destinations(snap)]


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
    evidence = [_endpoint(ep) for ep in snap.webhook_endpoints.value] + _destination_evidence(snap)
    endpoints, destinations = _receivers(snap)
    covered: set[str] = set()
    optional: set[str] = set()
    for receiver in (*endpoints, *destinations):
        covered.update(listened(receiver, REQUIRED_EVENTS))
        optional.update(listened(receiver, RECOMMENDED_EVENTS))
    missing = tuple(e for e in REQUIRED_EVENTS if e not in covered)
    not_optional = tuple(e for e in RECOMMENDED_EVENTS if e not in optional)
    if not_optional:
        evidence.append(Finding(WEBHOOKS_RECOMMENDED_MISSING, facts={"events": not_optional}))
    enabled_count = len(endpoints) + len(destinations)
    receivers = msg.label("states", "endpoints_or_destinations" if destinations else "endpoints")
    if not enabled_count or missing:
        evidence += [Finding(WEBHOOK_EVENT_MISSING, Status.WARN, field="enabled_events",
                             expected=event, facts={"event": event}) for event in missing]
        code = WEBHOOKS_EVENTS_MISSING if enabled_count else WEBHOOKS_NO_ENDPOINTS
        return msg.render(CID, mode, [
            Finding(code, Status.WARN, expected=REQUIRED_EVENTS,
                    facts={"missing": missing, "count": enabled_count, "receivers": receivers,
                           "receiver": msg.label("states", "receiver_destination" if destinations
                                                 else "receiver_endpoint")}),
            *evidence,
        ])
    useful = [d for d in destinations if listened(d, REQUIRED_EVENTS)]
    if useful:
        return msg.render(CID, mode, [
            Finding(WEBHOOKS_COMPLETE_WITH_DESTINATIONS, Status.PASS, facts={
                "count": enabled_count, "destinations": tuple(destination_said(d) for d in useful)}),
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
    """The endpoints, then the event destinations beside them (named with their type)."""
    rows = []
    for ep in result.with_code(WEBHOOK_ENDPOINT, WEBHOOK_DESTINATION):
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
