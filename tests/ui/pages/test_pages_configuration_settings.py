"""Configuration step: the settings of 2024-2026 as rows, and the login link of a configuration
that is not the default."""

from __future__ import annotations

from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.ui.pages.configuration import ConfigurationPage


async def test_the_plan_change_settings_are_listed_as_the_check_read_them(qtbot) -> None:
    outcome, _ = await run_scenario("healthy")
    page = ConfigurationPage(clipboard=FakeClipboard())
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    rows = {page.settings.item(r, 0).text(): page.settings.item(r, 1).text()
            for r in range(page.settings.rowCount())}
    assert rows["Downgrades wait until the period ends"] == "yes, for downgrades to a cheaper plan"
    assert rows["A plan change during a trial"] == "ends the trial and invoices at once"
    assert rows["Payment methods customers may add"] == "the account's default payment methods"
    assert rows['Quantity changes for "Basic"'] == "no (quantity is not among the changes allowed)"


async def test_a_login_link_without_a_default_configuration_is_shown(qtbot) -> None:
    outcome, _ = await run_scenario("login_link_other_configuration")
    page = ConfigurationPage(clipboard=FakeClipboard())
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    assert page.login_link.text() == (
        'On for "Club portal": https://billing.stripe.com/p/login/test_JuniperClubPortal01')
    assert page.settings.rowCount() == 0  # no default configuration: portal.features did not run
