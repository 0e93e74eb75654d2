"""Stripe Dashboard links per mode, so every fix step points at the page of the key's mode.

Test and live mode are configured separately; a link to the wrong mode sends the owner to
settings that do not affect the key being diagnosed.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from assistant.account.keys import is_live

DASHBOARD_ROOT = "https://dashboard.stripe.com"

# page name -> path inside the Dashboard (ids, when given, are appended as path segments)
PAGES: dict[str, str] = {
    "portal": "settings/billing/portal",
    "products": "products",
    "prices": "prices",
    "apikeys": "apikeys",
    # Stripe's docs now send owners to Workbench for webhooks (docs/sources.md).
    "webhooks": "workbench/webhooks",
    "customers": "customers",
    "subscriptions": "subscriptions",
    "branding": "settings/branding",
    "public": "settings/public",
    "tax": "settings/tax",
    # The platform's list of its connected accounts (Connect → Accounts).
    "connect_accounts": "connect/accounts/overview",
}
# Pages that make sense without an id, offered to message templates as `{dashboard_<page>}`.
LIST_PAGES: tuple[str, ...] = (
    "portal", "products", "apikeys", "webhooks", "customers", "subscriptions", "branding", "public",
    "tax", "connect_accounts",
)


def dashboard_url(mode: str | None, page: str, *ids: str, account: str | None = None) -> str:
    """Link to `page` (optionally one object) in the Dashboard of `mode`; unknown mode → test.
    With `account` (a connected account's acct_… id) the page of that account's own Dashboard."""
    try:
        path = PAGES[page]
    except KeyError:
        raise ValueError(f"unknown Dashboard page {page!r}") from None
    for object_id in ids:
        path += "/" + quote(str(object_id), safe="")
    prefix = "" if is_live(mode) else "test/"
    url = f"{DASHBOARD_ROOT}/{prefix}{path}"
    return on_connected_account(url, account) if account else url


# A Dashboard link not yet naming an account: the account's id goes right after the root,
# before `test/` (`https://dashboard.stripe.com/acct_…/test/settings/billing/portal`). The
# platform's Connect pages (its list of connected accounts) stay the platform's.
_OWN_ACCOUNT_LINK = re.compile(re.escape(DASHBOARD_ROOT) + r"/(?!acct_|(?:test/)?connect/)")


def on_connected_account(text: str, account: str) -> str:
    """`text` with every Dashboard link in it opening `account`'s Dashboard instead of the
    signed-in account's own (docs/sources.md: the account-prefixed form)."""
    return _OWN_ACCOUNT_LINK.sub(f"{DASHBOARD_ROOT}/{quote(account, safe='')}/", text)


def dashboard_links(mode: str | None) -> dict[str, str]:
    """`{"dashboard_portal": url, ...}` for the list pages of one mode."""
    return {f"dashboard_{page}": dashboard_url(mode, page) for page in LIST_PAGES}
