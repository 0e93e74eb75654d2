"""What the customer sees: the portal as this customer would find it, and what the checks
therefore expect Stripe to say of each flow.

Built from the configuration the owner's integration uses and the customer's subscriptions,
already read by the diagnosis (no request of its own), with the rules the checks apply: a flow
needs its feature on (`deep_links.feature_on`), a subscription the portal may take through it
(`deep_links.subscription_blocks`, i.e. `subscriptions.subscription_limits`), and a confirmed
switch a price on the plan list (`deep_links.plan_list_prices`) other than the current one. Each
action the portal will not offer comes with its reason in one line, in the checks' own words
(`resources/checks.json` labels). The Dashboard's preview shows a portal without a customer;
this is this customer's. `expected` is what an ask's `predicted` comes from, so the two can be
compared on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from assistant.account.snapshot import Snapshot, StripeObject
from assistant.diagnosis.asks.model import (
    ACCEPTED,
    PAYMENT_METHOD_UPDATE,
    REFUSED,
    SUBSCRIPTION_CANCEL,
    SUBSCRIPTION_UPDATE,
    SUBSCRIPTION_UPDATE_CONFIRM,
)
from assistant.diagnosis.checks import deep_links
from assistant.diagnosis.checks import messages as msg
from assistant.diagnosis.checks import subscription_state as state
from assistant.diagnosis.checks.facts import object_id, said_amount, said_product
from assistant.diagnosis.checks.subscriptions import ENDED, said_subscription, when

# The portal's actions, in the order the portal shows them.
CHANGE_PLAN, CHANGE_QUANTITY, CANCEL, PAUSE = "change_plan", "change_quantity", "cancel", "pause"
PAYMENT_METHOD, INVOICES, DETAILS = "payment_method", "invoices", "details"
# The feature of the configuration behind each action (portal.features' names).
ACTION_FEATURES = {
    CHANGE_PLAN: "subscription_update", CHANGE_QUANTITY: "subscription_update", CANCEL: "subscription_cancel",
    PAUSE: "subscription_pause", PAYMENT_METHOD: "payment_method_update", INVOICES: "invoice_history",
    DETAILS: "customer_update",
}
# How a reason names a feature that is off ("… is off in this configuration").
_FEATURE_WORDS = {"invoice_history": "the invoice history"}  # the others: deep_link_features


@dataclass(frozen=True)
class PortalAction:
    """One thing the portal offers (or not) to this customer."""

    key: str
    offered: bool
    detail: str = ""  # offered: how ("to …", "at the end of the billing period"); not: why, in one line
    targets: tuple[str, ...] = ()  # the prices a plan change may go to

    @property
    def title(self) -> str:
        return msg.label("portal_actions", self.key)

    @property
    def said(self) -> str:
        """"Change plan — to "Pro Yearly" (290.00 USD / year)", "Pause: not offered — pausing is off …"."""
        if self.offered:
            return f"{self.title} — {self.detail}" if self.detail else self.title
        words = msg.label("portal_view", "not_offered").lower()
        return f"{self.title}: {words} — {self.detail}" if self.detail else f"{self.title}: {words}"

    @property
    def found(self) -> str:
        """"Offered — at the end of the billing period", "Not offered — pausing is off …"."""
        words = msg.label("portal_view", "offered" if self.offered else "not_offered")
        return f"{words} — {self.detail}" if self.detail else words


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription as the portal shows it to the customer."""

    subscription_id: str
    said: str  # as the owner knows it: `the subscription to "Pro" (29.00 USD / month)`
    status: str
    actions: tuple[PortalAction, ...]
    item_id: str = ""  # its one item (a confirmed switch names it), "" with several or none
    price_id: str = ""  # that item's price
    quantity: int = 1
    # flow -> why the checks expect Stripe to refuse it (absent: they expect it to open)
    refusals: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def action(self, key: str) -> PortalAction | None:
        return next((a for a in self.actions if a.key == key), None)


@dataclass(frozen=True)
class PortalView:
    """The portal of one customer under one configuration (`judged` False: nothing to show, and
    `heading` says why)."""

    heading: str
    configuration_id: str = ""
    configuration_said: str = ""
    customer_actions: tuple[PortalAction, ...] = ()
    subscriptions: tuple[SubscriptionView, ...] = ()
    judged: bool = False
    # Why the checks expect Stripe to refuse the payment method flow ("" when they expect it to open).
    payment_method_refusal: str = ""
    # price id -> how the owner knows it, for the prices a confirmed switch may name.
    prices_said: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)

    def subscription(self, subscription_id: str) -> SubscriptionView | None:
        return next((s for s in self.subscriptions if s.subscription_id == subscription_id), None)


def configuration_said(conf: StripeObject, default_id: str) -> str:
    """"the default configuration", `the "Partners" configuration`, or "configuration bpc_…"."""
    if object_id(conf) == default_id:
        return msg.label("session_values", "default_said")
    name = conf.get("name")
    return f'the "{name}" configuration' if name else f"configuration {object_id(conf)}"


