"""Issue 23: customer-configured Accounts (Accounts v2), a connected account diagnosed through its
platform (Stripe Connect), sessions created `on_behalf_of` an account, and event destinations.

The checks are pure, so these tests build snapshots by hand; `scenarios(mode)` hands the same
contexts to the wording, schema and fault tests (support.scenarios.check_test_scenarios).
The practice accounts that show each case over real HTTP are in test_connect_practice.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from support.stripe_objects import (
    PORTAL_EVENTS,
    context,
    healthy_snapshot,
    ok,
    session_event,
    subscription,
    webhook_endpoint,
)

from assistant.account.customer_accounts import account_as_customer
from assistant.account.errors import AccountAccessRefused, NotFound, PermissionMissing
from assistant.account.snapshot import CustomerLookup, Fetched, Page, Snapshot
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.customer import (
    CUSTOMER_ACCOUNT_NOT_CUSTOMER,
    CUSTOMER_ACCOUNT_RECORD,
    CUSTOMER_IDENTIFIED,
    CUSTOMER_NO_SUCH_ACCOUNT,
)
from assistant.diagnosis.checks.key import ACCOUNT_CONNECTED, KEY_CONNECTED_ACCOUNT_REFUSED
from assistant.diagnosis.checks.registry import run_check, run_checks
from assistant.diagnosis.checks.sessions import SESSIONS_ATTENTION, SESSIONS_ON_BEHALF_OF_UNMATCHED
from assistant.diagnosis.checks.webhooks import (
    WEBHOOK_DESTINATION,
    WEBHOOKS_COMPLETE,
    WEBHOOKS_COMPLETE_WITH_DESTINATIONS,
    WEBHOOKS_DESTINATIONS_UNREAD,
    WEBHOOKS_EVENTS_MISSING,
    WEBHOOKS_NO_ENDPOINTS,
    endpoint_rows,
)
from assistant.diagnosis.model import Status

ACCOUNT_ID = "acct_1QCustomerAcctAbc"
SELLER = "acct_1QSellerNorthAbcd"


def v2_account(id: str = ACCOUNT_ID, *, configured: bool = True, email: str | None = "mira@example.com",
               name: str | None = "Mira Okafor") -> dict[str, Any]:
    """A customer-configured Account as `GET /v2/core/accounts/{id}?include[]=configuration.customer`
    answers (v2: RFC 3339 times, unset fields left out)."""
    account: dict[str, Any] = {
        "id": id, "object": "v2.core.account", "created": "2026-05-02T09:30:00.000Z", "livemode": False,
        "applied_configurations": ["customer"] if configured else ["merchant"],
        "configuration": {"customer": {"applied": configured, "billing": {"invoice": {"custom_fields": []}}}}
        if configured else {},
    }
    if email:
        account["contact_email"] = email
    if name:
        account["display_name"] = name
    return account


def account_lookup(account: dict[str, Any] | None = None, *, subscriptions: list[dict[str, Any]] | None = None,
                   error: Exception | None = None) -> CustomerLookup:
    """What collection makes of an acct_ id in the customer field."""
    if error is not None:
        return CustomerLookup(query=ACCOUNT_ID, matches=Fetched(error=error), kind="account")  # type: ignore[arg-type]
    chosen = account_as_customer(account or v2_account())
    return CustomerLookup(query=chosen["id"], matches=ok([chosen]), chosen=chosen,
                          subscriptions=ok(subscriptions if subscriptions is not None else []), kind="account")


def destination(id: str = "ed_test_61Billing", *, type: str = "amazon_eventbridge", name: str = "billing-bus",
                events: list[str] | None = None, status: str = "enabled", **kw: Any) -> dict[str, Any]:
    return {"id": id, "object": "v2.core.event_destination", "type": type, "name": name, "status": status,
            "enabled_events": events if events is not None else list(PORTAL_EVENTS), "event_payload": "snapshot",
            "created": "2026-05-02T09:30:00.000Z", "updated": "2026-05-02T09:30:00.000Z", "livemode": False,
            "description": "", **kw}


def account_session(customer_account: str = ACCOUNT_ID, *, on_behalf_of: str | None = SELLER,
                    id: str = "evt_1PgcSessionAcct") -> dict[str, Any]:
    event = session_event(id, on_behalf_of=on_behalf_of)
    event["data"]["object"].update(customer=None, customer_account=customer_account)
    return event


def _refused() -> AccountAccessRefused:
    return AccountAccessRefused(
        f"The provided key 'sk_test_****abcd' does not have access to account '{SELLER}' (or that account "
        "does not exist). Application access may have been revoked.",
        code="account_invalid", http_status=403, request_id="req_acct1")


def scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    """Shared with the wording and schema tests (see support.scenarios.check_test_scenarios)."""
    H = healthy_snapshot
    yield "account_customer", context(H(mode, customer=account_lookup(subscriptions=[subscription(
        customer="cus_Mirror", customer_account=ACCOUNT_ID)])))
    yield "account_not_customer", context(H(mode, customer=account_lookup(v2_account(configured=False))))
    yield "account_missing", context(H(mode, customer=account_lookup(error=NotFound(
        "The resource wasn't found.", code="not_found", http_status=404))))
    yield "account_without_email", context(H(mode, customer=account_lookup(v2_account(email=None))))
    yield "connected", context(H(mode, connected_account=SELLER))
    yield "connected_refused", context(H(mode, connected_account=SELLER, auth_error=_refused()))
    yield "on_behalf_of_unmatched", context(H(mode, customer=account_lookup(subscriptions=[subscription(
        customer="cus_Mirror", customer_account=ACCOUNT_ID)]), session_events=ok(Page([account_session()]))))
    yield "destination_only", context(H(mode, webhook_endpoints=ok([]), event_destinations=ok([destination()])))
    yield "destinations_unread", context(H(mode, event_destinations=Fetched(error=PermissionMissing(
        "Having the 'rak_webhook_read' permission would allow this request to continue.", http_status=403))))


# -- Accounts v2 customers -------------------------------------------------------------------


def test_an_account_id_is_looked_up_as_a_customer_configured_account_never_as_an_email() -> None:
    snap = healthy_snapshot(customer=account_lookup(subscriptions=[subscription(
        customer="cus_Mirror", customer_account=ACCOUNT_ID)]))
    results = {r.id: r for r in run_checks(context(snap))}
    found = results["customer.found"]
    assert found.status is Status.PASS and found.headline is not None
    assert found.headline.code == CUSTOMER_IDENTIFIED
    assert found.summary == 'Found the customer "Mira Okafor" <mira@example.com>.'
    assert any(f.code == CUSTOMER_ACCOUNT_RECORD for f in found.findings)
    assert "customer_account" in " ".join(found.details)
    # every customer check works on it
    assert results["customer.email"].status is Status.PASS
    assert results["customer.subscriptions"].status is Status.PASS
    for result in results.values():
        assert "e-mail acct_" not in result.summary


def test_an_unknown_account_id_says_so_in_words_about_accounts() -> None:
    result = run_check("customer.found", context(healthy_snapshot(customer=account_lookup(error=NotFound(
        "The resource wasn't found.", code="not_found", http_status=404)))))
    assert result.status is Status.FAIL and result.headline is not None
    assert result.headline.code == CUSTOMER_NO_SUCH_ACCOUNT
    assert result.summary == (f"There is no account {ACCOUNT_ID} in test mode, so no customer-configured "
                              "Account has that id here.")
    assert "e-mail" not in result.summary


def test_an_account_without_the_customer_configuration_cannot_have_a_portal() -> None:
    snap = healthy_snapshot(customer=account_lookup(v2_account(configured=False)))
    found = run_check("customer.found", context(snap))
    assert found.status is Status.FAIL and found.headline is not None
    assert found.headline.code == CUSTOMER_ACCOUNT_NOT_CUSTOMER
    assert "without the customer configuration" in found.summary
    assert run_check("customer.subscriptions", context(snap)).status is Status.SKIP


def test_a_restricted_key_that_may_not_read_accounts_is_told_the_permission() -> None:
    refused = PermissionMissing("The provided key 'rk_test_****abcd' does not have the required permissions "
                                "for this endpoint on account 'acct_1'. Having the 'rak_accounts_kyc_basic_read' "
                                "permission would allow this request to continue.", http_status=403)
    result = run_check("customer.found", context(healthy_snapshot(customer=account_lookup(error=refused))))
    assert result.status is Status.ERROR
    assert result.summary == ("The restricted key may not read the customer-configured account: "
                              "it needs Accounts: Read.")


# -- Connect ----------------------------------------------------------------------------------


def test_a_run_on_a_connected_account_says_whose_settings_were_read() -> None:
    result = run_check("key.accepted", context(healthy_snapshot(connected_account=SELLER)))
    assert result.status is Status.PASS
    connected = result.with_code(ACCOUNT_CONNECTED)
    assert connected and connected[0].text("connected_account") == SELLER
    line = next(d for d in result.details if d.startswith("Connected account"))
    assert SELLER in line and "direct charges" in line and "destination charges" in line


def test_a_connected_account_the_key_may_not_reach_fails_the_key_and_skips_the_rest() -> None:
    snap = healthy_snapshot(connected_account=SELLER, auth_error=_refused())
    results = {r.id: r for r in run_checks(context(snap))}
    accepted = results["key.accepted"]
    assert accepted.status is Status.FAIL and accepted.headline is not None
    assert accepted.headline.code == KEY_CONNECTED_ACCOUNT_REFUSED
    assert accepted.summary.startswith(f"Stripe refused this key access to the connected account {SELLER}")
    portal = results["portal.configuration"]
    assert portal.status is Status.SKIP
    assert portal.summary == (f"Not checked: this key may not act as the connected account {SELLER} "
                              "(the key check says why).")
    assert "restricted key" not in " ".join(r.summary for r in results.values())


# -- on_behalf_of ---------------------------------------------------------------------------------


def _on_behalf_of(sessions: list[dict[str, Any]], subscriptions: list[dict[str, Any]]) -> Snapshot:
    return healthy_snapshot(customer=account_lookup(subscriptions=subscriptions), session_events=ok(Page(sessions)))


def test_sessions_on_behalf_of_an_account_no_subscription_carries_warn() -> None:
    sub = subscription(customer="cus_Mirror", customer_account=ACCOUNT_ID, on_behalf_of=None)
    result = run_check("integration.sessions", context(_on_behalf_of([account_session()], [sub])))
    assert result.status is Status.WARN and result.headline is not None
    assert result.headline.code == SESSIONS_ATTENTION
    unmatched = result.with_code(SESSIONS_ON_BEHALF_OF_UNMATCHED)
    assert [f.seen for f in unmatched] == [SELLER]
    assert result.summary.endswith(
        f"but 1 of them are on behalf of {SELLER}, which none of the customer's subscriptions carries, "
        "so the portal shows this customer nothing to manage.")
    assert any("`on_behalf_of`" in step for step in result.fix)


def test_sessions_on_behalf_of_the_account_the_subscriptions_carry_pass() -> None:
    sub = subscription(customer="cus_Mirror", customer_account=ACCOUNT_ID, on_behalf_of=SELLER)
    result = run_check("integration.sessions", context(_on_behalf_of([account_session()], [sub])))
    assert result.status is Status.PASS
    assert not result.with_code(SESSIONS_ON_BEHALF_OF_UNMATCHED)


def test_sessions_of_other_customers_warn_only_when_the_customer_carries_none_of_their_accounts() -> None:
    """A marketplace opens portals on behalf of many sellers: one the customer does not buy from
    is no problem, as long as the customer's sellers are among them."""
    mine = subscription(customer="cus_Mirror", customer_account=ACCOUNT_ID, on_behalf_of=SELLER)
    theirs = [account_session("acct_1OtherCustomerAb", on_behalf_of=seller, id=f"evt_{n}")
              for n, seller in enumerate((SELLER, "acct_1QSellerSouthAbcd"))]
    assert run_check("integration.sessions", context(_on_behalf_of(theirs, [mine]))).status is Status.PASS
    elsewhere = [account_session("acct_1OtherCustomerAb", on_behalf_of="acct_1QSellerSouthAbcd")]
    result = run_check("integration.sessions", context(_on_behalf_of(elsewhere, [mine])))
    assert result.status is Status.WARN
    assert result.with_code(SESSIONS_ON_BEHALF_OF_UNMATCHED)[0].text("whose") == (
        "opened for any customer, none of them this one")


