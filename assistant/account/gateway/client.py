"""StripeGateway: every Stripe request the app makes, with retries, pacing and error mapping."""

from __future__ import annotations

import asyncio
import logging
import random
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, urlsplit

import stripe

import assistant
from assistant.account.api_version import STRIPE_API_VERSION
from assistant.account.errors import GatewayError, InvalidRequest, MalformedAnswer, RateLimited
from assistant.account.gateway import shapes
from assistant.account.gateway.errors_map import map_stripe_error
from assistant.account.gateway.throttle import TokenBucket
from assistant.account.keys import mask_key
from assistant.account.snapshot import Page
from assistant.account.written import AskedSession, Written

log = logging.getLogger(__name__)

# The API version every request is pinned to (written once, in account/api_version.py), so
# neither the account's default version nor the installed stripe-python's can change the shape
# of what we read.
STRIPE_VERSION: str = STRIPE_API_VERSION
DEFAULT_TIMEOUT = 15.0
PAGE_LIMIT = 100
MAX_PAGES = 50  # 5,000 items: far more than any list the diagnosis reads
# Stripe keeps events for 30 days; the portal checks look at all of them.
EVENT_DAYS = 30
SESSION_EVENT = "billing_portal.session.created"
# The one write an ask makes (assistant.diagnosis.asks): a portal session with `flow_data`.
SESSIONS_PATH = "/v1/billing_portal/sessions"
_CONFIGURATIONS = "/v1/billing_portal/configurations"
_PLAN_LIST = "features.subscription_update.products"
# What the customer's portal shows comes with the customer itself, in the same request:
# current subscriptions with their schedule and payment method, and the customer's default
# payment method. Expansions may nest four levels deep ("data.subscriptions.data.schedule").
CUSTOMER_EXPAND = (
    "subscriptions",
    "subscriptions.data.schedule",
    "subscriptions.data.default_payment_method",
    "invoice_settings.default_payment_method",
)

# A customer-configured Account (Accounts v2) is read with its customer configuration, which
# Stripe leaves out unless asked for.
ACCOUNT_INCLUDE = ("configuration.customer",)
# Event destinations name their webhook URL only when asked (to tell them from v1 endpoints).
DESTINATION_INCLUDE = ("webhook_endpoint.url",)

T = TypeVar("T")
Json = dict[str, Any]

APP_NAME = "portal-setup-assistant"
APP_URL = "https://portal-setup-assistant.invalid"  # the project has no public site (yet)


def quiet_sdk() -> None:
    """No telemetry about the owner's account, and the app named as Stripe asks plugins to.

    stripe-python 16 reads both from module settings on every request, StripeClient included
    (it has no per-client option): `enable_telemetry` decides the X-Stripe-Client-Telemetry
    header (request ids and timings), the platform string and the telemetry id, whose first
    use writes ~/.config/stripe/telemetry_id; `app_info` goes into both user-agent headers.
    """
    stripe.enable_telemetry = False
    stripe.set_app_info(APP_NAME, version=assistant.__version__, url=APP_URL)
    _silence_sdk_logging()


