"""Customer step: lookups, portal limits, the session link countdown and the prefilled login link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from support.ui_outcomes import FakeClipboard, FakeClock, run_scenario
from support.window import make_window, sidebar_words, until

from assistant.diagnosis.checks.subscriptions import CID as SUBSCRIPTIONS
from assistant.diagnosis.model import Status
from assistant.store.history import HistoryStore
from assistant.ui.pages.customer import CHOSEN, EXPIRED, CustomerPage


async def test_countdown_follows_the_clock_and_expires_after_five_minutes(qtbot) -> None:
    outcome, scenario = await run_scenario("archived_product")
    clock = FakeClock()
    clipboard = FakeClipboard()
    page = CustomerPage(clock=clock, clipboard=clipboard)
    qtbot.addWidget(page)
    page.show_outcome(outcome)

    with qtbot.waitSignal(page.open_portal_requested) as asked:
        page.open_portal_button.click()
    assert asked.args == [scenario.customer]

    url = "https://billing.stripe.com/p/session/test_YWNjdF8xTmFrZQ"
    page.show_portal_link(url, created_at=clock.now)
    assert page.countdown_text() == "Link expires if unused in 5:00"
    assert "1 hour after" in page.lifetime_note.text() and "2 hours" in page.lifetime_note.text()
    page.copy_link_button.click()
    assert clipboard.text() == url

    clock.advance(23)
    qtbot.waitUntil(lambda: page.countdown_text() == "Link expires if unused in 4:37", timeout=3000)

    clock.advance(4 * 60 + 37)
    page.refresh_countdown()
    assert page.countdown_text() == EXPIRED
    assert not page.copy_link_button.isEnabled()
    assert url not in page.portal_link.text()
    clipboard.setText("")
    page.copy_portal_link()
    assert clipboard.text() == ""


async def test_prefilled_login_link_uses_the_customers_email(qtbot) -> None:
    outcome, _ = await run_scenario("archived_product")
    clipboard = FakeClipboard()
    page = CustomerPage(clipboard=clipboard)
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    login = outcome.snapshot.default_configuration["login_page"]["url"]
    assert page.login_url.text() == login
    assert page.login_email.text() == "ada@customer.example"
    link = page.prefilled_login_link()
    assert link.startswith(login + "?prefilled_email=")
    page.login_email.setText("ada+billing@customer.example")
    page.copy_login_button.click()
    assert parse_qs(urlsplit(clipboard.text()).query)["prefilled_email"] == ["ada+billing@customer.example"]


async def test_duplicate_emails_are_explained(qtbot) -> None:
    outcome, _ = await run_scenario("duplicate_emails")
    page = CustomerPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    note = page.matches_note.text()
    assert "2 customers share the e-mail sam@customer.example" in note
    assert "cus_" not in note and "the newest one with an active subscription" in note  # the table says which
    assert page.matches.rowCount() == 2
    chosen_rows = [r for r in range(2) if page.matches.item(r, 4).text() == "this one"]
    assert [page.matches.item(r, 0).text() for r in chosen_rows] == ["cus_0SJiQsA5djW3Gx"]
    # The icon is the tick: a "✓" in the words beside it would say it twice.
    chosen = page.matches.item(chosen_rows[0], 4)
    assert not chosen.icon().isNull() and "✓" not in chosen.text()
    assert page.customer_query() == "sam@customer.example"
    assert page.cards["customer.found"].result.status.value == "warn"


async def test_cancel_only_subscription_names_its_limit(qtbot) -> None:
    outcome, _ = await run_scenario("cancel_only_subscription")
    page = CustomerPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    limits = [page.subscriptions.item(r, 3).text() for r in range(page.subscriptions.rowCount())]
    assert any("(cancel only)" in text for text in limits), limits


async def test_customer_in_other_mode_cannot_open_portal(qtbot) -> None:
    outcome, _ = await run_scenario("customer_other_mode")
    page = CustomerPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    assert not page.open_portal_button.isEnabled()
    assert page.cards["customer.found"].result.status.value == "fail"
    assert page.matches_note.text() == page.cards["customer.found"].result.summary


def test_search_field_and_find(qtbot) -> None:
    page = CustomerPage()
    qtbot.addWidget(page)
    seen: list[str] = []
    page.customer_changed.connect(lambda text: seen.append(text))
    qtbot.keyClicks(page.search_field, "sam@customer.example ")
    assert seen[-1] == "sam@customer.example"
    assert page.customer_query() == "sam@customer.example"
    with qtbot.waitSignal(page.rerun_requested) as find:
        page.find_button.click()
    assert find.args == ["customer"]
    page.set_busy(True)
    with qtbot.assertNotEmitted(page.rerun_requested):
        qtbot.keyClick(page.search_field, "\r")


async def test_subscription_rows_say_why_a_pause_and_when_a_cancellation_ends(qtbot) -> None:
    """Issue 23: the row of a paused subscription gives the cause, and a cancellation still
    ahead shows its date beside what the portal can do."""
    cells = {}
    for name in ("paused_on_request", "flexible_cancellation"):
        outcome, _ = await run_scenario(name)
        page = CustomerPage()
        qtbot.addWidget(page)
        page.show_outcome(outcome)
        cells[name] = [page.subscriptions.item(0, c).text() for c in range(4)]
    status, limits = cells["paused_on_request"][1], cells["paused_on_request"][3]
    assert (status, limits) == ("paused", "Is paused on request (by the customer or the owner)")
    assert cells["flexible_cancellation"][3].startswith("Can be changed and cancelled; ends on 20")


async def test_with_the_portal_settings_never_saved_the_customer_step_is_never_called_ok(qtbot, tmp_path) -> None:
    """Bluebell Booking: no portal configuration exists, so Stripe opens the portal for nobody.
    What the portal lets the customer do cannot be judged (a skip, with why), the step is not
    "OK", and "Portal opens for" does not tick the customer as if it would open."""
    window = make_window(qtbot, tmp_path, history=HistoryStore(tmp_path / "history.sqlite3"))
    assert window.open_practice("portal_never_saved")  # with its customer, as the picker opens it
    await until(lambda: not window.controller.busy and window.outcome is not None, what="the run")
    window.go_to_step(window.step_index("customer"))
    window.flush_pages()
    page = window.pages[window.step_index("customer")]

    result = page.cards[SUBSCRIPTIONS].result
    assert result is not None and result.status is Status.SKIP
    assert "never saved in test mode" in result.summary and "cannot be judged" in result.summary
    assert "neither changed nor cancelled" not in result.summary  # no verdict on settings that do not exist
    assert sidebar_words(window)["customer"] != "OK"
    assert all(words != "OK" for step, words in sidebar_words(window).items()
               if step in ("products", "return_url", "customer"))
    opens_for = [page.matches.item(row, 4).text() for row in range(page.matches.rowCount())]
    assert opens_for and CHOSEN not in opens_for, opens_for
    assert page.subs_note.text() == result.summary
