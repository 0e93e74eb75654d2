"""The practice server behaves like Stripe where the assistant can tell: auth, permissions, lists, sessions, faults."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import stripe

from assistant.account.api_version import STRIPE_API_VERSION
from assistant.practice import PracticeServer, load_scenario
from assistant.practice.params import decode_params

HEALTHY = "sk_test_practice_healthy_4242"
LIVE = "sk_live_practice_healthy_4242"


@pytest.fixture
def server() -> Iterator[PracticeServer]:
    with PracticeServer(load_scenario("healthy")) as srv:
        yield srv


def client(srv: PracticeServer, key: str = HEALTHY, **kw: Any) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": srv.base_url},
                               http_client=stripe.HTTPXClient(allow_sync_methods=True), **kw)


def raw(srv: PracticeServer, path: str, key: str | None = HEALTHY, data: dict | None = None) -> tuple[int, dict, Any]:
    """Plain urllib request: (status, headers, parsed JSON or text)."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(srv.base_url + path, data=body)
    if key is not None:
        req.add_header("Authorization", f"Bearer {key}")
    req.add_header("Stripe-Version", "2025-09-30.clover")
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            status, headers, text = resp.status, dict(resp.headers), resp.read().decode()
    except urllib.error.HTTPError as err:
        status, headers, text = err.code, dict(err.headers), err.read().decode()
    try:
        return status, headers, json.loads(text)
    except ValueError:
        return status, headers, text


# --- params --------------------------------------------------------------------------------

def test_bracket_params_decode() -> None:
    got = decode_params("expand[0]=a&expand[1]=b&ids[]=x&ids[]=y&metadata[plan]=pro&limit=3")
    assert got == {"expand": ["a", "b"], "ids": ["x", "y"], "metadata": {"plan": "pro"}, "limit": "3"}


# --- auth ----------------------------------------------------------------------------------

def test_unknown_key_is_401_masked(server: PracticeServer) -> None:
    with pytest.raises(stripe.AuthenticationError) as err:
        client(server, "sk_test_practice_unknown_abcd").v1.customers.list()
    assert err.value.http_status == 401
    assert err.value.user_message == "Invalid API Key provided: sk_test_****abcd"
    assert "practice_unknown" not in str(err.value)


def test_expired_key(server: PracticeServer) -> None:
    with pytest.raises(stripe.AuthenticationError) as err:
        client(server, "sk_test_practice_rolled_0000").v1.customers.list()
    assert err.value.json_body["error"]["code"] == "api_key_expired"  # the SDK leaves .code unset on 401s
    assert err.value.user_message.startswith("Expired API Key provided: sk_test_****0000")


def test_publishable_key(server: PracticeServer) -> None:
    status, _, body = raw(server, "/v1/customers", key="pk_test_practice_web_1234")
    assert status == 401 and body["error"]["code"] == "secret_key_required"
    assert body["error"]["message"].startswith("This API call cannot be made with a publishable API key.")


def test_key_with_space_and_missing_key(server: PracticeServer) -> None:
    status, _, body = raw(server, "/v1/customers", key="sk_test_practice_heal thy_4242")
    assert status == 401 and "space" in body["error"]["message"]
    status, _, body = raw(server, "/v1/customers", key=None)
    assert status == 401 and body["error"]["message"].startswith("You did not provide an API key")


def test_basic_auth_accepted(server: PracticeServer) -> None:
    import base64
    req = urllib.request.Request(server.base_url + "/v1/balance")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{HEALTHY}:".encode()).decode())
    with urllib.request.urlopen(req, timeout=5) as resp:
        assert json.load(resp)["object"] == "balance"


def test_headers_request_id_and_the_one_version_it_speaks(server: PracticeServer) -> None:
    """The request asked for an older version; the practice accounts are shaped as the app's
    version, and the answer says so (Stripe names the version it rendered). The log keeps
    what the request asked for."""
    status, headers, _ = raw(server, "/v1/account")
    assert status == 200
    assert headers["Request-Id"].startswith("req_")
    assert headers["Stripe-Version"] == STRIPE_API_VERSION
    assert server.request_versions == ["2025-09-30.clover"]


def test_unknown_url(server: PracticeServer) -> None:
    status, _, body = raw(server, "/v1/nothing_here")
    assert status == 404
    assert body["error"]["message"].startswith("Unrecognized request URL (GET: /v1/nothing_here)")


def test_request_log_masks_keys(server: PracticeServer) -> None:
    client(server).v1.customers.list(params={"limit": 2})
    method, path, params, masked = server.request_log[-1]
    assert (method, path, params) == ("GET", "/v1/customers", {"limit": "2"})
    assert HEALTHY not in masked and masked.endswith("4242")


