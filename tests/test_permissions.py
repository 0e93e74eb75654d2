"""Restricted-key permissions read as the Dashboard names them, for every one the app can meet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.account.errors import PermissionMissing
from assistant.account.permissions import dashboard_words, in_dashboard_words
from assistant.practice.api import ROUTES


@pytest.mark.parametrize("name,words", [
    ("rak_billing_portal_write", "Customer portal: Write"),
    ("rak_customer_portal_read", "Customer portal: Read"),
    ("rak_webhook_write", "Webhook Endpoints: Write"),
    ("rak_product_read", "Products: Read"),
    # the words issue 16 quotes from the Dashboard, and the expansions' permission
    ("rak_customer_portal_write", "Customer portal: Write"),
    ("rak_customer_read", "Customers: Read"),
    ("rak_subscription_read", "Subscriptions: Read"),
    ("rak_price_read", "Prices: Read"),
    ("rak_webhook_read", "Webhook Endpoints: Read"),
    ("rak_event_read", "Events: Read"),
    ("rak_payment_method_read", "PaymentMethods: Read"),
])
def test_known_permissions_read_as_the_dashboard_shows_them(name: str, words: str) -> None:
    assert dashboard_words(name) == words


def test_every_permission_the_practice_server_asks_for_has_dashboard_words() -> None:
    for _, _, permission, _ in ROUTES:
        if permission:
            assert dashboard_words(permission), permission


def test_an_unknown_permission_is_shown_as_stripe_wrote_it() -> None:
    assert dashboard_words("rak_time_machine_write") is None
    assert in_dashboard_words("needs 'rak_time_machine_write'") == "needs 'rak_time_machine_write'"


def test_the_refusal_says_the_dashboard_row_and_keeps_stripes_name_as_data() -> None:
    err = PermissionMissing(
        "... Having the 'rak_billing_portal_write' permission would allow this request to continue.")
    assert err.permission == "rak_billing_portal_write"
    assert err.summary == "The restricted key lacks the Customer portal: Write permission."
    assert in_dashboard_words(err.message) == (
        "... Having the 'Customer portal: Write' permission would allow this request to continue.")


def test_every_permission_named_anywhere_in_the_app_has_dashboard_words() -> None:
    """A `rak_` name the app can meet (gateway, fixes, practice server, scenarios) that had no
    Dashboard words would reach the screen as Stripe's internal name."""
    root = Path(__file__).resolve().parents[1] / "assistant"
    names = {name for path in root.rglob("*") if path.suffix in (".py", ".json")
             for name in re.findall(r"\brak_[a-z0-9_]+", path.read_text(encoding="utf-8"))}
    names -= {"rak_time_machine_write"}  # tests' unknown name, never in the app
    assert names, "no permission name found: the scan looks in the wrong place"
    assert sorted(n for n in names if dashboard_words(n) is None) == []


def test_the_checks_and_the_gateway_read_one_table() -> None:
    from assistant.knowledge import permissions as knowledge

    for name in knowledge.known():
        assert knowledge.dashboard_words(name) == dashboard_words(name)
    assert knowledge.dashboard_words("rak_time_machine_write") == "rak_time_machine_write"
