"""customer.subscriptions as Stripe holds subscriptions since 2024-2026 (issue 23, item 1): why a
subscription is paused, paused payment collection, a cancellation still ahead and the field
that carries it, a payment method of the subscription's own, and a schedule the portal's own
downgrade setting made. `scenarios(mode)` reaches every code these add, so the wording, schema
and placeholder tests cover them (tests/support/scenarios.py picks it up)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.stripe_objects import (
    allowed,
    configuration,
    context,
    customer,
    features,
    healthy_snapshot,
    lookup,
    offered_price,
    ok,
    price,
    subscription,
)

from assistant.diagnosis.checks import subscriptions as subs
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.subscription_state import PAUSE_CAUSES, payment_method_said
from assistant.diagnosis.model import CheckResult, Status

NOW = 1_800_000_000
DAY = 86400
PERIOD_END = NOW + 12 * DAY


def _paused(cause: str | None, sub_id: str = "sub_Paused", **kw: Any) -> dict[str, Any]:
    details = None if cause is None else {"paused": {
        "type": "subscription", "subscription": {"type": cause}, "transitioned_at": NOW - 10 * DAY}}
    return subscription(sub_id, status="paused", status_details=details, billing_mode={"type": "flexible"},
                        **kw)


def _item_period(sub: dict[str, Any], end: int = PERIOD_END) -> dict[str, Any]:
    for item in sub["items"]["data"]:
        item["current_period_end"] = end
        item["current_period_start"] = end - 30 * DAY
    return sub


def _card(pm_id: str, brand: str, last4: str) -> dict[str, Any]:
    return {"id": pm_id, "object": "payment_method", "type": "card",
            "card": {"brand": brand, "display_brand": brand, "last4": last4, "exp_month": 8, "exp_year": 2030}}


BASIC = price("price_BasicMonthly", "prod_Basic", unit_amount=900, nickname="Basic Monthly")
PRO_YEARLY = price("price_ProYearly", "prod_Pro", unit_amount=20000, interval="year", nickname="Yearly")


def _downgrade_conf(mode: str, *conditions: str) -> dict[str, Any]:
    feats = features(subscription_update=True, default_allowed_updates=["price"],
                     products=[allowed("prod_Pro", "price_ProMonthly", "price_ProYearly"),
                               allowed("prod_Basic", "price_BasicMonthly")])
    feats["subscription_update"]["schedule_at_period_end"] = {"conditions": [{"type": c} for c in conditions]}
    return configuration(mode=mode, features=feats)


def _schedule(to: str = "price_BasicMonthly", starts: int = PERIOD_END) -> dict[str, Any]:
    return {"id": "sub_sched_Down", "object": "subscription_schedule", "status": "active", "end_behavior": "release",
            "phases": [{"start_date": NOW - 18 * DAY, "end_date": starts,
                        "items": [{"price": "price_ProMonthly", "quantity": 1}]},
                       {"start_date": starts, "end_date": starts + 30 * DAY,
                        "items": [{"price": to, "quantity": 1}]}]}


def _snapshot(mode: str, subscriptions: list[dict[str, Any]], *, conf: dict[str, Any] | None = None,
              cus: dict[str, Any] | None = None) -> CheckContext:
    cus = cus or customer()
    extra: dict[str, Any] = {}
    if conf is not None:
        monthly, basic = offered_price(), BASIC
        extra = {"configurations": ok([conf]),
                 "products": ok({"prod_Pro": {"id": "prod_Pro", "name": "Pro"},
                                 "prod_Basic": {"id": "prod_Basic", "name": "Basic"}}),
                 "prices": ok({p["id"]: p for p in (monthly, PRO_YEARLY, basic)})}
    return context(healthy_snapshot(mode, read_at=NOW, customer=lookup(
        matches=[cus], subscriptions=subscriptions), **extra))


def scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    """Contexts reaching every code of the 2024-2026 subscription fields."""
    for cause in (*PAUSE_CAUSES, None):
        yield f"paused_{cause}", _snapshot(mode, [_paused(cause)])
    void = subscription("sub_Grace", pause_collection={"behavior": "void", "resumes_at": NOW + 20 * DAY})
    draft = subscription("sub_Draft", pause_collection={"behavior": "keep_as_draft", "resumes_at": None})
    yield "collection_paused", _snapshot(mode, [void, draft])
    flexible = _item_period(subscription("sub_Flex", billing_mode={"type": "flexible"}, cancel_at=PERIOD_END,
                                         cancel_at_period_end=False,
                                         cancellation_details={"reason": "cancellation_requested",
                                                               "feedback": "too_expensive", "comment": None}))
    classic = _item_period(subscription("sub_Classic", cancel_at=PERIOD_END, cancel_at_period_end=True))
    dated = _item_period(subscription("sub_Dated", billing_mode={"type": "flexible"}, cancel_at=NOW + 90 * DAY))
    yield "ending", _snapshot(mode, [flexible, classic, dated])
    locked = subscription("sub_Locked", cancel_at=NOW + 40 * DAY, schedule="sub_sched_Owner")
    yield "ending_locked", _snapshot(mode, [locked])
    own = subscription("sub_OwnCard", default_payment_method=_card("pm_Old", "visa", "4242"))
    yield "own_payment_method", _snapshot(mode, [own], cus=customer(
        invoice_settings={"default_payment_method": _card("pm_New", "mastercard", "4444")}))
    down = _item_period(subscription("sub_Down", schedule=_schedule()))
    yield "portal_downgrade", _snapshot(mode, [down], conf=_downgrade_conf(mode, "decreasing_item_amount"))


def _run(ctx: CheckContext) -> CheckResult:
    return subs.check_subscriptions(ctx)


def _text(result: CheckResult) -> str:
    return "\n".join([result.summary, *result.details, *result.fix])


# -- paused: the cause, in its own words; "trial" only for the trial ----------------------------


@pytest.mark.parametrize(("cause", "code", "says"), [
    ("pause_requested", subs.SUBSCRIPTION_PAUSED_ON_REQUEST, "is paused on request since 2027-01-05"),
    ("first_payment_failure", subs.SUBSCRIPTION_PAUSED_FIRST_PAYMENT_FAILED, "first payment of its renewal invoice"),
    ("final_payment_failure", subs.SUBSCRIPTION_PAUSED_RETRIES_FAILED, "after Stripe's last retry"),
    ("system", subs.SUBSCRIPTION_PAUSED_BY_STRIPE, "paused by Stripe itself"),
    ("trial_end_without_payment_method", subs.SUBSCRIPTION_PAUSED, "its trial ended without a payment method"),
    (None, subs.SUBSCRIPTION_PAUSED_UNEXPLAINED, "does not say why"),
])
def test_a_pause_says_why_it_happened(cause: str | None, code: str, says: str) -> None:
    result = _run(_snapshot("test", [_paused(cause)]))
    assert result.status is Status.WARN
    assert [f.code for f in result.evidence][0] == code
    assert says in "\n".join(result.details)
    assert any("https://dashboard.stripe.com/test/subscriptions/sub_Paused" in step for step in result.fix)


@pytest.mark.parametrize("cause", [c for c in (*PAUSE_CAUSES, None, "some_future_reason")
                                   if c != "trial_end_without_payment_method"])
def test_a_pause_no_trial_caused_never_speaks_of_a_trial(cause: str | None) -> None:
    """Even on a subscription that once had a trial, and with the portal's pause feature on."""
    conf = configuration(features={**features(), "subscription_pause": {
        "enabled": True, "duration": {"type": "interval_options", "interval_options": [
            {"interval": "month", "interval_count": 1}, {"interval": "month", "interval_count": 3}]}}})
    sub = _paused(cause, trial_start=NOW - 60 * DAY, trial_end=NOW - 46 * DAY)
    for ctx in (_snapshot("test", [sub]), _snapshot("live", [sub], conf=conf)):
        text = _text(_run(ctx)).lower()
        assert "paus" in text and "trial" not in text, text


