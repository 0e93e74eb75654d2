"""Ask Stripe from the customer page (issue 24, item 5): the asks run off the Qt thread, one row
per flow says Stripe's verdict, its words and the finding with its fix, beside what the customer
sees; the answers reach the report and the case history without a session URL, and live mode
sends nothing until the account is typed."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from support.window import make_window, until

from assistant.diagnosis.status import Status
from assistant.store.history import HistoryStore, default_path

UPDATE_OFF = ("This subscription cannot be updated because the subscription update feature in the portal "
              "configuration is disabled.")
SESSIONS = "/v1/billing_portal/sessions"


async def _customer_page(qtbot, tmp_path, account: str):
    window = make_window(qtbot, tmp_path, opener=lambda url: True)
    assert window.open_practice(account)
    await until(lambda: window.outcome is not None and not window.controller.busy, what="the run")
    window.go_to_step(window.step_index("customer"))
    window.flush_pages()
    return window, window.pages[window.step_index("customer")]


async def _ask(window, page) -> None:
    assert page.asks.ask_button.isEnabled()
    page.asks.ask_button.click()
    await until(lambda: window.state.asks.run is not None and not window.state.asks.busy, what="Stripe's answers")


async def test_ask_stripe_shows_each_flow_stripes_words_and_the_finding(qtbot, tmp_path) -> None:
    window, page = await _customer_page(qtbot, tmp_path, "deep_link_plan_switching_off")
    seen = page.asks.view_texts()
    assert page.asks.view_table.isVisible()
    subscription = 'The subscription to "Pro" (29.00 USD / month) (sub_1Prcj5Ad0gKHaMyQU7OdrZIP, active)'
    assert [r[0] for r in seen if r[0]] == ["This customer", subscription]
    assert [subscription, "Change plan", "Not offered — plan switching is off in this configuration"] in seen
    await _ask(window, page)
    rows = page.asks.row_texts()
    assert [r[0] for r in rows] == ['Update the payment method', 'Cancel the subscription to "Pro" (29.00 USD / month)',
                                    'Change the plan of the subscription to "Pro" (29.00 USD / month)']
    assert [r[1] for r in rows] == ["Stripe opens it", "Stripe opens it", "Stripe refuses"]
    refused = rows[2]
    assert "plan switching is off in the default configuration" in refused[3]
    assert f"Stripe said: {UPDATE_OFF}" in refused[3] and "What to do:" in refused[3]
    assert refused[2].startswith("The checks expect Stripe to refuse it: plan switching is off")
    assert "2 portal sessions were created" in page.asks.asks_said.text()
    page.asks.asks_table.selectRow(2)
    assert page.asks.step_button.text() == "Go to step 2, Portal settings"
    page.asks.step_button.click()
    assert window.sidebar.currentRow() == window.step_index("configuration")


async def test_stripe_refusing_what_the_checks_allow_is_the_line_on_the_row(qtbot, tmp_path) -> None:
    window, page = await _customer_page(qtbot, tmp_path, "ask_already_cancelling")
    await _ask(window, page)
    cancel = next(r for r in page.asks.row_texts() if r[0].startswith("Cancel"))
    assert cancel[1] == "Stripe refuses"
    # A cell of its own reads as a sentence: capital first, as its column's heading and the row's other cells.
    assert cancel[2] == "The checks expect it to open.\nThe checks expected this to work; Stripe refused it."
    assert "already set to be canceled at period end" in cancel[3]


async def test_the_status_line_says_a_refusal_as_the_report_step_does(qtbot, tmp_path) -> None:
    """Every check passed but Stripe refused a flow: the status line must not keep saying "No
    problems" alone while the Report step and the note name the refusal."""
    window, page = await _customer_page(qtbot, tmp_path, "ask_already_cancelling")
    assert window.status_line.summary_label.text() == "No problems: every check ran and none failed."
    await _ask(window, page)
    report = window.pages[window.step_index("report")]
    said = "Stripe refused 1 of the 3 portal flows it was asked about."
    assert said in report.summary_headline.text()
    assert window.status_line.summary_label.text() == f"No problems: every check ran and none failed. {said}"


async def test_the_answers_go_into_the_report_and_the_history_without_a_url(qtbot, tmp_path) -> None:
    window, page = await _customer_page(qtbot, tmp_path, "healthy")
    await _ask(window, page)
    server = window._practice.server
    urls = [s["url"] for s in server.sessions.values()]
    assert len(urls) == 3
    await until(lambda: bool(HistoryStore(default_path()).asks()), what="the answers kept")
    report = window.pages[window.step_index("report")]
    note = report.render_report("markdown")
    assert "## What Stripe said when asked" in note and "Update the payment method: Stripe opens it" in note
    kept = HistoryStore(default_path()).asks()
    assert {a.flow for a in kept} == {"payment_method_update", "subscription_cancel", "subscription_update"}
    shown = [page.asks.asks_said.text(), *(" ".join(r) for r in page.asks.row_texts()),
             window.statusBar().currentMessage(), window.activity_label.text(), note,
             report.render_report("html")]
    for text in shown + [str(a.to_dict()) for a in kept]:
        assert "/portal/session/" not in text and not any(url in text for url in urls)
    assert all((m, p) == ("POST", SESSIONS) for m, p, _k in server.write_attempts)