# --- restricted keys -----------------------------------------------------------------------

def test_restricted_key_permissions() -> None:
    scenario = load_scenario("restricted_key")
    with PracticeServer(scenario) as srv:
        rk = client(srv, scenario.primary_key)
        assert rk.v1.customers.list().data
        with pytest.raises(stripe.PermissionError) as err:
            rk.v1.webhook_endpoints.list()
        assert err.value.http_status == 403 and err.value.code is None
        assert err.value.user_message.endswith(
            "Having the 'rak_webhook_read' permission would allow this request to continue.")
        assert "rk_test_****wxyz" in err.value.user_message
        with pytest.raises(stripe.PermissionError) as err:
            rk.v1.accounts.retrieve_current()
        assert "not available for use by restricted keys" in err.value.user_message


# --- data ----------------------------------------------------------------------------------

def test_configuration_products_only_when_expanded(server: PracticeServer) -> None:
    c = client(server)
    plain = c.v1.billing_portal.configurations.list(params={"is_default": True, "active": True})
    assert len(plain.data) == 1
    assert "products" not in plain.data[0]["features"]["subscription_update"]
    expanded = c.v1.billing_portal.configurations.list(
        params={"expand": ["data.features.subscription_update.products"]})
    products = expanded.data[0]["features"]["subscription_update"]["products"]
    assert len(products) == 2 and products[0]["prices"]
    one = c.v1.billing_portal.configurations.retrieve(plain.data[0].id)
    assert "products" not in one["features"]["subscription_update"]
    one = c.v1.billing_portal.configurations.retrieve(
        plain.data[0].id, params={"expand": ["features.subscription_update.products"]})
    assert len(one["features"]["subscription_update"]["products"]) == 2


def test_mode_follows_the_key(server: PracticeServer) -> None:
    test_cfg = client(server).v1.billing_portal.configurations.list().data[0]
    live_cfg = client(server, LIVE).v1.billing_portal.configurations.list().data[0]
    assert test_cfg.livemode is False and live_cfg.livemode is True
    assert test_cfg.id != live_cfg.id


def test_pagination_over_several_pages() -> None:
    with PracticeServer(load_scenario("big_catalogue")) as srv:
        c = client(srv, "sk_test_practice_big_4242")
        seen, after, pages = [], None, 0
        while True:
            params: dict[str, Any] = {"limit": 7}
            if after:
                params["starting_after"] = after
            page = c.v1.prices.list(params=params)
            pages += 1
            seen += [p.id for p in page.data]
            if not page.has_more:
                break
            after = page.data[-1].id
        assert pages == 8 and len(seen) == 50 == len(set(seen))
        created = [p.created for p in c.v1.prices.list(params={"limit": 100}).data]
        assert created == sorted(created, reverse=True)
        back = c.v1.prices.list(params={"limit": 5, "ending_before": seen[10]})
        assert [p.id for p in back.data] == seen[5:10] and back.has_more
        auto = list(c.v1.customers.list(params={"limit": 10}).auto_paging_iter())
        assert len(auto) == 25
        status, _, body = raw(srv, "/v1/prices?limit=101", key="sk_test_practice_big_4242")
        assert status == 400 and body["error"]["param"] == "limit"


def test_filters(server: PracticeServer) -> None:
    c = client(server)
    products = c.v1.products.list().data
    one = c.v1.products.list(params={"ids": [products[0].id]}).data
    assert [p.id for p in one] == [products[0].id]
    prices = c.v1.prices.list(params={"product": products[0].id, "active": True}).data
    assert prices and all(p.product == products[0].id for p in prices)
    cus = c.v1.customers.list(params={"email": "ada@customer.example"}).data
    assert len(cus) == 1
    found = c.v1.customers.search(params={"query": "email:'ada@customer.example'"})
    assert [x.id for x in found.data] == [cus[0].id]
    subs = c.v1.subscriptions.list(params={"customer": cus[0].id, "expand": ["data.default_payment_method"]})
    assert len(subs.data) == 1 and subs.data[0]["items"]["data"][0]["price"]["object"] == "price"
    assert c.v1.webhook_endpoints.list().data[0].status == "enabled"
    assert c.v1.customers.retrieve(cus[0].id).email == "ada@customer.example"


