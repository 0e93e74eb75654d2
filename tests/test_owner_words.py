"""The sentence read out to the owner names things as the owner knows them: products and prices
by name and amount, permissions as the Dashboard's key editor shows them; ids stay in the
details and the findings (what is copied into a ticket), never in the sentence itself."""

from __future__ import annotations

import re

import pytest
from support.practice import run_scenario

from assistant.diagnosis.checks.facts import amount_per_interval
from assistant.practice.scenarios import list_scenarios, load_scenario

STRIPE_ID = re.compile(r"\b(price|prod|bpc|we|sub|cus)_[A-Za-z0-9]+")


async def test_an_archived_price_is_read_out_by_name_and_amount_with_its_id_in_the_evidence() -> None:
    outcome = await run_scenario("inactive_price")
    products = outcome.diagnosis.check("portal.products")
    archived = products.with_code("price.archived")[0]
    assert archived.subject is not None
    price_id = archived.subject.id
    assert products.summary == ('Plan switching offers something customers cannot switch to: the '
                                '"Pro Yearly" price (290.00 USD / year) of "Pro" is archived.')
    assert not STRIPE_ID.search(products.summary)
    assert any(price_id in d and "archived" in d for d in products.details)
    assert archived.to_dict()["subject"]["id"] == price_id
    # The archived price is listed once, not again among the prices its product offers.
    assert sum(price_id in d for d in products.details) == 1


async def test_a_big_catalogue_that_passes_is_summed_up_in_one_sentence() -> None:
    products = (await run_scenario("big_catalogue")).diagnosis.check("portal.products")
    offered = products.with_code("catalogue.price_offered")
    assert len(offered) > 40
    assert products.summary == (f"Plan switching offers {len(offered)} prices of 10 products, "
                                "all active with recurring prices.")
    assert len(products.details) > 40  # the list is still there, behind Details


async def test_a_missing_permission_is_said_as_the_dashboard_shows_it() -> None:
    diagnosis = (await run_scenario("restricted_key")).diagnosis
    for check in diagnosis.checks:
        for text in (check.summary, *check.details, *check.fix):
            assert "rak_" not in text, (check.id, text)
    assert "Webhook Endpoints: Read" in diagnosis.check("key.accepted").summary
    # Stripe's name is kept as data: the JSON report's findings carry it.
    assert diagnosis.check("key.accepted").findings[0].texts("missing") == ("rak_webhook_read",)


def test_amounts_are_written_one_way() -> None:
    assert amount_per_interval("9.00 USD", "month", True) == "9.00 USD / month"
    assert amount_per_interval("15.00 USD", "every 3 months", True) == "15.00 USD every 3 months"
    assert amount_per_interval("49.00 USD", "", False) == "49.00 USD once"
    assert amount_per_interval("", "month", True) == ""


SCENARIOS = [info.name for info in list_scenarios()]


@pytest.mark.parametrize("name", SCENARIOS)
async def test_no_read_out_sentence_names_an_object_by_its_id(name: str) -> None:
    """Summaries say names and amounts; the one id allowed is what the agent typed to find a
    customer (echoed when it is found in the other mode)."""
    outcome = await run_scenario(name)
    typed = load_scenario(name).customer
    for check in outcome.diagnosis.checks:
        summary = check.summary.replace(typed, "") if typed else check.summary
        assert not STRIPE_ID.search(summary), (check.id, check.summary)


@pytest.mark.parametrize("name", ["archived_product", "inactive_price", "unspecified_tax_price",
                                  "same_interval_prices"])
async def test_plan_switching_steps_name_the_plans_and_leave_ids_to_the_links(name: str) -> None:
    """What to do is read on a call too ("restore the Pro Yearly price"): the Dashboard links
    carry the ids, the words carry the names."""
    outcome = await run_scenario(name)
    steps = outcome.diagnosis.check("portal.products").fix
    assert steps and any('"' in step for step in steps), steps  # a plan named by its name
    for step in steps:
        words = re.sub(r"https://\S+", "", step)
        assert not STRIPE_ID.search(words), step