def _silence_sdk_logging() -> None:
    """stripe-python prints every request and answer body to stderr when STRIPE_LOG=debug is in
    the environment (read once, at import) and logs them to the "stripe" logger. Bodies hold
    customers' e-mails and, once, a new endpoint's signing secret: neither may reach a terminal
    or the log file, whatever the environment says. Stripe's own words reach the agent through
    our error types instead."""
    import stripe._util as sdk_util  # the only switch for the environment variable's printing

    sdk_util.STRIPE_LOG = None
    stripe.log = None
    logging.getLogger("stripe").setLevel(logging.WARNING)


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

    With `connected_account` (acct_…) every request, reads and writes alike, carries the
    `Stripe-Account` header: the key's platform acts as that connected account, so its own
    portal settings, catalogue, customers and events are what is read and changed.

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
        connected_account: str | None = None,
    ) -> None:
        quiet_sdk()
        self._masked = mask_key(key)
        self.connected_account = connected_account or None
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
            stripe_account=self.connected_account,
        )
        live = "_live_" in key
        rate = rate_per_second or (90.0 if live else 25.0)
        self._bucket = TokenBucket(rate, burst=int(rate), sleep=sleep)
        self._slots = asyncio.Semaphore(max_concurrency)

    def __repr__(self) -> str:
        on = f" as {self.connected_account}" if self.connected_account else ""
        return f"StripeGateway({self._masked}{on})"

    def _count(self) -> None:
        self.request_count += 1

    async def aclose(self) -> None:
        try:
            await self._http.close_async()
        except Exception:  # closing must never hide the real outcome of a run
            log.debug("closing the HTTP client failed", exc_info=True)

    # -- the one place requests go through ------------------------------------------------

    async def _call(self, what: str, fn: Callable[[], Awaitable[T]], *, doing: str = "reading") -> T:
        attempt = 0
        while True:
            async with self._slots:
                await self._bucket.acquire()
                try:
                    return await fn()
                except stripe.StripeError as err:
                    mapped = map_stripe_error(err, what)
                    should_retry = (err.headers or {}).get("stripe-should-retry")
                except Exception as err:  # an SDK bug or an unexpected transport error
                    log.warning("%s failed unexpectedly: %s", what, type(err).__name__)
                    raise GatewayError(f"Unexpected failure while {doing} {what}.") from None
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

    async def _get(self, path: str, params: Json | None = None) -> Any:
        """One GET; the parsed JSON body, whatever its shape (the caller checks it)."""
        request = f"GET {path}"
        query = dict(params or {})

        def fetch() -> Awaitable[Any]:
            return self._client.raw_request_async("get", path, **query)

        response = await self._call(request, fetch)
        return response.data

    async def _retrieve(self, path: str, shape: shapes.Shape) -> Json:
        return shapes.checked_object(await self._get(path), f"GET {path}", shape)

    async def _list_all(self, path: str, params: Json, item_shape: shapes.Shape) -> list[Json]:
        """Follow `has_more` pages, for a bounded number of pages: a server that never stops
        saying "more" (or sends the same page again) is an error, not a silent partial list."""
        request = f"GET {path}"
        out: list[Json] = []
        seen: set[str] = set()
        page_params: Json = {**params, "limit": PAGE_LIMIT}
        for _ in range(MAX_PAGES):
            page = shapes.checked_page(await self._get(path, page_params), request, item_shape)
            out.extend(page.items)
            if not page.has_more:
                return out
            last = page.items[-1]["id"] if page.items else None
            if last is None or last in seen:
                raise MalformedAnswer(
                    f"Stripe's answer to {request} said more results followed but did not move on "
                    f"to a new page, so the list could not be read in full."
                )
            seen.add(last)
            page_params["starting_after"] = last
        raise MalformedAnswer(
            f"Stripe's answer to {request} still said more results followed after {MAX_PAGES} "
            f"pages ({len(out)} items), so the assistant stopped reading and this list was not "
            "read in full."
        )

    async def _first_page(self, path: str, params: Json, item_shape: shapes.Shape) -> Page:
        """One page of up to 100: the diagnosis reads the rest only for what it turns out to need."""
        body = await self._get(path, {**params, "limit": PAGE_LIMIT})
        page = shapes.checked_page(body, f"GET {path}", item_shape)
        return Page(items=page.items, has_more=page.has_more)

    async def _list_v2(self, path: str, params: Json, item_shape: shapes.Shape) -> list[Json]:
        """A v2 list, page by page: each answer names the next page (`next_page_url`, null on the
        last); a server that keeps naming pages, or names one again, is an error as in v1."""
        request = f"GET {path}"
        out: list[Json] = []
        seen: set[str] = set()
        page_params: Json = dict(params)
        for _ in range(MAX_PAGES):
            page = shapes.checked_v2_page(await self._get(path, page_params), request, item_shape)
            out.extend(page.items)
            if page.next_page_url is None:
                return out
            token = _page_token(page.next_page_url)
            if token is None or token in seen:
                raise MalformedAnswer(
                    f"Stripe's answer to {request} named a next page it had already sent (or none "
                    "that can be asked for), so the list could not be read in full."
                )
            seen.add(token)
            page_params = {**params, "page": token}
        raise MalformedAnswer(
            f"Stripe's answer to {request} still named a next page after {MAX_PAGES} pages "
            f"({len(out)} items), so the assistant stopped reading and this list was not read in full."
        )

    # -- what the diagnosis reads -----------------------------------------------------------

    async def account(self) -> Json:
        return await self._retrieve("/v1/account", shapes.ACCOUNT)

    async def portal_configurations(self) -> list[Json]:
        """Every active configuration. The diagnosis reads `default_portal_configuration` and
        `portal_configurations_page` instead: an integration that makes a configuration per visit
        leaves thousands, one request per 100."""
        return await self._list_all(
            _CONFIGURATIONS, {"active": True, "expand": [f"data.{_PLAN_LIST}"]}, shapes.CONFIGURATION,
        )

    async def default_portal_configuration(self) -> list[Json]:
        """The mode's default configuration (a list of one, or none), however many others exist."""
        page = await self._first_page(
            _CONFIGURATIONS, {"is_default": True, "expand": [f"data.{_PLAN_LIST}"]}, shapes.CONFIGURATION,
        )
        return page.items

    async def portal_configurations_page(self) -> Page:
        """The newest 100 active configurations: the count ("100 or more") and, for code that makes
        one per session, the ones its recent sessions used."""
        return await self._first_page(
            _CONFIGURATIONS, {"active": True, "expand": [f"data.{_PLAN_LIST}"]}, shapes.CONFIGURATION,
        )

    async def portal_configuration(self, configuration_id: str) -> Json:
        """One configuration by id (active or not), plan list expanded: one a session named that
        the first page did not hold."""
        path = f"{_CONFIGURATIONS}/{quote(configuration_id, safe='')}"
        body = await self._get(path, {"expand": [_PLAN_LIST]})
        return shapes.checked_object(body, f"GET {path}", shapes.CONFIGURATION)

    async def webhook_endpoints(self) -> list[Json]:
        return await self._list_all("/v1/webhook_endpoints", {}, shapes.WEBHOOK_ENDPOINT)

    async def event_destinations(self) -> list[Json]:
        """Where else the account's events go (v2): webhook endpoints, Amazon EventBridge and
        Azure Event Grid destinations, each with its type, status and events."""
        return await self._list_v2("/v2/core/event_destinations", {"include": list(DESTINATION_INCLUDE)},
                                   shapes.EVENT_DESTINATION)

    async def products_page(self) -> Page:
        """The account's first 100 products, archived ones included (no `active` filter)."""
        return await self._first_page("/v1/products", {}, shapes.PRODUCT)

    async def prices_page(self) -> Page:
        """The account's first 100 prices, archived ones included."""
        return await self._first_page("/v1/prices", {}, shapes.PRICE)

    async def session_events(self, since: int) -> Page:
        """The portal sessions the owner's integration created since `since` (newest 100).
        Each session's `url` is a live login link: it is dropped here, before anything can keep it."""
        page = await self._first_page(
            "/v1/events", {"type": SESSION_EVENT, "created": {"gte": since}}, shapes.EVENT
        )
        return Page(items=[without_session_link(e) for e in page.items], has_more=page.has_more)

    async def undelivered_events(self, types: list[str], since: int) -> Page:
        """Events of `types` that some endpoint has not acknowledged yet (newest 100)."""
        page = await self._first_page(
            "/v1/events",
            {"types": types[:20], "created": {"gte": since}, "delivery_success": False},
            shapes.EVENT,
        )
        return Page(items=[without_session_link(e) for e in page.items], has_more=page.has_more)

    async def products(self, ids: list[str]) -> list[Json]:
        """By ids. Stripe's `ids` filter cannot be paged (`starting_after` is refused with it),
        so a long list is asked for in chunks of one page each."""
        out: list[Json] = []
        for start in range(0, len(ids), PAGE_LIMIT):
            chunk = ids[start : start + PAGE_LIMIT]
            body = await self._get("/v1/products", {"ids": chunk, "limit": PAGE_LIMIT})
            out.extend(shapes.checked_page(body, "GET /v1/products", shapes.PRODUCT).items)
        return out

    async def prices(self, product_id: str) -> list[Json]:
        return await self._list_all("/v1/prices", {"product": product_id}, shapes.PRICE)

    async def active_products(self) -> list[Json]:
        """The mode's whole active catalogue (the test/live copy matches products by name)."""
        return await self._list_all("/v1/products", {"active": True}, shapes.PRODUCT)

    async def active_prices(self) -> list[Json]:
        return await self._list_all("/v1/prices", {"active": True}, shapes.PRICE)

    async def subscription(self, subscription_id: str) -> Json:
        """One subscription by id, as `subscriptions` reads them: a deep link's subscription."""
        path = f"/v1/subscriptions/{quote(subscription_id, safe='')}"
        body = await self._get(path, {"expand": ["schedule", "default_payment_method"]})
        return shapes.checked_object(body, f"GET {path}", shapes.SUBSCRIPTION)

    async def customer(self, customer_id: str) -> Json:
        return await self._retrieve(f"/v1/customers/{quote(customer_id, safe='')}", shapes.CUSTOMER)

    async def customer_expanded(self, customer_id: str, expand: tuple[str, ...] = CUSTOMER_EXPAND) -> Json:
        """The customer with what their portal shows, in one request (see CUSTOMER_EXPAND)."""
        path = f"/v1/customers/{quote(customer_id, safe='')}"
        body = await self._get(path, {"expand": list(expand)})
        return shapes.checked_object(body, f"GET {path}", shapes.CUSTOMER)

    async def customer_account(self, account_id: str) -> Json:
        """A customer-configured Account (Accounts v2), with its customer configuration."""
        path = f"/v2/core/accounts/{quote(account_id, safe='')}"
        body = await self._get(path, {"include": list(ACCOUNT_INCLUDE)})
        return shapes.checked_object(body, f"GET {path}", shapes.V2_ACCOUNT)

    async def customers_by_email(self, email: str) -> list[Json]:
        return await self._list_all(
            "/v1/customers",
            # Subscriptions embedded: they decide which match the no-code login picks,
            # and they save a dependent round trip.
            {"email": email, "expand": [f"data.{path}" for path in CUSTOMER_EXPAND]},
            shapes.CUSTOMER,
        )

    async def subscriptions(self, customer_id: str, status: str | None = None) -> list[Json]:
        # Items embed their full price; the default status filter leaves out cancelled ones,
        # which the diagnosis asks for (status="canceled") only when nothing else is left.
        params: Json = {_customer_param(customer_id): customer_id,
                        "expand": ["data.schedule", "data.default_payment_method"]}
        if status:
            params["status"] = status
        return await self._list_all("/v1/subscriptions", params, shapes.SUBSCRIPTION)

    async def create_portal_session(
        self, customer_id: str, *, return_url: str | None = None, configuration: str | None = None
    ) -> Json:
        """The write "Open the portal" makes. Callers confirm with the agent first in live mode.
        A customer-configured Account (acct_…) is named as `customer_account`."""
        params: Json = {_customer_param(customer_id): customer_id}
        if return_url:
            params["return_url"] = return_url
        if configuration:
            params["configuration"] = configuration
        session = await self._call(
            "a portal session",
            lambda: self._client.v1.billing_portal.sessions.create_async(params),  # type: ignore[arg-type]
        )
        return session.to_dict()

    async def ask_portal_session(
        self, customer_id: str, *, flow_data: Json, configuration: str | None, return_url: str | None,
        idempotency_key: str,
    ) -> AskedSession:
        """Ask Stripe to open one portal flow for a customer (`flow_data` as the API reference
        gives it): Stripe checks the flow against the configuration and the subscription when
        the session is created, so its answer is its verdict. A refusal raises the mapped error
        with Stripe's words. Only the session's id and the request id come back: the URL is
        dropped here, before anything can print, store or log it. One request, with the caller's
        idempotency key (the SDK's own retries of a lost answer send it again); never retried
        after a refusal."""
        if not idempotency_key:
            raise ValueError("every write needs an idempotency key")
        params: Json = {_customer_param(customer_id): customer_id, "flow_data": flow_data}
        if configuration:
            params["configuration"] = configuration
        if return_url:
            params["return_url"] = return_url

        def post() -> Awaitable[Any]:
            return self._client.raw_request_async("post", SESSIONS_PATH, **params, idempotency_key=idempotency_key)

        response = await self._call(f"POST {SESSIONS_PATH}", post, doing="creating")
        data = response.data
        session_id = data.get("id") if isinstance(data, dict) else None
        if not isinstance(session_id, str) or not session_id:
            raise MalformedAnswer(f"Stripe's answer to POST {SESSIONS_PATH} named no session, so whether the flow "
                                  "opens could not be told.")
        return AskedSession(session_id=session_id, request_id=response.request_id)

    # -- what guided fixes write (each only after the agent's explicit apply) -------------------

    async def send(self, method: str, path: str, params: Json, *, idempotency_key: str) -> Written:
        """One planned write. Only the requests in `WRITES` can be sent, each with the caller's
        idempotency key (the SDK sends the same key again on its own retries, and so do ours),
        and the answer is checked like every read. A created endpoint's signing secret is
        dropped here, so it never reaches the screen, a log, the history or a report (the
        owner reveals it in the Dashboard)."""
        if not idempotency_key:
            raise ValueError("every write needs an idempotency key")
        write = next((w for w in WRITES if w.method == method and w.path.fullmatch(path)), None)
        if write is None:
            raise InvalidRequest(f"The assistant does not send {method} {path}: it is not one of its fixes.")
        request = f"{method} {path}"
        body = dict(params)

        def post() -> Awaitable[Any]:
            return self._client.raw_request_async(method.lower(), path, **body, idempotency_key=idempotency_key)

        response = await self._call(request, post, doing=write.doing)
        data = response.data
        if isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "secret"}
        obj = shapes.checked_object(data, request, write.shape)
        return Written(obj=obj, request_id=response.request_id)


