"""The practice accounts of issue 23's portal cases, diagnosed over real HTTP: the verdict and the
sentence the agent reads out (deep links, login links, legal links, configurations per visit)."""

from __future__ import annotations

import pytest
from support.practice import practice, run_scenario

from assistant.account.collect import NAMED_CONFIGURATIONS_READ, collect_snapshot
from assistant.account.gateway import StripeGateway
from assistant.account.keys import classify_key
from assistant.diagnosis.checks.business_profile import BUSINESS_PROFILE_LINK_PLACEHOLDER
from assistant.diagnosis.checks.portal import CONFIGURATION_MANY, LOGIN_LINK_ON_OTHER
from assistant.diagnosis.checks.products import CATALOGUE_SWITCHING_OFF_DEEP_LINKED
from assistant.diagnosis.checks.sessions import (
    SESSIONS_DEEP_LINK_FEATURE_OFF,
    SESSIONS_DEEP_LINK_PRICE_NOT_OFFERED,
    SESSIONS_OTHER_CONFIGURATIONS,
)
from assistant.diagnosis.checks.webhooks import PORTAL_EVENTS
from assistant.diagnosis.fixes.fields import params_for
from assistant.practice.scenarios import GeneratedError, generate_configurations

REFUSAL = ("This subscription cannot be updated because the subscription update feature in the portal "
           "configuration is disabled.")


async def test_upgrade_buttons_into_disabled_plan_switching() -> None:
    diagnosis = (await run_scenario("deep_link_plan_switching_off")).diagnosis
    products = diagnosis.check("portal.products")
    assert products.status.value == "warn" and products.has(CATALOGUE_SWITCHING_OFF_DEEP_LINKED)
    assert REFUSAL in products.summary
    assert "3 of the owner's portal sessions" in products.summary
    sessions = diagnosis.check("integration.sessions")
    assert sessions.status.value == "warn" and sessions.has(SESSIONS_DEEP_LINK_FEATURE_OFF)
    assert ('the plan-change deep link (an "Upgrade" or "Change plan" button) opens the default configuration, '
            "where plan switching is now off") in sessions.summary


async def test_a_confirm_link_for_a_price_the_portal_does_not_offer() -> None:
    sessions = (await run_scenario("deep_link_price_not_offered")).diagnosis.check("integration.sessions")
    assert sessions.status.value == "warn"
    found = sessions.with_code(SESSIONS_DEEP_LINK_PRICE_NOT_OFFERED)
    assert found and found[0].seen == ("price_1PrcQuarterlyProAbCdEfGh",)
    assert "asks for a price the default configuration does not offer" in sessions.summary
    assert any("price_1PrcQuarterlyProAbCdEfGh" in step for step in sessions.fix)


async def test_a_login_link_on_a_configuration_that_is_not_the_default() -> None:
    diagnosis = (await run_scenario("login_link_other_configuration")).diagnosis
    login = diagnosis.check("portal.login_link")
    assert login.status.value == "pass" and login.has(LOGIN_LINK_ON_OTHER)
    assert login.summary.startswith('The no-code login link of "Club portal" is on (this mode has no default '
                                    "configuration)")
    assert "https://billing.stripe.com/p/login/test_JuniperClubPortal01" in login.summary


async def test_placeholder_legal_links() -> None:
    profile = (await run_scenario("placeholder_legal_links")).diagnosis.check("portal.business_profile")
    assert profile.status.value == "warn"
    assert [f.seen for f in profile.with_code(BUSINESS_PROFILE_LINK_PLACEHOLDER)] == [
        "https://example.com/privacy", "https://10.0.4.17/terms"]
    assert ("Privacy policy link: https://example.com/privacy is a placeholder or private address that customers "
            "cannot open") in profile.details


