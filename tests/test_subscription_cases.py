"""Issue 23, item 1: subscriptions as Stripe holds them since 2024-2026, each failure mode owners
reported as a practice account diagnosed over real HTTP, with the verdict and the words the agent
reads out; a pause is never explained by a trial it was not caused by, and reading the new
fields costs no request the healthy account does not make."""

from __future__ import annotations

import pytest
from support.practice import diagnoser_for, practice, run_scenario, scenario_request
from support.verdicts import Case, assert_case

from assistant.diagnosis.checks import subscriptions as subs
from assistant.diagnosis.checks.subscription_state import pause_cause
from assistant.practice.scenarios import scenario_names

CASES = {
    "paused on request": Case("paused_on_request", "customer.subscriptions", "warn", (
        "is paused on request (by the customer or the owner)",
        "is paused on request since", "the portal's pause feature is on, with no set length",
        "stays paused until someone resumes it")),
    "paused after a failed payment": Case("paused_after_failed_payment", "customer.subscriptions", "warn", (
        "is paused after a failed renewal payment",
        "because the first payment of its renewal invoice failed",
        "the owner's settings for failed payments pause the subscription", "the invoice stays open")),
    "payment collection paused": Case("collection_paused", "customer.subscriptions", "warn", (
        "has payment collection paused (the subscription stays active)",
        "has payment collection paused until", "are voided, so the customer is never charged",
        "it stays active and the customer keeps it")),
    "cancelled in the portal, flexible billing mode": Case("flexible_cancellation", "customer.subscriptions", "pass", (
        'the subscription to "Pro" (29.00 USD / month) ending on',
        "records as the end date cancel_at while cancel_at_period_end stays false",
        "an app that reads only cancel_at_period_end misses it", "the customer's reason: too expensive")),
    "the subscription's own card": Case("own_payment_method", "customer.subscriptions", "warn", (
        "charges its own payment method, not the customer's default",
        "charges its own payment method, Visa ending 4242",
        "before the customer's default, Mastercard ending 4444",
        "the portal changes the customer's default")),
    "a downgrade the portal scheduled": Case("portal_downgrade", "customer.subscriptions", "warn", (
        "has a downgrade the portal scheduled for the end of the period",
        'moves it from "Pro" (29.00 USD / month) to "Basic" (9.00 USD / month) (a lower amount)',
        "The portal made this schedule itself",
        "the portal lets them neither change nor cancel the subscription")),
    "paused after a trial keeps its sentence": Case("paused_subscription", "customer.subscriptions", "warn", (
        "sub_1Prcj5Ad0gKHaMyQU7OdrZIP is paused", "trial ended without a payment method",
        "the portal has no way to resume it")),
}


@pytest.mark.parametrize("name", list(CASES))
async def test_subscription_case_gives_its_verdict_and_sentence(name: str) -> None:
    await assert_case(CASES[name])


async def test_each_case_reads_its_answer_from_the_findings() -> None:
    """What acts on the result reads codes and facts, not sentences."""
    expected = {
        "paused_on_request": (subs.SUBSCRIPTION_PAUSED_ON_REQUEST, "pause_cause", "pause_requested"),
        "paused_after_failed_payment": (subs.SUBSCRIPTION_PAUSED_FIRST_PAYMENT_FAILED, "pause_cause",
                                        "first_payment_failure"),
        "collection_paused": (subs.SUBSCRIPTION_COLLECTION_PAUSED, "behavior", "void"),
        "flexible_cancellation": (subs.SUBSCRIPTION_ENDING, "how", "period_end_date"),
        "own_payment_method": (subs.SUBSCRIPTION_OWN_PAYMENT_METHOD, "own_said", "Visa ending 4242"),
        "portal_downgrade": (subs.SUBSCRIPTION_PORTAL_DOWNGRADE, "conditions", ("decreasing_item_amount",)),
    }
    for name, (code, fact, value) in expected.items():
        result = (await run_scenario(name)).diagnosis.check(subs.CID)
        assert result is not None
        found = result.with_code(code)
        assert len(found) == 1 and found[0].fact(fact) == value, (name, [f.code for f in result.findings])


@pytest.mark.parametrize("name", scenario_names())
async def test_no_practice_account_explains_a_pause_by_a_trial_that_did_not_cause_it(name: str) -> None:
    outcome = await run_scenario(name)
    result = outcome.diagnosis.check(subs.CID)
    lookup = outcome.snapshot.customer
    paused = [s for s in (lookup.subscriptions.value or []) if s.get("status") == "paused"] if lookup else []
    text = " ".join([result.summary, *result.details, *result.fix]).lower() if result else ""
    if paused and all(pause_cause(s) != "trial_end_without_payment_method" for s in paused):
        trialing = [s for s in lookup.subscriptions.value or [] if s.get("status") == "trialing"]  # type: ignore[union-attr]
        assert trialing or "trial" not in text, (name, text)
    if name == "paused_on_request":
        assert paused and "trial" not in text


async def test_reading_the_new_fields_costs_no_request() -> None:
    """docs/performance.md: the customer and everything its portal shows come in one request;
    these accounts make exactly the reads the healthy one makes."""
    def reads(name: str) -> list[str]:
        return sorted(f"{method} {path}" for method, path, _, _ in log[name])

    log: dict[str, list[tuple[str, str, object, object]]] = {}
    for name in ("healthy", "paused_on_request", "collection_paused", "flexible_cancellation",
                 "own_payment_method", "portal_downgrade", "paused_after_failed_payment"):
        with practice(name) as (scenario, server):
            await diagnoser_for(server).run_full(scenario_request(scenario, second_key=None))
            log[name] = list(server.request_log)
    assert all(reads(name) == reads("healthy") for name in log), {n: reads(n) for n in log}
