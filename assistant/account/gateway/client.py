"""StripeGateway: every Stripe request the app makes, with retries, pacing and error mapping."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import stripe

from assistant.account.errors import GatewayError, RateLimited
from assistant.account.gateway.errors_map import map_stripe_error
from assistant.account.gateway.throttle import TokenBucket
from assistant.account.keys import mask_key

log = logging.getLogger(__name__)

# The API version every request is pinned to (the one this stripe-python release is built for),
# so an account's default version can never change the shape of what we read.
STRIPE_VERSION: str = stripe.api_version
DEFAULT_TIMEOUT = 15.0
PAGE_LIMIT = 100
_MAX_PAGES = 50

T = TypeVar("T")
Json = dict[str, Any]


class _CountingHTTPXClient(stripe.HTTPXClient):
    """Counts every HTTP attempt, retries included, so reports state the true request count."""

    def __init__(self, on_request: Callable[[], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._on_request = on_request

    async def request_async(
        self, method: str, url: str, headers: Mapping[str, str], post_data: Any = None
    ) -> tuple[bytes, int, Mapping[str, str]]:
        self._on_request()
        return await super().request_async(method, url, headers, post_data)


class StripeGateway:
    """One key, one mode. Create one per diagnosis run inside the running event loop.

    The SDK retries 409, 5xx, connection errors and `Stripe-Should-Retry: true` itself
    (`max_network_retries`). A plain 429 it does not retry, so we do, with backoff, unless
    Stripe said `Stripe-Should-Retry: false`.
    """

    def __init__(
        self,
        key: str,
        *,
        api_base: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        # A diagnosis's second round is 1 products + up to 10 prices lists: 16 slots keep it one
        # wave (8 made it two, a whole extra latency); the token bucket still caps the rate.
        max_concurrency: int = 16,
        rate_per_second: float | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._masked = mask_key(key)
        self._max_retries = max_retries
        self._sleep = sleep
        self.request_count = 0
        self._http: stripe.HTTPXClient = _CountingHTTPXClient(self._count, timeout=timeout)
        self._client = stripe.StripeClient(
            key,
            stripe_version=STRIPE_VERSION,
            base_addresses={"api": api_base} if api_base else None,
            max_network_retries=max_retries,
            http_client=self._http,
        )
        live = "_live_" in key
        rate = rate_per_second or (90.0 if live else 25.0)
        self._bucket = TokenBucket(rate, burst=int(rate), sleep=sleep)
        self._slots = asyncio.Semaphore(max_concurrency)

    def __repr__(self) -> str:
        return f"StripeGateway({self._masked})"

    def _count(self) -> None:
        self.request_count += 1

    async def aclose(self) -> None:
        try:
            await self._http.close_async()
        except Exception:  # closing must never hide the real outcome of a run
            log.debug("closing the HTTP client failed", exc_info=True)

    # -- the one place requests go through ------------------------------------------------

    async def _call(self, what: str, fn: Callable[[], Awaitable[T]]) -> T:
        attempt = 0
        while True:
            async with self._slots:
                await self._bucket.acquire()
                try:
                    return await fn()
                except stripe.StripeError as err:
                    mapped = map_stripe_error(err)
                    should_retry = (err.headers or {}).get("stripe-should-retry")
                except Exception as err:  # an SDK bug or an unexpected transport error
                    log.warning("%s failed unexpectedly: %s", what, type(err).__name__)
                    raise GatewayError(f"Unexpected failure while reading {what}.") from None
            # With `Stripe-Should-Retry` present the SDK has already obeyed it ("true": retried
            # max_retries times; "false": not at all), so only a plain 429 is ours to retry.
            if (
                isinstance(mapped, RateLimited)
                and should_retry is None
                and attempt < self._max_retries
            ):
                attempt += 1
                await self._sleep(_backoff(attempt))
                continue
            log.info("%s failed: %s (%s)", what, type(mapped).__name__, mapped.request_id)
            raise mapped from None

    async def _list_all(self, what: str, lister: Callable[..., Awaitable[Any]], params: Json) -> list[Json]:
        """Follow `has_more` pages; a portal catalogue is small, webhook lists can be long."""
        out: list[Json] = []
        page_params: Json = {**params, "limit": PAGE_LIMIT}
        for _ in range(_MAX_PAGES):
            this_page = dict(page_params)

            def fetch(p: Json = this_page) -> Awaitable[Any]:
                return lister(p)

            page = await self._call(what, fetch)
            items = [item.to_dict() for item in page.data]
            out.extend(items)
            if not page.has_more or not items:
                break
            page_params["starting_after"] = items[-1]["id"]
        return out

    # -- what the diagnosis reads -----------------------------------------------------------

    async def account(self) -> Json:
        acct = await self._call("the account", lambda: self._client.v1.accounts.retrieve_current_async())
        return acct.to_dict()

    async def portal_configurations(self) -> list[Json]:
        return await self._list_all(
            "portal configurations",
            self._client.v1.billing_portal.configurations.list_async,
            {"active": True, "expand": ["data.features.subscription_update.products"]},
        )

    async def webhook_endpoints(self) -> list[Json]:
        return await self._list_all(
            "webhook endpoints", self._client.v1.webhook_endpoints.list_async, {}
        )

    async def products(self, ids: list[str]) -> list[Json]:
        if not ids:
            return []
        return await self._list_all("products", self._client.v1.products.list_async, {"ids": ids})

    async def prices(self, product_id: str) -> list[Json]:
        return await self._list_all(
            f"prices of {product_id}", self._client.v1.prices.list_async, {"product": product_id}
        )

    async def customer(self, customer_id: str) -> Json:
        cus = await self._call(
            f"customer {customer_id}",
            lambda: self._client.v1.customers.retrieve_async(customer_id),
        )
        return cus.to_dict()

    async def customers_by_email(self, email: str) -> list[Json]:
        return await self._list_all(
            "customers with that e-mail",
            self._client.v1.customers.list_async,
            # Subscriptions embedded: they decide which match the no-code login picks,
            # and they save a dependent round trip.
            {"email": email, "expand": ["data.subscriptions"]},
        )

    async def subscriptions(self, customer_id: str) -> list[Json]:
        # Items embed their full price; the default status filter leaves out cancelled ones,
        # which the portal no longer offers anyway.
        return await self._list_all(
            "subscriptions", self._client.v1.subscriptions.list_async, {"customer": customer_id}
        )

    async def create_portal_session(
        self, customer_id: str, *, return_url: str | None = None, configuration: str | None = None
    ) -> Json:
        """The one write the app makes. Callers confirm with the agent first in live mode."""
        params: Json = {"customer": customer_id}
        if return_url:
            params["return_url"] = return_url
        if configuration:
            params["configuration"] = configuration
        session = await self._call(
            "a portal session",
            lambda: self._client.v1.billing_portal.sessions.create_async(params),  # type: ignore[arg-type]
        )
        return session.to_dict()


def _backoff(attempt: int) -> float:
    base = min(0.5 * 2.0 ** (attempt - 1), 4.0)
    return base * (0.5 + random.random() / 2)