def price_said(price: StripeObject | None, price_id: str, products: Mapping[str, StripeObject]) -> str:
    """A price as the owner knows it, no id: `"Pro Yearly" (290.00 USD / year)`, else its
    product's name and amount; the id itself when it was not read."""
    if price is None:
        return price_id
    amount = said_amount(price)
    name = price.get("nickname")
    if not name:
        product_id = object_id(price.get("product"))
        return f"{said_product(products.get(product_id), product_id)} ({amount})"
    return f'"{name}" ({amount})'


def _items(sub: StripeObject) -> list[StripeObject]:
    return [i for i in ((sub.get("items") or {}).get("data") or []) if isinstance(i, dict)]


def _item_price(item: StripeObject) -> StripeObject:
    price = item.get("price") or item.get("plan") or {}
    return price if isinstance(price, dict) else {"id": object_id(price)}


def _feature(conf: StripeObject, feature: str) -> StripeObject:
    found = (conf.get("features") or {}).get(feature)
    return found if isinstance(found, dict) else {}


def feature_off(feature: str) -> str:
    """"plan switching is off in this configuration"."""
    words = msg.label("deep_link_features", feature)
    words = _FEATURE_WORDS.get(feature, words)
    return msg.fill(msg.label("portal_why_not", "feature_off"), {"feature": words})


def _why(key: str) -> str:
    return msg.label("portal_why_not", key)


def _blocks_said(codes: tuple[str, ...]) -> str:
    """The checks' own words for why the portal may not take a subscription through a flow."""
    return "it " + "; ".join(msg.label("deep_link_blocks", c) for c in codes)


def _customer_actions(conf: StripeObject) -> tuple[PortalAction, ...]:
    out = []
    for key in (PAYMENT_METHOD, INVOICES, DETAILS):
        feature = ACTION_FEATURES[key]
        on = deep_links.feature_on(conf, feature)
        out.append(PortalAction(key, on, "" if on else feature_off(feature)))
    return tuple(out)


@dataclass(frozen=True)
class _Reading:
    """What one view is built from."""

    conf: StripeObject
    prices: Mapping[str, StripeObject]
    products: Mapping[str, StripeObject]
    now: float | None


def _plan_change(sub: StripeObject, blocks: tuple[str, ...], r: _Reading) -> PortalAction:
    update = _feature(r.conf, "subscription_update")
    if not update.get("enabled"):
        return PortalAction(CHANGE_PLAN, False, feature_off("subscription_update"))
    if blocks:
        return PortalAction(CHANGE_PLAN, False, _blocks_said(blocks))
    if "price" not in (update.get("default_allowed_updates") or []):
        return PortalAction(CHANGE_PLAN, False, _why("price_not_allowed"))
    current = {object_id(_item_price(i)) for i in _items(sub)}
    listed_products = {object_id(e.get("product")) for e in update.get("products") or [] if isinstance(e, dict)}
    if not {object_id(_item_price(i).get("product")) for i in _items(sub)} <= listed_products:
        return PortalAction(CHANGE_PLAN, False, _why("plan_not_listed"))
    targets = tuple(p for p in _listed_prices(update) if p not in current)
    if not targets:
        return PortalAction(CHANGE_PLAN, False, _why("no_targets"))
    said = ", ".join(price_said(r.prices.get(p), p, r.products) for p in targets)
    return PortalAction(CHANGE_PLAN, True, msg.fill(msg.label("portal_offered", CHANGE_PLAN), {"targets": said}),
                        targets)


def _listed_prices(update: StripeObject) -> list[str]:
    return list(dict.fromkeys(object_id(p) for e in update.get("products") or [] if isinstance(e, dict)
                              for p in e.get("prices") or []))


def _quantity(sub: StripeObject, blocks: tuple[str, ...], conf: StripeObject) -> PortalAction:
    update = _feature(conf, "subscription_update")
    if not update.get("enabled"):
        return PortalAction(CHANGE_QUANTITY, False, feature_off("subscription_update"))
    if blocks:
        return PortalAction(CHANGE_QUANTITY, False, _blocks_said(blocks))
    if "quantity" not in (update.get("default_allowed_updates") or []):
        return PortalAction(CHANGE_QUANTITY, False, _why("quantity_not_allowed"))
    products = {object_id(_item_price(i).get("product")) for i in _items(sub)}
    adjustable = any(object_id(e.get("product")) in products and (e.get("adjustable_quantity") or {}).get("enabled")
                     for e in update.get("products") or [] if isinstance(e, dict))
    return PortalAction(CHANGE_QUANTITY, adjustable, "" if adjustable else _why("quantity_not_adjustable"))


def _cancel(sub: StripeObject, blocks: tuple[str, ...], conf: StripeObject) -> PortalAction:
    cancel = _feature(conf, "subscription_cancel")
    if not cancel.get("enabled"):
        return PortalAction(CANCEL, False, feature_off("subscription_cancel"))
    if blocks:
        return PortalAction(CANCEL, False, _blocks_said(blocks))
    end = state.pending_end(sub)
    if end is not None and end.ends_at is not None:
        ending = msg.fill(msg.label("portal_offered", "ending"), {"ends_on": when(end.ends_at)})
        return PortalAction(CANCEL, True, ending)
    how = "cancel_immediately" if cancel.get("mode") == "immediately" else "cancel_at_period_end"
    return PortalAction(CANCEL, True, msg.label("portal_offered", how))


