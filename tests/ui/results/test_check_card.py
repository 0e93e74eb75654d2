"""The check card every page is made of: status in words, Stripe's error, links, copy."""

from __future__ import annotations

from PySide6.QtCore import Qt
from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.ui.pages.webhooks import WebhooksPage
from assistant.ui.results.card import CheckCard, linkify


async def test_stripe_error_is_shown_selectable_and_copied_without_the_key(qtbot) -> None:
    outcome, scenario = await run_scenario("restricted_key")
    result = outcome.diagnosis.check("webhooks.events")
    assert result is not None and result.stripe_error is not None
    clipboard = FakeClipboard()
    card = CheckCard(result, clipboard=clipboard)
    qtbot.addWidget(card)

    assert card._status.text() == result.status.label  # the word, not only a colour
    error = card.error_label()
    assert not error.isHidden()
    assert "Webhook Endpoints: Read" in error.text() and "rak_" not in error.text()
    assert f"Request ID: {result.stripe_error.request_id}" in error.text()
    assert error.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert card.summary_label().font().pointSizeF() > card._title.font().pointSizeF()

    card._copy.click()
    copied = clipboard.text()
    assert copied.startswith(f"[{result.status.label}] {result.title}")
    assert result.stripe_error.request_id in copied
    assert scenario.primary_key not in copied


async def test_fix_links_are_emitted_not_opened(qtbot) -> None:
    outcome, _ = await run_scenario("no_webhooks")
    page = WebhooksPage()
    qtbot.addWidget(page)
    page.show_outcome(outcome)
    card = page.cards["webhooks.events"]
    assert '<a href="https://dashboard.stripe.com/test/workbench/webhooks">' in card.fix_label().text()
    assert not card.fix_label().openExternalLinks()
    with qtbot.waitSignal(page.open_url_requested) as opened:
        card.fix_label().linkActivated.emit("https://dashboard.stripe.com/test/workbench/webhooks")
    assert opened.args == ["https://dashboard.stripe.com/test/workbench/webhooks"]


def test_not_run_placeholder(qtbot) -> None:
    card = CheckCard(check_id="portal.products")
    qtbot.addWidget(card)
    assert card._status.text() == "NOT RUN"
    assert not card._copy.isEnabled()
    assert card.glossary_chips() == []


def test_linkify_escapes_and_keeps_punctuation_out() -> None:
    html = linkify('Open https://dashboard.stripe.com/test/products. <b>"x"</b>')
    assert '<a href="https://dashboard.stripe.com/test/products">' in html
    assert "</a>." in html
    assert "&lt;b&gt;" in html
