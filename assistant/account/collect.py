"""Read everything the checks need, concurrently, in two dependent rounds at most.

Round 1: account, portal configurations (catalogue expanded), webhook endpoints, and the
customer (by id, with their subscriptions in the same round; by e-mail, the matches).
Round 2: the default configuration's products (by ids) and each product's prices, as soon as
the configurations are in; the e-mail match's subscriptions as soon as the matches are. A
round-2 request never waits for an unrelated round-1 answer, so one slow list costs only its
own section when the run's deadline passes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from assistant.account.errors import AuthenticationFailed, DeadlineExceeded, GatewayError
from assistant.account.keys import KeyInfo
from assistant.account.snapshot import CustomerLookup, Fetched, Snapshot, StripeObject

T = TypeVar("T")


class Gateway(Protocol):
    """What collection needs from the gateway; tests may pass any object with these methods."""

    request_count: int

    async def account(self) -> StripeObject: ...
    async def portal_configurations(self) -> list[StripeObject]: ...
    async def webhook_endpoints(self) -> list[StripeObject]: ...
    async def products(self, ids: list[str]) -> list[StripeObject]: ...
    async def prices(self, product_id: str) -> list[StripeObject]: ...
    async def customer(self, customer_id: str) -> StripeObject: ...
    async def customers_by_email(self, email: str) -> list[StripeObject]: ...
    async def subscriptions(self, customer_id: str) -> list[StripeObject]: ...


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


async def _fetch(aw: Awaitable[T], deadline: Deadline | None = None, request: str = "") -> Fetched[T]:
    try:
        if deadline is None:
            return Fetched(value=await aw)
        async with asyncio.timeout_at(deadline.when):
            return Fetched(value=await aw)
    except TimeoutError:
        assert deadline is not None
        return Fetched(error=deadline.missed(request))
    except GatewayError as err:
        return Fetched(error=err)


async def collect_snapshot(
    gateway: Gateway, key: KeyInfo, customer: str | None = None, deadline: Deadline | None = None
) -> Snapshot:
    if not key.usable:
        return Snapshot(key=key)
    query = (customer or "").strip() or None
    by_id = bool(query and query.startswith("cus_"))

    def fetch(aw: Awaitable[T], request: str) -> Awaitable[Fetched[T]]:
        return _fetch(aw, deadline, request)

    lookup_request = "GET /v1/customers/" + query if by_id and query else "GET /v1/customers"

    async def catalogue() -> tuple[Fetched[list[StripeObject]], list[str], Fetched[Any], list[Fetched[Any]]]:
        # Round 2 waits for the configurations only, never for a slow webhook list.
        configurations = await fetch(gateway.portal_configurations(), "GET /v1/billing_portal/configurations")
        product_ids = _allowed_product_ids(Snapshot(key=key, configurations=configurations).default_configuration)
        products, price_lists = await asyncio.gather(
            fetch(gateway.products(product_ids), "GET /v1/products") if product_ids else _empty_dict(),
            asyncio.gather(*(fetch(gateway.prices(pid), "GET /v1/prices") for pid in product_ids)),
        )
        return configurations, product_ids, products, list(price_lists)

    async def customer_side() -> CustomerLookup | None:
        if not query:
            return None
        matches, id_subscriptions = await asyncio.gather(
            fetch(_lookup(gateway, query), lookup_request),
            fetch(gateway.subscriptions(query), _SUBSCRIPTIONS) if by_id else _none(),
        )
        chosen = pick_login_customer(matches.value or []) if matches.ok else None
        if by_id:
            subscriptions = id_subscriptions
        elif chosen is None:
            subscriptions = Fetched()
        else:
            subscriptions = _embedded_subscriptions(chosen) or await fetch(
                gateway.subscriptions(chosen["id"]), _SUBSCRIPTIONS
            )
        return CustomerLookup(query=query, matches=matches, chosen=chosen, subscriptions=subscriptions)

    account, webhooks, (configurations, product_ids, products, price_lists), lookup = await asyncio.gather(
        fetch(gateway.account(), "GET /v1/account"),
        fetch(gateway.webhook_endpoints(), "GET /v1/webhook_endpoints"),
        catalogue(),
        customer_side(),
    )
    auth_error = _auth_error(account, configurations, webhooks)
    if auth_error is not None:
        return Snapshot(key=key, auth_error=auth_error)
    return Snapshot(
        key=key,
        account=account,
        configurations=configurations,
        webhook_endpoints=webhooks,
        products=_by_id(products) if product_ids else Fetched(value={}),
        prices=_merge_prices(price_lists),
        customer=lookup,
    )


async def collect_parity_snapshot(
    gateway: Gateway, key: KeyInfo, deadline: Deadline | None = None
) -> Snapshot:
    """The other mode's side of the test/live comparison needs its configurations only."""
    if not key.usable:
        return Snapshot(key=key)
    configurations = await _fetch(
        gateway.portal_configurations(), deadline, "GET /v1/billing_portal/configurations"
    )
    auth_error = _auth_error(configurations)
    if auth_error is not None:
        return Snapshot(key=key, auth_error=auth_error)
    return Snapshot(key=key, configurations=configurations)


_SUBSCRIPTIONS = "GET /v1/subscriptions"


async def _lookup(gateway: Gateway, query: str) -> list[StripeObject]:
    if query.startswith("cus_"):
        return [await gateway.customer(query)]
    return await gateway.customers_by_email(query)


async def _none() -> Fetched[Any]:
    return Fetched()


async def _empty_dict() -> Fetched[Any]:
    return Fetched(value={})


def _auth_error(*sections: Fetched[Any]) -> GatewayError | None:
    """A 401 on every section means the key itself is refused; nothing else is worth reading."""
    errors = [s.error for s in sections]
    if errors and all(isinstance(e, AuthenticationFailed) for e in errors):
        return errors[0]
    return None


def _allowed_product_ids(conf: StripeObject | None) -> list[str]:
    if not conf:
        return []
    update = (conf.get("features") or {}).get("subscription_update") or {}
    ids: list[str] = []
    for entry in update.get("products") or []:
        pid = entry.get("product")
        if isinstance(pid, dict):  # tolerate an expanded product
            pid = pid.get("id")
        if pid and pid not in ids:
            ids.append(pid)
    return ids


def _by_id(fetched: Fetched[list[StripeObject]]) -> Fetched[dict[str, StripeObject]]:
    if fetched.error is not None:
        return Fetched(error=fetched.error)
    return Fetched(value={obj["id"]: obj for obj in fetched.value or []})


def _merge_prices(lists: list[Fetched[list[StripeObject]]]) -> Fetched[dict[str, StripeObject]]:
    for fetched in lists:
        if fetched.error is not None:
            return Fetched(error=fetched.error)
    return Fetched(value={p["id"]: p for f in lists for p in f.value or []})


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