def test_a_pause_on_request_says_what_the_portal_offers_and_when_it_resumes() -> None:
    conf = _downgrade_conf("test")
    conf["features"]["subscription_pause"] = {"enabled": True, "duration": {
        "type": "interval_options", "interval_options": [{"interval": "month", "interval_count": 1},
                                                         {"interval": "month", "interval_count": 3}]}}
    schedule = {"id": "sub_sched_Pause", "object": "subscription_schedule", "status": "active", "phases": [],
                "pause_schedules": [{"key": "p1", "pause": {"pause_at": NOW - 10 * DAY},
                                     "resume": {"resume_at": NOW + 20 * DAY}}]}
    text = _text(_run(_snapshot("test", [_paused("pause_requested", schedule=schedule)], conf=conf)))
    assert "pause feature is on, with lengths of 1 month, 3 months to choose from" in text
    assert "it resumes by itself on 2027-02-04" in text
    assert "do not promise the customer a resume button" in text
    off = _text(_run(_snapshot("test", [_paused("pause_requested")])))
    assert "pause feature is off" in off and "owner or their app most likely paused it" in off
    assert "stays paused until someone resumes it" in off


def test_a_pause_after_failed_payments_says_what_the_customer_and_owner_do() -> None:
    result = _run(_snapshot("test", [_paused("final_payment_failure")]))
    assert "the customer adds a working payment method in the portal and pays the open invoice" in _text(result)
    assert result.summary == ('For this customer, the subscription to "Pro" (20.00 USD / month) '
                              "is paused after its payment retries ran out.")