async def test_three_thousand_configurations_made_per_visit() -> None:
    diagnosis = (await run_scenario("configurations_per_visit")).diagnosis
    configuration = diagnosis.check("portal.configuration")
    assert configuration.status.value == "warn" and configuration.findings[0].code == CONFIGURATION_MANY
    assert configuration.summary.startswith(
        "100 or more portal configurations are active in test mode, and the owner's recent portal sessions used "
        "41 different ones: their code probably creates a new configuration every time it opens the portal.")
    sessions = diagnosis.check("integration.sessions")
    assert sessions.status.value == "warn" and sessions.has(SESSIONS_OTHER_CONFIGURATIONS)


async def _requests(name: str, old: int = 0) -> tuple[int, list[str]]:
    """Collect one practice account; with `old`, its code-made sessions name the `old` oldest
    configurations instead of the newest, which the first page of 100 does not hold."""
    with practice(name) as (scenario, server):
        made = [e["data"]["object"] for e in server.store.data["test"]["events"]
                if "G0" in e["data"]["object"]["configuration"]]
        for n, session in enumerate(made if old else []):
            session["configuration"] = f"bpc_1PrcVisitCfgAbCdEfGhIjKG{n % old + 1:05d}"
        gateway = StripeGateway(scenario.primary_key, api_base=server.base_url)
        try:
            await collect_snapshot(gateway, classify_key(scenario.primary_key), scenario.customer,
                                   watched_events=PORTAL_EVENTS)
        finally:
            await gateway.aclose()
        return gateway.request_count, [path for _m, path, *_r in server.request_log]


async def test_three_thousand_configurations_cost_what_three_do() -> None:
    many, paths = await _requests("configurations_per_visit")
    few, _ = await _requests("healthy")
    assert many == few
    assert sum(p.startswith("/v1/billing_portal/configurations") for p in paths) == 2


@pytest.mark.parametrize(("old", "read"), [(1, 1), (10, NAMED_CONFIGURATIONS_READ)])
async def test_configurations_sessions_name_beyond_the_first_page_are_read_by_id_a_few_at_most(
        old: int, read: int) -> None:
    _count, paths = await _requests("configurations_per_visit", old)
    by_id = [p for p in paths if p.startswith("/v1/billing_portal/configurations/")]
    assert len(by_id) == read and all(p.split("G")[-1] <= f"{old:05d}" for p in by_id)


def test_the_generation_rule_names_what_it_lacks() -> None:
    with pytest.raises(GeneratedError, match="like"):
        generate_configurations("x.json: test.generated.configurations", {"count": 3, "like": "bpc_Nope"}, [], [])
    made, events = generate_configurations("x", {"count": 3, "like": "bpc_A"}, [{"id": "bpc_A", "created": 10}], [])
    assert [c["id"] for c in made] == ["bpc_A", "bpc_AG00001", "bpc_AG00002", "bpc_AG00003"]
    assert not any(c["is_default"] for c in made[1:]) and events == []


async def test_the_practice_server_takes_the_plan_change_settings_the_parity_fix_copies() -> None:
    params = params_for([("features.subscription_update.schedule_at_period_end.conditions",
                          [{"type": "shortening_interval"}]),
                         ("features.subscription_update.trial_update_behavior", "continue_trial"),
                         ("features.subscription_update.billing_cycle_anchor", "now")])
    with practice("healthy") as (scenario, server):
        conf_id = server.store.objects("test", "configurations")[0]["id"]
        gateway = StripeGateway(scenario.primary_key, api_base=server.base_url)
        try:
            await gateway.send("POST", f"/v1/billing_portal/configurations/{conf_id}", params,
                               idempotency_key="i23-settings-1")
        finally:
            await gateway.aclose()
        update = server.store.objects("test", "configurations")[0]["features"]["subscription_update"]
    assert update["schedule_at_period_end"] == {"conditions": [{"type": "shortening_interval"}]}
    assert (update["trial_update_behavior"], update["billing_cycle_anchor"]) == ("continue_trial", "now")
    assert update["products"]  # the plan list is untouched