def test_customer_in_other_mode() -> None:
    scenario = load_scenario("customer_other_mode")
    with PracticeServer(scenario) as srv:
        with pytest.raises(stripe.InvalidRequestError) as err:
            client(srv, scenario.primary_key).v1.customers.retrieve(scenario.customer)
        assert err.value.http_status == 404 and err.value.code == "resource_missing"
        assert err.value.param == "id"
        assert err.value.user_message == (
            f"No such customer: '{scenario.customer}'; a similar object exists in live mode, "
            "but a test mode key was used to make this request.")
        with pytest.raises(stripe.InvalidRequestError) as err:
            client(srv, scenario.primary_key).v1.customers.retrieve("cus_nobody")
        assert err.value.user_message == "No such customer: 'cus_nobody'"


# --- portal sessions -----------------------------------------------------------------------

def test_session_created_and_portal_page_served(server: PracticeServer) -> None:
    c = client(server)
    customer = c.v1.customers.list().data[0]
    session = c.v1.billing_portal.sessions.create(params={"customer": customer.id,
                                                          "return_url": "https://example.com/back"})
    assert session.object == "billing_portal.session" and session.id.startswith("bps_")
    assert session.url == f"{server.base_url}/portal/session/{session.id}"
    assert session.return_url == "https://example.com/back"
    assert session.id in server.sessions
    with urllib.request.urlopen(session.url, timeout=5) as resp:
        page = resp.read().decode()
    assert "Practice customer portal for Ada Lovelace" in page
    default = c.v1.billing_portal.sessions.create(params={"customer": customer.id})
    assert default.return_url == "https://app.practice.example/account"


def test_portal_page_escapes_names() -> None:
    scenario = load_scenario("healthy")
    scenario.data["test"]["customers"][0]["name"] = "<script>alert(1)</script>"
    with PracticeServer(scenario) as srv:
        c = client(srv)
        session = c.v1.billing_portal.sessions.create(params={"customer": scenario.data["test"]["customers"][0]["id"]})
        page = urllib.request.urlopen(session.url, timeout=5).read().decode()
        assert "<script>" not in page and "&lt;script&gt;" in page


def test_session_errors(server: PracticeServer) -> None:
    c = client(server)
    customer = c.v1.customers.list().data[0].id
    with pytest.raises(stripe.InvalidRequestError) as err:
        c.v1.billing_portal.sessions.create(params={"customer": customer, "return_url": "not a url"})
    assert (err.value.code, err.value.param, err.value.user_message) == ("url_invalid", "return_url", "Not a valid URL")
    with pytest.raises(stripe.InvalidRequestError) as err:
        c.v1.billing_portal.sessions.create(params={"customer": "cus_missing"})
    assert err.value.code == "resource_missing" and err.value.param == "customer"


def test_session_needs_saved_configuration() -> None:
    scenario = load_scenario("portal_never_saved")
    with PracticeServer(scenario) as srv:
        with pytest.raises(stripe.InvalidRequestError) as err:
            client(srv, scenario.primary_key).v1.billing_portal.sessions.create(params={"customer": scenario.customer})
        assert err.value.http_status == 400
        assert err.value.user_message.startswith(
            "No configuration provided and your test mode default configuration has not been created.")
        assert "https://dashboard.stripe.com/test/settings/billing/portal" in err.value.user_message


def test_session_needs_return_url() -> None:
    scenario = load_scenario("no_return_url")
    with PracticeServer(scenario) as srv:
        with pytest.raises(stripe.InvalidRequestError) as err:
            client(srv, scenario.primary_key).v1.billing_portal.sessions.create(params={"customer": scenario.customer})
        assert err.value.user_message == ("Your PortalConfiguration does not have a `default_return_url`, "
                                          "and you did not provide a `return_url`.")


# --- async SDK -----------------------------------------------------------------------------

def test_async_client_works(server: PracticeServer) -> None:
    async def run() -> list[str]:
        c = stripe.StripeClient(HEALTHY, base_addresses={"api": server.base_url}, http_client=stripe.HTTPXClient())
        results = await asyncio.gather(c.v1.customers.list_async(), c.v1.products.list_async())
        return [r.object for r in results]

    assert asyncio.run(run()) == ["list", "list"]


# --- faults and latency --------------------------------------------------------------------

def test_status_fault_rate_limit_then_recovers(server: PracticeServer) -> None:
    server.inject_fault("/v1/customers", status=429, times=2, headers={"Stripe-Should-Retry": "false"})
    c = client(server)
    for _ in range(2):
        with pytest.raises(stripe.RateLimitError) as err:
            c.v1.customers.list()
        assert err.value.json_body["error"]["code"] == "rate_limit"
        assert err.value.headers["Stripe-Should-Retry"] == "false"
    assert c.v1.customers.list().object == "list"


