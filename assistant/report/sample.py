"""A fabricated practice-server run with every check id, for report previews, screenshots and tests.

It deliberately carries things a report must cope with: a hostile product name, a customer
e-mail, a portal session link in the notes and Stripe errors with request ids.
"""

from __future__ import annotations

from assistant.diagnosis.model import (
    AccountInfo,
    CheckResult,
    Diagnosis,
    Status,
    StripeErrorInfo,
)

HOSTILE_NAME = '<script>alert(1)</script> & "Pro"'
_PORTAL_SETTINGS = "https://dashboard.stripe.com/test/settings/billing/portal"


def sample_checks(product_name: str = HOSTILE_NAME) -> tuple[CheckResult, ...]:
    return (
        CheckResult(
            "key.format", "Key format", Status.PASS,
            "The key is a Secret Key (sk_test_) and looks complete.",
            glossary=("Secret Key",),
        ),
        CheckResult(
            "key.mode", "Test or live mode", Status.PASS,
            "This is a Test Mode key: nothing you do here touches real customers.",
            glossary=("Test Mode", "Live Mode"),
        ),
        CheckResult(
            "key.accepted", "Stripe accepts the key", Status.PASS,
            "Stripe accepted the key for account acct_1PrCtc3Coffee00.",
        ),
        CheckResult(
            "portal.configuration", "Portal configuration", Status.PASS,
            "A default Portal Configuration exists (bpc_1PrCtcDefault).",
            details=("Created 2024-05-02; last updated 2024-05-28.",),
            glossary=("Portal Configuration",),
        ),
        CheckResult(
            "portal.features", "Portal features", Status.WARN,
            "Customers can update payment methods but cannot cancel or switch plans.",
            details=(
                "Subscription cancel: off",
                "Subscription update: off",
                "Payment method update: on",
                "Invoice history: on",
            ),
            fix=(
                f"Open the Dashboard at {_PORTAL_SETTINGS}.",
                "Under Subscriptions, turn on 'Customers can switch plans' and choose products.",
                "Click Save.",
            ),
            glossary=("Subscription Management", "Billing History"),
        ),
        CheckResult(
            "portal.products", "Products offered in the portal", Status.FAIL,
            f"Product '{product_name}' is offered for plan switching but its only Price is archived.",
            details=(
                f"prod_Q1hostile ('{product_name}'): price_1Old (archived, monthly)",
                "prod_Q2basic ('Basic'): price_1Basic (active, monthly)",
            ),
            fix=(
                f"In the Dashboard open the Product Catalogue and create a new monthly Price for '{product_name}'.",
                f"Then add that Price to the portal at {_PORTAL_SETTINGS}.",
            ),
            glossary=("Product Catalogue", "Archived Price", "Recurring Price"),
        ),
        CheckResult(
            "portal.return_url", "Default return URL", Status.FAIL,
            "Stripe rejected the Default Return URL: it is not a valid https URL.",
            details=("Configured: htps://coffee.example/account",),
            fix=(
                (
                    "Set the Default Return URL to the page customers should land on, "
                    "e.g. https://coffee.example/account."
                ),
                f"Dashboard: {_PORTAL_SETTINGS}",
            ),
            glossary=("Default Return URL",),
            stripe_error=StripeErrorInfo(
                "Invalid URL: htps://coffee.example/account",
                code="url_invalid",
                param="default_return_url",
                request_id="req_8sHq3bXoLz1fKe",
                http_status=400,
            ),
        ),
        CheckResult(
            "portal.login_link", "No-code login link", Status.SKIP,
            "The No-code Login Link is turned off, so there is nothing to check.",
            glossary=("No-code Login Link",),
        ),
        CheckResult(
            "webhooks.events", "Webhook events", Status.WARN,
            "No Webhook Endpoint listens for customer.subscription.updated.",
            details=(
                (
                    "we_1Hook → https://coffee.example/stripe/webhook: invoice.paid, "
                    "customer.subscription.deleted"
                ),
            ),
            fix=(
                (
                    "Add customer.subscription.updated to the endpoint's events, so plan "
                    "changes made in the portal reach the site."
                ),
            ),
            glossary=("Webhook Endpoint",),
        ),
        CheckResult(
            "parity.test_live", "Test and live match", Status.SKIP,
            "No Live Mode key was given, so test and live could not be compared.",
        ),
        CheckResult(
            "customer.found", "Customer found", Status.PASS,
            "Found customer cus_QcoffeeJane for jane.doe@example.com.",
        ),
        CheckResult(
            "customer.email", "Customer e-mail", Status.PASS,
            "The Billing Email jane.doe@example.com is set, so one-time passcodes can be sent.",
            glossary=("Billing Email", "One-time Passcode"),
        ),
        CheckResult(
            "customer.subscriptions", "Customer subscriptions", Status.ERROR,
            "Stripe kept answering 'too many requests' (429) while listing subscriptions.",
            fix=("Wait a minute and run the checks again.",),
            glossary=("Rate Limit",),
            stripe_error=StripeErrorInfo(
                "Request rate limit exceeded.",
                code="rate_limit",
                request_id="req_Zt5mQ2rRate429",
                http_status=429,
            ),
        ),
    )


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
            "Next: owner will add a new monthly price and fix the return URL."
        )
    return Diagnosis(
        generated_at="2024-06-03T14:07:31Z",
        mode="test",
        masked_key="sk_test_…Xy9Q",
        account=AccountInfo("acct_1PrCtc3Coffee00", "Practice Coffee Co."),
        checks=sample_checks(product_name),
        request_count=14,
        customer_query="jane.doe@example.com",
        notes=notes,
        ticket=ticket,
        app_version="0.1.0",
    )
