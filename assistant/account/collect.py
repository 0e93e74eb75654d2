"""Read everything the checks need, concurrently: one round for a typical account, two at most.

Round 1, all at once: the account, the portal configurations (catalogue expanded: the default
through `is_default=true` and the newest 100 active ones, so an integration that made thousands
costs the same two requests), the webhook endpoints and the event destinations (v2), the first
page (100) of the account's products and of its prices (archived ones included), the last 30
days of portal session events and of undelivered portal events, and the customer with their
current subscriptions, schedules and payment methods expanded (by id; by e-mail, the matches
expanded the same way; a customer-configured Account (acct_…) and its subscriptions by
`customer_account`, both at once).

Round 2, only for what the first round did not hold: products of the plan-switching list that
were not on the first page and the prices of such products, a chosen customer's subscriptions
when more than the embedded ten, the cancelled subscriptions of a customer who has no current
one, a plain customer read when a restricted key may not expand subscriptions, configurations
recent sessions named that the first page of more than 100 did not hold (by id, a few), and the
subscriptions recent deep links act on (by id, a few).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, Protocol, TypeVar

from assistant.account.customer_accounts import account_as_customer, is_account_id
from assistant.account.errors import (
    AccountAccessRefused,
    AuthenticationFailed,
    DeadlineExceeded,
    GatewayError,
    PermissionMissing,
)
from assistant.account.keys import KeyInfo
from assistant.account.portal_flows import SessionUse, session_uses
from assistant.account.snapshot import (
    CustomerLookup,
    Fetched,
    ModeCatalogue,
    Page,
    Snapshot,
    StripeObject,
    default_configuration,
)

T = TypeVar("T")
EVENT_WINDOW = 30 * 86400  # Stripe keeps events for 30 days
# At most this many configurations sessions named, and subscriptions deep links act on, are read
# by id in the second round: together one wave of the gateway's 16 concurrent requests.
NAMED_CONFIGURATIONS_READ = 6
FLOW_SUBSCRIPTIONS_READ = 6


class Gateway(Protocol):
    """What collection needs from the gateway; tests may pass any object with these methods."""

    request_count: int

    async def account(self) -> StripeObject: ...
    async def default_portal_configuration(self) -> list[StripeObject]: ...
    async def portal_configurations_page(self) -> Page: ...
    async def portal_configuration(self, configuration_id: str) -> StripeObject: ...
    async def subscription(self, subscription_id: str) -> StripeObject: ...
    async def webhook_endpoints(self) -> list[StripeObject]: ...
    async def event_destinations(self) -> list[StripeObject]: ...
    async def products_page(self) -> Page: ...
    async def prices_page(self) -> Page: ...
    async def session_events(self, since: int) -> Page: ...
    async def undelivered_events(self, types: list[str], since: int) -> Page: ...
    async def products(self, ids: list[str]) -> list[StripeObject]: ...
    async def prices(self, product_id: str) -> list[StripeObject]: ...
    async def customer(self, customer_id: str) -> StripeObject: ...
    async def customer_expanded(self, customer_id: str) -> StripeObject: ...
    async def customers_by_email(self, email: str) -> list[StripeObject]: ...
    async def customer_account(self, account_id: str) -> StripeObject: ...
    async def subscriptions(self, customer_id: str, status: str | None = None) -> list[StripeObject]: ...


@dataclass(frozen=True)
class Deadline:
    """When the whole run stops waiting (a time on the running loop's clock). Requests still
    out then become `DeadlineExceeded` for their section; everything read so far is kept."""

    when: float
    seconds: float

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(asyncio.get_running_loop().time() + seconds, seconds)

    def missed(self, request: str) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"No answer to {request} within the run's {self.seconds:g} s limit, so the run went "
            "on without it."
        )


async def _fetch(call: Callable[[], Awaitable[T]], deadline: Deadline | None = None, request: str = "") -> Fetched[T]:
    """Takes the read to make, not the read made: a run cancelled before this starts (the key
    changed at once) then leaves no request behind that was created and never awaited."""
    try:
        if deadline is None:
            return Fetched(value=await call())
        async with asyncio.timeout_at(deadline.when):
            return Fetched(value=await call())
    except TimeoutError:
        assert deadline is not None
        return Fetched(error=deadline.missed(request))
    except GatewayError as err:
        return Fetched(error=err)


class Fetcher(Protocol):
    """`_fetch` with the run's deadline bound: (the read to make, the request it stands for)."""

    def __call__(self, call: Callable[[], Awaitable[T]], request: str) -> Awaitable[Fetched[T]]: ...


async def collect_snapshot(
    gateway: Gateway,
    key: KeyInfo,
    customer: str | None = None,
    deadline: Deadline | None = None,
    *,
    watched_events: Sequence[str] = (),
    clock: Callable[[], float] = time.time,
    connected_account: str | None = None,
) -> Snapshot:
    """`watched_events`: the event types whose undelivered copies are read (the portal's).
    Each branch (catalogue, customer) starts its second round as soon as its own first-round
    answers are in, never waiting for an unrelated one. `connected_account`: the account the
    gateway acts as (`Stripe-Account`), recorded in the snapshot."""
    if not key.usable:
        return Snapshot(key=key, connected_account=connected_account)
    read_at = clock()
    since = int(read_at) - EVENT_WINDOW
    query = (customer or "").strip() or None

    def fetch(call: Callable[[], Awaitable[T]], request: str) -> Awaitable[Fetched[T]]:
        return _fetch(call, deadline, request)

    # Read once, awaited by two branches: products need the default configuration, the reads
    # by id need the configurations and the sessions.
    listed = asyncio.ensure_future(_configurations(gateway, fetch))
    session_page = asyncio.ensure_future(fetch(partial(gateway.session_events, since), _EVENTS))
    try:
        (account, (webhooks, destinations), sessions, undelivered), (catalogue, lookup, by_id) = await asyncio.gather(
            asyncio.gather(
                fetch(gateway.account, "GET /v1/account"),
                _receivers(gateway, fetch),
                session_page,
                fetch(partial(gateway.undelivered_events, list(watched_events), since), _EVENTS)
                if watched_events else _none(),
            ),
            asyncio.gather(
                _catalogue(gateway, fetch, listed),
                _customer_side(gateway, query, fetch) if query else _nothing(),
                _session_reads(gateway, fetch, listed, session_page),
            ),
        )
    finally:
        # A run cancelled before its branches awaited these must not leave them reading on.
        listed.cancel()
        session_page.cancel()
    products, prices, complete = catalogue
    configurations, more = listed.result()
    named, flow_subscriptions = by_id
    auth_error = _auth_error(account, configurations, webhooks)
    if auth_error is not None:
        return Snapshot(key=key, auth_error=auth_error, connected_account=connected_account)
    return Snapshot(
        key=key,
        account=account,
        configurations=_with_active(configurations, named),
        configurations_more=more,
        named_configurations=named,
        flow_subscriptions=flow_subscriptions,
        webhook_endpoints=webhooks,
        event_destinations=destinations,
        products=products,
        prices=prices,
        catalogue_complete=complete,
        customer=lookup,
        session_events=sessions,
        undelivered_events=undelivered,
        read_at=read_at,
        connected_account=connected_account,
    )


async def collect_parity_snapshot(
    gateway: Gateway, key: KeyInfo, deadline: Deadline | None = None, *, connected_account: str | None = None
) -> Snapshot:
    """The other mode's side of the test/live comparison compares default configurations: one
    request, however many configurations the mode holds."""
    if not key.usable:
        return Snapshot(key=key, connected_account=connected_account)
    configurations = await _fetch(gateway.default_portal_configuration, deadline, _CONFIGURATIONS)
    auth_error = _auth_error(configurations)
    if auth_error is not None:
        return Snapshot(key=key, auth_error=auth_error, connected_account=connected_account)
    return Snapshot(key=key, configurations=configurations, connected_account=connected_account)


Catalogue = tuple[Fetched[dict[str, StripeObject]], Fetched[dict[str, StripeObject]], bool]
Listed = tuple[Fetched[list[StripeObject]], bool]


_EVENTS = "GET /v1/events"
_CONFIGURATIONS = "GET /v1/billing_portal/configurations"
_PRODUCTS = "GET /v1/products"
_PRICES = "GET /v1/prices"
_SUBSCRIPTIONS = "GET /v1/subscriptions"


async def _receivers(
    gateway: Gateway, fetch: Fetcher
) -> tuple[Fetched[list[StripeObject]], Fetched[list[StripeObject]]]:
    """Where the account's events go: its webhook endpoints and its event destinations (v2),
    both in the first round."""
    endpoints, destinations = await asyncio.gather(
        fetch(gateway.webhook_endpoints, "GET /v1/webhook_endpoints"),
        fetch(gateway.event_destinations, "GET /v2/core/event_destinations"),
    )
    return endpoints, destinations


async def _configurations(gateway: Gateway, fetch: Fetcher) -> Listed:
    """The default and the newest 100 active configurations, both in the first round; whether
    Stripe holds more active ones than that page."""
    default, page = await asyncio.gather(
        fetch(gateway.default_portal_configuration, _CONFIGURATIONS),
        fetch(gateway.portal_configurations_page, _CONFIGURATIONS),
    )
    error = default.error or page.error
    if error is not None:
        return Fetched(error=error), False
    if default.value is None or page.value is None:
        return Fetched(), False
    merged = {str(c["id"]): c for c in [*default.value, *page.value.items]}
    return Fetched(value=list(merged.values())), page.value.has_more


async def _catalogue(gateway: Gateway, fetch: Fetcher, listed: Awaitable[Listed]) -> Catalogue:
    """The first pages of products and prices, then only what the default's plan list lacked."""
    (configurations, _beyond_page), product_page, price_page = await asyncio.gather(
        listed,
        fetch(gateway.products_page, _PRODUCTS),
        fetch(gateway.prices_page, _PRICES),
    )
    products = _page_by_id(product_page)
    prices = _page_by_id(price_page)
    entries = _allowed_entries(default_configuration(configurations.value or []))
    missing_products = [pid for pid in entries if products.value is not None and pid not in products.value
                        and _more(product_page)]
    missing_prices = [pid for pid, price_ids in entries.items()
                      if prices.value is not None and _more(price_page)
                      and any(p not in prices.value for p in price_ids)]
    if missing_products or missing_prices:
        extra_products, extra_prices = await asyncio.gather(
            fetch(partial(gateway.products, missing_products), _PRODUCTS) if missing_products else _none(),
            asyncio.gather(*(fetch(partial(gateway.prices, pid), _PRICES) for pid in missing_prices)),
        )
        products = _add(products, [extra_products])
        prices = _add(prices, list(extra_prices))
    complete = not (_more(product_page) or _more(price_page))
    return products, prices, complete


async def _session_reads(
    gateway: Gateway, fetch: Fetcher, listed: Awaitable[Listed], sessions: Awaitable[Fetched[Page]],
) -> tuple[Fetched[dict[str, StripeObject]], Fetched[dict[str, StripeObject]]]:
    """What recent sessions name that the first round did not hold, read by id: configurations
    beyond the first page of active ones, and the subscriptions deep links act on."""
    (configurations, more), page = await asyncio.gather(listed, sessions)
    if page.value is None:
        return Fetched(), Fetched()
    uses = session_uses(page.value.items)
    known = {str(c.get("id")) for c in configurations.value or []}
    # With the whole active list in hand, a configuration it lacks is inactive: nothing to read.
    conf_ids = _named_configurations(uses, known) if configurations.ok and more else []
    sub_ids = list(dict.fromkeys(u.subscription for u in uses if u.subscription))[:FLOW_SUBSCRIPTIONS_READ]
    confs, subs = await asyncio.gather(
        asyncio.gather(*(fetch(partial(gateway.portal_configuration, c), f"{_CONFIGURATIONS}/{c}") for c in conf_ids)),
        asyncio.gather(*(fetch(partial(gateway.subscription, s), f"{_SUBSCRIPTIONS}/{s}") for s in sub_ids)),
    )
    return _by_id(confs), _by_id(subs)


def _named_configurations(uses: list[SessionUse], known: set[str]) -> list[str]:
    """Configurations sessions named that are not in hand: those deep links used first, then
    the most used, a few at most."""
    counts: dict[str, list[int]] = {}
    for use in uses:
        if use.configuration and use.configuration not in known:
            tally = counts.setdefault(use.configuration, [0, 0])
            tally[0] += 1 if use.flow else 0
            tally[1] += 1
    ranked = sorted(counts, key=lambda c: (counts[c][0], counts[c][1]), reverse=True)
    return ranked[:NAMED_CONFIGURATIONS_READ]


def _by_id(read: Sequence[Fetched[StripeObject]]) -> Fetched[dict[str, StripeObject]]:
    """What was read; an object that could not be read is left out (its check says so)."""
    return Fetched(value={str(f.value["id"]): f.value for f in read if f.value is not None})


def _with_active(
    configurations: Fetched[list[StripeObject]], named: Fetched[dict[str, StripeObject]]
) -> Fetched[list[StripeObject]]:
    """The active configurations read: the lists, and any active one a session named beyond them."""
    if configurations.value is None:
        return configurations
    extra = [c for c in (named.value or {}).values() if c.get("active", True)]
    return Fetched(value=[*configurations.value, *extra])


async def _customer_side(gateway: Gateway, query: str, fetch: Fetcher) -> CustomerLookup:
    if is_account_id(query):
        return await _account_side(gateway, query, fetch)
    by_id = query.startswith("cus_")
    lookup_request = "GET /v1/customers/" + query if by_id else "GET /v1/customers"
    matches = await fetch(partial(_lookup, gateway, query), lookup_request)
    subscriptions: Fetched[list[StripeObject]] = Fetched()
    if by_id and isinstance(matches.error, PermissionMissing):
        # The key may read customers but not what the expansion adds: read them apart, so
        # the customer is still found and only the subscriptions carry the refusal.
        matches, subscriptions = await asyncio.gather(
            fetch(partial(_one, partial(gateway.customer, query)), lookup_request),
            fetch(partial(gateway.subscriptions, query), _SUBSCRIPTIONS),
        )
    chosen = pick_login_customer(matches.value or []) if matches.ok else None
    if chosen is None or chosen.get("deleted"):
        return CustomerLookup(query=query, matches=matches, chosen=chosen, subscriptions=subscriptions)
    if subscriptions.value is None and subscriptions.error is None:
        subscriptions = _embedded_subscriptions(chosen) or await fetch(
            partial(gateway.subscriptions, chosen["id"]), _SUBSCRIPTIONS)
    if subscriptions.value == []:
        # Nothing current: the cancelled ones explain an empty portal ("my plan is gone").
        subscriptions = await fetch(partial(gateway.subscriptions, chosen["id"], "canceled"), _SUBSCRIPTIONS)
    return CustomerLookup(query=query, matches=matches, chosen=chosen, subscriptions=subscriptions)


async def _account_side(gateway: Gateway, account_id: str, fetch: Fetcher) -> CustomerLookup:
    """A customer-configured Account and its subscriptions (`customer_account`), both at once:
    neither needs the other's answer. The cancelled ones only when nothing else is left."""
    path = "GET /v2/core/accounts/" + account_id
    account, subscriptions = await asyncio.gather(
        fetch(partial(gateway.customer_account, account_id), path),
        fetch(partial(gateway.subscriptions, account_id), _SUBSCRIPTIONS),
    )
    if account.value is None:
        return CustomerLookup(query=account_id, matches=Fetched(error=account.error),
                              subscriptions=subscriptions, kind="account")
    chosen = account_as_customer(account.value)
    if subscriptions.value == [] and chosen["customer_configured"]:
        subscriptions = await fetch(partial(gateway.subscriptions, account_id, "canceled"), _SUBSCRIPTIONS)
    return CustomerLookup(query=account_id, matches=Fetched(value=[chosen]), chosen=chosen,
                          subscriptions=subscriptions, kind="account")


async def _lookup(gateway: Gateway, query: str) -> list[StripeObject]:
    if query.startswith("cus_"):
        return [await gateway.customer_expanded(query)]
    return await gateway.customers_by_email(query)


async def _one(call: Callable[[], Awaitable[StripeObject]]) -> list[StripeObject]:
    return [await call()]


async def _none() -> Fetched[Any]:
    return Fetched()


async def _nothing() -> None:
    return None


def _more(page: Fetched[Page]) -> bool:
    return page.value is not None and page.value.has_more


def _page_by_id(page: Fetched[Page]) -> Fetched[dict[str, StripeObject]]:
    if page.error is not None:
        return Fetched(error=page.error)
    return Fetched(value={obj["id"]: obj for obj in (page.value.items if page.value else [])})


def _add(
    base: Fetched[dict[str, StripeObject]], extra: list[Fetched[Any]]
) -> Fetched[dict[str, StripeObject]]:
    """The first page plus the second round's objects; any error in that round wins."""
    for fetched in extra:
        if fetched.error is not None:
            return Fetched(error=fetched.error)
    merged = dict(base.value or {})
    for fetched in extra:
        merged.update({obj["id"]: obj for obj in fetched.value or []})
    return Fetched(value=merged)


def _auth_error(*sections: Fetched[Any]) -> GatewayError | None:
    """A 401 on every section means the key itself is refused, a 403 `account_invalid` on every
    one that the connected account is out of its reach: nothing else is worth reading."""
    errors = [s.error for s in sections]
    for refusal in (AuthenticationFailed, AccountAccessRefused):
        if errors and all(isinstance(e, refusal) for e in errors):
            return errors[0]
    return None


def _allowed_entries(conf: StripeObject | None) -> dict[str, list[str]]:
    """Product id -> the price ids the plan-switching list offers for it."""
    if not conf:
        return {}
    update = (conf.get("features") or {}).get("subscription_update") or {}
    entries: dict[str, list[str]] = {}
    for entry in update.get("products") or []:
        pid = entry.get("product")
        if isinstance(pid, dict):  # tolerate an expanded product
            pid = pid.get("id")
        if pid:
            prices = [p.get("id") if isinstance(p, dict) else p for p in entry.get("prices") or []]
            entries.setdefault(pid, []).extend(str(p) for p in prices if p)
    return entries


_ACTIVE = ("active", "trialing", "past_due")


def pick_login_customer(matches: list[StripeObject]) -> StripeObject | None:
    """The customer the portal opens for. With several customers sharing an e-mail, Stripe's
    no-code login picks the most recently created one that has an active subscription."""
    if not matches:
        return None
    newest_first = sorted(matches, key=lambda c: c.get("created") or 0, reverse=True)
    for cus in newest_first:
        subs = (cus.get("subscriptions") or {}).get("data") or []
        if any(s.get("status") in _ACTIVE for s in subs):
            return cus
    return newest_first[0]


def _embedded_subscriptions(customer: StripeObject | None) -> Fetched[list[StripeObject]] | None:
    subs = (customer or {}).get("subscriptions")
    if isinstance(subs, dict) and not subs.get("has_more"):
        return Fetched(value=list(subs.get("data") or []))
    return None


class CatalogueGateway(Protocol):
    async def active_products(self) -> list[StripeObject]: ...
    async def active_prices(self) -> list[StripeObject]: ...


async def collect_catalogue(gateway: CatalogueGateway) -> ModeCatalogue:
    """A mode's active products and prices, both lists at once (the parity fix's input)."""
    products, prices = await asyncio.gather(_fetch(gateway.active_products), _fetch(gateway.active_prices))
    return ModeCatalogue(products=products, prices=prices)

