"""Customer-configured Accounts (Accounts v2) seen as the customer the portal opens for.

Since 2026-04 an owner can keep customers as Accounts (`acct_…`) with a customer configuration
instead of Customers (`cus_…`); portal sessions and subscriptions then name them as
`customer_account`. The customer checks read a customer's name, e-mail, creation time and
default payment method; an Account keeps these elsewhere (`display_name`, `contact_email`, an
RFC 3339 `created`, `configuration.customer.billing.default_payment_method`), so collection
hands the checks the Account in a customer's words, with the Account itself kept beside them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

StripeObject = dict[str, Any]

ACCOUNT_PREFIX = "acct_"
CUSTOMER = "customer"  # the configuration that makes an Account a customer


def is_account_id(query: str | None) -> bool:
    """An Accounts v2 id (acct_…), never an e-mail to look up."""
    return (query or "").strip().startswith(ACCOUNT_PREFIX)


def customer_configured(account: StripeObject) -> bool:
    """Whether the Account has its customer configuration applied (what makes it a customer)."""
    applied = account.get("applied_configurations") or []
    configuration = (account.get("configuration") or {}).get(CUSTOMER)
    if isinstance(configuration, dict) and configuration.get("applied") is False:
        return False
    return CUSTOMER in applied


def account_as_customer(account: StripeObject) -> StripeObject:
    """The Account in the fields the customer checks read; the Account itself under `account`."""
    billing = ((account.get("configuration") or {}).get(CUSTOMER) or {}).get("billing") or {}
    return {
        "id": account.get("id"),
        "object": "v2.core.account",
        "name": account.get("display_name"),
        "email": account.get("contact_email"),
        "created": _timestamp(account.get("created")),
        "invoice_settings": {"default_payment_method": billing.get("default_payment_method")},
        "customer_configured": customer_configured(account),
        "account": account,
    }


def _timestamp(value: object) -> int | None:
    """Unix seconds from v2's RFC 3339 text ("2026-04-22T10:00:00.000Z"); None when unreadable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None
