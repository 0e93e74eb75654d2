"""Which flows to ask Stripe about, for one customer, from what the diagnosis read.

One ask per flow that applies: the payment method update; per subscription (all the customer's,
or the one named) its cancel and its plan change; with prices named, a confirmed switch to each
on one subscription (one item, quantity unchanged). Each goes to the configuration the owner's
integration uses (the one named, else the one its newest portal session used, else the
default) with a return URL (that configuration's default, else the one given). Whatever makes
the asks impossible as given is an `AskUsageError`, said before anything is sent. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.asks.model import (
    PAYMENT_METHOD_UPDATE,
    SUBSCRIPTION_CANCEL,
    SUBSCRIPTION_UPDATE,
    SUBSCRIPTION_UPDATE_CONFIRM,
    Ask,
    AskInputs,
    AskUsageError,
)
from assistant.diagnosis.asks.portal_view import (
    PortalView,
    SubscriptionView,
    configuration_said,
    expected,
    portal_view,
    price_said,
)
from assistant.diagnosis.checks import deep_links
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks.customer import chosen_customer
from assistant.diagnosis.checks.facts import object_id, said_customer
from assistant.diagnosis.checks.subscriptions import subscription_limits
from assistant.diagnosis.findings import Fact
from assistant.knowledge.dashboard import dashboard_url


@dataclass(frozen=True)
class AskPlan:
    """The asks for one customer, and what they are made with."""

    mode: str | None
    customer_id: str
    customer_kind: str  # "customer" (cus_…) or "account" (a customer-configured Account, acct_…)
    customer_said: str
    configuration_id: str
    return_url: str | None  # sent only when the configuration has no default of its own
    asks: tuple[Ask, ...]
    view: PortalView


def _customer(snap: Snapshot, found_summary: str) -> StripeObject:
    customer = chosen_customer(snap)
    if customer is None or snap.customer is None:
        why = f" ({found_summary})" if found_summary else ""
        raise AskUsageError(f"there is no single customer to ask about{why}; give a cus_… or acct_… id that the "
                            "customer check finds")
    if not snap.customer.subscriptions.ok:
        err = snap.customer.subscriptions.error
        raise AskUsageError("the customer's subscriptions could not be read"
                            + (f" ({err.summary})" if err is not None else "") + ", so no flow can be planned")
    return customer


def used_configuration(snap: Snapshot) -> StripeObject | None:
    """The configuration the owner's integration uses now: the one its newest portal session
    named (code that makes one per visit names a new one each time), when it was read and is
    still active; else the default."""
    newest = next((u.configuration for u in deep_links.uses(snap) if u.configuration), "")
    conf = snap.configuration(newest) if newest else None
    if conf is not None and conf.get("active", True):
        return conf
    return snap.default_configuration


def customer_view(snap: Snapshot) -> PortalView:
    """What the customer sees under the configuration the integration uses (the customer page
    shows it beside the asks): nothing to judge without a single customer whose subscriptions
    were read."""
    customer = chosen_customer(snap)
    lookup = snap.customer
    subs = lookup.subscriptions.value if customer is not None and lookup is not None and lookup.subscriptions.ok \
        else None
    return portal_view(snap, used_configuration(snap), subs)


def _configuration(snap: Snapshot, inputs: AskInputs, named: StripeObject | None) -> StripeObject | None:
    if inputs.configuration:
        conf = named if named is not None and object_id(named) == inputs.configuration \
            else snap.configuration(inputs.configuration)
        if conf is None:
            raise AskUsageError(f"there is no portal configuration {inputs.configuration} in "
                                f"{snap.mode or 'this'} mode of this account")
        return conf
    return used_configuration(snap)


def _return_url(conf: StripeObject | None, inputs: AskInputs) -> str | None:
    """None when the configuration's default applies (Stripe uses it when none is sent)."""
    if conf is not None and (conf.get("default_return_url") or "").strip():
        return None
    given = (inputs.return_url or "").strip()
    if not given:
        where = "its configuration has no default redirect link" if conf is not None else \
            "there is no portal configuration to take a default redirect link from"
        raise AskUsageError(f"no return URL: {where}; give one with --return-url https://…")
    return given


def _subscriptions_asked(view: PortalView, inputs: AskInputs) -> tuple[SubscriptionView, ...]:
    subs = view.subscriptions
    if inputs.subscription:
        named = view.subscription(inputs.subscription)
        if named is None:
            raise AskUsageError(f"{inputs.subscription} is not one of this customer's subscriptions"
                                f" ({_listed(subs)})")
        return (named,)
    if inputs.prices and len(subs) != 1:
        if not subs:
            raise AskUsageError("--price needs a subscription to switch, and this customer has none")
        raise AskUsageError(f"--price: this customer has {len(subs)} subscriptions; name the one to switch with "
                            f"--subscription ({_listed(subs)})")
    return subs


def _listed(subs: tuple[SubscriptionView, ...]) -> str:
    return "; ".join(f"{s.subscription_id}: {s.said}" for s in subs) or "none"


