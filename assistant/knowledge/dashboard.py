"""Stripe Dashboard links per mode, so every fix step points at the page of the key's mode.

Test and live mode are configured separately; a link to the wrong mode sends the owner to
settings that do not affect the key being diagnosed.
"""

from __future__ import annotations

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
}
# Pages that make sense without an id, offered to message templates as `{dashboard_<page>}`.
LIST_PAGES: tuple[str, ...] = (
    "portal", "products", "apikeys", "webhooks", "customers", "subscriptions", "branding", "public",
    "tax",
)


def dashboard_url(mode: str | None, page: str, *ids: str) -> str:
    """Link to `page` (optionally one object) in the Dashboard of `mode`; unknown mode → test."""
    try:
        path = PAGES[page]
    except KeyError:
        raise ValueError(f"unknown Dashboard page {page!r}") from None
    for object_id in ids:
        path += "/" + quote(str(object_id), safe="")
    prefix = "" if is_live(mode) else "test/"
    return f"{DASHBOARD_ROOT}/{prefix}{path}"


def dashboard_links(mode: str | None) -> dict[str, str]:
    """`{"dashboard_portal": url, ...}` for the list pages of one mode."""
    return {f"dashboard_{page}": dashboard_url(mode, page) for page in LIST_PAGES}
