"""The asks, planned and read without a network: which flows are asked with which configuration,
what the customer sees (and so what the checks expect of each flow), and how a refusal becomes
the finding that explains it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.practice import run_scenario

from assistant.diagnosis.asks.interpret import patterns, recognised
from assistant.diagnosis.asks.model import ACCEPTED, REFUSED, AskInputs, AskUsageError, StripeRefusal
from assistant.diagnosis.asks.plan import plan_asks, used_configuration
from assistant.diagnosis.asks.portal_view import CANCEL, CHANGE_PLAN, PAUSE, PAYMENT_METHOD, expected
from assistant.diagnosis.checks import deep_links
from assistant.diagnosis.checks.ask_codes import (
    ASK_FEATURE_OFF,
    ASK_NO_CHANGE,
    ASK_PRICE_NOT_OFFERED,
    ASK_REFUSED_UNRECOGNISED,
    ASK_SUBSCRIPTION_ELSEWHERE,
)
from assistant.knowledge import checklist

ROOT = Path(__file__).resolve().parents[1]
SUB = "sub_1Prcj5Ad0gKHaMyQU7OdrZIP"
UPDATE_OFF = ("This subscription cannot be updated because the subscription update feature in the portal "
              "configuration is disabled.")


async def test_a_plan_asks_each_flow_with_the_configurations_own_return_url() -> None:
    outcome = await run_scenario("healthy")
    plan = plan_asks(outcome.snapshot, AskInputs(customer="cus_6xSYYFpYc5wPHe",
                                                  prices=("price_1PrcvYfY0crZLwnMFlYzO7Xl",)))
    assert [a.flow for a in plan.asks] == ["payment_method_update", "subscription_cancel", "subscription_update",
                                           "subscription_update_confirm"]
    assert plan.return_url is None  # the configuration's default redirect link applies
    confirm = plan.asks[-1].flow_data["subscription_update_confirm"]
    assert confirm == {"subscription": SUB, "items": [
        {"id": "si_j5Ad0gKHaMyQU7", "price": "price_1PrcvYfY0crZLwnMFlYzO7Xl", "quantity": 1}]}
    assert all(a.predicted == ACCEPTED for a in plan.asks)


async def test_the_configuration_the_integrations_sessions_use_is_the_one_asked_with() -> None:
    outcome = await run_scenario("configurations_per_visit")
    """Code that makes a configuration per visit: the newest session's configuration, not the default."""
    used = used_configuration(outcome.snapshot)
    newest = deep_links.uses(outcome.snapshot)[0].configuration
    assert used is not None and not used.get("is_default") and used["id"] == newest
    plan = plan_asks(outcome.snapshot, AskInputs(customer=str(outcome.diagnosis.customer_query),
                                                  return_url="https://app.practice.example/account"))
    assert plan.configuration_id == newest
    assert plan_asks((await run_scenario("sessions_inactive_configuration")).snapshot,
                     AskInputs(customer="cus_6xSYYFpYc5wPHe")).configuration_id == "bpc_1PrciAyhkEWTCMZmNetCQeyE"


async def test_a_configuration_named_that_is_not_there_is_a_usage_error() -> None:
    outcome = await run_scenario("healthy")
    with pytest.raises(AskUsageError, match="no portal configuration bpc_1NotHere"):
        plan_asks(outcome.snapshot, AskInputs(customer="cus_6xSYYFpYc5wPHe", configuration="bpc_1NotHere"))


async def test_what_the_customer_sees_gives_each_action_or_its_reason() -> None:
    outcome = await run_scenario("features_off")
    plan = plan_asks(outcome.snapshot, AskInputs(customer=str(outcome.diagnosis.customer_query)))
    view = plan.view
    payment = next(a for a in view.customer_actions if a.key == PAYMENT_METHOD)
    assert not payment.offered and payment.detail == "updating the payment method is off in this configuration"
    [sub] = view.subscriptions
    change, cancel, pause = (sub.action(k) for k in (CHANGE_PLAN, CANCEL, PAUSE))
    assert change is not None and not change.offered and "plan switching is off" in change.said
    assert cancel is not None and cancel.said == "Cancel: not offered — cancelling is off in this configuration"
    assert pause is not None and not pause.offered
    assert expected(view, "subscription_cancel", sub.subscription_id) == (
        REFUSED, "cancelling is off in this configuration")


