"""Configurations made by code (at any count), the login link of every configuration, the
settings of 2024-2026 in portal.features and parity.test_live, and placeholder legal links."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from support.stripe_objects import (
    allowed,
    configuration,
    context,
    features,
    healthy_snapshot,
    ok,
    session_event,
)

from assistant.account.snapshot import Page, Snapshot
from assistant.diagnosis.checks.business_profile import (
    BUSINESS_PROFILE_LINK_INVALID,
    BUSINESS_PROFILE_LINK_PLACEHOLDER,
)
from assistant.diagnosis.checks.context import CheckContext
from assistant.diagnosis.checks.parity import PARITY_SETTING_DIFFERS, parity_rows
from assistant.diagnosis.checks.portal import (
    CONFIGURATION_MANY,
    CONFIGURATION_SAVED,
    LOGIN_LINK_ALSO_ON,
    LOGIN_LINK_MORE,
    LOGIN_LINK_ON,
    LOGIN_LINK_ON_OTHER,
    setting_rows,
)
from assistant.diagnosis.checks.registry import run_check, run_checks
from assistant.diagnosis.fixes.model import FixInputs
from assistant.diagnosis.fixes.planner import plan_fixes
from assistant.diagnosis.model import AccountInfo, Diagnosis, Status

NOW = 1_800_000_000
LOGIN = {"enabled": True, "url": "https://billing.stripe.com/p/login/test_Partners"}


def made_by_code(mode: str, count: int, *, login: bool = False) -> list[dict[str, Any]]:
    return [configuration(f"bpc_Visit{n:04d}", mode=mode, is_default=False, name=f"Visit {n}",
                          login_page=dict(LOGIN) if login else {"enabled": False, "url": None})
            for n in range(count)]


def per_visit(mode: str, count: int = 100, *, more: bool = True, sessions: int = 40) -> Snapshot:
    """The first page of an account whose code made a configuration per visit."""
    events = [session_event(f"evt_V{n}", configuration=f"bpc_Visit{n:04d}", created=NOW - n * 60)
              for n in range(sessions)]
    return healthy_snapshot(mode, read_at=NOW, session_events=ok(Page(events)),
                            configurations=ok([healthy_snapshot(mode).default_configuration,
                                               *made_by_code(mode, count)]),
                            configurations_more=more)


def newer_settings(mode: str, **update: Any) -> dict[str, Any]:
    feats = features(subscription_update=True, default_allowed_updates=["price", "quantity"],
                     products=[{**allowed("prod_Pro", "price_ProMonthly", "price_ProYearly"),
                                "adjustable_quantity": {"enabled": True, "minimum": 1, "maximum": 10}}])
    feats["subscription_update"].update({"schedule_at_period_end": {"conditions": [
        {"type": "decreasing_item_amount"}]}, "trial_update_behavior": "continue_trial", **update})
    feats["payment_method_update"]["payment_method_configuration"] = f"pmc_{mode}Cards"
    feats["subscription_pause"] = {"enabled": True, "duration": {
        "type": "interval_options", "interval_options": [{"interval": "month", "interval_count": 1}]}}
    return configuration(mode=mode, features=feats)


def _other(mode: str) -> str:
    return "live" if mode == "test" else "test"


def scenarios(mode: str) -> Iterator[tuple[str, CheckContext]]:
    """Shared with the wording and schema tests (see support.scenarios.check_test_scenarios)."""
    yield "configurations_per_visit", context(per_visit(mode))
    no_default = replace(per_visit(mode), configurations=ok(made_by_code(mode, 100)))
    yield "configurations_per_visit_no_default", context(no_default)
    others = made_by_code(mode, 7, login=True)
    yield "login_on_other_configurations", context(healthy_snapshot(mode, configurations=ok(others)))
    other = _other(mode)
    test_conf, live_conf = newer_settings(mode), newer_settings(other, trial_update_behavior="end_trial")
    yield "parity_settings_differ", context(healthy_snapshot(mode, configurations=ok([test_conf])),
                                            other=healthy_snapshot(other, configurations=ok([live_conf])))
    placeholder = configuration(mode=mode, business_profile={
        "headline": None, "privacy_policy_url": "https://example.com/privacy",
        "terms_of_service_url": "https://10.0.0.12/terms"})
    yield "legal_links_placeholder", context(healthy_snapshot(mode, configurations=ok([placeholder])))


def test_thousands_of_configurations_made_by_code_warn_with_the_count_and_the_sessions() -> None:
    result = run_check("portal.configuration", context(per_visit("test")))
    assert result.status is Status.WARN and result.findings[0].code == CONFIGURATION_MANY
    assert result.summary.startswith("100 or more portal configurations are active in test mode")
    assert "used 40 different ones" in result.summary
    assert "probably creates a new configuration every time" in result.summary
    assert result.has(CONFIGURATION_SAVED)  # the default is still named, as evidence
    assert len(result.details) < 15  # not one line per configuration


def test_a_handful_of_configurations_is_fine() -> None:
    result = run_check("portal.configuration", context(per_visit("test", 4, more=False, sessions=4)))
    assert result.status is Status.PASS and not result.has(CONFIGURATION_MANY)


def test_many_configurations_without_a_default_still_fail_first_and_list_a_few() -> None:
    snap = replace(per_visit("test"), configurations=ok(made_by_code("test", 100)))
    result = run_check("portal.configuration", context(snap))
    assert result.status is Status.FAIL or result.status is Status.WARN
    assert result.findings[0].code != CONFIGURATION_MANY and result.has(CONFIGURATION_MANY)
    assert "95 more" in result.summary


def test_the_login_link_of_a_configuration_other_than_the_default_is_reported() -> None:
    result = run_check("portal.login_link", context(healthy_snapshot(
        "test", configurations=ok(made_by_code("test", 1, login=True)))))
    assert result.status is Status.PASS and result.has(LOGIN_LINK_ON_OTHER)
    assert LOGIN["url"] in result.summary and '"Visit 0"' in result.summary
    assert "no default configuration" in result.summary


def test_every_active_configurations_login_link_is_listed_a_few_by_name() -> None:
    default = configuration(login_page={"enabled": True, "url": "https://billing.stripe.com/p/login/test_Main"})
    snap = healthy_snapshot("test", configurations=ok([default, *made_by_code("test", 7, login=True)]))
    result = run_check("portal.login_link", context(snap))
    assert result.has(LOGIN_LINK_ON) and len(result.with_code(LOGIN_LINK_ALSO_ON)) == 5
    assert result.with_code(LOGIN_LINK_MORE)[0].facts["count"] == 2


def test_no_login_link_anywhere_is_still_a_skip() -> None:
    result = run_check("portal.login_link", context(healthy_snapshot("test")))
    assert result.status is Status.SKIP


def test_features_shows_the_settings_of_2024_to_2026() -> None:
    snap = healthy_snapshot("test", configurations=ok([newer_settings("test")]))
    rows = {r.setting: r.value for r in setting_rows(run_check("portal.features", context(snap)))}
    assert rows["Downgrades wait until the period ends"] == "yes, for downgrades to a cheaper plan"
    assert rows["A plan change during a trial"] == "keeps the trial running"
    assert rows["Billing date after a plan change"] == "stays the same (Stripe's default)"
    assert rows["Payment methods customers may add"] == "those of payment method configuration pmc_testCards"
    assert rows["How long customers may pause"] == "for a chosen time: 1 month"
    assert rows['Quantity changes for "Pro"'] == "yes, from 1 to 10"


@pytest.mark.parametrize(("allowed_updates", "adjustable", "expected"), [
    (["price"], {"enabled": True, "minimum": 1, "maximum": 5}, "no (quantity is not among the changes allowed)"),
    (["price", "quantity"], {"enabled": False, "minimum": 1, "maximum": None}, "no (turned off for this product)"),
    (["price", "quantity"], {"enabled": True, "minimum": 2, "maximum": None}, "yes, from 2 to any number"),
])
def test_quantity_changes_are_judged_per_product(allowed_updates: list[str], adjustable: dict[str, Any],
                                                 expected: str) -> None:
    entry = {**allowed("prod_Pro", "price_ProMonthly"), "adjustable_quantity": adjustable}
    conf = configuration(features=features(subscription_update=True, products=[entry],
                                           default_allowed_updates=allowed_updates))
    result = run_check("portal.features", context(healthy_snapshot("test", configurations=ok([conf]))))
    assert {r.setting: r.value for r in setting_rows(result)}['Quantity changes for "Pro"'] == expected


def test_parity_compares_the_new_settings_and_a_payment_method_configuration_only_as_set() -> None:
    ctx = dict(scenarios("test"))["parity_settings_differ"]
    result = run_check("parity.test_live", ctx)
    assert result.status is Status.FAIL
    differs = result.with_code(PARITY_SETTING_DIFFERS)
    assert [f.text("setting") for f in differs] == ["A plan change during a trial"]
    rows = {r.setting: (r.test_value, r.live_value) for r in parity_rows(result)}
    pmc = rows["Payment methods customers may add"]
    assert pmc[0] == pmc[1] and "pmc_" not in pmc[0]  # different ids, both set: the same


def test_parity_sees_a_payment_method_configuration_set_in_one_mode_only() -> None:
    live = copy.deepcopy(newer_settings("live"))
    live["features"]["payment_method_update"]["payment_method_configuration"] = None
    result = run_check("parity.test_live", context(
        healthy_snapshot("test", configurations=ok([newer_settings("test")])),
        other=healthy_snapshot("live", configurations=ok([live]))))
    assert [f.text("setting") for f in result.with_code(PARITY_SETTING_DIFFERS)] == [
        "Payment methods customers may add"]


@pytest.mark.parametrize("url", [
    "https://example.com/privacy", "https://www.example.org/terms", "https://shop.example/privacy",
    "https://10.1.2.3/privacy", "https://192.168.0.10/terms", "https://172.20.1.1/x", "https://[::1]/x",
    "https://intranet.local/privacy", "https://site.test/terms", "https://a.invalid/",
])
def test_a_legal_link_on_a_placeholder_or_private_address_warns(url: str) -> None:
    conf = configuration(business_profile={"headline": None, "privacy_policy_url": url,
                                           "terms_of_service_url": "https://www.acmeyoga.studio/terms"})
    result = run_check("portal.business_profile", context(healthy_snapshot("live", configurations=ok([conf]))))
    assert result.status is Status.WARN, url
    found = result.with_code(BUSINESS_PROFILE_LINK_PLACEHOLDER) or result.with_code(BUSINESS_PROFILE_LINK_INVALID)
    assert found and found[0].seen == url


def test_a_real_looking_legal_link_passes() -> None:
    result = run_check("portal.business_profile", context(healthy_snapshot("live")))
    assert result.status is Status.PASS


def test_the_parity_fix_copies_the_plan_change_settings_but_never_a_payment_method_configuration() -> None:
    test = healthy_snapshot("test", configurations=ok([newer_settings("test")]))
    live_conf = newer_settings("live", trial_update_behavior="end_trial", schedule_at_period_end={"conditions": []})
    live_conf["features"]["payment_method_update"]["payment_method_configuration"] = None
    live = healthy_snapshot("live", configurations=ok([live_conf]))
    checks = tuple(run_checks(CheckContext(snapshot=test, other=live)))
    diagnosis = Diagnosis(generated_at="2026-12-06T10:00:00Z", mode="test", masked_key="sk_test_…abcd",
                          account=AccountInfo("acct_1", "Acme"), checks=checks)
    [fix] = plan_fixes(diagnosis, test, other=live, inputs=FixInputs()).for_check("parity.test_live")
    after = {c.field: c.after for c in fix.changes}
    assert after["features.subscription_update.trial_update_behavior"] == "continue_trial"
    assert after["features.subscription_update.schedule_at_period_end.conditions"] == [
        {"type": "decreasing_item_amount"}]
    assert "payment_method_configuration" not in str(fix.requests[0].params)
    assert "pmc_" not in str(fix.requests[0].params)
