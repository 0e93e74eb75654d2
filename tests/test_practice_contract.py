"""Practice server responses must match Stripe's published OpenAPI schemas, so checks tested here work on Stripe.

The spec is the 2026-05-27 subset in tests/data (provenance in its README). Fields newer than it
are allowed (the schemas do not forbid extra properties); nothing else is relaxed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.spec import call, load_spec, validate

from assistant.practice import PracticeServer, load_scenario


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec()


@pytest.fixture(scope="module")
def server() -> Iterator[PracticeServer]:
    with PracticeServer(load_scenario("healthy")) as srv:
        yield srv


def test_spec_conversion_keeps_validation_strict(spec: dict[str, Any]) -> None:
    """A broken object must still fail: the conversion only adds nulls where Stripe allows them."""
    with pytest.raises(AssertionError):
        validate(spec, "/v1/products", "get", {"object": "list", "data": [{"id": 1}], "has_more": False,
                                               "url": "/v1/products"})


def test_account(server: PracticeServer, spec: dict[str, Any]) -> None:
    status, body = call(server, "/v1/account")
    assert status == 200
    validate(spec, "/v1/account", "get", body)


@pytest.mark.parametrize("expand", [False, True])
def test_configuration_list(server: PracticeServer, spec: dict[str, Any], expand: bool) -> None:
    params = {"expand[]": "data.features.subscription_update.products"} if expand else {}
    status, body = call(server, "/v1/billing_portal/configurations", params)
    assert status == 200 and body["data"]
    assert ("products" in body["data"][0]["features"]["subscription_update"]) is expand
    validate(spec, "/v1/billing_portal/configurations", "get", body)


def test_configuration_retrieve(server: PracticeServer, spec: dict[str, Any]) -> None:
    _, listing = call(server, "/v1/billing_portal/configurations")
    cid = listing["data"][0]["id"]
    status, body = call(server, f"/v1/billing_portal/configurations/{cid}",
                        {"expand[0]": "features.subscription_update.products"})
    assert status == 200
    validate(spec, "/v1/billing_portal/configurations/{configuration}", "get", body)


@pytest.mark.parametrize("path", ["/v1/products", "/v1/prices", "/v1/customers", "/v1/subscriptions",
                                  "/v1/webhook_endpoints"])
def test_lists(server: PracticeServer, spec: dict[str, Any], path: str) -> None:
    status, body = call(server, path)
    assert status == 200 and body["data"]
    validate(spec, path, "get", body)


@pytest.mark.parametrize("name", ["big_catalogue", "cancel_only_subscription", "restricted_key", "live_key"])
def test_other_scenarios_lists(spec: dict[str, Any], name: str) -> None:
    scenario = load_scenario(name)
    with PracticeServer(scenario) as srv:
        for path in ("/v1/products", "/v1/prices", "/v1/customers", "/v1/subscriptions"):
            status, body = call(srv, path, {"limit": 100}, key=scenario.primary_key)
            assert status == 200
            validate(spec, path, "get", body)


def test_customer_and_search(server: PracticeServer, spec: dict[str, Any]) -> None:
    _, listing = call(server, "/v1/customers")
    customer = listing["data"][0]
    status, body = call(server, f"/v1/customers/{customer['id']}")
    assert status == 200
    validate(spec, "/v1/customers/{customer}", "get", body)
    status, body = call(server, "/v1/customers/search", {"query": f"email:'{customer['email']}'"})
    assert status == 200 and body["data"]
    validate(spec, "/v1/customers/search", "get", body)


def test_price_and_product_retrieve(server: PracticeServer, spec: dict[str, Any]) -> None:
    _, prices = call(server, "/v1/prices")
    price = prices["data"][0]
    _, body = call(server, f"/v1/prices/{price['id']}")
    validate(spec, "/v1/prices/{price}", "get", body)
    _, body = call(server, f"/v1/products/{price['product']}")
    validate(spec, "/v1/products/{id}", "get", body)


def test_session_creation(server: PracticeServer, spec: dict[str, Any]) -> None:
    _, listing = call(server, "/v1/customers")
    status, body = call(server, "/v1/billing_portal/sessions", {"customer": listing["data"][0]["id"]}, post=True)
    assert status == 200
    validate(spec, "/v1/billing_portal/sessions", "post", body)


@pytest.mark.parametrize("path,params,post,expected", [
    ("/v1/customers/cus_missing", None, False, 404),
    ("/v1/billing_portal/sessions", {"customer": "cus_missing"}, True, 400),
    ("/v1/billing_portal/sessions", {"customer": "x", "return_url": "nope"}, True, 400),
])
def test_error_objects(server: PracticeServer, spec: dict[str, Any], path: str, params: Any, post: bool,
                       expected: int) -> None:
    status, body = call(server, path, params, post=post)
    assert status == expected
    validate(spec, "/v1/customers/{customer}", "get", body, status="default")


def test_auth_error_object(server: PracticeServer, spec: dict[str, Any]) -> None:
    status, body = call(server, "/v1/account", key="sk_test_practice_unknown_abcd")
    assert status == 401
    validate(spec, "/v1/account", "get", body, status="default")


def test_balance(server: PracticeServer, spec: dict[str, Any]) -> None:
    status, body = call(server, "/v1/balance")
    assert status == 200
    validate(spec, "/v1/balance", "get", body)
