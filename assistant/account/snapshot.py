"""What was read from one Stripe account in one mode: the only input the checks get.

Objects are kept as Stripe's own JSON dicts (the shape of `fixtures3.json`), so checks, practice
data and tests share one vocabulary and no SDK type leaks past the gateway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from assistant.account.errors import GatewayError
from assistant.account.keys import KeyInfo

T = TypeVar("T")
StripeObject = dict[str, Any]


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """`value` (Stripe's JSON) with every string in it, keys included, passed through `fn`."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {fn(k): map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, list):
        return [map_strings(v, fn) for v in value]
    return value


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """A value, or the error that stopped us reading it. Lets independent checks go on."""

    value: T | None = None
    error: GatewayError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.value is not None

    def map_strings(self, fn: Callable[[str], str]) -> Fetched[T]:
        return self if self.value is None else replace(self, value=map_strings(self.value, fn))


@dataclass(frozen=True)
class Page:
    """The first page of a Stripe list: its objects, and whether Stripe holds more."""

    items: list[StripeObject] = field(default_factory=list)
    has_more: bool = False


@dataclass(frozen=True)
class CustomerLookup:
    """The `--customer` search: by `cus_` id (one match), by e-mail (possibly several), or by
    `acct_` id: a customer-configured Account (Accounts v2), held in a customer's fields
    (`account/customer_accounts.py`), `kind` "account"."""

    query: str
    matches: Fetched[list[StripeObject]]
    # The customer the portal would open for: the id given, or the one the no-code login
    # picks among e-mail matches (newest with an active subscription). By id, a deleted
    # customer is the stub Stripe answers with (`"deleted": true`).
    chosen: StripeObject | None = None
    # Current subscriptions (schedule and default payment method expanded); the cancelled ones
    # only when the customer has no other.
    subscriptions: Fetched[list[StripeObject]] = field(default_factory=Fetched)
    kind: str = "customer"  # "account": the query named a customer-configured Account

    @property
    def deleted(self) -> StripeObject | None:
        """The deleted customer Stripe answered with, if that is what the id names."""
        found = self.matches.value or []
        if len(found) == 1 and found[0].get("deleted"):
            return found[0]
        return None

    @property
    def by_email(self) -> bool:
        return not self.query.startswith(("cus_", "acct_"))

    @property
    def is_account(self) -> bool:
        return self.kind == "account"

    def map_strings(self, fn: Callable[[str], str]) -> CustomerLookup:
        return replace(
            self,
            query=fn(self.query),
            matches=self.matches.map_strings(fn),
            chosen=map_strings(self.chosen, fn),
            subscriptions=self.subscriptions.map_strings(fn),
        )


@dataclass(frozen=True)
class Snapshot:
    key: KeyInfo
    account: Fetched[StripeObject] = field(default_factory=Fetched)
    # Active portal configurations of this mode, `features.subscription_update.products` expanded:
    # the default, the newest 100 active ones, and active ones recent sessions named beyond them.
    configurations: Fetched[list[StripeObject]] = field(default_factory=Fetched)
    # True when Stripe holds more active configurations than were read (the count is "100 or
    # more"): a configuration missing from `configurations` may then be active all the same.
    configurations_more: bool = False
    # Configurations recent sessions named that the lists did not hold, read by id (inactive ones
    # included), the most used first and a few at most; a missing id was not read.
    named_configurations: Fetched[dict[str, StripeObject]] = field(default_factory=Fetched)
    # The subscriptions recent portal deep links (session `flow`) act on, by id (newest few).
    flow_subscriptions: Fetched[dict[str, StripeObject]] = field(default_factory=Fetched)
    webhook_endpoints: Fetched[list[StripeObject]] = field(default_factory=Fetched)
    # Event destinations (v2): webhook endpoints, Amazon EventBridge and Azure Event Grid.
    event_destinations: Fetched[list[StripeObject]] = field(default_factory=Fetched)
    # Products by id: the account's first 100 (archived included) plus any product of the
    # default configuration's plan-switching list that page did not hold.
    products: Fetched[dict[str, StripeObject]] = field(default_factory=Fetched)
    # Prices by id: the account's first 100 plus every price of an allowed product missing there.
    prices: Fetched[dict[str, StripeObject]] = field(default_factory=Fetched)
    # False when the account has more products or prices than the first pages held, so
    # "exists but is not offered" covers only what was read.
    catalogue_complete: bool = True
    customer: CustomerLookup | None = None
    # Portal sessions the owner's integration created in the last 30 days (session `url`s
    # removed by the gateway), and portal events some endpoint has not acknowledged.
    session_events: Fetched[Page] = field(default_factory=Fetched)
    undelivered_events: Fetched[Page] = field(default_factory=Fetched)
    # When collection started (Unix seconds): "an hour after", "trial ends" are judged from it.
    read_at: float | None = None
    # Set when Stripe refused the key outright (401), or refused it the connected account
    # named (403 `account_invalid`): nothing else could be read.
    auth_error: GatewayError | None = None
    # The connected account every request acted as (`Stripe-Account`), None for the key's own.
    connected_account: str | None = None

    @property
    def mode(self) -> str | None:
        return self.key.mode

    def map_strings(self, fn: Callable[[str], str]) -> Snapshot:
        """Every string read from Stripe passed through `fn` (the key itself untouched)."""
        return replace(
            self,
            account=self.account.map_strings(fn),
            configurations=self.configurations.map_strings(fn),
            named_configurations=self.named_configurations.map_strings(fn),
            flow_subscriptions=self.flow_subscriptions.map_strings(fn),
            webhook_endpoints=self.webhook_endpoints.map_strings(fn),
            event_destinations=self.event_destinations.map_strings(fn),
            products=self.products.map_strings(fn),
            prices=self.prices.map_strings(fn),
            customer=self.customer.map_strings(fn) if self.customer else None,
        )

    @property
    def default_configuration(self) -> StripeObject | None:
        return default_configuration(self.configurations.value or [])

    def configuration(self, configuration_id: str) -> StripeObject | None:
        """A configuration however it was read (the lists, or by id for a session that named it)."""
        for conf in self.configurations.value or []:
            if conf.get("id") == configuration_id:
                return conf
        return (self.named_configurations.value or {}).get(configuration_id)


def default_configuration(configurations: list[StripeObject]) -> StripeObject | None:
    """The configuration a session uses when the owner's code names none."""
    for conf in configurations:
        if conf.get("is_default") and conf.get("active", True):
            return conf
    return None


@dataclass(frozen=True)
class ModeCatalogue:
    """A mode's whole active catalogue (products and prices), read only to plan the test/live
    copy of the plan-switching list: products are matched across modes by name and prices by
    amount, currency and interval, never by id (ids differ between modes)."""

    products: Fetched[list[StripeObject]] = field(default_factory=Fetched)
    prices: Fetched[list[StripeObject]] = field(default_factory=Fetched)

    @property
    def ok(self) -> bool:
        return self.products.ok and self.prices.ok

