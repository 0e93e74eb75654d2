"""What a portal session event says about the owner's integration: the configuration it used and
the deep link (`flow`) it opened, if any.

Collection reads these to know which configurations and subscriptions to read by id; the
checks read them to judge each deep link. Said once here so both read the event the same way.
A session created with `flow_data` carries `flow` (`type` and, for flows on a subscription,
`flow.<type>.subscription`; the confirm flow also names `items[].price`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

StripeObject = dict[str, Any]

# Flow types that act on one subscription, which the portal must be allowed to change.
SUBSCRIPTION_FLOWS = frozenset({
    "subscription_update", "subscription_update_confirm", "subscription_cancel", "subscription_pause",
})
# Flow types that change the plan: both need plan switching on.
PLAN_CHANGE_FLOWS = frozenset({"subscription_update", "subscription_update_confirm"})


@dataclass(frozen=True)
class SessionUse:
    """One recent portal session as the owner's code created it."""

    configuration: str
    created: int
    flow: str  # "" for a session that opens the portal's home page
    subscription: str  # the flow's subscription id, "" when the flow has none
    prices: tuple[str, ...]  # the prices a confirm flow asks for


def session_of(event: StripeObject) -> StripeObject:
    obj = (event.get("data") or {}).get("object")
    return obj if isinstance(obj, dict) else {}


def session_use(event: StripeObject) -> SessionUse:
    session = session_of(event)
    flow = _dict(session.get("flow"))
    kind = str(flow.get("type") or "")
    detail = _dict(flow.get(kind))
    items = detail.get("items")
    items = items if isinstance(items, list) else []
    prices = tuple(str(i.get("price")) for i in items if isinstance(i, dict) and i.get("price"))
    created = session.get("created") or event.get("created") or 0
    return SessionUse(
        configuration=_id(session.get("configuration")),
        created=created if isinstance(created, int) and not isinstance(created, bool) else 0,
        flow=kind,
        subscription=_id(detail.get("subscription")) if kind in SUBSCRIPTION_FLOWS else "",
        prices=prices,
    )


def session_uses(events: list[StripeObject]) -> list[SessionUse]:
    """Newest first, as Stripe lists events."""
    return sorted((session_use(e) for e in events), key=lambda u: u.created, reverse=True)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _id(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return str(value) if isinstance(value, str) else ""
