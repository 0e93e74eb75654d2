"""Restricted-key permissions in the words the owner sees in the Dashboard.

Stripe's 403 names a permission as `rak_customer_portal_write`; the Dashboard's key editor shows
"Customer portal" set to None, Read or Write. The agent says the Dashboard's words and keeps
Stripe's name as evidence. The mapping is data (`resources/stripe/permissions.json`), read by
`assistant.account.permissions` so the gateway's refusals and the checks say the same words.
"""

from __future__ import annotations

from assistant.account import permissions as _table


def known() -> tuple[str, ...]:
    return tuple(_table.table())


def dashboard_words(permission: str) -> str:
    """ "Customer portal: Write"; for a name we do not know, Stripe's own name."""
    return _table.dashboard_words(permission) or permission