# -- paused payment collection: still active ------------------------------------------------


def test_paused_collection_names_its_behaviour_and_resume_date_and_the_status_stays() -> None:
    void = subscription("sub_Grace", pause_collection={"behavior": "void", "resumes_at": NOW + 20 * DAY})
    draft = subscription("sub_Draft", pause_collection={"behavior": "keep_as_draft", "resumes_at": None})
    result = _run(_snapshot("test", [void, draft]))
    assert result.status is Status.WARN
    details = "\n".join(result.details)
    assert ("sub_Grace (active) has payment collection paused until 2027-02-04: invoices made while "
            "collection is paused are voided") in details
    assert "sub_Draft (active) has payment collection paused with no end date" in details and "stay drafts" in details
    assert "it stays active and the customer keeps it" in details
    assert "paused on request" not in details  # the subscription itself is not paused


# -- a cancellation still ahead --------------------------------------------------------------


def test_a_portal_cancellation_on_flexible_billing_mode_is_read_from_cancel_at() -> None:
    sub = _item_period(subscription("sub_Flex", billing_mode={"type": "flexible"}, cancel_at=PERIOD_END,
                                    cancel_at_period_end=False,
                                    cancellation_details={"feedback": "too_expensive", "reason": None}))
    result = _run(_snapshot("test", [sub]))
    assert result.status is Status.PASS
    assert "ending on 2027-01-27" in result.summary
    line = next(d for d in result.details if d.startswith("sub_Flex"))
    assert line.startswith("sub_Flex (active) ends on 2027-01-27: it is set to cancel at the end of its billing period")
    assert "cancel_at while cancel_at_period_end stays false" in line
    assert "an app that reads only cancel_at_period_end misses it" in line
    assert line.endswith("; the customer's reason: too expensive")
    ending = result.with_code(subs.SUBSCRIPTION_ENDING)[0]
    assert (ending.field, ending.seen, ending.fact("how")) == ("cancel_at", PERIOD_END, "period_end_date")
    row = subs.subscription_rows(result)[0]
    assert row.portal_can == ("can be changed and cancelled", "ends on 2027-01-27")


def test_cancel_at_period_end_and_a_chosen_date_name_their_field() -> None:
    classic = _item_period(subscription("sub_Classic", cancel_at=PERIOD_END, cancel_at_period_end=True))
    dated = _item_period(subscription("sub_Dated", billing_mode={"type": "flexible"}, cancel_at=NOW + 90 * DAY))
    details = "\n".join(_run(_snapshot("test", [classic, dated])).details)
    assert ("sub_Classic (active) ends on 2027-01-27: it is set to cancel at the end of its billing period "
            "(cancel_at_period_end is true)") in details
    assert "sub_Dated (active) ends on 2027-04-15: cancel_at sets that date for it to end" in details


def test_a_cancellation_the_portal_cannot_take_back_warns() -> None:
    locked = subscription("sub_Locked", cancel_at=NOW + 40 * DAY, schedule="sub_sched_Owner")
    result = _run(_snapshot("live", [locked]))
    assert result.status is Status.WARN
    assert [f.code for f in result.evidence] == [subs.SUBSCRIPTION_ON_SCHEDULE, subs.SUBSCRIPTION_ENDING_LOCKED]
    assert "the customer cannot take the cancellation back there" in "\n".join(result.details)
    assert any(step.startswith("If the customer wants to keep sub_Locked") and
               "https://dashboard.stripe.com/subscriptions/sub_Locked" in step for step in result.fix)


# -- a payment method of the subscription's own ------------------------------------------------


def test_a_subscription_charging_its_own_card_names_both_cards_never_the_number() -> None:
    own = subscription("sub_OwnCard", default_payment_method=_card("pm_Old", "visa", "4242"))
    cus = customer(invoice_settings={"default_payment_method": _card("pm_New", "mastercard", "4444")})
    result = _run(_snapshot("test", [own], cus=cus))
    assert result.status is Status.WARN
    line = "\n".join(result.details)
    assert "sub_OwnCard charges its own payment method, Visa ending 4242" in line
    assert "before the customer's default, Mastercard ending 4444" in line
    assert "the portal changes the customer's default" in line
    finding = result.with_code(subs.SUBSCRIPTION_OWN_PAYMENT_METHOD)[0]
    assert (finding.seen, finding.expected) == ("pm_Old", "pm_New")
    assert "4242424242424242" not in _text(result)


