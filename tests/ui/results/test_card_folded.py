"""A passing card on a big catalogue is its one line: the ~50 prices wait behind Details."""

from __future__ import annotations

from support.ui_outcomes import FakeClipboard, run_scenario

from assistant.ui.pages.products import ProductsPage


async def test_the_big_catalogues_passing_card_folds_to_a_sentence(qtbot) -> None:  # type: ignore[no-untyped-def]
    outcome, _ = await run_scenario("big_catalogue")
    page = ProductsPage(clipboard=FakeClipboard())
    qtbot.addWidget(page)
    page.resize(900, 700)
    page.show()
    page.show_outcome(outcome)
    card = page.cards["portal.products"]
    assert card.result is not None and len(card.result.details) > 40
    assert card.is_folded()
    shown = [w for w in card.findChildren(type(card.summary_label())) if w.isVisible() and w.text()]
    assert card.summary_label() in shown
    assert all("price_" not in w.text() and "prod_" not in w.text() for w in shown)
    lines = card.summary_label().height() // card.summary_label().fontMetrics().lineSpacing()
    assert lines <= 2, card.summary_label().text()
    card.details_toggle().setChecked(True)
    assert any("price_" in w.text() for w in card.findChildren(type(card.summary_label())) if w.isVisible())