def test_without_a_customer_on_behalf_of_is_listed_not_judged() -> None:
    snap = healthy_snapshot(session_events=ok(Page([account_session()])))
    result = run_check("integration.sessions", context(snap))
    assert result.status is Status.PASS
    assert f"On behalf of: {SELLER} (1)" in result.details


# -- event destinations ---------------------------------------------------------------------


def test_an_eventbridge_destination_counts_like_an_endpoint_and_is_named_with_its_type() -> None:
    snap = healthy_snapshot(webhook_endpoints=ok([]), event_destinations=ok([destination()]))
    result = run_check("webhooks.events", context(snap))
    assert result.status is Status.PASS and result.headline is not None
    assert result.headline.code == WEBHOOKS_COMPLETE_WITH_DESTINATIONS
    assert result.summary == ("Every event the portal integration needs reaches the app, through the Amazon "
                              "EventBridge destination 'billing-bus' (an event destination counts like a "
                              "webhook endpoint).")
    assert "no endpoint" not in result.summary.lower()
    rows = endpoint_rows(result)
    assert [r.url for r in rows] == ["Amazon EventBridge destination 'billing-bus'"]
    assert all(rows[0].receives)


def test_a_disabled_destination_or_one_for_other_accounts_counts_for_nothing() -> None:
    for dest in (destination(status="disabled"), destination(events_from=["@accounts"])):
        snap = healthy_snapshot(webhook_endpoints=ok([]), event_destinations=ok([dest]))
        result = run_check("webhooks.events", context(snap))
        assert result.status is Status.WARN and result.headline is not None
        assert result.headline.code == WEBHOOKS_NO_ENDPOINTS
        assert result.with_code(WEBHOOK_DESTINATION)[0].status is Status.SKIP


