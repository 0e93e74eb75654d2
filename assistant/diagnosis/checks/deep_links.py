"""Portal deep links (sessions created with `flow_data`): what each needs, judged against the
configuration the session used and the subscription it acts on.

Stripe checks a deep link when the owner's code creates the session: the feature the flow
opens must be on in that configuration, a confirm flow's prices must be in its plan list, and
the subscription must be one the portal may change. A session event therefore records a link
that worked then; judged against today's settings, it says whether the same link works now.
Pure: the session events, configurations and subscriptions come from the snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.account.portal_flows import PLAN_CHANGE_FLOWS, SessionUse, session_uses
from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.checks.facts import object_id
from assistant.diagnosis.checks.subscriptions import BLOCKS_CANCEL, ENDED, subscription_limits

# The portal feature each flow type opens (stripe-python 16.1 `billing_portal/_session.py`,
# docs.stripe.com/customer-management/portal-deep-links).
FLOW_FEATURES: dict[str, str] = {
    "subscription_update": "subscription_update",
    "subscription_update_confirm": "subscription_update",
    "subscription_cancel": "subscription_cancel",
    "subscription_pause": "subscription_pause",
    "payment_method_update": "payment_method_update",
    "customer_update": "customer_update",
}
# Why the portal may not act on a subscription, by flow: plan changes need a subscription it may
# change; cancelling and pausing need one it may still cancel.
ENDED_CODE = "ended"


@dataclass(frozen=True)
class LinkUse:
    """Recent sessions that opened one flow with one configuration."""

    flow: str
    configuration: str
    count: int
    latest: int
    # The configuration as read (None: not read), and what it lacks for this flow.
    conf: StripeObject | None = None
    feature_off: str = ""
    prices_missing: tuple[str, ...] = ()
    subscriptions: tuple[str, ...] = field(default_factory=tuple)


def uses(snap: Snapshot) -> list[SessionUse]:
    page = snap.session_events.value
    return session_uses(page.items) if page else []


def plan_list_prices(conf: StripeObject) -> set[str]:
    update = (conf.get("features") or {}).get("subscription_update") or {}
    return {object_id(p) for e in update.get("products") or [] if isinstance(e, dict)
            for p in e.get("prices") or []}


def feature_on(conf: StripeObject, feature: str) -> bool:
    return bool(((conf.get("features") or {}).get(feature) or {}).get("enabled"))


def link_uses(snap: Snapshot, recent: Iterable[SessionUse]) -> list[LinkUse]:
    """One entry per (flow, configuration) the deep links used, the most used first."""
    groups: dict[tuple[str, str], list[SessionUse]] = {}
    for use in recent:
        if use.flow:
            groups.setdefault((use.flow, use.configuration), []).append(use)
    out = []
    for (flow, conf_id), group in groups.items():
        conf = snap.configuration(conf_id)
        feature = FLOW_FEATURES.get(flow, "")
        off = feature if conf is not None and feature and not feature_on(conf, feature) else ""
        missing: tuple[str, ...] = ()
        if conf is not None and not off and flow == "subscription_update_confirm":
            offered = plan_list_prices(conf)
            missing = tuple(dict.fromkeys(p for u in group for p in u.prices if p not in offered))
        out.append(LinkUse(flow, conf_id, len(group), max(u.created for u in group), conf, off, missing,
                           tuple(dict.fromkeys(u.subscription for u in group if u.subscription))))
    return sorted(out, key=lambda link: (-link.count, link.flow, link.configuration))


def subscription_blocks(flow: str, sub: StripeObject, now: float | None) -> tuple[str, ...]:
    """Why the portal may not take this subscription through `flow` (codes of
    customer.subscriptions, or `ENDED_CODE`); empty when it may."""
    if sub.get("status") in ENDED:
        return (ENDED_CODE,)
    limits = subscription_limits(sub, None, now)
    if flow in PLAN_CHANGE_FLOWS:
        return tuple(limits)
    return tuple(c for c in limits if c in BLOCKS_CANCEL)


def plan_change_uses(snap: Snapshot, configuration_id: str | None = None) -> list[SessionUse]:
    """Recent sessions that deep-linked into a plan change (with `configuration_id`, if given)."""
    return [u for u in uses(snap) if u.flow in PLAN_CHANGE_FLOWS
            and configuration_id in (None, u.configuration)]