async def test_live_mode_asks_only_once_the_account_is_typed(qtbot, tmp_path) -> None:
    window, page = await _customer_page(qtbot, tmp_path, "live_key")
    server = window._practice.server
    opened: list[QDialog] = []
    window.asks.dialog_opened.connect(opened.append)
    page.asks.ask_button.click()
    await until(lambda: bool(opened), what="the live confirmation")
    dialog = opened[0]
    assert not dialog.ask_button.isEnabled()
    dialog.field.setText("acct_1NotThisOne")
    assert not dialog.ask_button.isEnabled()
    dialog.reject()
    await asyncio.sleep(0.2)
    assert server.write_attempts == [] and "not confirmed" in page.asks.asks_said.text()
    page.asks.ask_button.click()
    await until(lambda: len(opened) == 2, what="the live confirmation again")
    opened[1].field.setText(server.scenario.account["id"])
    assert opened[1].ask_button.isEnabled()
    opened[1].ask_button.click()
    await until(lambda: window.state.asks.run is not None and not window.state.asks.busy, what="Stripe's answers")
    assert server.write_attempts and all(p == SESSIONS for _m, p, _k in server.write_attempts)


async def test_a_usage_problem_is_one_line_and_sends_nothing(qtbot, tmp_path) -> None:
    window, page = await _customer_page(qtbot, tmp_path, "read_only_key")  # no default redirect link
    window.state.update_inputs(return_url="")
    page.asks.ask_button.click()
    await until(lambda: "no return URL" in page.asks.asks_said.text(), what="the sentence")
    assert window._practice.server.write_attempts == []
    assert window.state.asks.run is None


async def test_the_report_step_names_a_refusal_beside_no_problems(qtbot, tmp_path) -> None:
    window, page = await _customer_page(qtbot, tmp_path, "ask_already_cancelling")
    report = window.pages[window.step_index("report")]
    assert report.summary_headline.text().startswith("No problems")
    await _ask(window, page)
    assert report.summary_headline.text().endswith("Stripe refused 1 of the 3 portal flows it was asked about.")
    assert "**Stripe refuses: Cancel the subscription" in report.render_report("markdown")


async def test_the_keyboard_is_back_on_ask_stripe_when_the_answers_are_in(qtbot, tmp_path) -> None:
    """The button is disabled while Stripe answers, which makes Qt pass the keyboard to the next
    field (the login link, selected): an agent pressing Space again would act on the wrong thing."""
    window, page = await _customer_page(qtbot, tmp_path, "healthy")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    page.asks.ask_button.setFocus()
    qtbot.waitUntil(page.asks.ask_button.hasFocus, timeout=2000)
    qtbot.keyClick(page.asks.ask_button, Qt.Key.Key_Space)
    await until(lambda: window.state.asks.run is not None and not window.state.asks.busy, what="Stripe's answers")
    assert QApplication.focusWidget() is page.asks.ask_button


async def test_the_checklist_carries_a_refusal_on_the_customer_and_report_steps(qtbot, tmp_path) -> None:
    window, page = await _customer_page(qtbot, tmp_path, "ask_already_cancelling")
    customer, report = window.step_index("customer"), window.step_index("report")
    assert window.sidebar.item_text(report) == "7. Report — no problems"
    await _ask(window, page)
    assert window.sidebar.item_text(customer) == "6. Customer — Stripe refused 1 flow"
    assert window.sidebar.item_text(report) == "7. Report — Stripe refused 1 flow"
    assert window.sidebar.status_at(report) is Status.WARN
    assert "Stripe refuses: Cancel the subscription" in window.sidebar.item(customer).toolTip()
    # The status bar has room for the tally only: the sessions sentence stays on the page.
    assert window.statusBar().currentMessage() == "Stripe was asked about 3 flows: 2 open, 1 refused, 0 not answered."
    assert page.asks.asks_said.text().endswith("to the owner's webhook endpoints.")


async def test_answers_about_one_customer_go_when_another_is_looked_up(qtbot, tmp_path) -> None:
    """The asks were about this customer's subscriptions: shown beside another customer (or in a
    note that names another), they would be read out as that customer's."""
    window, page = await _customer_page(qtbot, tmp_path, "ask_already_cancelling")
    await _ask(window, page)
    page.search_field.setText("cus_SomeoneElse000")
    page.find_button.click()
    await until(lambda: not window.controller.busy and window.outcome is not None
                and window.outcome.diagnosis.customer_query == "cus_SomeoneElse000", what="the other customer's run")
    report = window.pages[window.step_index("report")]
    assert window.state.asks.run is None and page.asks.row_texts() == []
    assert "What Stripe said when asked" not in report.render_report("markdown")
    assert "Stripe refused" not in window.sidebar.item_text(window.step_index("report"))


async def test_the_history_window_shows_what_stripe_said_with_the_run(qtbot, tmp_path) -> None:
    window, page = await _customer_page(qtbot, tmp_path, "ask_already_cancelling")
    await _ask(window, page)
    await until(lambda: bool(HistoryStore(default_path()).asks()), what="the answers kept")
    urls = [s["url"] for s in window._practice.server.sessions.values()]
    window.history_action.trigger()
    dialog = window.history_keeper.dialog
    assert dialog is not None
    await until(lambda: not dialog.loading and bool(dialog.asked_lines()), what="the run read")
    lines = dialog.asked_lines()
    assert dialog.who_text().endswith("no problems · Stripe refused 1 flow")
    result = dialog.runs_table.item(0, 4)  # the list's Result column: not a clean run's ticks
    assert result.text().endswith("\nStripe refused 1 flow") and "Stripe refused 1 flow" in result.toolTip()
    assert any(line.startswith("Update the payment method: Stripe opens it") or
               ": Update the payment method: Stripe opens it" in line for line in lines)
    refused = next(line for line in lines if "Stripe refuses" in line)
    assert "already set to be canceled at period end" in refused
    assert refused.endswith("The checks expected this to work; Stripe refused it.")
    assert lines[-1].startswith("2 portal sessions were created to ask")
    assert not any(url in line for url in urls for line in lines)
    dialog.close()
