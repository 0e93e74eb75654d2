"""Configuration step: which configuration Stripe uses, its features, and test/live differences."""

from __future__ import annotations

import pytest
from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.ui.pages.configuration import ConfigurationPage
from assistant.ui.pages.customer import CustomerPage
from assistant.ui.pages.products import ProductsPage
from assistant.ui.pages.report import ReportPage
from assistant.ui.pages.return_url import ReturnUrlPage
from assistant.ui.pages.webhooks import WebhooksPage


async def test_shows_default_configuration_and_features(qtbot) -> None:
    outcome, _ = await run_scenario("archived_product")
    page = ConfigurationPage(clipboard=FakeClipboard())
    qtbot.addWidget(page)
    page.show_outcome(outcome)

    conf = outcome.snapshot.default_configuration
    assert page.config_id.text() == conf["id"]
    states = {page.features.item(r, 0).text(): page.features.item(r, 1).text()
              for r in range(page.features.rowCount())}
    assert states["Switch plans (subscription_update)"] == "On"
    assert states.pop("Pause subscriptions (subscription_pause)") == "Off"
    assert set(states.values()) == {"On"}
    assert "billing.stripe.com/p/login/" in page.login_link.text()
    assert page.cards["portal.configuration"].result is not None


async def test_open_portal_settings_goes_to_this_modes_dashboard(qtbot) -> None:
    outcome, _ = await run_scenario("live_key")
    page = ConfigurationPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    with qtbot.waitSignal(page.open_url_requested) as opened:
        page.open_settings_button.click()
    assert opened.args == ["https://dashboard.stripe.com/settings/billing/portal"]
    assert "live mode" in page.open_settings_button.text()


async def test_parity_differences_are_listed_in_words(qtbot) -> None:
    outcome, _ = await run_scenario("parity_mismatch")
    page = ConfigurationPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    rows = page.parity_table_rows()
    differing = [r for r in rows if r[3] == "Differs"]
    assert differing, rows
    assert not page.parity.isHidden()
    assert "differ" in page.parity_note.text()
    assert page.cards["parity.test_live"].result.status.value == "fail"


async def test_no_second_key_says_how_to_compare(qtbot) -> None:
    outcome, _ = await run_scenario("archived_product")
    page = ConfigurationPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    assert page.parity.isHidden()
    assert page.parity_note.text() == page.cards["parity.test_live"].result.summary


def test_cleared_outcome_shows_placeholders(qtbot) -> None:
    page = ConfigurationPage()
    qtbot.addWidget(page)
    page.show_outcome(None)
    assert page.config_id.text() == "—"
    assert page.cards["portal.features"].result is None


@pytest.mark.parametrize("page_class", [ConfigurationPage, ProductsPage, ReturnUrlPage,
                                        WebhooksPage, CustomerPage, ReportPage])
def test_every_page_shows_its_talk_track_and_reruns_its_step(qtbot, page_class) -> None:
    page = page_class()
    qtbot.addWidget(page)
    assert page.talk_track.track is not None
    assert page.talk_track.track.step == page.step_id
    assert "Ask" in page.talk_track.text()
    with qtbot.waitSignal(page.rerun_requested) as rerun:
        page.rerun_button.click()
    assert rerun.args == [page.step_id]
    page.set_busy(True)
    assert not page.rerun_button.isEnabled()
    page.set_busy(False)
    assert page.rerun_button.isEnabled()
    page.talk_track.set_expanded(False)
    assert page.talk_track._content.isHidden()


def test_talk_track_term_chip_asks_for_the_glossary(qtbot) -> None:
    page = ConfigurationPage()
    qtbot.addWidget(page)
    chip = page.talk_track.term_chips()[0]
    with qtbot.waitSignal(page.glossary_requested) as asked:
        chip.click()
    assert asked.args == [chip.text()]


async def test_parity_rows_keep_ids_and_urls_as_read(qtbot) -> None:
    outcome, _ = await run_scenario("parity_mismatch")
    page = ConfigurationPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    rows = {r[0]: r for r in page.parity_table_rows()}
    assert rows["Default configuration"][1].startswith("bpc_")
    assert rows["Default return URL"][1].startswith("https://")
    assert rows["Switch plans"][1:3] == ["On", "Off"]