def test_a_destination_with_some_events_is_named_in_the_missing_sentence() -> None:
    snap = healthy_snapshot(webhook_endpoints=ok([]), event_destinations=ok([
        destination(type="azure_event_grid", name="portal-grid", events=PORTAL_EVENTS[:2])]))
    result = run_check("webhooks.events", context(snap))
    assert result.status is Status.WARN and result.headline is not None
    assert result.headline.code == WEBHOOKS_EVENTS_MISSING
    assert result.summary.startswith("No enabled webhook endpoint or event destination listens to ")
    assert "Azure Event Grid destination 'portal-grid' (enabled)" in " ".join(result.details)


def test_a_webhook_destination_that_is_one_of_the_endpoints_is_not_counted_twice() -> None:
    hook = webhook_endpoint(events=list(PORTAL_EVENTS), url="https://example.com/hooks")
    same = destination(type="webhook_endpoint", name="hooks", webhook_endpoint={"url": "https://example.com/hooks"})
    result = run_check("webhooks.events", context(healthy_snapshot(
        webhook_endpoints=ok([hook]), event_destinations=ok([same]))))
    assert result.headline is not None and result.headline.code == WEBHOOKS_COMPLETE
    assert not result.with_code(WEBHOOK_DESTINATION)


def test_destinations_that_could_not_be_read_are_said_and_change_no_verdict() -> None:
    refused = PermissionMissing("Having the 'rak_webhook_read' permission would allow this request to continue.",
                                http_status=403)
    snap = replace(healthy_snapshot(), event_destinations=Fetched(error=refused))
    result = run_check("webhooks.events", context(snap))
    assert result.status is Status.PASS
    unread = result.with_code(WEBHOOKS_DESTINATIONS_UNREAD)
    assert unread and "Webhook Endpoints: Read" in " ".join(result.details)


def test_each_endpoint_shows_the_api_version_its_events_are_written_in() -> None:
    snap = healthy_snapshot(webhook_endpoints=ok([webhook_endpoint(events=list(PORTAL_EVENTS),
                                                                   api_version="2024-06-20")]))
    result = run_check("webhooks.events", context(snap))
    assert any("API version of its events: 2024-06-20" in d for d in result.details)
