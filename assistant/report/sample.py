"""A sample run for report previews, screenshots and tests: the real checks over a made-up account.

The account is built in memory (no server, no network) and diagnosed by the declared checks,
so the sample has every check, its real wording and its findings, and follows the checks when
they change. It deliberately carries what a report must cope with: a hostile product name, a
customer e-mail, a portal session link in the notes and a Stripe error with a request id.
"""

from __future__ import annotations

from typing import Any

from assistant.account.api_version import STRIPE_API_VERSION
from assistant.account.errors import RateLimited
from assistant.account.keys import classify_key
from assistant.account.snapshot import CustomerLookup, Fetched, Page, Snapshot
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.registry import run_checks
from assistant.diagnosis.model import AccountInfo, CheckResult, Diagnosis

HOSTILE_NAME = '<script>alert(1)</script> & "Pro"'
ACCOUNT_ID = "acct_1PrCtc3Coffee00"
RATE_LIMIT_REQUEST_ID = "req_8sHq3bXoLz1fKe"
READ_AT = 1717423651  # 2024-06-03T14:07:31Z, the sample's generated_at
# Built at run time, so nothing committed looks like a key; reports show it masked.
_KEY = "sk_" + "test_" + "SampleReportOnly" * 4 + "Xy9Q"


def _price(price_id: str, product: str, nickname: str, amount: int) -> dict[str, Any]:
    return {
        "id": price_id, "object": "price", "active": True, "product": product, "nickname": nickname,
        "currency": "usd", "unit_amount": amount, "billing_scheme": "per_unit", "type": "recurring",
        "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
    }


def sample_snapshot(product_name: str = HOSTILE_NAME) -> Snapshot:
    """A test mode coffee shop: the hostile-named product archived, the return URL mistyped,
    webhook events missing and a cancellation not delivered, two customers sharing an e-mail,
    and Stripe rate-limiting the customer's subscriptions."""
    hostile: dict[str, Any] = {"id": "prod_Q1hostile", "object": "product", "name": product_name, "active": False}
    basic: dict[str, Any] = {"id": "prod_Q2basic", "object": "product", "name": "Basic", "active": True}
    prices = [_price("price_1Pro", hostile["id"], "Monthly", 2000),
              _price("price_1Basic", basic["id"], "Basic monthly", 900)]
    configuration = {
        "id": "bpc_1PrCtcDefault", "object": "billing_portal.configuration", "active": True,
        "is_default": True, "livemode": False, "name": "Coffee portal",
        "default_return_url": "htps://coffee.example/account",
        "login_page": {"enabled": False, "url": None},
        "features": {
            "customer_update": {"enabled": False, "allowed_updates": []},
            "invoice_history": {"enabled": True},
            "payment_method_update": {"enabled": True},
            "subscription_cancel": {"enabled": False, "mode": "at_period_end"},
            "subscription_update": {
                "enabled": True, "default_allowed_updates": ["price"], "proration_behavior": "none",
                "products": [{"product": p["product"], "prices": [p["id"]]} for p in prices],
            },
        },
    }
    endpoint = {
        "id": "we_1Hook", "object": "webhook_endpoint", "url": "https://coffee.example/stripe/webhook",
        "status": "enabled", "enabled_events": ["invoice.paid", "customer.subscription.deleted"],
    }
    jane: dict[str, Any] = {"id": "cus_QcoffeeJane", "object": "customer", "name": "Jane Doe",
            "email": "jane.doe@example.com", "created": 1717000000}
    # An older record with the same e-mail: the login link picks Jane's (it has the subscription).
    old_jane = {"id": "cus_QcoffeeOld", "object": "customer", "name": "J. Doe",
                "email": "jane.doe@example.com", "created": 1690000000}
    sessions = [
        {"id": f"evt_1Sess{n}", "object": "event", "type": "billing_portal.session.created",
         "created": READ_AT - 86400 * n, "pending_webhooks": 0, "livemode": False,
         "data": {"object": {"id": f"bps_1Sess{n}", "object": "billing_portal.session",
                             "configuration": configuration["id"], "customer": jane["id"],
                             "return_url": "https://coffee.example/account", "locale": None,
                             "on_behalf_of": None, "livemode": False}}}
        for n in (1, 2)
    ]
    undelivered = [{"id": "evt_1Gone", "object": "event", "type": "customer.subscription.deleted",
                    "created": READ_AT - 3 * 3600, "pending_webhooks": 1, "livemode": False,
                    "data": {"object": {"id": "sub_1Old", "object": "subscription"}}}]
    throttled = RateLimited("Request rate limit exceeded.", code="rate_limit",
                            request_id=RATE_LIMIT_REQUEST_ID, http_status=429)
    return Snapshot(
        key=classify_key(_KEY),
        account=Fetched({"id": ACCOUNT_ID, "object": "account",
                         "business_profile": {"name": "Practice Coffee Co."}}),
        configurations=Fetched([configuration]),
        webhook_endpoints=Fetched([endpoint]),
        products=Fetched({p["id"]: p for p in (hostile, basic)}),
        prices=Fetched({p["id"]: p for p in prices}),
        customer=CustomerLookup(jane["email"], Fetched([jane, old_jane]), chosen=jane,
                                subscriptions=Fetched(error=throttled)),
        session_events=Fetched(Page(sessions)),
        undelivered_events=Fetched(Page(undelivered)),
        read_at=READ_AT,
    )


def sample_checks(product_name: str = HOSTILE_NAME) -> tuple[CheckResult, ...]:
    return tuple(run_checks(CheckContext(snapshot=sample_snapshot(product_name))))


def sample_diagnosis(
    *,
    product_name: str = HOSTILE_NAME,
    notes: str | None = None,
    ticket: str = "ZD-48213",
) -> Diagnosis:
    if notes is None:
        notes = (
            "Customer (jane.doe@example.com) says the portal shows no plans to switch to.\n"
            "She sent this link: https://billing.stripe.com/p/session/test_YWNjdF8xUHJDdGMz\n"
            "Next: owner will restore the Pro product and fix the return URL."
        )
    return Diagnosis(
        generated_at="2024-06-03T14:07:31Z",
        mode="test",
        masked_key="sk_test_…Xy9Q",
        account=AccountInfo(ACCOUNT_ID, "Practice Coffee Co."),
        checks=sample_checks(product_name),
        request_count=14,
        customer_query="jane.doe@example.com",
        notes=notes,
        ticket=ticket,
        app_version="0.1.0",
        api_version=STRIPE_API_VERSION,
    )
