"""When Stripe refuses to open the portal, the customer page says why in the owner's words
(issue 22, item 7).

"Open customer portal" on an account whose portal cannot open used to put Stripe's developer
message, cut off, in the status bar, in place of the mode and the account. Now the customer
page shows the finding the refusal matches (the sentence to read out), Stripe's own text under
it, and a button to the step that explains it; the status line keeps saying who this is.
"""

from __future__ import annotations

from support.window import make_window, until

from assistant.diagnosis.checks.portal import CID_CONFIGURATION
from assistant.diagnosis.checks.return_url import CID as CID_RETURN_URL

NO_RETURN_URL_SAID = "Your PortalConfiguration does not have a `default_return_url`"
NEVER_SAVED_SAID = "No configuration provided and your test mode default configuration has not been created"


async def _refused(qtbot, tmp_path, account: str):
    window = make_window(qtbot, tmp_path, opener=lambda url: True)
    assert window.open_practice(account)
    await until(lambda: window.outcome is not None and not window.controller.busy, what="the run")
    window.go_to_step(window.step_index("customer"))
    page = window.pages[window.step_index("customer")]
    window.flush_pages()
    assert page.open_portal_button.isEnabled()
    page.open_portal_button.click()
    await until(lambda: page.refusal_box.isVisible(), what="the refusal on the customer page")
    return window, page


def _identity_shown(window) -> bool:
    return all(w.isVisible() for w in (window.mode_badge, window.account_label, window.key_label))


async def test_no_return_url_refusal_is_explained_on_the_customer_page(qtbot, tmp_path) -> None:
    window, page = await _refused(qtbot, tmp_path, "no_return_url")
    check = window.outcome.diagnosis.check(CID_RETURN_URL)
    assert page.refusal_said.text() == check.summary  # the owner's words: the finding it matches
    assert NO_RETURN_URL_SAID in page.refusal_stripe.text()  # Stripe's own text, whole, under it
    assert page.refusal_stripe.textFormat().name == "PlainText"
    assert page.refusal_step_button.text() == "Go to step 4, Return URL"
    # the status line still says who and which mode; Stripe's message is not put there
    assert _identity_shown(window)
    assert "Stripe" not in window.statusBar().currentMessage()
    page.refusal_step_button.click()
    assert window.sidebar.currentRow() == window.step_index("return_url")


async def test_settings_never_saved_refusal_points_to_the_portal_settings(qtbot, tmp_path) -> None:
    window, page = await _refused(qtbot, tmp_path, "portal_never_saved")
    check = window.outcome.diagnosis.check(CID_CONFIGURATION)
    assert page.refusal_said.text() == check.summary
    assert NEVER_SAVED_SAID in page.refusal_stripe.text()
    assert page.refusal_step_button.text() == "Go to step 2, Portal settings"
    assert _identity_shown(window)
    page.refusal_step_button.click()
    assert window.sidebar.currentRow() == window.step_index("configuration")


async def test_the_refusal_goes_once_the_checks_run_again(qtbot, tmp_path) -> None:
    window, page = await _refused(qtbot, tmp_path, "no_return_url")
    assert window.run_all(keep_page=True)
    await until(lambda: not window.controller.busy, what="the run")
    assert not page.refusal_box.isVisible()
