"""The Stripe API version the app speaks: sent on every request, shown and written everywhere.

Written here once (the only version string in the package) so that what the checks read never
depends on the account's default version or on whichever stripe-python release was installed.
Changing it is a deliberate upgrade with its own commit: re-verify the checks against the new
version's shapes (docs/sources.md dates), raise stripe-python's bound in pyproject.toml, relock
(docs/decisions.md) — tests/test_api_version.py fails until the installed SDK describes it too.

A plain module below the gateway, so the practice server (which answers in this version) and
the checks (which compare it with a webhook endpoint's) read it without importing stripe.
"""

from __future__ import annotations

STRIPE_API_VERSION = "2026-10-28.endive"