@dataclass(frozen=True)
class _Write:
    method: str
    path: re.Pattern[str]
    doing: str  # for the one sentence when the SDK itself breaks
    shape: shapes.Shape


# The writes `send` may make. Nothing else is ever written.
WRITES: tuple[_Write, ...] = (
    _Write("POST", re.compile(r"/v1/billing_portal/configurations/bpc_[A-Za-z0-9]+"), "changing",
           shapes.CONFIGURATION),
    _Write("POST", re.compile(r"/v1/webhook_endpoints"), "creating", shapes.WEBHOOK_ENDPOINT),
    _Write("POST", re.compile(r"/v1/webhook_endpoints/we_[A-Za-z0-9]+"), "changing", shapes.WEBHOOK_ENDPOINT),
    _Write("DELETE", re.compile(r"/v1/webhook_endpoints/we_[A-Za-z0-9]+"), "deleting",
           {"id": shapes.Field((str,), True)}),
    # Restoring an archived price or product on the plan list (`active`), and its undo.
    _Write("POST", re.compile(r"/v1/prices/price_[A-Za-z0-9]+"), "changing", shapes.PRICE),
    _Write("POST", re.compile(r"/v1/products/prod_[A-Za-z0-9]+"), "changing", shapes.PRODUCT),
)


def without_session_link(event: Json) -> Json:
    """The event with its portal session's `url` removed (the link logs the customer in)."""
    obj = (event.get("data") or {}).get("object")
    if isinstance(obj, dict) and obj.get("object") == "billing_portal.session" and "url" in obj:
        event = {**event, "data": {**event["data"], "object": {k: v for k, v in obj.items() if k != "url"}}}
    return event


def _customer_param(customer_id: str) -> str:
    """How a request names the customer: a customer-configured Account (Accounts v2) is a
    `customer_account`, a Customer a `customer`."""
    return "customer_account" if customer_id.startswith("acct_") else "customer"


def _page_token(next_page_url: str) -> str | None:
    """The `page` a v2 `next_page_url` asks for."""
    found = parse_qs(urlsplit(next_page_url).query).get("page")
    return found[0] if found else None


def _backoff(attempt: int) -> float:
    base = min(0.5 * 2.0 ** (attempt - 1), 4.0)
    return base * (0.5 + random.random() / 2)
