"""The practice server accepts the writes guided fixes send as Stripe does: the spec's parameters,
Stripe's update semantics and refusals, idempotency keys, permissions, and a reset."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from support.spec import call, load_spec, validate
from support.spec_params import derive

from assistant.practice import PracticeServer, load_scenario
from assistant.resources import read_text

CONF = "/v1/billing_portal/configurations/{configuration}"
EXPAND = {"expand[0]": "features.subscription_update.products"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec()


@pytest.fixture
def server() -> Iterator[PracticeServer]:
    with PracticeServer(load_scenario("healthy")) as srv:
        yield srv


def _conf(server: PracticeServer) -> dict[str, Any]:
    _, listing = call(server, "/v1/billing_portal/configurations",
                      {"expand[0]": "data.features.subscription_update.products"})
    return listing["data"][0]


def _post_conf(server: PracticeServer, conf_id: str, params: dict[str, Any], **kw: Any) -> tuple[int, Any]:
    return call(server, f"/v1/billing_portal/configurations/{conf_id}", {**params, **EXPAND}, post=True, **kw)


def test_the_shipped_parameter_schemas_are_the_specs() -> None:
    shipped = json.loads(read_text("practice", "write_params.json"))["operations"]
    assert shipped == derive()


def test_products_are_replaced_whole_and_other_fields_stay(server: PracticeServer, spec: dict[str, Any]) -> None:
    before = _conf(server)
    keep = before["features"]["subscription_update"]["products"][1]
    status, body = _post_conf(server, before["id"], {
        "features[subscription_update][products][0][product]": keep["product"],
        "features[subscription_update][products][0][prices][0]": keep["prices"][0],
        "features[subscription_update][products][0][adjustable_quantity][enabled]": "true",
        "features[subscription_update][products][0][adjustable_quantity][maximum]": "5",
    })
    assert status == 200, body
    validate(spec, CONF, "post", body)
    assert body["features"]["subscription_update"]["products"] == [{
        "adjustable_quantity": {"enabled": True, "maximum": 5, "minimum": 1},
        "prices": [keep["prices"][0]], "product": keep["product"]}]
    after = _conf(server)
    for obj in (before, after):
        obj.pop("updated")
        obj["features"]["subscription_update"].pop("products")
    assert after == before


def test_an_empty_string_unsets_the_return_url(server: PracticeServer) -> None:
    conf = _conf(server)
    assert conf["default_return_url"]
    status, body = _post_conf(server, conf["id"], {"default_return_url": ""})
    assert status == 200 and body["default_return_url"] is None
    status, body = _post_conf(server, conf["id"], {"default_return_url": "https://shop.example/account"})
    assert body["default_return_url"] == "https://shop.example/account"


@pytest.mark.parametrize("params,status,code,param,words", [
    ({"features[nope][enabled]": "true"}, 400, "parameter_unknown", "features[nope]", "Received unknown parameter"),
    ({"features[invoice_history][enabled]": "yes"}, 400, None, "features[invoice_history][enabled]",
     "Invalid boolean: yes"),
    ({"features[subscription_update][default_allowed_updates][0]": "everything"}, 400, None,
     "features[subscription_update][default_allowed_updates][0]", "must be one of price, promotion_code, or quantity"),
    ({"default_return_url": "not a url"}, 400, "url_invalid", "default_return_url", "Not a valid URL"),
    ({"features[payment_method_update][enabled]": "false"}, 400, None, "features[subscription_update][enabled]",
     "Cannot enable subscription updates while payment method update is disabled."),
    ({"features[subscription_update][products][0][product]": "prod_nope",
      "features[subscription_update][products][0][prices][0]": "price_nope"}, 400, "resource_missing",
     "features[subscription_update][products][0][product]", "No such product: 'prod_nope'"),
    ({"features[subscription_update][products][0][prices][0]": "price_x"}, 400, "parameter_missing",
     "features[subscription_update][products][0][product]", "Missing required param"),
])
def test_refusals_read_as_stripes(server: PracticeServer, spec: dict[str, Any], params: dict[str, str],
                                  status: int, code: str | None, param: str, words: str) -> None:
    before = _conf(server)
    got, body = _post_conf(server, before["id"], params)
    assert got == status
    validate(spec, CONF, "post", body, status="default")
    assert body["error"].get("code") == code and body["error"]["param"] == param
    assert words in body["error"]["message"]
    assert _conf(server) == before and server.writes == []


def test_a_price_of_another_product_is_refused(server: PracticeServer) -> None:
    entries = _conf(server)["features"]["subscription_update"]["products"]
    status, body = _post_conf(server, _conf(server)["id"], {
        "features[subscription_update][products][0][product]": entries[0]["product"],
        "features[subscription_update][products][0][prices][0]": entries[1]["prices"][0],
    })
    assert status == 400 and "does not belong" in body["error"]["message"]


def test_a_missing_configuration_is_404(server: PracticeServer) -> None:
    status, body = _post_conf(server, "bpc_nope", {"default_return_url": ""})
    assert status == 404 and body["error"]["code"] == "resource_missing"


def test_webhook_endpoints_create_update_delete(server: PracticeServer, spec: dict[str, Any]) -> None:
    status, body = call(server, "/v1/webhook_endpoints", {
        "url": "https://shop.example/hooks", "enabled_events[0]": "customer.updated"}, post=True)
    assert status == 200
    validate(spec, "/v1/webhook_endpoints", "post", body)
    assert body["secret"].startswith("whsec_") and body["status"] == "enabled"
    endpoint_id = body["id"]
    _, again = call(server, f"/v1/webhook_endpoints/{endpoint_id}")
    assert "secret" not in again and again["enabled_events"] == ["customer.updated"]

    status, body = call(server, f"/v1/webhook_endpoints/{endpoint_id}", {
        "enabled_events[0]": "customer.updated", "enabled_events[1]": "payment_method.attached"}, post=True)
    assert status == 200 and body["enabled_events"] == ["customer.updated", "payment_method.attached"]
    validate(spec, "/v1/webhook_endpoints/{webhook_endpoint}", "post", body)

    status, body = call(server, f"/v1/webhook_endpoints/{endpoint_id}", method="DELETE")
    assert status == 200 and body == {"id": endpoint_id, "object": "webhook_endpoint", "deleted": True}
    validate(spec, "/v1/webhook_endpoints/{webhook_endpoint}", "delete", body)
    assert call(server, f"/v1/webhook_endpoints/{endpoint_id}")[0] == 404
    assert [w[:2] for w in server.writes] == [
        ("POST", "/v1/webhook_endpoints"), ("POST", f"/v1/webhook_endpoints/{endpoint_id}"),
        ("DELETE", f"/v1/webhook_endpoints/{endpoint_id}")]


def test_creating_an_endpoint_needs_its_url(server: PracticeServer) -> None:
    status, body = call(server, "/v1/webhook_endpoints", {"enabled_events[0]": "customer.updated"}, post=True)
    assert status == 400 and body["error"]["code"] == "parameter_missing" and body["error"]["param"] == "url"


def test_the_same_idempotency_key_replays_and_refuses_other_parameters(server: PracticeServer) -> None:
    conf = _conf(server)
    first = _post_conf(server, conf["id"], {"default_return_url": "https://a.example/"},
                       headers={"Idempotency-Key": "key-1"})
    replay = _post_conf(server, conf["id"], {"default_return_url": "https://a.example/"},
                        headers={"Idempotency-Key": "key-1"})
    assert first == replay and first[0] == 200
    assert len(server.writes) == 1
    status, body = _post_conf(server, conf["id"], {"default_return_url": "https://b.example/"},
                              headers={"Idempotency-Key": "key-1"})
    assert status == 400 and body["error"]["type"] == "idempotency_error" and "key-1" in body["error"]["message"]
    assert _conf(server)["default_return_url"] == "https://a.example/" and len(server.writes) == 1


def test_a_lost_answer_was_still_applied_and_its_retry_is_replayed(server: PracticeServer) -> None:
    conf = _conf(server)
    server.inject_fault("/v1/billing_portal/configurations/", kind="lost", status=500, method="POST")
    status, _ = _post_conf(server, conf["id"], {"default_return_url": "https://a.example/"},
                           headers={"Idempotency-Key": "key-2"})
    assert status == 500 and _conf(server)["default_return_url"] == "https://a.example/"
    status, body = _post_conf(server, conf["id"], {"default_return_url": "https://a.example/"},
                              headers={"Idempotency-Key": "key-2"})
    assert status == 200 and body["default_return_url"] == "https://a.example/"
    assert server.writes == [("POST", f"/v1/billing_portal/configurations/{conf['id']}", "key-2")]


def test_a_read_only_key_is_refused_with_the_permission_and_nothing_changes() -> None:
    scenario = load_scenario("read_only_key")
    with PracticeServer(scenario) as srv:
        key = scenario.primary_key
        before = call(srv, "/v1/billing_portal/configurations", key=key)[1]
        conf_id = before["data"][0]["id"]
        status, body = call(srv, f"/v1/billing_portal/configurations/{conf_id}",
                            {"default_return_url": "https://a.example/"}, post=True, key=key)
        assert status == 403 and "'rak_billing_portal_write'" in body["error"]["message"]
        status, body = call(srv, "/v1/webhook_endpoints", {"url": "https://a.example/h",
                                                           "enabled_events[0]": "customer.updated"},
                            post=True, key=key)
        assert status == 403 and "'rak_webhook_write'" in body["error"]["message"]
        assert call(srv, "/v1/billing_portal/configurations", key=key)[1] == before and srv.writes == []


def test_resetting_restores_the_practice_account(server: PracticeServer) -> None:
    before = _conf(server)
    _post_conf(server, before["id"], {"default_return_url": "", "features[invoice_history][enabled]": "false"})
    call(server, "/v1/webhook_endpoints", {"url": "https://a.example/h", "enabled_events[0]": "*"}, post=True)
    assert _conf(server) != before
    server.reset()
    assert _conf(server) == before and server.writes == []
    assert len(call(server, "/v1/webhook_endpoints")[1]["data"]) == 1


@pytest.mark.parametrize("collection,path", [("prices", "/v1/prices/{}"), ("products", "/v1/products/{}")])
def test_a_price_or_product_is_archived_and_restored_with_active(server: PracticeServer, spec: dict[str, Any],
                                                                  collection: str, path: str) -> None:
    obj = server.store.objects("test", collection)[0]
    status, body = call(server, path.format(obj["id"]), {"active": "false"}, post=True)
    assert status == 200 and body["active"] is False, body
    validate(spec, path.replace("{}", "{price}" if collection == "prices" else "{id}"), "post", body)
    assert server.store.find("test", collection, obj["id"])["active"] is False
    status, body = call(server, path.format(obj["id"]), {"active": "true"}, post=True)
    assert status == 200 and body["active"] is True
    after = server.store.find("test", collection, obj["id"])
    assert {k: v for k, v in after.items() if k != "updated"} == {k: v for k, v in obj.items() if k != "updated"}
    status, body = call(server, path.format(obj["id"]), {"colour": "red"}, post=True)
    assert status == 400 and body["error"]["param"] == "colour"
    status, body = call(server, path.format(obj["id"] + "x"), {"active": "true"}, post=True)
    assert status == 404
