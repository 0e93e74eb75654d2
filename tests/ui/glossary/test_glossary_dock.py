"""The glossary pane: owner's words find the right entry, links navigate, cards open terms."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from support.ui_outcomes import run_scenario

from assistant.ui.glossary.dock import GlossaryDock
from assistant.ui.pages.products import ProductsPage
from assistant.ui.results.card import CheckCard


def test_search_for_link_expired_finds_portal_session(qtbot) -> None:
    dock = GlossaryDock()
    qtbot.addWidget(dock)
    qtbot.keyClicks(dock.search_field, "link expired")
    results = dock.result_texts()
    assert results[0] == "Problem: The portal session link has expired"
    assert "Term: Portal Session" in results
    dock.results.itemClicked.emit(dock.results.item(results.index("Term: Portal Session")))
    assert dock.current_reference() == "term:Portal%20Session"
    assert "short-lived" in dock.entry_text()


def test_internal_links_navigate_and_back_returns(qtbot) -> None:
    dock = GlossaryDock()
    qtbot.addWidget(dock)
    dock.show_reference("trouble:session-link-expired")
    assert dock.found()
    assert "What the owner might say" in dock.entry_text()
    assert not dock.back_button.isEnabled()
    dock.view.anchorClicked.emit(QUrl("term:Portal%20Session"))
    assert dock.current_reference() == "term:Portal%20Session"
    assert dock.back_button.isEnabled()
    dock.back_button.click()
    assert dock.current_reference() == "trouble:session-link-expired"
    assert not dock.back_button.isEnabled()


def test_https_links_go_to_the_window(qtbot) -> None:
    dock = GlossaryDock()
    qtbot.addWidget(dock)
    dock.show_term("Customer Portal")
    with qtbot.waitSignal(dock.open_url_requested) as opened:
        dock.view.anchorClicked.emit(QUrl("https://dashboard.stripe.com/test/settings/billing/portal"))
    assert opened.args == ["https://dashboard.stripe.com/test/settings/billing/portal"]
    assert dock.current_reference() == "term:Customer%20Portal"


def test_synonyms_check_ids_and_unknown_terms(qtbot) -> None:
    dock = GlossaryDock()
    qtbot.addWidget(dock)
    dock.show_term("session link")  # a synonym
    assert dock.found()
    assert dock.current_reference() == "term:Portal%20Session"
    dock.show_reference("portal.products")
    assert dock.found()
    assert dock.current_reference().startswith(("trouble:", "check:"))
    dock.show_term("Quantum Billing Flux")
    assert not dock.found()
    assert dock.search_field.text() == "Quantum Billing Flux"


async def _failing_products_page_with_dock(qtbot) -> tuple[ProductsPage, GlossaryDock]:
    outcome, _ = await run_scenario("archived_product")
    dock = GlossaryDock()
    page = ProductsPage()
    qtbot.addWidget(dock)
    qtbot.addWidget(page)
    page.glossary_requested.connect(dock.show_reference)
    page.show_outcome(outcome)
    return page, dock


async def test_clicking_a_cards_glossary_chip_opens_the_term(qtbot) -> None:
    page, dock = await _failing_products_page_with_dock(qtbot)
    card: CheckCard = page.cards["portal.products"]
    chip = next(c for c in card.glossary_chips() if c.text() == "Archived Product")
    chip.click()
    assert dock.current_reference() == "term:Archived%20Product"
    assert "Archived Product" in dock.entry_text()


def test_location_names_what_is_shown(qtbot) -> None:
    dock = GlossaryDock()
    qtbot.addWidget(dock)
    dock.show_term("Portal Session")
    assert dock.location.text() == "Term: Portal Session"
    dock.show_reference("trouble:session-link-expired")
    assert dock.location.text() == "Problem: The portal session link has expired"


async def test_report_check_line_opens_its_troubleshooting(qtbot) -> None:
    from assistant.ui.pages.report import ReportPage

    outcome, _ = await run_scenario("archived_product")
    dock = GlossaryDock()
    page = ReportPage()
    qtbot.addWidget(dock)
    qtbot.addWidget(page)
    page.glossary_requested.connect(dock.show_term)  # the window routes bare refs to show_term
    page.show_outcome(outcome)
    row = next(r for r in page.checks_list.rows() if r.accessibleName().startswith("FAIL"))
    href = row.text_label.text().split('href="', 1)[1].split('"', 1)[0]
    assert href == "check:portal.products"
    row.text_label.linkActivated.emit(href)
    assert dock.found()
    assert dock.current_reference().startswith(("trouble:", "check:"))


async def test_a_failing_cards_known_causes_open_its_troubleshooting_entries(qtbot) -> None:
    page, dock = await _failing_products_page_with_dock(qtbot)
    page.cards["portal.products"].causes_button().click()
    from assistant.knowledge.base import default_knowledge

    entries = default_knowledge().entries_for_check("portal.products")
    assert entries, "portal.products has troubleshooting entries"
    shown = dock.entry_text()
    assert any(entry.title in shown for entry in entries)