def _pause(blocks: tuple[str, ...], conf: StripeObject) -> PortalAction:
    if not deep_links.feature_on(conf, "subscription_pause"):
        return PortalAction(PAUSE, False, feature_off("subscription_pause"))
    if blocks:
        return PortalAction(PAUSE, False, _blocks_said(blocks))
    return PortalAction(PAUSE, True)


def _subscription_view(sub: StripeObject, r: _Reading) -> SubscriptionView:
    sub_id = object_id(sub)
    items = _items(sub)
    one = items[0] if len(items) == 1 else {}
    said = said_subscription(sub, dict(r.products), ending=True)
    status = str(sub.get("status") or "")
    if status in ENDED:
        ended = _why("ended")
        actions = tuple(PortalAction(k, False, ended) for k in (CHANGE_PLAN, CHANGE_QUANTITY, CANCEL, PAUSE))
        refusals = dict.fromkeys((SUBSCRIPTION_CANCEL, SUBSCRIPTION_UPDATE, SUBSCRIPTION_UPDATE_CONFIRM), ended)
    else:
        update_blocks = deep_links.subscription_blocks(SUBSCRIPTION_UPDATE, sub, r.now)
        cancel_blocks = deep_links.subscription_blocks(SUBSCRIPTION_CANCEL, sub, r.now)
        actions = (_plan_change(sub, update_blocks, r), _quantity(sub, update_blocks, r.conf),
                   _cancel(sub, cancel_blocks, r.conf), _pause(cancel_blocks, r.conf))
        refusals = _flow_refusals(update_blocks, cancel_blocks, r.conf)
    return SubscriptionView(sub_id, said, status, actions, item_id=object_id(one),
                            price_id=object_id(_item_price(one)) if one else "",
                            quantity=int(one.get("quantity") or 1) if one else 1, refusals=refusals)


def _flow_refusals(update_blocks: tuple[str, ...], cancel_blocks: tuple[str, ...],
                   conf: StripeObject) -> dict[str, str]:
    """Why the checks expect Stripe to refuse each flow on this subscription (the feature, then
    the subscription), as `deep_links` judges a deep link the owner's code opened."""
    out: dict[str, str] = {}
    for flow, blocks in ((SUBSCRIPTION_CANCEL, cancel_blocks), (SUBSCRIPTION_UPDATE, update_blocks),
                         (SUBSCRIPTION_UPDATE_CONFIRM, update_blocks)):
        feature = deep_links.FLOW_FEATURES[flow]
        if not deep_links.feature_on(conf, feature):
            out[flow] = feature_off(feature)
        elif blocks:
            out[flow] = _blocks_said(blocks)
    return out


def portal_view(snap: Snapshot, conf: StripeObject | None, subscriptions: list[StripeObject] | None) -> PortalView:
    """The portal of the snapshot's customer under `conf` (None: there is no configuration)."""
    if conf is None:
        return PortalView(msg.label("portal_view", "no_configuration"))
    if subscriptions is None:
        return PortalView(msg.label("portal_view", "no_customer"))
    default_id = object_id(snap.default_configuration)
    r = _Reading(conf, snap.prices.value or {}, snap.products.value or {}, snap.read_at)
    said = configuration_said(conf, default_id)
    heading = msg.fill(msg.label("portal_view", "configuration"),
                       {"configuration_said": said, "configuration_id": object_id(conf)})
    customer_actions = _customer_actions(conf)
    payment = customer_actions[0]
    listed = _listed_prices(_feature(conf, "subscription_update"))
    return PortalView(
        heading, object_id(conf), said, customer_actions,
        tuple(_subscription_view(s, r) for s in subscriptions), judged=True,
        payment_method_refusal="" if payment.offered else payment.detail,
        prices_said={p: price_said(r.prices.get(p), p, r.products) for p in listed},
    )


def expected(view: PortalView, flow: str, subscription_id: str | None = None,
             price_id: str | None = None) -> tuple[str | None, str]:
    """(ACCEPTED or REFUSED as the checks expect Stripe to answer this flow, and why a refusal),
    or (None, "") when the view cannot tell (no configuration, a subscription not read)."""
    if not view.judged:
        return None, ""
    if flow == PAYMENT_METHOD_UPDATE:
        return (REFUSED, view.payment_method_refusal) if view.payment_method_refusal else (ACCEPTED, "")
    sub = view.subscription(subscription_id or "")
    if sub is None:
        return None, ""
    why = sub.refusals.get(flow, "")
    if not why and flow == SUBSCRIPTION_UPDATE_CONFIRM:
        why = _confirm_refusal(view, sub, price_id or "")
    return (REFUSED, why) if why else (ACCEPTED, "")


def _confirm_refusal(view: PortalView, sub: SubscriptionView, price_id: str) -> str:
    if price_id == sub.price_id:
        return msg.label("portal_why_not", "same_price")
    if price_id not in view.prices_said:
        return msg.label("portal_why_not", "price_not_listed")
    return ""
