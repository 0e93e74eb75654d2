"""webhooks.events."""

from __future__ import annotations

from support.scenarios import perm
from support.stripe_objects import (
    PORTAL_EVENTS,
    context,
    failed,
    healthy_snapshot,
    ok,
    webhook_endpoint,
)

from assistant.diagnosis.checks.webhooks import check_webhooks
from assistant.diagnosis.model import Status


def run(endpoints, mode: str = "test"):
    return check_webhooks(context(healthy_snapshot(mode, webhook_endpoints=endpoints)))


def test_pass_when_all_events_are_covered_across_endpoints() -> None:
    r = run(ok([webhook_endpoint("we_1", PORTAL_EVENTS[:3]),
                webhook_endpoint("we_2", PORTAL_EVENTS[3:])]))
    assert r.status is Status.PASS
    assert any("customer.tax_id.created" in d for d in r.details)  # optional ones recommended


def test_star_covers_everything() -> None:
    assert run(ok([webhook_endpoint(events=["*"])])).status is Status.PASS


def test_disabled_endpoint_does_not_count() -> None:
    r = run(ok([webhook_endpoint(events=["*"], status="disabled")]))
    assert r.status is Status.WARN
    assert any("(disabled)" in d for d in r.details)


def test_warn_names_the_missing_events() -> None:
    r = run(ok([webhook_endpoint(events=["customer.subscription.updated", "customer.updated"])]))
    assert r.status is Status.WARN
    for event in ("customer.subscription.deleted", "payment_method.attached", "payment_method.detached"):
        assert event in r.summary
    assert "customer.updated," not in r.summary
    assert any("https://dashboard.stripe.com/test/workbench/webhooks" in f for f in r.fix)


def test_warn_without_endpoints_in_live_links_live_dashboard() -> None:
    r = run(ok([]), "live")
    assert r.status is Status.WARN
    assert any("https://dashboard.stripe.com/workbench/webhooks" in f for f in r.fix)


def test_error_names_the_missing_permission() -> None:
    r = run(failed(perm("rak_webhook_read")))
    assert r.status is Status.ERROR
    assert "Webhook Endpoints: Read" in r.summary and "rak_" not in r.summary
    assert r.findings[0].fact("permission") == "rak_webhook_read"
    assert r.stripe_error is not None
