"""The practice server speaks the v2 endpoints the app reads, and acts as a connected account.

Answers are checked against Stripe's own v2 schemas (tests/data/spec3.2026-05-27.v2.json, see
tests/data/README.md): JSON objects with RFC 3339 times, lists as `data` + `next_page_url`,
`include` instead of `expand`, errors as `{"error": {"type", "code", "message"}}`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from jsonschema import Draft202012Validator
from support.spec import _to_json_schema, call

from assistant.practice import PracticeServer, load_scenario
from assistant.practice.scenarios import PracticeKey

V2_SPEC = Path(__file__).resolve().parent / "data" / "spec3.2026-05-27.v2.json"
QUAYSIDE_KEY = "sk_test_practice_quayside_4242"
MEMBER = "acct_1Qy7MiraK4fRzPa2"
ORCHARD_KEY = "sk_test_practice_orchard_4242"
MARIGOLD_KEY = "sk_test_practice_marigold_4242"
STUDIO = "acct_1SunLoftYoga7Kqz"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    loaded: dict[str, Any] = _to_json_schema(json.loads(V2_SPEC.read_text(encoding="utf-8")))
    return loaded


def validate(spec: dict[str, Any], path: str, body: Any, status: str = "200") -> None:
    schema = spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]
    root = {**schema, "components": spec["components"]}
    errors = list(Draft202012Validator(root).iter_errors(body))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:10])


def validate_error(spec: dict[str, Any], name: str, body: Any) -> None:
    """An error answer against one of the v2 error schemas (the spec's `oneOf` lists the generic
    `v2.error` beside the specific ones, so any error matches two of them)."""
    root = {"$ref": f"#/components/schemas/{name}", "components": spec["components"]}
    errors = list(Draft202012Validator(root).iter_errors(body))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:10])


@pytest.fixture(scope="module")
def quayside() -> Iterator[PracticeServer]:
    with PracticeServer(load_scenario("account_customer")) as server:
        yield server


@pytest.fixture(scope="module")
def orchard() -> Iterator[PracticeServer]:
    with PracticeServer(load_scenario("event_destination")) as server:
        yield server


@pytest.fixture(scope="module")
def marigold() -> Iterator[PracticeServer]:
    with PracticeServer(load_scenario("connected_account")) as server:
        yield server


def test_a_customer_configured_account_answers_as_v2_does(quayside: PracticeServer, spec: dict[str, Any]) -> None:
    status, body = call(quayside, f"/v2/core/accounts/{MEMBER}", {"include[0]": "configuration.customer"},
                        key=QUAYSIDE_KEY)
    assert status == 200
    validate(spec, "/v2/core/accounts/{id}", body)
    assert body["object"] == "v2.core.account" and body["applied_configurations"] == ["customer"]
    assert body["contact_email"] == "mira@member.example" and body["created"].endswith("Z")
    assert body["configuration"]["customer"]["billing"]["default_payment_method"] == "pm_1PrcJs8LXHVrv6GoEVSrMnD0"


def test_the_customer_configuration_comes_only_when_included(quayside: PracticeServer, spec: dict[str, Any]) -> None:
    status, body = call(quayside, f"/v2/core/accounts/{MEMBER}", key=QUAYSIDE_KEY)
    assert status == 200 and "customer" not in body["configuration"]
    validate(spec, "/v2/core/accounts/{id}", body)


def test_v2_errors_have_v2_shape(quayside: PracticeServer, spec: dict[str, Any]) -> None:
    status, body = call(quayside, "/v2/core/accounts/acct_1NoSuchAccount00", key=QUAYSIDE_KEY)
    assert status == 404 and body["error"]["code"] == "not_found"
    assert set(body["error"]) == {"type", "code", "message"}
    validate_error(spec, "v2.error.not_found", body)
    status, body = call(quayside, "/v2/core/accounts/cus_6xSYYFpYc5wPHe", key=QUAYSIDE_KEY)
    assert status == 400 and body["error"]["code"] == "v1_customer_instead_of_v2_account"
    validate_error(spec, "v2.error.v1_customer_instead_of_v2_account", body)


def test_subscriptions_filter_by_customer_account(quayside: PracticeServer) -> None:
    status, body = call(quayside, "/v1/subscriptions", {"customer_account": MEMBER}, key=QUAYSIDE_KEY)
    assert status == 200
    assert [(s["customer_account"], s["status"]) for s in body["data"]] == [(MEMBER, "past_due")]
    status, body = call(quayside, "/v1/subscriptions", {"customer_account": "acct_1SomeoneElse000"},
                        key=QUAYSIDE_KEY)
    assert status == 200 and body["data"] == []


def test_a_restricted_key_without_accounts_read_is_told_the_permission(spec: dict[str, Any]) -> None:
    scenario = load_scenario("account_customer")
    key = "rk_test_practice_quayside_4242"
    limited = PracticeKey(key=key, mode="test", kind="restricted", missing_permissions=("rak_accounts_kyc_basic_read",))
    scenario = replace(scenario, keys=(*scenario.keys, limited))
    with PracticeServer(scenario) as server:
        status, body = call(server, f"/v2/core/accounts/{MEMBER}", key=key)
    assert status == 403
    assert "'rak_accounts_kyc_basic_read' permission" in body["error"]["message"]
    validate_error(spec, "v2.error", body)


def test_event_destinations_list_as_v2_does_and_page_by_next_page_url(
        orchard: PracticeServer, spec: dict[str, Any]) -> None:
    status, body = call(orchard, "/v2/core/event_destinations", key=ORCHARD_KEY)
    assert status == 200 and body["next_page_url"] is None and body["previous_page_url"] is None
    validate(spec, "/v2/core/event_destinations", body)
    [bus] = body["data"]
    assert (bus["type"], bus["name"], bus["status"]) == ("amazon_eventbridge", "billing-bus", "enabled")
    assert "payment_method.detached" not in bus["enabled_events"]
    assert bus["amazon_eventbridge"]["aws_event_source_status"] == "active"


def test_a_long_list_of_destinations_names_its_next_page(marigold: PracticeServer) -> None:
    """Paging: the server's next_page_url carries the page the next request asks for."""
    server = marigold
    with server.store.lock:
        for n in range(3):
            server.store.data["test"]["event_destinations"].append({
                **load_scenario("event_destination").data["test"]["event_destinations"][0],
                "id": f"ed_test_61Page{n}", "created": f"2026-05-0{n + 1}T00:00:00.000Z"})
    try:
        status, first = call(server, "/v2/core/event_destinations", {"limit": "2"}, key=MARIGOLD_KEY)
        assert status == 200 and len(first["data"]) == 2 and first["next_page_url"]
        page = parse_qs(urlsplit(first["next_page_url"]).query)["page"][0]
        status, second = call(server, "/v2/core/event_destinations", {"limit": "2", "page": page},
                              key=MARIGOLD_KEY)
        assert status == 200 and [d["id"] for d in second["data"]] == ["ed_test_61Page2"]
        assert second["next_page_url"] is None and second["previous_page_url"]
    finally:
        server.reset()