def test_status_faults_500_and_409_and_raw_body(server: PracticeServer) -> None:
    server.inject_fault("/v1/products", status=500)
    with pytest.raises(stripe.APIError) as err:
        client(server).v1.products.list()
    assert err.value.http_status == 500
    server.inject_fault("/v1/products", status=409)
    status, _, body = raw(server, "/v1/products")
    assert status == 409 and body["error"]["code"] == "lock_timeout"
    server.inject_fault("/v1/products", status=503, body='{"error": {"message": "custom", "type": "api_error"}}')
    status, _, body = raw(server, "/v1/products")
    assert status == 503 and body["error"]["message"] == "custom"


def test_retry_on_should_retry_header(server: PracticeServer) -> None:
    server.inject_fault("/v1/customers", status=500, headers={"Stripe-Should-Retry": "true"})
    c = client(server, max_network_retries=2)
    assert c.v1.customers.list().object == "list"
    assert [p for _, p, _, _ in server.request_log].count("/v1/customers") == 2


def test_html_fault(server: PracticeServer) -> None:
    server.inject_fault("/v1/account", kind="html")
    status, headers, body = raw(server, "/v1/account")
    assert status == 502 and headers["Content-Type"].startswith("text/html") and "Bad Gateway" in body
    with pytest.raises(stripe.APIError):
        server.inject_fault("/v1/account", kind="html")
        client(server).v1.accounts.retrieve_current()


def test_malformed_fault(server: PracticeServer) -> None:
    server.inject_fault("/v1/customers", kind="malformed")
    with pytest.raises(stripe.APIError) as err:
        client(server).v1.customers.list()
    assert "Invalid response body" in str(err.value)


def test_reset_fault(server: PracticeServer) -> None:
    server.inject_fault("/v1/customers", kind="reset")
    with pytest.raises(stripe.APIConnectionError):
        client(server).v1.customers.list()
    server.inject_fault("/v1/customers", kind="reset")
    with pytest.raises(httpx.TransportError):
        httpx.get(server.base_url + "/v1/customers", headers={"Authorization": f"Bearer {HEALTHY}"})
    assert client(server).v1.customers.list().object == "list"


def test_slow_fault_delays_only_matching_requests(server: PracticeServer) -> None:
    server.inject_fault("/v1/customers", kind="slow", delay=0.3)
    c = client(server)
    t0 = time.monotonic()
    c.v1.products.list()
    assert time.monotonic() - t0 < 0.25
    t0 = time.monotonic()
    assert c.v1.customers.list().object == "list"
    assert time.monotonic() - t0 >= 0.3


def test_bad_fault_arguments(server: PracticeServer) -> None:
    with pytest.raises(ValueError):
        server.inject_fault("/v1", kind="explode")
    with pytest.raises(ValueError):
        server.inject_fault("/v1")  # status kind needs a status


def test_latency_applies_and_overlaps() -> None:
    with PracticeServer(load_scenario("healthy"), latency=0.2) as srv:
        c = client(srv)
        t0 = time.monotonic()
        c.v1.balance.retrieve()
        assert time.monotonic() - t0 >= 0.2
        threads = [threading.Thread(target=c.v1.customers.list) for _ in range(5)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert time.monotonic() - t0 < 0.8  # five 0.2 s requests overlap
        srv.latency = 0.0
        t0 = time.monotonic()
        c.v1.balance.retrieve()
        assert time.monotonic() - t0 < 0.15


def test_server_stops_cleanly() -> None:
    before = set(threading.enumerate())
    srv = PracticeServer(load_scenario("healthy"), latency=0.05)
    url = srv.start()
    for _ in range(3):
        client(srv).v1.customers.list()
    srv.stop()
    srv.stop()  # idempotent
    time.sleep(0.05)
    assert set(threading.enumerate()) - before == set()
    with pytest.raises(stripe.APIConnectionError):
        stripe.StripeClient(HEALTHY, base_addresses={"api": url},
                            http_client=stripe.HTTPXClient(allow_sync_methods=True)).v1.customers.list()
    with pytest.raises(RuntimeError):
        _ = srv.base_url


def test_state_is_per_server() -> None:
    with PracticeServer(load_scenario("healthy")) as a, PracticeServer(load_scenario("healthy")) as b:
        customer = client(a).v1.customers.list().data[0].id
        client(a).v1.billing_portal.sessions.create(params={"customer": customer})
        assert len(a.sessions) == 1 and b.sessions == {}
