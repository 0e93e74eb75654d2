"""The practice server answers a deep link (`flow_data`) the way Stripe does: each rule of
`resources/practice/flow_rules.json` refuses with Stripe's error shape and words, over real HTTP
through the app's own gateway, which hands back a created session's id and never its URL."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from support.practice import practice

from assistant.account.errors import GatewayError, InvalidRequest, NotFound
from assistant.account.gateway import StripeGateway
from assistant.account.written import AskedSession
from assistant.practice.flow_rules import CONDITIONS, flow_rules
from assistant.practice.server import PracticeServer

SUB = "sub_1Prcj5Ad0gKHaMyQU7OdrZIP"
ITEM = "si_j5Ad0gKHaMyQU7"
CUSTOMER = "cus_6xSYYFpYc5wPHe"
PRO_YEARLY = "price_1PrcvYfY0crZLwnMFlYzO7Xl"
ROOT = Path(__file__).resolve().parents[1]


def _ask(server: PracticeServer, flow_data: dict[str, Any], customer: str = CUSTOMER) -> AskedSession:
    async def go() -> AskedSession:
        gateway = StripeGateway(server.scenario.primary_key, api_base=server.base_url, max_retries=0)
        try:
            return await gateway.ask_portal_session(customer, flow_data=flow_data, configuration=None,
                                                    return_url=None, idempotency_key="test-key")
        finally:
            await gateway.aclose()

    return asyncio.run(go())


def _refusal(server: PracticeServer, flow_data: dict[str, Any], customer: str = CUSTOMER) -> GatewayError:
    with pytest.raises(GatewayError) as caught:
        _ask(server, flow_data, customer)
    return caught.value


def _cancel(sub: str = SUB) -> dict[str, Any]:
    return {"type": "subscription_cancel", "subscription_cancel": {"subscription": sub}}


def _update(sub: str = SUB) -> dict[str, Any]:
    return {"type": "subscription_update", "subscription_update": {"subscription": sub}}


def _confirm(*items: dict[str, Any], sub: str = SUB) -> dict[str, Any]:
    return {"type": "subscription_update_confirm",
            "subscription_update_confirm": {"subscription": sub, "items": list(items)}}


def _change(server: PracticeServer, collection: str, obj_id: str, edit: Callable[[dict[str, Any]], None]) -> None:
    obj = copy.deepcopy(server.store.find("test", collection, obj_id))
    assert obj is not None
    edit(obj)
    server.store.put("test", collection, obj)


def test_an_opened_flow_is_a_session_id_and_never_its_link() -> None:
    with practice("healthy") as (_scenario, server):
        asked = _ask(server, _confirm({"id": ITEM, "price": PRO_YEARLY, "quantity": 1}))
        session = server.sessions[asked.session_id]
    assert {f.name for f in dataclasses.fields(asked)} == {"session_id", "request_id"}
    assert "url" not in repr(asked) and session["url"] not in repr(asked)
    assert asked.request_id and asked.request_id.startswith("req_")
    assert session["flow"]["type"] == "subscription_update_confirm"
    assert session["flow"]["subscription_update_confirm"]["items"] == [
        {"id": ITEM, "price": PRO_YEARLY, "quantity": 1}]


def test_an_opened_flow_is_on_its_session_event_as_stripe_shows_it() -> None:
    with practice("healthy") as (_scenario, server):
        _ask(server, _cancel())
        events = [e for e in server.store.objects("test", "events")
                  if (e["data"]["object"].get("flow") or {}).get("type") == "subscription_cancel"]
    assert len(events) == 1
    flow = events[0]["data"]["object"]["flow"]
    assert flow["subscription_cancel"] == {"subscription": SUB, "retention": None}
    assert flow["subscription_update"] is None and flow["after_completion"]["type"] == "portal_homepage"


def test_the_update_feature_off_is_refused_in_stripes_quoted_words() -> None:
    with practice("deep_link_plan_switching_off") as (_scenario, server):
        refused = _refusal(server, _update())
    assert isinstance(refused, InvalidRequest) and refused.http_status == 400
    assert refused.message == ("This subscription cannot be updated because the subscription update feature "
                               "in the portal configuration is disabled.")
    assert refused.error_type == "invalid_request_error"


def test_a_switch_to_the_current_price_has_nothing_to_confirm() -> None:
    with practice("healthy") as (_scenario, server):
        refused = _refusal(server, _confirm({"id": ITEM, "price": "price_1PrcOLydQ8MlbwO8zsUu9Vwq", "quantity": 1}))
    assert refused.message == "Cannot update the subscription because there are no changes to confirm."


def test_a_confirmed_switch_names_one_item_of_the_subscription_and_a_listed_price() -> None:
    with practice("deep_link_price_not_offered") as (_scenario, server):
        two = _refusal(server, _confirm({"id": ITEM, "price": PRO_YEARLY}, {"id": ITEM, "price": PRO_YEARLY}))
        stranger = _refusal(server, _confirm({"id": "si_NotThisOne", "price": PRO_YEARLY}))
        unlisted = _refusal(server, _confirm({"id": ITEM, "price": "price_1PrcQuarterlyProAbCdEfGh"}))
    assert two.param == "flow_data[subscription_update_confirm][items]"
    assert stranger.param == "flow_data[subscription_update_confirm][items][0][id]"
    assert "si_NotThisOne" in stranger.message
    assert unlisted.param == "flow_data[subscription_update_confirm][items][0][price]"
    assert "price_1PrcQuarterlyProAbCdEfGh" in unlisted.message


def test_a_subscription_that_is_not_the_customers_missing_or_ended_is_refused() -> None:
    with practice("healthy") as (_scenario, server):
        missing = _refusal(server, _cancel("sub_1NoSuchThing"))
        _change(server, "customers", CUSTOMER, lambda c: c.update(id="cus_SomeoneElse01"))  # a second customer
        other = _refusal(server, _cancel(), customer="cus_SomeoneElse01")
        _change(server, "subscriptions", SUB, lambda s: s.update(status="canceled"))
        ended = _refusal(server, _update())
    assert isinstance(missing, NotFound) and missing.code == "resource_missing"
    assert missing.param == "flow_data[subscription_cancel][subscription]"
    assert "does not belong to the customer cus_SomeoneElse01" in other.message
    assert "has been canceled" in ended.message


def test_a_schedule_with_a_change_ahead_blocks_cancelling_and_changing() -> None:
    with practice("portal_downgrade") as (_scenario, server):
        for flow in (_cancel(), _update()):
            assert "subscription schedule sub_sched_1PrcGRKngXRSPHCiFAnFoXuR" in _refusal(server, flow).message
        _change(server, "subscription_schedules", "sub_sched_1PrcGRKngXRSPHCiFAnFoXuR",
                lambda s: s.update(status="released"))
        assert _ask(server, _cancel()).session_id  # released: the portal may take it again


def test_a_subscription_paid_by_invoice_can_only_be_cancelled() -> None:
    with practice("healthy") as (_scenario, server):
        _change(server, "subscriptions", SUB, lambda s: s.update(collection_method="send_invoice"))
        refused = _refusal(server, _update())
        assert _ask(server, _cancel()).session_id
    assert "can only be canceled" in refused.message


def test_a_feature_off_refuses_its_own_flow_only() -> None:
    with practice("features_off") as (scenario, server):
        customer = str(scenario.customer)
        sub = next(s["id"] for s in server.store.objects("test", "subscriptions") if s["customer"] == customer)
        refusals = [_refusal(server, flow, customer) for flow in ({"type": "payment_method_update"}, _cancel(sub))]
    assert "payment method update feature" in refusals[0].message
    assert "subscription cancel feature" in refusals[1].message


def test_cancelling_what_is_already_set_to_end_is_refused() -> None:
    with practice("ask_already_cancelling") as (_scenario, server):
        refused = _refusal(server, _cancel())
    assert refused.message == "This subscription is already set to be canceled at period end."


def test_every_rule_has_a_known_condition_flows_words_and_a_source() -> None:
    data = json.loads((ROOT / "assistant" / "resources" / "practice" / "flow_rules.json").read_text())
    flows = {"payment_method_update", "subscription_cancel", "subscription_update", "subscription_update_confirm"}
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert "flow_rules.json" in sources
    for rule in flow_rules():
        assert rule["when"] in CONDITIONS, rule["id"]
        assert rule["flows"] and set(rule["flows"]) <= flows, rule["id"]
        assert rule["message"].strip() and rule["source"].strip(), rule["id"]
        assert rule["wording"] in ("quoted", "approximated"), rule["id"]
        assert f"`{rule['id']}`" in sources, f"docs/sources.md does not list rule {rule['id']}"
    assert len({r["id"] for r in data["rules"]}) == len(data["rules"])