def test_a_webhook_destination_names_its_url_only_when_included(orchard: PracticeServer) -> None:
    with orchard.store.lock:
        orchard.store.data["test"]["event_destinations"][0].update(
            type="webhook_endpoint", webhook_endpoint={"url": "https://orchard.example/hooks"})
    try:
        _, plain = call(orchard, "/v2/core/event_destinations", key=ORCHARD_KEY)
        _, included = call(orchard, "/v2/core/event_destinations", {"include[0]": "webhook_endpoint.url"},
                           key=ORCHARD_KEY)
        assert "url" not in plain["data"][0]["webhook_endpoint"]
        assert included["data"][0]["webhook_endpoint"]["url"] == "https://orchard.example/hooks"
    finally:
        orchard.reset()


def test_stripe_account_reads_the_connected_account(marigold: PracticeServer) -> None:
    _, own = call(marigold, "/v1/account", key=MARIGOLD_KEY)
    _, studio = call(marigold, "/v1/account", key=MARIGOLD_KEY, headers={"Stripe-Account": STUDIO})
    assert own["business_profile"]["name"] == "Marigold Studio Platform"
    assert (studio["id"], studio["business_profile"]["name"]) == (STUDIO, "Sunrise Loft Yoga")
    _, configurations = call(marigold, "/v1/billing_portal/configurations", key=MARIGOLD_KEY,
                             headers={"Stripe-Account": STUDIO})
    assert configurations["data"] == []
    status, customer = call(marigold, "/v1/customers/cus_Q3SunLoftMember1", key=MARIGOLD_KEY,
                            headers={"Stripe-Account": STUDIO})
    assert status == 200 and customer["name"] == "Priya Raman"
    status, _ = call(marigold, "/v1/customers/cus_Q3SunLoftMember1", key=MARIGOLD_KEY)
    assert status == 404  # the studio's customer is not the platform's


def test_an_account_not_connected_to_the_platform_is_refused_in_stripes_words(marigold: PracticeServer) -> None:
    status, body = call(marigold, "/v1/account", key=MARIGOLD_KEY,
                        headers={"Stripe-Account": "acct_1NotConnected0000"})
    assert status == 403 and body["error"]["code"] == "account_invalid"
    assert body["error"]["message"] == (
        "The provided key 'sk_test_****4242' does not have access to account 'acct_1NotConnected0000' "
        "(or that account does not exist). Application access may have been revoked.")


def test_a_portal_session_for_an_account_names_it_as_customer_account(quayside: PracticeServer) -> None:
    status, session = call(quayside, "/v1/billing_portal/sessions", {"customer_account": MEMBER}, post=True,
                           key=QUAYSIDE_KEY)
    assert status == 200
    assert (session["customer_account"], session["customer"]) == (MEMBER, None)
    quayside.reset()


def test_every_connected_request_carries_its_account_in_the_log(marigold: PracticeServer) -> None:
    before = len(marigold.request_accounts)
    call(marigold, "/v1/products", key=MARIGOLD_KEY, headers={"Stripe-Account": STUDIO})
    assert marigold.request_accounts[before:] == [STUDIO]