def test_the_same_payment_method_or_no_customer_default_is_no_finding() -> None:
    card = _card("pm_Same", "visa", "4242")
    same = _run(_snapshot("test", [subscription(default_payment_method=card)],
                          cus=customer(invoice_settings={"default_payment_method": "pm_Same"})))
    alone = _run(_snapshot("test", [subscription(default_payment_method=card)]))
    for result in (same, alone):
        assert not result.with_code(subs.SUBSCRIPTION_OWN_PAYMENT_METHOD) and result.status is Status.PASS


@pytest.mark.parametrize(("pm", "said"), [
    (_card("pm_1", "amex", "0005"), "American Express ending 0005"),
    ({"id": "pm_2", "type": "sepa_debit", "sepa_debit": {"last4": "3000"}}, "SEPA Direct Debit ending 3000"),
    ({"id": "pm_3", "type": "link", "link": {"email": "a@b.example"}}, "Link"),
    ("pm_4", "pm_4"),
])
def test_a_payment_method_is_said_by_type_and_last_four(pm: Any, said: str) -> None:
    assert payment_method_said(pm) == said


# -- a schedule the portal's own downgrade setting made -----------------------------------------


def test_a_downgrade_the_portal_scheduled_says_where_the_schedule_came_from() -> None:
    sub = _item_period(subscription("sub_Down", schedule=_schedule()))
    result = _run(_snapshot("test", [sub], conf=_downgrade_conf("test", "decreasing_item_amount")))
    assert result.status is Status.WARN
    assert [f.code for f in result.evidence] == [subs.SUBSCRIPTION_PORTAL_DOWNGRADE]
    line = result.details[0]
    assert line.startswith('sub_Down (active): on 2027-01-27 its schedule sub_sched_Down moves it from "Pro" '
                           '(20.00 USD / month) to "Basic" (9.00 USD / month) (a lower amount)')
    assert "The portal made this schedule itself" in line
    assert "the portal lets them neither change nor cancel the subscription" in line
    assert "has a downgrade the portal scheduled for the end of the period" in result.summary
    fix = "\n".join(result.fix)
    assert "lifts by itself on 2027-01-27" in fix and "releases schedule sub_sched_Down" in fix
    assert "https://dashboard.stripe.com/test/settings/billing/portal" in fix


@pytest.mark.parametrize(("conditions", "to", "starts", "portal_made"), [
    (("decreasing_item_amount",), "price_BasicMonthly", PERIOD_END, True),
    ((), "price_BasicMonthly", PERIOD_END, False),                       # the setting is off
    (("shortening_interval",), "price_BasicMonthly", PERIOD_END, False),  # monthly to monthly
    (("decreasing_item_amount",), "price_ProYearly", PERIOD_END, False),  # an upgrade
    (("decreasing_item_amount",), "price_BasicMonthly", PERIOD_END + 5 * DAY, False),  # not the period end
])
def test_only_a_change_the_setting_covers_is_called_the_portals(
    conditions: tuple[str, ...], to: str, starts: int, portal_made: bool,
) -> None:
    sub = _item_period(subscription("sub_Down", schedule=_schedule(to, starts)))
    result = _run(_snapshot("test", [sub], conf=_downgrade_conf("test", *conditions)))
    codes = [f.code for f in result.evidence]
    assert codes == [subs.SUBSCRIPTION_PORTAL_DOWNGRADE if portal_made else subs.SUBSCRIPTION_ON_SCHEDULE]


def test_a_yearly_to_monthly_move_meets_the_shorter_interval_condition() -> None:
    sub = _item_period(subscription("sub_Down", prices=[PRO_YEARLY], schedule={
        **_schedule(), "phases": [{"start_date": NOW - 5 * DAY, "end_date": PERIOD_END,
                                   "items": [{"price": "price_ProYearly", "quantity": 1}]},
                                  {"start_date": PERIOD_END, "items": [{"price": "price_ProMonthly",
                                                                        "quantity": 1}]}]}))
    result = _run(_snapshot("test", [sub], conf=_downgrade_conf("test", "shortening_interval")))
    finding = result.with_code(subs.SUBSCRIPTION_PORTAL_DOWNGRADE)[0]
    assert finding.seen == ("shortening_interval",)
    assert "(a shorter billing interval)" in result.details[0]


def test_a_schedule_with_nothing_ahead_no_longer_blocks() -> None:
    sub = _item_period(subscription("sub_Done", schedule=_schedule(starts=NOW - DAY)))
    result = _run(_snapshot("test", [sub], conf=_downgrade_conf("test", "decreasing_item_amount")))
    assert [f.code for f in result.evidence] == [subs.SUBSCRIPTION_SCHEDULE_IDLE, subs.SUBSCRIPTION_MANAGEABLE]