def plan_asks(snap: Snapshot, inputs: AskInputs, *, found_summary: str = "",
              named_configuration: StripeObject | None = None) -> AskPlan:
    """The asks for `inputs` (AskUsageError when they cannot be made as given). `found_summary`
    is the customer check's sentence, said when no single customer was found;
    `named_configuration` a configuration `--configuration` named that the diagnosis did not
    read (the caller reads it by id)."""
    customer = _customer(snap, found_summary)
    assert snap.customer is not None
    conf = _configuration(snap, inputs, named_configuration)
    return_url = _return_url(conf, inputs)
    view = portal_view(snap, conf, snap.customer.subscriptions.value or [])
    subs = _subscriptions_asked(view, inputs)
    base = _base_facts(snap, customer, conf, return_url or (conf or {}).get("default_return_url"))
    make = _AskMaker(snap, view, base)
    asks = [make(PAYMENT_METHOD_UPDATE, None, None, {"type": PAYMENT_METHOD_UPDATE})]
    for sub in subs:
        for flow in (SUBSCRIPTION_CANCEL, SUBSCRIPTION_UPDATE):
            asks.append(make(flow, sub, None, {"type": flow, flow: {"subscription": sub.subscription_id}}))
    target = subs[0] if subs and inputs.prices else None
    for price in dict.fromkeys(inputs.prices):
        assert target is not None
        item = target.item_id or object_id((make.items(target.subscription_id) or [{}])[0])
        confirm = {"subscription": target.subscription_id,
                   "items": [{"id": item, "price": price, "quantity": target.quantity}]}
        asks.append(make(SUBSCRIPTION_UPDATE_CONFIRM, target, price,
                         {"type": SUBSCRIPTION_UPDATE_CONFIRM, SUBSCRIPTION_UPDATE_CONFIRM: confirm}))
    return AskPlan(snap.mode, object_id(customer), snap.customer.kind, said_customer(customer),
                   object_id(conf) if conf is not None else "", return_url, tuple(asks), view)


def _base_facts(snap: Snapshot, customer: StripeObject, conf: StripeObject | None,
                return_url: str | None) -> dict[str, Fact]:
    default_id = object_id(snap.default_configuration)
    conf_id = object_id(conf) if conf is not None else ""
    return {
        "customer_id": object_id(customer), "customer_said": said_customer(customer),
        "configuration_id": conf_id or "—",
        "configuration_said": configuration_said(conf, default_id) if conf is not None else "no configuration",
        "change_where": msg.label("deep_link_where", "default" if conf_id and conf_id == default_id else "other"),
        "return_url": return_url or "—",
    }


class _AskMaker:
    """Makes each ask with its facts (what its finding's wording may say) and what the checks
    expect of it."""

    def __init__(self, snap: Snapshot, view: PortalView, base: Mapping[str, Fact]) -> None:
        self.snap, self.view, self.base = snap, view, base
        subs = snap.customer.subscriptions.value if snap.customer is not None else None
        self.subs = {object_id(s): s for s in subs or []}

    def items(self, subscription_id: str) -> list[StripeObject]:
        sub = self.subs.get(subscription_id) or {}
        return [i for i in (sub.get("items") or {}).get("data") or [] if isinstance(i, dict)]

    def __call__(self, flow: str, sub: SubscriptionView | None, price: str | None, flow_data: dict[str, Any]) -> Ask:
        sub_id = sub.subscription_id if sub is not None else None
        predicted, why = expected(self.view, flow, sub_id, price)
        feature = deep_links.FLOW_FEATURES[flow]
        facts: dict[str, Fact] = {
            **self.base, "flow": flow, "flow_said": msg.label("deep_link_flows", flow),
            "flow_short": msg.label("deep_link_short", flow),
            "feature": feature, "feature_said": msg.label("deep_link_features", feature),
            "subscription_id": sub_id or "—", "subscription_said": sub.said if sub is not None else "—",
            "price_id": price or "—", "price_said": self._price_said(price) if price else "—",
        }
        if sub is not None:
            facts.update(self._subscription_facts(sub.subscription_id))
        said = msg.fill(msg.label("ask_flows", flow), facts)
        return Ask(flow, sub_id, price, flow_data, predicted, why, said, facts)

    def _price_said(self, price_id: str) -> str:
        prices = self.snap.prices.value or {}
        return price_said(prices.get(price_id), price_id, self.snap.products.value or {})

    def _subscription_facts(self, subscription_id: str) -> dict[str, Fact]:
        sub = self.subs.get(subscription_id) or {}
        limits = subscription_limits(sub, chosen_customer(self.snap), self.snap.read_at) if sub else []
        return {
            "subscription_url": dashboard_url(self.snap.mode, "subscriptions", subscription_id),
            "schedule_id": object_id(sub.get("schedule")) or "—",
            "limits": "; ".join(msg.label("deep_link_blocks", code) for code in limits) or "—",
        }


__all__ = ["AskPlan", "customer_view", "plan_asks", "used_configuration"]
