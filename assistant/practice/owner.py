"""The practice server playing the owner: what Stripe's Dashboard does when the owner presses Save
on the customer portal settings of a mode that has no default configuration yet. It creates the
mode's default configuration (`is_default: true`), with the Dashboard's default features, so a
guided fix that waits for the owner can be finished on a practice account.

Only the window's practice host calls this, in-process: there is no HTTP route for it, so nothing
pointed at real Stripe can ever ask for it. The defaults: Switch plan and Update quantities off,
Cancel subscription on, at the end of the period (docs.stripe.com/customer-management/configure-portal);
the other features as Stripe's own fixture object holds them (docs/sources.md).
"""

from __future__ import annotations

import copy
import time
from typing import Any

from assistant.practice.store import Store, new_id


def save_portal_settings(store: Store, mode: str) -> dict[str, Any]:
    """The mode's default configuration after the owner's Save (the existing one when there is one)."""
    existing = next((c for c in store.objects(mode, "configurations") if c.get("is_default")), None)
    if existing is not None:
        return existing
    now = int(time.time())
    conf: dict[str, Any] = copy.deepcopy(dict(store.scenario.templates["billing_portal.configuration"]))
    conf.update(id=new_id("bpc"), created=now, updated=now, livemode=mode == "live", is_default=True,
                active=True, default_return_url=None, metadata={}, name=None, application=None)
    conf["login_page"] = {"enabled": False, "url": None}
    conf["business_profile"] = {"headline": None, "privacy_policy_url": None, "terms_of_service_url": None}
    features = conf["features"]
    features["subscription_cancel"].update(enabled=True, mode="at_period_end")
    features["subscription_update"].update(enabled=False, default_allowed_updates=[], products=[])
    store.put(mode, "configurations", conf)
    return conf
