"""Every practice account, diagnosed through real HTTP, gives the statuses its data promises."""

from __future__ import annotations

import pytest
from support.practice import run_scenario

from assistant.knowledge.checklist import check_ids
from assistant.practice.scenarios import list_scenarios, load_scenario

SCENARIOS = [info.name for info in list_scenarios()]
CHECK_IDS = list(check_ids())


def test_the_required_practice_accounts_exist() -> None:
    assert {
        "healthy", "portal_never_saved", "archived_product", "inactive_price", "no_return_url",
        "live_key", "restricted_key", "cancel_only_subscription",
    } <= set(SCENARIOS)


@pytest.mark.parametrize("name", SCENARIOS)
async def test_scenario_gives_expected_statuses(name: str) -> None:
    outcome = await run_scenario(name)
    got = {c.id: c.status.value for c in outcome.diagnosis.checks}
    assert [c.id for c in outcome.diagnosis.checks] == CHECK_IDS
    expected = dict(load_scenario(name).expect)
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize("name", SCENARIOS)
async def test_every_problem_says_what_to_do(name: str) -> None:
    outcome = await run_scenario(name)
    for check in outcome.diagnosis.checks:
        assert check.summary.strip(), check.id
        if check.status.value in ("warn", "fail"):
            assert check.fix, f"{name}: {check.id} has no fix steps"
            assert check.glossary, f"{name}: {check.id} has no glossary terms"
            if check.id == "key.mode":
                continue  # its fix is to fetch the key of the *other* mode
            links = [step for step in check.fix if "dashboard.stripe.com" in step]
            mode_ok = [("/test/" in s) == (outcome.diagnosis.mode == "test") for s in links]
            assert all(mode_ok), f"{name}: {check.id} links the wrong mode: {links}"


async def test_archived_product_is_named_by_id_and_name() -> None:
    outcome = await run_scenario("archived_product")
    products = outcome.diagnosis.check("portal.products")
    assert products is not None and products.status.value == "fail"
    archived = [p for p in outcome.snapshot.products.value.values() if not p["active"]]
    assert archived
    text = " ".join(products.details)
    for product in archived:
        assert product["id"] in text and product["name"] in text


async def test_return_url_given_by_the_agent_fixes_the_missing_default() -> None:
    outcome = await run_scenario("no_return_url", return_url="https://example.com/account")
    assert outcome.diagnosis.check("portal.return_url").status.value == "pass"


async def test_return_url_that_is_not_http_fails() -> None:
    outcome = await run_scenario("healthy", return_url="ftp://example.com/x")
    assert outcome.diagnosis.check("portal.return_url").status.value == "fail"


async def test_diagnosis_without_customer_skips_customer_checks() -> None:
    outcome = await run_scenario("healthy", customer=None)
    for check_id in ("customer.found", "customer.email", "customer.subscriptions"):
        assert outcome.diagnosis.check(check_id).status.value == "skip"