async def test_the_plan_change_names_the_plans_it_may_go_to_and_a_schedule_blocks_it() -> None:
    healthy = plan_asks((await run_scenario("healthy")).snapshot, AskInputs(customer="cus_6xSYYFpYc5wPHe")).view
    change = healthy.subscriptions[0].action(CHANGE_PLAN)
    assert change is not None and change.offered
    assert change.said == ('Change plan — to "Basic Monthly" (9.00 USD / month), "Basic Yearly" (90.00 USD / year), '
                           '"Pro Yearly" (290.00 USD / year)')
    assert "price_1PrcOLydQ8MlbwO8zsUu9Vwq" not in change.targets  # its own price is no change
    scheduled = plan_asks((await run_scenario("portal_downgrade")).snapshot,
                          AskInputs(customer="cus_6xSYYFpYc5wPHe")).view
    blocked = scheduled.subscriptions[0].action(CANCEL)
    assert blocked is not None and not blocked.offered and blocked.detail == "it follows a subscription schedule"


async def test_a_switch_to_the_current_price_or_one_off_the_list_is_expected_to_be_refused() -> None:
    view = plan_asks((await run_scenario("deep_link_price_not_offered")).snapshot,
                     AskInputs(customer="cus_6xSYYFpYc5wPHe")).view
    assert expected(view, "subscription_update_confirm", SUB, "price_1PrcOLydQ8MlbwO8zsUu9Vwq") == (
        REFUSED, "the subscription is on that price already")
    assert expected(view, "subscription_update_confirm", SUB, "price_1PrcQuarterlyProAbCdEfGh") == (
        REFUSED, "that price is not on this configuration's plan list")
    assert expected(view, "subscription_update_confirm", "sub_1NotRead") == (None, "")


def _refusal(message: str, param: str | None = None, code: str | None = None) -> StripeRefusal:
    return StripeRefusal("invalid_request_error", code, param, message)


@pytest.mark.parametrize(("message", "param", "code", "finding"), [
    (UPDATE_OFF, None, None, ASK_FEATURE_OFF),
    ("Cannot update the subscription because there are no changes to confirm.", None, None, ASK_NO_CHANGE),
    ("Some new wording about prices.", "flow_data[subscription_update_confirm][items][0][price]", None,
     ASK_PRICE_NOT_OFFERED),
    ("No such subscription: 'sub_1'", "flow_data[subscription_cancel][subscription]", "resource_missing",
     ASK_SUBSCRIPTION_ELSEWHERE),
    ("This subscription is already set to be canceled at period end.", "flow_data[subscription_cancel][subscription]",
     None, ASK_REFUSED_UNRECOGNISED),
    ("Something Stripe never said before.", None, None, ASK_REFUSED_UNRECOGNISED),
])
def test_a_refusal_is_recognised_by_its_words_param_or_code(message: str, param: str | None, code: str | None,
                                                            finding: str) -> None:
    assert recognised(_refusal(message, param, code)) == finding


def test_every_recognised_pattern_names_a_declared_finding_and_its_source() -> None:
    codes = set(checklist.ask_codes())
    data = json.loads((ROOT / "assistant" / "resources" / "asks.json").read_text(encoding="utf-8"))
    assert data["patterns"] and len(data["patterns"]) == len(patterns())
    for pattern in patterns():
        assert pattern["finding"] in codes
        assert pattern["source"].strip() and pattern["wording"] in ("quoted", "approximated")
        assert set(pattern) & {"message", "param", "code"}, pattern
    sources = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    assert "resources/asks.json" in sources
