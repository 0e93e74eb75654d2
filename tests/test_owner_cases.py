"""The cases owners bring to support calls, each a practice account diagnosed over real HTTP.

Every case names the check, the verdict and the words the agent reads out: the summary and
details must contain each expected phrase (ids, names, the reason), so a wrong or vague answer
fails here even when the status happens to be right.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import pytest
from support.practice import diagnoser_for, run_scenario, scenario_request
from support.verdicts import Case, assert_case

from assistant.practice.scenarios import PracticeKey, Scenario, load_scenario
from assistant.practice.server import PracticeServer

CASES = {
    "deleted customer": Case("deleted_customer", "customer.found", "fail", (
        "The customer was deleted in test mode", "no portal can open for a deleted customer")),
    "deleted customer: e-mail not judged": Case("deleted_customer", "customer.email", "skip", (
        "the customer was deleted",)),
    "paused subscription": Case("paused_subscription", "customer.subscriptions", "warn", (
        "sub_1Prcj5Ad0gKHaMyQU7OdrZIP is paused", "trial ended without a payment method",
        "the portal has no way to resume it")),
    "plan not offered": Case("plan_not_offered", "customer.subscriptions", "warn", (
        'prod_LegacyPlan2019x "Legacy"', "not in the portal's list of products",
        "no plan change at all")),
    "mixed tax behaviour": Case("mixed_tax_behavior", "customer.subscriptions", "warn", (
        'price_1PrcOLydQ8MlbwO8zsUu9Vwq "Pro Monthly"', "tax behaviour inclusive",
        'price_1PrcvYfY0crZLwnMFlYzO7Xl "Pro Yearly"', "tax behaviour exclusive")),
    "unsupported payment method": Case("unsupported_payment_method", "customer.subscriptions", "warn", (
        "pm_1PrcJs8LXHVrv6GoEVSrMnD0", "Korean card (kr_card)", "can only cancel")),
    "only non-default configurations": Case("only_non_default_configurations", "portal.configuration", "fail", (
        '("Partners", "Legacy checkout")', 'bpc_1PrciAyhkEWTCMZmNetCQeyE', 'bpc_1PrcLegacyCfgAbCdEfGhIj',
        "none is the default", "passes one of them")),
    "11 products": Case("eleven_products", "portal.products", "fail", (
        "lists 11 products", "at most 10")),
    # issue 16, items 1-4
    "unspecified tax behaviour offered": Case("unspecified_tax_price", "portal.products", "warn", (
        'price_1PrcvYfY0crZLwnMFlYzO7Xl "Pro Yearly"', "tax behaviour unspecified",
        "neither switch to it nor away from it")),
    "two monthly prices of one product": Case("same_interval_prices", "portal.products", "warn", (
        'prod_TG08W6iBLpolF6 "Pro"', "price_1PrcOLydQ8MlbwO8zsUu9Vwq", "price_1PrcProMonthly2026AbCdEf",
        "billed per month", "one price per billing interval")),
    "two items of one product": Case("two_item_subscription", "customer.subscriptions", "warn", (
        "2 items of one product (prod_TG08W6iBLpolF6)", "limitations counts products",
        "API reference says subscriptions with several items")),
    "only promotion codes allowed": Case("promotion_code_only", "portal.products", "fail", (
        "only apply promotion codes", "no plan and no quantity can change")),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_owner_case_gives_its_verdict_and_sentence(name: str) -> None:
    await assert_case(CASES[name])


async def test_a_deleted_customer_is_found_by_id_but_never_by_email() -> None:
    by_email = await run_scenario("deleted_customer", customer="ada@customer.example")
    found = by_email.diagnosis.check("customer.found")
    assert found is not None and found.status.value == "fail"
    assert "No customer in test mode has the e-mail ada@customer.example" in found.summary


async def test_only_cancelled_subscriptions_are_read_in_a_second_round_and_named() -> None:
    scenario = load_scenario("healthy")
    sub = scenario.data["test"]["subscriptions"][0]  # type: ignore[index]
    sub.update(status="canceled", canceled_at=1_716_000_000, ended_at=1_716_000_000)
    with PracticeServer(scenario) as server:
        outcome = await diagnoser_for(server).run_full(scenario_request(scenario))
        asked = [params for _, path, params, _ in server.request_log if path == "/v1/subscriptions"]
    result = outcome.diagnosis.check("customer.subscriptions")
    assert result is not None and result.status.value == "warn"
    assert "has no current subscription" in result.summary
    assert "sub_1Prcj5Ad0gKHaMyQU7OdrZIP was cancelled on 2024-05-18" in " ".join(result.details)
    assert [p.get("status") for p in asked] == ["canceled"], asked


@pytest.mark.parametrize("status, says", [
    ("past_due", "is past due: its latest payment failed and Stripe is retrying it"),
    ("unpaid", "is unpaid: Stripe stopped retrying its invoices"),
    ("incomplete", "is incomplete: its first payment"),
    ("incomplete_expired", "expired: its first payment never went through"),
    ("trialing", "is in a trial until"),
])
async def test_each_subscription_status_has_its_own_sentence(status: str, says: str) -> None:
    scenario = load_scenario("healthy")
    sub = scenario.data["test"]["subscriptions"][0]  # type: ignore[index]
    sub.update(status=status, trial_end=1_900_000_000 if status == "trialing" else None)
    with PracticeServer(scenario) as server:
        outcome = await diagnoser_for(server).run_full(scenario_request(scenario))
    result = outcome.diagnosis.check("customer.subscriptions")
    assert result is not None
    assert result.status.value == ("pass" if status == "trialing" else "warn")
    assert says in " ".join(result.details)
    if status == "trialing":
        assert "end the trial when the customer changes plan" in " ".join(result.details)


async def test_every_feature_off_but_pause_is_not_every_feature_off() -> None:
    scenario: Scenario = load_scenario("healthy")
    features = scenario.data["test"]["configurations"][0]["features"]  # type: ignore[index]
    for name in ("customer_update", "invoice_history", "payment_method_update", "subscription_cancel",
                 "subscription_update"):
        features[name]["enabled"] = False
    features["subscription_pause"] = copy.deepcopy({"enabled": True, "duration": {"type": "indefinite"}})
    with PracticeServer(scenario) as server:
        outcome = await diagnoser_for(server).run_full(scenario_request(scenario))
    result = outcome.diagnosis.check("portal.features")
    assert result is not None and result.status.value == "pass"
    assert result.summary == "In the portal customers can: pause subscriptions."


async def test_a_key_that_may_not_expand_subscriptions_still_finds_the_customer() -> None:
    """Expanding subscriptions needs Subscriptions: Read: the customer is read again without the
    expansion, so only the subscriptions check carries the refusal, in the Dashboard's words."""
    scenario = load_scenario("healthy")
    key = "rk_test_practice_no_subs_wxyz"
    scenario = replace(scenario, primary_key=key, second_key=None, keys=(
        *scenario.keys, PracticeKey(key=key, mode="test", kind="restricted",
                                    missing_permissions=("rak_subscription_read",))))
    with PracticeServer(scenario) as server:
        outcome = await diagnoser_for(server).run_full(scenario_request(scenario))
    found = outcome.diagnosis.check("customer.found")
    subs = outcome.diagnosis.check("customer.subscriptions")
    assert found is not None and found.status.value == "pass"
    assert subs is not None and subs.status.value == "error"
    assert "Subscriptions: Read" in subs.summary and "rak_" not in subs.summary
